package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
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
// bytes. Text is written in the PDF core fonts, in Windows-1252; characters outside it are
// shown as "?".
func Render(mediaType string, body []byte, h Letterhead) (out []byte, err error) {
	defer recoverAs(&out, &err, "render letter")
	markdown := false
	switch strings.TrimSpace(strings.SplitN(mediaType, ";", 2)[0]) {
	case "text/markdown", "text/x-markdown":
		markdown = true
	case "text/plain", "":
	default:
		return nil, fmt.Errorf("render letter: unsupported media type %q", mediaType)
	}

	var doc ast.Node
	if markdown {
		if doc, err = parseMarkdown(body); err != nil {
			return nil, fmt.Errorf("render letter: %w", err)
		}
	}
	r := newRenderer(h)
	r.letterhead()
	if markdown {
		r.markdown(doc, body)
	} else {
		r.plain(string(body))
	}
	r.signatures()

	var buf bytes.Buffer
	if err := r.f.Output(&buf); err != nil {
		return nil, fmt.Errorf("render letter: %w", err)
	}
	return buf.Bytes(), nil
}

type renderer struct {
	f      *fpdf.Fpdf
	tr     func(string) string
	h      Letterhead
	indent float64
}

func newRenderer(h Letterhead) *renderer {
	f := fpdf.New("P", "mm", "A4", "")
	date := h.Date.UTC()
	if h.Date.IsZero() {
		date = undatedEpoch
	}
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetCatalogSort(true)
	f.SetCompression(true)
	f.SetProducer("Chancery", true)
	f.SetCreator("Chancery", true)
	f.SetTitle(h.Subject, true)
	f.SetAuthor(h.Office, true)
	f.SetMargins(marginLeft, marginTop, marginRight)
	f.SetAutoPageBreak(true, marginBottom)
	f.AliasNbPages("{nb}")
	r := &renderer{f: f, tr: f.UnicodeTranslatorFromDescriptor(""), h: h}
	f.SetHeaderFuncMode(r.header, true)
	f.AddPage()
	return r
}

// header repeats office and reference on every page after the first, with the page count,
// so that a single page still names its letter.
func (r *renderer) header() {
	f := r.f
	if f.PageNo() == 1 {
		return
	}
	f.SetFont("Helvetica", "", 8)
	f.SetTextColor(90, 90, 90)
	f.CellFormat(0, 4, r.tr(fmt.Sprintf("%s · %s · page %d of {nb}", r.h.Office, r.h.Reference, f.PageNo())), "", 1, "R", false, 0, "")
	f.SetTextColor(0, 0, 0)
	f.Ln(6)
}

func (r *renderer) letterhead() {
	f, tr, h := r.f, r.tr, r.h
	f.SetFont("Helvetica", "B", 16)
	f.MultiCell(0, 8, tr(h.Office), "", "L", false)
	x, y := f.GetXY()
	pageW, _ := f.GetPageSize()
	f.SetDrawColor(40, 40, 40)
	f.SetLineWidth(0.4)
	f.Line(marginLeft, y+1, pageW-marginRight, y+1)
	f.SetXY(x, y+4)

	f.SetFont("Helvetica", "", 10)
	f.CellFormat(0, 5, tr("Reference: "+h.Reference), "", 1, "R", false, 0, "")
	date := "Undated draft"
	if !h.Date.IsZero() {
		date = h.Date.UTC().Format("2 January 2006")
	}
	f.CellFormat(0, 5, tr(date), "", 1, "R", false, 0, "")
	f.Ln(4)

	if len(h.Addressees) > 0 {
		f.SetFont("Helvetica", "", bodyFontSize)
		for i, a := range h.Addressees {
			label := "To: "
			if i > 0 {
				label = "      "
			}
			f.MultiCell(0, lineHeight, tr(label+a), "", "L", false)
		}
		f.Ln(4)
	}
	if h.Subject != "" {
		f.SetFont("Helvetica", "B", bodyFontSize)
		f.MultiCell(0, lineHeight, tr("Subject: "+h.Subject), "", "L", false)
		f.Ln(3)
	}
	f.SetFont("Helvetica", "", bodyFontSize)
}

func (r *renderer) plain(body string) {
	f := r.f
	body = strings.ReplaceAll(body, "\r\n", "\n")
	for _, para := range strings.Split(body, "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		f.MultiCell(0, lineHeight, r.tr(expandTabs(para)), "", "L", false)
		f.Ln(2)
	}
}

func (r *renderer) signatures() {
	f := r.f
	if len(r.h.Signatories) == 0 {
		return
	}
	f.Ln(8)
	f.SetFont("Helvetica", "", bodyFontSize)
	for _, s := range r.h.Signatories {
		// Keep the signature space and the name on one page.
		_, pageH := f.GetPageSize()
		if f.GetY()+18 > pageH-marginBottom {
			f.AddPage()
		}
		f.Ln(10)
		f.MultiCell(0, lineHeight, r.tr(s), "", "L", false)
	}
}

