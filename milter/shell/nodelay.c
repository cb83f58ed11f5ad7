/*
 * nodelay - TCP_NODELAY on libmilter's listening socket (see daemon.h). A file of its own,
 * with no other dependency, so that the benchmark's null milter
 * (tests/bench/null-milter.c) is built with the very same code and the
 * protocol floor it measures is not slowed by Nagle where ours is not.
 */
#define _GNU_SOURCE
#include "daemon.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

void em_daemon_listener_nodelay(void)
{
	for (int fd = 3; fd < 1024; fd++) {
		int listening = 0, type = 0, one = 1;
		socklen_t len = sizeof(listening);
		struct sockaddr_storage ss;
		socklen_t sslen = sizeof(ss);

		if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening)
			continue;
		len = sizeof(type);
		if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) != 0 || type != SOCK_STREAM)
			continue;
		if (getsockname(fd, (struct sockaddr *)&ss, &sslen) != 0 ||
		    (ss.ss_family != AF_INET && ss.ss_family != AF_INET6))
			continue;
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	}
}
