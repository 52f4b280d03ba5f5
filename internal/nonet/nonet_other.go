//go:build !linux

package nonet

import "syscall"

const supported = false

// apply is never called where there are no network namespaces.
func apply(*syscall.SysProcAttr, bool) {}
