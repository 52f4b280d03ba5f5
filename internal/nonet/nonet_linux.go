package nonet

import (
	"os"
	"syscall"
)

const supported = true

// apply asks for a new network namespace, in a new user namespace (withUser) in which the
// child keeps this process's user and group IDs. The user namespace matters for root too: a
// child of root's in a network namespace alone keeps root's capabilities over the server's
// namespaces, and joins the server's network again with one setns(2) on /proc/PID/ns/net.
func apply(a *syscall.SysProcAttr, withUser bool) {
	a.Cloneflags |= syscall.CLONE_NEWNET
	if !withUser {
		return
	}
	a.Cloneflags |= syscall.CLONE_NEWUSER
	a.UidMappings = []syscall.SysProcIDMap{{ContainerID: os.Geteuid(), HostID: os.Geteuid(), Size: 1}}
	a.GidMappings = []syscall.SysProcIDMap{{ContainerID: os.Getegid(), HostID: os.Getegid(), Size: 1}}
	a.GidMappingsEnableSetgroups = false
}