// parseMarkdown parses body after checking, line by line, that it is not nested so deep that
// parsing would take long, and checks the tree before the recursive layout walks it.
func parseMarkdown(body []byte) (ast.Node, error) {
	if err := CheckMarkdown(body); err != nil {
		return nil, err
	}
	doc := goldmark.New().Parser().Parse(text.NewReader(body))
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
	f := r.f
	switch n := n.(type) {
	case *ast.Heading:
		size := map[int]float64{1: 15, 2: 13, 3: 12}[n.Level]
		if size == 0 {
			size = bodyFontSize
		}
		f.Ln(2)
		f.SetFont("Helvetica", "B", size)
		r.inlines(n, src, "B", size)
		f.Ln(size*0.45 + 2)
	case *ast.Paragraph, *ast.TextBlock:
		f.SetFont("Helvetica", "", bodyFontSize)
		r.inlines(n, src, "", bodyFontSize)
		f.Ln(lineHeight)
		if n.Kind() == ast.KindParagraph {
			f.Ln(2)
		}
	case *ast.List:
		number := n.Start
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			bullet := "•"
			if n.IsOrdered() {
				bullet = fmt.Sprintf("%d.", number)
				number++
			}
			r.listItem(item, src, depth, bullet)
		}
		if depth == 0 {
			f.Ln(2)
		}
	case *ast.Blockquote:
		r.withIndent(8, func() {
			f.SetTextColor(70, 70, 70)
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				r.block(c, src, depth)
			}
			f.SetTextColor(0, 0, 0)
		})
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		f.SetFont("Courier", "", 9.5)
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		f.MultiCell(0, 4.6, r.tr(expandTabs(strings.TrimRight(b.String(), "\n"))), "", "L", false)
		f.Ln(2)
		f.SetFont("Helvetica", "", bodyFontSize)
	case *ast.ThematicBreak:
		pageW, _ := f.GetPageSize()
		y := f.GetY() + 2
		f.Line(marginLeft+r.indent, y, pageW-marginRight, y)
		f.Ln(5)
	case *ast.HTMLBlock:
		// Raw HTML is shown as text: a letter must show what its author wrote.
		var b strings.Builder
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			b.Write(seg.Value(src))
		}
		f.SetFont("Helvetica", "", bodyFontSize)
		f.MultiCell(0, lineHeight, r.tr(strings.TrimRight(b.String(), "\n")), "", "L", false)
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			r.block(c, src, depth)
		}
	}
}

func (r *renderer) listItem(item ast.Node, src []byte, depth int, bullet string) {
	f := r.f
	const step = 7.0
	r.withIndent(step, func() {
		f.SetFont("Helvetica", "", bodyFontSize)
		f.SetX(marginLeft + r.indent - step)
		f.CellFormat(step, lineHeight, r.tr(bullet), "", 0, "L", false, 0, "")
		for c := item.FirstChild(); c != nil; c = c.NextSibling() {
			if c != item.FirstChild() {
				f.SetX(marginLeft + r.indent)
			}
			if c.Kind() == ast.KindParagraph {
				f.SetFont("Helvetica", "", bodyFontSize)
				r.inlines(c, src, "", bodyFontSize)
				f.Ln(lineHeight + 1)
				continue
			}
			r.block(c, src, depth+1)
		}
	})
}

// withIndent runs fn with the left margin moved right by d millimetres.
func (r *renderer) withIndent(d float64, fn func()) {
	r.indent += d
	r.f.SetLeftMargin(marginLeft + r.indent)
	r.f.SetX(marginLeft + r.indent)
	fn()
	r.indent -= d
	r.f.SetLeftMargin(marginLeft + r.indent)
}

// inlines writes the inline children of n as flowing text in the given style.
func (r *renderer) inlines(n ast.Node, src []byte, style string, size float64) {
	f := r.f
	h := size * 0.5
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			f.SetFont("Helvetica", style, size)
			f.Write(h, r.tr(string(c.Segment.Value(src))))
			switch {
			case c.HardLineBreak():
				f.Ln(h)
			case c.SoftLineBreak():
				f.Write(h, " ")
			}
		case *ast.String:
			f.SetFont("Helvetica", style, size)
			f.Write(h, r.tr(string(c.Value)))
		case *ast.Emphasis:
			s := style
			add := "I"
			if c.Level >= 2 {
				add = "B"
			}
			if !strings.Contains(s, add) {
				s += add
			}
			r.inlines(c, src, s, size)
		case *ast.CodeSpan:
			f.SetFont("Courier", "", size)
			var b strings.Builder
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if t, ok := t.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			f.Write(h, r.tr(b.String()))
		case *ast.Link:
			r.inlines(c, src, style, size)
			f.SetFont("Helvetica", style, size)
			f.Write(h, r.tr(" <"+string(c.Destination)+">"))
		case *ast.AutoLink:
			f.SetFont("Helvetica", style, size)
			f.Write(h, r.tr(string(c.URL(src))))
		case *ast.Image:
			f.SetFont("Helvetica", "I", size)
			f.Write(h, r.tr("[image: "+string(c.Destination)+"]"))
		case *ast.RawHTML:
			f.SetFont("Helvetica", style, size)
			segs := c.Segments
			for i := 0; i < segs.Len(); i++ {
				seg := segs.At(i)
				f.Write(h, r.tr(string(seg.Value(src))))
			}
		default:
			r.inlines(c, src, style, size)
		}
	}
}

func expandTabs(s string) string { return strings.ReplaceAll(s, "\t", "    ") }
