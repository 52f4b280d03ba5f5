package textract

import (
	"archive/zip"
	"bytes"
	"errors"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
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

// TestManyEntriesAndReferencesBounded: every part of a Word document was found by reading the
// archive's directory through, for each reference to it, so that a file of 100,000 empty
// entries whose sections refer 30,000 times to a header that is not there (a 12 MB upload,
// through the public identify API) took a minute of CPU, past any time budget, which that loop
// did not check. Parts are found by name at once.
func TestManyEntriesAndReferencesBounded(t *testing.T) {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	entries := [][2]string{
		{"_rels/.rels", packageRels(rel+"officeDocument", "word/document.xml")},
		{"word/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `header" Target="missing.xml"/></Relationships>`},
		{"word/document.xml", wordPart("document", `<w:body><w:p/><w:sectPr>`+strings.Repeat(`<w:headerReference w:type="default" r:id="rId1"/>`, 30_000)+`</w:sectPr></w:body>`)},
	}
	for i := range 100_000 {
		entries = append(entries, [2]string{strconv.Itoa(i), ""})
	}
	data := zipEntries(t, entries...)
	start := time.Now()
	if _, err := Text(DOCXType, data); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("reading a document of %d bytes took %s", len(data), took)
	}
}

// TestStylesAndNumberingCounted: a Word document's styles and numbering parts were decoded
// whole, up to 4 MB each, outside the bounds on elements and the time budget: 4 MB of empty
// elements in each (some 16 KB compressed) took about 200 MB of allocations and a second. Their
// elements are counted with the body's (maxDOCXElements), the time budget checked.
func TestStylesAndNumberingCounted(t *testing.T) {
	styles := func(n int) string {
		return strings.Repeat(`<w:style w:type="paragraph" w:styleId="x"><w:name/><w:basedOn/><w:rPr><w:vanish/></w:rPr></w:style>`, n)
	}
	numbering := func(n int) string {
		return `<w:abstractNum w:abstractNumId="0">` + strings.Repeat(`<w:lvl w:ilvl="0"><w:start/><w:numFmt/><w:lvlText/><w:suff/><w:isLgl/></w:lvl>`, n) + `</w:abstractNum>`
	}
	for name, data := range map[string][]byte{
		"styles":    numberedDOCX(t, numbered("1", "0", "p"), "", styles(40_000)),
		"numbering": numberedDOCX(t, numbered("1", "0", "p"), numbering(50_000), ""),
		"both":      numberedDOCX(t, numbered("1", "0", "p"), numbering(25_000), styles(20_000)),
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := Text(DOCXType, data)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooComplex) {
			t.Errorf("%s: %v, want an error wrapping ErrTooComplex", name, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 120<<20 {
			t.Errorf("%s: reading the document allocated %d MB", name, alloc>>20)
		}
	}
}
