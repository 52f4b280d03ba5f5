package textract

import (
	"archive/zip"
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// odtHead opens content.xml with the namespaces OpenDocument writers declare.
const odtHead = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` +
	`xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
	`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:body><office:text>`

const odtTail = `</office:text></office:body></office:document-content>`

// odtPackage builds an OpenDocument text package: the mimetype entry first and stored, as
// the format requires, then content.xml written by content, and a styles.xml whose text
// (a page header) must not be extracted.
func odtPackage(t testing.TB, mimetype string, content func(w *bytes.Buffer)) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(mimetype))
	var c bytes.Buffer
	content(&c)
	for name, data := range map[string][]byte{
		"content.xml": c.Bytes(),
		"styles.xml":  []byte(`<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><text:p>HEADER</text:p></office:document-styles>`),
	} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// odt builds an OpenDocument text whose body is the given XML.
func odt(t testing.TB, body string) []byte {
	return odtPackage(t, ODTType, func(w *bytes.Buffer) { w.WriteString(odtHead + body + odtTail) })
}

// odtBomb is a small document whose content.xml is open, then n times repeat, then close.
func odtBomb(t testing.TB, open, repeat, close string, n int) []byte {
	return odtPackage(t, ODTType, func(w *bytes.Buffer) {
		w.WriteString(odtHead + open)
		chunk := strings.Repeat(repeat, min(4096, n))
		for i := 0; i < n; i += 4096 {
			w.WriteString(chunk[:min(4096, n-i)*len(repeat)])
		}
		w.WriteString(close + odtTail)
	})
}

// odtBombs are the DOCX bombs of issue 12 item 2 in OpenDocument form: n nested elements, and
// n side by side.
func odtBombs(t testing.TB, n int) map[string][]byte {
	return map[string][]byte{
		"nested": odtBomb(t, "", "<text:span>", "", n),
		"flat":   odtBomb(t, "<text:p>", "<text:span/>", "</text:p>", n),
	}
}

