// Package ocr reads the text of scans: images (PNG, JPEG, TIFF) and PDFs without a text
// layer, with the Tesseract OCR engine, so that a printed and scanned letter can be
// identified by its words.
//
// Scans come from anyone, so every run is bounded like a document conversion (see package
// convert): the image's header is read first and one over MaxPixels is refused before any
// decoder sees it; Tesseract and pdftoppm run as children in a directory of their own, in
// their own process group, which is killed as a whole when the request's time budget (its
// context's deadline) or the reader's timeout runs out; their output is capped; the work
// done in Go before Tesseract reads a page (decoding it, painting out its QR codes and rules)
// stops at that budget too; and at most Parallel recognitions run at once, the others
// waiting within their budget. A failure's text may go back to whoever sent the scan: what
// a program printed on its standard error is kept out of it (ChildError).
package ocr

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // DecodeConfig of scans
	_ "image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	_ "golang.org/x/image/tiff"

	"github.com/chancery/chancery/internal/budget"
	"github.com/chancery/chancery/internal/nonet"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/stage"
)

// ErrNoOCR is wrapped by errors about a missing Tesseract (or pdftoppm or pdfinfo, for PDFs).
var ErrNoOCR = errors.New("no OCR engine")

// ErrOCR is wrapped by errors about a scan that could not be read.
var ErrOCR = errors.New("text recognition failed")

// ErrTooLarge is wrapped by errors about a scan over MaxPixels or MaxPages, or a PDF that
// links to more than MaxLinks addresses.
var ErrTooLarge = errors.New("scan too large")

// Hint tells a user or an operator how to install what OCR needs.
const Hint = "install Tesseract with its French (and, for Arabic letters, Arabic) data, and poppler-utils for PDFs (Debian: apt-get install tesseract-ocr tesseract-ocr-fra tesseract-ocr-ara poppler-utils), or set CHANCERY_TESSERACT to the tesseract program"

// Bounds on one recognition.
const (
	// MaxPixels bounds an image (a page at 300 dpi is about 8.7 million pixels): its header
	// is read before Tesseract decodes it.
	MaxPixels = 40_000_000
	// MaxPages is how many pages of a PDF are read; a letter has a few.
	MaxPages = 10
	// MaxText bounds the text Tesseract may print for one request.
	MaxText = 1 << 20
	// PDFResolution is the resolution pages are rasterised at, in dots per inch: enough for
	// Tesseract on body text, a quarter of the pixels of 300 dpi.
	PDFResolution = 200
	// DefaultTimeout bounds one recognition when the request's context has no deadline.
	DefaultTimeout = 2 * time.Minute
	// Parallel bounds concurrent recognitions: each takes a core and some hundred megabytes.
	Parallel = 2
)

// Image media types Read accepts, as Kind names them.
const (
	PNG  = "image/png"
	JPEG = "image/jpeg"
	TIFF = "image/tiff"
	PDF  = "application/pdf"
)

// Kind returns the media type data's first bytes show, of the types Read accepts, or "".
func Kind(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return JPEG
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return TIFF
	case bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")):
		return PDF
	}
	return ""
}

// IsImage reports whether data is an image Read accepts.
func IsImage(data []byte) bool {
	k := Kind(data)
	return k != "" && k != PDF
}

// A Reader runs Tesseract, and pdfinfo with pdfimages or pdftoppm for PDFs.
type Reader struct {
	tesseract string
	pdftoppm  string // "" when not installed: PDFs cannot be read
	pdfinfo   string // "" when not installed: PDFs cannot be read
	pdfimages string // "" when not installed: PDF pages are always rasterised
	langs     string // Tesseract's -l argument
	timeout   time.Duration
	slots     chan struct{}
}

// DefaultLanguages are the languages read, of those whose data is installed, unless
// CHANCERY_OCR_LANGS names others ("eng+fra+ara"). Arabic is not among them: with it,
// Tesseract reads the specks and the QR code of a Latin-script page as Arabic words, which
// then differ from the letter; an office whose letters are in Arabic sets
// CHANCERY_OCR_LANGS=ara+eng.
const DefaultLanguages = "eng+fra"

