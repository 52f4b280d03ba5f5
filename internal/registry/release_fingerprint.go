package registry

import (
	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/textract"
)

// releasedFingerprint fingerprints the file a release publishes, as fingerprint does. A text
// letter's release, or an enclosure's, was just laid out by pdf.RenderRelease or
// pdf.RenderEnclosureRelease: its text is read from it as it stands (pdf.ReleasedText, the
// same text), not after pdfcpu's read and rewrite of the document, which cost a release more
// than laying it out. Anything else, or a text that cannot be read that way, goes through
// fingerprint.
func releasedFingerprint(versionType, releasedType string, file []byte) (*identify.Fingerprint, []byte, error) {
	if fileKind(versionType) == kindText || isEnclosure(versionType) {
		if s, err := pdf.ReleasedText(file); err == nil {
			// What textract.Text does to a PDF's text: valid UTF-8, at most MaxText bytes.
			if t, err := textract.Text("text/plain", []byte(s)); err == nil {
				return fingerprintText(t)
			}
		}
	}
	return fingerprint(releasedType, file)
}