func TestODT(t *testing.T) {
	doc := odt(t, `<text:h text:outline-level="1">Repositioning</text:h>`+
		`<text:p>Dear <text:span>Minister</text:span>,</text:p>`+
		`<text:p>The forces<text:s text:c="3"/>stay.<office:annotation><dc:creator>Rita</dc:creator><text:p>check this</text:p></office:annotation>`+
		`<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>a footnote</text:p></text:note-body></text:note>`+
		`<text:line-break/>Ref.<text:tab/>TFN-1</text:p>`+
		`<text:tracked-changes><text:changed-region><text:deletion><office:change-info><dc:creator>Rita</dc:creator></office:change-info><text:p> </text:p></text:deletion></text:changed-region>`+
		`<text:changed-region><text:insertion><office:change-info><dc:creator>will not</dc:creator></office:change-info></text:insertion></text:changed-region></text:tracked-changes>`+
		`<table:table><table:table-row><table:table-cell><text:p>Unit</text:p></table:table-cell>`+
		`<table:table-cell><text:p>Sector 4</text:p></table:table-cell></table:table-row></table:table>`)
	if !IsODT(doc) {
		t.Fatal("IsODT: false for an OpenDocument text")
	}
	if mt := TypeByExtension(".odt"); mt != ODTType {
		t.Fatalf(".odt is %q", mt)
	}
	got, err := Text(ODTType, doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Repositioning\nDear Minister,\nThe forces   stay.\nRef.\tTFN-1\nUnit\nSector 4\n[footnote]\na footnote\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}

	spreadsheet := odtPackage(t, "application/vnd.oasis.opendocument.spreadsheet", func(w *bytes.Buffer) { w.WriteString(odtHead + odtTail) })
	for name, data := range map[string][]byte{
		"a spreadsheet": spreadsheet,
		"a Word file":   docx(t, `<w:p><w:r><w:t>Dear Minister,</w:t></w:r></w:p>`),
		"not a zip":     []byte("PK\x03\x04 not really"),
	} {
		if IsODT(data) {
			t.Errorf("IsODT: true for %s", name)
		}
	}

	for name, data := range map[string][]byte{
		"not a zip":     []byte("PK not really"),
		"malformed XML": odt(t, `<text:p>open`),
		"no content.xml": func() []byte {
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			zw.Create("mimetype")
			zw.Close()
			return b.Bytes()
		}(),
	} {
		if _, err := Text(ODTType, data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}

	// A text:s may not stand for more than maxODTSpaces spaces.
	got, err = Text(ODTType, odt(t, `<text:p>a<text:s text:c="999999999"/>b</text:p>`))
	if err != nil || len(got) != maxODTSpaces+3 {
		t.Fatalf("a huge text:s: %d bytes of text, %v", len(got), err)
	}
}

// TestODTBombs: a million elements (five times the bound), nested or side by side, are
// refused after the bound, within a bounded allocation.
func TestODTBombs(t *testing.T) {
	for name, data := range odtBombs(t, 1_000_000) {
		t.Logf("%s: %d bytes", name, len(data))
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := Text(ODTType, data)
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooComplex) || s != "" {
			t.Errorf("%s: %d bytes of text, %v; want ErrTooComplex", name, len(s), err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
			t.Errorf("%s: extracting allocated %d MiB", name, grew>>20)
		}
	}
	// A document that decompresses to more than the byte bound is cut there, not read whole.
	long := odtBomb(t, "", "<text:p>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</text:p>", "", 1<<20)
	if s, err := Text(ODTType, long); err == nil && len(s) > MaxText {
		t.Fatalf("long: %d bytes of text", len(s))
	}
}

// TestODTWithinBounds: a long document with nested tables is still read.
func TestODTWithinBounds(t *testing.T) {
	var b strings.Builder
	for range 20 {
		b.WriteString("<table:table><table:table-row><table:table-cell>")
	}
	b.WriteString("<text:p>deep cell</text:p>")
	for range 20 {
		b.WriteString("</table:table-cell></table:table-row></table:table>")
	}
	for range 20000 {
		b.WriteString("<text:p>line</text:p>")
	}
	s, err := Text(ODTType, odt(t, b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "deep cell\n") || strings.Count(s, "line\n") != 20000 {
		t.Errorf("text: %.80q… (%d bytes)", s, len(s))
	}
}

func FuzzODT(f *testing.F) {
	f.Add(odt(f, `<text:p>Dear Minister,</text:p>`))
	f.Add(odt(f, `<text:h>Title</text:h><text:p>a<text:tab/><text:line-break/><text:s text:c="4"/>b</text:p><text:p/>`))
	f.Add(odt(f, `<text:p>x<office:annotation><text:p>note</text:p></office:annotation><text:note><text:note-body><text:p>n</text:p></text:note-body></text:note></text:p>`))
	f.Add(odt(f, `<text:p xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0">a<draw:frame><svg:desc>d</svg:desc><draw:text-box><text:p>b</text:p></draw:text-box><draw:image><office:binary-data>QQ==</office:binary-data></draw:image></draw:frame></text:p>`))
	f.Add(odt(f, `<text:list-style xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" style:name="L"><text:list-level-style-number text:level="2" style:num-prefix="p" style:num-format="a" text:display-levels="9" text:start-value="-3"/></text:list-style>`+
		`<text:list text:style-name="L"><text:list-item><text:list><text:list-item text:start-value="27"><text:p>x</text:p></text:list-item></text:list></text:list-item></text:list>`+
		`<text:outline-style><text:outline-level-style text:level="1" text:display-levels="3" text:start-value="3999"/></text:outline-style><text:h text:outline-level="1">h</text:h>`))
	f.Add([]byte("PK\x03\x04"))
	for _, bomb := range odtBombs(f, 250_000) {
		f.Add(bomb)
	}
	f.Add(odtBomb(f, "<text:p ", `a="" `, "/>", 300_000))
	f.Fuzz(func(t *testing.T, data []byte) {
		IsODT(data)
		s, err := Text(ODTType, data)
		if err == nil && len(s) > MaxText {
			t.Fatalf("%d bytes of text", len(s))
		}
	})
}

// TestODTConditionalTextRefused: text an OpenDocument letter shows or hides by a condition
// was read as the file keeps it, whatever the condition: LibreOffice 7.4 evaluates the
// condition as it converts the letter (convert.TestConditionalTextIsNotRead), so a paragraph
// reviewers read in the diff was not in the released PDF, or a conditional text showed
// another value. Such a letter is refused with ErrAmbiguous, in the body and in a page
// style's header; a section displayed without a condition is read as before.
func TestODTConditionalTextRefused(t *testing.T) {
	for name, body := range map[string]string{
		"hidden paragraph": `<text:p>We pay 9000<text:hidden-paragraph text:condition="ooow:1==1" text:is-hidden="false"/></text:p>`,
		"hidden text":      `<text:p>We pay <text:hidden-text text:condition="ooow:1==1" text:string-value="9000">9000</text:hidden-text></text:p>`,
		"conditional text": `<text:p>We pay <text:conditional-text text:condition="ooow:1==1" text:string-value-if-true="9000" text:string-value-if-false="900">900</text:conditional-text></text:p>`,
		"section":          `<text:section text:name="S" text:display="condition" text:condition="ooow:1==1"><text:p>We pay 9000</text:p></text:section>`,
	} {
		if got, err := Text(ODTType, odt(t, body)); !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: text %q, %v; want ErrAmbiguous", name, got, err)
		}
	}
	styles := `<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">` +
		`<office:master-styles><style:master-page style:name="Standard"><style:header><text:p>Ministry<text:hidden-paragraph text:condition="ooow:1==1"/></text:p></style:header></style:master-page>` +
		`</office:master-styles></office:document-styles>`
	header := zipEntries(t, [2]string{"mimetype", ODTType}, [2]string{"content.xml", odtHead + `<text:p>Body</text:p>` + odtTail}, [2]string{"styles.xml", styles})
	if got, err := Text(ODTType, header); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("in a header: text %q, %v; want ErrAmbiguous", got, err)
	}
	got, err := Text(ODTType, odt(t, `<text:section text:name="S" text:display="true" text:condition="ooow:1==1"><text:p>We pay 9000</text:p></text:section>`))
	if err != nil || got != "We pay 9000\n" {
		t.Errorf("a section displayed: %q, %v", got, err)
	}
}
