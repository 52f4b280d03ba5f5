package pdf

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// DraftMark is what every page of a coordination (draft) copy shows.
type DraftMark struct {
	Recipient string
	Reference string
	Version   int
	Exported  time.Time
	Member    string
}

// DraftBanner is the diagonal text on every page of a coordination copy.
const DraftBanner = "DRAFT — NOT AN OFFICIAL DOCUMENT"

// Line is the line naming the copy, as it appears on every page.
func (m DraftMark) Line() string {
	return "Coordination copy for " + m.Recipient + " · " + m.Reference + " v" + strconv.Itoa(m.Version) +
		" · exported " + m.Exported.UTC().Format("2 January 2006 15:04 UTC") + " by " + m.Member
}

// Watermark returns a copy of src with, on every page and above its content, a large diagonal
// DraftBanner and, at the foot, the banner again with m.Line. Each recipient's copy therefore
// has different bytes. The marks are not optional content: no viewer setting hides them.
func Watermark(src []byte, m DraftMark) (out []byte, err error) {
	defer recoverAs(&out, &err, "watermark")
	seed := seedOf("chancery draft v1", src, m.Recipient, m.Reference, strconv.Itoa(m.Version), m.Exported.UTC().Format(time.RFC3339Nano), m.Member)
	out, err = markCopy(src, DraftBanner, m.Line(), m.Exported, seed)
	if err != nil {
		return nil, fmt.Errorf("watermark: %w", err)
	}
	return out, nil
}

// PreviewBanner is the diagonal text on every page of a preview.
const PreviewBanner = "PREVIEW — NOT RELEASED, NOT VERIFIABLE"

// Preview returns a copy of src, the letter a release would publish, with PreviewBanner
// across every page and, at the foot, line (which says whose preview it is, and when). A
// preview is registered nowhere: verification answers that it is not an official letter.
func Preview(src []byte, line string, at time.Time) (out []byte, err error) {
	defer recoverAs(&out, &err, "preview")
	out, err = markCopy(src, PreviewBanner, line, at, seedOf("chancery preview v1", src, line, at.UTC().Format(time.RFC3339Nano)))
	if err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	return out, nil
}

// markCopy puts banner diagonally across every page of src, and the band with banner and
// line at its foot.
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
	return mark(src, []*model.Watermark{diagonal, band}, date, seed)
}

// bandOverlay draws the banner and the copy's line, on a light band so they stay legible
// over any page.
func bandOverlay(banner, line string) ([]byte, error) {
	const w, h = 190.0, 13.0
	if err := CheckText("draft line", line); err != nil {
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
	return r.output(), nil
}
