package pdf

import (
	"bytes"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Letterhead is the frame of a letter written in Markdown or plain text.
type Letterhead struct {
	Office      string
	Reference   string
	Subject     string
	Date        time.Time // zero: the letter shows "Undated draft"
	Addressees  []string
	Signatories []string
	Zone        *time.Location // the office's time zone, in which Date is printed; nil: UTC
}

// undatedEpoch is the creation date written into an undated letter, so that rendering stays
// deterministic.
var undatedEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Page geometry in millimetres. The bottom margin leaves room for the footer Stamp adds.
const (
	marginLeft   = 25.0
	marginRight  = 20.0
	marginTop    = 20.0
	marginBottom = 38.0
	bodyFontSize = 11.0
	lineHeight   = 5.6
)

// Render lays out a letter on an A4 letterhead: office, reference, date, addressees, subject,
// body and a signature block. mediaType is "text/markdown" (headings, paragraphs, emphasis,
// lists, quotes, code) or "text/plain". The output is deterministic: equal input gives equal
// bytes. Text in any script the fonts cover is shaped (joined Arabic, Devanagari conjuncts)
// and laid out in its direction, mixed lines by the bidirectional algorithm; a character the
// fonts cannot draw is refused with an error wrapping ErrUnsupportedChar, and a letter longer
// than MaxPages pages, which Check would refuse, with one wrapping ErrTooLarge.
func Render(mediaType string, body []byte, h Letterhead) (out []byte, err error) {
	defer recoverAs(&out, &err, "render letter")
	r, err := layOut(mediaType, body, h, false)
	if err != nil {
		return nil, fmt.Errorf("render letter: %w", err)
	}
	return r.output()
}

// RenderRelease is the release of a letter that Render lays out: its pages are those Render
// gives, with the footer Stamp gives a released letter, and with s (when not nil) the
// office's signature embedded as Sign embeds it, dated f.Released. The footer is drawn while
// the letter is laid out, where Stamp reads a finished document back and writes it anew: the
// pages look the same (the footer is one form XObject that every page shows above its
// content, at the same place), and a release costs a fraction of the time. The output is
// deterministic, as Render's and Stamp's are.
func RenderRelease(mediaType string, body []byte, h Letterhead, f Footer, s *Signer) ([]byte, error) {
	rel, err := RenderReleaseText(mediaType, body, h, f, s)
	if err != nil {
		return nil, err
	}
	return rel.Doc, nil
}

// Release is a laid-out release and its text.
type Release struct {
	Doc []byte
	// Text is the string ReleasedText returns for Doc, gathered while the letter was laid
	// out instead of read back from it. HasText is false, and Text empty, when ReleasedText
	// would refuse Doc (it is larger than MaxBytes).
	Text    string
	HasText bool
}

// RenderReleaseText is RenderRelease, with the release's text.
func RenderReleaseText(mediaType string, body []byte, h Letterhead, f Footer, s *Signer) (*Release, error) {
	return renderRelease(mediaType, body, h, f, s, nil)
}

// renderRelease is RenderReleaseText, with the file att (when not nil) attached to the
// document.
func renderRelease(mediaType string, body []byte, h Letterhead, f Footer, s *Signer, att *attachment) (*Release, error) {
	out, text, err := renderReleaseDoc(mediaType, body, h, f, s, att)
	if err != nil {
		return nil, err
	}
	rel := &Release{Doc: out}
	if len(out) <= MaxBytes {
		rel.Text, rel.HasText = text, true
	}
	return rel, nil
}

// renderReleaseDoc lays out, stamps and signs a release, and returns it with its text.
func renderReleaseDoc(mediaType string, body []byte, h Letterhead, f Footer, s *Signer, att *attachment) (out []byte, text string, err error) {
	defer recoverAs(&out, &err, "render release")
	if f.VerifyURL == "" {
		return nil, "", fmt.Errorf("render release: empty verify URL")
	}
	r, err := layOut(mediaType, body, h, true)
	if err != nil {
		return nil, "", fmt.Errorf("render release: %w", err)
	}
	r.d.attached = att
	lay, err := layFooter(r.sh, f)
	if err != nil {
		putShaper(r.sh)
		return nil, "", fmt.Errorf("render release: %w", err)
	}
	// The footer is drawn in page coordinates, where Stamp centres it at the foot.
	fr := &renderer{d: r.d, sh: r.sh, page: &bytes.Buffer{}, bottom: r.d.h}
	if err := lay.draw(fr, (pageW-footerW)/2, pageH-footerRise/ptPerMM-lay.h); err != nil {
		putShaper(r.sh)
		return nil, "", fmt.Errorf("render release: %w", err)
	}
	r.d.footer = fr.page.Bytes()
	r.d.modified = f.Released.UTC()
	if out, err = r.output(); err != nil {
		return nil, "", fmt.Errorf("render release: %w", err)
	}
	// The signature, an appended update, adds no text to the pages.
	text = r.d.text()
	if s == nil {
		return out, text, nil
	}
	if out, err = signChecked(out, s, f.Released, f.Office); err != nil {
		return nil, "", fmt.Errorf("render release: %w", err)
	}
	return out, text, nil
}

// layOut lays a letter out; the renderer returned holds a shaper until its output. With
// keepText, its document gathers its pages' text (doc.text).
func layOut(mediaType string, body []byte, h Letterhead, keepText bool) (*renderer, error) {
	markdown := false
	switch strings.TrimSpace(strings.SplitN(mediaType, ";", 2)[0]) {
	case "text/markdown", "text/x-markdown":
		markdown = true
	case "text/plain", "":
	default:
		return nil, fmt.Errorf("unsupported media type %q", mediaType)
	}

	var doc ast.Node
	if markdown {
		var err error
		if doc, err = parseMarkdown(body); err != nil {
			return nil, err
		}
	}
	if err := h.check(); err != nil {
		return nil, err
	}
	if err := CheckText("body", string(body)); err != nil {
		return nil, err
	}
	r, err := newRenderer(h, keepText)
	if err != nil {
		return nil, err
	}
	r.letterhead()
	if markdown {
		r.markdown(doc, body)
	} else {
		r.plain(string(body))
	}
	r.signatures()
	if r.over {
		putShaper(r.sh)
		return nil, fmt.Errorf("%w: the letter takes more than %d pages", ErrTooLarge, MaxPages)
	}
	r.headers()
	return r, nil
}

// check refuses a letterhead with a character the fonts cannot draw.
func (h Letterhead) check() error {
	fields := append([]string{h.Office, h.Reference, h.Subject}, h.Addressees...)
	for _, s := range append(fields, h.Signatories...) {
		if err := CheckText("letterhead", s); err != nil {
			return err
		}
	}
	return nil
}

// renderer lays a letter out on A4 pages. Positions are in points; y grows down the page
// from its top edge, and is turned into PDF coordinates when drawn.
type renderer struct {
	d    *doc
	sh   *shaper
	h    Letterhead
	page *bytes.Buffer
	y    float64
	// left, right and bottom bound the text, in points from the page's left and top edges.
	left, right, bottom float64
	indent              float64 // from the start side of the text, in points
	color               [3]float64
	// over is set when the letter needs more than MaxPages pages: layout stops there.
	over bool
}

const (
	pageW, pageH = 210.0, 297.0 // A4, in millimetres
	// headerSpace is where the running header sits on pages after the first.
	headerSpace = 10.0
)

var (
	black = [3]float64{0, 0, 0}
	gray  = [3]float64{0.35, 0.35, 0.35}
)

func newRenderer(h Letterhead, keepText bool) (*renderer, error) {
	sh, err := getShaper()
	if err != nil {
		return nil, err
	}
	d := newDoc(pageW, pageH)
	if keepText {
		d.keepText()
	}
	d.date = h.Date.UTC()
	if h.Date.IsZero() {
		d.date = undatedEpoch
	}
	d.title, d.author = h.Subject, h.Office
	r := &renderer{d: d, sh: sh, h: h, left: marginLeft * ptPerMM, right: (pageW - marginRight) * ptPerMM, bottom: (pageH - marginBottom) * ptPerMM}
	r.newPage()
	return r, nil
}

// newCanvas returns a renderer for a one-page drawing of w×h millimetres with no margins: a
// footer or a draft band.
func newCanvas(w, h float64) (*renderer, error) {
	sh, err := getShaper()
	if err != nil {
		return nil, err
	}
	d := newDoc(w, h)
	r := &renderer{d: d, sh: sh, right: d.w, bottom: d.h}
	r.page = d.addPage()
	return r, nil
}

// output returns the document; the renderer is done. It fails when a font a character was
// looked up in could not be loaded.
func (r *renderer) output() ([]byte, error) {
	defer putShaper(r.sh)
	if err := r.sh.err; err != nil {
		return nil, err
	}
	return r.d.output(func(ff *fontFile) *font.Face { return r.sh.faces[ff] }), nil
}

// rect fills (and, with a border colour, strokes) a rectangle given in millimetres from the
// top left corner.
//
// A release's QR code is a few hundred of them: the numbers are appended to the page's free
// space, not formatted apart.
func (r *renderer) rect(x, y, w, h float64, fill [3]float64, border *[3]float64, lineMM float64) {
	b := r.page.AvailableBuffer()
	nums := func(sep string, vs ...float64) {
		for _, v := range vs {
			b = append(appendNum(b, v), sep...)
		}
	}
	op := "f\n"
	if border != nil {
		nums(" ", lineMM*ptPerMM)
		b = append(b, "w "...)
		nums(" ", border[:]...)
		b = append(b, "RG "...)
		op = "B\n"
	}
	nums(" ", fill[:]...)
	b = append(b, "rg "...)
	nums(" ", x*ptPerMM, r.d.h-(y+h)*ptPerMM, w*ptPerMM, h*ptPerMM)
	b = append(b, "re "...)
	r.page.Write(append(b, op...))
}

// headers draws the running headers, now that the page count is known.
func (r *renderer) headers() {
	for i, p := range r.d.pages {
		if i == 0 {
			continue
		}
		r.page = p
		r.y = marginTop * ptPerMM
		r.indent = 0
		r.text([]span{{fmt.Sprintf("%s · %s · page %d of %d", r.h.Office, r.h.Reference, i+1, len(r.d.pages)), regular}}, 8, 4, gray, alignRight)
	}
}

// newPage starts a page or, when the letter has MaxPages already, sets over instead: a longer
// letter is refused (layOut), as Check refuses a PDF of more pages, and its draft copies and
// previews would be.
func (r *renderer) newPage() {
	if len(r.d.pages) >= MaxPages {
		r.over = true
		return
	}
	r.page = r.d.addPage()
	r.y = marginTop * ptPerMM
	if len(r.d.pages) > 1 {
		r.y += headerSpace * ptPerMM
	}
}

// space moves down by mm millimetres.
func (r *renderer) space(mm float64) { r.y += mm * ptPerMM }

type align uint8

const (
	alignStart align = iota // left, or right in a right-to-left paragraph
	alignLeft
	alignRight
	alignCenter
)

// text lays out spans as a paragraph of size points with lines lineMM millimetres apart,
// breaking pages as needed. Line breaks in the text start new lines; each line has its own
// base direction, and starts on the right when it is right to left.
func (r *renderer) text(spans []span, size, lineMM float64, color [3]float64, a align) {
	r.textMarked(spans, size, lineMM, color, a, "", false)
}

// textKept is text for a line in one style that letter after letter repeats (an office's
// name, a release date, a footer's explanation): its shaping is kept (shaper.shapeKept).
func (r *renderer) textKept(s string, st style, size, lineMM float64, color [3]float64, a align) {
	r.textMarked([]span{{s, st}}, size, lineMM, color, a, "", true)
}

// textMarked is text with a list marker (a bullet, a number) before its first line, on the
// side the line starts; with keep, as textKept.
func (r *renderer) textMarked(spans []span, size, lineMM float64, color [3]float64, a align, marker string, keep bool) {
	t := &paragraph{size: size, lineH: lineMM * ptPerMM, color: color, a: a, marker: marker, keep: keep}
	for line := range eachLine(spans) {
		if r.over {
			return
		}
		if runes(line) <= maxShaped {
			for _, piece := range r.sh.unbroken(line) {
				r.layPiece(t, piece, 0)
			}
			continue
		}
		// A part at a time, in the line's direction, each part starting with the last
		// line of the one before.
		dir := directionOf(line)
		t.dir = &dir
		for rest := slices.Clone(line); len(rest) > 0 && !r.over; {
			part, n, whole := headSpans(rest, maxShaped)
			pieces := r.sh.unbroken(part)
			next, at := n, 0
			for i, piece := range pieces {
				hold := 0
				if i == len(pieces)-1 && !whole {
					// A piece after others may be held whole: what came before moved on.
					hold = 1
					if i == 0 {
						hold = 2
					}
				}
				if held := r.layPiece(t, piece, hold); held >= 0 {
					next = at + held
				}
				at += runes(piece)
			}
			rest = skipRunes(rest, next)
		}
		t.dir = nil
	}
}

// maxShaped is the most characters of a line (the text between two line breaks) shaped
// and wrapped at once. A longer line, a paragraph of many pages, is laid out a part at a
// time, each part starting with the last line of the part before, laid out again with what
// follows it: a letter too long for MaxPages is refused when its pages are full, not after
// all its text was shaped (a paragraph of 4 MB cost 2.9 s and 1.9 GB before), and no part is
// so wide that its advance, in go-text's 26.6 fixed point, overflows (a Markdown paragraph
// of 8 MB was taken for one line that fits, and drawn off the page). The line wrapper is
// greedy, so the lines are those of the line laid out whole, but where shaping joins
// characters on either side of a part's start, or a word longer than maxUnbroken crosses
// it. A variable for tests.
var maxShaped = 1 << 16

// paragraph is what textMarked lays out with, across the pieces of its lines.
type paragraph struct {
	size, lineH float64
	color       [3]float64
	a           align
	marker      string        // drawn before the next line drawn, then cleared
	keep        bool          // shapeKept for a line of one span
	dir         *di.Direction // nil: each piece's own
}

// layPiece lays out a piece of a line (one that holds no line break) as t says, breaking
// pages as needed, and returns -1; but when hold > 0 and the piece wraps into hold lines or
// more, its last line is not laid out, and the index of the character it starts at is
// returned.
func (r *renderer) layPiece(t *paragraph, piece []span, hold int) int {
	if r.over {
		return -1
	}
	var p shaped
	if t.keep && len(piece) == 1 {
		p = r.sh.shapeKept(piece[0], t.size)
	} else {
		p = r.sh.shapeIn(piece, t.size, t.dir)
	}
	rtl := p.dir.Progression() == di.TowardTopLeft
	l, rr := r.left+r.indent, r.right
	if rtl {
		l, rr = r.left, r.right-r.indent
	}
	lines := r.sh.lines(p, rr-l)
	if len(lines) == 0 {
		lines = []shaping.Line{nil}
	}
	held := -1
	if hold > 0 && len(lines) >= hold && lines[len(lines)-1] != nil {
		last := lines[len(lines)-1]
		held = last[0].Runes.Offset
		for _, run := range last {
			held = min(held, run.Runes.Offset)
		}
		lines = lines[:len(lines)-1]
	}
	for _, ln := range lines {
		if r.y+t.lineH > r.bottom {
			if r.newPage(); r.over {
				return -1
			}
		}
		base := r.d.h - (r.y + (t.lineH-t.size)/2 + t.size*0.8)
		w := lineWidth(ln)
		x := l
		switch {
		case t.a == alignRight || t.a == alignStart && rtl:
			x = rr - w
		case t.a == alignLeft:
		case t.a == alignCenter:
			x = l + (rr-l-w)/2
		}
		if t.marker != "" {
			m := r.sh.shape([]span{{t.marker, regular}}, t.size)
			mx := l - 7*ptPerMM
			if rtl {
				mx = rr + 7*ptPerMM - lineWidth(shaping.Line(m.runs))
			}
			r.sh.drawLine(r.d, r.page, m.text, shaping.Line(m.runs), mx, base, t.color)
			t.marker = ""
		}
		if len(ln) > 0 {
			r.sh.drawLine(r.d, r.page, p.text, ln, x, base, t.color)
		}
		r.y += t.lineH
	}
	return held
}

// lineBreaks turns every mandatory line break of Unicode (UAX #14: BK, CR, LF, NL) into a line
// feed: the line wrapper must never meet one inside a line.
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\v", "\n", "\f", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")

