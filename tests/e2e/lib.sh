# shellcheck shell=bash
# lib.sh - shared helpers for the embargo-milter end-to-end tests: a throw-away
# Postfix instance on 127.0.0.1, the capture sink (sink.py), the milter
# daemon, sending mail (send.py, sendmail -C) and bounded waits.
#
# Owns: everything under one temp dir ($E2E_TMP): Postfix config_directory,
# queue_directory, data_directory, its maillog, the sink's capture dir, the
# milter's config/releases/quarantine/log. Nothing in /etc is changed: as root,
# `postfix -c DIR` and `sendmail -C DIR` (postdrop) accept a non-default config
# directory without it being listed in alternate_config_directories (Postfix
# only demands that listing from non-root callers).
# Every started process is recorded and stopped by e2e_cleanup (install it
# with `trap e2e_cleanup EXIT`); every wait is a bounded loop.
# Only 127.0.0.1 is ever used.
#
# Source it from a t_*.sh with BUILD set (run.sh exports it).

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${BUILD:=build}"
E2E_PIDS=()             # processes we started (sink, milter)
E2E_PF_STARTED=""       # Postfix config dirs we started

# --- diagnostics ------------------------------------------------------------

e2e_log() { printf '  %s\n' "$*" >&2; }

# e2e_fail MSG: print MSG and the tail of the logs, exit 1 (the trap cleans up).
e2e_fail() {
	printf '  FAIL: %s\n' "$*" >&2
	if [ -n "${E2E_VERBOSE_FAIL:-1}" ] && [ -n "${E2E_TMP:-}" ]; then
		local f
		for f in "$E2E_TMP"/milter.log "$E2E_TMP"/pf/maillog "$E2E_TMP"/sm/maillog; do
			[ -s "$f" ] || continue
			printf '  --- last lines of %s\n' "$f" >&2
			tail -n 15 "$f" | sed 's/^/  | /' >&2
		done
	fi
	exit 1
}

# e2e_skip MSG: the test cannot run here (exit code 77 = SKIP for run.sh).
e2e_skip() {
	printf '  SKIP: %s\n' "$*" >&2
	exit 77
}

# --- temp dir, ports, waits -------------------------------------------------

# e2e_init: creates $E2E_TMP (traversable by the postfix user: its queue lives
# inside) and installs the cleanup trap.
e2e_init() {
	[ "$(id -u)" = 0 ] || e2e_skip "needs root (Postfix instance)"
	command -v postfix >/dev/null || e2e_skip "postfix not installed"
	E2E_TMP=$(mktemp -d /tmp/em-e2e.XXXXXX) || e2e_fail "mktemp"
	chmod 755 "$E2E_TMP"
	trap e2e_cleanup EXIT
	trap 'exit 130' INT TERM
}

# e2e_free_port: prints a TCP port on 127.0.0.1 that is free right now (and
# not one handed out before in this test).
e2e_free_port() {
	local p
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
		case " ${E2E_PORTS:-} " in *" $p "*) continue ;; esac
		E2E_PORTS="${E2E_PORTS:-} $p"
		echo "$p"
		return 0
	done
	return 1
}

# e2e_wait SECONDS CMD...: runs CMD every 0.1 s until it succeeds; returns 1
# when SECONDS have passed without success.
e2e_wait() {
	local limit=$1 end
	shift
	# E2E_WAIT_SCALE (an integer, default 1) stretches every bound for slow
	# runs: the daemon under valgrind or a sanitizer build.
	end=$(($(date +%s%N) / 1000000 + limit * 1000 * ${E2E_WAIT_SCALE:-1}))
	while :; do
		"$@" && return 0
		[ $(($(date +%s%N) / 1000000)) -ge "$end" ] && return 1
		sleep 0.1
	done
}

e2e_port_open() {
	python3 -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(("127.0.0.1",int(sys.argv[1]))) != 0)' "$1"
}

