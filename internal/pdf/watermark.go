package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/go-text/typesetting/shaping"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/language"
)

// DraftMark is what every page of a coordination (draft) copy shows.
type DraftMark struct {
	Recipient string
	Reference string
	Version   int
	Exported  time.Time
	Member    string
	// Languages are the office's stamp languages (codes such as "en" or "ar"), in the order
	// they are printed; empty: English alone.
	Languages []string
}

// DraftBanner is the diagonal text on every page of a coordination copy.
const DraftBanner = "DRAFT — NOT AN OFFICIAL DOCUMENT"

// Line is the line naming the copy, as it appears on every page.
func (m DraftMark) Line() string {
	return "Coordination copy for " + m.Recipient + " · " + m.Reference + " v" + strconv.Itoa(m.Version) +
		" · exported " + m.Exported.UTC().Format("2 January 2006 15:04 UTC") + " by " + m.Member
}

// lineIn is Line in p's language.
func (m DraftMark) lineIn(p *i18n.Printer) string {
	return p.T("Coordination copy for %s · %s v%s · exported %s by %s", m.Recipient, m.Reference, strconv.Itoa(m.Version), p.DayTime(m.Exported), m.Member)
}

// Lines returns the line naming the copy as each page's band prints it, in each of the stamp
// languages (English alone when there are none), so that a copy's text can be traced to it.
func (m DraftMark) Lines() ([]string, error) {
	if englishOnly(m.Languages) {
		return []string{m.Line()}, nil
	}
	return linesIn(m.Languages, m.lineIn)
}

// linesIn is line in each of the stamp languages.
func linesIn(languages []string, line func(*i18n.Printer) string) ([]string, error) {
	ps, err := stampPrinters(languages)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = line(p)
	}
	return out, nil
}

// Watermark returns a copy of src with, on every page and above its content, a large diagonal
// DraftBanner and, at the foot, the banner again with m.Line. Each recipient's copy therefore
// has different bytes. The marks are not optional content: no viewer setting hides them. Nothing
// is drawn above them: the annotations' appearances become page content below them, and but
// for links the annotations and form fields go. The copy carries none of src's embedded files.
func Watermark(src []byte, m DraftMark) (out []byte, err error) {
	defer recoverAs(&out, &err, "watermark")
	fields := []string{m.Recipient, m.Reference, strconv.Itoa(m.Version), m.Exported.UTC().Format(time.RFC3339Nano), m.Member}
	if englishOnly(m.Languages) {
		out, err = markCopy(src, DraftBanner, m.Line(), m.Exported, seedOf("chancery draft v1", src, fields...))
	} else {
		out, err = markCopyIn(src, m.Languages, func(p *i18n.Printer) (string, string) {
			return p.T("DRAFT — NOT AN OFFICIAL DOCUMENT"), m.lineIn(p)
		}, Burned{Banner: DraftBanner, Line: m.Line()}, m.Exported, seedOf("chancery draft v1", src, append(fields, strings.Join(m.Languages, ","))...))
	}
	if err != nil {
		return nil, fmt.Errorf("watermark: %w", err)
	}
	return out, nil
}

// PreviewBanner is the diagonal text on every page of a preview: a preview is a draft copy.
const PreviewBanner = "DRAFT PREVIEW — NOT AN OFFICIAL DOCUMENT"

// Banners returns the banners of coordination copies and previews (DraftBanner and
// PreviewBanner) in every language Chancery stamps in, English first: what the pages of any
// draft copy show, whatever the office's stamp languages were when it was made.
func Banners() []string {
	var out []string
	for _, tag := range i18n.Languages {
		p := i18n.For(tag)
		out = append(out, p.T(DraftBanner), p.T(PreviewBanner))
	}
	return out
}

// PreviewMark says whose preview a copy is, and when it was made.
type PreviewMark struct {
	Reference string
	Version   int
	Member    string
	At        time.Time
	// Languages are the office's stamp languages; empty: English alone.
	Languages []string
}

