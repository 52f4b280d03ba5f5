package pdf

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
)

// doc is a PDF document that Chancery draws itself: its letters, footers and draft bands.
//
// Text is shaped glyph runs, so it cannot go through fpdf (which maps characters to glyphs one
// to one). Each font is embedded as Type 3 fonts whose glyph procedures are the glyphs'
// outlines, taken from the font file by go-text, and only the glyphs the document uses: this
// works alike for TrueType outlines (Noto Sans and its script fonts) and for the CFF outlines
// of Noto Sans CJK, for which there is no Go subsetter. A /ToUnicode map gives each glyph
// back its characters, so extraction and search find the text.
type doc struct {
	w, h   float64 // page size in points
	pages  []*bytes.Buffer
	fonts  []*t3font // in order of first use
	byKey  map[glyphKey]glyphRef
	byRune map[*fontFile]map[uint64]glyphRef // byKey for the glyphs that stand for one character or none, see runeRefs
	latest map[*fontFile]*t3font             // the font receiving new glyphs of each font file

	images []docImage
	// footer, when not nil, is a content stream in page coordinates that every page shows
	// above its own content, as a form XObject: a release's verification footer.
	footer []byte
	// attached, when not nil, is the file a released enclosure carries (RenderEnclosureRelease).
	attached *attachment

	title, author string
	date          time.Time
	modified      time.Time // zero: date

	// texts, when not nil, gathers the text the extractor reads from each page (Text,
	// ReleasedText), as drawLine draws it: texts[i] is that of pages[i], a line feed for each
	// text object, then the characters each of its glyphs stands for. pageOf gives a page's
	// index; a drawing that is not a page (a release's footer) is not in it.
	texts  [][]byte
	pageOf map[*bytes.Buffer]int
}

// docImage is an image XObject: its dictionary entries and its (already encoded) data.
type docImage struct {
	dict string
	data []byte
}

// A Type 3 font has single-byte codes, so a font file's glyphs are spread over as many Type 3
// fonts as needed. Codes start at firstCode: the strings that show them then need no escape
// but for \ ( and ), and take a byte a glyph.
const firstCode = 32

// codesPerFont is the number of glyphs a Type 3 font holds.
const codesPerFont = 256 - firstCode

// A Type 3 font's glyphs are t3font.glyphs, code firstCode+i for glyph i.
type t3font struct {
	ff     *fontFile
	index  int // in doc.fonts, and its resource name /F{index}
	glyphs []t3glyph
}

type t3glyph struct {
	gid  font.GID
	text string // the characters this glyph stands for, possibly none
}

// glyphKey distinguishes a glyph drawn for different characters (a glyph shared by two
// characters), so that each code has exactly one /ToUnicode meaning.
type glyphKey struct {
	ff   *fontFile
	gid  font.GID
	text string
}

type glyphRef struct {
	font    int // index in doc.fonts
	code    byte
	advance float64 // in font units
}

const noRune rune = -1

const ptPerMM = 72 / 25.4

func newDoc(wMM, hMM float64) *doc {
	return &doc{w: wMM * ptPerMM, h: hMM * ptPerMM, byKey: map[glyphKey]glyphRef{}, byRune: map[*fontFile]map[uint64]glyphRef{}, latest: map[*fontFile]*t3font{}, date: undatedEpoch}
}

func (d *doc) addPage() *bytes.Buffer {
	b := &bytes.Buffer{}
	if n := len(d.pages); n > 0 {
		// A page of a letter is about as long as the one before: room for it at once, not
		// grown by doubling.
		b.Grow(d.pages[n-1].Len())
	}
	if d.pageOf != nil {
		d.pageOf[b] = len(d.pages)
		d.texts = append(d.texts, nil)
	}
	d.pages = append(d.pages, b)
	return b
}

// keepText makes the document gather its pages' text (texts); it is called before the first
// page is added.
func (d *doc) keepText() { d.pageOf = map[*bytes.Buffer]int{} }

// text is the document's text as ReleasedText reads it from the output: each page's lines
// trimmed, empty lines dropped, pages joined by form feeds, at most maxText bytes. The text
// an extractor reads from a page is what the page's text objects show, in the order the
// content stream shows them (the footer's form XObject is not read): gathered as drawLine
// writes them, it needs no reading back.
func (d *doc) text() string {
	s, _ := joinTexts(len(d.texts), func(i int) (string, error) { return trimLines(string(d.texts[i])), nil }, nil)
	return s
}

