package pdf

import (
	"bytes"
	"slices"
	"testing"
)

// TestRevisionEnds: each end-of-file marker ends an earlier revision, with and without its end
// of line; the last marker ends the file itself, and a file that is not a PDF has none.
func TestRevisionEnds(t *testing.T) {
	first := []byte("%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
	update := []byte("2 0 obj\n<<>>\nendobj\ntrailer\n<</Prev 0>>\n%%EOF\r\n")
	file := append(append([]byte{}, first...), update...)
	if got, want := RevisionEnds(file), []int{len(first) - 1, len(first)}; !slices.Equal(got, want) {
		t.Errorf("ends %v, want %v", got, want)
	}
	if r := RevisionEnds(first); r != nil {
		t.Errorf("a file of one revision: %v", r)
	}
	if r := RevisionEnds([]byte("not a PDF %%EOF\n")); r != nil {
		t.Errorf("a file that is not a PDF: %v", r)
	}
	many := append([]byte{}, first...)
	for range 40 {
		many = append(many, update...)
	}
	got := RevisionEnds(many)
	if len(got) != maxRevisions || got[0] != len(first)-1 || got[1] != len(first) {
		t.Errorf("%d revisions of a file of 41 ending at %v, want the earliest %d", len(got), got, maxRevisions)
	}
}

// FuzzRevisionEnds: whatever an upload holds, the ends are ascending, at most the bound,
// short of the last marker, and each ends just after an end-of-file marker or its end of line.
func FuzzRevisionEnds(f *testing.F) {
	f.Add([]byte("%PDF-1.7\n%%EOF\n%%EOF\r\n"))
	f.Add([]byte("%PDF-%%EOF\r%%EOF"))
	f.Add([]byte("%%EOF\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ends := RevisionEnds(data)
		if len(ends) > maxRevisions || !slices.IsSorted(ends) || len(slices.Compact(slices.Clone(ends))) != len(ends) {
			t.Fatalf("ends %v", ends)
		}
		last := bytes.LastIndex(data, []byte("%%EOF"))
		for _, e := range ends {
			if e > last || !bytes.HasSuffix(data[:e], []byte("%%EOF")) && !bytes.HasSuffix(data[:e], []byte("%%EOF\n")) &&
				!bytes.HasSuffix(data[:e], []byte("%%EOF\r")) && !bytes.HasSuffix(data[:e], []byte("%%EOF\r\n")) {
				t.Fatalf("end %d of %q", e, data)
			}
		}
	})
}
