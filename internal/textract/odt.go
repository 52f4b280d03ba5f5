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

// odtText returns the text of an OpenDocument text: its body (content.xml), then its footnotes
// and endnotes (text:note) in the order the body has them, footnotes first, then the headers
// and footers of its page styles in use (styles.xml; style:display="false" does not hide one
// from LibreOffice 7.4), each note, header and footer after a
// marker line as in a Word document's (docxDoc.text). Of each, the text of its paragraphs and
// headings (text:p, text:h, in tables and frames too), a new line after each and per
// text:line-break, a tab per text:tab, the spaces text:s stands for, the value of each user
// field and variable shown (text:user-field-get, text:variable-set…) and of each field of the
// document's metadata (text:title, text:subject, text:description, text:keywords,
// text:user-defined) as LibreOffice shows it, from the field's declaration or setting or the
// metadata (meta.xml) rather than the text kept inside it, and the file name fields
// (text:file-name) as package convert has LibreOffice show them (ConvertedName), and the
// labels of list items (odtlists.go), with text drawn struck through or raised (a paragraph's
// or span's style:text-line-through-style, style:text-position) enclosed in its marks, as for
// Word (textMarks). Comments (office:annotation), hidden text (a section of
// text:display none, a paragraph or span whose style, or a style it inherits from, has
// text:display none), and the text of pictures, frames and shapes that LibreOffice does not
// show (odtMode) are not part of it, as for Word. A document whose tracked changes delete
// text (text:deletion), which LibreOffice shows struck through, or that shows or hides text
// by a condition (conditional) is refused with ErrAmbiguous. content.xml and
// styles.xml are read under the bounds of word/document.xml, together; decoding stops once the
// time budget bud is spent.
func odtText(data []byte, bud *budget.Budget) (string, error) {
	zr, err := openZip(data, "odt")
	if err != nil {
		return "", err
	}
	meta, err := odtMeta(zr)
	if err != nil {
		return "", fmt.Errorf("odt: %w", err)
	}
	o := &odtDoc{bud: bud, meta: meta, styles: map[string]odtStyle{}, used: map[string]bool{}, next: map[string]string{}, shown: map[string]bool{},
		listStyles: map[string]*[11]*odtListLevel{}, lastList: map[string]*odtCounts{}, listIDs: map[string]*odtCounts{}}
	if entry(zr, "styles.xml") != nil {
		if _, err := o.readPart(zr, "styles.xml"); err != nil {
			return "", err
		}
	}
	body, err := o.readPart(zr, "content.xml")
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(body)
	add := func(marker, text string) {
		b.WriteString(marker + "\n" + text)
		if !strings.HasSuffix(text, "\n") {
			b.WriteByte('\n')
		}
	}
	for _, endnote := range []bool{false, true} {
		for _, n := range o.notes {
			if n.endnote == endnote {
				add(map[bool]string{false: footnoteMarker, true: endnoteMarker}[endnote], n.text)
			}
		}
	}
	// The page styles in use: the first page's, those the styles name, and those that follow
	// them. The first page's is the one the style of the body's first paragraph or table names,
	// else the default one (Standard).
	first := "Standard"
	if o.firstStyle != "" {
		if m := o.masterOf(o.firstFamily, o.firstStyle); m != "" {
			first = m
		}
	}
	o.used[first] = true
	for range len(o.next) {
		for name := range o.used {
			if n := o.next[name]; n != "" {
				o.used[n] = true
			}
		}
	}
	// A left or first page's header or footer is shown only with the page style's header or
	// footer (LibreOffice 7.4 shows neither otherwise).
	for _, h := range o.headers {
		if o.used[h.master] && (!h.variant || o.shown[h.master+"/"+h.kind]) {
			add(h.marker, h.text)
		}
	}
	return b.String(), nil
}