// Find returns a reader running the tesseract program at path, or, with an empty path, the
// one CHANCERY_TESSERACT names, or the first tesseract on the PATH. pdftoppm is looked up on
// the PATH. It reads DefaultLanguages, or those CHANCERY_OCR_LANGS names, that are installed,
// and fails with ErrNoOCR when Tesseract is missing or has none of them.
func Find(path string) (*Reader, error) {
	if path == "" {
		path = os.Getenv("CHANCERY_TESSERACT")
	}
	if path == "" {
		path = "tesseract"
	}
	p, err := exec.LookPath(path)
	if err != nil {
		return nil, fmt.Errorf("ocr: %w: %v", ErrNoOCR, err)
	}
	r := &Reader{tesseract: p, timeout: DefaultTimeout, slots: make(chan struct{}, Parallel)}
	if pp, err := exec.LookPath("pdftoppm"); err == nil {
		r.pdftoppm = pp
	}
	if pi, err := exec.LookPath("pdfinfo"); err == nil {
		r.pdfinfo = pi
	}
	if pi, err := exec.LookPath("pdfimages"); err == nil {
		r.pdfimages = pi
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir, release, err := stage.New(os.TempDir(), dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("ocr: %w", err)
	}
	defer release()
	out, err := run(ctx, dir, 64<<10, r.tesseract, "--list-langs")
	if err != nil {
		return nil, fmt.Errorf("ocr: %w: %s --list-langs: %w", ErrNoOCR, p, err)
	}
	want := strings.Split(DefaultLanguages, "+")
	if l := os.Getenv("CHANCERY_OCR_LANGS"); l != "" {
		want = strings.Split(l, "+")
	}
	installed := strings.Fields(string(out))
	var have []string
	for _, l := range want {
		if slices.Contains(installed, l) {
			have = append(have, l)
		}
	}
	if len(have) == 0 {
		return nil, fmt.Errorf("ocr: %w: %s has no data for %s", ErrNoOCR, p, strings.Join(want, ", "))
	}
	r.langs = strings.Join(have, "+")
	return r, nil
}

// dirPrefix begins the names of the recognitions' working directories, made in the
// temporary directory by stage.New (RemoveStale).
const dirPrefix = "chancery-ocr-"

// Languages returns the languages the reader recognises, as Tesseract names them ("eng+fra").
func (r *Reader) Languages() string { return r.langs }

// A Reading is what OCR read on a scan, or on a PDF's pages rendered.
type Reading struct {
	// Text is the text read, pages separated by form feeds. A PDF of more than MaxPages
	// pages has one page more, empty, after those read: it stands for the pages not read,
	// so that the text says that the file goes on (Unread), and keeps saying it when only
	// the text is sent on.
	Text string
	// Codes are the contents of the QR codes found on the pages (and decoded: their error
	// correction holds), in page order, each once a page: a code on every page (a released
	// letter's) is there once for each. Tesseract does not read them: they are painted out
	// first (cleanPage).
	Codes []string
	// CodesUnread says that a page was not searched for QR codes to the end, so that a code
	// on it may be missing from Codes: a TIFF or an image over 12 million pixels (not
	// searched), a page with more than four codes, or one drawn full of patterns that look
	// like a code's corners (the search was given up).
	CodesUnread bool
	// Links are the addresses of the PDF's link annotations (a /URI action), on every page,
	// each once, as pdfinfo reads them: where a reader who clicks on the page is taken,
	// which a forger can lay over a genuine footer.
	Links []string
}

// Unread reports whether text, a Reading's Text, is of more pages than OCR reads: the pages
// after the first MaxPages were not read, and what they show is not in it.
func Unread(text string) bool {
	return strings.Count(text, "\f") >= MaxPages
}

// Read reads data, a scan: an image (PNG, JPEG, TIFF) or a PDF whose pages are rasterised
// first (or, for a scanner's PDF of one image a page, whose images are read). The work stops
// with an error wrapping budget.ErrExceeded when ctx's deadline passes.
func (r *Reader) Read(ctx context.Context, data []byte) (Reading, error) {
	return r.read(ctx, data, false)
}

// ReadPages reads what the pages of data, a PDF, show when printed: each page rendered
// whole, whatever images, text or drawings make it up, and read. It is how a PDF's text
// layer, which need not be what its pages show, is checked against them. Errors are Read's.
func (r *Reader) ReadPages(ctx context.Context, data []byte) (Reading, error) {
	if Kind(data) != PDF {
		return Reading{}, fmt.Errorf("ocr: %w: not a PDF file", ErrOCR)
	}
	return r.read(ctx, data, true)
}

// read is Read; rendered says to render a PDF's pages whole, never to read its images alone.
func (r *Reader) read(ctx context.Context, data []byte, rendered bool) (Reading, error) {
	if err := budget.New(ctx).Check(); err != nil {
		return Reading{}, fmt.Errorf("ocr: %w", err)
	}
	kind := Kind(data)
	switch kind {
	case "":
		return Reading{}, fmt.Errorf("ocr: %w: not a PNG, JPEG, TIFF or PDF file", ErrOCR)
	case PDF:
		if r.pdftoppm == "" || r.pdfinfo == "" {
			return Reading{}, fmt.Errorf("ocr: %w: pdftoppm and pdfinfo are not both on the PATH, so PDF pages cannot be read", ErrNoOCR)
		}
	default:
		if err := checkImage(data); err != nil {
			return Reading{}, err
		}
	}
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		return Reading{}, fmt.Errorf("ocr: waiting for a free reader: %w", budget.New(ctx).Check())
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.timeout)
		defer cancel()
	}
	dir, release, err := stage.New(os.TempDir(), dirPrefix)
	if err != nil {
		return Reading{}, fmt.Errorf("ocr: %w", noPath(err))
	}
	defer release()
	in := filepath.Join(dir, "scan"+map[string]string{PNG: ".png", JPEG: ".jpg", TIFF: ".tif", PDF: ".pdf"}[kind])
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return Reading{}, fmt.Errorf("ocr: %w", noPath(err))
	}
	images := []string{in}
	var res Reading
	count := 1
	if kind == PDF {
		if count, err = r.pageCount(ctx, dir, in); err != nil {
			return Reading{}, err
		}
		if res.Links, err = r.links(ctx, dir, in); err != nil {
			return Reading{}, err
		}
	}
	switch {
	case kind == PDF && rendered:
		if images, err = r.rasterise(ctx, dir, in); err != nil {
			return Reading{}, err
		}
	case kind == PDF:
		if images, err = r.pageImages(ctx, dir, in, data); err != nil {
			return Reading{}, err
		}
	}
	cleaned := make([]string, 0, len(images))
	for _, img := range images {
		clean, codes, complete, err := cleanPage(ctx, dir, img)
		if err != nil {
			return Reading{}, r.fail(ctx, err)
		}
		res.Codes = append(res.Codes, appendNew(nil, codes...)...)
		res.CodesUnread = res.CodesUnread || !complete
		cleaned = append(cleaned, clean)
	}
	pages, err := r.recognise(ctx, dir, cleaned)
	if err != nil {
		return Reading{}, err
	}
	if count > MaxPages {
		pages = append(pages, "") // the pages not read (Reading.Text)
	}
	res.Text = strings.Join(pages, "\f")
	return res, nil
}