// eachLine yields spans cut at line breaks, a line at a time: a letter refused at its page
// limit is not cut whole first. A line yielded is the caller's until it asks for the next.
func eachLine(spans []span) iter.Seq[[]span] {
	return func(yield func([]span) bool) {
		var cur []span
		for _, sp := range spans {
			text := lineBreaks.Replace(sp.text)
			for {
				part, rest, found := strings.Cut(text, "\n")
				if part != "" {
					cur = append(cur, span{part, sp.st})
				}
				if !found {
					break
				}
				if !yield(cur) {
					return
				}
				cur, text = cur[:0], rest
			}
		}
		yield(cur)
	}
}

// runes is the number of characters of spans.
func runes(spans []span) int {
	n := 0
	for _, sp := range spans {
		n += utf8.RuneCountInString(sp.text)
	}
	return n
}

// headSpans returns the first n characters of spans (all if fewer) in a new slice, how
// many they are, and whether they are all of spans.
func headSpans(spans []span, n int) (head []span, got int, whole bool) {
	for i, sp := range spans {
		k := 0
		for ; got < n && k < len(sp.text); got++ {
			_, size := utf8.DecodeRuneInString(sp.text[k:])
			k += size
		}
		if k > 0 {
			head = append(head, span{sp.text[:k], sp.st})
		}
		if got == n {
			return head, got, k == len(sp.text) && i == len(spans)-1
		}
	}
	return head, got, true
}

