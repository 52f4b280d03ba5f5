package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/budget"
	lpdf "github.com/ledongthuc/pdf"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// maxText bounds the text Text returns; decodebudget.go bounds what it decodes.
const maxText = 4 << 20

// Text extracts the readable text of a PDF: the text each page's content stream shows, in the
// order it shows it, a line per text object, a gap of a word's width in a TJ array read as a
// space (wordGap), pages separated by a form feed. Text drawn inside
// form XObjects is not read, so the marks that Watermark and Stamp add are not part of it: the
// text of a stamped letter or of a draft copy is the text of the document they were made
// from. Text first applies the limits of Check, and refuses (ErrTooLarge) documents whose
// page contents decode to more than 32 MiB or hold a string of more than 64 KiB, or whose
// fonts' /ToUnicode CMaps decode to more than 2 MiB or hold more than 20,000 entries each
// (200,000 for a page), so its work is bounded; it returns at most 4 MiB, and decodes no
// more of the pages' text than that.
func Text(data []byte) (string, error) { return TextContext(context.Background(), data) }

// TextContext is Text within the time budget of rctx: the decoding of streams, the walk of
// the page tree and the pages' extraction stop, with an error wrapping budget.ErrExceeded,
// once its deadline has passed.
func TextContext(rctx context.Context, data []byte) (string, error) {
	l, err := ReadTextLayer(rctx, data)
	if err != nil {
		return "", err
	}
	return l.Text()
}

// TextLayer is a PDF read once for its text layer: its Text and Invisible answer what
// TextContext and InvisibleText answer of the same data, without reading and parsing the
// document again (each read costs as much as the document's bounds allow), within the time
// budget it was read with.
type TextLayer struct {
	pages []lpdf.Page
	// visible are the pages' visible areas (visibleArea), read as the page tree was walked.
	visible []box
	bud     *budget.Budget
	// shows are the text-showing operators Text counted on the first len(shows) pages,
	// read with their text, so that Invisible and Concealed need not interpret their
	// content again.
	shows []pageShows
}

// pageShows counts the text-showing operators of a page: those drawn visibly (shown), of
// which those drawn where the page does not show them (concealed: sight), and those drawn
// invisibly (hidden: renderMode.unseen).
type pageShows struct{ shown, hidden, concealed int }

// ReadTextLayer reads data for its text layer, with TextContext's limits and errors, within
// the time budget of rctx, which its methods keep.
func ReadTextLayer(rctx context.Context, data []byte) (*TextLayer, error) {
	l, err := extractorPages(rctx, data)
	if err != nil {
		return nil, fmt.Errorf("extract text: %w", err)
	}
	return l, nil
}

// Text is the text of the layer (TextContext).
func (l *TextLayer) Text() (string, error) {
	l.shows = l.shows[:0]
	return joinLimited(len(l.pages), func(i, limit int) (string, error) {
		s, shows, err := pageLayer(l.pages[i], l.visible[i], limit, l.bud)
		if err == nil {
			l.shows = append(l.shows, shows)
		}
		return s, err
	}, l.bud)
}

// extractorPages returns the pages of data as the text extractor reads them, with Check's
// limits and Text's stream budgets applied, and the time budget of rctx.
func extractorPages(rctx context.Context, data []byte) (*TextLayer, error) {
	bud := budget.New(rctx)
	ctx, err := read(data)
	if err != nil {
		return nil, err
	}
	if err := checkTextStreams(ctx, bud); err != nil {
		return nil, err
	}
	// The extractor caches nothing: it parses an object again at each reference, decoding
	// again the whole object stream that holds it, and finds page i by walking the page tree
	// from its root. It reads a plain rewrite of the document (no object streams), and its
	// pages are found in one walk, so its work grows with the document, not its square.
	type3ByToUnicode(ctx)
	flat, err := write(ctx, undatedEpoch, make([]byte, 16))
	if err != nil {
		return nil, err
	}
	r, err := newTextReader(flat)
	if err != nil {
		return nil, err
	}
	pages, visible, err := textPages(r, ctx.PageCount, bud)
	if err != nil {
		return nil, err
	}
	return &TextLayer{pages: pages, visible: visible, bud: bud}, nil
}