// recognise reads the text of the images at paths, the pages in order, with one Tesseract:
// each run loads its models for the reader's languages (about half a second of processor
// time for three), so a scan's pages are read by one run, given them as a list, which
// separates their texts with form feeds. The texts together are at most MaxText bytes.
func (r *Reader) recognise(ctx context.Context, dir string, paths []string) ([]string, error) {
	in := paths[0]
	if len(paths) > 1 {
		in = filepath.Join(dir, "pages.txt")
		if err := os.WriteFile(in, []byte(strings.Join(paths, "\n")+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("ocr: %w", noPath(err))
		}
	}
	out, err := run(ctx, dir, MaxText, r.tesseract, in, "stdout", "-l", r.langs, "--psm", "3")
	if err != nil {
		return nil, r.fail(ctx, err)
	}
	text := strings.ToValidUTF8(string(out), "\uFFFD")
	if len(paths) == 1 {
		// One file, which may be a TIFF of several pages: its text as Tesseract prints it.
		return []string{strings.TrimSpace(text)}, nil
	}
	pages := strings.Split(text, "\f")
	if len(pages) != len(paths) {
		return nil, fmt.Errorf("ocr: %w: tesseract read %d pages of %d", ErrOCR, len(pages), len(paths))
	}
	for i, p := range pages {
		pages[i] = strings.TrimSpace(p)
	}
	return pages, nil
}

// pageCount returns the number of pages of the PDF at in, as pdfinfo reads it.
func (r *Reader) pageCount(ctx context.Context, dir, in string) (int, error) {
	out, err := run(ctx, dir, 64<<10, r.pdfinfo, in)
	if err != nil {
		return 0, r.fail(ctx, err)
	}
	for line := range strings.Lines(string(out)) {
		if v, ok := strings.CutPrefix(line, "Pages:"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
				return n, nil
			}
		}
	}
	return 0, fmt.Errorf("ocr: %w: pdfinfo found no page count in the PDF", ErrOCR)
}

