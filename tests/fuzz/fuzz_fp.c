/*
 * fuzz_fp - libFuzzer harness: arbitrary bytes as a .fp fingerprint file.
 *
 * em_fp_parse reads the input; when it is accepted, the fingerprint is
 * written back (em_fp_write), parsed again and must give the same hashes,
 * and it goes into an index that scans the input itself as mail text (the
 * figure scanner and the tokenizer on hostile text). When it is refused the
 * reason is a NUL-terminated "line N: ..." string. Checks: no crash, no leak,
 * no undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../milter/core/em_fprint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[EM_FP_KEY_BYTES] = {7};
	char why[256];
	struct em_fp *fp = em_fp_parse((const char *)data, size, why, sizeof(why));

	if (fp == NULL) {
		if (memchr(why, '\0', sizeof(why)) == NULL)
			abort();
		if (why[0] && strncmp(why, "line ", 5) != 0)
			abort();
		return 0;
	}
	struct em_buf out = EM_BUF_INIT;
	if (em_fp_write(fp, &out) == 0) {
		struct em_fp *back = em_fp_parse(out.data, out.len, why, sizeof(why));
		if (back == NULL || back->nhashes != fp->nhashes || back->nfigs != fp->nfigs ||
		    memcmp(back->hashes, fp->hashes, fp->nhashes * sizeof(uint64_t)) != 0)
			abort();
		em_fp_free(back);
	}
	em_buf_free(&out);
	struct em_fp_index *x = em_fp_index_new(1);
	if (x && em_fp_index_add(x, 0, fp) == 0 && em_fp_index_finish(x) == 0) {
		struct em_fp_hits *h = em_fp_hits_new(x);
		if (h) {
			char *text = malloc(size + 1);
			if (text) {
				memcpy(text, data, size);
				text[size] = '\0';
				em_fp_scan(x, key, text, size, "body", h);
				free(text);
			}
			em_fp_hits_free(h);
		}
	}
	em_fp_index_free(x);
	em_fp_free(fp);
	return 0;
}
