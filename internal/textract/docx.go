package textract

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/budget"
)

// DOCXType is the media type of Word documents (Office Open XML).
const DOCXType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// maxDOCXPart bounds how much of a document's XML part (a Word document's main part, an
// OpenDocument's content.xml) is decompressed: a zip bomb stops there.
const maxDOCXPart = 32 << 20

// wordNS is the WordprocessingML namespace of w:p, w:t, w:tab and w:br; strictWordNS is the
// same vocabulary's in Strict Office Open XML (ISO/IEC 29500 Strict), which LibreOffice and
// Word read alike.
const (
	wordNS       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	strictWordNS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
)

// ErrAmbiguous is wrapped by errors about a document whose package can be read as more than
// one text: the text read here would not be the one LibreOffice converts and Word shows.
var ErrAmbiguous = errors.New("ambiguous document")

// maxRelsPart bounds how much of the package relationships (_rels/.rels) is read: a few
// hundred bytes in a real document.
const maxRelsPart = 64 << 10

// docxText returns the text of a Word document: its body, then its footnotes and endnotes,
// then its headers and footers (docxDoc.text says in what order and how marked). Of each part,
// the runs' text (w:t), a new line per paragraph (w:p) and line break (w:br), a tab per w:tab,
// the hyphens and symbols drawn by w:noBreakHyphen and w:sym (a minus sign among them), the
// labels of numbered paragraphs (docxnumbering.go), but not hidden text (w:vanish, directly or
// by style) or comments, and of Markup Compatibility's alternatives (mc:AlternateContent)
// only the branch LibreOffice shows (mce); text drawn struck through (w:strike, w:dstrike)
// or as a superscript or subscript (w:vertAlign), directly or by style, is enclosed in
// "[struck: ", "[superscript: " or "[subscript: " and "]" (textMarks). A document whose
// tracked deletions (w:delText) LibreOffice shows, struck through, is refused with
// ErrAmbiguous (unless its settings' w:revisionView hide them, readSettings). The body is the part the package's relationships
// name (packageParts), as LibreOffice and Word read it. A field that LibreOffice shows
// otherwise than by the result the file keeps, such as one showing a document property, is
// read as LibreOffice shows it (fieldShown). Decoding stops once the time budget bud is spent.
func docxText(data []byte, bud *budget.Budget) (string, error) {
	zr, err := openZip(data, "docx")
	if err != nil {
		return "", err
	}
	name, corePart, err := packageParts(zr)
	if err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	props, err := coreProperties(zr, corePart)
	if err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	d := &docxDoc{zr: zr, bud: bud, props: props, main: name}
	if err := d.relationships(); err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	if err := d.readStyles(); err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	if err := d.readNumbering(); err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	if err := d.readSettings(); err != nil {
		return "", fmt.Errorf("docx: %w", err)
	}
	return d.text()
}

// readPart reads the WordprocessingML part name: its text, and, of the main part, the notes
// it refers to and its sections; of a notes part, each note's text by its id.
func (d *docxDoc) readPart(name string, role partKind) (*docxPart, error) {
	part, rc, err := zipPart(d.zr, "docx", name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	out := &docxPart{notes: map[string]string{}, marks: map[string][2]int{}, unclear: map[string]string{}}
	// The bookmarks open (w:bookmarkStart, by id): their names, where their text starts, how
	// many paragraphs of the main part had ended then and how many texts had been hidden, and
	// whether they start in a table before any paragraph ended; ends is where each such
	// paragraph's text ends, hiddenTexts counts the texts hidden, tables the tables open.
	type openMark struct {
		name                 string
		start, paras, hidden int
		firstCell, heading   bool
	}
	marks := map[string]openMark{}
	var (
		ends                []int
		hiddenTexts, tables int
		// paraStart is where the text of the paragraph being read starts; toParaEnd holds
		// the bookmarks whose text is their paragraph's, read to its end (headingMark).
		paraStart int
		toParaEnd []openMark
	)
	var b strings.Builder
	inText, inInstr, inDeleted := false, false, false
	depth := 0
	// fields are the complex fields open (w:fldChar begin … end), innermost last; simple the
	// depths of the simple fields (w:fldSimple) open that show a property; replaced counts the
	// fields open whose kept result is left out for what fieldShown says they show.
	var (
		fields     []*docxField
		simple     []int
		replaced   int
		beginDepth int // of the innermost field's w:fldChar begin, while open
	)
	// The hidden text: paraHidden is what the open paragraph's style says, runHidden what the
	// open run's properties say (their depth, runProps, when open). The properties inside a
	// tracked change of formatting (w:rPrChange…, from changeDepth) are the old ones, not shown.
	// Likewise paraMarks and runMarks for text drawn struck through or raised (textMarks),
	// which is written between the marks' openers and "]" (marksOpen, the marks written): a
	// revision that only strikes a word out or raises a figure must show in the diff.
	var (
		paraHidden, runHidden           bool
		paraMarks, runMarks, marksOpen  textMarks
		runRaise                        docxRaise
		runDepth, runProps, changeDepth int
		sect                            *docxSection
		sectDepth, noteDepth            int
		noteID                          string
	)
	// The Markup Compatibility branches (mce): took tells, of each element open but those of
	// that namespace, innermost last, whether a choice was taken among its children; saved
	// keeps the values an mc:AlternateContent open replaced; the branch LibreOffice leaves
	// out is skipped from its depth, mceSkip.
	var (
		took, saved []bool
		mceSkip     int
	)
	// paras are the paragraphs open, innermost last (a text box's inside another's), and
	// pPrDepth the depth of the innermost one's properties, while open.
	var (
		paras    []*docxPara
		pPrDepth int
	)
	// The first text a paragraph shows comes after its label (docxnumbering.go).
	write := func(s string) {
		if replaced != 0 {
			return
		}
		var p *docxPara
		if len(paras) > 0 {
			p = paras[len(paras)-1]
		}
		if runHidden {
			if p != nil {
				p.hidden = true
			}
			if strings.TrimSpace(s) != "" {
				hiddenTexts++
			}
			return
		}
		if p != nil && !p.shown {
			p.shown = true
			b.WriteString(d.label(p))
		}
		marksOpen = remark(&b, marksOpen, runMarks)
		b.WriteString(s)
	}
	// kept counts the bytes of the notes read.
	kept := 0
	for d.total+kept+b.Len() <= MaxText {
		if err := d.bud.Tick(); err != nil {
			return nil, fmt.Errorf("docx: %s: %w", name, err)
		}
		tok, err := part.token()
		if err == io.EOF {
			if len(fields) > 0 {
				return nil, fmt.Errorf("docx: %s: %w: %s", name, ErrAmbiguous, fieldWithoutEnd)
			}
			break
		}
		if err != nil {
			return nil, fmt.Errorf("docx: %s: %w", name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > maxDOCXDepth {
				return nil, fmt.Errorf("docx: %s: %w: elements nested more than %d deep", name, ErrTooComplex, maxDOCXDepth)
			}
			if d.elements++; d.elements > maxDOCXElements {
				return nil, fmt.Errorf("docx: %s: %w: more than %d elements", name, ErrTooComplex, maxDOCXElements)
			}
			if mceSkip > 0 {
				continue
			}
			if t.Name.Space == mceNS {
				if len(took) > 0 {
					mceSkip = mce(t, &took[len(took)-1], &saved, depth)
				}
				continue
			}
			took = append(took, false)
			if t.Name.Space != wordNS && t.Name.Space != strictWordNS {
				continue
			}
			if changeDepth > 0 {
				continue
			}
			switch t.Name.Local {
			case "rPrChange", "pPrChange", "sectPrChange":
				changeDepth = depth
			case "p":
				paraHidden, paraMarks = d.paragraphHidden(d.defaultPara), d.marksOf(d.defaultPara)
				paras = append(paras, &docxPara{style: d.defaultPara})
			case "pPr":
				if len(paras) > 0 {
					pPrDepth = depth
				}
			case "pStyle":
				paraHidden, paraMarks = d.paragraphHidden(wordAttr(t, "val")), d.marksOf(wordAttr(t, "val"))
				if len(paras) > 0 && pPrDepth > 0 {
					paras[len(paras)-1].style = wordAttr(t, "val")
				}
			case "numId", "ilvl":
				if len(paras) > 0 && pPrDepth > 0 {
					p := paras[len(paras)-1]
					if t.Name.Local == "numId" {
						p.numID, p.numIDSaid = wordAttr(t, "val"), true
					} else {
						p.ilvl, p.ilvlSaid = wordAttr(t, "val"), true
					}
				}
			case "r":
				runDepth, runHidden, runMarks, runRaise = depth, paraHidden, paraMarks, docxRaise{}
			case "rPr":
				if runDepth > 0 && depth == runDepth+1 {
					runProps = depth
				}
			case "rStyle":
				// A run style that says nothing of hidden text leaves the paragraph style's.
				if v, ok := d.hidden[wordAttr(t, "val")]; ok && runProps > 0 {
					runHidden = v
				}
				if v, ok := d.struck[wordAttr(t, "val")]; ok && runProps > 0 {
					runMarks &^= markStruck
					if v {
						runMarks |= markStruck
					}
				}
				if v, ok := d.raised[wordAttr(t, "val")]; ok && runProps > 0 {
					runMarks = runMarks&^(markSuper|markSub) | v
				}
			case "strike", "dstrike":
				if runProps > 0 {
					runMarks &^= markStruck
					if on(t) {
						runMarks |= markStruck
					}
				}
			case "vertAlign", "position":
				if runProps > 0 {
					if t.Name.Local == "vertAlign" {
						runRaise.vert = &onOff{Val: ptr(wordAttr(t, "val"))}
					} else {
						runRaise.pos = &onOff{Val: ptr(wordAttr(t, "val"))}
					}
					if m, ok := raisedMarks(runRaise.vert, runRaise.pos); ok {
						runMarks = runMarks&^(markSuper|markSub) | m
					}
				}
			case "vanish", "webHidden":
				// LibreOffice 7.4 hides text by w:webHidden as by w:vanish (the last said
				// decides), though Word hides it only in its web layout.
				if runProps > 0 {
					runHidden = on(t)
				}
			case "footnoteReference", "endnoteReference":
				if role == mainPart && !runHidden {
					out.refs = append(out.refs, docxRef{endnote: t.Name.Local == "endnoteReference", id: wordAttr(t, "id")})
				}
			case "footnote", "endnote":
				if role == notesPart && noteDepth == 0 {
					noteDepth, noteID = depth, wordAttr(t, "id")
					b.Reset()
				}
			case "sectPr":
				if role == mainPart {
					sect, sectDepth = &docxSection{}, depth
					out.sections = append(out.sections, sect)
				}
			case "headerReference", "footerReference":
				if sect != nil {
					sect.refs = append(sect.refs, docxHeader{footer: t.Name.Local == "footerReference", typ: wordAttr(t, "type"), id: relAttr(t, "id")})
				}
			case "titlePg":
				if sect != nil {
					sect.titlePage = on(t)
				}
			case "t":
				inText = true
			case "delText":
				inDeleted = true
			case "instrText":
				inInstr = true
			case "tab":
				write("\t")
			case "br", "cr":
				write("\n")
			case "noBreakHyphen":
				write("-")
			case "sym":
				write(symbol(t))
			case "fldChar":
				kind := wordAttr(t, "fldCharType")
				if kind == "begin" {
					fields = append(fields, &docxField{})
					beginDepth = depth
					break
				}
				if len(fields) == 0 || kind != "separate" && kind != "end" {
					break
				}
				f := fields[len(fields)-1]
				if !f.decided {
					f.decided = true
					v, replace, ok, err := d.fieldShown(f.instr.String(), &out.refFields)
					if err != nil {
						return nil, fmt.Errorf("docx: %s: %w", name, err)
					}
					if ok {
						if fieldName(f.instr.String()) == "formdropdown" {
							if f.tooLong {
								return nil, fmt.Errorf("docx: %s: %w: a drop-down of more than %d entries", name, ErrTooComplex, maxEntries)
							}
							v = f.chosen()
						}
						write(v)
						if replace {
							f.replaced = true
							replaced++
						}
					}
				}
				if kind == "end" {
					if f.replaced {
						replaced--
					}
					fields = fields[:len(fields)-1]
				}
			case "bookmarkStart":
				if role != mainPart && len(d.elsewhere) < maxBookmarks {
					d.elsewhere[wordAttr(t, "name")] = true
				}
				if role == mainPart && len(marks) < maxBookmarks {
					name := wordAttr(t, "name")
					marks[wordAttr(t, "id")] = openMark{name: name, start: b.Len(), paras: len(ends), hidden: hiddenTexts,
						firstCell: tables > 0 && len(ends) == 0, heading: b.Len() == paraStart && headingMark(name)}
				}
			case "bookmarkEnd":
				if m, ok := marks[wordAttr(t, "id")]; ok {
					if _, seen := out.marks[m.name]; !seen && len(out.marks) < maxBookmarks {
						// LibreOffice 7.4 shows a REF field to a bookmark that spans
						// paragraphs as its text in the first.
						end := b.Len()
						if len(ends) > m.paras {
							end = ends[m.paras]
						}
						out.marks[m.name] = [2]int{m.start, end}
						if m.heading && end == m.start && len(ends) == m.paras {
							toParaEnd = append(toParaEnd, m)
						}
						switch {
						case hiddenTexts > m.hidden:
							out.unclear[m.name] = "a cross-reference (REF) to a bookmark holding hidden text, which the converted letter shows"
						case m.firstCell:
							out.unclear[m.name] = "a cross-reference (REF) to a bookmark in the first paragraph of a table that opens the document, " +
								"which the converted letter shows without its first character"
						}
					}
					delete(marks, wordAttr(t, "id"))
				}
			case "tbl":
				tables++
			case "listEntry", "result":
				// A drop-down form field's list (w:ffData's w:ddList, of its w:fldChar begin).
				if beginDepth > 0 && len(fields) > 0 {
					fields[len(fields)-1].listed(t)
				}
			case "fldSimple":
				v, replace, ok, err := d.fieldShown(wordAttr(t, "instr"), &out.refFields)
				if err != nil {
					return nil, fmt.Errorf("docx: %s: %w", name, err)
				}
				if ok {
					write(v)
					if replace {
						simple = append(simple, depth)
						replaced++
					}
				}
			}
		case xml.EndElement:
			depth--
			if mceSkip > 0 {
				if depth+1 == mceSkip {
					mceSkip = 0
				}
				continue
			}
			if t.Name.Space == mceNS {
				if t.Name.Local == "AlternateContent" && len(took) > 0 && len(saved) > 0 {
					took[len(took)-1], saved = saved[len(saved)-1], saved[:len(saved)-1]
				}
				continue
			}
			took = took[:len(took)-1]
			if t.Name.Space != wordNS && t.Name.Space != strictWordNS {
				continue
			}
			if changeDepth > 0 {
				if depth+1 == changeDepth {
					changeDepth = 0
				}
				continue
			}
			switch t.Name.Local {
			case "tbl":
				tables--
			case "fldChar":
				if depth+1 == beginDepth {
					beginDepth = 0
				}
			case "t":
				inText = false
			case "delText":
				inDeleted = false
			case "instrText":
				inInstr = false
			case "rPr":
				if depth+1 == runProps {
					runProps = 0
				}
			case "r":
				runDepth, runHidden, runMarks = 0, false, paraMarks
			case "sectPr":
				if depth+1 == sectDepth {
					sect = nil
				}
			case "footnote", "endnote":
				if depth+1 == noteDepth {
					out.notes[noteID] = b.String()
					kept += b.Len()
					noteDepth = 0
					b.Reset()
				}
			case "fldSimple":
				if n := len(simple); n > 0 && simple[n-1] == depth+1 {
					simple = simple[:n-1]
					replaced--
				}
			case "pPr":
				if depth+1 == pPrDepth {
					pPrDepth = 0
				}
			case "p":
				if n := len(paras); n > 0 {
					// A paragraph that shows nothing shows its label, unless it hides text.
					if p := paras[n-1]; !p.shown && !p.hidden {
						b.WriteString(d.label(p))
					} else {
						d.label(p)
					}
					paras = paras[:n-1]
				}
				marksOpen = remark(&b, marksOpen, 0)
				if role == mainPart {
					ends = append(ends, b.Len())
					for _, m := range toParaEnd {
						out.marks[m.name] = [2]int{m.start, b.Len()}
					}
					toParaEnd = toParaEnd[:0]
				}
				b.WriteByte('\n')
				paraStart = b.Len()
				paraHidden, paraMarks = false, 0
			}
		case xml.CharData:
			switch {
			case mceSkip > 0:
			case inDeleted && !runHidden && !d.changesHidden && len(bytes.TrimSpace(t)) > 0:
				return nil, fmt.Errorf("docx: %s: %w: %s", name, ErrAmbiguous, trackedChanges)
			case inText:
				write(string(t))
			case inInstr && len(fields) > 0 && !fields[len(fields)-1].decided:
				if f := fields[len(fields)-1]; f.instr.Len() < maxInstr {
					f.instr.Write(t)
				}
			case inInstr:
				// Instruction text that is no field's instruction (outside any field, or in
				// the innermost one's result) LibreOffice shows as text.
				write(string(t))
			}
		}
	}
	out.text = b.String()
	return out, nil
}

// trackedChanges says why a document whose tracked changes LibreOffice shows is refused: it
// shows them marked in the converted letter, the deleted text struck through but there,
// where the text read here, which reviewers approve, has none of it.
const trackedChanges = "tracked changes, which the converted letter shows marked (deleted text struck through): accept or reject them first"

// fieldWithoutEnd says why a document with a field begun (w:fldChar begin) and never ended is
// refused: LibreOffice 7.4 leaves out its result and the rest of its part.
const fieldWithoutEnd = "a field without its end (w:fldChar end), whose result and what follows the converted letter leaves out"

// mceNS is the namespace of Markup Compatibility (ECMA-376 part 3), the same in transitional
// and strict Office Open XML.
const mceNS = "http://schemas.openxmlformats.org/markup-compatibility/2006"

// mce reads the start t of a Markup Compatibility element, at depth, as LibreOffice 7.4
// does (its writerfilter): the element's parent keeps whether it took a choice among its
// children (took), which an mc:AlternateContent resets until its end (the value before kept
// in saved). An mc:Choice is taken when its Requires attribute is exactly one of the prefixes
// LibreOffice supports (the attribute's text is compared, not the namespaces the prefixes are
// bound to), every such choice; an mc:Fallback is shown only when no choice was taken before
// it. mce returns the depth from which the element's content is left out, or 0.
func mce(t xml.StartElement, took *bool, saved *[]bool, depth int) (skip int) {
	switch t.Name.Local {
	case "AlternateContent":
		*saved = append(*saved, *took)
		*took = false
	case "Choice":
		for _, a := range t.Attr {
			if a.Name.Space == "" && a.Name.Local == "Requires" && (a.Value == "wps" || a.Value == "wpg" || a.Value == "w14") {
				*took = true
				return 0
			}
		}
		return depth
	case "Fallback":
		if *took {
			return depth
		}
	}
	return 0
}

// maxInstr bounds the instruction kept of a field: those fieldShown reads are a few words.
const maxInstr = 1024

// docxField is a complex field of a Word document being read: its instruction (w:instrText),
// whether it was looked at (at its w:fldChar separate, or its end), and whether its kept
// result is left out for what fieldShown says it shows.
type docxField struct {
	instr             strings.Builder
	decided, replaced bool
	// entries and choice are a drop-down form field's list and the entry its w:result
	// chooses (0, the first, when unsaid; read by leadingNumber).
	entries []string
	choice  int
	// tooLong tells that the list has more than maxEntries entries.
	tooLong bool
}

// maxEntries bounds the entries of a drop-down form field, whose longer list is refused:
// Word lets it have 25, LibreOffice shows the entry chosen of any.
const maxEntries = 64

// listed reads t, an element of the list of the field's w:ffData (w:listEntry, w:result).
func (f *docxField) listed(t xml.StartElement) {
	v := wordAttr(t, "val")
	if t.Name.Local == "result" {
		f.choice = leadingNumber(v)
		return
	}
	if len(f.entries) == maxEntries {
		f.tooLong = true
		return
	}
	f.entries = append(f.entries, v)
}

// leadingNumber reads v as LibreOffice 7.4 reads a drop-down's result: spaces and tabs
// before it left out, a sign, then the figures up to the first other character; 0 when there
// are none or they overflow.
func leadingNumber(v string) int {
	v = strings.TrimLeft(v, " \t\n\r")
	end := 0
	if strings.HasPrefix(v, "-") || strings.HasPrefix(v, "+") {
		end = 1
	}
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	n, err := strconv.ParseInt(v[:end], 10, 32)
	if err != nil {
		return 0
	}
	return int(n)
}

// chosen is what LibreOffice 7.4 shows of a drop-down form field (FORMDROPDOWN): the entry
// its result chooses, the first when that is unsaid or not in the list, nothing without
// entries.
func (f *docxField) chosen() string {
	switch {
	case len(f.entries) == 0:
		return ""
	case f.choice >= 0 && f.choice < len(f.entries):
		return f.entries[f.choice]
	}
	return f.entries[0]
}

// wordAttr returns the value of t's attribute w:local, or "".
func wordAttr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && (a.Name.Space == wordNS || a.Name.Space == strictWordNS) {
			return a.Value
		}
	}
	return ""
}