// Bounds on the links of a PDF (pdfinfo -url): a letter has a few, if any.
const (
	// MaxLinks is how many different addresses a PDF read may link to.
	MaxLinks = 256
	// maxLinksText bounds the output of pdfinfo -url.
	maxLinksText = 256 << 10
)

// links returns the addresses of the link annotations of the PDF at in (readLinks).
func (r *Reader) links(ctx context.Context, dir, in string) ([]string, error) {
	links, err := readLinks(ctx, dir, r.pdfinfo, in)
	switch {
	case errors.Is(err, ErrTooLarge):
		return nil, fmt.Errorf("ocr: %w", err)
	case err != nil:
		return nil, r.fail(ctx, err)
	}
	return links, nil
}

// readLinks returns the addresses of the link annotations of the PDF at in, each once, as
// pdfinfo (the program at prog) lists them with -url: a line "PAGE  TYPE  URL" for each. A
// line that does not start so continues the address above it: an address may hold a line
// break, which a browser drops, and must not be lost, nor its rest taken for an address of
// its own. A PDF that links to more than MaxLinks addresses is refused (ErrTooLarge).
func readLinks(ctx context.Context, dir, prog, in string) ([]string, error) {
	out, err := run(ctx, dir, maxLinksText, prog, "-url", in)
	if err != nil {
		return nil, err
	}
	return parseLinks(string(out))
}

// parseLinks returns the addresses pdfinfo -url printed as out, as readLinks does.
func parseLinks(out string) ([]string, error) {
	var links []string
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if i == 0 {
			continue // the header: Page  Type  URL
		}
		if url, ok := linkLine(line); ok {
			links = append(links, url)
		} else if n := len(links); n > 0 {
			links[n-1] += "\n" + line
		}
	}
	var each []string
	seen := map[string]bool{}
	for _, l := range links {
		l = strings.TrimSpace(strings.ToValidUTF8(l, "\uFFFD"))
		if !seen[l] {
			seen[l] = true
			each = append(each, l)
		}
	}
	if len(each) > MaxLinks {
		return nil, fmt.Errorf("%w: the PDF links to %d addresses, more than %d", ErrTooLarge, len(each), MaxLinks)
	}
	return each, nil
}

// linkLine returns the address on a line of pdfinfo -url's list, printed "%4d  %-12s  %s"
// (page, type, address), and whether line is one.
func linkLine(line string) (string, bool) {
	rest := strings.TrimLeft(line, " ")
	digits := len(rest) - len(strings.TrimLeft(rest, "0123456789"))
	if digits == 0 || !strings.HasPrefix(rest[digits:], "  ") {
		return "", false
	}
	rest = strings.TrimLeft(rest[digits:], " ")
	// The type is one or two words ("Annotation", "Widget annotation"), then two spaces.
	i := strings.Index(rest, "  ")
	if i <= 0 {
		return "", false
	}
	return rest[i+2:], true
}

// appendNew appends to list each of codes it does not hold yet.
func appendNew(list []string, codes ...string) []string {
	for _, c := range codes {
		if !slices.Contains(list, c) {
			list = append(list, c)
		}
	}
	return list
}