// skipRunes drops the first n characters of spans, which it may change, and returns the
// rest.
func skipRunes(spans []span, n int) []span {
	for n > 0 && len(spans) > 0 {
		text, k := spans[0].text, 0
		for ; n > 0 && k < len(text); n-- {
			_, size := utf8.DecodeRuneInString(text[k:])
			k += size
		}
		if k == len(text) {
			spans = spans[1:]
			continue
		}
		spans[0].text = text[k:]
	}
	return spans
}

// rule draws a horizontal line across the text width at the current position.
func (r *renderer) rule(widthMM float64) {
	y := r.d.h - r.y
	fmt.Fprintf(r.page, "%s w 0.16 0.16 0.16 RG %s %s m %s %s l S\n", num(widthMM*ptPerMM),
		num(r.left+r.indent), num(y), num(r.right), num(y))
}

func (r *renderer) letterhead() {
	h := r.h
	r.textKept(h.Office, bold, 16, 8, black, alignStart)
	r.space(1)
	r.rule(0.4)
	r.space(3)
	r.text([]span{{"Reference: " + h.Reference, regular}}, 10, 5, black, alignRight)
	date := "Undated draft"
	if !h.Date.IsZero() {
		date = inZone(h.Date, h.Zone).Format("2 January 2006")
	}
	r.textKept(date, regular, 10, 5, black, alignRight)
	r.space(4)
	if len(h.Addressees) > 0 {
		for i, a := range h.Addressees {
			label := "To: "
			if i > 0 {
				label = "      "
			}
			r.text([]span{{label + a, regular}}, bodyFontSize, lineHeight, black, alignStart)
		}
		r.space(4)
	}
	if h.Subject != "" {
		r.text([]span{{"Subject: " + h.Subject, bold}}, bodyFontSize, lineHeight, black, alignStart)
		r.space(3)
	}
}

