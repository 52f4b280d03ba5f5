package textract

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/chancery/chancery/internal/budget"
)

// The parts of a Word document read besides its body, as LibreOffice shows them (checked with
// LibreOffice 7.4): the footnotes and endnotes the body refers to, in the order it refers to
// them, and the headers and footers its sections (w:sectPr) refer to, section by section, each
// part once. A first page's header or footer is shown only where a section has a title page
// (w:titlePg), an even page's only where the settings say so (w:evenAndOddHeaders).

// partKind tells what a WordprocessingML part read is.
type partKind int

const (
	mainPart partKind = iota
	notesPart
	headerPart
)

// docxDoc is a Word document being read: what reading its parts shares.
type docxDoc struct {
	zr    *docZip
	bud   *budget.Budget
	props map[string]string
	// main is the body's part name; rels the targets of its relationships by id, and of the
	// first of each type (footnotes, endnotes, styles, settings) by type.
	main   string
	rels   map[string]string
	byType map[string]string
	// hidden tells, of the styles that say, whether their text is hidden (w:vanish, themselves
	// or by the styles they are based on); defaultPara is the default paragraph style's id;
	// hiddenDefault whether the document's defaults hide text no style or run says of.
	hidden        map[string]bool
	defaultPara   string
	hiddenDefault bool
	// struck tells, of the styles that say, whether their text is drawn struck through
	// (w:strike or w:dstrike, themselves or by the styles they are based on); raised whether
	// it is drawn as a superscript or a subscript (w:vertAlign), or raised or lowered
	// (w:position), markSuper, markSub or 0. defaultMarks are the marks of the text no style
	// says of, from the document's defaults.
	struck       map[string]bool
	raised       map[string]textMarks
	defaultMarks textMarks
	// numbering is the numbering part, nil without one; styleNumbers the numbering of the
	// paragraph styles that number their paragraphs, themselves or by the styles they are
	// based on.
	numbering    *docxNumbering
	styleNumbers map[string]docxNumRef
	// even tells whether even pages show their own headers and footers, changesHidden
	// whether tracked changes are shown unmarked (readSettings).
	even, changesHidden bool
	// elements counts the elements read, in all parts; total the bytes of text kept.
	elements, total int
	// bookmarks are the texts of the body's bookmarks by name, which REF fields show
	// (fieldShown): the body is read again with them when it has such fields.
	bookmarks map[string]string
	// unclear says why LibreOffice shows some bookmarks otherwise than their text (by name):
	// a REF field to them is refused.
	unclear map[string]string
	// unresolved are the bookmarks REF fields name that the body has not, once its bookmarks
	// are read; elsewhere those of the other parts read (headers, footers, notes), whose text
	// LibreOffice shows for such a field, unread here.
	unresolved, elsewhere map[string]bool
}

// docxPart is what reading a part gave.
type docxPart struct {
	text     string
	refs     []docxRef
	sections []*docxSection
	notes    map[string]string
	// marks are where the text of the main part's bookmarks is in text, by name (the first
	// of a name), up to the end of the paragraph each starts in; refFields counts the REF
	// fields met; unclear says why LibreOffice shows some of them otherwise (by name).
	marks     map[string][2]int
	unclear   map[string]string
	refFields int
}

// docxRef is a reference to a footnote or endnote.
type docxRef struct {
	endnote bool
	id      string
}

// docxSection is a section's properties: its headers and footers, and whether it has a title page.
type docxSection struct {
	refs      []docxHeader
	titlePage bool
}

// docxHeader is a section's reference to a header or footer part: its type (default, first or
// even) and relationship id.
type docxHeader struct {
	footer  bool
	typ, id string
}

// Relationship namespaces, transitional and strict, of r:id attributes and relationship types.
const (
	relNS       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	strictRelNS = "http://purl.oclc.org/ooxml/officeDocument/relationships"
)

// maxStylesPart bounds how much of a Word document's styles and settings parts is read: some
// tens of kilobytes in a real document.
const maxStylesPart = 4 << 20

// relAttr returns the value of t's attribute r:local, or "".
func relAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && (a.Name.Space == relNS || a.Name.Space == strictRelNS) {
			return a.Value
		}
	}
	return ""
}

