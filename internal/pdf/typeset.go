package pdf

import (
	"bytes"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	gtbidi "github.com/go-text/typesetting/bidi"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/segmenter"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/bidi"
)

// shaper is the state of one rendering: go-text faces are not safe for concurrent use, so each
// rendering takes a shaper (its own faces of the shared fonts, and the shaping buffers) from a
// pool.
type shaper struct {
	lib   *fontLibrary
	faces map[*fontFile]*font.Face
	files map[*font.Face]*fontFile
	// err is the error of the first font that could not be loaded when a character was
	// looked up in it (face); the rendering fails with it (renderer.output).
	err  error
	maps [numStyles]fontmap
	hb   shaping.HarfbuzzShaper
	seg  shaping.Segmenter
	wrap shaping.LineWrapper
	// breaks finds where unbroken cuts a line.
	breaks segmenter.Segmenter
	// lineBuf holds the lines of the paragraph being wrapped.
	lineBuf []shaping.Line
	// kinds, scripts and runs are split's.
	kinds         charKinds
	scripts, runs []shaping.Input
	// para runs the bidirectional algorithm on paragraphs that need it (levels).
	para gtbidi.Paragraph
	// kept holds shapeKept's shapings, with this shaper's faces.
	kept map[keptKey]shaped
}

type keptKey struct {
	text string
	st   style
	size float64
}

// maxKept bounds a shaper's kept shapings; when full, they start afresh.
const maxKept = 64

var shapers sync.Pool

func getShaper() (*shaper, error) {
	if s, ok := shapers.Get().(*shaper); ok {
		return s, nil
	}
	l, err := fonts()
	if err != nil {
		return nil, err
	}
	s := &shaper{lib: l, faces: map[*fontFile]*font.Face{}, files: map[*font.Face]*fontFile{}}
	for st, chain := range l.chains {
		// The first face of a chain, every character's when no other has it, is made now.
		m := &s.maps[st]
		m.s, m.files, m.faces = s, chain, make([]*font.Face, len(chain))
		if m.faces[0] = s.face(chain[0]); m.faces[0] == nil {
			return nil, s.err
		}
	}
	return s, nil
}

// face returns the shaper's face of ff, made when first asked for; nil, the error kept in
// s.err, when ff cannot be loaded.
func (s *shaper) face(ff *fontFile) *font.Face {
	if face := s.faces[ff]; face != nil {
		return face
	}
	if err := ff.load(); err != nil {
		s.err = err
		return nil
	}
	face := font.NewFace(ff.font)
	s.faces[ff] = face
	s.files[face] = ff
	return face
}

func putShaper(s *shaper) {
	s.err = nil
	shapers.Put(s)
}

// fontmap picks, for each character, the first face of a style's chain that has it. It
// remembers its choices: a letter asks for every character, and a character of the last
// fonts of the chain (Han) would otherwise be looked up in each font before it. Choices for
// the Basic Multilingual Plane are kept in blocks of 256 characters, which a letter's text
// fills from a few scripts; others, rare, in a map.
type fontmap struct {
	s     *shaper
	files []*fontFile
	// faces[i] is the face of files[i], nil until a character is looked up in it.
	faces  []*font.Face
	blocks [0x100]*[0x100]*font.Face
	known  map[rune]*font.Face
}

func (m *fontmap) ResolveFace(r rune) *font.Face {
	var slot **font.Face
	if r >= 0 && r < 0x10000 {
		b := m.blocks[r>>8]
		if b == nil {
			b = new([0x100]*font.Face)
			m.blocks[r>>8] = b
		}
		slot = &b[r&0xff]
		if *slot != nil {
			return *slot
		}
	} else if f, ok := m.known[r]; ok {
		return f
	}
	f := m.faces[0]
	for i, ff := range m.files {
		if m.faces[i] == nil {
			if m.faces[i] = m.s.face(ff); m.faces[i] == nil {
				continue
			}
		}
		if _, ok := m.faces[i].NominalGlyph(r); ok {
			f = m.faces[i]
			break
		}
	}
	if slot != nil {
		*slot = f
		return f
	}
	if m.known == nil {
		m.known = map[rune]*font.Face{}
	}
	m.known[r] = f
	return f
}

