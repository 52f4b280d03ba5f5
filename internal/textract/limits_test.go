package textract

import (
	"archive/zip"
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// docxBomb returns a small Word document whose word/document.xml is open, then n times
// repeat, then close: a few kilobytes that decompress to megabytes of elements.
func docxBomb(t testing.TB, open, repeat, close string, n int) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + open))
	chunk := []byte(strings.Repeat(repeat, min(4096, n)))
	for i := 0; i < n; i += 4096 {
		w.Write(chunk[:min(4096, n-i)*len(repeat)])
	}
	w.Write([]byte(close + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// docxBombs are issue 12 item 2's DOCX: ten million nested elements (a 30 KB file took 7.7 s
// and 1.2 GB), and the same number side by side.
func docxBombs(t testing.TB, n int) map[string][]byte {
	return map[string][]byte{
		"nested": docxBomb(t, "", "<w:p>", "", n),
		"flat":   docxBomb(t, "<w:p>", "<w:r/>", "</w:p>", n),
	}
}

func TestDOCXBombs(t *testing.T) {
	for name, data := range docxBombs(t, 10_000_000) {
		t.Logf("%s: %d bytes", name, len(data))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := Text(DOCXType, data)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooComplex) || s != "" {
			t.Errorf("%s: %d bytes of text, %v; want ErrTooComplex", name, len(s), err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s: extracting allocated %d MiB", name, grew>>20)
		} else {
			t.Logf("%s: allocated %d KiB", name, grew>>10)
		}
	}
}

// TestDOCXWithinBounds: a long document with nested tables is still read.
func TestDOCXWithinBounds(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 20; i++ {
		b.WriteString("<w:tbl><w:tr><w:tc>")
	}
	b.WriteString("<w:p><w:r><w:t>deep cell</w:t></w:r></w:p>")
	for i := 0; i < 20; i++ {
		b.WriteString("</w:tc></w:tr></w:tbl>")
	}
	for i := 0; i < 20000; i++ {
		b.WriteString("<w:p><w:r><w:t>line</w:t></w:r></w:p>")
	}
	s, err := Text(DOCXType, docx(t, b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "deep cell\n") || strings.Count(s, "line\n") != 20000 {
		t.Errorf("text: %.80q… (%d bytes)", s, len(s))
	}
}

// attributeBombs are documents of some 10 KB whose one tag holds a million attributes, in
// plain and in namespace-declaring form (which the XML decoder also keeps on its stack), and
// whose nested tags each declare many namespaces (audit, twenty-eighth session). The decoder
// parses a whole tag into memory before returning it: before the fix, an ODT of 44 KB whose tag
// held six million took 1.5 GB of allocation and 15 s, past any count of elements and the time budget, both checked only
// between tags.
func attributeBombs(t testing.TB) map[string][]byte {
	return map[string][]byte{
		"docx attributes":         docxBomb(t, "<w:p ", `a="" `, "/>", 1_000_000),
		"docx namespaced":         docxBomb(t, "<w:p ", `w:a="" `, "/>", 1_000_000),
		"docx nested namespaces":  docxBomb(t, "", `<w:p `+strings.Repeat(`xmlns:a="b" `, 50_000)+`>`, "", 40),
		"odt attributes":          odtBomb(t, "<text:p ", `a="" `, "/>", 1_000_000),
		"odt namespace attribute": odtBomb(t, "<text:p ", `xmlns:a="" `, "/>", 1_000_000),
	}
}

func TestAttributeBombsRefused(t *testing.T) {
	for name, data := range attributeBombs(t) {
		mt := DOCXType
		if strings.HasPrefix(name, "odt") {
			mt = ODTType
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := Text(mt, data)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooComplex) || s != "" {
			t.Errorf("%s (%d bytes): %d bytes of text, %v; want ErrTooComplex", name, len(data), len(s), err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s (%d bytes): extracting allocated %d MiB", name, len(data), grew>>20)
		}
	}
}