// runeRefs returns the glyphs of ff already given a code, each standing for one character or
// none, keyed by runeRef: a map per font file with integer keys, as drawLine looks up
// nearly every glyph it draws there.
func (d *doc) runeRefs(ff *fontFile) map[uint64]glyphRef {
	m := d.byRune[ff]
	if m == nil {
		m = map[uint64]glyphRef{}
		d.byRune[ff] = m
	}
	return m
}

// runeRef is the key of glyph gid standing for r (nothing when r is noRune) in runeRefs.
func runeRef(gid font.GID, r rune) uint64 { return uint64(gid)<<32 | uint64(uint32(r)) }

// glyphRune is glyph for the text r (none when r is noRune), without making a string of it:
// most glyphs of a letter stand for one character, and are drawn many times. refs is
// d.runeRefs(ff).
func (d *doc) glyphRune(refs map[uint64]glyphRef, ff *fontFile, face *font.Face, gid font.GID, r rune) glyphRef {
	k := runeRef(gid, r)
	if ref, ok := refs[k]; ok {
		return ref
	}
	text := ""
	if r != noRune {
		text = string(r)
	}
	ref := d.glyph(ff, face, gid, text)
	refs[k] = ref
	return ref
}

// glyph returns the font and code that draw gid of ff (whose face is face) standing for
// text.
func (d *doc) glyph(ff *fontFile, face *font.Face, gid font.GID, text string) glyphRef {
	k := glyphKey{ff, gid, text}
	if ref, ok := d.byKey[k]; ok {
		return ref
	}
	t := d.latest[ff]
	if t == nil || len(t.glyphs) == codesPerFont {
		t = &t3font{ff: ff, index: len(d.fonts)}
		d.fonts = append(d.fonts, t)
		d.latest[ff] = t
	}
	ref := glyphRef{font: t.index, code: byte(firstCode + len(t.glyphs)), advance: float64(face.HorizontalAdvance(gid))}
	t.glyphs = append(t.glyphs, t3glyph{gid: gid, text: text})
	d.byKey[k] = ref
	return ref
}

// glyphProc is a glyph's outline as a PDF content stream, compressed, with its advance and
// bounding box in font units. Procedures are cached for the process: they depend only on the
// font file and the glyph.
type glyphProc struct {
	obj     []byte // the stream object, as output writes it; shared, never modified
	advance float64
	bbox    [4]float64
}

type procKey struct {
	ff  *fontFile
	gid font.GID
}

var procCache sync.Map // procKey → *glyphProc

func (ff *fontFile) proc(face *font.Face, gid font.GID) *glyphProc {
	k := procKey{ff, gid}
	if p, ok := procCache.Load(k); ok {
		return p.(*glyphProc)
	}
	p := &glyphProc{advance: float64(face.HorizontalAdvance(gid))}
	var path bytes.Buffer
	bbox := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	extend := func(pts ...ot.SegmentPoint) {
		for _, q := range pts {
			bbox[0], bbox[1] = math.Min(bbox[0], float64(q.X)), math.Min(bbox[1], float64(q.Y))
			bbox[2], bbox[3] = math.Max(bbox[2], float64(q.X)), math.Max(bbox[3], float64(q.Y))
		}
	}
	if out, ok := face.GlyphDataOutline(gid); ok {
		var cur ot.SegmentPoint
		open := false
		for _, s := range out.Segments {
			switch s.Op {
			case ot.SegmentOpMoveTo:
				if open {
					path.WriteString("h\n")
				}
				writePts(&path, "m", s.Args[0])
				cur, open = s.Args[0], true
			case ot.SegmentOpLineTo:
				writePts(&path, "l", s.Args[0])
				cur = s.Args[0]
			case ot.SegmentOpQuadTo:
				// A quadratic Bézier is the cubic with control points 2/3 of the way to its
				// control point.
				q, e := s.Args[0], s.Args[1]
				c1 := ot.SegmentPoint{X: cur.X + 2*(q.X-cur.X)/3, Y: cur.Y + 2*(q.Y-cur.Y)/3}
				c2 := ot.SegmentPoint{X: e.X + 2*(q.X-e.X)/3, Y: e.Y + 2*(q.Y-e.Y)/3}
				writePts(&path, "c", c1, c2, e)
				cur = e
			case ot.SegmentOpCubeTo:
				writePts(&path, "c", s.Args[0], s.Args[1], s.Args[2])
				cur = s.Args[2]
			}
			extend(s.ArgsSlice()...)
		}
		if open {
			path.WriteString("h f\n")
		}
	}
	if math.IsInf(bbox[0], 0) {
		bbox = [4]float64{}
	}
	var proc bytes.Buffer
	// d1: the glyph is a shape filled with the current colour, so text takes the colour it
	// is drawn in.
	fmt.Fprintf(&proc, "%s 0 %s %s %s %s d1\n", num(p.advance), num(bbox[0]), num(bbox[1]), num(bbox[2]), num(bbox[3]))
	proc.Write(path.Bytes())
	p.obj = stream(" /Filter /FlateDecode", deflate(proc.Bytes()))
	p.bbox = bbox
	actual, _ := procCache.LoadOrStore(k, p)
	return actual.(*glyphProc)
}