// pageImages returns the scanner's own images when every page read of the PDF at in (data)
// shows one image and nothing else (what a scanner writes: pdf.PicturesOnly), so that OCR
// reads the scanned pixels rather than a second resampling of them, which costs it
// characters; any other PDF is rasterised, since its pages show more than their images (a
// white box, words or strokes drawn over the picture, a page without one). An image larger
// than MaxPixels is refused as a direct upload would be.
func (r *Reader) pageImages(ctx context.Context, dir, in string, data []byte) ([]string, error) {
	if r.pdfimages == "" {
		return r.rasterise(ctx, dir, in)
	}
	if only, err := pdf.PicturesOnly(ctx, data, MaxPages); err != nil || !only {
		return r.rasterise(ctx, dir, in)
	}
	list, err := run(ctx, dir, 256<<10, r.pdfimages, "-list", "-f", "1", "-l", fmt.Sprint(MaxPages), in)
	if err != nil {
		return r.rasterise(ctx, dir, in)
	}
	perPage := map[string]int{}
	for line := range strings.Lines(string(list)) {
		f := strings.Fields(line)
		// page num type width height …; the two header lines and masks are skipped here.
		if len(f) < 5 || f[2] != "image" {
			continue
		}
		w, errW := strconv.Atoi(f[3])
		h, errH := strconv.Atoi(f[4])
		if errW != nil || errH != nil || w <= 0 || h <= 0 {
			return r.rasterise(ctx, dir, in)
		}
		if int64(w)*int64(h) > MaxPixels {
			return nil, fmt.Errorf("ocr: %w: an image in the PDF has %d×%d pixels, more than %d", ErrTooLarge, w, h, MaxPixels)
		}
		perPage[f[0]]++
	}
	if len(perPage) == 0 {
		return r.rasterise(ctx, dir, in)
	}
	for _, n := range perPage {
		if n != 1 {
			return r.rasterise(ctx, dir, in)
		}
	}
	if _, err := run(ctx, dir, 64<<10, r.pdfimages, "-png", "-f", "1", "-l", fmt.Sprint(MaxPages), in, filepath.Join(dir, "img")); err != nil {
		return nil, r.fail(ctx, err)
	}
	images, err := filepath.Glob(filepath.Join(dir, "img-*.png"))
	if err != nil || len(images) != len(perPage) {
		return r.rasterise(ctx, dir, in)
	}
	// pdfimages numbers images in page order with three digits or more: names sort in order.
	slices.Sort(images)
	return images, nil
}

// rasterise renders the first MaxPages pages of the PDF at in as grey PNG images, and returns
// their paths in page order.
func (r *Reader) rasterise(ctx context.Context, dir, in string) ([]string, error) {
	if _, err := run(ctx, dir, 64<<10, r.pdftoppm, pdftoppmArgs(in, filepath.Join(dir, "page"))...); err != nil {
		return nil, r.fail(ctx, err)
	}
	pages, err := filepath.Glob(filepath.Join(dir, "page*.png"))
	if err != nil || len(pages) == 0 {
		return nil, fmt.Errorf("ocr: %w: the PDF has no page pdftoppm could render", ErrOCR)
	}
	// pdftoppm pads page numbers to the width of the last one: names sort in page order.
	slices.Sort(pages)
	return pages, nil
}

// maxPageSide is the most pixels a rasterised page has across and down: a square page of
// that side has MaxPixels.
const maxPageSide = 6324

// pdftoppmArgs are pdftoppm's arguments to render the first MaxPages pages of the PDF at in
// as grey PNG images named after out, at PDFResolution, each page cut to its first
// maxPageSide pixels across and down. A page's size is whatever the file declares: a PDF of
// a few hundred bytes may declare a page of 200 by 200 inches, 1.6 billion pixels at 200
// dpi, which pdftoppm would hold in memory whole (3 GB) and write to disk. With -W and -H it
// renders only that part of such a page; a letter's page is far smaller, and whole.
func pdftoppmArgs(in, out string) []string {
	side := fmt.Sprint(maxPageSide)
	return []string{"-r", fmt.Sprint(PDFResolution), "-gray", "-png", "-W", side, "-H", side,
		"-f", "1", "-l", fmt.Sprint(MaxPages), in, out}
}

// fail describes an error of a child: the time budget's when the context ended it. A
// child's diagnostics stay out of its text (ChildError).
func (r *Reader) fail(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("ocr: reading the scan took too long: %w", budget.New(ctx).Check())
	}
	return fmt.Errorf("ocr: %w: %w", ErrOCR, err)
}