func (r *renderer) plain(body string) {
	body = lineBreaks.Replace(body)
	for _, para := range strings.Split(body, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		r.text([]span{{expandTabs(para), regular}}, bodyFontSize, lineHeight, black, alignStart)
		r.space(2)
	}
}

func (r *renderer) signatures() {
	if len(r.h.Signatories) == 0 {
		return
	}
	r.space(8)
	for _, s := range r.h.Signatories {
		// Keep the signature space and the name on one page.
		if r.y+18*ptPerMM > r.bottom {
			r.newPage()
		}
		r.space(10)
		r.text([]span{{s, regular}}, bodyFontSize, lineHeight, black, alignStart)
	}
}

// parseMarkdown parses body after checking, line by line, that it is not nested so deep that
// parsing would take long, and checks the tree before the recursive layout walks it.
//
// Link reference definitions are not taken out of their paragraphs (CommonMark's parser
// drops them from the tree, and with them their titles): reviewers read a letter's source,
// so a definition is drawn as the text it is, and a link that names it as written.
func parseMarkdown(body []byte) (ast.Node, error) {
	if err := CheckMarkdown(body); err != nil {
		return nil, err
	}
	p := parser.NewParser(parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...))
	doc := p.Parse(text.NewReader(body))
	if err := checkTree(doc); err != nil {
		return nil, err
	}
	return doc, nil
}

