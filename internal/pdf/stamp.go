package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	qrcode "github.com/skip2/go-qrcode"
)

// Footer is what every page of a released letter carries.
type Footer struct {
	Office    string
	Reference string
	Released  time.Time
	VerifyURL string
}

// Stamp returns a copy of src with a footer on every page: office, reference, release date,
// "Verify at {VerifyURL}", and a QR code encoding VerifyURL. The footer is drawn once, as a
// form XObject that every page shows, on top of the page content.
//
// Stamp is deterministic: equal src and f give equal bytes, whatever the clock, process or
// machine. The document's dates are f.Released and its file identifier is derived from src
// and f.
func Stamp(src []byte, f Footer) (out []byte, err error) {
	defer recoverAs(&out, &err, "stamp")
	if f.VerifyURL == "" {
		return nil, fmt.Errorf("stamp: empty verify URL")
	}
	overlay, err := footerOverlay(f)
	if err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	wm, err := api.PDFWatermarkForReadSeeker(bytes.NewReader(overlay), 1, "pos:bc, off:0 14, scale:1 abs, rot:0, opacity:1", true, false, types.POINTS)
	if err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	seed := seedOf("chancery stamp v1", src, f.Office, f.Reference, f.Released.UTC().Format(time.RFC3339Nano), f.VerifyURL)
	out, err = mark(src, []*model.Watermark{wm}, f.Released, seed)
	if err != nil {
		return nil, fmt.Errorf("stamp: %w", err)
	}
	return out, nil
}

// recoverAs turns a panic of a library into an error wrapping ErrInvalid; it is deferred by
// every exported function.
func recoverAs(out *[]byte, err *error, op string) {
	if r := recover(); r != nil {
		*out, *err = nil, fmt.Errorf("%s: %w: pdf library failure: %v", op, ErrInvalid, r)
	}
}

// footerOverlay draws the footer of a released letter on a page of its own size, to be placed
// on every page of the letter.
func footerOverlay(ft Footer) ([]byte, error) {
	const w, h, qrSize = 170.0, 25.0, 23.0
	f := overlayPage(w, h)
	tr := f.UnicodeTranslatorFromDescriptor("")

	if err := drawQR(f, ft.VerifyURL, 0, (h-qrSize)/2, qrSize); err != nil {
		return nil, err
	}
	x := qrSize + 4
	f.SetDrawColor(60, 60, 60)
	f.SetLineWidth(0.2)
	f.Line(x, 1.5, w, 1.5)
	f.SetTextColor(0, 0, 0)
	f.SetXY(x, 3)
	f.SetFont("Helvetica", "B", 9)
	f.CellFormat(w-x, 4.5, tr(ft.Office+" · "+ft.Reference), "", 2, "L", false, 0, "")
	f.SetFont("Helvetica", "", 8.5)
	f.CellFormat(w-x, 4.5, tr("Official letter, released "+ft.Released.UTC().Format("2 January 2006")), "", 2, "L", false, 0, "")
	f.CellFormat(w-x, 4.5, tr("Verify at "+ft.VerifyURL), "", 2, "L", false, 0, "")
	f.SetFont("Helvetica", "", 7)
	f.SetTextColor(80, 80, 80)
	f.CellFormat(w-x, 4, tr("Scan the code or open the address to check this letter against the office's public log."), "", 2, "L", false, 0, "")
	return outputOverlay(f)
}

// overlayPage starts a one-page document of w×h millimetres with no margins.
func overlayPage(w, h float64) *fpdf.Fpdf {
	f := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: w, Ht: h}})
	f.SetCreationDate(undatedEpoch)
	f.SetModificationDate(undatedEpoch)
	f.SetCatalogSort(true)
	f.SetMargins(0, 0, 0)
	f.SetAutoPageBreak(false, 0)
	f.AddPage()
	return f
}

func outputOverlay(f *fpdf.Fpdf) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("draw overlay: %w", err)
	}
	return buf.Bytes(), nil
}

// drawQR draws a QR code for s as vector squares, crisp at any resolution and on paper.
func drawQR(f *fpdf.Fpdf, s string, x, y, size float64) error {
	q, err := qrcode.New(s, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	bm := q.Bitmap() // includes the quiet zone
	m := size / float64(len(bm))
	f.SetFillColor(255, 255, 255)
	f.Rect(x, y, size, size, "F")
	f.SetFillColor(0, 0, 0)
	for r, row := range bm {
		for c := 0; c < len(row); {
			if !row[c] {
				c++
				continue
			}
			start := c
			for c < len(row) && row[c] {
				c++
			}
			f.Rect(x+float64(start)*m, y+float64(r)*m, float64(c-start)*m, m, "F")
		}
	}
	return nil
}

// mark applies wms to every page of src and writes the result deterministically, with
// ModDate date and a file identifier derived from seed.
func mark(src []byte, wms []*model.Watermark, date time.Time, seed []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: pdf library failure: %v", ErrInvalid, r)
		}
	}()
	ctx, err := read(src)
	if err != nil {
		return nil, err
	}
	first := len(ctx.Table)
	if ctx.XRefTable.Size != nil {
		first = max(first, *ctx.XRefTable.Size)
	}
	for _, wm := range wms {
		if err := api.WatermarkContext(ctx, nil, wm); err != nil {
			return nil, err
		}
	}
	detachOptionalContent(ctx, first)
	return write(ctx, date, seed)
}

// detachOptionalContent removes the optional-content membership pdfcpu gives its stamps, from
// every form XObject numbered first or above. pdfcpu puts stamps into the document's first
// optional content group, which a viewer can hide (or which a document can declare hidden):
// a draft mark or a verification footer must show whatever the viewer's layer settings.
func detachOptionalContent(ctx *model.Context, first int) {
	for nr, e := range ctx.Table {
		if nr < first || e == nil || e.Free {
			continue
		}
		if sd, ok := e.Object.(types.StreamDict); ok && sd.Subtype() != nil && *sd.Subtype() == "Form" {
			sd.Delete("OC")
		}
	}
}

// seedOf hashes its arguments unambiguously.
func seedOf(domain string, src []byte, fields ...string) []byte {
	h := sha256.New()
	var n [8]byte
	for _, b := range append([][]byte{[]byte(domain), src}, toBytes(fields)...) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	return h.Sum(nil)
}

func toBytes(ss []string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}
