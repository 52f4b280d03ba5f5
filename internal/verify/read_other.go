//go:build !unix

package verify

import (
	"io"
	"os"
)

// readChunks reads the file name to its end through buf, passing each chunk read to f.
func readChunks(name string, buf []byte, f func([]byte)) error {
	file, err := os.Open(name)
	if err != nil {
		return err
	}
	defer file.Close()
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
// returns what it read.
func readUpTo(name string, buf []byte, limit int) ([]byte, error) {
	file, err := os.Open(name)
	if err != nil {
		return buf[:0], err
	}
	defer file.Close()
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
