//go:build !linux

package cli

import "io"

// writesToJournal reports whether w is the systemd journal's stream: never, without systemd.
func writesToJournal(io.Writer) bool { return false }
