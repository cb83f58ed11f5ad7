/*
 * put_code - test helper for tests/browser/run.sh: gives a held record a
 * confirm code exactly as the daemon does (em_confirm_salt_new,
 * em_confirm_hash, em_confirm_code_put), expiring in an hour, and prints the
 * code. Not installed; built ad hoc against libemcore.a.
 *
 *   put_code QUARANTINE_DIR RECORD SENDER
 */
#include <stdio.h>
#include <time.h>

#include "../../milter/adapt/em_confirm.h"
#include "../../milter/adapt/em_requests.h"
#include "../../milter/adapt/em_store.h"

int main(int argc, char **argv)
{
	char code[EM_CONFIRM_CODE_SIZE], salt[EM_CONFIRM_SALT_SIZE], hash[EM_CONFIRM_HASH_SIZE];
	char err[512];
	struct em_store *st;
	time_t now = time(NULL);

	if (argc != 4) {
		fprintf(stderr, "usage: put_code QUARANTINE_DIR RECORD SENDER\n");
		return 2;
	}
	if ((st = em_store_open(argv[1], err, sizeof(err))) == NULL ||
	    em_confirm_code_new(code) < 0 || em_confirm_salt_new(salt) < 0 ||
	    em_confirm_hash(salt, code, hash) < 0 ||
	    em_confirm_code_put(st, argv[2], argv[3], salt, hash, now, now + 3600, err,
				sizeof(err)) < 0) {
		fprintf(stderr, "put_code: %s\n", err);
		return 2;
	}
	printf("%s\n", code);
	em_store_close(st);
	return 0;
}
