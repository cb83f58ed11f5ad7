/*
 * em_fpkey - the deployment's fingerprint key (main config `fingerprint_key`):
 * a file of 64 hex digits (32 random bytes) made by
 * `embargoctl fingerprint --new-key FILE`, mode 0640.
 *
 * The secret itself is never used directly: HMAC-SHA256 (RFC 2104, FIPS
 * 180-4; OpenSSL libcrypto) derives from it the 16-byte SipHash key that
 * hashes words and figures (em_fprint) and a public key id written into
 * every .fp file, so a fingerprint made with another key is refused rather
 * than silently matching nothing.
 */
#ifndef EM_FPKEY_H
#define EM_FPKEY_H

#include <stddef.h>
#include <stdint.h>

#include "../core/em_fprint.h"

/*
 * Reads the key file at path; fills key (EM_FP_KEY_BYTES) and id (16 hex
 * digits and a NUL). Returns 0, or -1 with why filled (unreadable, not 64
 * hex digits, readable by others).
 */
int em_fpkey_load(const char *path, uint8_t key[EM_FP_KEY_BYTES], char id[17], char *why,
		  size_t whylen);

/* Creates a new key file (refuses to overwrite), mode 0640. 0 or -1 with why. */
int em_fpkey_new(const char *path, char *why, size_t whylen);

#endif