// A ChildError is the failure of a program OCR runs: Tesseract, or one of poppler's. Its
// text names the program and how it ended ("pdfinfo: exit status 1"), which may be shown
// to whoever sent the scan; what the program printed on its standard error is not in it but
// in Stderr, for the operator's log alone: it names the temporary files the program read
// and wrote, and says what the program made of the upload (poppler's "Syntax Error: Couldn't
// read xref table").
type ChildError struct {
	// Program is the program's name, without its directory.
	Program string
	// Err is how it ended: an *exec.ExitError, or why it could not be started (which may
	// name its temporary directory).
	Err error
	// Stderr is what it printed on its standard error, its first 4 KiB.
	Stderr string
}

func (e *ChildError) Error() string {
	var exit *exec.ExitError
	if errors.As(e.Err, &exit) {
		return e.Program + ": " + exit.String()
	}
	return e.Program + ": could not be started"
}

func (e *ChildError) Unwrap() error { return e.Err }

// noPath returns err, a temporary file's or directory's, without the path an *fs.PathError
// names in it (which says nothing to whoever sent the scan, and something of the server),
// keeping what was done and why it failed.
func noPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("a temporary file: %s: %w", pe.Op, pe.Err)
	}
	return err
}

// checkImage reads the image's header and refuses one over MaxPixels, or one Go cannot
// parse the header of (Tesseract's decoders are not given what Go's refuse).
func checkImage(data []byte) error {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("ocr: %w: %v", ErrOCR, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return fmt.Errorf("ocr: %w: %d×%d pixels, more than %d", ErrTooLarge, cfg.Width, cfg.Height, MaxPixels)
	}
	switch Kind(data) {
	case TIFF:
		return checkTIFFPages(data)
	case JPEG:
		if n := bytes.Count(data, []byte{0xff, 0xda}); n > MaxJPEGScans {
			return fmt.Errorf("ocr: %w: a JPEG of more than %d scans", ErrTooLarge, MaxJPEGScans)
		}
	}
	return nil
}

// MaxJPEGScans bounds the scans of a JPEG: Go's decoder, which blanks the QR codes of a scan
// before Tesseract reads it and cannot be stopped at the time budget, passes over every
// block of the image once per scan, and a scan of empty bands takes a few bytes (a file of
// 75 KB and 2,000 scans took 30 s). Encoders write at most a few dozen. Every scan starts
// with the marker 0xff 0xda, which the coded data never holds (a 0xff there is followed by
// 0x00 or a restart marker), so counting those bytes counts no fewer scans than the decoder
// reads.
const MaxJPEGScans = 64

// checkTIFFPages checks the header of every page of a TIFF: Tesseract reads them all, and
// Go's decoder reads only the first, so a small first page could hide a page of a billion
// pixels behind it. A TIFF of more than MaxPages pages (or whose pages loop), with a page
// over MaxPixels or without its size, or whose pages are not where it says, is refused.
func checkTIFFPages(data []byte) error {
	var order binary.ByteOrder = binary.LittleEndian
	if data[0] == 'M' {
		order = binary.BigEndian
	}
	bad := func(why string) error { return fmt.Errorf("ocr: %w: TIFF: %s", ErrOCR, why) }
	if len(data) < 8 {
		return bad("no first page")
	}
	off := int64(order.Uint32(data[4:]))
	for page := 1; off != 0; page++ {
		if page > MaxPages {
			return fmt.Errorf("ocr: %w: a TIFF of more than %d pages", ErrTooLarge, MaxPages)
		}
		if off < 8 || off+2 > int64(len(data)) {
			return bad(fmt.Sprintf("page %d is outside the file", page))
		}
		n := int64(order.Uint16(data[off:]))
		end := off + 2 + 12*n
		if end+4 > int64(len(data)) {
			return bad(fmt.Sprintf("page %d is outside the file", page))
		}
		// libtiff, which Tesseract reads with, takes the first of a tag given twice and reads
		// a size of other types than SHORT and LONG: a page whose size is given twice, or
		// otherwise than as one SHORT or LONG, could show this check one size and
		// Tesseract another, and is refused.
		var w, h int64
		seen := map[uint16]bool{}
		for e := off + 2; e < end; e += 12 {
			tag := order.Uint16(data[e:])
			if tag != 256 && tag != 257 {
				continue
			}
			if seen[tag] {
				return bad(fmt.Sprintf("page %d gives its size twice", page))
			}
			seen[tag] = true
			var v int64
			switch typ, count := order.Uint16(data[e+2:]), order.Uint32(data[e+4:]); {
			case count != 1:
				return bad(fmt.Sprintf("page %d gives its size as %d values", page, count))
			case typ == 3: // SHORT
				v = int64(order.Uint16(data[e+8:]))
			case typ == 4: // LONG
				v = int64(order.Uint32(data[e+8:]))
			default:
				return bad(fmt.Sprintf("page %d gives its size as type %d", page, typ))
			}
			if tag == 256 {
				w = v
			} else {
				h = v
			}
		}
		if w <= 0 || h <= 0 || w*h > MaxPixels {
			return fmt.Errorf("ocr: %w: page %d of the TIFF has %d×%d pixels; at most %d", ErrTooLarge, page, w, h, MaxPixels)
		}
		// A loop of pages reads as endless pages, past MaxPages.
		off = int64(order.Uint32(data[end:]))
	}
	return nil
}

