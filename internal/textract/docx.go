package textract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/chancery/chancery/internal/budget"
)

// DOCXType is the media type of Word documents (Office Open XML).
const DOCXType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// maxDOCXPart bounds how much of word/document.xml is decompressed: a zip bomb stops there.
const maxDOCXPart = 32 << 20

// wordNS is the WordprocessingML namespace of w:p, w:t, w:tab and w:br.
const wordNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// docxText returns the text of a Word document's body: the runs' text (w:t), a new line per
// paragraph (w:p) and line break (w:br), a tab per w:tab. Headers, footers, comments and
// tracked deletions (w:delText) are not part of it. Decoding stops once the time budget bud is
// spent.
func docxText(data []byte, bud *budget.Budget) (string, error) {
	dec, rc, err := zipPart(data, "docx", "word/document.xml")
	if err != nil {
		return "", err
	}
	defer rc.Close()
	var b strings.Builder
	inText := false
	depth, elements := 0, 0
	for b.Len() <= MaxText {
		if err := bud.Tick(); err != nil {
			return "", fmt.Errorf("docx: word/document.xml: %w", err)
		}
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("docx: word/document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDOCXDepth {
				return "", fmt.Errorf("docx: word/document.xml: %w: elements nested more than %d deep", ErrTooComplex, maxDOCXDepth)
			}
			if elements++; elements > maxDOCXElements {
				return "", fmt.Errorf("docx: word/document.xml: %w: more than %d elements", ErrTooComplex, maxDOCXElements)
			}
			if t.Name.Space != wordNS {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			}
		case xml.EndElement:
			depth--
			if t.Name.Space != wordNS {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}

// zipPart opens the part name of a zipped document (Word's or OpenDocument's: format names it
// in errors) and returns an XML decoder reading at most maxDOCXPart bytes of it.
func zipPart(data []byte, format, name string) (*xml.Decoder, io.Closer, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", format, err)
	}
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", format, err)
		}
		return xml.NewDecoder(io.LimitReader(rc, maxDOCXPart)), rc, nil
	}
	return nil, nil, fmt.Errorf("%s: no %s", format, name)
}