func writePts(b *bytes.Buffer, op string, pts ...ot.SegmentPoint) {
	for _, p := range pts {
		b.WriteString(num(float64(p.X)))
		b.WriteByte(' ')
		b.WriteString(num(float64(p.Y)))
		b.WriteByte(' ')
	}
	b.WriteString(op)
	b.WriteByte('\n')
}

// num formats a number for a content stream: at most three decimals, no exponent. It is
// strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64) without "-0", in integer
// arithmetic: a letter formats a number for nearly every glyph.
func num(v float64) string {
	var buf [24]byte
	return string(appendNum(buf[:0], v))
}

// appendNum appends num(v) to b.
func appendNum(b []byte, v float64) []byte {
	m := math.Round(v * 1000)
	if m == 0 {
		return append(b, '0')
	}
	if !(math.Abs(m) < 1<<53) {
		return strconv.AppendFloat(b, m/1000, 'f', -1, 64)
	}
	n := int64(m)
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/1000, 10)
	if f := n % 1000; f != 0 {
		b = append(b, '.', byte('0'+f/100), byte('0'+f/10%10), byte('0'+f%10))
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
	}
	return b
}

// zlibWriters are reused: a compressor's state is hundreds of kilobytes, and a letter has a
// stream per page and per font.
var zlibWriters = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(nil, zlib.BestSpeed)
	return w
}}

func deflate(b []byte) []byte {
	var out bytes.Buffer
	w := zlibWriters.Get().(*zlib.Writer)
	w.Reset(&out)
	w.Write(b)
	w.Close()
	zlibWriters.Put(w)
	return out.Bytes()
}