// Hide makes the OCR programs this process runs unable to read the files and directories at
// paths (the office's data directory, with its keys, tokens and database), where the system
// allows it (nonet.Confined): they read untrusted uploads, and one taken over could read
// whatever the server can.
func Hide(paths ...string) {
	hiddenPaths.Lock()
	defer hiddenPaths.Unlock()
	hiddenPaths.list = append(hiddenPaths.list, paths...)
}

var hiddenPaths struct {
	sync.Mutex
	list []string
}

// isolateFiles is nonet.IsolateFiles, but for tests whose programs record what they do
// outside their directory.
var isolateFiles = nonet.IsolateFiles

func hidden() []string {
	hiddenPaths.Lock()
	defer hiddenPaths.Unlock()
	return slices.Clone(hiddenPaths.list)
}

// run runs program with args in dir, in a process group of its own that is killed when ctx
// ends and without a network where the system allows (package nonet), and returns its
// standard output; past limit bytes of it, the child is killed and run fails. A child that
// fails is a *ChildError, which keeps what it printed on its standard error.
func run(ctx context.Context, dir string, limit int, program string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, program, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// The programs read untrusted images and PDFs: without a network, whatever they are made
	// to do reaches nothing; and, where the system allows it, seeing none of the paths given
	// to Hide, with nowhere to write but dir.
	keep := nonet.ProgramDirs(program)
	if p := os.Getenv("TESSDATA_PREFIX"); p != "" {
		keep = append(keep, p)
	}
	isolateFiles(cmd, nonet.Files{Hide: hidden(), Writable: []string{dir}, Keep: keep})
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	// One thread: recognitions are already run side by side, on a shared machine.
	cmd.Env = []string{"HOME=" + dir, "TMPDIR=" + dir, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "OMP_THREAD_LIMIT=1"}
	if p := os.Getenv("TESSDATA_PREFIX"); p != "" {
		cmd.Env = append(cmd.Env, "TESSDATA_PREFIX="+p)
	}
	out := &capped{limit: limit}
	stderr := &capped{limit: 4 << 10, truncate: true}
	cmd.Stdout, cmd.Stderr = out, stderr
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	switch {
	case out.over:
		return nil, fmt.Errorf("%s printed more than %d bytes", filepath.Base(program), limit)
	case err != nil:
		return nil, &ChildError{Program: filepath.Base(program), Err: err, Stderr: strings.TrimSpace(stderr.b.String())}
	}
	// What the program left is read in the server's file system: not through a link it made
	// to a file it could not see itself, nor from a pipe or a device.
	if err := nonet.RemoveLinks(dir); err != nil {
		return nil, fmt.Errorf("ocr: %w", err)
	}
	return out.b.Bytes(), nil
}

// capped keeps at most limit bytes written to it; past that, writes fail, which ends the
// child's output (and, through the broken pipe, the child), or with truncate are dropped (for
// diagnostics, whose end matters less than the child's completion).
type capped struct {
	b        bytes.Buffer
	limit    int
	over     bool
	truncate bool
}

func (c *capped) Write(p []byte) (int, error) {
	if c.truncate && c.b.Len()+len(p) > c.limit {
		c.b.Write(p[:max(0, c.limit-c.b.Len())])
		return len(p), nil
	}
	if c.b.Len()+len(p) > c.limit {
		c.over = true
		c.b.Write(p[:max(0, c.limit-c.b.Len())])
		return 0, errors.New("output over its limit")
	}
	return c.b.Write(p)
}
