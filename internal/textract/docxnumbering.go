package textract

import (
	"fmt"
	"strconv"
	"strings"
)

// The labels of a Word document's numbered paragraphs ("1.", "2.a)", "Article IV"), which
// LibreOffice draws before the paragraph's text (checked with LibreOffice 7.4,
// convert.TestNumberingAsShown): a level's label is its text (w:lvlText), literal words
// included, each %1…%9 in it replaced by that level's number, then a tab, a space or nothing
// (w:suff) when the label is not empty. The numbers are counted per abstract numbering (w:abstractNum), shared by the
// numberings (w:num) that use it: a level starts at its w:start (or a numbering's
// w:startOverride, the first time that numbering numbers a paragraph at that level), goes up
// by one per paragraph at that level, and starts again after a paragraph at a level above
// it; a paragraph at a level counts the levels above it not yet counted at their start. A
// level not yet counted shows its start. A paragraph is numbered by its own w:numPr or
// else by its style's (or a style it is based on), a w:numId of 0 or of no numbering
// numbering nothing; an abstract numbering linked to a numbering style (w:numStyleLink) shows
// the levels of the numbering that style names. A paragraph whose text is all hidden is counted but shows no label.

// docxPara is a paragraph being read: its style, the numbering and level it names itself
// (w:numPr), whether it shows text, or hides some, and whether it was counted.
type docxPara struct {
	style, numID, ilvl  string
	numIDSaid, ilvlSaid bool
	shown, hidden       bool
	counted             bool
}

// label counts paragraph p, the first time only, and returns the label it shows then, or "".
func (d *docxDoc) label(p *docxPara) string {
	if p.counted {
		return ""
	}
	p.counted = true
	ref := d.styleNumbers[p.style]
	if p.numIDSaid {
		ref.numID = p.numID
	}
	if p.ilvlSaid {
		ref.ilvl = p.ilvl
	}
	s, _ := d.numbering.label(ref.numID, ref.ilvl)
	return s
}

// maxLabelNumber bounds the numbers written as letters or roman numerals, whose length grows
// with them ("aaaa…", "MMMM…"): past it, a number is written in digits.
const maxLabelNumber = 3999

// docxLevel is a level of a numbering.
type docxLevel struct {
	start                int
	format, text, suffix string
	legal                bool
}

// docxNumbering is a Word document's numbering part, as read: the levels of each abstract
// numbering, and of each numbering its abstract numbering and its levels' overrides.
type docxNumbering struct {
	abstract map[string]*[9]*docxLevel
	nums     map[string]*docxNum
	// links are the numbering styles that abstract numberings without levels of their own
	// take theirs from (w:numStyleLink), by abstract numbering; styles the numbering of the
	// styles.
	links  map[string]string
	styles map[string]docxNumRef
	// counts are the numbers counted, per abstract numbering.
	counts map[string]*docxCounts
}

// docxNum is a numbering (w:num): its abstract numbering, the levels it overrides (w:lvl) and
// the starts it overrides (w:startOverride), those not yet applied.
type docxNum struct {
	abstract string
	levels   [9]*docxLevel
	restart  [9]*int
}

// docxCounts are the numbers of an abstract numbering's levels, and which are counted.
type docxCounts struct {
	n       [9]int
	counted [9]bool
}

// xmlLevel is a level as encoding/xml reads it.
type xmlLevel struct {
	Ilvl    string `xml:"ilvl,attr"`
	Start   *onOff `xml:"start"`
	NumFmt  *onOff `xml:"numFmt"`
	LvlText *onOff `xml:"lvlText"`
	Suff    *onOff `xml:"suff"`
	IsLgl   *onOff `xml:"isLgl"`
}

// level returns the level x describes, and its index, or false for an index out of 0…8.
func (x xmlLevel) level() (int, *docxLevel, bool) {
	i, err := strconv.Atoi(x.Ilvl)
	if err != nil || i < 0 || i > 8 {
		return 0, nil, false
	}
	l := &docxLevel{start: 0, format: "decimal", suffix: "\t"}
	if x.Start != nil && x.Start.Val != nil {
		if n, err := strconv.Atoi(*x.Start.Val); err == nil {
			l.start = n
		}
	}
	if x.NumFmt != nil && x.NumFmt.Val != nil {
		l.format = *x.NumFmt.Val
	}
	if x.LvlText != nil && x.LvlText.Val != nil {
		l.text = *x.LvlText.Val
	}
	if x.Suff != nil && x.Suff.Val != nil {
		switch *x.Suff.Val {
		case "space":
			l.suffix = " "
		case "nothing":
			l.suffix = ""
		}
	}
	l.legal = x.IsLgl != nil && x.IsLgl.on()
	return i, l, true
}

