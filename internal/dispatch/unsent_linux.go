package dispatch

import (
	"net"
	"syscall"
)

// tcpNotSentLowat is Linux's TCP_NOTSENT_LOWAT (linux/tcp.h), which package syscall does not
// define on every architecture.
const tcpNotSentLowat = 25

// limitUnsent keeps what conn's kernel buffer holds unsent under maxUnsent, so that a write
// returns as its data leaves, not as soon as the buffer (megabytes, grown on a fast local
// network) takes it: boundedConn moves its deadline by the writes, and with the whole message
// in the buffer the wait for the answer would include the time to send it. A kernel without
// the option leaves the buffer as it was.
func limitUnsent(conn net.Conn) {
	tc, ok := conn.(*net.TCPConn)
	if !ok {
		return
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, tcpNotSentLowat, maxUnsent)
	})
}