// span is a piece of a paragraph in one style.
type span struct {
	text string
	st   style
}

// direction is a paragraph's base direction: that of its first strong character (rules P2
// and P3 of the Unicode bidirectional algorithm), left to right when it has none.
func direction(text []rune) di.Direction {
	for _, r := range text {
		if d, ok := strong(r); ok {
			return d
		}
	}
	return di.DirectionLTR
}

// directionOf is direction for spans.
func directionOf(spans []span) di.Direction {
	for _, sp := range spans {
		for _, r := range sp.text {
			if d, ok := strong(r); ok {
				return d
			}
		}
	}
	return di.DirectionLTR
}

// strong returns the direction of a strong character.
func strong(r rune) (di.Direction, bool) {
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.L:
		return di.DirectionLTR, true
	case bidi.R, bidi.AL:
		return di.DirectionRTL, true
	}
	return 0, false
}

// shaped is a paragraph's text and its glyph runs.
type shaped struct {
	text []rune
	runs []shaping.Output
	dir  di.Direction
	// levels are the characters' embedding levels, when not all are the paragraph's.
	levels []uint8
}

// shape shapes one line of text (no line feeds) made of spans, at size points, in the
// direction of its first strong character.
func (s *shaper) shape(spans []span, size float64) shaped { return s.shapeIn(spans, size, nil) }

// shapeIn is shape in direction dir, or, when dir is nil, as shape.
func (s *shaper) shapeIn(spans []span, size float64, dir *di.Direction) shaped {
	n := 0
	for _, sp := range spans {
		n += utf8.RuneCountInString(sp.text)
	}
	// One array for the text, and each span decoded into it once: the text stays the
	// paragraph's (drawLine reads its characters), so it is not a buffer of the shaper.
	text := make([]rune, 0, n)
	bounds := make([]int, 0, len(spans)+1)
	bounds = append(bounds, 0)
	for _, sp := range spans {
		for _, r := range sp.text {
			text = append(text, r)
		}
		bounds = append(bounds, len(text))
	}
	p := shaped{text: text}
	if dir != nil {
		p.dir = *dir
	} else {
		p.dir = direction(text)
	}
	if !s.kinds.plain(text, p.dir) {
		p.levels = s.levels(text, p.dir)
	}
	for i, sp := range spans {
		if bounds[i] == bounds[i+1] {
			continue
		}
		in := shaping.Input{Text: text, RunStart: bounds[i], RunEnd: bounds[i+1], Direction: p.dir, Size: fixed.Int26_6(size * 64)}
		for _, part := range s.split(in, &s.maps[sp.st]) {
			if p.levels == nil {
				p.runs = append(p.runs, shapeAt(&s.hb, part))
				continue
			}
			// The run, cut where the paragraph's levels change, each piece in the direction
			// its level gives: go-text runs the algorithm on the span alone (an override or
			// an embedding across the spans of emphasis was lost) and keeps the levels of
			// one direction in one run.
			for start := part.RunStart; start < part.RunEnd; {
				end := start + 1
				for end < part.RunEnd && p.levels[end] == p.levels[start] {
					end++
				}
				piece := part
				piece.RunStart, piece.RunEnd = start, end
				if p.levels[start]%2 == 1 {
					piece.Direction.SetProgression(di.TowardTopLeft)
				} else {
					piece.Direction.SetProgression(di.FromTopLeft)
				}
				p.runs = append(p.runs, shapeAt(&s.hb, piece))
				start = end
			}
		}
	}
	return p
}

