#!/bin/bash
# t_l_miltertest: the Sendmail side. miltertest (Debian package "miltertest",
# from OpenDKIM) plays the MTA as Sendmail does and drives the daemon over
# its socket directly, running miltertest.lua: a leaking message gets the
# quarantine action, a reject release a reply code (550 is checked in t_b), a strip release a
# delrcpt of only the outsider, and clean mail is accepted with its forged
# verdict field deleted. Skipped (not failed) when miltertest is missing.
. "$(dirname "$0")/lib.sh"
MT=$(command -v miltertest || ls /usr/sbin/miltertest 2>/dev/null)
[ -n "$MT" ] || e2e_skip "miltertest not installed (apt-get install miltertest)"
e2e_init
em_write_config
em_write_release widgets widgets-e2e quarantine
EM_REL_IDENTIFIER="Reject Release Figures" em_write_release rejects rejects-e2e reject
EM_REL_IDENTIFIER="Strip Release Figures" em_write_release strips strips-e2e strip
EM_PORT=$(e2e_free_port)
em_start
em_wait_ready
out=$(timeout 120 "$MT" -D "sock=inet:$EM_PORT@127.0.0.1" -s "$E2E_DIR/miltertest.lua" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/  | /' >&2
[ $rc = 0 ] || e2e_fail "miltertest exited $rc"
exit 0
