package pdf

import "bytes"

// maxRevisions bounds how many earlier revisions RevisionEnds returns.
const maxRevisions = 16

// RevisionEnds returns where the earlier revisions of a PDF file end, in ascending order, at
// most 16 (the earliest): each is the file's bytes up to one of its end-of-file markers before
// the last ("%%EOF" with its end of line, as a writer leaves it, and without it); none for a
// file of one revision, or that is not a PDF. An incremental update appends to a file without
// changing its bytes: a draft copy whose marks an update made invisible still holds the copy,
// byte for byte, up to its own marker, which is the file's first (a copy Chancery writes has
// one), so that markers appended after it, however many, cannot push it out of the 16.
func RevisionEnds(data []byte) []int {
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return nil
	}
	// The last marker ends the file as it is: the revisions before it are earlier ones.
	last := bytes.LastIndex(data, []byte("%%EOF"))
	var out []int
	for at := 0; at < last && len(out) < maxRevisions; {
		i := bytes.Index(data[at:last], []byte("%%EOF"))
		if i < 0 {
			break
		}
		after := at + i + len("%%EOF")
		out = append(out, after)
		switch {
		case bytes.HasPrefix(data[after:], []byte("\r\n")):
			out = append(out, after+2)
		case bytes.HasPrefix(data[after:], []byte("\n")), bytes.HasPrefix(data[after:], []byte("\r")):
			out = append(out, after+1)
		}
		at = after
	}
	if len(out) > maxRevisions {
		out = out[:maxRevisions]
	}
	return out
}
