/*
 * fuzz_readable - libFuzzer harness for the parsers of issue 10 that read
 * text in other forms: em_embed_scan (uuencode, begin-base64, yEnc blocks),
 * em_ical_to_text (iCalendar), em_flowed_display (RFC 3676), em_bidi_display
 * (explicit bidi overrides) and em_html_display (HTML as displayed).
 *
 * The first input byte picks the parser (and flags), the rest is its input.
 * Checks: no crash, no leak, no undefined behaviour, outputs bounded by the
 * input (none of them may grow text more than a small factor), and every
 * embedded file handed on lies within the decoded-byte cap.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../../milter/core/em_display.h"
#include "../../milter/core/em_embed.h"
#include "../../milter/core/em_html.h"

#define CAP 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_file(void *ctx, const char *name, const char *d, size_t len)
{
	size_t *total = ctx;

	(void)name;
	(void)d;
	*total += len;
	assert(*total <= CAP);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct em_buf out = EM_BUF_INIT, extra = EM_BUF_INIT;
	const char *in = (const char *)data + 1;
	size_t n = size ? size - 1 : 0, total = 0;
	unsigned flags = 0;

	if (size == 0)
		return 0;
	switch (data[0] % 6) {
	case 0:
		em_embed_scan(in, n, CAP, on_file, &total, &flags);
		break;
	case 1:
		em_ical_to_text(in, n, &out, (data[0] & 8) ? &extra : NULL);
		assert(out.len + extra.len <= 2 * n + 2 * (n / 2 + 1));
		break;
	case 2:
		em_flowed_display(in, n, data[0] & 8, &out);
		assert(out.len <= n);
		break;
	case 3:
		if (em_bidi_present(in, n))
			em_bidi_display(in, n, &out);
		assert(out.len <= n);
		break;
	case 4:
		em_html_display(in, n, &out, (data[0] & 8) ? &extra : NULL);
		break;
	default:
		em_html_to_text(in, n, &out);
		break;
	}
	em_buf_free(&out);
	em_buf_free(&extra);
	return 0;
}
