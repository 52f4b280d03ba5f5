package pdf

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	goqr "github.com/piglig/go-qr"
	"golang.org/x/text/language"
)

// Footer is what every page of a released letter carries.
type Footer struct {
	Office    string
	Reference string
	Released  time.Time
	VerifyURL string
	// Languages are the office's stamp languages, codes such as "en" or "ar", in the order
	// they are printed; empty: English alone.
	Languages []string
	// Zone is the office's time zone, in which the footer gives the release's date; nil:
	// UTC.
	Zone *time.Location
}

// day is the release's date as the footer prints it: in the office's time zone.
func (f Footer) day(p *i18n.Printer) string {
	return p.Day(inZone(f.Released, f.Zone))
}

// inZone is t in zone, or in UTC when zone is nil.
func inZone(t time.Time, zone *time.Location) time.Time {
	if zone == nil {
		return t.UTC()
	}
	return t.In(zone)
}

// Stamp returns a copy of src with a footer on every page: office, reference, release date,
// "Verify at {VerifyURL}", and a QR code encoding VerifyURL. The footer is drawn once, as a
// form XObject that every page shows, on top of the page content. Nothing is drawn above it:
// the annotations' appearances become page content below it, and but for links the
// annotations and form fields go. The stamped letter carries none of src's embedded files:
// what leaves sealed is what its pages show, which reviewers and signers saw in the preview.
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
	fields := []string{f.Office, f.Reference, f.Released.UTC().Format(time.RFC3339Nano), f.VerifyURL}
	if f.Zone != nil {
		fields = append(fields, f.Zone.String())
	}
	if !englishOnly(f.Languages) {
		fields = append(fields, strings.Join(f.Languages, ","))
	}
	seed := seedOf("chancery stamp v1", src, fields...)
	out, err = mark(src, []*model.Watermark{wm}, f.Released, seed, nil)
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

// footerW is the width of the footer, centred at the foot of every page, in millimetres;
// footerRise is its distance from the page's bottom edge, in points; footerOfficeSize is the
// size of its first line, the office's name and the reference, in points.
const (
	footerW          = 170.0
	footerRise       = 14.0
	footerQR         = 23.0
	footerOfficeSize = 9.0
)

// footerLayout is a footer's languages and, from them, its height in millimetres.
type footerLayout struct {
	ft Footer
	ps []*i18n.Printer
	h  float64
	// Several languages are set in columns, in type sized so that they fit above the page's
	// bottom margin: released is the size of the release line, explain that of the
	// explanation, each with its line height in millimetres.
	released, releasedMM, explain, explainMM float64
}

const explainMulti = "Scan the code or open the address above to check this letter against the office's public log."

// layFooter checks ft and works out its layout, measuring text with sh.
func layFooter(sh *shaper, ft Footer) (*footerLayout, error) {
	for _, s := range []string{ft.Office, ft.Reference} {
		if err := CheckText("footer", s); err != nil {
			return nil, err
		}
	}
	ps, err := stampPrinters(ft.Languages)
	if err != nil {
		return nil, err
	}
	lay := &footerLayout{ft: ft, ps: ps, h: 25, released: 8.5, releasedMM: 4.5, explain: 7, explainMM: 4}
	if len(ps) > 2 {
		lay.released, lay.releasedMM, lay.explain, lay.explainMM = 7.5, 3.6, 6.3, 3.1
	}
	if len(ps) > 1 {
		colW := lay.colW()
		col := 0.0
		for _, p := range ps {
			col = max(col, lay.releasedMM*float64(sh.count(p.T("Official letter, released %s", ft.day(p)), lay.released, colW*ptPerMM))+
				lay.explainMM*float64(sh.count(p.T(explainMulti), lay.explain, colW*ptPerMM)))
		}
		lay.h = max(lay.h, 3+4.5+4.5+col+1.5)
	}
	return lay, nil
}

const footerGap = 4.0

// colW is the width of a language's column, in millimetres.
func (lay *footerLayout) colW() float64 {
	textW := footerW - (footerQR + 4)
	return (textW - footerGap*float64(len(lay.ps)-1)) / float64(len(lay.ps))
}

// footerOverlay draws the footer of a released letter on a page of its own size, to be placed
// on every page of the letter. In one language it has four lines beside the QR code; in
// several, the office and reference and the address span the width, and below them each
// language has its column, in the order given (a right-to-left one starts on its right).
func footerOverlay(ft Footer) ([]byte, error) {
	sh, err := getShaper()
	if err != nil {
		return nil, err
	}
	lay, err := layFooter(sh, ft)
	putShaper(sh)
	if err != nil {
		return nil, err
	}
	r, err := newCanvas(footerW, lay.h)
	if err != nil {
		return nil, err
	}
	if err := lay.draw(r, 0, 0); err != nil {
		putShaper(r.sh)
		return nil, err
	}
	return r.output()
}

