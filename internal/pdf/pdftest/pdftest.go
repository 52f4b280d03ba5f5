// Package pdftest writes PDF files by hand for tests: hostile ones (bombs, odd structures)
// and ones with layers no PDF library writes on purpose (invisible text over pictures).
package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
)

// Build returns a PDF of the given objects, numbered from 1, the first the catalogue, with
// a classic cross-reference table. An object with a stream holds it whole:
// "<< /Length 5 >>\nstream\nhello\nendstream" (see Stream).
func Build(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// Stream returns a stream object: dict (which states the stream's /Length and filters) and
// the stream's bytes.
func Stream(dict string, data []byte) string {
	return dict + "\nstream\n" + string(data) + "\nendstream"
}

// Deflate returns b zlib-compressed, as a /FlateDecode stream holds it.
func Deflate(b []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(b)
	w.Close()
	return z.Bytes()
}
