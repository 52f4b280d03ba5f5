//go:build !linux

package nonet

import (
	"os/exec"
	"syscall"
)

const supported = false

// apply is never called where there are no network namespaces.
func apply(*syscall.SysProcAttr, bool) {}

// wrap is never called where there are no network namespaces.
func wrap(*exec.Cmd) {}
