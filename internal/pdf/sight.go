package pdf

import (
	"math"
	"strings"

	lpdf "github.com/ledongthuc/pdf"
)

// Bounds of what sight takes for text a page does not show: text whose glyphs are less than
// minTextSize points high or wide on the page, and text whose colour differs from what lies
// under it by less than minContrast (each of red, green and blue from 0 to 1, its opacity
// applied: white on the paper, or black on a black rectangle).
const (
	minTextSize = 1.0
	minContrast = 0.05
)

// Bounds of the work of sight on a page: the filled areas it keeps for the colour under the
// text (past maxRegions it no longer tells what lies under text drawn after them), the tests
// of a point against them (past maxRegionTests likewise), and the graphics states saved (as
// renderMode keeps them).
const (
	maxRegions     = 1024
	maxRegionTests = 1 << 22
	maxSaved       = 256
)

// A matrix is a PDF transformation [a b c d e f]: (x, y) is drawn at (a·x + c·y + e,
// b·x + d·y + f).
type matrix [6]float64

var identity = matrix{1, 0, 0, 1, 0, 0}

// then is m followed by n (PDF's m × n).
func (m matrix) then(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// at is where m draws (x, y).
func (m matrix) at(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// translation is the matrix that moves by (x, y).
func translation(x, y float64) matrix { return matrix{1, 0, 0, 1, x, y} }

// A box is an area of the page, in its default coordinates, from (x0, y0) to (x1, y1); a
// box with x0 > x1 holds no point, and everywhere holds every point.
type box struct{ x0, y0, x1, y1 float64 }

var (
	nowhere    = box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	everywhere = box{math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1)}
)

// add is b grown to hold (x, y).
func (b box) add(x, y float64) box {
	return box{min(b.x0, x), min(b.y0, y), max(b.x1, x), max(b.y1, y)}
}

// and is the part of b inside c.
func (b box) and(c box) box {
	return box{max(b.x0, c.x0), max(b.y0, c.y0), min(b.x1, c.x1), min(b.y1, c.y1)}
}

// apart reports whether b and c surely share no point. Numbers that are not numbers (NaN)
// tell nothing apart.
func (b box) apart(c box) bool {
	return b.x1 < c.x0 || c.x1 < b.x0 || b.y1 < c.y0 || c.y1 < b.y0
}

// covers reports whether b holds the whole of c.
func (b box) covers(c box) bool {
	return b.x0 <= c.x0 && c.x1 <= b.x1 && b.y0 <= c.y0 && c.y1 <= b.y1
}

// drawn is the box that holds where m draws the corners of b.
func (m matrix) drawn(b box) box {
	out := nowhere
	for _, p := range [4][2]float64{{b.x0, b.y0}, {b.x1, b.y0}, {b.x0, b.y1}, {b.x1, b.y1}} {
		out = out.add(m.at(p[0], p[1]))
	}
	return out
}

// A space is the kind of colour space a paint is in, as far as sight tells colours.
type space int

const (
	spaceOther space = iota // a colour sight does not tell (patterns, Lab, indexed, DeviceN)
	spaceGray
	spaceRGB
	spaceCMYK
	spaceSeparation // a colorant, whose tint 0 is none of it: the paper
	spaceNone       // the separation /None, which paints nothing
)

// A paint is the colour in force for filling or for stroking.
type paint struct {
	space space
	rgb   [3]float64
	known bool // rgb is the colour painted
}

// set is p with the colour operands args, in p's space.
func (p paint) set(args []lpdf.Value) paint {
	p.known = false
	n := func(i int) float64 { return min(max(args[i].Float64(), 0), 1) }
	if len(args) > 0 && args[len(args)-1].Kind() == lpdf.Name {
		return p // a pattern
	}
	switch {
	case p.space == spaceGray && len(args) == 1:
		p.rgb, p.known = [3]float64{n(0), n(0), n(0)}, true
	case p.space == spaceRGB && len(args) == 3:
		p.rgb, p.known = [3]float64{n(0), n(1), n(2)}, true
	case p.space == spaceCMYK && len(args) == 4:
		k := n(3)
		p.rgb, p.known = [3]float64{(1 - n(0)) * (1 - k), (1 - n(1)) * (1 - k), (1 - n(2)) * (1 - k)}, true
	case p.space == spaceSeparation && len(args) == 1 && args[0].Float64() == 0:
		p.rgb, p.known = [3]float64{1, 1, 1}, true
	}
	return p
}

// deviceSpace is the space of the colour operator op: g, rg, k, or G, RG, K.
func deviceSpace(op string) space {
	switch op {
	case "g", "G":
		return spaceGray
	case "rg", "RG":
		return spaceRGB
	}
	return spaceCMYK
}

// inSpace is a paint of space s in its initial colour (black, or a colorant's full tint).
func inSpace(s space) paint {
	p := paint{space: s}
	switch s {
	case spaceGray, spaceRGB, spaceCMYK:
		p.known = true
	}
	return p
}

// A look is the graphics state that decides whether text shows: where it is drawn, its
// size, its colours and what clips it.
type look struct {
	ctm                    matrix
	clip                   box // a box holding the clipping path
	fill, stroke           paint
	fillAlpha, strokeAlpha float64
	// blended, masked: colours are painted in a blend mode other than the normal one, or
	// through a soft mask, so sight does not tell them.
	blended, masked bool
	lineWidth       float64
	// The text state: the font's size, the horizontal scaling (Tz/100), the rise, the
	// character and word spacing, the leading; type3 is set when the font is a Type 3 font,
	// whose glyphs are as large as its own matrix and procedures draw them.
	size, scale, rise, charSpace, wordSpace, leading float64
	type3                                            bool
}

// plain reports whether colours are painted as they are: in the normal blend mode, without
// a soft mask.
func (l *look) plain() bool { return !l.blended && !l.masked }

// A region is an area the page fills, in a colour (known) or in colours sight does not tell;
// exact when it fills the whole of its box (a rectangle), not some part of it only.
type region struct {
	area         box
	rgb          [3]float64
	known, exact bool
}

// Bounds of the marks sight keeps: the strings of at most maxMarkBytes bytes, the last
// maxMarks of them.
const (
	maxMarkBytes = 4
	maxMarks     = 64
)

// maxShapes bounds the colours under a text sight compares it with: the shapes it may lie
// on, each filling some part of its box only, and the one under them.
const maxShapes = 8

// A path is the box of the path under construction, and whether it is one rectangle
// whose sides are the box's: a single subpath of at most maxCorners points, each on a
// corner of the box, each side along an axis.
type path struct {
	area     box
	subpaths int
	curved   bool
	points   [][2]float64
}

// maxCorners bounds the points of a path kept to tell a rectangle.
const maxCorners = 6

// add adds the point (x, y) to the path; start starts a subpath with it.
func (p *path) add(x, y float64, start bool) {
	if start {
		p.subpaths++
	}
	p.area = p.area.add(x, y)
	if len(p.points) <= maxCorners {
		p.points = append(p.points, [2]float64{x, y})
	}
}

// rectangle reports whether the path is one rectangle along the axes.
func (p *path) rectangle() bool {
	const eps = 0.01
	n := len(p.points)
	if p.subpaths != 1 || p.curved || n < 4 || n > maxCorners {
		return false
	}
	for i, a := range p.points {
		b := p.points[(i+1)%n]
		onX := math.Abs(a[0]-p.area.x0) < eps || math.Abs(a[0]-p.area.x1) < eps
		onY := math.Abs(a[1]-p.area.y0) < eps || math.Abs(a[1]-p.area.y1) < eps
		if !onX || !onY || math.Abs(a[0]-b[0]) >= eps && math.Abs(a[1]-b[1]) >= eps {
			return false
		}
	}
	return true
}

// sight follows a page's content stream for what its text-showing operators draw where a
// reader cannot see it: text smaller than minTextSize, in the colour of what lies under it
// (the paper's white, a filled rectangle or path, within minContrast, opacity applied), or
// outside the page's visible area (its crop box within its media box, and the clipping
// path in force). What lies under text is the last rectangle filled under it before it, and
// every other path filled over that one's part since, each of which may or may not lie
// under the text (a path other than a rectangle fills some part of its box only): the text
// is hidden only if its colour is that of each. Pictures, forms and shadings are areas of
// colours sight does not tell, under which it takes no text for hidden. Text drawn over by what is
// painted after it, fonts whose glyphs draw nothing or whose character maps lie, the size
// of a Type 3 font's glyphs, and colours of other spaces (patterns, indexed, DeviceN) are
// not told. Where a string's glyphs end is bounded without their widths (an em, the
// spacing and the adjustments for each byte), so text is taken as outside the page only if
// it cannot reach it.
type sight struct {
	look  look
	saved []look
	tm    matrix // the text matrix
	tlm   matrix // the text line matrix
	// run bounds how far the text position moved since the text matrix was last set, in
	// text space, in either direction: sight does not read the glyphs' widths.
	run    float64
	path   path // the path under construction
	clipAt bool // W or W*: the path painted next also clips
	inline bool // inside an inline image, BI … EI
	page   box
	areas  []region
	// marks are the last short strings shown (symbols: an icon's glyph, a numbered
	// circle), in a ring of maxMarks, as areas of their colours: a text drawn over one of
	// them may show on it.
	marks [maxMarks]region
	mark  int
	full  bool // areas past maxRegions, or tests past maxRegionTests
	tests int
	res   lpdf.Value
	// The resources read, by name.
	spaces  map[string]space
	states  map[string]lpdf.Value
	objects map[string]xobject
	type3   map[string]bool
}

// An xobject is what a Do of an XObject paints: a picture, or a form within its box.
type xobject struct {
	form bool
	area box // for a form, its box in its own space, drawn by its matrix
	m    matrix
}

// newSight is a sight of page p, whose visible area is visible, before its content.
func newSight(p lpdf.Page, visible box) *sight {
	s := &sight{
		look: look{ctm: identity, clip: everywhere, fill: inSpace(spaceGray), stroke: inSpace(spaceGray),
			fillAlpha: 1, strokeAlpha: 1, lineWidth: 1, scale: 1},
		tm: identity, tlm: identity, path: path{area: nowhere},
		page: visible,
		res:  p.Resources(),
	}
	for i := range s.marks {
		s.marks[i].area = nowhere
	}
	return s
}

// visibleArea is the area of a page whose media box and crop box (inherited) are media and
// crop: the crop box within the media box, or the media box when the crop box is missing or
// outside it (as readers show it), or everywhere when neither is a rectangle.
func visibleArea(media, crop lpdf.Value) box {
	page := rectangle(media)
	if b := page.and(rectangle(crop)); b.x0 <= b.x1 && b.y0 <= b.y1 {
		page = b
	}
	return page
}

// rectangle is the box of the rectangle v, [x0 y0 x1 y1], or everywhere.
func rectangle(v lpdf.Value) box {
	if v.Kind() != lpdf.Array || v.Len() != 4 {
		return everywhere
	}
	return nowhere.add(v.Index(0).Float64(), v.Index(1).Float64()).add(v.Index(2).Float64(), v.Index(3).Float64())
}

// op follows operator op with its operands args; for an operator that shows text drawn in
// rendering mode mode, it reports whether the page does not show it (sight). Text drawn
// unseen (renderMode.unseen) is the caller's to count.
func (s *sight) op(op string, args []lpdf.Value, mode int64) (concealed bool) {
	if s.inline {
		if op == "EI" {
			s.inline = false
			s.paintUnknown(s.look.ctm.drawn(box{0, 0, 1, 1}))
		}
		return false
	}
	num := func(i int) float64 { return args[i].Float64() }
	g := &s.look
	switch op {
	case "BI":
		s.inline = true
	case "q":
		if len(s.saved) < maxSaved {
			s.saved = append(s.saved, s.look)
		}
	case "Q":
		if n := len(s.saved); n > 0 {
			s.look, s.saved = s.saved[n-1], s.saved[:n-1]
		}
	case "cm":
		if len(args) == 6 {
			g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.then(g.ctm)
		}
	case "w":
		if len(args) == 1 {
			g.lineWidth = num(0)
		}
	case "gs":
		if len(args) == 1 {
			s.state(args[0].Name())
		}
	case "g", "rg", "k":
		g.fill = inSpace(deviceSpace(op)).set(args)
	case "G", "RG", "K":
		g.stroke = inSpace(deviceSpace(op)).set(args)
	case "cs":
		if len(args) == 1 {
			g.fill = inSpace(s.space(args[0].Name()))
		}
	case "CS":
		if len(args) == 1 {
			g.stroke = inSpace(s.space(args[0].Name()))
		}
	case "sc", "scn":
		g.fill = g.fill.set(args)
	case "SC", "SCN":
		g.stroke = g.stroke.set(args)
	case "m", "l":
		if len(args) == 2 {
			x, y := g.ctm.at(num(0), num(1))
			s.path.add(x, y, op == "m")
		}
	case "c", "v", "y":
		s.path.curved = true
		for i := 0; i+1 < len(args); i += 2 {
			x, y := g.ctm.at(num(i), num(i+1))
			s.path.add(x, y, false)
		}
	case "re":
		if len(args) == 4 {
			x, y, w, h := num(0), num(1), num(2), num(3)
			for i, p := range [4][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}} {
				px, py := g.ctm.at(p[0], p[1])
				s.path.add(px, py, i == 0)
			}
		}
	case "W", "W*":
		s.clipAt = true
	case "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "n":
		s.paintPath(op)
	case "sh":
		s.paintUnknown(s.page)
	case "Do":
		if len(args) == 1 {
			s.paintObject(args[0].Name())
		}
	case "BT":
		s.tm, s.tlm, s.run = identity, identity, 0
	case "Td", "TD":
		if len(args) == 2 {
			if op == "TD" {
				g.leading = -num(1)
			}
			s.tlm = translation(num(0), num(1)).then(s.tlm)
			s.tm, s.run = s.tlm, 0
		}
	case "Tm":
		if len(args) == 6 {
			s.tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
			s.tm, s.run = s.tlm, 0
		}
	case "T*":
		s.nextLine()
	case "Tc":
		if len(args) == 1 {
			g.charSpace = num(0)
		}
	case "Tw":
		if len(args) == 1 {
			g.wordSpace = num(0)
		}
	case "Tz":
		if len(args) == 1 {
			g.scale = num(0) / 100
		}
	case "TL":
		if len(args) == 1 {
			g.leading = num(0)
		}
	case "Ts":
		if len(args) == 1 {
			g.rise = num(0)
		}
	case "Tf":
		if len(args) == 2 {
			g.size, g.type3 = num(1), s.isType3(args[0].Name())
		}
	case "'", "\"":
		if op == "\"" && len(args) == 3 {
			g.wordSpace, g.charSpace = num(0), num(1)
		}
		s.nextLine()
		return s.show(args, mode)
	case "Tj", "TJ":
		return s.show(args, mode)
	}
	return false
}

