#!/bin/bash
# t_j_check_config: `embargo-milter -t` checks the configuration and exits:
# 0 for a good one; non-zero for a broken one, printing FILE:LINE for each
# problem (a bad key in a release file, a libconfig syntax error in the main
# config). Starting the daemon (without -t) on a broken config also exits
# non-zero at once with the same FILE:LINE, instead of running.
. "$(dirname "$0")/lib.sh"
e2e_init
[ -x "$BUILD/embargo-milter" ] || e2e_skip "$BUILD/embargo-milter not built"
em_write_config
em_write_release widgets widgets-e2e quarantine

out=$("$BUILD/embargo-milter" -t -c "$EM_CONF" 2>&1)
rc=$?
[ $rc = 0 ] || e2e_fail "-t on a good config exited $rc: $out"

# A release file with an unknown key on line 4 and a bad action on line 5.
cat >"$EM_RELEASES/broken.conf" <<'CONF'
release = {
  id = "broken-e2e";
  title = "A broken release";
  colour = "blue";
  action = "shred";
  publish_at = "2030-01-01 09:30";
  identifiers = ( "Broken Release Figures" );
};
CONF
out=$(timeout 30 "$BUILD/embargo-milter" -t -c "$EM_CONF" 2>&1)
rc=$?
e2e_log "-t output: $(printf '%s' "$out" | head -n 5 | tr '\n' '|')"
[ $rc != 0 ] || e2e_fail "-t on a broken release file exited 0"
[ $rc != 124 ] || e2e_fail "-t did not exit"
printf '%s\n' "$out" | grep -q 'broken\.conf:4' || e2e_fail "no broken.conf:4 (unknown key) in: $out"
printf '%s\n' "$out" | grep -q 'broken\.conf:5' || e2e_fail "no broken.conf:5 (bad action) in: $out"

# Starting for real on the same config: refuses, same errors.
out2=$(timeout 30 "$BUILD/embargo-milter" -f -c "$EM_CONF" -p "inet:$(e2e_free_port)@127.0.0.1" 2>&1)
rc=$?
[ $rc != 0 ] || e2e_fail "the daemon started (and exited 0) with a broken config"
[ $rc != 124 ] || e2e_fail "the daemon kept running with a broken config"
printf '%s\n' "$out2" | grep -q 'broken\.conf:4' || e2e_fail "start-up errors lack broken.conf:4: $out2"
rm -f "$EM_RELEASES/broken.conf"

# A syntax error in the main config, on a known line.
n=$(($(wc -l <"$EM_CONF") + 1))
echo 'mode = "enforce"  this is not libconfig' >>"$EM_CONF"
out=$(timeout 30 "$BUILD/embargo-milter" -t -c "$EM_CONF" 2>&1)
rc=$?
[ $rc != 0 ] && [ $rc != 124 ] || e2e_fail "-t on a main config syntax error exited $rc"
printf '%s\n' "$out" | grep -q "embargo-milter\.conf:$n" ||
	e2e_fail "no embargo-milter.conf:$n in: $out"
exit 0
