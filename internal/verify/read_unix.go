//go:build unix

package verify

import (
	"errors"
	"io/fs"
	"syscall"
)

// Files are read here with plain system calls. os.Open would make each file pollable: on
// Linux it sets the descriptor non-blocking, tries to add it to the epoll set (which refuses
// regular files) and sets it blocking again, and the profile of a folder showed those calls
// and the extra stat of os.ReadFile costing more than the reading itself. Errors are wrapped
// as os.File wraps them ("open NAME: …", "read NAME: …"), so that messages stay the same.

// openRead opens name for reading.
func openRead(name string) (int, error) {
	return openFlags(name, syscall.O_RDONLY|syscall.O_CLOEXEC)
}

// openFlags opens name with flags, retrying an interrupted open.
func openFlags(name string, flags int) (int, error) {
	for {
		fd, err := syscall.Open(name, flags, 0)
		if err == nil {
			return fd, nil
		}
		if err != syscall.EINTR {
			return -1, &fs.PathError{Op: "open", Path: name, Err: err}
		}
	}
}

// openFile opens name for reading if it is a regular file. It is opened non-blocking, so
// that a named pipe without a writer, which a blocking open waits on for ever, is refused
// rather than waited on; a regular file reads the same either way.
func openFile(name string) (int, error) {
	fd, err := openFlags(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK)
	if err != nil {
		return -1, err
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return -1, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if m := st.Mode & syscall.S_IFMT; m != syscall.S_IFREG {
		syscall.Close(fd)
		kind := kindOther
		switch m {
		case syscall.S_IFDIR:
			kind = kindDirectory
		case syscall.S_IFIFO:
			kind = kindPipe
		case syscall.S_IFCHR, syscall.S_IFBLK:
			kind = kindDevice
		}
		return -1, &fs.PathError{Op: "open", Path: name, Err: notFileError{kind}}
	}
	return fd, nil
}

// readFD reads into p, retrying an interrupted read.
func readFD(fd int, name string, p []byte) (int, error) {
	for {
		n, err := syscall.Read(fd, p)
		if err == nil {
			return n, nil
		}
		if err != syscall.EINTR {
			return 0, &fs.PathError{Op: "read", Path: name, Err: err}
		}
	}
}

// errEmptyPipe: a letter is a named pipe from which nothing came, as one without a writer.
var errEmptyPipe = errors.New("a named pipe that nothing was written to")

// openLetter opens a letter to hash it, and reports whether it is a named pipe. A pipe is
// opened without waiting for a writer, then read as usual: one a shell's <(…) made has its
// writer and is read to its end, one without (an archive of leaked files can hold one, which
// a shell's glob names) reads as empty at once rather than keeping verify in open(2) for
// ever. A device is refused: a link to /dev/zero named by the same glob was read for ever.
func openLetter(name string) (int, bool, error) {
	fd, err := openFlags(name, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK)
	if err != nil {
		return -1, false, err
	}
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		syscall.Close(fd)
		return -1, false, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	m := st.Mode & syscall.S_IFMT
	if m == syscall.S_IFCHR || m == syscall.S_IFBLK {
		syscall.Close(fd)
		return -1, false, &fs.PathError{Op: "open", Path: name, Err: errDevice}
	}
	// A regular file reads the same either way; anything else is read as blocking.
	if m != syscall.S_IFREG {
		if err := syscall.SetNonblock(fd, false); err != nil {
			syscall.Close(fd)
			return -1, false, &fs.PathError{Op: "open", Path: name, Err: err}
		}
	}
	return fd, m == syscall.S_IFIFO, nil
}

// readChunks reads the file name to its end through buf, passing each chunk read to f. It
// refuses a device, and a named pipe from which nothing came (see openLetter): whoever reads
// it again, as the registry's identification of an unknown file's text does, would wait for
// a writer for ever.
func readChunks(name string, buf []byte, f func([]byte)) error {
	fd, pipe, err := openLetter(name)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	for read := false; ; read = true {
		n, err := readFD(fd, name, buf)
		if err != nil {
			return err
		}
		if n == 0 {
			if pipe && !read {
				return &fs.PathError{Op: "read", Path: name, Err: errEmptyPipe}
			}
			return nil
		}
		f(buf[:n])
	}
}

// readUpTo reads the file name to its end, or to limit bytes, into buf, grown as needed, and
// returns what it read. With onlyFile, name must be a regular file (or a link to one).
func readUpTo(name string, buf []byte, limit int, onlyFile bool) ([]byte, error) {
	open := openRead
	if onlyFile {
		open = openFile
	}
	fd, err := open(name)
	if err != nil {
		return buf[:0], err
	}
	defer syscall.Close(fd)
	n := 0
	for n < limit {
		if n == len(buf) {
			buf = append(buf[:n], make([]byte, min(len(buf), limit-n))...)
			buf = buf[:cap(buf)]
		}
		m, err := readFD(fd, name, buf[n:min(len(buf), limit)])
		if err != nil {
			return buf[:0], err
		}
		if m == 0 {
			break
		}
		n += m
	}
	return buf[:n], nil
}

// linkLoop reports whether err is the failure to open a name that is a loop of links.
func linkLoop(err error) bool { return errors.Is(err, syscall.ELOOP) }

// noDevice reports whether err is the failure to open a name that is a socket, or a device
// with nothing behind it (ENXIO).
func noDevice(err error) bool { return errors.Is(err, syscall.ENXIO) }

// notDir reports whether err is the failure to open a name that is a link whose path goes
// through a file as if it were a folder (ENOTDIR).
func notDir(err error) bool { return errors.Is(err, syscall.ENOTDIR) }
