package textract

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
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
	part, rc, err := zipPart(data, "docx", "word/document.xml")
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
		tok, err := part.token()
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
// in errors) and returns a reader of its XML tokens, within maxDOCXPart bytes of it.
func zipPart(data []byte, format, name string) (*xmlPart, io.Closer, error) {
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
		in := &tokenBytes{r: bufio.NewReader(io.LimitReader(rc, maxDOCXPart))}
		return &xmlPart{dec: xml.NewDecoder(in), in: in}, rc, nil
	}
	return nil, nil, fmt.Errorf("%s: no %s", format, name)
}

// errLongToken is what tokenBytes answers once a token has taken all its bytes.
var errLongToken = errors.New("token too long")

// tokenBytes is the reader under a part's XML decoder, which reads it byte by byte (it is an
// io.ByteReader): it lets the decoder read at most left bytes, which xmlPart sets before each
// token.
type tokenBytes struct {
	r    *bufio.Reader
	left int
}

func (t *tokenBytes) ReadByte() (byte, error) {
	if t.left <= 0 {
		return 0, errLongToken
	}
	t.left--
	return t.r.ReadByte()
}

func (t *tokenBytes) Read(p []byte) (int, error) {
	if t.left <= 0 {
		return 0, errLongToken
	}
	n, err := t.r.Read(p[:min(len(p), t.left)])
	t.left -= n
	return n, err
}

// xmlPart reads the tokens of a document's XML part. The XML decoder parses a whole tag, with
// all its attributes, into memory before returning it, so the counts of elements and the time
// budget, checked between tokens, cannot stop a single tag of millions of attributes (some
// 50 bytes of memory for each of their 5 bytes): each token is bounded in bytes, and the
// attributes are counted.
type xmlPart struct {
	dec               *xml.Decoder
	in                *tokenBytes
	attrs, namespaces int
}

// token returns the next token, or an error wrapping ErrTooComplex for a token longer than
// maxDOCXToken bytes, an attribute past maxDOCXAttrs or a namespace declaration past
// maxDOCXNamespaces in the part.
func (p *xmlPart) token() (xml.Token, error) {
	p.in.left = maxDOCXToken
	tok, err := p.dec.Token()
	if errors.Is(err, errLongToken) {
		return nil, fmt.Errorf("%w: a tag or text longer than %d bytes", ErrTooComplex, maxDOCXToken)
	}
	if err != nil {
		return nil, err
	}
	if t, ok := tok.(xml.StartElement); ok {
		if p.attrs += len(t.Attr); p.attrs > maxDOCXAttrs {
			return nil, fmt.Errorf("%w: more than %d attributes", ErrTooComplex, maxDOCXAttrs)
		}
		for _, a := range t.Attr {
			if a.Name.Space == "xmlns" || a.Name.Space == "" && a.Name.Local == "xmlns" {
				if p.namespaces++; p.namespaces > maxDOCXNamespaces {
					return nil, fmt.Errorf("%w: more than %d namespace declarations", ErrTooComplex, maxDOCXNamespaces)
				}
			}
		}
	}
	return tok, nil
}