// Line is the line naming the preview, as it appears on every page.
func (m PreviewMark) Line() string { return m.lineIn(i18n.For(language.English)) }

func (m PreviewMark) lineIn(p *i18n.Printer) string {
	return p.T("Preview of %s v%s for %s · %s · registered as a draft copy", m.Reference, strconv.Itoa(m.Version), m.Member, p.DayTime(m.At))
}

// Lines is DraftMark.Lines for a preview.
func (m PreviewMark) Lines() ([]string, error) {
	if englishOnly(m.Languages) {
		return []string{m.Line()}, nil
	}
	return linesIn(m.Languages, m.lineIn)
}

// Preview returns a copy of src, the letter a release would publish, with PreviewBanner
// across every page and, at the foot, m.Line (which says whose preview it is, and when). Like
// a coordination copy it carries none of src's embedded files: an enclosure's cover letter
// is previewed without the file it will enclose. The registry records the preview as a
// draft copy, so verification answers `draft`.
func Preview(src []byte, m PreviewMark) (out []byte, err error) {
	defer recoverAs(&out, &err, "preview")
	line := m.Line()
	seed := seedOf("chancery preview v1", src, line, m.At.UTC().Format(time.RFC3339Nano))
	if englishOnly(m.Languages) {
		out, err = markCopy(src, PreviewBanner, line, m.At, seed)
	} else {
		out, err = markCopyIn(src, m.Languages, func(p *i18n.Printer) (string, string) {
			return p.T("DRAFT PREVIEW — NOT AN OFFICIAL DOCUMENT"), m.lineIn(p)
		}, Burned{Banner: PreviewBanner, Line: line}, m.At, seedOf("chancery preview v1", src, line, m.At.UTC().Format(time.RFC3339Nano), strings.Join(m.Languages, ",")))
	}
	if err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	return out, nil
}

// markCopy puts banner diagonally across every page of src, and the band with banner and
// line at its foot, and draws both into its pictures (burnImages); the copy carries none of
// src's embedded files (settle).
func markCopy(src []byte, banner, line string, date time.Time, seed []byte) ([]byte, error) {
	diagonal, err := api.TextWatermark(banner,
		"font:Helvetica-Bold, points:60, scale:0.9, diagonal:1, fillcolor:0.8 0.1 0.1, opacity:0.35",
		true, false, types.POINTS)
	if err != nil {
		return nil, err
	}
	overlay, err := bandOverlay(banner, line)
	if err != nil {
		return nil, err
	}
	band, err := api.PDFWatermarkForReadSeeker(bytes.NewReader(overlay), 1, "pos:bc, off:0 10, scale:1 abs, rot:0, opacity:1", true, false, types.POINTS)
	if err != nil {
		return nil, err
	}
	return mark(src, []*model.Watermark{diagonal, band}, date, seed, &Burned{Banner: banner, Line: line})
}

// markCopyIn is markCopy in the office's stamp languages: the banners, one line per language,
// go diagonally across every page, drawn by the shaping engine (the standard PDF fonts of
// the English banner have no Arabic), and the band at the foot has each language's banner and
// line. The pictures carry burned, in English: their bitmap font draws ASCII alone.
func markCopyIn(src []byte, languages []string, texts func(*i18n.Printer) (banner, line string), burned Burned, date time.Time, seed []byte) ([]byte, error) {
	ps, err := stampPrinters(languages)
	if err != nil {
		return nil, err
	}
	banners, lines := make([]string, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		banners[i], lines[i] = texts(p)
	}
	big, err := diagonalOverlay(banners)
	if err != nil {
		return nil, err
	}
	diagonal, err := api.PDFWatermarkForReadSeeker(bytes.NewReader(big), 1, "pos:c, scale:0.9 rel, diagonal:1, opacity:0.35", true, false, types.POINTS)
	if err != nil {
		return nil, err
	}
	overlay, err := bandOverlayIn(banners, lines)
	if err != nil {
		return nil, err
	}
	band, err := api.PDFWatermarkForReadSeeker(bytes.NewReader(overlay), 1, "pos:bc, off:0 10, scale:1 abs, rot:0, opacity:1", true, false, types.POINTS)
	if err != nil {
		return nil, err
	}
	return mark(src, []*model.Watermark{diagonal, band}, date, seed, &burned)
}

