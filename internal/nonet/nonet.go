// Package nonet starts child processes without a network: each in a network namespace of its
// own, whose only interface is a loopback that is down, so that a program fed untrusted bytes
// (LibreOffice converting an upload) can reach no address, inside the office's network or
// out, whatever the bytes ask of it.
//
// The child also starts in a user namespace of its own (Linux's unprivileged user namespaces),
// which a process that is not root needs for a network namespace, and which keeps a child of
// root's from joining the server's network again. Where user namespaces are refused (a kernel
// setting, seccomp, systemd's RestrictNamespaces=), Available reports false and Isolate leaves
// commands as they are; but for root, whose children then get a network namespace alone: that
// stops what a program does of itself, not code of an attacker's, which can leave it.
//
// A network namespace still lets the child reach Unix sockets in the file system (a local
// resolver's, PostgreSQL's, D-Bus's): the child also starts under a seccomp filter that
// refuses it new ones, and namespaces of its own, in which it would be a namespace's root
// (seccomp_linux.go). Where the filter cannot be installed, Available reports false, and
// Isolate gives the child its namespaces alone.
package nonet

import (
	"os"
	"os/exec"
	"sync"
	"syscall"
)

// Isolate makes cmd start in a network namespace of its own, under the filter that refuses
// it Unix sockets, and reports whether it does (Available). It sets cmd.SysProcAttr's
// namespace fields, keeping the others, and, for the filter, makes cmd start this program
// again (cmd.Path /proc/self/exe), which then executes cmd's program with cmd's arguments.
// Where the filter cannot be installed, cmd still gets the namespaces if they are available,
// and Isolate reports false.
func Isolate(cmd *exec.Cmd) bool {
	available := Available()
	if !namespaced {
		return false
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	apply(cmd.SysProcAttr, withUser)
	if available {
		wrap(cmd)
	}
	return available
}

// Available reports whether this process can start children without a network, Unix sockets
// included. It is found out once, by starting the system's true(1) so. Only Linux has network
// namespaces.
func Available() bool {
	probe.Do(func() {
		available, namespaced = false, false
		if !supported {
			return
		}
		path, err := exec.LookPath("true")
		if err != nil {
			return
		}
		run := func(withUser, filter bool) bool {
			cmd := exec.Command(path)
			// Not this process's environment, which holds its secrets (a token's PIN,
			// database and SMTP passwords): the probe needs none.
			cmd.Env = []string{}
			cmd.SysProcAttr = &syscall.SysProcAttr{}
			apply(cmd.SysProcAttr, withUser)
			if filter {
				wrap(cmd)
			}
			return cmd.Run() == nil
		}
		withUser = true
		namespaced = run(true, false)
		if !namespaced && os.Geteuid() == 0 {
			withUser = false
			namespaced = run(false, false)
		}
		available = namespaced && run(withUser, true)
	})
	return available
}

var (
	probe      sync.Once
	available  bool // children get the namespaces and the filter
	namespaced bool // children get the namespaces
	withUser   bool // children get a user namespace too
)