func (r *renderer) markdown(doc ast.Node, body []byte) {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		r.block(n, body, 0)
	}
}

// block lays out one block node; depth is the list nesting.
func (r *renderer) block(n ast.Node, src []byte, depth int) {
	switch n := n.(type) {
	case *ast.Heading:
		size := map[int]float64{1: 15, 2: 13, 3: 12}[n.Level]
		if size == 0 {
			size = bodyFontSize
		}
		r.space(2)
		r.text(r.inlines(n, src, bold, nil), size, size*0.5, r.color, alignStart)
		r.space(2)
	case *ast.Paragraph, *ast.TextBlock:
		r.text(r.inlines(n, src, regular, nil), bodyFontSize, lineHeight, r.color, alignStart)
		if n.Kind() == ast.KindParagraph {
			r.space(2)
		}
	case *ast.List:
		number := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			bullet := "•"
			if n.IsOrdered() {
				bullet = fmt.Sprintf("%d%c", number, n.Marker)
				if m, ok := itemNumber(item, src); ok {
					bullet = m
				}
				number++
			}
			r.listItem(item, src, depth, bullet)
		}
		if depth == 0 {
			r.space(2)
		}
	case *ast.Blockquote:
		r.withIndent(8, func() {
			saved := r.color
			r.color = [3]float64{0.27, 0.27, 0.27}
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				r.block(c, src, depth)
			}
			r.color = saved
		})
	case *ast.FencedCodeBlock:
		// The fence's info string is drawn as the code's first line: HTML would hide it.
		code := linesOf(n, src)
		if n.Info != nil {
			code = string(n.Info.Segment.Value(src)) + "\n" + code
		}
		r.text([]span{{expandTabs(strings.TrimRight(code, "\n")), mono}}, 9.5, 4.6, r.color, alignStart)
		r.space(2)
	case *ast.CodeBlock:
		r.text([]span{{expandTabs(strings.TrimRight(linesOf(n, src), "\n")), mono}}, 9.5, 4.6, r.color, alignStart)
		r.space(2)
	case *ast.ThematicBreak:
		r.space(2)
		r.rule(0.2)
		r.space(3)
	case *ast.HTMLBlock:
		// Raw HTML is shown as text: a letter must show what its author wrote, the line that
		// closes the block (kept apart from its lines) included.
		html := linesOf(n, src)
		if n.HasClosure() {
			html += string(n.ClosureLine.Value(src))
		}
		r.text([]span{{strings.TrimRight(html, "\n"), regular}}, bodyFontSize, lineHeight, r.color, alignStart)
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.block(c, src, depth)
		}
	}
}