// odtDoc is an OpenDocument text being read: what reading its parts shares.
type odtDoc struct {
	bud  *budget.Budget
	meta map[string]string
	// styles are the paragraph and text styles read, by family and name; used the page styles
	// (master pages) they name, next the page style following each.
	styles map[string]odtStyle
	used   map[string]bool
	next   map[string]string
	// headers are the headers and footers of the page styles, notes the notes, in order; shown
	// tells the page styles that have a header or footer of every page, by page style and kind.
	headers []odtRegion
	shown   map[string]bool
	notes   []odtNote
	// firstFamily and firstStyle are the family and style of the body's first paragraph or
	// table; firstSeen tells whether the body's first block was seen.
	firstFamily, firstStyle string
	firstSeen               bool
	// elements counts the elements read, in both parts; total the bytes of text kept.
	elements, total int
	// listStyles are the levels of the list styles read, by name; lastList the counts of the
	// last list of each style, listIDs those of the lists by their xml:id (odtlists.go).
	listStyles map[string]*[11]*odtListLevel
	lastList   map[string]*odtCounts
	listIDs    map[string]*odtCounts
	// outline are the numbers of the headings outside lists.
	outline odtCounts
}

// odtStyle is a style's parent, the page style it starts (style:master-page-name) and, when
// it says, whether its text is hidden, and the marks of its text (textMarks) it says: which
// (said) and their values (marks).
type odtStyle struct {
	parent, master string
	hidden         *bool
	marks, said    textMarks
}

// odtRegion is the text of a page style's header or footer, of every page, or a variant (of
// left or first pages).
type odtRegion struct {
	master, kind, marker, text string
	variant                    bool
}

// odtNote is the text of a footnote or endnote.
type odtNote struct {
	endnote bool
	text    string
}

// styleNS and loextNS are the OpenDocument namespaces of styles, and of LibreOffice's extensions
// (its first page's headers and footers in ODF 1.2).
const (
	styleNS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
	loextNS = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"
)

// odtHeaders are the elements of a page style holding a header or footer, with their markers.
var odtHeaders = map[string]string{
	"header": headerMarker(false, ""), "header-left": headerMarker(false, "left"), "header-first": headerMarker(false, "first"),
	"footer": headerMarker(true, ""), "footer-left": headerMarker(true, "left"), "footer-first": headerMarker(true, "first"),
}

// masterOf returns the page style that the style of family and name starts, itself or by the
// styles it inherits from (a bounded chain), or "".
func (o *odtDoc) masterOf(family, name string) string {
	for range 32 {
		s, ok := o.styles[family+"/"+name]
		if !ok {
			return ""
		}
		if s.master != "" {
			return s.master
		}
		name = s.parent
	}
	return ""
}

// hidden reports whether the style of family and name hides its text, itself or by the styles
// it inherits from (a bounded chain).
func (o *odtDoc) hidden(family, name string) bool {
	for range 32 {
		s, ok := o.styles[family+"/"+name]
		if !ok {
			return false
		}
		if s.hidden != nil {
			return *s.hidden
		}
		name = s.parent
	}
	return false
}

// marksOf returns the marks of the text of the style of family and name, and which of them it
// says, itself or by the styles it inherits from (a bounded chain), the nearest first.
func (o *odtDoc) marksOf(family, name string) (marks, said textMarks) {
	for range 32 {
		s, ok := o.styles[family+"/"+name]
		if !ok {
			break
		}
		marks |= s.marks &^ said
		said |= s.said
		name = s.parent
	}
	return marks & said, said
}

// positionMarks are the marks of a style:text-position value: "super", "sub", or a
// percentage above (raised) or below (lowered) the baseline, then the font's size.
func positionMarks(v string) textMarks {
	f := strings.Fields(v)
	if len(f) == 0 {
		return 0
	}
	switch f[0] {
	case "super":
		return markSuper
	case "sub":
		return markSub
	}
	p, err := strconv.ParseFloat(strings.TrimSuffix(f[0], "%"), 64)
	switch {
	case err != nil:
		return 0
	case p > 0:
		return markSuper
	case p < 0:
		return markSub
	}
	return 0
}