// levels returns the embedding level of each character of a paragraph in direction dir,
// by the bidirectional algorithm (UAX #9) run on the whole paragraph.
//
// go-text computes them but gives only runs of one direction, each with its first
// character's level (levels 0 and 2 in one run); the levels it keeps in its Runs, an
// unexported field, are read by reflection. TestLevelsReadFromGoText fails if a version of
// go-text keeps them otherwise; levels then returns nil, and lines are ordered as go-text
// orders them.
func (s *shaper) levels(text []rune, dir di.Direction) []uint8 {
	def := gtbidi.LeftToRight
	if dir.Progression() == di.TowardTopLeft {
		def = gtbidi.RightToLeft
	}
	runs := s.para.Segment(text, def)
	kept := reflect.ValueOf(runs).FieldByName("levels")
	if !kept.IsValid() || kept.Kind() != reflect.Slice || kept.Type().Elem().Kind() != reflect.Int8 || kept.Len() != len(text) {
		return nil
	}
	levels := make([]uint8, len(text))
	// The characters the algorithm passes over (rule X9: embeddings, overrides, their end)
	// have the level of the character before them, so they stay in its run.
	for k := range levels {
		levels[k] = uint8(kept.Index(k).Int())
	}
	return levels
}

// trimEnd gives the last glyph of a line in visual order (the first in a right-to-left
// paragraph) no advance when it is white space, as go-text's line wrapper does.
func trimEnd(l shaping.Line, dir di.Direction) {
	if len(l) == 0 {
		return
	}
	run, at := &l[len(l)-1], -1
	if n := len(run.Glyphs); n > 0 {
		at = n - 1
	}
	if dir.Progression() == di.TowardTopLeft {
		run, at = &l[0], 0
		if len(run.Glyphs) == 0 {
			at = -1
		}
	}
	if at >= 0 && run.Glyphs[at].Width == 0 {
		run.Glyphs[at].Advance = 0
		run.RecomputeAdvance()
	}
}

// reorder puts a line's runs, in logical order, in visual order by their levels: from the
// highest level to the lowest odd one, every sequence of runs at that level or higher is
// reversed (rule L2 of UAX #9). go-text's line wrapper orders runs by direction only,
// reversing each sequence of runs against the paragraph's direction: text nested two levels
// deep (a number in Arabic text in a left-to-right paragraph, an embedding) was shown in
// another order than the bidirectional algorithm gives, and than a browser shows its text.
func reorder(l shaping.Line, levels []uint8) {
	lv := make([]uint8, len(l))
	high, lowOdd := uint8(0), uint8(255)
	for i, run := range l {
		if k := run.Runes.Offset; k >= 0 && k < len(levels) {
			lv[i] = levels[k]
		}
		high = max(high, lv[i])
		if lv[i]%2 == 1 {
			lowOdd = min(lowOdd, lv[i])
		}
	}
	for level := high; level >= lowOdd && level > 0; level-- {
		for i := 0; i < len(l); {
			if lv[i] < level {
				i++
				continue
			}
			j := i
			for j < len(l) && lv[j] >= level {
				j++
			}
			slices.Reverse(l[i:j])
			slices.Reverse(lv[i:j])
			i = j
		}
	}
}

// shapeKept is shape for one span that letter after letter repeats. Shaping is a pure
// function of the text, style and size with the shaper's fonts, so the shaping is kept and
// a copy given: the glyphs are copied, as the caller may change them; the text is shared,
// as no caller changes it.
func (s *shaper) shapeKept(sp span, size float64) shaped {
	k := keptKey{sp.text, sp.st, size}
	p, ok := s.kept[k]
	if !ok {
		if len(s.kept) >= maxKept || s.kept == nil {
			s.kept = make(map[keptKey]shaped)
		}
		p = s.shape([]span{sp}, size)
		s.kept[k] = p
	}
	runs := make([]shaping.Output, len(p.runs))
	for i, run := range p.runs {
		run.Glyphs = slices.Clone(run.Glyphs)
		runs[i] = run
	}
	p.runs = runs
	return p
}

// shapeAt shapes in at its size. go-text's HarfBuzz scales its fonts to whole points (the
// size rounded up), so text of 8.5 points would be spaced for 9: its glyphs would stand
// apart, and extraction would read a space in the gaps, cutting words. A size that is not
// whole is shaped at the multiple of it that is, and the positions scaled back.
func shapeAt(hb *shaping.HarfbuzzShaper, in shaping.Input) shaping.Output {
	size := in.Size
	frac := int(size) & 63 // in 64ths of a point
	if frac == 0 {
		return hb.Shape(in)
	}
	m := fixed.Int26_6(64 / gcd(frac, 64))
	in.Size = size * m
	out := hb.Shape(in)
	down := func(v *fixed.Int26_6) { *v = fixed.Int26_6(math.Round(float64(*v) / float64(m))) }
	for i := range out.Glyphs {
		g := &out.Glyphs[i]
		for _, v := range []*fixed.Int26_6{&g.Width, &g.Height, &g.XBearing, &g.YBearing, &g.Advance, &g.XOffset, &g.YOffset} {
			down(v)
		}
	}
	down(&out.LineBounds.Ascent)
	down(&out.LineBounds.Descent)
	down(&out.LineBounds.Gap)
	out.Size = size
	out.RecalculateAll()
	return out
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// lines wraps a shaped paragraph to width points; each line's runs come back in visual
// order, left to right.
//
// It does what LineWrapper.WrapParagraphF does, without the scan of the whole paragraph for
// mandatory line breaks that WrapParagraphF makes before wrapping, which sets go-text's
// Unicode segmenter up once more for the paragraph (a third of the wrapping's time). A
// paragraph's text holds none, since eachLine cut it there; text that holds one
// still goes through WrapParagraphF.
func (s *shaper) lines(p shaped, width float64) []shaping.Line {
	if len(p.runs) == 0 {
		return nil
	}
	// With levels, lines are ordered here (reorder), and their trailing white space
	// trimmed once they are (go-text trims the last run in its order).
	cfg := shaping.WrapConfig{Direction: p.dir, DisableTrailingWhitespaceTrim: p.levels != nil}
	maxWidth := fixed.Int26_6(width * 64)
	var lines []shaping.Line
	switch {
	case hasLineBreak(p.text):
		lines, _ = s.wrap.WrapParagraphF(cfg, maxWidth, p.text, shaping.NewSliceIterator(p.runs))
	case len(p.runs) == 1 && p.runs[0].Advance <= maxWidth:
		// WrapParagraphF's own shortcut: one run that fits is the line.
		return []shaping.Line{{p.runs[0]}}
	default:
		s.wrap.Prepare(cfg, p.text, shaping.NewSliceIterator(p.runs))
		lines = s.lineBuf[:0]
		for done := false; !done; {
			var l shaping.WrappedLine
			l, done = s.wrap.WrapNextLineF(maxWidth)
			if l.Line != nil {
				lines = append(lines, l.Line)
			}
		}
		s.lineBuf = lines[:0]
	}
	// The wrapper's lines are its own until the next paragraph: copy them, all into one
	// array.
	total := 0
	for _, l := range lines {
		total += len(l)
	}
	all := make([]shaping.Output, 0, total)
	out := make([]shaping.Line, len(lines))
	for i, l := range lines {
		start := len(all)
		all = append(all, l...)
		l = all[start:len(all):len(all)]
		if p.levels != nil {
			reorder(l, p.levels)
			trimEnd(l, p.dir)
		} else {
			slices.SortFunc(l, func(a, b shaping.Output) int { return int(a.VisualIndex - b.VisualIndex) })
		}
		out[i] = l
	}
	return out
}

// maxUnbroken is the most characters a line of text hands go-text's line wrapper between two
// places where it may break (UAX #14). The wrapper measures, on every line it makes, the
// text from the line's start to the next such place, so a word spanning many lines (a
// string of letters without a space, or of spaces) cost it time with the square of its
// length: a 640,000-letter word took 8 s to lay out, a 2 MB one would have taken minutes.
// Fifteen lines of body text is far longer than any word of a letter.
const maxUnbroken = 1024

// unbroken returns line, cut into lines wherever a stretch of it between two places where
// it may break is longer than maxUnbroken characters: such a stretch, wider than the
// text's width, is broken between characters (grapheme clusters) across lines anyway, and
// is now cut between clusters every maxUnbroken characters or fewer. A line without such a
// stretch is returned whole, laid out as it always was.
func (s *shaper) unbroken(line []span) [][]span {
	n := 0
	for _, sp := range line {
		n += utf8.RuneCountInString(sp.text)
	}
	if n <= maxUnbroken {
		return [][]span{line}
	}
	text := make([]rune, 0, n)
	for _, sp := range line {
		text = append(text, []rune(sp.text)...)
	}
	s.breaks.Init(text)
	// Both iterators move forward only: the work grows with the line.
	segments, clusters := s.breaks.LineIterator(), s.breaks.GraphemeIterator()
	next := 0 // a cluster boundary: the first after those already passed
	var cuts []int
	for segments.Next() {
		seg := segments.Line()
		from, end := seg.Offset, seg.Offset+len(seg.Text)
		for end-from > maxUnbroken {
			// The last cluster boundary at most maxUnbroken characters after from or, when
			// one cluster is longer, the first after it.
			cut := -1
			for next <= from+maxUnbroken {
				if next > from {
					cut = next
				}
				if !clusters.Next() {
					next = math.MaxInt
					break
				}
				c := clusters.Grapheme()
				next = c.Offset + len(c.Text)
			}
			if cut < 0 {
				cut = next
			}
			if cut >= end {
				break
			}
			cuts = append(cuts, cut)
			from = cut
		}
	}
	if len(cuts) == 0 {
		return [][]span{line}
	}
	// The spans, cut at the runes cuts names.
	out := make([][]span, 0, len(cuts)+1)
	var cur []span
	at := 0 // runes before the span being cut
	for _, sp := range line {
		rest, left := sp.text, utf8.RuneCountInString(sp.text)
		for len(cuts) > 0 && cuts[0] < at+left {
			k, i := cuts[0]-at, 0
			for range k {
				_, size := utf8.DecodeRuneInString(rest[i:])
				i += size
			}
			if i > 0 {
				cur = append(cur, span{rest[:i], sp.st})
			}
			out = append(out, cur)
			cur = nil
			at, left, rest = cuts[0], left-k, rest[i:]
			cuts = cuts[1:]
		}
		if rest != "" {
			cur = append(cur, span{rest, sp.st})
		}
		at += left
	}
	return append(out, cur)
}

// hasLineBreak reports whether text holds a character after which Unicode's line breaking
// (UAX #14) requires a break.
func hasLineBreak(text []rune) bool {
	for _, r := range text {
		switch r {
		case '\n', '\v', '\f', '\r', 0x85, 0x2028, 0x2029:
			return true
		}
	}
	return false
}

func lineWidth(l shaping.Line) float64 {
	var w fixed.Int26_6
	for _, r := range l {
		w += r.Advance
	}
	return float64(w) / 64
}

// drawLine writes the glyphs of a line starting at x on baseline y (points, from the bottom
// of the page) in colour rgb. Every glyph carries the characters of its cluster (one glyph
// of a cluster all of them, the others none: the first, or in a right-to-left run the first
// that advances, textCarrier), so copying and extraction give the text.
//
// Glyphs are drawn in visual order. Readers put right-to-left words back in logical order
// themselves, but not a left-to-right cluster whose glyphs are reordered (a Devanagari vowel
// sign drawn before its consonant): such a cluster is also marked with its text
// (/ActualText), which extraction and copying use instead of its glyphs.
func (s *shaper) drawLine(d *doc, b *bytes.Buffer, text []rune, l shaping.Line, x, y float64, rgb [3]float64) {
	// The line is written to the buffer's free space, then committed to it at once.
	w := append(b.AvailableBuffer(), "BT "...)
	w = appendNum(w, rgb[0])
	w = append(w, ' ')
	w = appendNum(w, rgb[1])
	w = append(w, ' ')
	w = appendNum(w, rgb[2])
	w = append(w, " rg\n"...)
	curFont, curSize, open := -1, 0.0, false
	var curY, natX float64
	// The text an extractor reads: a line feed for the text object, then each glyph's
	// characters (see doc.texts).
	var txt *[]byte
	if i, ok := d.pageOf[b]; ok {
		txt = &d.texts[i]
		*txt = append(*txt, '\n')
	}
	for _, run := range l {
		ff := s.files[run.Face]
		refs := d.runeRefs(ff)
		size := float64(run.Size) / 64
		prev, marked := -1, 0 // a cluster's glyphs are consecutive
		carrier := -1         // the index of the glyph that carries its cluster's characters
		ltr := run.Direction.Progression() == di.FromTopLeft
		for gi, g := range run.Glyphs {
			var ref glyphRef
			if g.TextIndex() != prev {
				prev, carrier = g.TextIndex(), gi
				if !ltr {
					carrier = textCarrier(run.Glyphs, gi)
				}
			}
			switch {
			case gi != carrier:
				ref = d.glyphRune(refs, ff, run.Face, g.GlyphID, noRune)
			case g.RunesCount() == 1 && !(ltr && g.GlyphsCount() > 1):
				ref = d.glyphRune(refs, ff, run.Face, g.GlyphID, text[prev])
				if txt != nil {
					*txt = utf8.AppendRune(*txt, text[prev])
				}
			default:
				str := string(text[g.TextIndex() : g.TextIndex()+g.RunesCount()])
				if !ltr && g.RunesCount() > 1 {
					// Readers put a right-to-left line's characters back in logical order
					// by reversing them, those of a ligature (lam-alef) included: give them
					// in visual order too.
					str = reverse(str)
				}
				if ltr && g.GlyphsCount() > 1 {
					if open {
						w = append(w, ")] TJ\n"...)
						open = false
					}
					w = append(w, "/Span <</ActualText "...)
					w = append(w, pdfText(str)...)
					w = append(w, ">> BDC\n"...)
					marked = g.GlyphsCount()
				}
				ref = d.glyph(ff, run.Face, g.GlyphID, str)
				if txt != nil {
					*txt = append(*txt, str...)
				}
			}
			gx, gy := x+float64(g.XOffset)/64, y+float64(g.YOffset)/64
			x += float64(g.Advance) / 64
			if ref.font != curFont || size != curSize || gy != curY || !open {
				if open {
					w = append(w, ")] TJ\n"...)
				}
				if ref.font != curFont || size != curSize {
					w = append(w, "/F"...)
					w = strconv.AppendInt(w, int64(ref.font), 10)
					w = append(w, ' ')
					w = appendNum(w, size)
					w = append(w, " Tf\n"...)
					curFont, curSize = ref.font, size
				}
				w = append(w, "1 0 0 1 "...)
				w = appendNum(w, gx)
				w = append(w, ' ')
				w = appendNum(w, gy)
				w = append(w, " Tm [("...)
				natX, curY, open = gx, gy, true
			} else if dx := gx - natX; dx > 0.0005 || dx < -0.0005 {
				w = append(w, ')')
				w = appendNum(w, -dx*1000/size)
				w = append(w, '(')
				natX = gx
			}
			if ref.code == '\\' || ref.code == '(' || ref.code == ')' {
				w = append(w, '\\')
			}
			w = append(w, ref.code)
			natX += ref.advance * size / ff.upem
			if marked > 0 {
				if marked--; marked == 0 {
					w = append(w, ")] TJ\nEMC\n"...)
					open = false
				}
			}
		}
	}
	if open {
		w = append(w, ")] TJ\n"...)
	}
	w = append(w, "ET\n"...)
	b.Write(w)
}

// textCarrier returns the index of the glyph of the cluster starting at glyphs[i] that
// carries the cluster's characters in a right-to-left run: its first glyph that advances. A
// right-to-left run is drawn in visual order, so a cluster's mark (the tanwin of "اً", a
// shadda) may come before its base, drawn over the base with no advance: carried by the mark,
// the characters stood where the mark stands, apart from the next letter by the base's
// width, and readers that place words by their glyphs' positions (pdftotext, copying from a
// viewer) cut the word in two there ("اعتبار اً").
func textCarrier(glyphs []shaping.Glyph, i int) int {
	for j := i; j < len(glyphs) && glyphs[j].TextIndex() == glyphs[i].TextIndex(); j++ {
		if glyphs[j].Advance != 0 {
			return j
		}
	}
	return i
}

func reverse(s string) string {
	r := []rune(s)
	slices.Reverse(r)
	return string(r)
}