// itemNumber is the number and delimiter ("3.", "2)") that begin an ordered list's item in
// src, as written: reviewers read a letter's source, where items may skip or repeat numbers
// that CommonMark's renderers count on from the first. ok is false when the item's start is
// not known.
func itemNumber(item ast.Node, src []byte) (marker string, ok bool) {
	i := item.Pos()
	if i < 0 || i > len(src) {
		return "", false
	}
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	start := i
	for i < len(src) && i-start < 9 && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	if i == start || i == len(src) || src[i] != '.' && src[i] != ')' {
		return "", false
	}
	return string(src[start : i+1]), true
}

func linesOf(n ast.Node, src []byte) string {
	var b strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return b.String()
}

func (r *renderer) listItem(item ast.Node, src []byte, depth int, bullet string) {
	r.withIndent(7, func() {
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			if c.Kind() == ast.KindParagraph || c.Kind() == ast.KindTextBlock {
				r.textMarked(r.inlines(c, src, regular, nil), bodyFontSize, lineHeight, r.color, alignStart, bullet, false)
				bullet = ""
				r.space(1)
				continue
			}
			r.block(c, src, depth+1)
		}
	})
}

// withIndent runs fn with the text's start side moved in by d millimetres.
func (r *renderer) withIndent(d float64, fn func()) {
	r.indent += d * ptPerMM
	fn()
	r.indent -= d * ptPerMM
}

