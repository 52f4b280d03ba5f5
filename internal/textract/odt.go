package textract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/chancery/chancery/internal/budget"
)

// ODTType is the media type of OpenDocument text documents.
const ODTType = "application/vnd.oasis.opendocument.text"

// textNS and officeNS are the OpenDocument namespaces of text:p, text:h, text:s… and of
// office:annotation.
const (
	textNS   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	officeNS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
)

// maxODTSpaces bounds the spaces one text:s element stands for (its text:c count).
const maxODTSpaces = 1000

// IsODT reports whether data is an OpenDocument text document: a zip archive whose mimetype
// entry says so. Only the archive's directory and that small entry are read.
func IsODT(data []byte) bool {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return false
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	for _, f := range zr.File {
		if f.Name != "mimetype" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		b, _ := io.ReadAll(io.LimitReader(rc, int64(len(ODTType))+1))
		return string(bytes.TrimSpace(b)) == ODTType
	}
	return false
}

// odtText returns the text of an OpenDocument document's body (content.xml): the text of its
// paragraphs and headings (text:p, text:h, in tables and frames too), a new line after each and
// per text:line-break, a tab per text:tab, the spaces text:s stands for. Comments
// (office:annotation), footnotes and endnotes (text:note), and the deleted text kept by change
// tracking (text:tracked-changes) are not part of it, as for Word. content.xml is read under
// the bounds of word/document.xml; decoding stops once the time budget bud is spent.
func odtText(data []byte, bud *budget.Budget) (string, error) {
	part, rc, err := zipPart(data, "odt", "content.xml")
	if err != nil {
		return "", err
	}
	defer rc.Close()
	var b strings.Builder
	// paragraphs counts the open text:p and text:h elements; skip the open elements whose
	// text is left out (their depth, innermost last).
	paragraphs, depth, elements := 0, 0, 0
	var skip []int
	for b.Len() <= MaxText {
		if err := bud.Tick(); err != nil {
			return "", fmt.Errorf("odt: content.xml: %w", err)
		}
		tok, err := part.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("odt: content.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDOCXDepth {
				return "", fmt.Errorf("odt: content.xml: %w: elements nested more than %d deep", ErrTooComplex, maxDOCXDepth)
			}
			if elements++; elements > maxDOCXElements {
				return "", fmt.Errorf("odt: content.xml: %w: more than %d elements", ErrTooComplex, maxDOCXElements)
			}
			switch {
			case t.Name.Space == officeNS && t.Name.Local == "annotation",
				t.Name.Space == textNS && (t.Name.Local == "note" || t.Name.Local == "tracked-changes"):
				skip = append(skip, depth)
			case len(skip) > 0 || t.Name.Space != textNS:
			case t.Name.Local == "p" || t.Name.Local == "h":
				paragraphs++
			case t.Name.Local == "tab":
				b.WriteByte('\t')
			case t.Name.Local == "line-break":
				b.WriteByte('\n')
			case t.Name.Local == "s":
				n := 1
				for _, a := range t.Attr {
					if a.Name.Space == textNS && a.Name.Local == "c" {
						if c, err := strconv.Atoi(a.Value); err == nil {
							n = min(max(c, 1), maxODTSpaces)
						}
					}
				}
				b.WriteString(strings.Repeat(" ", n))
			}
		case xml.EndElement:
			switch {
			case len(skip) > 0 && skip[len(skip)-1] == depth:
				skip = skip[:len(skip)-1]
			case len(skip) > 0 || t.Name.Space != textNS:
			case t.Name.Local == "p" || t.Name.Local == "h":
				paragraphs--
				b.WriteByte('\n')
			}
			depth--
		case xml.CharData:
			if paragraphs > 0 && len(skip) == 0 {
				b.Write(t)
			}
		}
	}
	return b.String(), nil
}
