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
package nonet

import (
	"os"
	"os/exec"
	"sync"
	"syscall"
)

// Isolate makes cmd start in a network namespace of its own when Available, and reports
// whether it does. It sets cmd.SysProcAttr's namespace fields, keeping the others.
func Isolate(cmd *exec.Cmd) bool {
	if !Available() {
		return false
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	apply(cmd.SysProcAttr, withUser)
	return true
}

// Available reports whether this process can start children without a network. It is found
// out once, by starting the system's true(1) so. Only Linux has network namespaces.
func Available() bool {
	probe.Do(func() {
		if !supported {
			return
		}
		path, err := exec.LookPath("true")
		if err != nil {
			return
		}
		run := func(withUser bool) bool {
			cmd := exec.Command(path)
			// Not this process's environment, which holds its secrets (a token's PIN,
			// database and SMTP passwords): the probe needs none.
			cmd.Env = []string{}
			cmd.SysProcAttr = &syscall.SysProcAttr{}
			apply(cmd.SysProcAttr, withUser)
			return cmd.Run() == nil
		}
		withUser = true
		available = run(true)
		if !available && os.Geteuid() == 0 {
			withUser = false
			available = run(false)
		}
	})
	return available
}

var (
	probe     sync.Once
	available bool
	withUser  bool // children get a user namespace too
)