// inlines returns the inline children of n as spans, the plain ones in style st.
func (r *renderer) inlines(n ast.Node, src []byte, st style, out []span) []span {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			out = append(out, span{string(c.Segment.Value(src)), st})
			switch {
			case c.HardLineBreak():
				out = append(out, span{"\n", st})
			case c.SoftLineBreak():
				out = append(out, span{" ", st})
			}
		case *ast.String:
			out = append(out, span{string(c.Value), st})
		case *ast.Emphasis:
			s := st
			switch {
			case c.Level >= 2 && (st == italic || st == boldItalic), c.Level < 2 && (st == bold || st == boldItalic):
				s = boldItalic
			case c.Level >= 2 && st != mono:
				s = bold
			case st != mono:
				s = italic
			}
			out = r.inlines(c, src, s, out)
		case *ast.CodeSpan:
			var b strings.Builder
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			out = append(out, span{b.String(), mono})
		case *ast.Link:
			out = r.inlines(c, src, st, out)
			out = append(out, span{" <" + string(c.Destination) + titled(c.Title) + ">", st})
		case *ast.AutoLink:
			out = append(out, span{string(c.URL(src)), st})
		case *ast.Image:
			// Its description and title are drawn with its address: the letter shows no picture.
			out = append(out, span{"[image: ", italic})
			if alt := r.inlines(c, src, italic, nil); len(alt) > 0 {
				out = append(append(out, alt...), span{" ", italic})
			}
			out = append(out, span{"<" + string(c.Destination) + titled(c.Title) + ">]", italic})
		case *ast.RawHTML:
			segs := c.Segments
			for i := 0; i < segs.Len(); i++ {
				seg := segs.At(i)
				out = append(out, span{string(seg.Value(src)), st})
			}
		default:
			out = r.inlines(c, src, st, out)
		}
	}
	return out
}

// titled is a link's or an image's title as drawn after its address: a space and the title
// in quotation marks, or nothing for no title.
func titled(title []byte) string {
	if len(title) == 0 {
		return ""
	}
	return ` "` + string(title) + `"`
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }
