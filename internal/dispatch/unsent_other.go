//go:build !linux

package dispatch

import "net"

// limitUnsent leaves the connection's buffer as it is: the option that bounds its unsent data
// is set on Linux only (unsent_linux.go).
func limitUnsent(net.Conn) {}