// headingMark reports whether a bookmark of this name is one LibreOffice writes at the start
// of a heading that a cross-reference names ("__RefHeading___Toc…"): LibreOffice 7.4 shows a
// REF field to such a bookmark, empty and at the start of its paragraph, as the paragraph's
// text, where it shows one to any other empty bookmark as nothing.
func headingMark(name string) bool { return strings.HasPrefix(name, "__RefHeading__") }

// maxBookmarks bounds the bookmarks read of a document, and of those open at once.
const maxBookmarks = 10000

// fieldShown returns what LibreOffice shows of a field of instruction instr that is not (or
// not only) the field's kept result (checked with LibreOffice 7.4): for TITLE, SUBJECT,
// KEYWORDS, COMMENTS and DOCPROPERTY of those four, the document's core property, and for
// MACROBUTTON, the text its instruction gives, in place of the kept result (replace); for IF,
// nothing in place of the kept result, whatever the condition (LibreOffice 7.4 shows none),
// and for FORMDROPDOWN nothing either (a complex field shows the entry its list chooses in
// its place: docxField.chosen); for
// SYMBOL, the character its instruction gives, before the kept result; for FILENAME, the name
// (or with \p the path) under which package convert has LibreOffice open the letter, in place
// of the kept result; for REF, the text of the bookmark it names (between double quotes or
// not), as the document's body
// reads (d.bookmarks), in place of the kept result, once that is read (refs counts the REF
// fields met, which need it), or an error wrapping ErrAmbiguous for a bookmark LibreOffice
// shows otherwise (d.unclear). ok is false for the other fields, shown as kept.
func (d *docxDoc) fieldShown(instr string, refs *int) (shown string, replace, ok bool, err error) {
	words := strings.Fields(instr)
	name := fieldName(instr)
	if name == "" {
		return "", false, false, nil
	}
	switch {
	case name == "docproperty" && len(words) > 1:
		name = strings.ToLower(strings.Trim(words[1], `"`))
	case name == "macrobutton" && len(words) > 2:
		return strings.Join(words[2:], " "), true, true, nil
	case name == "symbol" && len(words) > 1:
		// A character code in decimal, or in hexadecimal after 0x.
		code, base := words[1], 10
		if len(code) > 2 && (code[:2] == "0x" || code[:2] == "0X") {
			code, base = code[2:], 16
		}
		c, err := strconv.ParseUint(code, base, 32)
		if err != nil || !utf8.ValidRune(rune(c)) || unicode.IsControl(rune(c)) {
			return "", false, false, nil
		}
		return string(rune(c)), false, true, nil
	}
	switch name {
	case "title", "subject", "keywords", "comments":
		return d.props[name], true, true, nil
	case "ref":
		*refs++
		if len(words) > 1 {
			// A switch written against the name ("REF amt\h") ends it.
			mark, _, _ := strings.Cut(words[1], `\`)
			mark = strings.Trim(mark, `"`)
			if why, ok := d.unclear[mark]; ok {
				return "", false, false, fmt.Errorf("%w: %s", ErrAmbiguous, why)
			}
			if text, ok := d.bookmarks[mark]; ok {
				return text, true, true, nil
			}
			if d.bookmarks != nil && len(d.unresolved) < maxBookmarks {
				d.unresolved[mark] = true
			}
		}
	case "if", "formdropdown":
		return "", true, true, nil
	case "filename":
		for _, w := range words[1:] {
			if strings.EqualFold(w, `\p`) {
				return ConvertedDir + "/" + ConvertedName + ".docx", true, true, nil
			}
		}
		return ConvertedName + ".docx", true, true, nil
	}
	return "", false, false, nil
}

// fieldName is the name of a field of instruction instr, in lower case: its first word.
func fieldName(instr string) string {
	words := strings.Fields(instr)
	if len(words) == 0 {
		return ""
	}
	return strings.ToLower(words[0])
}

// openZip reads the directory of a zipped document (Word's or OpenDocument's: format names it
// in errors). An archive holding two entries of one name is refused: LibreOffice reads the
// last of them, so the text of the first, read here, would not be the letter's.
func openZip(data []byte, format string) (*docZip, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", format, err)
	}
	z := &docZip{byName: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		if z.byName[f.Name] != nil {
			return nil, fmt.Errorf("%s: %w: the archive holds two entries named %q", format, ErrAmbiguous, f.Name)
		}
		z.byName[f.Name] = f
	}
	return z, nil
}