// readPart reads the part name (content.xml or styles.xml): its styles and page styles, and
// returns the text of its body (office:body), keeping the notes and headers in o.
func (o *odtDoc) readPart(zr *docZip, name string) (string, error) {
	part, rc, err := zipPart(zr, "odt", name)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	var body strings.Builder
	// out is where the text goes (nil outside the body, a header or a note); paragraphs counts
	// the open text:p and text:h elements; skip the open elements whose text is left out (their
	// depth, innermost last); regions the open headers and notes (their depth), with the text
	// they take.
	var out *strings.Builder
	paragraphs, depth := 0, 0
	var skip []int
	type region struct {
		depth int
		prev  *strings.Builder
		done  func(string)
	}
	var regions []region
	// marked are the paragraphs and spans open whose style says marks of their text
	// (textMarks; their depth, innermost last); marksOpen the marks whose openers the text
	// written is inside, kept for the text a region interrupts in marksBefore.
	type marking struct {
		depth       int
		marks, said textMarks
	}
	var marked []marking
	var marksOpen textMarks
	var marksBefore []textMarks
	open := func(done func(string)) {
		regions = append(regions, region{depth, out, done})
		marksBefore = append(marksBefore, marksOpen)
		out, marksOpen = &strings.Builder{}, 0
	}
	var style *odtStyle
	styleKey, master := "", ""
	// listStyle is the list style being read; lists the lists open, innermost last; label the
	// label of the list item open, for its first paragraph.
	listStyle, label := "", ""
	var lists []*odtList
	// textDepth is the depth of content.xml's office:text, once open; deletion the depth of
	// the text:deletion of a tracked change open, if any, and deleted the paragraphs open in it.
	textDepth, deletion, deleted := 0, 0, 0
	// The values of the document's user fields and variables, by name: a field shows its
	// value, whatever text the file keeps inside it.
	userFields, variables := map[string]string{}, map[string]string{}
	// modes says, of each element open, innermost last, what of its content LibreOffice shows
	// (odtMode).
	modes := []odtMode{odtTop}
	// dropDown is the text:drop-down open, whose kept text is left out for the label it
	// selects, shown at its end.
	var dropDown *odtDropDown
	// keptValue is the string variable set open whose value is the text it keeps (one without
	// office:string-value, as LibreOffice writes it): LibreOffice shows that text, at its end,
	// that of its elements (a span) left out.
	var keptValue *odtKeptValue
	write := func(s string) {
		if out != nil && paragraphs > 0 && modes[len(modes)-1] == odtShown {
			// A line ends the marks; the text after it opens them again.
			var want, said textMarks
			for i := len(marked) - 1; i >= 0 && s != "\n"; i-- {
				want |= marked[i].marks &^ said
				said |= marked[i].said
			}
			marksOpen = remark(out, marksOpen, want&said)
			out.WriteString(s)
		}
	}
	for o.total+body.Len()+pending(out, &body) <= MaxText {
		if err := o.bud.Tick(); err != nil {
			return "", fmt.Errorf("odt: %s: %w", name, err)
		}
		tok, err := part.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", fmt.Errorf("odt: %s: %w", name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDOCXDepth {
				return "", fmt.Errorf("odt: %s: %w: elements nested more than %d deep", name, ErrTooComplex, maxDOCXDepth)
			}
			if o.elements++; o.elements > maxDOCXElements {
				return "", fmt.Errorf("odt: %s: %w: more than %d elements", name, ErrTooComplex, maxDOCXElements)
			}
			modes = append(modes, odtModeOf(modes[len(modes)-1], t.Name))
			switch {
			case t.Name.Space == textNS && t.Name.Local == "deletion" && deletion == 0:
				deletion = depth
			case deletion > 0 && t.Name.Space == textNS && (t.Name.Local == "p" || t.Name.Local == "h"):
				deleted++
			}
			if dropDown != nil && depth == dropDown.depth+1 && t.Name.Space == textNS && t.Name.Local == "label" {
				dropDown.label(t)
			}
			if len(skip) > 0 {
				continue
			}
			if m := odtAttr(t, styleNS, "master-page-name"); m != "" {
				o.used[m] = true
			}
			textStyle := odtAttr(t, textNS, "style-name")
			if depth == textDepth+1 && textDepth > 0 && !o.firstSeen && !odtNotBlock(t.Name) {
				o.firstSeen = true
				switch {
				case t.Name.Space == textNS && (t.Name.Local == "p" || t.Name.Local == "h"):
					o.firstFamily, o.firstStyle = "paragraph", textStyle
				case t.Name.Space == tableNS && t.Name.Local == "table":
					o.firstFamily, o.firstStyle = "table", odtAttr(t, tableNS, "style-name")
				}
			}
			if t.Name.Space == officeNS && t.Name.Local == "text" && name == "content.xml" && textDepth == 0 {
				textDepth = depth
			}
			switch {
			case t.Name.Space == styleNS && t.Name.Local == "style":
				styleKey = odtAttr(t, styleNS, "family") + "/" + odtAttr(t, styleNS, "name")
				style = &odtStyle{parent: odtAttr(t, styleNS, "parent-style-name"), master: odtAttr(t, styleNS, "master-page-name")}
			case t.Name.Space == styleNS && t.Name.Local == "text-properties" && style != nil:
				switch odtAttr(t, textNS, "display") {
				case "none":
					hidden := true
					style.hidden = &hidden
				case "true":
					hidden := false
					style.hidden = &hidden
				}
				if v := odtAttr(t, styleNS, "text-line-through-style"); v != "" {
					style.said |= markStruck
					if v != "none" {
						style.marks |= markStruck
					}
				}
				if v := odtAttr(t, styleNS, "text-position"); v != "" {
					style.said |= markSuper | markSub
					style.marks |= positionMarks(v)
				}
			case t.Name.Space == styleNS && t.Name.Local == "master-page":
				master = odtAttr(t, styleNS, "name")
				if n := odtAttr(t, styleNS, "next-style-name"); n != "" {
					o.next[master] = n
				}
			case master != "" && odtHeaders[t.Name.Local] != "" &&
				(t.Name.Space == styleNS || t.Name.Space == loextNS && strings.HasSuffix(t.Name.Local, "-first")):
				kind, variant := strings.CutSuffix(t.Name.Local, "-left")
				if !variant {
					kind, variant = strings.CutSuffix(kind, "-first")
				}
				h := odtRegion{master: master, kind: kind, variant: variant, marker: odtHeaders[t.Name.Local]}
				if !variant {
					o.shown[master+"/"+kind] = true
				}
				open(func(s string) { h.text = s; o.headers = append(o.headers, h) })
			case t.Name.Space == officeNS && t.Name.Local == "body":
				out = &body
			case t.Name.Space == officeNS && t.Name.Local == "annotation",
				t.Name.Space == textNS && (t.Name.Local == "tracked-changes" || t.Name.Local == "note-citation" || t.Name.Local == "placeholder"),
				t.Name.Space == textNS && t.Name.Local == "section" && odtAttr(t, textNS, "display") == "none",
				t.Name.Space == textNS && textStyle != "" && (t.Name.Local == "p" || t.Name.Local == "h") && o.hidden("paragraph", textStyle),
				t.Name.Space == textNS && textStyle != "" && t.Name.Local == "span" && o.hidden("text", textStyle):
				skip = append(skip, depth)
			case t.Name.Space == tableNS && t.Name.Local == "table-cell" && odtAttr(t, tableNS, "formula") != "",
				t.Name.Space == textNS && (t.Name.Local == "expression" || t.Name.Local == "formula") && odtAttr(t, textNS, "formula") != "":
				return "", fmt.Errorf("odt: %s: %w: %s:%s shows a formula, which LibreOffice computes as it converts the letter and which is not computed here", name, ErrAmbiguous, odtPrefix(t.Name.Space), t.Name.Local)
			case t.Name.Space != textNS:
			case conditional(t):
				return "", fmt.Errorf("odt: %s: %w: text:%s shows or hides text by a condition, which LibreOffice evaluates as it converts the letter and which is not read here", name, ErrAmbiguous, t.Name.Local)
			case t.Name.Local == "bookmark-ref" || t.Name.Local == "reference-ref" || t.Name.Local == "sequence-ref":
				return "", fmt.Errorf("odt: %s: %w: text:%s shows what it refers to, which LibreOffice fills in as it converts the letter and which is not read here", name, ErrAmbiguous, t.Name.Local)
			case t.Name.Local == "drop-down":
				dropDown = &odtDropDown{depth: depth, selected: -1}
				skip = append(skip, depth)
			case t.Name.Local == "note":
				endnote := odtAttr(t, textNS, "note-class") == "endnote"
				// The note's paragraphs are its own, not the one it stands in.
				saved := paragraphs
				paragraphs = 0
				open(func(s string) { o.notes = append(o.notes, odtNote{endnote, s}); paragraphs = saved })
			case t.Name.Local == "user-field-decl":
				userFields[odtAttr(t, textNS, "name")] = odtValue(t)
			case t.Name.Local == "title" || t.Name.Local == "subject" || t.Name.Local == "description" ||
				t.Name.Local == "keywords" || t.Name.Local == "user-defined":
				// LibreOffice shows the document's metadata, not the text the file keeps.
				key := t.Name.Local
				if key == "user-defined" {
					key = "user:" + odtAttr(t, textNS, "name")
				}
				write(o.meta[key])
				skip = append(skip, depth)
			case t.Name.Local == "file-name":
				// LibreOffice shows the name of the file it converts, not the one the file keeps.
				var v string
				switch odtAttr(t, textNS, "display") {
				case "full":
					v = ConvertedDir + "/" + ConvertedName + ".odt"
				case "path":
					v = ConvertedDir
				case "name":
					v = ConvertedName
				default:
					v = ConvertedName + ".odt"
				}
				write(v)
				skip = append(skip, depth)
			case t.Name.Local == "variable-set" || t.Name.Local == "variable-get" ||
				t.Name.Local == "user-field-get" || t.Name.Local == "user-field-input":
				// LibreOffice shows the field's value, not the text the file keeps in it.
				field, v := odtAttr(t, textNS, "name"), ""
				switch t.Name.Local {
				case "variable-set":
					v = odtValue(t)
					if !hasAttr(t, officeNS, "value-type") {
						// LibreOffice 7.4 shows such a variable as a number ("1" for "NOT"),
						// and writes none such.
						return "", fmt.Errorf("odt: %s: %w: text:variable-set without office:value-type, which LibreOffice shows as a number it computes", name, ErrAmbiguous)
					}
					if computed(t, v) {
						return "", fmt.Errorf("odt: %s: %w: text:variable-set shows a formula, which LibreOffice computes as it converts the letter and which is not computed here", name, ErrAmbiguous)
					}
					if keptValue == nil && odtAttr(t, officeNS, "value-type") == "string" && !hasAttr(t, officeNS, "string-value") {
						keptValue = &odtKeptValue{depth: depth, name: field}
					}
					variables[field] = v
				case "variable-get":
					v = variables[field]
				default:
					v = userFields[field]
				}
				write(v)
				skip = append(skip, depth)
			case t.Name.Local == "list-style":
				listStyle = odtAttr(t, styleNS, "name")
			case t.Name.Local == "outline-style":
				listStyle = outlineStyle
			case (strings.HasPrefix(t.Name.Local, "list-level-style-") || t.Name.Local == "outline-level-style") && listStyle != "":
				o.listLevel(listStyle, t)
			case t.Name.Local == "list":
				var parent *odtList
				if len(lists) > 0 {
					parent = lists[len(lists)-1]
				}
				lists = append(lists, o.openList(t, parent))
			case t.Name.Local == "list-item" && len(lists) > 0:
				label = o.itemLabel(lists[len(lists)-1], t)
			case t.Name.Local == "list-header":
				label = ""
			case t.Name.Local == "p" || t.Name.Local == "h":
				paragraphs++
				if t.Name.Local == "h" && len(lists) == 0 {
					label = o.headingLabel(t)
				}
				write(label)
				if m, said := o.marksOf("paragraph", textStyle); said != 0 {
					marked = append(marked, marking{depth, m, said})
				}
			case t.Name.Local == "span":
				if m, said := o.marksOf("text", textStyle); said != 0 {
					marked = append(marked, marking{depth, m, said})
				}
			case t.Name.Local == "tab":
				write("\t")
			case t.Name.Local == "line-break":
				write("\n")
			case t.Name.Local == "s":
				n := 1
				for _, a := range t.Attr {
					if a.Name.Space == textNS && a.Name.Local == "c" {
						if c, err := strconv.Atoi(a.Value); err == nil {
							n = min(max(c, 1), maxODTSpaces)
						}
					}
				}
				write(strings.Repeat(" ", n))
			}
			// An item's label is its first paragraph's, shown or not.
			if t.Name.Space == textNS && (t.Name.Local == "p" || t.Name.Local == "h") {
				label = ""
			}
		case xml.EndElement:
			if n := len(marked); n > 0 && marked[n-1].depth == depth {
				marked = marked[:n-1]
			}
			switch {
			case deletion == depth:
				deletion = 0
			case deletion > 0 && t.Name.Space == textNS && (t.Name.Local == "p" || t.Name.Local == "h"):
				deleted--
			}
			switch {
			case len(skip) > 0 && skip[len(skip)-1] == depth:
				skip = skip[:len(skip)-1]
				if dropDown != nil && dropDown.depth == depth {
					if dropDown.tooLong {
						return "", fmt.Errorf("odt: %s: %w: a drop-down of more than %d labels", name, ErrTooComplex, maxLabels)
					}
					write(dropDown.shown())
					dropDown = nil
				}
				if keptValue != nil && keptValue.depth == depth {
					v := keptValue.text.String()
					variables[keptValue.name] = v
					write(v)
					keptValue = nil
				}
			case len(skip) > 0:
			case len(regions) > 0 && regions[len(regions)-1].depth == depth:
				r := regions[len(regions)-1]
				regions = regions[:len(regions)-1]
				text := out.String()
				o.total += len(text)
				out = r.prev
				marksOpen, marksBefore = marksBefore[len(marksBefore)-1], marksBefore[:len(marksBefore)-1]
				r.done(text)
			case t.Name.Space == styleNS && t.Name.Local == "style":
				if style != nil {
					o.styles[styleKey] = *style
				}
				style = nil
			case t.Name.Space == styleNS && t.Name.Local == "master-page":
				master = ""
			case t.Name.Space == officeNS && t.Name.Local == "body":
				out = nil
			case t.Name.Space != textNS:
			case t.Name.Local == "list-style" || t.Name.Local == "outline-style":
				listStyle = ""
			case t.Name.Local == "list" && len(lists) > 0:
				lists = lists[:len(lists)-1]
			case t.Name.Local == "p" || t.Name.Local == "h":
				write("\n")
				paragraphs--
			}
			modes = modes[:len(modes)-1]
			depth--
		case xml.CharData:
			if deleted > 0 && len(bytes.TrimSpace(t)) > 0 {
				return "", fmt.Errorf("odt: %s: %w: %s", name, ErrAmbiguous, trackedChanges)
			}
			if len(skip) == 0 {
				write(string(t))
			} else if keptValue != nil && keptValue.depth == depth {
				keptValue.text.Write(t)
			}
		}
	}
	return body.String(), nil
}

