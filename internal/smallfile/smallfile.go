// Package smallfile reads small files that something else may have replaced: a data
// directory's settings and keys, an office CA's certificates, a witness's key.
package smallfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

var (
	// ErrNotRegular is wrapped by Read's refusal of anything but a regular file.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge is wrapped by Read's refusal of a file over its bound.
	ErrTooLarge = errors.New("larger than its bound")
)

// Read reads the file name, refusing anything but a regular file (links followed) of at most
// max bytes without reading further: one replaced by a link to a large file or to /dev/zero
// would be held whole in memory before it was refused, and a FIFO would keep the reader
// waiting for ever. A missing file's error wraps fs.ErrNotExist.
func Read(name string, max int64) ([]byte, error) {
	// O_NONBLOCK: opening a FIFO for reading waits for a writer, before Stat can refuse it.
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %w (%v)", name, ErrNotRegular, fi.Mode().Type())
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes: %w", name, max, ErrTooLarge)
	}
	return b, nil
}

// ReadableError is CheckPrivate's refusal of a secret file that its group or others can read.
type ReadableError struct {
	What string      // what the file is: "log key", "office key"
	Path string      // the file
	Mode fs.FileMode // its permission bits
}

func (e *ReadableError) Error() string {
	return fmt.Sprintf("%s %s is readable by others (mode %v): chmod 600 it", e.What, e.Path, e.Mode)
}

// CheckPrivate refuses the secret file name (what names it) that its group or others can
// read, with a *ReadableError; a missing file is for the reader to report.
func CheckPrivate(what, name string) error {
	if fi, err := os.Stat(name); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return &ReadableError{What: what, Path: name, Mode: fi.Mode().Perm()}
	}
	return nil
}