// on reports whether an on/off property element t is on: without w:val, or with a value other
// than false, 0 or off.
func on(t xml.StartElement) bool {
	for _, a := range t.Attr {
		if a.Name.Local == "val" && (a.Name.Space == wordNS || a.Name.Space == strictWordNS) {
			v := strings.ToLower(a.Value)
			return v != "false" && v != "0" && v != "off"
		}
	}
	return true
}

// relationships reads the main part's relationships (word/_rels/document.xml.rels beside
// word/document.xml), targets resolved from the main part's folder; none without that part.
func (d *docxDoc) relationships() error {
	d.rels, d.byType = map[string]string{}, map[string]string{}
	dir, file := path.Split(d.main)
	f := entry(d.zr, dir+"_rels/"+file+".rels")
	if f == nil {
		return nil
	}
	b, err := readPart(f, maxStylesPart)
	if err != nil {
		return err
	}
	var doc struct {
		Rels []struct {
			ID         string `xml:"Id,attr"`
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := d.decodePart(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", f.Name, err)
	}
	for _, r := range doc.Rels {
		if r.TargetMode == "External" {
			continue
		}
		target := strings.TrimPrefix(path.Clean("/"+dir+r.Target), "/")
		if strings.HasPrefix(r.Target, "/") {
			target = strings.TrimPrefix(path.Clean(r.Target), "/")
		}
		if _, ok := d.rels[r.ID]; !ok {
			d.rels[r.ID] = target
		}
		for _, ns := range []string{relNS, strictRelNS} {
			if typ, ok := strings.CutPrefix(r.Type, ns+"/"); ok {
				if _, ok := d.byType[typ]; !ok {
					d.byType[typ] = target
				}
			}
		}
	}
	return nil
}

// decodePart decodes a part of the document's package, b, into v as xml.Unmarshal does, but
// counting its elements with those of the document's other parts (maxDOCXElements) and
// stopping once the time budget is spent: a styles or numbering part of some megabytes of
// empty elements, a few kilobytes compressed, took about 100 MB of allocations and half a
// second each, past the time budget.
func (d *docxDoc) decodePart(b []byte, v any) error {
	return xml.NewTokenDecoder(&countedTokens{dec: xml.NewDecoder(bytes.NewReader(b)), d: d}).Decode(v)
}

// countedTokens reads a part's tokens for decodePart.
type countedTokens struct {
	dec *xml.Decoder
	d   *docxDoc
}

func (c *countedTokens) Token() (xml.Token, error) {
	if err := c.d.bud.Tick(); err != nil {
		return nil, err
	}
	tok, err := c.dec.RawToken()
	if _, ok := tok.(xml.StartElement); ok {
		if c.d.elements++; c.d.elements > maxDOCXElements {
			return nil, fmt.Errorf("%w: more than %d elements", ErrTooComplex, maxDOCXElements)
		}
	}
	return tok, err
}

// readStyles reads which styles hide their text, from the styles part: a style with w:vanish
// or w:webHidden (which LibreOffice 7.4 reads as w:vanish, the last of the two said deciding)
// in its run properties, or based on one (w:basedOn), unless it says otherwise; the default
// paragraph style; and whether the document's defaults hide text. A style without a name
// (w:name) is not one: LibreOffice applies none of its properties. Of the defaults
// (w:docDefaults), LibreOffice 7.4 hides text by the paragraph mark's run properties
// (w:pPrDefault's w:rPr), not by the default run properties (w:rPrDefault), which Word
// hides text by too (convert.TestDocumentDefaultsHiddenAsShown). It also reads which
// paragraph styles number their paragraphs (w:numPr's numbering and level, each from the
// nearest style in the chain that says).
func (d *docxDoc) readStyles() error {
	d.hidden, d.struck, d.raised = map[string]bool{}, map[string]bool{}, map[string]textMarks{}
	name := d.byType["styles"]
	f := entry(d.zr, name)
	if name == "" || f == nil {
		return nil
	}
	b, err := readPart(f, maxStylesPart)
	if err != nil {
		return err
	}
	var doc struct {
		Styles []struct {
			Type    string       `xml:"type,attr"`
			ID      string       `xml:"styleId,attr"`
			Default string       `xml:"default,attr"`
			Name    *onOff       `xml:"name"`
			BasedOn onOff        `xml:"basedOn"`
			Run     docxRunMarks `xml:"rPr"`
			NumID   *onOff       `xml:"pPr>numPr>numId"`
			Ilvl    *onOff       `xml:"pPr>numPr>ilvl"`
		} `xml:"style"`
		// The default run properties, and the paragraph mark's, by which LibreOffice 7.4
		// strikes, raises and lowers text too.
		DefaultRun  docxRunMarks `xml:"docDefaults>rPrDefault>rPr"`
		DefaultMark docxRunMarks `xml:"docDefaults>pPrDefault>pPr>rPr"`
	}
	if err := d.decodePart(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	based, vanish, strike, vert := map[string]string{}, map[string]bool{}, map[string]bool{}, map[string]textMarks{}
	numIDs, levels := map[string]string{}, map[string]string{}
	for _, s := range doc.Styles {
		if s.Name == nil {
			continue
		}
		if s.NumID != nil && s.NumID.Val != nil {
			numIDs[s.ID] = *s.NumID.Val
		}
		if s.Ilvl != nil && s.Ilvl.Val != nil {
			levels[s.ID] = *s.Ilvl.Val
		}
		if s.Type == "paragraph" && (s.Default == "1" || s.Default == "true") && d.defaultPara == "" {
			d.defaultPara = s.ID
		}
		if s.BasedOn.Val != nil {
			based[s.ID] = *s.BasedOn.Val
		}
		if s.Run.Hidden != nil {
			vanish[s.ID] = s.Run.Hidden.on()
		}
		if s.Run.Strike != nil || s.Run.DStrike != nil {
			strike[s.ID] = s.Run.Strike != nil && s.Run.Strike.on() || s.Run.DStrike != nil && s.Run.DStrike.on()
		}
		if m, ok := raisedMarks(s.Run.Vert, s.Run.Pos); ok {
			vert[s.ID] = m
		}
	}
	d.hiddenDefault = doc.DefaultMark.Hidden != nil && doc.DefaultMark.Hidden.on()
	d.defaultMarks = doc.DefaultRun.marks() | doc.DefaultMark.marks()
	d.styleNumbers = map[string]docxNumRef{}
	for _, s := range doc.Styles {
		if v, ok := nearestStyle(s.ID, based, vanish); ok {
			d.hidden[s.ID] = v
		}
		if v, ok := nearestStyle(s.ID, based, strike); ok {
			d.struck[s.ID] = v
		}
		if v, ok := nearestStyle(s.ID, based, vert); ok {
			d.raised[s.ID] = v
		}
		if id, ok := nearestStyle(s.ID, based, numIDs); ok {
			ilvl, _ := nearestStyle(s.ID, based, levels)
			d.styleNumbers[s.ID] = docxNumRef{numID: id, ilvl: ilvl}
		}
	}
	return nil
}

// nearestStyle returns the value of the nearest style in the chain from id (id, the style it
// is based on, …) that has one in of, within a bounded chain (a loop says nothing).
func nearestStyle[V any](id string, based map[string]string, of map[string]V) (V, bool) {
	for range 32 {
		if v, ok := of[id]; ok {
			return v, true
		}
		if id = based[id]; id == "" {
			break
		}
	}
	var zero V
	return zero, false
}

// docxNumRef is a numbering and level a paragraph or style names (w:numPr), "" when unsaid.
type docxNumRef struct {
	numID, ilvl string
}

// onOff is an on/off property read by encoding/xml: its w:val, if any.
type onOff struct {
	Val *string `xml:"val,attr"`
}

// on reports whether the property is on, as on does.
func (o *onOff) on() bool {
	if o.Val == nil {
		return true
	}
	v := strings.ToLower(*o.Val)
	return v != "false" && v != "0" && v != "off"
}

// paragraphHidden reports whether a paragraph of style id (the default paragraph style's
// when "") hides its text: as its style says, else as the document's defaults say.
func (d *docxDoc) paragraphHidden(id string) bool {
	if v, ok := d.hidden[id]; ok {
		return v
	}
	return d.hiddenDefault
}

// readSettings reads, from the document's settings, whether even pages show their own headers
// and footers (w:evenAndOddHeaders), and whether LibreOffice shows tracked changes as marked
// (LibreOffice 7.4 does, deleted text struck through, unless w:revisionView's w:insDel or
// w:markup is off).
func (d *docxDoc) readSettings() error {
	name := d.byType["settings"]
	f := entry(d.zr, name)
	if name == "" || f == nil {
		return nil
	}
	b, err := readPart(f, maxStylesPart)
	if err != nil {
		return err
	}
	dec := xml.NewDecoder(strings.NewReader(string(b)))
	for {
		tok, err := dec.Token()
		if err != nil {
			// What a settings part LibreOffice cannot read either says from there is not applied.
			return nil
		}
		t, ok := tok.(xml.StartElement)
		if !ok || t.Name.Space != wordNS && t.Name.Space != strictWordNS {
			continue
		}
		switch t.Name.Local {
		case "evenAndOddHeaders":
			d.even = on(t)
		case "revisionView":
			for _, a := range []string{"insDel", "markup"} {
				if v := strings.ToLower(wordAttr(t, a)); v == "0" || v == "false" || v == "off" {
					d.changesHidden = true
				}
			}
		}
	}
}

// footnoteMarker and endnoteMarker are the lines that start, in a document's text, each of its
// notes, so that a diff shows where a change is; headerMarker gives the headers' and footers'.
const (
	footnoteMarker = "[footnote]"
	endnoteMarker  = "[endnote]"
)

// textMarks are the ways of drawing text that change what it says, which a document's text
// encloses between an opener and "]": a word struck through reads as withdrawn, and "10" with
// a raised "6" as a million, not as 106.
type textMarks uint8

const (
	markStruck textMarks = 1 << iota
	markSuper
	markSub
)

// markOpeners are the marks' openers, in the order they are opened.
var markOpeners = [...]struct {
	mark textMarks
	open string
}{{markStruck, "[struck: "}, {markSuper, "[superscript: "}, {markSub, "[subscript: "}}

// remark writes to b, when the marks open differ from those wanted, what closes the first and
// opens the others; it returns the marks open after it.
func remark(b *strings.Builder, open, want textMarks) textMarks {
	if open == want {
		return want
	}
	for _, m := range markOpeners {
		if open&m.mark != 0 {
			b.WriteByte(']')
		}
	}
	for _, m := range markOpeners {
		if want&m.mark != 0 {
			b.WriteString(m.open)
		}
	}
	return want
}

// vertMarks are the marks of a Word w:vertAlign value.
func vertMarks(v string) textMarks {
	switch v {
	case "superscript":
		return markSuper
	case "subscript":
		return markSub
	}
	return 0
}

// marksOf are the marks of the text of a style of id: as the style says, else as the
// document's defaults say.
func (d *docxDoc) marksOf(id string) textMarks {
	m := d.defaultMarks
	if v, ok := d.raised[id]; ok {
		m = m&^(markSuper|markSub) | v
	}
	if v, ok := d.struck[id]; ok {
		m &^= markStruck
		if v {
			m |= markStruck
		}
	}
	return m
}

// docxRunMarks are the run properties of a style or of a document's defaults that mark text
// (textMarks), or hide it (Hidden: the last of w:vanish and w:webHidden said, which
// LibreOffice 7.4 reads alike; of the defaults, the paragraph mark's only: paragraphHidden).
// LibreOffice leaves out the defaults' w:position: their text is drawn on the line.
type docxRunMarks struct {
	Hidden, Strike, DStrike, Vert, Pos *onOff
}

// UnmarshalXML reads the properties of a run properties element (w:rPr), in their order.
func (r *docxRunMarks) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			var o onOff
			if err := d.DecodeElement(&o, &t); err != nil {
				return err
			}
			switch t.Name.Local {
			case "vanish", "webHidden":
				r.Hidden = &o
			case "strike":
				r.Strike = &o
			case "dstrike":
				r.DStrike = &o
			case "vertAlign":
				r.Vert = &o
			case "position":
				r.Pos = &o
			}
		}
	}
}

