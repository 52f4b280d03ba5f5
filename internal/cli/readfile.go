package cli

import (
	"fmt"
	"io"
	"os"
)

// readLimited reads the file name, refusing one of more than limit bytes without reading
// further: the files the commands read (trust roots, seals, keys, records) are small, and a
// large file, or /dev/zero, named by mistake or by a variable someone else set, would
// otherwise be held whole in memory before it is refused.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
	}
	return b, nil
}
