//go:build !unix

package verify

import (
	"io"
	"io/fs"
	"os"
)

// readChunks reads the file name to its end through buf, passing each chunk read to f. It
// refuses a device, which may never end.
func readChunks(name string, buf []byte, f func([]byte)) error {
	file, err := os.Open(name)
	if err != nil {
		return err
	}
	defer file.Close()
	if fi, err := file.Stat(); err == nil && fi.Mode()&fs.ModeDevice != 0 {
		return &fs.PathError{Op: "open", Path: name, Err: errDevice}
	}
	for {
		n, err := file.Read(buf)
		f(buf[:n])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readUpTo reads the file name to its end, or to limit bytes, into buf, grown as needed, and
// returns what it read. With onlyFile, name must be a regular file (or a link to one).
func readUpTo(name string, buf []byte, limit int, onlyFile bool) ([]byte, error) {
	file, err := os.Open(name)
	if err != nil {
		return buf[:0], err
	}
	defer file.Close()
	if onlyFile {
		if fi, err := file.Stat(); err != nil || !fi.Mode().IsRegular() {
			kind := kindOther
			switch {
			case err != nil:
			case fi.IsDir():
				kind = kindDirectory
			case fi.Mode()&fs.ModeNamedPipe != 0:
				kind = kindPipe
			case fi.Mode()&fs.ModeDevice != 0:
				kind = kindDevice
			}
			return buf[:0], &fs.PathError{Op: "open", Path: name, Err: notFileError{kind}}
		}
	}
	n := 0
	for n < limit {
		if n == len(buf) {
			buf = append(buf[:n], make([]byte, min(len(buf), limit-n))...)
			buf = buf[:cap(buf)]
		}
		m, err := file.Read(buf[n:min(len(buf), limit)])
		n += m
		if err == io.EOF {
			break
		}
		if err != nil {
			return buf[:0], err
		}
	}
	return buf[:n], nil
}

// linkLoop reports whether err is the failure to open a name that is a loop of links; not
// told apart here.
func linkLoop(error) bool { return false }

// noDevice reports whether err is the failure to open a name that is a socket, or a device
// with nothing behind it; not told apart here.
func noDevice(error) bool { return false }

// notDir reports whether err is the failure to open a name that is a link whose path goes
// through a file as if it were a folder; not told apart here.
func notDir(error) bool { return false }
