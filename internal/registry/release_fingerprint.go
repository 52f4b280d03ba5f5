package registry

import (
	"errors"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/textract"
)

// laidOutFingerprint is releasedFingerprint of rel.Doc, from the text its layout gathered
// when it has it (rel.HasText): the string pdf.ReleasedText would read back from the file,
// without reading it. Otherwise the file is read, as releasedFingerprint does.
func laidOutFingerprint(versionType, releasedType string, rel *pdf.Release) (*identify.Fingerprint, []byte, error) {
	if rel.HasText && (fileKind(versionType) == kindText || isEnclosure(versionType)) {
		if t, err := textract.Text("text/plain", []byte(rel.Text)); err == nil {
			return fingerprintText(t)
		}
	}
	return releasedFingerprint(versionType, releasedType, rel.Doc)
}

// releasedFingerprint fingerprints the file a release publishes, from its text as
// releasedText reads it; nil for a file without text, as fingerprint.
func releasedFingerprint(versionType, releasedType string, file []byte) (*identify.Fingerprint, []byte, error) {
	text, err := releasedText(versionType, releasedType, file)
	if errors.Is(err, textract.ErrNoText) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return fingerprintText(text)
}

// releasedText returns the text of the file a release publishes. A text letter's release, or
// an enclosure's, was laid out by pdf.RenderRelease or pdf.RenderEnclosureRelease: its text is
// read from it as it stands (pdf.ReleasedText, the same text), not after pdfcpu's read and
// rewrite of the document, which cost a release more than laying it out. Anything else, or a
// text that cannot be read that way, is read by textract.
func releasedText(versionType, releasedType string, file []byte) (string, error) {
	if fileKind(versionType) == kindText || isEnclosure(versionType) {
		if s, err := pdf.ReleasedText(file); err == nil {
			// What textract.Text does to a PDF's text: valid UTF-8, at most MaxText bytes.
			if t, err := textract.Text("text/plain", []byte(s)); err == nil {
				return t, nil
			}
		}
	}
	return textract.Text(releasedType, file)
}
