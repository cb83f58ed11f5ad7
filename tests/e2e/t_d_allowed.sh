#!/bin/bash
# t_d_allowed: mail that may go is delivered unchanged apart from our verdict
# header: the release content to a PRA recipient, to a colleague in the
# producer domain, to an always_allowed address, and unrelated mail (8-bit
# text, a leading dot, long folded header) to an outsider. Each arrives once,
# for exactly its recipient, body byte for byte and header set equal to what
# was sent (minus the relay's Received:), with one "X-Embargo-Milter: accept".
. "$(dirname "$0")/lib.sh"
e2e_standard_setup quarantine

e2e_allowed_mail send_smtp d
[ "$(pf_queue_count hold)" = 0 ] || e2e_fail "something was held"
exit 0