// docZip is a document's zip archive: its entries by name. An archive may hold hundreds of
// thousands of small entries, and a document as many references to parts: each part is found
// by its name at once, not by reading the directory through (which took a 18 MB file of
// 150,000 entries and 60,000 references to a missing header three minutes).
type docZip struct {
	byName map[string]*zip.File
}

// Relationship types of a Word package's main part and core properties, in transitional and
// in strict Office Open XML.
var (
	officeDocumentRels = map[string]bool{
		"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument": true,
		"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument":             true,
	}
	corePropertiesRels = map[string]bool{
		"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties":        true,
		"http://schemas.openxmlformats.org/officedocument/2006/relationships/metadata/core-properties": true,
	}
)

// packageParts returns the names of a Word document's main part and core properties part (""
// when it has none): the targets of the first relationships of their types in the package
// (_rels/.rels), as LibreOffice reads them (names compared exactly, a target resolved from the
// package's root, not unescaped). A package without relationships, which neither LibreOffice
// nor Word opens, is read at word/document.xml.
func packageParts(z *docZip) (main, core string, err error) {
	rels := entry(z, "_rels/.rels")
	if rels == nil {
		return "word/document.xml", "", nil
	}
	b, err := readPart(rels, maxRelsPart)
	if err != nil {
		return "", "", err
	}
	var doc struct {
		Rels []struct {
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return "", "", fmt.Errorf("_rels/.rels: %w", err)
	}
	for _, r := range doc.Rels {
		target := strings.TrimPrefix(path.Clean("/"+r.Target), "/")
		switch {
		case officeDocumentRels[r.Type] && main == "":
			if r.TargetMode == "External" {
				return "", "", fmt.Errorf("_rels/.rels: %w: the document's body is outside the file (%q)", ErrAmbiguous, r.Target)
			}
			main = target
		case corePropertiesRels[r.Type] && core == "" && r.TargetMode != "External":
			core = target
		}
	}
	if main == "" {
		return "", "", errors.New("_rels/.rels: no officeDocument relationship")
	}
	return main, core, nil
}

// entry returns the entry of z named name, or nil.
func entry(z *docZip, name string) *zip.File {
	return z.byName[name]
}

// readPart reads the entry f of a package, refusing it past max bytes.
func readPart(f *zip.File, max int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: %w: more than %d bytes", f.Name, ErrTooComplex, max)
	}
	return b, nil
}

