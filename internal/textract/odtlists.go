package textract

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// The labels of an OpenDocument text's list items ("1.", "2.a)", "•", and whatever words a
// level's prefix and suffix hold), which LibreOffice draws before the item's first paragraph
// (checked with LibreOffice 7.4, convert.TestListLabelsAsShown): of a numbered level
// (text:list-level-style-number), its style:num-prefix, the numbers of the levels it
// displays (text:display-levels, joined by dots) in their formats, its style:num-suffix; of
// a bulleted level, its text:bullet-char alone; then a tab, unless the label is empty. Each
// list (text:list, with the lists inside its items) counts its items anew, from a level's
// text:start-value or an item's, unless it continues the one before it of its style
// (text:continue-numbering) or the one it names (text:continue-list); a level starts again
// after an item of a level above it. A list header (text:list-header) has no label, nor a
// list whose style is not defined. A heading (text:h) outside a list is numbered alike at its
// text:outline-level by the document's outline numbering (text:outline-style), counted over
// the whole document, unless it is a list header (text:is-list-header).

// odtListLevel is a level of a list style.
type odtListLevel struct {
	bullet                 bool
	prefix, suffix, format string
	display, start         int
}

// odtCounts are the numbers of a list's levels, 1 to 10, and which are counted.
type odtCounts struct {
	n       [11]int
	counted [11]bool
}

// odtList is a list open: its style, its level (1 for a list not inside another's item) and
// its counts, shared with the lists inside its items.
type odtList struct {
	style  string
	level  int
	counts *odtCounts
}

// listLevel records the level of list style named style that t, a text:list-level-style-*
// element, describes.
func (o *odtDoc) listLevel(style string, t xml.StartElement) {
	n, err := strconv.Atoi(odtAttr(t, textNS, "level"))
	if err != nil || n < 1 || n > 10 {
		return
	}
	levels := o.listStyles[style]
	if levels == nil {
		levels = &[11]*odtListLevel{}
		o.listStyles[style] = levels
	}
	l := &odtListLevel{display: 1, start: 1}
	switch t.Name.Local {
	case "list-level-style-bullet":
		l.bullet, l.prefix = true, odtAttr(t, textNS, "bullet-char")
	case "list-level-style-number", "outline-level-style":
		l.prefix, l.suffix, l.format = odtAttr(t, styleNS, "num-prefix"), odtAttr(t, styleNS, "num-suffix"), odtAttr(t, styleNS, "num-format")
		if d, err := strconv.Atoi(odtAttr(t, textNS, "display-levels")); err == nil && d > 1 {
			l.display = min(d, n)
		}
		if s, err := strconv.Atoi(odtAttr(t, textNS, "start-value")); err == nil {
			l.start = s
		}
	default:
		// A picture as bullet: no text.
	}
	levels[n] = l
}

// openList opens the list t starts, inside the list parent (nil for none).
func (o *odtDoc) openList(t xml.StartElement, parent *odtList) *odtList {
	l := &odtList{style: odtAttr(t, textNS, "style-name"), level: 1}
	if parent != nil {
		if l.style == "" {
			l.style = parent.style
		}
		l.level, l.counts = min(parent.level+1, 10), parent.counts
		return l
	}
	if id := odtAttr(t, textNS, "continue-list"); id != "" {
		l.counts = o.listIDs[id]
	} else if odtAttr(t, textNS, "continue-numbering") == "true" {
		l.counts = o.lastList[l.style]
	}
	if l.counts == nil {
		l.counts = &odtCounts{}
	}
	o.lastList[l.style] = l.counts
	if id := odtAttr(t, xmlNS, "id"); id != "" {
		o.listIDs[id] = l.counts
	}
	return l
}

// outlineStyle is the key of the outline numbering among the list styles: no style's name,
// which cannot hold a NUL.
const outlineStyle = "\x00outline"

// headingLabel counts the heading t starts, outside any list, and returns its label, "" for
// none.
func (o *odtDoc) headingLabel(t xml.StartElement) string {
	level, err := strconv.Atoi(odtAttr(t, textNS, "outline-level"))
	if err != nil || level < 1 || level > 10 || odtAttr(t, textNS, "is-list-header") == "true" {
		return ""
	}
	return o.itemLabel(&odtList{style: outlineStyle, level: level, counts: &o.outline}, t)
}

// xmlNS is the namespace of xml:id.
const xmlNS = "http://www.w3.org/XML/1998/namespace"

// itemLabel counts the item t starts in list l, and returns its label, "" for none.
func (o *odtDoc) itemLabel(l *odtList, t xml.StartElement) string {
	levels := o.listStyles[l.style]
	if levels == nil || levels[l.level] == nil {
		return ""
	}
	c, lvl := l.counts, l.level
	level := func(i int) *odtListLevel {
		if levels[i] != nil {
			return levels[i]
		}
		return &odtListLevel{display: 1, start: 1}
	}
	switch s, err := strconv.Atoi(odtAttr(t, textNS, "start-value")); {
	case err == nil:
		c.n[lvl] = s
	case !c.counted[lvl]:
		c.n[lvl] = level(lvl).start
	default:
		c.n[lvl]++
	}
	c.counted[lvl] = true
	for i := 1; i < lvl; i++ {
		if !c.counted[i] {
			c.n[i], c.counted[i] = level(i).start, true
		}
	}
	for i := lvl + 1; i <= 10; i++ {
		c.counted[i] = false
	}
	this := level(lvl)
	label := this.prefix
	if !this.bullet {
		numbers := make([]string, 0, this.display)
		for i := lvl - this.display + 1; i <= lvl; i++ {
			numbers = append(numbers, listNumber(c.n[i], level(i).format))
		}
		label += strings.Join(numbers, ".") + this.suffix
	}
	if label == "" {
		return ""
	}
	return label + "\t"
}

// listNumber writes n in an OpenDocument number format: 1, a, A, i, I, none (""); in digits
// for the formats not known here.
func listNumber(n int, format string) string {
	switch format {
	case "":
		return ""
	case "a", "A":
		if n >= 1 && n <= maxLabelNumber {
			// a … z, aa, ab …: the letters of a base-26 numeral without zero.
			var b []byte
			for ; n > 0; n = (n - 1) / 26 {
				b = append([]byte{format[0] + byte((n-1)%26)}, b...)
			}
			return string(b)
		}
	case "i":
		return strings.ToLower(labelNumber(n, "upperRoman"))
	case "I":
		return labelNumber(n, "upperRoman")
	}
	return strconv.Itoa(n)
}
