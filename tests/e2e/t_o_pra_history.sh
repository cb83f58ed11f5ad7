#!/bin/bash
# t_o_pra_history: the daemon writes every change to a PRA list to the audit
# log, on start and on each reload (SIGHUP), and `embargoctl pra history`
# shows it: the entries of the first load are "added"; a PRA file edited to
# add a person with a role and window, and to drop one, gives "added" and
# "removed" after SIGHUP; a reload without changes writes nothing.
# `embargoctl pra export` prints the roles as published. No Postfix needed.
. "$(dirname "$0")/lib.sh"
e2e_init
em_write_config
em_write_release widgets widgets-e2e quarantine 'pre_release_access_file = "widgets.pra";'
printf 'old.adviser@gov.e2e.test\tFormer Adviser\n' >"$EM_RELEASES/widgets.pra"
CTL="$BUILD/embargoctl"
EM_PORT=$(e2e_free_port)
em_start
em_wait_ready
_audited() { grep -q '"event":"pra_change"' "$EM_QDIR/audit.log" 2>/dev/null; }
e2e_wait 20 _audited || e2e_fail "no pra_change line in the audit log after start"
h=$("$CTL" pra history -c "$EM_CONF" widgets-e2e) || e2e_fail "pra history failed: $h"
e2e_log "$h"
echo "$h" | grep -q 'added .*pra.minister@gov.e2e.test' || e2e_fail "start: pra.minister not added: $h"
echo "$h" | grep -q 'added .*old.adviser@gov.e2e.test  Former Adviser' ||
	e2e_fail "start: old.adviser not added with its role: $h"
n1=$(grep -c pra_change "$EM_QDIR/audit.log")

# A reload without changes writes nothing.
loglines=$(wc -l <"$E2E_TMP/milter.log")
kill -HUP "$EM_PID"
_reloaded() { tail -n +"$((loglines + 1))" "$E2E_TMP/milter.log" | grep -q 'reloaded'; }
e2e_wait 15 _reloaded || e2e_fail "no reload logged"
[ "$(grep -c pra_change "$EM_QDIR/audit.log")" = "$n1" ] || e2e_fail "an unchanged reload wrote PRA changes"

# The PRA file changes: one person added with a role and window, one removed.
from=$(date -u -d "@$(($(date +%s) + 3600))" '+%Y-%m-%d %H:%M')
printf 'spad@gov.e2e.test\tSpecial Adviser to the Secretary of State\t%sZ\n' "$from" >"$EM_RELEASES/widgets.pra"
loglines=$(wc -l <"$E2E_TMP/milter.log")
kill -HUP "$EM_PID"
e2e_wait 15 _reloaded || e2e_fail "no second reload logged"
_changed() { [ "$(grep -c pra_change "$EM_QDIR/audit.log")" -ge $((n1 + 2)) ]; }
e2e_wait 15 _changed || e2e_fail "the PRA changes were not audited: $(cat "$EM_QDIR/audit.log")"
h=$("$CTL" pra history -c "$EM_CONF" widgets-e2e) || e2e_fail "pra history failed: $h"
e2e_log "$h"
echo "$h" | grep -q 'added .*spad@gov.e2e.test  Special Adviser to the Secretary of State' ||
	e2e_fail "spad not shown as added: $h"
echo "$h" | grep -q 'removed .*old.adviser@gov.e2e.test' || e2e_fail "old.adviser not shown as removed: $h"

# The published form: roles and times, no addresses.
x=$("$CTL" pra export -c "$EM_CONF" widgets-e2e 2>&1)
rc=$?
e2e_log "$x"
[ $rc = 1 ] || e2e_fail "export with an entry without role should exit 1, got $rc"
echo "$x" | grep -q 'Special Adviser to the Secretary of State  *from ' || e2e_fail "export lacks the role: $x"
echo "$x" | grep -q 'role not recorded' || e2e_fail "export does not flag the entry without role"
exit 0
