// Package nonet starts child processes without a network: each in a network namespace of its
// own, whose only interface is a loopback that is down, so that a program fed untrusted bytes
// (LibreOffice converting an upload) can reach no address, inside the office's network or
// out, whatever the bytes ask of it.
//
// A process that is not root needs a user namespace for that (Linux's unprivileged user
// namespaces); where they are refused (a kernel setting, seccomp, systemd's
// RestrictNamespaces=), Available reports false and Isolate leaves commands as they are.
package nonet

import (
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
	apply(cmd.SysProcAttr)
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
		cmd := exec.Command(path)
		// Not this process's environment, which holds its secrets (a token's PIN, database
		// and SMTP passwords): the probe needs none.
		cmd.Env = []string{}
		cmd.SysProcAttr = &syscall.SysProcAttr{}
		apply(cmd.SysProcAttr)
		available = cmd.Run() == nil
	})
	return available
}

var (
	probe     sync.Once
	available bool
)