// pdfText is a PDF text string: UTF-16BE with a byte-order mark, hex-encoded, so it needs no
// escaping.
func pdfText(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// output serialises the document. faces gives, for each font file, the face its glyph
// outlines are read with. Output is deterministic: objects are numbered in a fixed order and
// the file identifier is a hash of the content.
func (d *doc) output(faces func(*fontFile) *font.Face) []byte {
	var objs [][]byte // objs[i] is object i+1
	add := func(b []byte) int {
		objs = append(objs, b)
		return len(objs)
	}
	reserve := func() int { return add(nil) }

	catalog := reserve()
	pagesObj := reserve()
	resources := reserve()

	var fontRefs strings.Builder
	for i, t := range d.fonts {
		face := faces(t.ff)
		var procs, diffs, widths strings.Builder
		bbox := [4]float64{}
		for code, g := range t.glyphs {
			p := t.ff.proc(face, g.gid)
			n := add(p.obj)
			fmt.Fprintf(&procs, "/g%d %d 0 R ", firstCode+code, n)
			fmt.Fprintf(&diffs, "/g%d ", firstCode+code)
			widths.WriteString(num(p.advance) + " ")
			bbox = [4]float64{math.Min(bbox[0], p.bbox[0]), math.Min(bbox[1], p.bbox[1]), math.Max(bbox[2], p.bbox[2]), math.Max(bbox[3], p.bbox[3])}
		}
		toUnicode := add(stream(" /Filter /FlateDecode", deflate(cmapFor(t))))
		// Exact, not rounded like content-stream numbers: 1/2048 would round to zero.
		scale := strconv.FormatFloat(1/t.ff.upem, 'f', -1, 64)
		// Type 3 glyph names are only keys here; the /ToUnicode map gives the text.
		fontObj := add([]byte(fmt.Sprintf("<</Type /Font /Subtype /Type3 /Name /F%d /FontBBox [%s %s %s %s] /FontMatrix [%s 0 0 %s 0 0] "+
			"/CharProcs <<%s>> /Encoding <</Type /Encoding /Differences [%d %s]>> /FirstChar %d /LastChar %d /Widths [%s] "+
			"/Resources <<>> /ToUnicode %d 0 R>>",
			i, num(bbox[0]), num(bbox[1]), num(bbox[2]), num(bbox[3]), scale, scale,
			procs.String(), firstCode, diffs.String(), firstCode, firstCode+len(t.glyphs)-1, widths.String(), toUnicode)))
		fmt.Fprintf(&fontRefs, "/F%d %d 0 R ", i, fontObj)
	}
	var imageRefs strings.Builder
	for i, im := range d.images {
		fmt.Fprintf(&imageRefs, "/Im%d %d 0 R ", i, add(stream(" /Type /XObject /Subtype /Image"+im.dict, im.data)))
	}
	if d.footer != nil {
		// Its own resources, not the pages' (which name it): a form that could reach
		// itself is one more thing for a reader to guard against.
		fmt.Fprintf(&imageRefs, "/Ft %d 0 R ", add(stream(fmt.Sprintf(" /Type /XObject /Subtype /Form /BBox [0 0 %s %s] /Resources <</Font <<%s>>>> /Filter /FlateDecode",
			num(d.w), num(d.h), fontRefs.String()), deflate(d.footer))))
	}
	objs[resources-1] = []byte(fmt.Sprintf("<</Font <<%s>> /XObject <<%s>>>>", fontRefs.String(), imageRefs.String()))

	var kids strings.Builder
	var framed bytes.Buffer
	for _, content := range d.pages {
		data := content.Bytes()
		if d.footer != nil {
			// The page's content is framed so that nothing it leaves set reaches the footer.
			framed.Reset()
			framed.WriteString("q\n")
			framed.Write(data)
			framed.WriteString("Q\n/Ft Do\n")
			data = framed.Bytes()
		}
		c := add(stream(" /Filter /FlateDecode", deflate(data)))
		p := add([]byte(fmt.Sprintf("<</Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Resources %d 0 R /Contents %d 0 R>>",
			pagesObj, num(d.w), num(d.h), resources, c)))
		fmt.Fprintf(&kids, "%d 0 R ", p)
	}
	objs[pagesObj-1] = []byte(fmt.Sprintf("<</Type /Pages /Kids [%s] /Count %d>>", kids.String(), len(d.pages)))
	catalogExtra := ""
	if d.attached != nil {
		catalogExtra = d.attached.objects(add)
	}
	objs[catalog-1] = []byte(fmt.Sprintf("<</Type /Catalog /Pages %d 0 R%s>>", pagesObj, catalogExtra))
	date := "(D:" + d.date.UTC().Format("20060102150405") + "Z)"
	modified := date
	if !d.modified.IsZero() {
		modified = "(D:" + d.modified.UTC().Format("20060102150405") + "Z)"
	}
	info := add([]byte(fmt.Sprintf("<</Producer (Chancery) /Creator (Chancery) /Title %s /Author %s /CreationDate %s /ModDate %s>>",
		pdfText(d.title), pdfText(d.author), date, modified)))

	var out bytes.Buffer
	size := 256 + 20*len(objs)
	for _, o := range objs {
		size += len(o) + 24
	}
	out.Grow(size)
	out.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		out.Write(strconv.AppendInt(out.AvailableBuffer(), int64(i+1), 10))
		out.WriteString(" 0 obj\n")
		out.Write(o)
		out.WriteString("\nendobj\n")
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		out.Write(append(appendOffset(out.AvailableBuffer(), off), " 00000 n \n"...))
	}
	id := sha256.Sum256(out.Bytes())
	fmt.Fprintf(&out, "trailer\n<</Size %d /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>]>>\nstartxref\n%d\n%%%%EOF\n",
		len(objs)+1, catalog, info, id[:16], id[:16], xref)
	return out.Bytes()
}

// appendOffset appends off as the ten digits of a cross-reference entry (%010d).
func appendOffset(b []byte, off int) []byte {
	var d [10]byte
	for i := len(d) - 1; i >= 0; i-- {
		d[i] = byte('0' + off%10)
		off /= 10
	}
	return append(b, d[:]...)
}

// stream is a stream object with dictionary entries dict and data.
func stream(dict string, data []byte) []byte {
	b := make([]byte, 0, len(dict)+len(data)+48)
	b = append(b, "<<"...)
	b = append(b, dict...)
	b = append(b, " /Length "...)
	b = strconv.AppendInt(b, int64(len(data)), 10)
	b = append(b, ">>\nstream\n"...)
	b = append(b, data...)
	return append(b, "\nendstream"...)
}

// cmapFor is the /ToUnicode CMap of a Type 3 font.
func cmapFor(t *t3font) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n")
	codes := make([]int, 0, len(t.glyphs))
	for c := range t.glyphs {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for len(codes) > 0 {
		n := min(len(codes), 100)
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, c := range codes[:n] {
			fmt.Fprintf(&b, "<%02X> <", firstCode+c)
			for _, u := range utf16.Encode([]rune(t.glyphs[c].text)) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
		codes = codes[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