// InvisibleText reports whether the text that Text reads from data is all drawn invisibly:
// the pages' content streams show text, and only in rendering mode 3 (neither filled nor
// stroked) or 7 (a clipping path). That is the text layer a scanner's OCR lays over the
// pictures of the pages: it is not what the pages show, and a forger may write any text
// there. Its limits and errors are TextContext's.
func InvisibleText(rctx context.Context, data []byte) (bool, error) {
	l, err := extractorPages(rctx, data)
	if err != nil {
		return false, fmt.Errorf("text rendering modes: %w", err)
	}
	return l.Invisible()
}

// Invisible reports whether the text of the layer is all drawn invisibly (InvisibleText).
func (l *TextLayer) Invisible() (bool, error) {
	shown, hidden, err := l.Shows()
	return shown == 0 && hidden > 0, err
}

// Shows counts the text-showing operators of the layer's pages that draw visibly (shown)
// and invisibly (hidden: rendering mode 3 or 7). Text read from a page whose operators are
// all visible is what the page draws; a hidden one is in the text but not on the page.
func (l *TextLayer) Shows() (shown, hidden int, err error) {
	all, err := l.count()
	return all.shown, all.hidden, err
}

// Concealed counts the text-showing operators of the layer's pages that draw visibly by
// their rendering mode, and that the pages still do not show a reader (sight): glyphs
// less than a point high or wide, in the colour of what lies under them (white on the
// paper), or outside the page's visible area (off its crop box, or clipped away). Their
// text is in the layer, not on the page; Shows counts them as shown.
func (l *TextLayer) Concealed() (int, error) {
	all, err := l.count()
	return all.concealed, err
}

// count is the sum of the pages' counts, those Text did not read counted from their content.
func (l *TextLayer) count() (all pageShows, err error) {
	for i, p := range l.pages {
		if err := l.bud.Tick(); err != nil {
			return pageShows{}, fmt.Errorf("text rendering modes: page %d: %w", i+1, err)
		}
		c := pageShows{}
		if i < len(l.shows) {
			c = l.shows[i]
		} else if c, err = textShows(p, l.visible[i]); err != nil {
			return pageShows{}, fmt.Errorf("text rendering modes: page %d: %w", i+1, err)
		}
		all.shown, all.hidden, all.concealed = all.shown+c.shown, all.hidden+c.hidden, all.concealed+c.concealed
	}
	return all, nil
}

// Elsewhere reports whether the layer's pages draw, outside their own content streams,
// something that may show text, which Text does not read: a form XObject their content
// paints, the cell of a tiling pattern it fills or strokes with, or an appearance of one of
// their annotations (/AP), that shows text or paints a form or pattern that does, or that
// cannot be read within the bounds (drawsText).
func (l *TextLayer) Elsewhere() (bool, error) {
	left := maxForms
	for i, p := range l.pages {
		if err := l.bud.Tick(); err != nil {
			return false, fmt.Errorf("forms and annotations: page %d: %w", i+1, err)
		}
		found, err := drawnElsewhere(p, &left)
		if err != nil {
			return false, fmt.Errorf("forms and annotations: page %d: %w", i+1, err)
		}
		if found {
			return true, nil
		}
	}
	return false, nil
}

// Bounds of drawsText: the forms painted inside forms it follows (maxFormDepth), the forms it
// reads for one document (maxForms), and the decoded content of each (maxFormBytes), which it
// reads before interpreting it; past any, a form is taken to show text. Forms are not
// measured by checkTextStreams, so these bound what a hostile one costs.
const (
	maxFormDepth = 8
	maxForms     = 32
	maxFormBytes = 1 << 20
)

