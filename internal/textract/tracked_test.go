package textract

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// TestTrackedDeletionsRefused: LibreOffice 7.4 converts a letter with tracked changes as it
// shows them, marked: the deleted text struck through but there
// (convert.TestTrackedChangesAsShown), and textract left it out, so the released letter showed words ("will not") that
// reviewers never saw. Such a Word or OpenDocument letter is refused (ErrAmbiguous) until its
// changes are accepted or rejected, unless the Word document's settings hide the changes
// (w:revisionView w:insDel or w:markup off), which LibreOffice follows, or the deleted text is hidden or
// white space.
func TestTrackedDeletionsRefused(t *testing.T) {
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	body := `<w:body><w:p><w:r><w:t xml:space="preserve">We will </w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText xml:space="preserve">not </w:delText></w:r></w:del>` +
		`<w:ins w:id="2" w:author="a"><w:r><w:t xml:space="preserve">gladly </w:t></w:r></w:ins><w:r><w:t>pay.</w:t></w:r></w:p></w:body>`
	word := func(settings string) []byte {
		return zipEntries(t,
			[2]string{"[Content_Types].xml", contentTypes},
			[2]string{"_rels/.rels", packageRels(rel+"officeDocument", "word/document.xml")},
			[2]string{"word/_rels/document.xml.rels", `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
				`<Relationship Id="rId1" Type="` + rel + `settings" Target="settings.xml"/></Relationships>`},
			[2]string{"word/document.xml", wordPart("document", body)},
			[2]string{"word/settings.xml", wordPart("settings", settings)})
	}
	for name, data := range map[string][]byte{
		"docx":            word(""),
		"docx, insDel on": word(`<w:revisionView w:insDel="1"/>`),
		"odt":             odt(t, `<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>will not</text:p></text:deletion></text:changed-region></text:tracked-changes><text:p>We <text:change text:change-id="c1"/>pay.</text:p>`),
		"odt, deleted header": odtPackage(t, ODTType, func(w *bytes.Buffer) {
			w.WriteString(odtHead + `<text:tracked-changes><text:changed-region><text:deletion><text:h>NOT</text:h></text:deletion></text:changed-region></text:tracked-changes>` + odtTail)
		}),
	} {
		if got, err := Text(mediaTypeOf(name), data); !errors.Is(err, ErrAmbiguous) {
			t.Errorf("%s: text %q, %v; want an error wrapping ErrAmbiguous", name, got, err)
		}
	}
	hiddenBody := `<w:body><w:p><w:r><w:t xml:space="preserve">We will </w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:rPr><w:vanish/></w:rPr><w:delText>not</w:delText></w:r></w:del><w:r><w:t>pay.</w:t></w:r></w:p></w:body>`
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"changes hidden": {word(`<w:revisionView w:insDel="0"/>`), "We will gladly pay.\n"},
		"markup hidden":  {word(`<w:revisionView w:markup="false"/>`), "We will gladly pay.\n"},
		"deletion hidden": {zipEntries(t, [2]string{"_rels/.rels", packageRels(rel+"officeDocument", "word/document.xml")},
			[2]string{"word/document.xml", wordPart("document", hiddenBody)}), "We will pay.\n"},
	} {
		if got, err := Text(DOCXType, c.data); err != nil || got != c.want {
			t.Errorf("%s: text %q, %v; want %q", name, got, err, c.want)
		}
	}
}

// mediaTypeOf returns the media type of a test case named after its format.
func mediaTypeOf(name string) string {
	if strings.HasPrefix(name, "odt") {
		return ODTType
	}
	return DOCXType
}
