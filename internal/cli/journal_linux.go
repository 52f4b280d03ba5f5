package cli

import (
	"fmt"
	"io"
	"os"
	"syscall"
)

// writesToJournal reports whether w is the systemd journal's stream: systemd sets
// JOURNAL_STREAM to the device and inode of the stream it connects a service's standard
// output and error to, and a process compares them with its own (systemd.exec(5)), since
// children inherit the variable with other streams.
func writesToJournal(w io.Writer) bool {
	js := os.Getenv("JOURNAL_STREAM")
	f, ok := w.(*os.File)
	if js == "" || !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && js == fmt.Sprintf("%d:%d", st.Dev, st.Ino)
}