// marks are the marks the properties give.
func (r docxRunMarks) marks() textMarks {
	m, _ := raisedMarks(r.Vert, nil)
	if r.Strike != nil && r.Strike.on() || r.DStrike != nil && r.DStrike.on() {
		m |= markStruck
	}
	return m
}

// raisedMarks are the marks of text drawn as a superscript or subscript (w:vertAlign), or
// raised or lowered (w:position, in half points, as LibreOffice draws it), and whether the
// properties say; a superscript or subscript is drawn as such wherever it is raised to.
// LibreOffice takes a position of 0 as none: the text stays as the style or the defaults
// raise it.
func raisedMarks(vert, pos *onOff) (textMarks, bool) {
	raised := textMarks(0)
	if pos != nil && pos.Val != nil {
		raised = positionMark(*pos.Val)
	}
	if vert != nil && vert.Val != nil {
		if m := vertMarks(*vert.Val); m != 0 || raised == 0 {
			return m, true
		}
	}
	return raised, raised != 0
}

// docxRaise is what a run's own properties say of raised text (raisedMarks).
type docxRaise struct{ vert, pos *onOff }

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// positionMark is the mark of a w:position value: a number of half points, or a measure
// with its unit ("3pt"), raised when positive and lowered when negative.
func positionMark(v string) textMarks {
	f, err := strconv.ParseFloat(strings.TrimRight(strings.TrimSpace(v), "abcdefghijklmnopqrstuvwxyz"), 64)
	switch {
	case err != nil:
		return 0
	case f > 0:
		return markSuper
	case f < 0:
		return markSub
	}
	return 0
}