// maxPropertiesPart bounds a Word document's core properties (docProps/core.xml) and an
// OpenDocument's metadata (meta.xml): some hundreds of bytes in a real document.
const maxPropertiesPart = 256 << 10

// coreProperties returns the title, subject, keywords and comments (description) in a Word
// document's core properties part name, by those names; none without the part.
func coreProperties(z *docZip, name string) (map[string]string, error) {
	props := map[string]string{}
	f := entry(z, name)
	if name == "" || f == nil {
		return props, nil
	}
	b, err := readPart(f, maxPropertiesPart)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Title       string `xml:"title"`
		Subject     string `xml:"subject"`
		Keywords    string `xml:"keywords"`
		Description string `xml:"description"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	props["title"], props["subject"], props["keywords"], props["comments"] = doc.Title, doc.Subject, doc.Keywords, doc.Description
	return props, nil
}

// symbol returns the character a w:sym element shows: its w:char, in hexadecimal (a symbol
// font's are in the private use area, as LibreOffice writes them to the PDF), or nothing when
// that is not a character.
func symbol(t xml.StartElement) string {
	for _, a := range t.Attr {
		if a.Name.Local != "char" || a.Name.Space != t.Name.Space {
			continue
		}
		c, err := strconv.ParseUint(a.Value, 16, 32)
		if err != nil || !utf8.ValidRune(rune(c)) || unicode.IsControl(rune(c)) {
			return ""
		}
		return string(rune(c))
	}
	return ""
}

// zipPart opens the part name of a zipped document (format names it in errors) and returns a
// reader of its XML tokens, within maxDOCXPart bytes of it.
func zipPart(z *docZip, format, name string) (*xmlPart, io.Closer, error) {
	f := entry(z, name)
	if f == nil {
		return nil, nil, fmt.Errorf("%s: no %s", format, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", format, err)
	}
	in := &tokenBytes{r: bufio.NewReader(io.LimitReader(rc, maxDOCXPart))}
	return &xmlPart{dec: xml.NewDecoder(in), in: in}, rc, nil
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
