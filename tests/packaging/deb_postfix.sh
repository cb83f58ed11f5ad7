#!/bin/bash
# deb_postfix.sh - step of t_deb.sh (issue 9 point 12): wires a throw-away
# Postfix to the INSTALLED package exactly as README.md's "Wiring into
# Postfix" says, with the main.cf block copied out of README.md itself (not
# a private copy), sends a leak by SMTP and by the sendmail command, and
# checks both are held (Postfix hold queue + a record in the package's
# quarantine). The one adaptation: the throw-away instance's queue directory
# is a temp dir, so its embargo-milter/ entry is a symbolic link to the
# package's /var/spool/postfix/embargo-milter (where the README's relative
# socket path leads on a real relay).
#
#   tests/packaging/deb_postfix.sh QUARANTINE_DIR   (from t_deb.sh, as root,
#   with the packaged daemon running on the README's socket)
#
# Exit 0 pass, 1 fail, 77 skipped (Postfix not installed). Uses
# tests/e2e/lib.sh for the instance, the sink and the waits.
set -u
QDIR=${1:?quarantine dir}
. "$(dirname "$0")/../e2e/lib.sh"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
[ -d /var/spool/postfix/embargo-milter ] || e2e_skip "no /var/spool/postfix/embargo-milter (Postfix not installed?)"
e2e_init
sink_start

# The README's main.cf block: the fenced block whose first line has the marker
# (the same extraction as t_doctor.sh).
awk -v m="embargo-milter: mail received by SMTP" '/^```/ { if (inb) exit; inb = 1; first = 1; next }
	inb && first { first = 0; if (index($0, m) == 0) { inb = 0; next } }
	inb { print }' "$TOP/README.md" >"$E2E_TMP/readme-main.cf"
grep -q '^smtpd_milters = ' "$E2E_TMP/readme-main.cf" || e2e_fail "README.md lost its main.cf block"

pf_setup "unix:placeholder"
# the instance's own milter lines out, the README's block in, pasted as is
postconf -c "$PF_CONF" -X smtpd_milters non_smtpd_milters milter_default_action milter_protocol \
	milter_end_of_data_macros
cat "$E2E_TMP/readme-main.cf" >>"$PF_CONF/main.cf"
ln -s /var/spool/postfix/embargo-milter "$PF_QUEUE/embargo-milter"
e2e_log "main.cf milter settings: $(postconf -c "$PF_CONF" -n | grep milter | tr '\n' ';')"
[ "$(postconf -c "$PF_CONF" -h smtpd_milters)" = "unix:embargo-milter/embargo-milter.sock" ] ||
	e2e_fail "the README block did not paste as is: smtpd_milters = $(postconf -c "$PF_CONF" -h smtpd_milters)"
pf_start

# doctor reads this Postfix and the package's config, does the handshake on
# the live socket and finds nothing unsafe
/usr/bin/embargoctl doctor -c /etc/embargo-milter/embargo-milter.conf --postfix-config "$PF_CONF" \
	>"$E2E_TMP/doctor.out" 2>&1 || e2e_fail "doctor: $(cat "$E2E_TMP/doctor.out")"
e2e_log "doctor: $(tail -n 1 "$E2E_TMP/doctor.out")"

LEAK='OFFICIAL-SENSITIVE: Package Test Statistics, draft figures for the briefing.'
msg_write "$E2E_TMP/smtp.eml" "deb-tag-smtp" "outsider@example.org" "$LEAK"
out=$(send_smtp "$E2E_TMP/smtp.eml" analyst@stats.example.gov.uk outsider@example.org) ||
	e2e_fail "the relay refused the leak: $out"
msg_write "$E2E_TMP/local.eml" "deb-tag-local" "outsider@example.org" "$LEAK"
send_local "$E2E_TMP/local.eml" analyst@stats.example.gov.uk outsider@example.org ||
	e2e_fail "sendmail failed"
for tag in deb-tag-smtp deb-tag-local; do
	_held() { [ -n "$(pf_held_with "$1")" ]; }
	e2e_wait 60 _held "$tag" || e2e_fail "$tag was not held: $(tail -n 5 "$PF_CONF/maillog")"
	grep -lq "$tag" "$QDIR"/msg/*.eml 2>/dev/null || e2e_fail "$tag has no record in $QDIR"
done
[ -z "$(sink_grep deb-tag)" ] || e2e_fail "a leak reached the outside world"
echo "deb_postfix: both leaks held through Postfix wired as the README says"
exit 0
