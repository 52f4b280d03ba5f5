package convert_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/textract"
)

// partsLetter is a flat OpenDocument letter with text in every place LibreOffice shows beside
// the body, and hidden text it does not show. Every word in capitals is a token that the
// released PDF and the extracted text must both have, or both lack.
const partsLetter = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:styles>
  <style:style style:name="Secret" style:family="paragraph"><style:text-properties text:display="none"/></style:style>
  <style:style style:name="MoreSecret" style:family="paragraph" style:parent-style-name="Secret"/>
 </office:styles>
 <office:automatic-styles>
  <style:style style:name="H" style:family="text"><style:text-properties text:display="none"/></style:style>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2cm" fo:margin-right="2cm"/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>LETTERHEAD MINISTRY</text:p></style:header>
   <style:footer><text:p>FOOTERLINE <text:file-name text:display="full">/home/drafter/draft.odt</text:file-name></text:p></style:footer>
  </style:master-page>
  <style:master-page style:name="Unused" style:page-layout-name="pm1">
   <style:header><text:p>UNUSEDHEADER</text:p></style:header>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
  <text:p>BODYSTART Dear Minister, <text:span text:style-name="H">HIDDENSPAN</text:span>we pay NINETHOUSAND euros<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>FOOTNOTETEXT payable TUESDAY</text:p></text:note-body></text:note>.</text:p>
  <text:p text:style-name="MoreSecret">HIDDENPARAGRAPH</text:p>
  <text:section text:name="S1" text:display="none"><text:p>HIDDENSECTION</text:p></text:section>
  <text:p>CLOSING<text:note text:id="n2" text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>ENDNOTETEXT</text:p></text:note-body></text:note></text:p>
 </office:text></office:body>
</office:document>`

// capitals are the tokens of partsLetter.
var capitals = regexp.MustCompile(`[A-Z]{5,}`)

// TestExtractedTextIsWhatTheLetterShows: the text reviewers diff is textract's, the letter
// released is LibreOffice's conversion. Headers, footers, footnotes and endnotes were not
// extracted at all (a change there was in the released PDF, not in the diff); hidden text
// (text:display none, w:vanish) was extracted though the PDF does not show it; and a file
// name field showed the conversion's temporary directory in the letter, and the file's kept
// text in the diff. The letter, in ODT and as LibreOffice writes it in DOCX, is converted
// here as the server converts it; the words the PDF shows (pdftotext) and those extracted are
// the same, and the file name shown is the neutral one, in both.
func TestExtractedTextIsWhatTheLetterShows(t *testing.T) {
	c := converter(t)
	soffice := requireTool(t, "soffice")
	dir := t.TempDir()
	src := filepath.Join(dir, "parts.fodt")
	if err := os.WriteFile(src, []byte(partsLetter), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ ext, filter, mediaType string }{
		{"odt", "odt", textract.ODTType},
		{"docx", "docx:MS Word 2007 XML", textract.DOCXType},
	} {
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
			"--convert-to", f.filter, "--outdir", dir, src)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		data, err := os.ReadFile(filepath.Join(dir, "parts."+f.ext))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := c.ToPDF(context.Background(), f.mediaType, data)
		if err != nil {
			t.Fatal(err)
		}
		shown := run(t, "pdftotext", write(t, "letter.pdf", doc), "-")
		text, err := textract.Text(f.mediaType, data)
		if err != nil {
			t.Fatal(err)
		}
		tokens := func(s string) []string {
			w := capitals.FindAllString(s, -1)
			slices.Sort(w)
			return slices.Compact(w)
		}
		if got, want := tokens(text), tokens(shown); !slices.Equal(got, want) {
			t.Errorf("%s: extracted %q, the PDF shows %q\nextracted:\n%s\nPDF:\n%s", f.ext, got, want, text, shown)
		}
		hidden := []string{"HIDDENSPAN", "HIDDENPARAGRAPH", "UNUSEDHEADER"}
		if f.ext == "odt" {
			// LibreOffice writes a hidden section to DOCX as shown.
			hidden = append(hidden, "HIDDENSECTION")
		}
		for _, hidden := range hidden {
			if strings.Contains(shown, hidden) {
				t.Errorf("%s: the PDF shows %s: the test proves nothing", f.ext, hidden)
			}
		}
		for _, want := range []string{"LETTERHEAD", "FOOTNOTETEXT", "ENDNOTETEXT", "FOOTERLINE"} {
			if !strings.Contains(shown, want) {
				t.Errorf("%s: the PDF lacks %s: the test proves nothing", f.ext, want)
			}
		}
		name := textract.ConvertedDir + "/" + textract.ConvertedName + "." + f.ext
		if !strings.Contains(shown, name) || !strings.Contains(text, name) {
			t.Errorf("%s: the file name field: the PDF shows %q, the text %q; want %q in both", f.ext, shown, text, name)
		}
		if tmp := os.TempDir(); strings.Contains(shown, tmp) || strings.Contains(shown, "chancery-convert") {
			t.Errorf("%s: the PDF shows the temporary directory:\n%s", f.ext, shown)
		}
	}
}