// drawnElsewhere reports whether page p's content paints a form or a tiling pattern's cells,
// or one of its annotations has an appearance, that shows text (drawsText), or has none and
// is one whose text viewers draw themselves (viewerDrawsText); each form or pattern read
// takes one of left.
func drawnElsewhere(p lpdf.Page, left *int) (found bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			found, err = false, fmt.Errorf("%w: %v", ErrInvalid, r)
		}
	}()
	if p.V.IsNull() {
		return false, nil
	}
	annots := p.V.Key("Annots")
	for i := range annots.Len() {
		a := annots.Index(i)
		ap := a.Key("AP").Key("N")
		if ap.Kind() == lpdf.Null && viewerDrawsText(a) {
			return true, nil
		}
		if ap.Kind() == lpdf.Dict && ap.Key("Subtype").Kind() == lpdf.Null {
			// Appearances by state (a check box's /On and /Off): each may be shown.
			for _, state := range ap.Keys() {
				if drawsText(ap.Key(state), 0, left) {
					return true, nil
				}
			}
		} else if ap.Kind() != lpdf.Null && drawsText(ap, 0, left) {
			return true, nil
		}
	}
	if p.V.Key("Contents").Kind() == lpdf.Null {
		return false, nil
	}
	res := p.Resources()
	xobjects, patterns := res.Key("XObject"), res.Key("Pattern")
	eachOp(p.V.Key("Contents"), func(op string, top lpdf.Value, _ *renderMode) {
		switch {
		case found:
		case op == "Do" && isForm(xobjects.Key(top.Name())):
			found = drawsText(xobjects.Key(top.Name()), 0, left)
		case isPatternColour(op, top) && isTiling(patterns.Key(top.Name())):
			found = drawsText(patterns.Key(top.Name()), 0, left)
		}
	})
	return found, nil
}

// maxFieldDepth bounds the parents viewerDrawsText follows for a field's type.
const maxFieldDepth = 8

// viewerDrawsText reports whether annotation a, which has no appearance of its own, is one
// whose text viewers draw from its dictionary (a form's NeedAppearances, or a viewer that
// makes the appearances it lacks, as poppler does): a free text annotation's contents, or the
// value of a text or choice field (its type /FT, on the widget or inherited from a parent
// field).
func viewerDrawsText(a lpdf.Value) bool {
	if a.Key("Subtype").Name() == "FreeText" {
		return true
	}
	if a.Key("Subtype").Name() != "Widget" {
		return false
	}
	for f, depth := a, 0; f.Kind() == lpdf.Dict && depth < maxFieldDepth; f, depth = f.Key("Parent"), depth+1 {
		if ft := f.Key("FT"); ft.Kind() != lpdf.Null {
			return ft.Name() == "Tx" || ft.Name() == "Ch"
		}
	}
	return false
}

// isForm reports whether v is a form XObject.
func isForm(v lpdf.Value) bool { return v.Key("Subtype").Name() == "Form" }

// isPatternColour reports whether op, with top its last operand, sets a pattern as the
// colour (scn or SCN with a pattern's name): what is filled or stroked next paints its cells.
func isPatternColour(op string, top lpdf.Value) bool {
	return (op == "scn" || op == "SCN") && top.Kind() == lpdf.Name
}

// isTiling reports whether v is a tiling pattern, whose cell is content of its own (a
// shading pattern draws no text).
func isTiling(v lpdf.Value) bool { return v.Key("PatternType").Int64() == 1 }

// drawsText reports whether the content stream of form v (or of a tiling pattern's cell),
// depth forms deep, shows text or paints a form or pattern that does, or one whose name its
// own resources do not give (it may be the page's). A form past the bounds, with decoding parameters (whose predictor's columns the
// reader would allocate as given) or that cannot be read is taken to show text. Each form
// read takes one of left.
func drawsText(v lpdf.Value, depth int, left *int) (found bool) {
	if depth >= maxFormDepth || *left <= 0 || v.Key("DecodeParms").Kind() != lpdf.Null {
		return true
	}
	*left--
	defer func() {
		if recover() != nil {
			found = true
		}
	}()
	r := v.Reader()
	n, err := io.Copy(io.Discard, io.LimitReader(r, maxFormBytes+1))
	r.Close()
	if err != nil || n > maxFormBytes {
		return true
	}
	xobjects, patterns := v.Key("Resources").Key("XObject"), v.Key("Resources").Key("Pattern")
	eachOp(v, func(op string, top lpdf.Value, _ *renderMode) {
		switch {
		case found:
		case op == "Tj", op == "TJ", op == "'", op == "\"":
			found = true
		case op == "Do":
			x := xobjects.Key(top.Name())
			found = x.Kind() == lpdf.Null || isForm(x) && drawsText(x, depth+1, left)
		case isPatternColour(op, top):
			x := patterns.Key(top.Name())
			found = x.Kind() == lpdf.Null || isTiling(x) && drawsText(x, depth+1, left)
		}
	})
	return found
}

// textShows counts the text-showing operators of page p's content stream (Tj, TJ, ' and ")
// that draw visibly, invisibly (rendering mode 3 or 7) and visibly where the page does not
// show them (sight). The rendering mode is part of the graphics state, saved by q and
// restored by Q.
func textShows(p lpdf.Page, visible box) (c pageShows, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = pageShows{}, fmt.Errorf("%w: %v", ErrInvalid, r)
		}
	}()
	if p.V.IsNull() || p.V.Key("Contents").Kind() == lpdf.Null {
		return pageShows{}, nil
	}
	var rm renderMode
	s := newSight(p, visible)
	var args []lpdf.Value
	lpdf.Interpret(p.V.Key("Contents"), func(stk *lpdf.Stack, op string) {
		args = popArgs(stk, args)
		c.add(op, &rm, s, args)
	})
	return c, nil
}

// popArgs is the operands on stk, first to last, in the space of args, and empties stk.
func popArgs(stk *lpdf.Stack, args []lpdf.Value) []lpdf.Value {
	args = args[:0]
	for range stk.Len() {
		args = append(args, lpdf.Value{})
	}
	for i := len(args) - 1; i >= 0; i-- {
		args[i] = stk.Pop()
	}
	return args
}

// add counts op, with its operands args, if it shows text, and applies it to the rendering
// mode rm and the sight s of the page.
func (c *pageShows) add(op string, rm *renderMode, s *sight, args []lpdf.Value) {
	concealed := s.op(op, args, rm.mode)
	if showsText(op) {
		switch {
		case rm.unseen():
			c.hidden++
		case concealed:
			c.shown++
			c.concealed++
		default:
			c.shown++
		}
	}
	var top, below lpdf.Value
	if len(args) > 0 {
		top = args[len(args)-1]
	}
	if len(args) > 1 {
		below = args[len(args)-2]
	}
	rm.apply(op, top, below)
}

// renderMode is the text rendering mode in force, part of the graphics state: saved by q,
// restored by Q, set by Tr; and the marked-content sequences open (BMC or BDC … EMC), of
// which marks tells, innermost last, those of optional content (tag /OC), which viewers
// show or hide as the document's layers say, and printers as their print settings say.
type renderMode struct {
	mode     int64
	saved    []int64
	marks    []bool
	optional int // the sequences of optional content open
}

// unseen reports whether text drawn now may not show: its rendering mode draws nothing (3,
// and 7, which only clips), or it is optional content.
func (r *renderMode) unseen() bool {
	return r.mode == 3 || r.mode == 7 || r.optional > 0
}

// apply applies op, whose last operand is top and the one before below, and reports whether
// it was one of q, Q, Tr, BMC, BDC, EMC.
func (r *renderMode) apply(op string, top, below lpdf.Value) bool {
	switch op {
	case "BMC", "BDC":
		// As for q, past a bound a stream's unmatched sequences grow nothing; they are then
		// not optional content.
		if len(r.marks) < 256 {
			oc := op == "BDC" && below.Kind() == lpdf.Name && below.Name() == "OC"
			r.marks = append(r.marks, oc)
			if oc {
				r.optional++
			}
		}
	case "EMC":
		if n := len(r.marks); n > 0 {
			if r.marks[n-1] {
				r.optional--
			}
			r.marks = r.marks[:n-1]
		}
	case "q":
		// Readers allow 28 levels; past a bound, a stream's unmatched q grows nothing.
		if len(r.saved) < 256 {
			r.saved = append(r.saved, r.mode)
		}
	case "Q":
		if n := len(r.saved); n > 0 {
			r.mode, r.saved = r.saved[n-1], r.saved[:n-1]
		}
	case "Tr":
		r.mode = top.Int64()
	default:
		return false
	}
	return true
}

// eachOp interprets the content stream contents and calls f with each of its operators but
// those of the graphics state (q, Q), the text rendering mode (Tr) and marked content (BMC,
// BDC, EMC), with the operator's last operand and the state those keep (the rendering mode,
// whether text drawn now may not show: renderMode.unseen).
func eachOp(contents lpdf.Value, f func(op string, top lpdf.Value, rm *renderMode)) {
	var rm renderMode
	lpdf.Interpret(contents, func(stk *lpdf.Stack, op string) {
		var top, below lpdf.Value
		if stk.Len() > 0 {
			top = stk.Pop()
		}
		if stk.Len() > 0 {
			below = stk.Pop()
		}
		for stk.Len() > 0 {
			stk.Pop()
		}
		if !rm.apply(op, top, below) {
			f(op, top, &rm)
		}
	})
}

