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
// per text:line-break, a tab per text:tab, the spaces text:s stands for, the value of each
// user field and variable shown (text:user-field-get, text:variable-set…) and of each field
// of the document's metadata (text:title, text:subject, text:description, text:keywords,
// text:user-defined) as LibreOffice shows it, from the field's declaration or setting or the
// metadata (meta.xml) rather than the text kept inside it. Comments
// (office:annotation), footnotes and endnotes (text:note), and the deleted text kept by change
// tracking (text:tracked-changes) are not part of it, as for Word. content.xml is read under
// the bounds of word/document.xml; decoding stops once the time budget bud is spent.
func odtText(data []byte, bud *budget.Budget) (string, error) {
	zr, err := openZip(data, "odt")
	if err != nil {
		return "", err
	}
	meta, err := odtMeta(zr)
	if err != nil {
		return "", fmt.Errorf("odt: %w", err)
	}
	part, rc, err := zipPart(zr, "odt", "content.xml")
	if err != nil {
		return "", err
	}
	defer rc.Close()
	var b strings.Builder
	// paragraphs counts the open text:p and text:h elements; skip the open elements whose
	// text is left out (their depth, innermost last).
	paragraphs, depth, elements := 0, 0, 0
	var skip []int
	// The values of the document's user fields and variables, by name: a field shows its
	// value, whatever text the file keeps inside it.
	userFields, variables := map[string]string{}, map[string]string{}
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
			case t.Name.Local == "user-field-decl":
				userFields[odtAttr(t, textNS, "name")] = odtValue(t)
			case t.Name.Local == "title" || t.Name.Local == "subject" || t.Name.Local == "description" ||
				t.Name.Local == "keywords" || t.Name.Local == "user-defined":
				// LibreOffice shows the document's metadata, not the text the file keeps.
				key := t.Name.Local
				if key == "user-defined" {
					key = "user:" + odtAttr(t, textNS, "name")
				}
				if paragraphs > 0 {
					b.WriteString(meta[key])
				}
				skip = append(skip, depth)
			case t.Name.Local == "variable-set" || t.Name.Local == "variable-get" ||
				t.Name.Local == "user-field-get" || t.Name.Local == "user-field-input":
				// LibreOffice shows the field's value, not the text the file keeps in it.
				name, v := odtAttr(t, textNS, "name"), ""
				switch t.Name.Local {
				case "variable-set":
					v = odtValue(t)
					variables[name] = v
				case "variable-get":
					v = variables[name]
				default:
					v = userFields[name]
				}
				if paragraphs > 0 {
					b.WriteString(v)
				}
				skip = append(skip, depth)
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

// odtAttr returns the value of t's attribute space:local, or "".
func odtAttr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// odtValue returns the value a field declaration or setting t gives, by its office:value-type:
// a string's text, a number's, date's, time's or boolean's value as written.
func odtValue(t xml.StartElement) string {
	switch odtAttr(t, officeNS, "value-type") {
	case "float", "percentage", "currency":
		return odtAttr(t, officeNS, "value")
	case "date":
		return odtAttr(t, officeNS, "date-value")
	case "time":
		return odtAttr(t, officeNS, "time-value")
	case "boolean":
		return odtAttr(t, officeNS, "boolean-value")
	}
	return odtAttr(t, officeNS, "string-value")
}

// odtMeta returns the metadata (meta.xml) the fields of an OpenDocument text show: its title,
// subject, description, keywords (joined with ", ", as LibreOffice shows them) by those names,
// and each user-defined property under "user:" and its name; none without meta.xml.
func odtMeta(zr *zip.Reader) (map[string]string, error) {
	meta := map[string]string{}
	f := entry(zr, "meta.xml")
	if f == nil {
		return meta, nil
	}
	b, err := readPart(f, maxPropertiesPart)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Meta struct {
			Title       string   `xml:"http://purl.org/dc/elements/1.1/ title"`
			Subject     string   `xml:"http://purl.org/dc/elements/1.1/ subject"`
			Description string   `xml:"http://purl.org/dc/elements/1.1/ description"`
			Keywords    []string `xml:"urn:oasis:names:tc:opendocument:xmlns:meta:1.0 keyword"`
			User        []struct {
				Name  string `xml:"urn:oasis:names:tc:opendocument:xmlns:meta:1.0 name,attr"`
				Value string `xml:",chardata"`
			} `xml:"urn:oasis:names:tc:opendocument:xmlns:meta:1.0 user-defined"`
		} `xml:"meta"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("meta.xml: %w", err)
	}
	m := doc.Meta
	meta["title"], meta["subject"], meta["description"], meta["keywords"] = m.Title, m.Subject, m.Description, strings.Join(m.Keywords, ", ")
	for _, u := range m.User {
		if _, ok := meta["user:"+u.Name]; !ok {
			meta["user:"+u.Name] = u.Value
		}
	}
	return meta, nil
}