// diagonalOverlay draws the banners, one per line and centred, on a canvas just wide enough
// for the longest: the watermark scales it to the page's diagonal.
func diagonalOverlay(banners []string) ([]byte, error) {
	const size, lineMM = 60.0, 25.0
	sh, err := getShaper()
	if err != nil {
		return nil, err
	}
	width := 0.0
	for _, b := range banners {
		width = max(width, lineWidth(shaping.Line(sh.shape([]span{{b, bold}}, size).runs)))
	}
	putShaper(sh)
	r, err := newCanvas(width/ptPerMM+10, lineMM*float64(len(banners))+4)
	if err != nil {
		return nil, err
	}
	r.left, r.right = 5*ptPerMM, r.d.w-5*ptPerMM
	r.y = 2 * ptPerMM
	for _, b := range banners {
		r.text([]span{{b, bold}}, size, lineMM, [3]float64{0.8, 0.1, 0.1}, alignCenter)
	}
	return r.output()
}

// bandOverlayIn is bandOverlay with a banner and a line for each language.
func bandOverlayIn(banners, lines []string) ([]byte, error) {
	const w = 190.0
	for _, l := range lines {
		if err := CheckText("draft line", l); err != nil {
			return nil, err
		}
	}
	h, err := bandHeight(w, banners, lines)
	if err != nil {
		return nil, err
	}
	r, err := newCanvas(w, h)
	if err != nil {
		return nil, err
	}
	red := [3]float64{0.78, 0.12, 0.12}
	r.rect(0.2, 0.2, w-0.4, h-0.4, [3]float64{1, 0.94, 0.94}, &red, 0.4)
	r.y = 1.5 * ptPerMM
	for i := range banners {
		r.text([]span{{banners[i], bold}}, 10, 5, red, alignCenter)
		r.text([]span{{lines[i], regular}}, 7.5, 5, red, alignCenter)
	}
	return r.output()
}

// bandOverlay draws the banner and the copy's line, on a light band so they stay legible
// over any page.
func bandOverlay(banner, line string) ([]byte, error) {
	const w = 190.0
	if err := CheckText("draft line", line); err != nil {
		return nil, err
	}
	h, err := bandHeight(w, []string{banner}, []string{line})
	if err != nil {
		return nil, err
	}
	r, err := newCanvas(w, h)
	if err != nil {
		return nil, err
	}
	red := [3]float64{0.78, 0.12, 0.12}
	r.rect(0.2, 0.2, w-0.4, h-0.4, [3]float64{1, 0.94, 0.94}, &red, 0.4)
	r.y = 1.5 * ptPerMM
	r.text([]span{{banner, bold}}, 10, 5, red, alignCenter)
	r.text([]span{{line, regular}}, 7.5, 5, red, alignCenter)
	return r.output()
}

// bandHeight is the height, in millimetres, of a band w millimetres wide that shows every
// banner (10 points) and line (7.5 points) on as many lines of 5 millimetres as they take: a
// long recipient's name wraps the copy's line, and a band of fixed height cut off what
// followed it (the reference, the version, when and by whom the copy was made).
func bandHeight(w float64, banners, lines []string) (float64, error) {
	sh, err := getShaper()
	if err != nil {
		return 0, err
	}
	defer putShaper(sh)
	n := 0
	for _, b := range banners {
		n += sh.count(b, 10, w*ptPerMM)
	}
	for _, l := range lines {
		n += sh.count(l, 7.5, w*ptPerMM)
	}
	return 3 + 5*float64(n), nil
}