// joinPageTexts is the text of the pages, a form feed between two, at most maxText bytes.
func joinPageTexts(pages []lpdf.Page, visible []box, bud *budget.Budget) (string, error) {
	return joinLimited(len(pages), func(i, limit int) (string, error) {
		s, _, err := pageLayer(pages[i], visible[i], limit, bud)
		return s, err
	}, bud)
}

// joinTexts is joinPageTexts for n pages whose texts page gives.
func joinTexts(n int, page func(i int) (string, error), bud *budget.Budget) (string, error) {
	return joinLimited(n, func(i, _ int) (string, error) { return page(i) }, bud)
}

// joinLimited is joinTexts for pages whose texts page gives, of which it needs only the
// first limit bytes: the text of page i, or a prefix of it at least limit bytes long, the
// rest being cut anyway. Lines holding right-to-left letters are put back in logical order
// (logicalLines).
func joinLimited(n int, page func(i, limit int) (string, error), bud *budget.Budget) (string, error) {
	var b strings.Builder
	for i := range n {
		if b.Len() >= maxText {
			break
		}
		if i > 0 {
			b.WriteByte('\f')
		}
		// A page's extraction is interrupted only between the strings it decodes (see
		// pageLayer); the rest of it is bounded by the stream budgets.
		if err := bud.Tick(); err != nil {
			return "", fmt.Errorf("extract text: page %d: %w", i+1, err)
		}
		s, err := page(i, maxText-b.Len())
		if err != nil {
			return "", fmt.Errorf("extract text: page %d: %w", i+1, err)
		}
		b.WriteString(s)
	}
	s := logicalLines(b.String())
	if len(s) > maxText {
		s = strings.ToValidUTF8(s[:maxText], "")
	}
	return s, nil
}

func newTextReader(data []byte) (r *lpdf.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("%w: %v", ErrInvalid, p)
		}
	}()
	r, err = lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return r, nil
}

// textPages returns the pages of the document in order, walking its page tree once: at most
// count pages (the number pdfcpu found) and, against cycles, at most 4·count+16 nodes, within
// the time budget bud; and their visible areas (visibleArea), whose boxes a page inherits
// from the nodes above it.
func textPages(r *lpdf.Reader, count int, bud *budget.Budget) (pages []lpdf.Page, visible []box, err error) {
	defer func() {
		if p := recover(); p != nil {
			pages, visible, err = nil, nil, fmt.Errorf("%w: %v", ErrInvalid, p)
		}
	}()
	// A node, and the media and crop boxes it inherits.
	type node struct{ v, media, crop lpdf.Value }
	inherited := func(v lpdf.Value, key string, from lpdf.Value) lpdf.Value {
		if own := v.Key(key); own.Kind() != lpdf.Null {
			return own
		}
		return from
	}
	stack := []node{{v: r.Trailer().Key("Root").Key("Pages")}}
	for nodes := 0; len(stack) > 0; nodes++ {
		if nodes > 4*count+16 || len(pages) > count {
			return nil, nil, fmt.Errorf("%w: the page tree does not match its page count", ErrInvalid)
		}
		if err := bud.Tick(); err != nil {
			return nil, nil, err
		}
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		media, crop := inherited(n.v, "MediaBox", n.media), inherited(n.v, "CropBox", n.crop)
		switch n.v.Key("Type").Name() {
		case "Pages":
			kids := n.v.Key("Kids")
			for i := kids.Len() - 1; i >= 0; i-- {
				stack = append(stack, node{kids.Index(i), media, crop})
			}
		case "Page":
			pages = append(pages, lpdf.Page{V: n.v})
			visible = append(visible, visibleArea(media, crop))
		}
	}
	return pages, visible, nil
}