// draw draws the footer with its top left corner ox, oy millimetres from the top left corner
// of r's page.
func (lay *footerLayout) draw(r *renderer, ox, oy float64) error {
	ft, ps := lay.ft, lay.ps
	if err := r.drawQR(ft.VerifyURL, ox, oy+(lay.h-footerQR)/2, footerQR); err != nil {
		return err
	}
	x := ox + footerQR + 4
	y := r.d.h - (oy+1.5)*ptPerMM
	fmt.Fprintf(r.page, "0.2 w 0.24 0.24 0.24 RG %s %s m %s %s l S\n", num(x*ptPerMM), num(y), num((ox+footerW)*ptPerMM), num(y))
	r.left, r.right = x*ptPerMM, (ox+footerW)*ptPerMM
	r.y = (oy + 3) * ptPerMM
	r.text([]span{{ft.Office + " · " + ft.Reference, bold}}, footerOfficeSize, 4.5, black, alignLeft)
	if len(ps) == 1 {
		p := ps[0]
		r.textKept(p.T("Official letter, released %s", ft.day(p)), regular, 8.5, 4.5, black, alignStart)
		r.text([]span{{p.T("Verify at %s", ft.VerifyURL), regular}}, 8.5, 4.5, black, alignStart)
		r.textKept(p.T("Scan the code or open the address to check this letter against the office's public log."), regular, 7, 4, [3]float64{0.31, 0.31, 0.31}, alignStart)
		return nil
	}
	r.text([]span{{ft.VerifyURL, regular}}, 8.5, 4.5, black, alignLeft)
	top := r.y
	colW := lay.colW()
	for i, p := range ps {
		r.left = (x + float64(i)*(colW+footerGap)) * ptPerMM
		r.right = r.left + colW*ptPerMM
		r.y = top
		r.textKept(p.T("Official letter, released %s", ft.day(p)), regular, lay.released, lay.releasedMM, black, alignStart)
		r.textKept(p.T(explainMulti), regular, lay.explain, lay.explainMM, [3]float64{0.31, 0.31, 0.31}, alignStart)
	}
	return nil
}

// stampPrinters returns the printers of an office's stamp languages; none is English.
func stampPrinters(codes []string) ([]*i18n.Printer, error) {
	if len(codes) == 0 {
		return []*i18n.Printer{i18n.For(language.English)}, nil
	}
	ps := make([]*i18n.Printer, len(codes))
	for i, c := range codes {
		p, ok := i18n.Parse(c)
		if !ok || len(codes) > len(i18n.Languages) {
			return nil, fmt.Errorf("stamp languages %q: one to three of en, fr, ar", strings.Join(codes, ","))
		}
		ps[i] = p
	}
	return ps, nil
}

// CheckOffice refuses an office name the footer of released letters cannot show: one with a
// character the fonts cannot draw, or too long for the footer's first line, which it shares
// with the letter's reference (prefix-YYYY-NNNNNN): the footer's height allows one line
// there, and a second would run into the lines below it.
func CheckOffice(office, prefix string) error {
	if err := CheckText("office name", office); err != nil {
		return err
	}
	sh, err := getShaper()
	if err != nil {
		return err
	}
	defer putShaper(sh)
	line := office + " · " + prefix + "-2026-000000"
	if n := len(sh.lines(sh.shape([]span{{line, bold}}, footerOfficeSize), (footerW-footerQR-4)*ptPerMM)); n > 1 {
		return fmt.Errorf("office name %q is too long for the footer of released letters, where it shares one line with the reference", office)
	}
	return nil
}

// count is the number of lines text takes at size points in width points.
func (s *shaper) count(text string, size, width float64) int {
	n := 0
	for line := range eachLine([]span{{text, regular}}) {
		for _, piece := range s.unbroken(line) {
			n += max(1, len(s.lines(s.shape(piece, size), width)))
		}
	}
	return n
}

// englishOnly reports whether stamps in languages are the English ones every release had
// before offices chose their stamp languages: then their bytes stay what they were.
func englishOnly(languages []string) bool {
	return len(languages) == 0 || len(languages) == 1 && languages[0] == "en"
}

// qrQuiet is the quiet zone around a QR code, in modules.
const qrQuiet = 4

// drawQR draws a QR code for s as vector squares, crisp at any resolution and on paper; x, y
// and size are in millimetres from the top left corner, quiet zone included. The code has
// error correction level M at least (a higher one when it fits in the same version), and
// the mask the standard's penalty rules choose.
func (r *renderer) drawQR(s string, x, y, size float64) error {
	q, err := goqr.EncodeText(s, goqr.Medium)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	n := q.Size()
	m := size / float64(n+2*qrQuiet)
	r.rect(x, y, size, size, [3]float64{1, 1, 1}, nil, 0)
	for row := range n {
		for c := 0; c < n; {
			if !q.Module(c, row) {
				c++
				continue
			}
			start := c
			for c < n && q.Module(c, row) {
				c++
			}
			r.rect(x+float64(start+qrQuiet)*m, y+float64(row+qrQuiet)*m, float64(c-start)*m, m, black, nil, 0)
		}
	}
	return nil
}

