/*
 * fuzz_extract - libFuzzer harness: arbitrary bytes as the sandboxed
 * extractor's output (the record stream of milter/extract/ex_proto.h).
 *
 * The bytes are what a compromised or crashing embargo-extract could write.
 * They are parsed by em_extract_parse into the core's sink, through a real
 * scan: a message with a PDF attachment whose extraction returns the fuzz
 * input (instead of spawning the program), so text, messages, files (read
 * again through the leaf logic, which asks the extractor again up to the
 * depth limit) and unreadable records all reach em_scan. Checks: no crash,
 * no leak, no undefined behaviour, a verdict always comes out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../milter/adapt/em_extract.h"
#include "../../milter/core/em_scan.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *in;
static size_t in_len;

static int fake_extract(void *ctx, const char *where, const char *name, enum em_sniff_kind kind,
			const void *d, size_t len, const struct em_extract_sink *sink)
{
	const char *err;

	return em_extract_parse((const char *)in, in_len, sink, &err) < 0 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct em_rules *rules;
	static const char msg[] =
	    "From: a@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	    "Content-Type: application/pdf; name=a.pdf\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQKJSVFT0YK\r\n--b--\r\n";
	struct em_extractor x = {NULL, true, 1, 1, fake_extract};
	struct em_scan *s;
	struct em_verdict *v = NULL;

	if (rules == NULL)
		rules = fuzz_load_rules();
	in = data;
	in_len = size;
	s = em_scan_new(rules, NULL);
	if (s == NULL)
		return 0;
	em_scan_set_extractor(s, &x);
	em_scan_set_sender(s, "a@example.org");
	em_scan_add_rcpt(s, "b@example.net");
	em_scan_push(s, msg, sizeof(msg) - 1);
	if (em_scan_finish(s, 1605000000, &v) == 0 && v == NULL)
		abort();
	em_verdict_free(v);
	em_scan_free(s);
	return 0;
}