// pageLayer returns the text of page p, its lines trimmed, empty lines dropped, and the
// text-showing operators it runs visibly and invisibly (textShows), from one interpretation
// of its content: the text is what the extractor's Page.GetPlainText reads, its errors too
// (a page's content is the most a read interprets, as costly as the rest of the read).
// Only the first limit bytes of the text are wanted: once it holds that many, the rest of
// the page is interpreted for its counts and errors, but its strings are no longer decoded,
// and the text returned is a prefix of the page's, at least limit bytes long. (Decoding
// and keeping the rest cost a page of long strings some ten times its content.) A string
// the extractor's encoding fails on past the limit therefore fails nothing: it would be
// cut from the text anyway. The decoding of strings stops with an error wrapping
// budget.ErrExceeded once the time budget bud is spent: the extractor's /ToUnicode maps
// decode each code by a search of all their entries, and a map of 100,000 entries (1.3 MB,
// within maxCMap) took 10 s to decode 100 KB of strings.
func pageLayer(p lpdf.Page, visible box, limit int, bud *budget.Budget) (s string, c pageShows, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, c, err = "", pageShows{}, fmt.Errorf("%w: %v", ErrInvalid, r)
			if over, ok := r.(overBudget); ok {
				err = over.err
			}
		}
	}()
	if p.V.IsNull() || p.V.Key("Contents").Kind() == lpdf.Null {
		return "", pageShows{}, nil
	}
	fonts := map[string]*lpdf.Font{}
	for _, name := range p.Fonts() {
		if _, ok := fonts[name]; !ok {
			f := p.Font(name)
			fonts[name] = &f
		}
	}
	var enc lpdf.TextEncoding = rawEncoding{}
	b := trimmedText{limit: limit}
	unchecked := 0 // bytes decoded since the time budget was last checked
	decoded := func(raw string) {
		if b.full() {
			return
		}
		// Checking costs a lock: it is done each kilobyte decoded, which takes the
		// extractor some microseconds with an ordinary encoding.
		if unchecked += len(raw); unchecked >= 1<<10 {
			unchecked = 0
			if err := bud.Check(); err != nil {
				panic(overBudget{err})
			}
		}
		for _, ch := range ligaturesInVisualOrder(enc, raw, enc.Decode(raw)) {
			if !b.add(ch) {
				return
			}
		}
	}
	var rm renderMode
	sg := newSight(p, visible)
	lpdf.Interpret(p.V.Key("Contents"), func(stk *lpdf.Stack, op string) {
		args := make([]lpdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		// The counts, the graphics state and marked content, as textShows keeps them.
		c.add(op, &rm, sg, args)
		// The text, as GetPlainText reads it, its panics its errors.
		switch op {
		case "BT":
			b.add('\n')
		case "T*":
			decoded("\n")
		case "Tf":
			if len(args) != 2 {
				panic("bad TL")
			}
			if font, ok := fonts[args[0].Name()]; ok {
				enc = font.Encoder()
			} else {
				enc = rawEncoding{}
			}
		case "\"", "'", "Tj":
			switch {
			case op == "\"" && len(args) != 3:
				panic("bad \" operator")
			case op != "Tj" && len(args) != 1:
				panic("bad ' operator")
			case len(args) != 1:
				panic("bad Tj operator")
			}
			decoded(args[0].RawString())
		case "TJ":
			v := args[0]
			for i := range v.Len() {
				switch x := v.Index(i); {
				case x.Kind() == lpdf.String:
					decoded(x.RawString())
				case (x.Kind() == lpdf.Integer || x.Kind() == lpdf.Real) && x.Float64() < -wordGap:
					b.gap()
				}
			}
		}
	})
	return b.text.String(), c, nil
}

// wordGap is the least displacement of a TJ array, in thousandths of the font size, that
// separates two words, as pdftotext counts it (a tenth of the font size): writers that
// position every glyph draw a word's space as such a gap rather than as a space character
// (LibreOffice's right-to-left lines, whose spaces it draws apart in another font, and
// pdfTeX's lines), and kerning moves glyphs by far less. Read without it, each line of such
// a page was one word, and a letter's file too few words to be identified by its text.
const wordGap = 100