// odtKeptValue is a string variable set being read whose value is the text it keeps: its
// depth, its name and that text (not its elements').
type odtKeptValue struct {
	depth int
	name  string
	text  strings.Builder
}

// odtDropDown is a text:drop-down being read: its depth, and its labels' values.
type odtDropDown struct {
	depth    int
	values   []string
	selected int  // the last label selected, -1 when none is
	tooLong  bool // more than maxLabels labels
}

// maxLabels bounds the labels of a drop-down, whose longer list is refused: LibreOffice
// shows the label selected of any.
const maxLabels = 256

// label reads t, a label of the drop-down. A label without a value is not one.
func (d *odtDropDown) label(t xml.StartElement) {
	v, ok := "", false
	for _, a := range t.Attr {
		if a.Name.Space == textNS && a.Name.Local == "value" {
			v, ok = a.Value, true
		}
	}
	if !ok {
		return
	}
	if len(d.values) == maxLabels {
		d.tooLong = true
		return
	}
	if odtAttr(t, textNS, "current-selected") == "true" {
		d.selected = len(d.values)
	}
	d.values = append(d.values, v)
}

// shown is what LibreOffice 7.4 shows of the drop-down: the last label selected, the first
// when none is, nothing without labels.
func (d *odtDropDown) shown() string {
	switch {
	case len(d.values) == 0:
		return ""
	case d.selected >= 0:
		return d.values[d.selected]
	}
	return d.values[0]
}