// readNumbering reads the numbering part, if any.
func (d *docxDoc) readNumbering() error {
	name := d.byType["numbering"]
	f := entry(d.zr, name)
	if name == "" || f == nil {
		return nil
	}
	b, err := readPart(f, maxStylesPart)
	if err != nil {
		return err
	}
	var doc struct {
		Abstract []struct {
			ID     string     `xml:"abstractNumId,attr"`
			Link   *onOff     `xml:"numStyleLink"`
			Levels []xmlLevel `xml:"lvl"`
		} `xml:"abstractNum"`
		Nums []struct {
			ID        string `xml:"numId,attr"`
			Abstract  onOff  `xml:"abstractNumId"`
			Overrides []struct {
				Ilvl  string    `xml:"ilvl,attr"`
				Start *onOff    `xml:"startOverride"`
				Level *xmlLevel `xml:"lvl"`
			} `xml:"lvlOverride"`
		} `xml:"num"`
	}
	if err := d.decodePart(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	n := &docxNumbering{abstract: map[string]*[9]*docxLevel{}, nums: map[string]*docxNum{}, counts: map[string]*docxCounts{},
		links: map[string]string{}, styles: d.styleNumbers}
	for _, a := range doc.Abstract {
		if _, ok := n.abstract[a.ID]; ok {
			continue
		}
		var levels [9]*docxLevel
		for _, x := range a.Levels {
			if i, l, ok := x.level(); ok && levels[i] == nil {
				levels[i] = l
			}
		}
		n.abstract[a.ID] = &levels
		if a.Link != nil && a.Link.Val != nil {
			n.links[a.ID] = *a.Link.Val
		}
	}
	for _, x := range doc.Nums {
		if _, ok := n.nums[x.ID]; ok || x.Abstract.Val == nil {
			continue
		}
		num := &docxNum{abstract: *x.Abstract.Val}
		for _, o := range x.Overrides {
			i, err := strconv.Atoi(o.Ilvl)
			if err != nil || i < 0 || i > 8 {
				continue
			}
			if o.Start != nil && o.Start.Val != nil {
				if v, err := strconv.Atoi(*o.Start.Val); err == nil {
					num.restart[i] = &v
				}
			}
			if o.Level != nil {
				if _, l, ok := o.Level.level(); ok {
					num.levels[i] = l
				}
			}
		}
		n.nums[x.ID] = num
	}
	d.numbering = n
	return nil
}

// label counts a paragraph numbered by numbering numID at level ilvl, and returns the label
// it shows, or false when that numbers nothing. A nil numbering numbers nothing.
func (n *docxNumbering) label(numID, ilvl string) (string, bool) {
	if n == nil || numID == "" || numID == "0" {
		return "", false
	}
	num, ok := n.nums[numID]
	if !ok {
		return "", false
	}
	id := n.linked(num.abstract)
	abstract, ok := n.abstract[id]
	if !ok {
		return "", false
	}
	lvl := 0
	if ilvl != "" {
		var err error
		if lvl, err = strconv.Atoi(ilvl); err != nil || lvl < 0 || lvl > 8 {
			return "", false
		}
	}
	level := func(i int) *docxLevel {
		if num.levels[i] != nil {
			return num.levels[i]
		}
		return abstract[i]
	}
	if level(lvl) == nil {
		return "", false
	}
	c := n.counts[id]
	if c == nil {
		c = &docxCounts{}
		n.counts[id] = c
	}
	switch {
	case num.restart[lvl] != nil:
		c.n[lvl], c.counted[lvl] = *num.restart[lvl], true
		num.restart[lvl] = nil
	case !c.counted[lvl]:
		c.n[lvl], c.counted[lvl] = level(lvl).start, true
	default:
		c.n[lvl]++
	}
	// The levels above, not yet counted, are counted at their start; those below start again.
	for i := range lvl {
		if l := level(i); l != nil && !c.counted[i] {
			c.n[i], c.counted[i] = l.start, true
		}
	}
	for i := lvl + 1; i < 9; i++ {
		c.counted[i] = false
	}
	this := level(lvl)
	var b strings.Builder
	text := this.text
	for i := 0; i < len(text); i++ {
		if text[i] != '%' || i+1 == len(text) || text[i+1] < '1' || text[i+1] > '9' {
			b.WriteByte(text[i])
			continue
		}
		i++
		k := int(text[i] - '1')
		l := level(k)
		if l == nil {
			continue
		}
		v := l.start
		if c.counted[k] {
			v = c.n[k]
		}
		format := l.format
		if this.legal {
			format = "decimal"
		}
		b.WriteString(labelNumber(v, format))
	}
	if b.Len() == 0 {
		return "", true
	}
	return b.String() + this.suffix, true
}

// linked returns the abstract numbering whose levels the abstract numbering id shows: itself,
// or, linked to a numbering style (w:numStyleLink), the one of the numbering that style names,
// as LibreOffice follows the link, within a bounded chain.
func (n *docxNumbering) linked(id string) string {
	for range 8 {
		link, ok := n.links[id]
		if !ok {
			return id
		}
		num, ok := n.nums[n.styles[link].numID]
		if !ok {
			return id
		}
		id = num.abstract
	}
	return id
}

// labelNumber writes n in a level's number format, in digits for the formats not known here.
func labelNumber(n int, format string) string {
	switch format {
	case "bullet", "none":
		return ""
	case "decimalZero":
		if n >= 0 && n < 10 {
			return "0" + strconv.Itoa(n)
		}
	case "lowerLetter", "upperLetter":
		if n >= 1 && n <= maxLabelNumber {
			c := 'a' + rune((n-1)%26)
			if format == "upperLetter" {
				c -= 'a' - 'A'
			}
			return strings.Repeat(string(c), (n-1)/26+1)
		}
	case "lowerRoman", "upperRoman":
		if n >= 1 && n <= maxLabelNumber {
			var b strings.Builder
			for _, r := range []struct {
				v int
				s string
			}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
				for ; n >= r.v; n -= r.v {
					b.WriteString(r.s)
				}
			}
			if format == "lowerRoman" {
				return strings.ToLower(b.String())
			}
			return b.String()
		}
	}
	return strconv.Itoa(n)
}