// headerMarker returns the line that starts a header's or footer's text: "[header]",
// "[first page footer]", "[even page header]"…
func headerMarker(footer bool, page string) string {
	kind := "header"
	if footer {
		kind = "footer"
	}
	if page != "" {
		return "[" + page + " page " + kind + "]"
	}
	return "[" + kind + "]"
}

// text reads the document's parts and returns its text: the body, then each footnote and
// endnote the body refers to (footnotes first), then the headers and footers of each section,
// headers first, of the first page, then of every page, then of even pages; each after its
// marker line.
func (d *docxDoc) text() (string, error) {
	elements := d.elements
	d.unresolved, d.elsewhere = map[string]bool{}, map[string]bool{}
	body, err := d.readPart(d.main, mainPart)
	if err != nil {
		return "", err
	}
	// The bookmarks' texts serve the REF fields of every part; the body is read again only
	// for its own.
	d.bookmarks = make(map[string]string, len(body.marks))
	for name, at := range body.marks {
		d.bookmarks[name] = body.text[at[0]:at[1]]
	}
	d.unclear = body.unclear
	if body.refFields > 0 {
		// The second reading counts its elements as the first did.
		d.elements = elements
		if body, err = d.readPart(d.main, mainPart); err != nil {
			return "", err
		}
	}
	var b strings.Builder
	b.WriteString(body.text)
	d.total = b.Len()
	// A note referred to many times is read once, and its text kept within MaxText.
	add := func(marker, text string) {
		if b.Len() > MaxText {
			return
		}
		b.WriteString(marker + "\n" + text)
		if !strings.HasSuffix(text, "\n") {
			b.WriteByte('\n')
		}
		d.total = b.Len()
	}
	for _, kind := range []struct {
		endnote bool
		part    string
		marker  string
	}{{false, "footnotes", footnoteMarker}, {true, "endnotes", endnoteMarker}} {
		name := d.byType[kind.part]
		if name == "" || entry(d.zr, name) == nil {
			continue
		}
		var notes *docxPart
		for _, r := range body.refs {
			if r.endnote != kind.endnote {
				continue
			}
			if notes == nil {
				if notes, err = d.readPart(name, notesPart); err != nil {
					return "", err
				}
			}
			if n, ok := notes.notes[r.id]; ok {
				add(kind.marker, n)
			}
		}
	}
	even := d.even
	titlePage := false
	for _, s := range body.sections {
		titlePage = titlePage || s.titlePage
	}
	done := map[string]bool{}
	for _, s := range body.sections {
		for _, footer := range []bool{false, true} {
			for _, typ := range []string{"first", "default", "even"} {
				if typ == "first" && !titlePage || typ == "even" && !even {
					continue
				}
				for _, h := range s.refs {
					name := d.rels[h.id]
					if h.footer != footer || h.typ != typ && !(typ == "default" && h.typ == "") || name == "" || done[name] || entry(d.zr, name) == nil {
						continue
					}
					done[name] = true
					part, err := d.readPart(name, headerPart)
					if err != nil {
						return "", err
					}
					page := typ
					if page == "default" {
						page = ""
					}
					add(headerMarker(footer, page), part.text)
				}
			}
		}
	}
	for name := range d.unresolved {
		if d.elsewhere[name] {
			return "", fmt.Errorf("docx: %w: a cross-reference (REF) to a bookmark of a header, footer or note, which the converted letter shows", ErrAmbiguous)
		}
	}
	return b.String(), nil
}