// computed reports whether LibreOffice 7.4 may show the variable t sets as its formula
// computes it, otherwise than its value v: a variable not of strings whose text:formula is
// not v, with or without the prefix "ooow:" (LibreOffice computes "ooow:900*1000").
func computed(t xml.StartElement, v string) bool {
	f := odtAttr(t, textNS, "formula")
	return f != "" && odtAttr(t, officeNS, "value-type") != "string" && strings.TrimPrefix(f, "ooow:") != v
}

// odtPrefix is the prefix OpenDocument writes for the namespace space, in errors.
func odtPrefix(space string) string {
	if space == tableNS {
		return "table"
	}
	return "text"
}

// odtMode is what LibreOffice shows of an element's content (checked with LibreOffice 7.4,
// convert.TestDrawingTextAsShown): outside paragraphs (odtTop), the paragraphs; in a
// paragraph (odtShown), the text, also of elements it does not know, whatever their
// namespace; in a frame or a link around one (odtObject), only the frame's text box and the
// pictures and shapes inside; in a text box or shape (odtBlock), only its paragraphs, lists
// and tables; nothing of an image, of a picture's title or description (svg:title,
// svg:desc) or of the bytes of a picture kept in the file (odtHidden).
type odtMode int

const (
	odtTop odtMode = iota
	odtShown
	odtObject
	odtBlock
	odtHidden
)

