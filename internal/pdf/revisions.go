package pdf

import (
	"bytes"
	"slices"
)

// maxRevisions bounds how many earlier revisions RevisionEnds returns.
const maxRevisions = 16

// RevisionEnds returns where the earlier revisions of a PDF file end, in ascending order, at
// most 16 (the latest): each is the file's bytes up to one of its end-of-file markers before
// the last ("%%EOF" with its end of line, as a writer leaves it, and without it); none for a
// file of one revision, or that is not a PDF. An incremental update appends to a file without changing its bytes: a draft
// copy whose marks an update made invisible still holds the copy, byte for byte, up to its
// own marker, and a verifier that knows the copy's digest can tell it.
func RevisionEnds(data []byte) []int {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil
	}
	// The last marker ends the file as it is: the revisions before it are earlier ones.
	last := bytes.LastIndex(data, []byte("%%EOF"))
	if last < 0 {
		return nil
	}
	var out []int
	seen := map[int]bool{}
	add := func(end int) {
		if !seen[end] && len(out) < maxRevisions {
			seen[end] = true
			out = append(out, end)
		}
	}
	for end := last; len(out) < maxRevisions; {
		i := bytes.LastIndex(data[:end], []byte("%%EOF"))
		if i < 0 {
			break
		}
		after := i + len("%%EOF")
		switch {
		case bytes.HasPrefix(data[after:], []byte("\r\n")):
			add(after + 2)
		case bytes.HasPrefix(data[after:], []byte("\n")), bytes.HasPrefix(data[after:], []byte("\r")):
			add(after + 1)
		}
		add(after)
		end = i
	}
	slices.Sort(out)
	return out
}