// ligaturesInVisualOrder returns s, the decoding of raw by enc, with the characters of each
// code that stands for a lam-alef ligature in logical order (lam, then alef: LibreOffice's
// /ToUnicode maps) put in visual order (alef, then lam), as the other characters of a
// right-to-left line are drawn: logicalLine reverses the line, and read otherwise "إلا" came
// out "إال" and "الاتصال" "االتصال". A ligature mapped in visual order already (Chancery's own
// layout), or a text whose codes cannot be told apart (one or two bytes each), is left as it
// is. Alef cannot join the letter after it, so no single glyph stands for alef-lam.
func ligaturesInVisualOrder(enc lpdf.TextEncoding, raw, s string) string {
	if !strings.Contains(s, "\u0644") {
		return s
	}
	for _, width := range []int{1, 2} {
		if len(raw)%width != 0 {
			continue
		}
		var b strings.Builder
		found := false
		for i := 0; i < len(raw); i += width {
			code := enc.Decode(raw[i : i+width])
			if rs := []rune(code); len(rs) == 2 && rs[0] == '\u0644' && strings.ContainsRune("\u0627\u0622\u0623\u0625", rs[1]) {
				code, found = string([]rune{rs[1], rs[0]}), true
			}
			b.WriteString(code)
		}
		if !found {
			continue
		}
		// Only when the codes decoded one by one give the string decoded whole.
		if t := b.String(); len(t) == len(s) && strings.Map(unswap, t) == strings.Map(unswap, s) {
			return t
		}
	}
	return s
}

// unswap maps the alefs to lam, so that a string and its ligatures turned compare equal.
func unswap(r rune) rune {
	if strings.ContainsRune("\u0627\u0622\u0623\u0625", r) {
		return '\u0644'
	}
	return r
}

// overBudget stops the interpretation of a page once the time budget, err, is spent.
type overBudget struct{ err error }

// trimmedText is trimLines of the characters added to it, built as they are added, up to
// limit bytes: past those, what it holds is a prefix of trimLines of all the characters.
type trimmedText struct {
	text  strings.Builder // the lines done, then the current line up to its last non-space
	limit int
	// inLine is set once the current line has a character other than white space: the
	// white space at its start is dropped, the rest kept in spaces until a character other
	// than white space follows it (white space at its end is dropped).
	inLine bool
	spaces []byte
	// gapped is set by a word's gap after a character other than white space: a space
	// separates that character from the next one, unless white space comes first.
	gapped bool
}

// gap records a gap of a word's width drawn after the last character (wordGap): the next
// character, if it is not white space itself, is preceded by a space.
func (t *trimmedText) gap() {
	if t.inLine && len(t.spaces) == 0 {
		t.gapped = true
	}
}

// full reports whether the text holds limit bytes.
func (t *trimmedText) full() bool { return t.text.Len() >= t.limit }

// add adds the character r, and reports whether more are wanted.
func (t *trimmedText) add(r rune) bool {
	switch {
	case t.full():
		return false
	case r == '\n':
		t.inLine, t.spaces, t.gapped = false, t.spaces[:0], false
	case unicode.IsSpace(r):
		t.gapped = false
		// White space kept past the limit would be cut anyway.
		if t.inLine && t.text.Len()+len(t.spaces) < t.limit {
			t.spaces = utf8.AppendRune(t.spaces, r)
		}
	default:
		// Grown by doubling (WriteRune alone grows a long text a quarter at a time, five
		// times its size in all).
		t.text.Grow(len(t.spaces) + 1 + utf8.UTFMax)
		if !t.inLine && t.text.Len() > 0 {
			t.text.WriteByte('\n')
		}
		t.inLine = true
		if t.gapped {
			t.spaces, t.gapped = append(t.spaces, ' '), false
		}
		t.text.Write(t.spaces)
		t.spaces = t.spaces[:0]
		if t.full() {
			// The white space may have been cut: r does not follow it.
			return false
		}
		t.text.WriteRune(r)
	}
	return !t.full()
}

// rawEncoding is the extractor's encoding of text shown without a font it knows: the codes
// as they are.
type rawEncoding struct{}

func (rawEncoding) Decode(raw string) string { return raw }

// trimLines is raw, the text the extractor reads from a page, with its lines trimmed and
// empty lines dropped.
func trimLines(raw string) string {
	var lines []string
	for _, l := range strings.Split(raw, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// type3ByToUnicode makes the extractor read Type 3 fonts (the fonts of the letters Chancery
// lays out) through their /ToUnicode maps: given an /Encoding dictionary it would map codes
// by glyph names alone, which for these fonts are only keys. It changes the rewrite that the
// extractor reads, never a stored document.
func type3ByToUnicode(ctx *model.Context) {
	for _, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok || d.Type() == nil || *d.Type() != "Font" || d.Subtype() == nil || *d.Subtype() != "Type3" {
			continue
		}
		if _, ok := d.Find("ToUnicode"); ok {
			d.Delete("Encoding")
		}
	}
}