// isBlank reports whether the codes of str are all spaces, tabs or line breaks, which a
// simple font's encoding shows as blank.
func isBlank(str string) bool {
	return strings.Trim(str, " \t\r\n") == ""
}

// nextLine moves the text position to the start of the next line (T*).
func (s *sight) nextLine() {
	s.tlm = translation(0, -s.look.leading).then(s.tlm)
	s.tm, s.run = s.tlm, 0
}

// show reports whether the string or array shown (the last of args), in rendering mode
// mode, is drawn where the page does not show it, and moves on the bound of the text's
// reach.
func (s *sight) show(args []lpdf.Value, mode int64) bool {
	if len(args) == 0 {
		return false
	}
	g := &s.look
	bytes, blank, adjust := 0, true, 0.0
	if v := args[len(args)-1]; v.Kind() == lpdf.Array {
		for i := range v.Len() {
			if x := v.Index(i); x.Kind() == lpdf.String {
				bytes += len(x.RawString())
				blank = blank && isBlank(x.RawString())
			} else {
				adjust += math.Abs(x.Float64())
			}
		}
	} else {
		bytes, blank = len(v.RawString()), isBlank(v.RawString())
	}
	size, scale := math.Abs(g.size), math.Abs(g.scale)
	// The most the string can advance: an em, the character and word spacing a byte, and
	// its adjustments, in text space.
	reach := (float64(bytes)*(size+math.Abs(g.charSpace)+math.Abs(g.wordSpace)) + adjust/1000*size) * scale
	before := s.run
	s.run += reach
	if blank {
		// Spaces, or nothing: no word is hidden.
		return false
	}
	m := s.tm.then(g.ctm)
	// The glyphs' em on the page: its width along the baseline and its height across it.
	ux, uy := m[0]*size*scale, m[1]*size*scale
	width := math.Hypot(ux, uy)
	height := math.Abs((m[0]*m[3]-m[1]*m[2])*size*size*scale) / width
	if !g.type3 && (width < minTextSize || height < minTextSize || width == 0) {
		return true
	}
	// Where the glyphs may be: from the text position less everything it may have moved
	// since it was set, to as much past it, an em above and below the baseline.
	far := before + reach + size
	if m.drawn(box{-far, g.rise - size, far, g.rise + size}).apart(s.page.and(g.clip)) {
		return true
	}
	fills := mode == 0 || mode == 2 || mode == 4 || mode == 6
	strokes := mode == 1 || mode == 2 || mode == 5 || mode == 6
	if !fills && !strokes {
		return false
	}
	// The colours that may lie under the first glyph's middle.
	middle := m.drawn(box{0, g.rise + size/10, size * scale / 2, g.rise + size*6/10})
	under, known := s.under(middle)
	hidden := (!fills || s.faint(g.fill, g.fillAlpha, under, known)) &&
		(!strokes || s.faint(g.stroke, g.strokeAlpha, under, known))
	for i := 0; hidden && i < maxMarks; i++ {
		if mk := s.marks[i]; mk.area.x0 <= mk.area.x1 && !mk.area.apart(middle) {
			hidden = mk.known && (!fills || s.faint(g.fill, g.fillAlpha, [][3]float64{mk.rgb}, true)) &&
				(!strokes || s.faint(g.stroke, g.strokeAlpha, [][3]float64{mk.rgb}, true))
		}
	}
	if bytes <= maxMarkBytes {
		p := g.fill
		if !fills {
			p = g.stroke
		}
		s.marks[s.mark] = region{area: m.drawn(box{0, g.rise - size/5, float64(bytes) * size * scale * 6 / 10, g.rise + size*9/10}),
			rgb: p.rgb, known: p.known && s.look.plain()}
		s.mark = (s.mark + 1) % maxMarks
	}
	return hidden
}

// faint reports whether paint p at opacity alpha cannot be told from any of the colours
// under (when known) that it may be painted over.
func (s *sight) faint(p paint, alpha float64, under [][3]float64, known bool) bool {
	if !s.look.plain() {
		return false
	}
	if p.space == spaceNone || alpha < minContrast {
		return true
	}
	if !p.known || !known {
		return false
	}
	for _, c := range under {
		d := 0.0
		for i := range 3 {
			d = max(d, math.Abs(p.rgb[i]-c[i]))
		}
		if alpha*d >= minContrast {
			return false
		}
	}
	return true
}

// under is the colours that may lie under area: those of the areas filled over it since the
// last that covers it whole (a rectangle), and that one's or the paper's white. known is
// false where sight does not tell them: a picture, a form, a shading or a colour it does not
// read is there, or more than maxShapes.
func (s *sight) under(area box) (rgb [][3]float64, known bool) {
	for i := len(s.areas) - 1; i >= 0; i-- {
		if s.tests++; s.tests > maxRegionTests {
			s.full = true
		}
		a := s.areas[i]
		switch {
		case s.full || len(rgb) == maxShapes:
			return nil, false
		case a.area.apart(area):
			continue
		case !a.known:
			return nil, false
		}
		rgb = append(rgb, a.rgb)
		if a.exact && a.area.covers(area) {
			return rgb, true
		}
	}
	if s.full {
		return nil, false
	}
	return append(rgb, [3]float64{1, 1, 1}), true
}

// paintPath paints the path as op says (a fill, a stroke, both or neither), clips to it
// after a W, and starts a new one.
func (s *sight) paintPath(op string) {
	g, area := &s.look, s.path.area
	switch op {
	case "f", "F", "f*", "B", "B*", "b", "b*":
		s.paint(area, s.path.rectangle(), g.fill, g.fillAlpha)
	}
	switch op {
	case "S", "s", "B", "B*", "b", "b*":
		// A line wider than a point may be what lies under text.
		if w := g.lineWidth * math.Sqrt(math.Abs(g.ctm[0]*g.ctm[3]-g.ctm[1]*g.ctm[2])); w > minTextSize {
			s.paint(box{area.x0 - w/2, area.y0 - w/2, area.x1 + w/2, area.y1 + w/2}, false, g.stroke, g.strokeAlpha)
		}
	}
	if s.clipAt {
		g.clip = g.clip.and(area)
	}
	s.path, s.clipAt = path{area: nowhere, points: s.path.points[:0]}, false
}

// paint records area painted with p at opacity alpha, the whole of it when exact.
func (s *sight) paint(area box, exact bool, p paint, alpha float64) {
	switch {
	case p.space == spaceNone || alpha < minContrast && s.look.plain():
		// Nothing shows.
	case p.known && alpha == 1 && s.look.plain():
		s.region(region{area: area.and(s.look.clip), rgb: p.rgb, known: true, exact: exact})
	default:
		s.paintUnknown(area)
	}
}

// paintUnknown records area painted in colours sight does not tell.
func (s *sight) paintUnknown(area box) {
	s.region(region{area: area.and(s.look.clip)})
}

// region records r, an area filled, within maxRegions.
func (s *sight) region(r region) {
	if r.area.x0 > r.area.x1 || r.area.y0 > r.area.y1 {
		return
	}
	if len(s.areas) >= maxRegions {
		s.full = true
		return
	}
	s.areas = append(s.areas, r)
}

// paintObject paints the XObject name: a picture fills the unit square, a form its box, in
// colours sight does not tell.
func (s *sight) paintObject(name string) {
	if s.objects == nil {
		s.objects = map[string]xobject{}
	}
	x, ok := s.objects[name]
	if !ok {
		v := s.res.Key("XObject").Key(name)
		x = xobject{area: box{0, 0, 1, 1}, m: identity}
		if v.Key("Subtype").Name() == "Form" {
			x.form, x.area = true, everywhere
			if b := v.Key("BBox"); b.Kind() == lpdf.Array && b.Len() == 4 {
				x.area = nowhere.add(b.Index(0).Float64(), b.Index(1).Float64()).add(b.Index(2).Float64(), b.Index(3).Float64())
			}
			if m := v.Key("Matrix"); m.Kind() == lpdf.Array && m.Len() == 6 {
				for i := range 6 {
					x.m[i] = m.Index(i).Float64()
				}
			}
		}
		s.objects[name] = x
	}
	area := x.m.then(s.look.ctm).drawn(x.area)
	if x.area == everywhere {
		area = everywhere
	}
	s.paintUnknown(area)
}

// isType3 reports whether the page's font name is a Type 3 font.
func (s *sight) isType3(name string) bool {
	if s.type3 == nil {
		s.type3 = map[string]bool{}
	}
	t, ok := s.type3[name]
	if !ok {
		t = s.res.Key("Font").Key(name).Key("Subtype").Name() == "Type3"
		s.type3[name] = t
	}
	return t
}

// space is the kind of the colour space name: a device space, or one of the page's
// resources.
func (s *sight) space(name string) space {
	switch name {
	case "DeviceGray":
		return spaceGray
	case "DeviceRGB":
		return spaceRGB
	case "DeviceCMYK":
		return spaceCMYK
	case "Pattern":
		return spaceOther
	}
	if s.spaces == nil {
		s.spaces = map[string]space{}
	}
	if k, ok := s.spaces[name]; ok {
		return k
	}
	k := spaceOther
	v := s.res.Key("ColorSpace").Key(name)
	switch v.Index(0).Name() {
	case "ICCBased":
		k = map[int64]space{1: spaceGray, 3: spaceRGB, 4: spaceCMYK}[v.Index(1).Key("N").Int64()]
	case "CalGray":
		k = spaceGray
	case "CalRGB":
		k = spaceRGB
	case "Separation":
		k = spaceSeparation
		if v.Index(1).Name() == "None" {
			k = spaceNone
		}
	}
	if v.Kind() == lpdf.Name {
		switch v.Name() {
		case "DeviceGray":
			k = spaceGray
		case "DeviceRGB":
			k = spaceRGB
		case "DeviceCMYK":
			k = spaceCMYK
		}
	}
	s.spaces[name] = k
	return k
}

// state sets the parameters of the graphics state dictionary name that sight follows: the
// opacities, the blend mode, the soft mask, the line width and the font's size.
func (s *sight) state(name string) {
	if s.states == nil {
		s.states = map[string]lpdf.Value{}
	}
	v, ok := s.states[name]
	if !ok {
		v = s.res.Key("ExtGState").Key(name)
		s.states[name] = v
	}
	g := &s.look
	if a := v.Key("ca"); a.Kind() == lpdf.Integer || a.Kind() == lpdf.Real {
		g.fillAlpha = a.Float64()
	}
	if a := v.Key("CA"); a.Kind() == lpdf.Integer || a.Kind() == lpdf.Real {
		g.strokeAlpha = a.Float64()
	}
	if w := v.Key("LW"); w.Kind() == lpdf.Integer || w.Kind() == lpdf.Real {
		g.lineWidth = w.Float64()
	}
	if f := v.Key("Font"); f.Kind() == lpdf.Array && f.Len() == 2 {
		g.size = f.Index(1).Float64()
	}
	if bm := v.Key("BM"); bm.Kind() != lpdf.Null {
		if bm.Kind() == lpdf.Array {
			bm = bm.Index(0)
		}
		g.blended = bm.Name() != "Normal" && bm.Name() != "Compatible"
	}
	if sm := v.Key("SMask"); sm.Kind() != lpdf.Null && sm.Name() != "None" {
		g.masked = true
	} else if sm.Kind() != lpdf.Null {
		g.masked = false
	}
}

// showsText reports whether op shows text.
func showsText(op string) bool {
	return op == "Tj" || op == "TJ" || op == "'" || op == "\""
}
