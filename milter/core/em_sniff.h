/*
 * em_sniff - recognises a file format by its content (magic numbers), never by
 * its name or declared type. Pure: no allocation, no I/O, no libraries.
 *
 * Used by the core to decide which leaves go to the sandboxed extractor
 * (milter/extract, reached through struct em_extractor) and by that extractor
 * to dispatch. Signatures: PDF (ISO 32000-1 7.5.2, "%PDF-" within the first
 * 1024 bytes as readers accept), OLE2/CFB ([MS-CFB] 2.2), RTF (RTF 1.9.1
 * "{\rtf"), TNEF ([MS-OXTNEF] 2.1.3.1, 0x223E9F78), gzip (RFC 1952), bzip2,
 * xz, zstd (RFC 8878), tar (POSIX ustar and GNU magic at 257), 7z, rar 4/5,
 * cab ("MSCF"), ISO 9660 ("CD001" at 32769), PNG, JPEG, GIF, TIFF, BMP, WebP,
 * PKCS#7/CMS (RFC 5652 ContentInfo DER: SEQUENCE, OID 1.2.840.113549.1.7.x).
 */
#ifndef EM_SNIFF_H
#define EM_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

enum em_sniff_kind {
	EM_SNIFF_NONE = 0,
	EM_SNIFF_PDF,
	EM_SNIFF_OLE2,
	EM_SNIFF_RTF,
	EM_SNIFF_TNEF,
	EM_SNIFF_GZIP,
	EM_SNIFF_BZIP2,
	EM_SNIFF_XZ,
	EM_SNIFF_ZSTD,
	EM_SNIFF_TAR,
	EM_SNIFF_7Z,
	EM_SNIFF_RAR,
	EM_SNIFF_CAB,
	EM_SNIFF_ISO,
	EM_SNIFF_PNG,
	EM_SNIFF_JPEG,
	EM_SNIFF_GIF,
	EM_SNIFF_TIFF,
	EM_SNIFF_BMP,
	EM_SNIFF_WEBP,
	EM_SNIFF_PKCS7_SIGNED,	  /* CMS signed-data: the content is inside, in clear */
	EM_SNIFF_PKCS7_ENVELOPED, /* CMS enveloped/encrypted data: unreadable */
	EM_SNIFF_PKCS7_OTHER,	  /* another CMS content type */
	EM_SNIFF__COUNT
};

/*
 * The format of the n bytes at d (the start of a file; n may be a prefix,
 * e.g. EM_MIME_SNIFF bytes: ISO 9660 needs 32774 bytes to be seen).
 * Returns EM_SNIFF_NONE when none of the kinds above. Zip is not a kind
 * here: the core reads zip itself (em_office).
 */
enum em_sniff_kind em_sniff(const void *d, size_t n);

/* "pdf", "ole2", ... (a static string); "none" for EM_SNIFF_NONE. */
const char *em_sniff_name(enum em_sniff_kind k);

/* True for the image kinds (PNG .. WebP). */
bool em_sniff_is_image(enum em_sniff_kind k);

/*
 * Width and height in pixels of an image from its header (PNG IHDR, GIF
 * logical screen, BMP info header, JPEG SOFn marker, WebP VP8/VP8L/VP8X).
 * Returns true and sets *w, *h when found in the n bytes; false otherwise
 * (TIFF, or a JPEG whose SOF lies beyond n).
 */
bool em_sniff_image_size(const void *d, size_t n, unsigned long *w, unsigned long *h);

#endif
