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
	diagonal, err := api.TextWatermark(DraftBanner,
		"font:Helvetica-Bold, points:60, scale:0.9, diagonal:1, fillcolor:0.8 0.1 0.1, opacity:0.35",
		true, false, types.POINTS)
	if err != nil {
		return nil, fmt.Errorf("watermark: %w", err)
	}
	overlay, err := draftOverlay(m)
	if err != nil {
		return nil, fmt.Errorf("watermark: %w", err)
	}
	line, err := api.PDFWatermarkForReadSeeker(bytes.NewReader(overlay), 1, "pos:bc, off:0 10, scale:1 abs, rot:0, opacity:1", true, false, types.POINTS)
	if err != nil {
		return nil, fmt.Errorf("watermark: %w", err)
	}
	seed := seedOf("chancery draft v1", src, m.Recipient, m.Reference, strconv.Itoa(m.Version), m.Exported.UTC().Format(time.RFC3339Nano), m.Member)
	out, err = mark(src, []*model.Watermark{diagonal, line}, m.Exported, seed)
	if err != nil {
		return nil, fmt.Errorf("watermark: %w", err)
	}
	return out, nil
}

// draftOverlay draws the banner and the copy's line, on a light band so they stay legible
// over any page.
func draftOverlay(m DraftMark) ([]byte, error) {
	const w, h = 190.0, 13.0
	f := overlayPage(w, h)
	tr := f.UnicodeTranslatorFromDescriptor("")
	f.SetFillColor(255, 240, 240)
	f.SetDrawColor(200, 30, 30)
	f.SetLineWidth(0.4)
	f.Rect(0.2, 0.2, w-0.4, h-0.4, "FD")
	f.SetTextColor(200, 30, 30)
	f.SetXY(0, 1.5)
	f.SetFont("Helvetica", "B", 10)
	f.CellFormat(w, 5, tr(DraftBanner), "", 2, "C", false, 0, "")
	f.SetFont("Helvetica", "", 7.5)
	f.CellFormat(w, 5, tr(m.Line()), "", 2, "C", false, 0, "")
	return outputOverlay(f)
}