// Namespaces of pictures, frames and shapes, and of their titles and descriptions.
const (
	drawNS = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
	svgNS  = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
)

// odtDrawings gives the modes of the drawing elements LibreOffice knows: shapes and text boxes
// show their paragraphs (odtBlock), frames, links and groups hold them and pictures
// (odtObject), pictures and embedded objects show nothing of what the file keeps in them as
// text (odtHidden). A drawing element it does not know is shown as any other in a paragraph.
var odtDrawings = map[string]odtMode{
	"rect": odtBlock, "line": odtBlock, "polyline": odtBlock, "polygon": odtBlock, "regular-polygon": odtBlock,
	"path": odtBlock, "circle": odtBlock, "ellipse": odtBlock, "connector": odtBlock, "caption": odtBlock,
	"measure": odtBlock, "custom-shape": odtBlock, "control": odtBlock, "page-thumbnail": odtBlock, "text-box": odtBlock,
	"frame": odtObject, "a": odtObject, "g": odtObject,
	"image": odtHidden, "object": odtHidden, "object-ole": odtHidden, "applet": odtHidden, "plugin": odtHidden, "floating-frame": odtHidden,
}

// odtModeOf returns the mode of an element named n whose parent's mode is parent.
func odtModeOf(parent odtMode, n xml.Name) odtMode {
	if parent == odtHidden || n.Space == svgNS && (n.Local == "title" || n.Local == "desc") || n.Space == officeNS && n.Local == "binary-data" {
		return odtHidden
	}
	if n.Space == drawNS {
		if m, ok := odtDrawings[n.Local]; ok {
			return m
		}
	}
	switch parent {
	case odtShown:
		return odtShown
	case odtTop:
		if n.Space == textNS && (n.Local == "p" || n.Local == "h") {
			return odtShown
		}
		return odtTop
	case odtBlock:
		switch {
		case n.Space == textNS && (n.Local == "p" || n.Local == "h"):
			return odtShown
		case n.Space == textNS || n.Space == tableNS:
			return odtBlock
		}
	}
	return odtHidden
}

