/*
 * fuzz_addr - libFuzzer harness: arbitrary bytes as address-list input.
 *
 * The input is read as a PRA file (em_addr_parse_lines, each entry added with
 * em_addr_list_add), then every line of it is also added directly (embedded
 * NULs end a line), matched against the list as an envelope address and
 * canonicalized into buffers of several sizes. Checks: no crash, no leak, no
 * undefined behaviour, canonical forms NUL-terminated within their buffer,
 * and an accepted full address matches itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../milter/core/em_addr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int add_entry(void *ctx, const char *entry, int line)
{
	char err[128];
	int rc = em_addr_list_add(ctx, entry, err, sizeof(err));

	if (rc == -2 && memchr(err, '\0', sizeof(err)) == NULL)
		abort();	/* error text not terminated */
	return rc == -1 ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct em_addr_list *file = em_addr_list_new(), *direct = em_addr_list_new();
	char *copy = malloc(size + 1);
	static const size_t sizes[] = {1, 2, 8, 64, 320};
	char out[320], err[64];

	if (file == NULL || direct == NULL || copy == NULL)
		goto out;
	em_addr_parse_lines((const char *)data, size, add_entry, file);
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i <= size;) {
		size_t j = i;
		while (j < size && copy[j] != '\n' && copy[j] != '\0')
			j++;
		copy[j] = '\0';
		const char *line = copy + i;
		i = j + 1;
		int rc = em_addr_list_add(direct, line, err, sizeof(err));
		/* an accepted full address must match itself as a recipient
		 * ("@domain" entries are not envelope addresses) */
		em_addr_canon(line, out, sizeof(out));
		if (rc == 0 && out[0] != '@' && out[0] != '\0' && !em_addr_list_match(direct, line))
			abort();
		(void)em_addr_list_match(file, line);
		for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			memset(out, 'x', sizeof(out));
			em_addr_canon(line, out, sizes[k]);
			if (memchr(out, '\0', sizes[k]) == NULL)
				abort();
		}
	}
	(void)em_addr_list_count(file);
out:
	em_addr_list_free(file);
	em_addr_list_free(direct);
	free(copy);
	return 0;
}