// mark applies wms to every page of src, settled first (settle), its content isolated from
// the marks (isolateContent) and its crop box within its media box (cropToMedia), and writes
// the result deterministically, with ModDate date and a file identifier derived from seed.
// A copy's marks (burned) are drawn into its pictures' pixels as well (burnImages); the
// pages' inline images of a release are written so that their data ends where this package
// read it (delimitInlineImages).
func mark(src []byte, wms []*model.Watermark, date time.Time, seed []byte, burned *Burned) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: pdf library failure: %v", ErrInvalid, r)
		}
	}()
	ctx, err := read(src)
	if err != nil {
		return nil, err
	}
	if err := settle(ctx); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := isolateContent(ctx); err != nil {
		return nil, invalid(err)
	}
	if err := cropToMedia(ctx); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if burned != nil {
		if err := burnImages(ctx, *burned); err != nil {
			return nil, err
		}
	} else if err := delimitInlineImages(ctx); err != nil {
		return nil, err
	}
	first := len(ctx.Table)
	if ctx.XRefTable.Size != nil {
		first = max(first, *ctx.XRefTable.Size)
	}
	root, err := ctx.Catalog()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	_, hadLayers := root.Find("OCProperties")
	for _, wm := range wms {
		if err := api.WatermarkContext(ctx, nil, wm); err != nil {
			return nil, err
		}
	}
	detachOptionalContent(ctx, first)
	if !hadLayers {
		// The optional content group pdfcpu declared for its stamps, now drawn by nothing.
		root.Delete("OCProperties")
	}
	if err := unlabelMarks(ctx); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := mergeContents(ctx); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return write(ctx, date, seed)
}

// pdfcpuMark is how pdfcpu opens the marked content of each stamp it draws. pdfcpu's
// `watermark remove` and `stamp remove` (and other tools that remove watermarks) cut what it
// encloses out of the pages, in one command and without any knowledge of the PDF format.
var pdfcpuMark = []byte("/Artifact <</Subtype /Watermark /Type /Pagination >>BDC")

// plainMark encloses the stamps instead: the same EMC closes it, and it says nothing that
// tells the marks from the rest of the page.
var plainMark = []byte("/Span BMC")

// unlabelMarks relabels the marks pdfcpu drew on every page of ctx (pdfcpuMark), so that no
// watermark removal finds them: a draft copy's DRAFT mark and the line naming whose copy it
// is cannot be taken off with a standard tool, nor a release's footer.
func unlabelMarks(ctx *model.Context) error {
	for i := 1; i <= ctx.PageCount; i++ {
		page, _, _, err := ctx.PageDict(i, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", i, err)
		}
		contents, err := ctx.Dereference(page["Contents"])
		if err != nil {
			return fmt.Errorf("page %d contents: %w", i, err)
		}
		refs, ok := contents.(types.Array)
		if !ok {
			refs = types.Array{page["Contents"]}
		}
		for _, o := range refs {
			ref, ok := o.(types.IndirectRef)
			if !ok {
				continue
			}
			e, ok := ctx.FindTableEntryForIndRef(&ref)
			if !ok || e.Object == nil {
				continue
			}
			sd, ok := e.Object.(types.StreamDict)
			if !ok {
				continue
			}
			if err := sd.Decode(); err != nil {
				return fmt.Errorf("page %d contents: %w", i, err)
			}
			if !bytes.Contains(sd.Content, pdfcpuMark) {
				continue
			}
			sd.Content = bytes.ReplaceAll(sd.Content, pdfcpuMark, plainMark)
			if err := encodeContent(&sd); err != nil {
				return fmt.Errorf("page %d contents: %w", i, err)
			}
			e.Object = sd
		}
	}
	return nil
}

// encodeContent encodes sd's content with deflate (a compressor reused, where pdfcpu's Encode
// makes a new one a stream: about a megabyte each, most of what relabelling the marks cost)
// when the stream's one filter is FlateDecode without parameters, as pdfcpu writes the
// content it stamps; any other stream is encoded by pdfcpu.
func encodeContent(sd *types.StreamDict) error {
	if len(sd.FilterPipeline) != 1 || sd.FilterPipeline[0].Name != filter.Flate || sd.FilterPipeline[0].DecodeParms != nil {
		return sd.Encode()
	}
	sd.Raw = deflate(sd.Content)
	n := int64(len(sd.Raw))
	sd.StreamLength = &n
	sd.Update("Length", types.Integer(n))
	return nil
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