# e2e_stop_pid PID [SECONDS]: SIGTERM, bounded wait, then SIGKILL.
e2e_stop_pid() {
	local pid=$1 t=${2:-10}
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	e2e_wait "$t" e2e_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

e2e_pid_gone() { ! kill -0 "$1" 2>/dev/null; }

e2e_cleanup() {
	local rc=$? pid d
	for d in $E2E_PF_STARTED; do
		postfix -c "$d" stop >/dev/null 2>&1 || true
	done
	for pid in "${E2E_PIDS[@]}"; do
		e2e_stop_pid "$pid" 5
	done
	# Postfix's own master may outlive "postfix stop" briefly; make sure.
	for d in $E2E_PF_STARTED; do
		d=$(postconf -c "$d" -h queue_directory 2>/dev/null)/pid/master.pid
		[ -s "$d" ] || continue
		pid=$(tr -dc 0-9 <"$d")
		[ -n "$pid" ] || continue
		e2e_wait 10 e2e_pid_gone "$pid" || kill -KILL "$pid" 2>/dev/null
	done
	if [ -n "${E2E_TMP:-}" ] && [ -d "$E2E_TMP" ]; then
		if [ -n "${E2E_KEEP:-}" ] || { [ "$rc" != 0 ] && [ "$rc" != 77 ] && [ -n "${E2E_KEEP_FAILED:-}" ]; }; then
			printf '  (kept %s)\n' "$E2E_TMP" >&2
		else
			rm -rf "$E2E_TMP"
		fi
	fi
	exit "$rc"
}

# --- the capture sink -------------------------------------------------------

# sink_start: starts sink.py on a free port; sets SINK_PORT, SINK_DIR. The
# free port can be taken by another process before the sink binds it (tests
# run side by side): a sink that exits is started again on a new port, at
# most 3 times; a sink still starting is given 30 s (python start-up on a
# loaded machine).
sink_start() {
	local try
	SINK_DIR=$E2E_TMP/sink
	mkdir -p "$SINK_DIR"
	for try in 1 2 3; do
		SINK_PORT=$(e2e_free_port) || e2e_fail "no free port"
		rm -f "$E2E_TMP/sink.ready"
		python3 "$E2E_DIR/sink.py" --port "$SINK_PORT" --dir "$SINK_DIR" \
			--ready "$E2E_TMP/sink.ready" 2>"$E2E_TMP/sink.log" &
		SINK_PID=$!
		E2E_PIDS+=("$SINK_PID")
		e2e_wait 30 sink_ready_or_gone && [ -s "$E2E_TMP/sink.ready" ] && return 0
		kill -0 "$SINK_PID" 2>/dev/null && break # alive but not ready in 30 s
		echo "sink on port $SINK_PORT exited (try $try): $(tail -n 1 "$E2E_TMP/sink.log")" >&2
	done
	cat "$E2E_TMP/sink.log" >&2
	e2e_fail "sink did not start"
}

# sink_ready_or_gone: true once the sink is ready or its process has ended.
sink_ready_or_gone() {
	[ -s "$E2E_TMP/sink.ready" ] || ! kill -0 "$SINK_PID" 2>/dev/null
}

# sink_count: number of messages the sink has stored.
sink_count() {
	local n=0 f
	for f in "$SINK_DIR"/*.json; do [ -e "$f" ] && n=$((n + 1)); done
	echo "$n"
}

# sink_files_for RCPT: prints the .eml files whose envelope has RCPT.
sink_files_for() {
	python3 - "$SINK_DIR" "$1" <<'EOF'
import glob, json, sys
d, rcpt = sys.argv[1], sys.argv[2].lower()
for j in sorted(glob.glob(d + "/*.json")):
    m = json.load(open(j))
    if rcpt in [r.lower() for r in m["rcpt_to"]]:
        print(j[:-5] + ".eml")
EOF
}

# sink_grep STRING: prints the .eml files containing STRING (fixed string).
sink_grep() {
	local f
	for f in "$SINK_DIR"/*.eml; do
		[ -e "$f" ] && grep -lF -- "$1" "$f"
	done
	return 0
}

# sink_wait_count N [SECONDS]: waits until the sink holds at least N messages.
sink_wait_count() {
	e2e_wait "${2:-60}" _sink_has "$1"
}
_sink_has() { [ "$(sink_count)" -ge "$1" ]; }

# sink_wait_grep STRING [SECONDS]: waits until a stored message contains STRING.
sink_wait_grep() { e2e_wait "${2:-30}" _sink_has_grep "$1"; }
_sink_has_grep() { [ -n "$(sink_grep "$1")" ]; }

# sink_wait_rcpt RCPT [SECONDS]: waits until a message for RCPT is stored.
sink_wait_rcpt() { e2e_wait "${2:-30}" _sink_has_rcpt "$1"; }
_sink_has_rcpt() { [ -n "$(sink_files_for "$1")" ]; }

# --- Postfix ----------------------------------------------------------------

# pf_setup MILTER_SOCKET: writes a private Postfix instance under $E2E_TMP
# that listens on 127.0.0.1:$PF_PORT, relays everything to the sink, and runs
# every message (SMTP and local submission) through MILTER_SOCKET
# ("inet:127.0.0.1:PORT" in Postfix syntax). Sets PF_CONF, PF_QUEUE, PF_PORT.
# Extra main.cf lines may be passed in $PF_EXTRA; $PF_NAME (default "pf")
# names the instance, for more than one per temp dir. MILTER_SOCKET may be
# empty: no milter.
pf_setup() {
	local milter=$1 name=${PF_NAME:-pf}
	[ -n "${SINK_PORT:-}" ] || e2e_fail "pf_setup: start the sink first"
	PF_PORT=$(e2e_free_port) || e2e_fail "no free port"
	PF_CONF=$E2E_TMP/$name
	PF_QUEUE=$E2E_TMP/${name}queue
	mkdir -p "$PF_CONF" "$PF_QUEUE" "$E2E_TMP/${name}data"
	chown postfix "$E2E_TMP/${name}data"
	cat >"$PF_CONF/main.cf" <<EOF
# Throw-away instance for the embargo-milter e2e tests; generated by lib.sh.
compatibility_level = 3.6
config_directory = $PF_CONF
queue_directory = $PF_QUEUE
data_directory = $E2E_TMP/${name}data
meta_directory = /etc/postfix
myhostname = relay.e2e.test
mydomain = e2e.test
myorigin = \$myhostname
inet_interfaces = loopback-only
inet_protocols = ipv4
smtp_bind_address = 127.0.0.1
mynetworks = 127.0.0.0/8
mynetworks_style = host
# No local delivery at all: everything goes to the sink.
mydestination =
local_recipient_maps =
local_transport = error:5.1.1 no local delivery in the e2e instance
alias_maps =
alias_database =
relayhost = [127.0.0.1]:$SINK_PORT
default_transport = smtp
relay_transport = smtp
smtp_dns_support_level = disabled
smtp_tls_security_level = none
smtpd_tls_security_level = none
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
smtpd_banner = \$myhostname ESMTP e2e
biff = no
# The milter under test, for SMTP and for the sendmail/pickup path.
smtpd_milters = $milter
non_smtpd_milters = $milter
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 10s
milter_command_timeout = 30s
milter_content_timeout = 60s
milter_end_of_data_macros = i {auth_type} {auth_authen} {auth_author} {mail_addr} {mail_host} {mail_mailer}
# Tempfailed or deferred mail is retried quickly.
queue_run_delay = 2s
minimal_backoff_time = 1s
maximal_backoff_time = 4s
smtp_connect_timeout = 5s
# Everything logs to a file in the instance (no syslog needed).
# (maillog_file must lie under one of maillog_file_prefixes, default /var.)
maillog_file_prefixes = $E2E_TMP
maillog_file = $PF_CONF/maillog
# Keep the tests' messages and envelopes as sent.
smtputf8_enable = no
message_size_limit = 104857600
append_dot_mydomain = no
recipient_delimiter =
${PF_EXTRA:-}
EOF
	# No chroot (the queue dir is a temp dir without etc/ and lib/ copies).
	cat >"$PF_CONF/master.cf" <<EOF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup    unix  n - n 2 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
proxywrite unix - - n - 1 proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
}

# pf_start: starts the instance and waits for its SMTP port.
pf_start() {
	postfix -c "$PF_CONF" check >"$E2E_TMP/pf-check.log" 2>&1 ||
		e2e_fail "postfix check: $(tail -n 3 "$E2E_TMP/pf-check.log")"
	postfix -c "$PF_CONF" start >"$E2E_TMP/pf-start.log" 2>&1 ||
		e2e_fail "postfix start: $(tail -n 3 "$E2E_TMP/pf-start.log")"
	E2E_PF_STARTED="$E2E_PF_STARTED $PF_CONF"
	e2e_wait 20 e2e_port_open "$PF_PORT" || e2e_fail "postfix smtpd not listening on $PF_PORT"
}

pf_stop() {
	postfix -c "$PF_CONF" stop >/dev/null 2>&1 || true
}

# pf_wipe: stop the instance and remove its directories.
pf_wipe() {
	pf_stop
	rm -rf "$PF_CONF" "$PF_QUEUE" "$(postconf -c "$PF_CONF" -h data_directory 2>/dev/null)"
}

# pf_queue_count [QUEUE_NAME]: messages in the Postfix queue (all queues, or
# only QUEUE_NAME: hold, deferred, active, incoming, maildrop).
pf_queue_count() {
	postqueue -c "$PF_CONF" -j 2>/dev/null | python3 -c '
import json, sys
want = sys.argv[1] if len(sys.argv) > 1 else None
n = 0
for line in sys.stdin:
    line = line.strip()
    if line:
        q = json.loads(line)
        if want is None or q.get("queue_name") == want:
            n += 1
print(n)' ${1:+"$1"}
}

# pf_hold_ids: queue ids in the hold queue, one per line.
pf_hold_ids() {
	postqueue -c "$PF_CONF" -j 2>/dev/null | python3 -c '
import json, sys
for line in sys.stdin:
    if line.strip():
        q = json.loads(line)
        if q.get("queue_name") == "hold":
            print(q["queue_id"])'
}

# pf_held_with STRING: prints queue ids of held messages whose content has STRING.
pf_held_with() {
	local id
	for id in $(pf_hold_ids); do
		postcat -c "$PF_CONF" -q "$id" 2>/dev/null | grep -qF -- "$1" && echo "$id"
	done
	return 0
}

# pf_wait_hold N [SECONDS]: waits until the hold queue has at least N messages.
pf_wait_hold() {
	e2e_wait "${2:-30}" _pf_hold_has "$1"
}
_pf_hold_has() { [ "$(pf_queue_count hold)" -ge "$1" ]; }

# pf_wait_empty [SECONDS]: waits until nothing is queued except in hold.
pf_wait_settled() {
	e2e_wait "${1:-60}" _pf_settled
}
_pf_settled() {
	[ "$(pf_queue_count)" = "$(pf_queue_count hold)" ] &&
		[ -z "$(find "$PF_QUEUE/maildrop" -type f 2>/dev/null | head -n 1)" ]
}

pf_flush() { postqueue -c "$PF_CONF" -f >/dev/null 2>&1 || true; }

# --- sending ----------------------------------------------------------------

# send_smtp FILE FROM RCPT...: sends FILE (an RFC 5322 message, any line ends)
# by SMTP to the instance. Prints "CODE TEXT" of the final reply; returns 0
# for 2xx, 4 for 4xx, 5 for 5xx, 1 for a connection problem.
send_smtp() {
	local file=$1
	shift
	python3 "$E2E_DIR/send.py" --port "$PF_PORT" --file "$file" --from "$1" "${@:2}"
}

# send_local FILE FROM RCPT...: submits FILE with the instance's sendmail
# command (postdrop -> pickup -> cleanup -> non_smtpd_milters).
send_local() {
	local file=$1 from=$2
	shift 2
	sendmail -C "$PF_CONF" -f "$from" -- "$@" <"$file"
}

# --- the milter -------------------------------------------------------------

# em_write_config [KEY = VALUE; ...]: writes $EM_CONF (main config) with a
# releases dir and a quarantine dir under $E2E_TMP; extra main-config lines
# come from the arguments (keys not written here: libconfig refuses a
# duplicate). $EM_MODE sets mode (default enforce). Sets EM_CONF,
# EM_RELEASES, EM_QDIR.
em_write_config() {
	EM_DIR=$E2E_TMP/em
	EM_CONF=$EM_DIR/embargo-milter.conf
	EM_RELEASES=$EM_DIR/releases.d
	EM_QDIR=$EM_DIR/quarantine
	mkdir -p "$EM_RELEASES" "$EM_QDIR"
	{
		echo '# embargo-milter e2e config; generated by lib.sh'
		echo "mode = \"${EM_MODE:-enforce}\";"
		echo 'releases_dir = "releases.d";'
		echo 'markers = ( "OFFICIAL[-: ]?SENSITIVE", "PRE-RELEASE ACCESS", "EMBARGOED" );'
		echo 'always_allowed = ( "hop@cabinet.e2e.test" );'
		echo 'default_action = "quarantine";'
		echo "quarantine_dir = \"$EM_QDIR\";"
		echo 'on_error = "tempfail";'
		echo 'timezone = "Europe/London";'
		echo 'contact = "the Head of Profession office, hop@stats.e2e.test";'
		# the instance's own control socket, never the system's /run/embargo-milter
		echo 'control_socket = "control.sock";'
		local l
		for l in "$@"; do echo "$l"; done
	} >"$EM_CONF"
}

# em_time OFFSET_HOURS: prints now + OFFSET_HOURS as "YYYY-MM-DDTHH:MM:SSZ".
em_time() {
	date -u -d "@$(($(date +%s) + $1 * 3600))" +%Y-%m-%dT%H:%M:%SZ
}

# em_write_release NAME ID ACTION [EXTRA LINES...]: writes releases.d/NAME.conf
# for the test release: identifier "Widget Production Statistics", content
# pattern "widget output (fell|rose) by [0-9.]+ ?%", producer
# @stats.e2e.test, PRA list pra.minister@gov.e2e.test; published in 24 h,
# pre-release access from an hour ago. $EM_REL_IDENTIFIER and
# $EM_REL_CONTENT override the identifier and the content pattern.
em_write_release() {
	local name=$1 id=$2 action=$3 l
	shift 3
	{
		echo 'release = {'
		echo "  id = \"$id\";"
		echo '  title = "Widget Production Statistics, e2e test release";'
		echo "  publish_at = \"$(em_time 24)\";"
		echo "  pre_release_from = \"$(em_time -1)\";"
		echo "  identifiers = ( \"${EM_REL_IDENTIFIER:-Widget Production Statistics}\" );"
		echo "  content = ( \"${EM_REL_CONTENT:-widget output (fell|rose) by [0-9.]+ ?%}\" );"
		echo '  producers = ( "@stats.e2e.test" );'
		echo '  pre_release_access = ( "pra.minister@gov.e2e.test" );'
		echo "  action = \"$action\";"
		# the marker + identifier tests exercise each action's MTA side: weak
		# evidence (default weak_action confirm) gets the same action here
		echo "  weak_action = \"$action\";"
		for l in "$@"; do echo "  $l"; done
		echo '};'
	} >"$EM_RELEASES/$name.conf"
}

# em_start: starts $BUILD/embargo-milter in the foreground on a free port;
# sets EM_PORT, EM_PID, EM_SOCKET (Postfix syntax). Its stderr and stdout go
# to $E2E_TMP/milter.log. Does not wait (see em_wait_ready).
em_start() {
	[ -x "$BUILD/embargo-milter" ] || e2e_skip "$BUILD/embargo-milter not built"
	: "${EM_PORT:=$(e2e_free_port)}"
	EM_SOCKET="inet:127.0.0.1:$EM_PORT"
	"$BUILD/embargo-milter" -f -c "$EM_CONF" -p "inet:$EM_PORT@127.0.0.1" \
		>>"$E2E_TMP/milter.log" 2>&1 &
	EM_PID=$!
	E2E_PIDS+=("$EM_PID")
}

em_wait_ready() {
	e2e_wait "${1:-20}" _em_ready || e2e_fail "embargo-milter did not listen on $EM_PORT"
}
_em_ready() {
	kill -0 "$EM_PID" 2>/dev/null || e2e_fail "embargo-milter exited: $(tail -n 5 "$E2E_TMP/milter.log")"
	e2e_port_open "$EM_PORT"
}

# null_start: the do-nothing milter instead (harness self-test, bench).
null_start() {
	[ -x "$BUILD/null-milter" ] || e2e_fail "$BUILD/null-milter not built"
	: "${EM_PORT:=$(e2e_free_port)}"
	EM_SOCKET="inet:127.0.0.1:$EM_PORT"
	"$BUILD/null-milter" -p "inet:$EM_PORT@127.0.0.1" >>"$E2E_TMP/milter.log" 2>&1 &
	EM_PID=$!
	E2E_PIDS+=("$EM_PID")
}

# e2e_standard_setup ACTION [MAIN CONFIG LINES...]: the usual arrangement:
# sink, config with one release "widgets-e2e" (ACTION), milter, Postfix.
e2e_standard_setup() {
	local action=$1
	shift
	e2e_init
	sink_start
	em_write_config "$@"
	em_write_release widgets widgets-e2e "$action"
	EM_PORT=$(e2e_free_port)
	em_start
	em_wait_ready
	pf_setup "$EM_SOCKET"
	pf_start
}

# em_record_count: rows in the quarantine index (0 when there is none).
em_record_count() {
	[ -f "$EM_QDIR/index.sqlite" ] || { echo 0; return; }
	sqlite3 "$EM_QDIR/index.sqlite" "select count(*) from records" 2>/dev/null || echo 0
}

# em_eml_count: msg/*.eml files in the quarantine dir.
em_eml_count() {
	local n=0 f
	for f in "$EM_QDIR"/msg/*.eml; do [ -e "$f" ] && n=$((n + 1)); done
	echo "$n"
}

# --- messages ---------------------------------------------------------------

# msg_write FILE SUBJECT TO BODY_TEXT: writes a plain, well-formed message
# (CRLF line ends, Date and Message-ID present so Postfix adds nothing).
msg_write() {
	local file=$1 subject=$2 to=$3 body=$4
	python3 - "$file" "$subject" "$to" "$body" <<'EOF'
import sys, email.utils, uuid
f, subj, to, body = sys.argv[1:5]
hdr = [
    "Received: from desk.stats.e2e.test by mail.stats.e2e.test; Mon, 2 Jan 2023 09:00:00 +0000",
    "From: Analyst <analyst@stats.e2e.test>",
    "To: " + to,
    "Subject: " + subj,
    "Date: " + email.utils.formatdate(localtime=False),
    "Message-ID: <" + uuid.uuid4().hex + "@stats.e2e.test>",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=us-ascii",
    "Content-Transfer-Encoding: 7bit",
]
lines = hdr + [""] + body.split("\n")
open(f, "wb").write(("\r\n".join(lines) + "\r\n").encode())
EOF
}

# The phrases that make a message leak the test release.
LEAK_BODY='OFFICIAL-SENSITIVE

Dear colleague,

Please find the briefing on Widget Production Statistics ahead of publication.
Do not forward.
'
CLEAN_BODY='Hello,

Minutes of the allotment society meeting are attached below. The marrow
competition is on Saturday.
'

# --- checks -----------------------------------------------------------------

# hdr FILE NAME: the unfolded values of header NAME in FILE, one per line.
hdr() { python3 "$E2E_DIR/check.py" header "$1" "$2"; }

# same_as_sent SENT DELIVERED: body byte for byte and header set equal, apart
# from the relay's Received: and X-Embargo-Milter* fields (diffs on stderr).
same_as_sent() { python3 "$E2E_DIR/check.py" same "$1" "$2"; }

# pf_held_copy ID OUT: the held message (headers and body) into OUT.
pf_held_copy() { postcat -c "$PF_CONF" -h -b -q "$1" >"$2" 2>/dev/null; }

# expect_one_verdict FILE PREFIX: FILE has exactly one X-Embargo-Milter header
# and its value starts with PREFIX; prints the value. In a command
# substitution, follow it with "|| exit 1" (e2e_fail only ends the subshell).
expect_one_verdict() {
	local vals n
	vals=$(hdr "$1" X-Embargo-Milter)
	n=$(printf '%s' "$vals" | grep -c '')
	[ "$n" = 1 ] || e2e_fail "$(basename "$1"): expected one X-Embargo-Milter header, got $n: $vals"
	case "$vals" in
	"$2"*) ;;
	*) e2e_fail "$(basename "$1"): X-Embargo-Milter is '$vals', expected '$2...'" ;;
	esac
	printf '%s\n' "$vals"
}

# --- shared by the Postfix and the Sendmail cases ------------------------------

# e2e_forge_verdicts FILE: adds three forged X-Embargo-Milter fields to the
# message in FILE (CRLF): first, in the middle with a folded value, and last
# in odd case, each carrying FORGED-HDR-n.
e2e_forge_verdicts() {
	python3 - "$1" <<'PY'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
h, sep, b = d.partition(b"\r\n\r\n")
lines = h.split(b"\r\n")
lines.insert(0, b"X-Embargo-Milter: accept; FORGED-HDR-1")
lines.insert(4, b"X-Embargo-Milter: accept;\r\n\tFORGED-HDR-2")
lines.append(b"x-embargo-milter: accept; FORGED-HDR-3")
open(p, "wb").write(b"\r\n".join(lines) + sep + b)
PY
}

# e2e_allowed_mail SEND TAG: mail that may go, sent with the function SEND
# (send_smtp or send_sm: FILE FROM RCPT): the release content to a PRA
# recipient, to a colleague in the producer domain and to an always_allowed
# address, and unrelated 8-bit text (a leading dot, trailing blanks, a folded
# Subject) to an outsider. Each must arrive once, for exactly its recipient,
# body byte for byte and header set as sent apart from the relay's Received:,
# with one "X-Embargo-Milter: accept". Fails the test otherwise.
e2e_allowed_mail() {
	local send=$1 tag=$2 i=0 rcpt out got v body
	for rcpt in pra.minister@gov.e2e.test colleague@stats.e2e.test hop@cabinet.e2e.test; do
		i=$((i + 1))
		msg_write "$E2E_TMP/ok$i.eml" "briefing allowed-tag-$tag$i" "$rcpt" "$LEAK_BODY"
		out=$("$send" "$E2E_TMP/ok$i.eml" analyst@stats.e2e.test "$rcpt") || e2e_fail "send to $rcpt: $out"
	done
	body=$(printf 'Hello,\n.a line starting with a dot\ntrailing blanks   \n\tindented\nCaf\xc3\xa9 \xe2\x82\xac12 \xe2\x80\x94 unrelated-tag-%s\n' "$tag")
	msg_write "$E2E_TMP/ok4.eml" "allotments, with a very long subject line that the sender folded over two lines because it is long" \
		"outsider@out.e2e.test" "$body"
	# fold the Subject and declare 8bit, as a real client would
	python3 - "$E2E_TMP/ok4.eml" <<'PY'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
d = d.replace(b"that the sender folded", b"that the sender\r\n folded")
d = d.replace(b"Content-Transfer-Encoding: 7bit", b"Content-Transfer-Encoding: 8bit")
d = d.replace(b"charset=us-ascii", b"charset=utf-8")
open(p, "wb").write(d)
PY
	out=$("$send" "$E2E_TMP/ok4.eml" analyst@stats.e2e.test outsider@out.e2e.test) || e2e_fail "send unrelated: $out"
	sink_wait_count 4 30 || e2e_fail "only $(sink_count) of 4 messages delivered"
	i=0
	for rcpt in pra.minister@gov.e2e.test colleague@stats.e2e.test hop@cabinet.e2e.test outsider@out.e2e.test; do
		i=$((i + 1))
		got=$(sink_files_for "$rcpt")
		[ "$(printf '%s\n' "$got" | grep -c .)" = 1 ] || e2e_fail "$rcpt: expected one delivery, got: $got"
		same_as_sent "$E2E_TMP/ok$i.eml" "$got" || e2e_fail "$rcpt: delivered copy differs from what was sent"
		v=$(expect_one_verdict "$got" "accept") || exit 1
		e2e_log "$rcpt: X-Embargo-Milter: $v"
	done
}

# review_relay_start: a relay with the review console: the sink, the milter
# with release widgets-e2e (quarantine), Postfix, and embargo-review on a free
# port (RV_PORT) signing users in by the trusted proxy's X-Remote-User header,
# reviewer group root, request log $E2E_TMP/review.log. Exports
# EMBARGO_POSTFIX_CONFIG for the root job.
review_relay_start() {
	sink_start
	RV_PORT=$(e2e_free_port)
	em_write_config "review = { listen = \"127.0.0.1:$RV_PORT\"; trusted_proxies = [ \"127.0.0.1\" ];" \
		"  user_header = \"X-Remote-User\"; reviewer_group = \"root\"; request_log = \"$E2E_TMP/review.log\"; };"
	em_write_release widgets widgets-e2e quarantine
	EM_PORT=$(e2e_free_port)
	em_start
	em_wait_ready
	pf_setup "$EM_SOCKET"
	pf_start
	export EMBARGO_POSTFIX_CONFIG=$PF_CONF
	"$BUILD/embargo-review" -c "$EM_CONF" >>"$E2E_TMP/review.err" 2>&1 &
	E2E_PIDS+=("$!")
	e2e_wait 20 e2e_port_open "$RV_PORT" ||
		e2e_fail "embargo-review did not listen: $(cat "$E2E_TMP/review.err")"
}