// conditional reports whether t, of the text namespace, shows or hides text by a condition:
// a hidden paragraph or hidden text field, a conditional text field, a section displayed by
// its condition. LibreOffice 7.4 evaluates their conditions as it converts a letter, with
// its variables and user fields (a paragraph whose condition holds is not in the PDF, a
// conditional text shows the value its condition gives, not the one the file keeps); the
// text read here would not be the letter's, so such a letter has no text.
func conditional(t xml.StartElement) bool {
	switch t.Name.Local {
	case "hidden-paragraph", "hidden-text", "conditional-text":
		return true
	case "section":
		return odtAttr(t, textNS, "display") == "condition"
	}
	return false
}

// tableNS is the OpenDocument namespace of tables.
const tableNS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"

// odtNotBlock reports whether an element of office:text is not one of the body's blocks, on a
// page: declarations, forms, the change tracking's record, a page break hint.
func odtNotBlock(n xml.Name) bool {
	return n.Space == textNS && (strings.HasSuffix(n.Local, "-decls") || n.Local == "tracked-changes" || n.Local == "soft-page-break") ||
		n.Space == officeNS && n.Local == "forms"
}

// pending returns the bytes of text taken by out, a header's or note's, not yet counted.
func pending(out, body *strings.Builder) int {
	if out == nil || out == body {
		return 0
	}
	return out.Len()
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

// hasAttr reports whether t has the attribute space:local, empty or not.
func hasAttr(t xml.StartElement, space, local string) bool {
	for _, a := range t.Attr {
		if a.Name.Space == space && a.Name.Local == local {
			return true
		}
	}
	return false
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
func odtMeta(zr *docZip) (map[string]string, error) {
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
