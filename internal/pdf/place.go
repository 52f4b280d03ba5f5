package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/gif" // decoders for image.Decode
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Bounds on one image upload as a whole: a TIFF holds a whole scanned file, one image a page.
// The pixel budget is some 69 pages of an A4 scan at 300 dpi (8.7 megapixels each); placing
// such a page took 0.5 to 0.8 s on one core (BenchmarkRenderImageScan), so a release, a draft
// copy or a preview of the largest upload takes under a minute.
const (
	MaxImagePages       = 200
	MaxImagePixelsTotal = 600_000_000
)

// imagePage is one image of an upload: its bytes as a decoder reads them.
type imagePage struct {
	r    io.ReaderAt
	size int64
}

func (p imagePage) reader() *io.SectionReader { return io.NewSectionReader(p.r, 0, p.size) }

// imagePages splits an image upload into its pages: every image of a TIFF, or the one image of
// the other formats. It refuses a JPEG of more than MaxJPEGScans scans.
func imagePages(mediaType string, data []byte) ([]imagePage, error) {
	switch mediaType {
	case "image/tiff":
		return tiffPages(data)
	case "image/jpeg":
		// Every scan starts with the bytes 0xff 0xda, which coded data never holds.
		if n := bytes.Count(data, []byte{0xff, 0xda}); n > MaxJPEGScans {
			return nil, fmt.Errorf("%w: a JPEG of more than %d scans", ErrTooLarge, MaxJPEGScans)
		}
	}
	return []imagePage{{bytes.NewReader(data), int64(len(data))}}, nil
}

// MaxJPEGScans bounds the scans of a JPEG decoded to burn marks into it: Go's decoder passes
// over every block of the image once per scan, and a scan of empty bands takes a few bytes (a
// file of 75 KB and 2,000 scans took 30 s). Encoders write at most a few dozen.
const MaxJPEGScans = 64

// tiffPages returns a page per image file directory of a TIFF. Decoders read only a TIFF's
// first directory, the one its header points to; each page is the file seen through a header
// pointing to that page's directory instead. Offsets in a TIFF are from the start of the file,
// so nothing else changes, and no page is a copy of the file.
func tiffPages(data []byte) ([]imagePage, error) {
	if len(data) < 8 {
		return nil, errors.New("tiff: truncated header")
	}
	var bo binary.ByteOrder
	switch string(data[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return nil, errors.New("tiff: not a TIFF header (BigTIFF is not read)")
	}
	var pages []imagePage
	seen := map[uint32]bool{}
	for off := bo.Uint32(data[4:8]); off != 0; {
		if seen[off] {
			return nil, errors.New("tiff: the directories form a loop")
		}
		seen[off] = true
		if len(pages) == MaxImagePages {
			return nil, fmt.Errorf("%w: a TIFF of more than %d pages", ErrTooLarge, MaxImagePages)
		}
		if uint64(off)+2 > uint64(len(data)) {
			return nil, fmt.Errorf("tiff: directory %d at offset %d is outside the file", len(pages)+1, off)
		}
		next := uint64(off) + 2 + 12*uint64(bo.Uint16(data[off:]))
		if next+4 > uint64(len(data)) {
			return nil, fmt.Errorf("tiff: directory %d at offset %d is outside the file", len(pages)+1, off)
		}
		h := &tiffPage{data: data}
		copy(h.head[:], data[:4])
		bo.PutUint32(h.head[4:], off)
		pages = append(pages, imagePage{h, int64(len(data))})
		off = bo.Uint32(data[next:])
	}
	if len(pages) == 0 {
		return nil, errors.New("tiff: no image")
	}
	return pages, nil
}

// tiffPage reads a TIFF with its first 8 bytes (the header) replaced by head.
type tiffPage struct {
	head [8]byte
	data []byte
}

func (t *tiffPage) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("tiff: negative offset")
	}
	if off >= int64(len(t.data)) {
		return 0, io.EOF
	}
	n := copy(p, t.data[off:])
	if off < int64(len(t.head)) {
		copy(p, t.head[off:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// imageConfig reads the size of a page without decoding it, and refuses one that is not of
// mediaType or larger than MaxImagePixels.
func imageConfig(mediaType string, p imagePage) (image.Config, error) {
	cfg, format, err := image.DecodeConfig(p.reader())
	if err != nil {
		return cfg, err
	}
	if "image/"+format != mediaType {
		return cfg, fmt.Errorf("the content is %s, not %s", format, mediaType)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImagePixels/cfg.Height {
		return cfg, fmt.Errorf("%w: %d×%d pixels is more than %d", ErrTooLarge, cfg.Width, cfg.Height, MaxImagePixels)
	}
	return cfg, nil
}

// CheckImage reads the headers of an image upload (every page of a TIFF) without decoding its
// pixels, and refuses one RenderImage would refuse for its type, page count or size. An image
// that passes may still have damaged pixel data, which only RenderImage finds.
func CheckImage(mediaType string, data []byte) error {
	if !ImageTypes[mediaType] {
		return fmt.Errorf("check image: unsupported media type %q", mediaType)
	}
	pages, err := imagePages(mediaType, data)
	if err != nil {
		return fmt.Errorf("check image: %w", err)
	}
	total := 0
	for i, p := range pages {
		cfg, err := imageConfig(mediaType, p)
		if err != nil {
			return fmt.Errorf("check image: page %d: %w", i+1, err)
		}
		if total += cfg.Width * cfg.Height; total > MaxImagePixelsTotal {
			return fmt.Errorf("check image: %w: more than %d pixels in all", ErrTooLarge, MaxImagePixelsTotal)
		}
	}
	return nil
}

// placeImages lays out every page of an image upload on an A4 page of its own, scaled to fit
// the margins with its aspect ratio kept, centred across the page and from the top margin down.
// The bottom margin leaves room for the footer Stamp adds. The output is deterministic.
func placeImages(mediaType string, data []byte, h Letterhead) ([]byte, error) {
	pages, err := imagePages(mediaType, data)
	if err != nil {
		return nil, err
	}
	d := newDoc(pageW, pageH)
	d.title, d.author, d.date = h.Subject, h.Office, h.Date.UTC()
	if h.Date.IsZero() {
		d.date = undatedEpoch
	}
	left, right := marginLeft*ptPerMM, (pageW-marginRight)*ptPerMM
	top, bottom := marginTop*ptPerMM, (pageH-marginBottom)*ptPerMM
	total := 0
	for i, p := range pages {
		cfg, err := imageConfig(mediaType, p)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		if total += cfg.Width * cfg.Height; total > MaxImagePixelsTotal {
			return nil, fmt.Errorf("%w: more than %d pixels in all", ErrTooLarge, MaxImagePixelsTotal)
		}
		im, err := imageObject(mediaType, cfg, p)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", i+1, err)
		}
		d.images = append(d.images, im)
		maxW, maxH := right-left, bottom-top
		w, hgt := maxW, maxW*float64(cfg.Height)/float64(cfg.Width)
		if hgt > maxH {
			w, hgt = maxH*float64(cfg.Width)/float64(cfg.Height), maxH
		}
		fmt.Fprintf(d.addPage(), "q %s 0 0 %s %s %s cm /Im%d Do Q\n", num(w), num(hgt), num(left+(maxW-w)/2), num(d.h-top-hgt), len(d.images)-1)
	}
	out := d.output(nil)
	if len(out) > MaxBytes {
		return nil, fmt.Errorf("%w: the placed images take %d bytes, more than %d", ErrTooLarge, len(out), MaxBytes)
	}
	return out, nil
}

// imageObject makes the image XObject of a page. A JPEG is embedded as it is; the other
// formats are decoded, flattened on white and embedded as 8-bit gray (a gray or black and white
// scan) or RGB samples, which every PDF reader shows.
func imageObject(mediaType string, cfg image.Config, p imagePage) (docImage, error) {
	if mediaType == "image/jpeg" {
		data := make([]byte, p.size)
		if _, err := p.r.ReadAt(data, 0); err != nil && err != io.EOF {
			return docImage{}, err
		}
		space, decode := "/DeviceRGB", ""
		switch cfg.ColorModel {
		case color.GrayModel:
			space = "/DeviceGray"
		case color.CMYKModel:
			// Adobe's CMYK JPEGs store inverted components.
			space, decode = "/DeviceCMYK", " /Decode [1 0 1 0 1 0 1 0]"
		}
		return docImage{dict: fmt.Sprintf(" /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode%s", cfg.Width, cfg.Height, space, decode), data: data}, nil
	}
	img, _, err := image.Decode(p.reader())
	if err != nil {
		return docImage{}, err
	}
	b := img.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return docImage{}, fmt.Errorf("the image is %d×%d pixels, its header says %d×%d", b.Dx(), b.Dy(), cfg.Width, cfg.Height)
	}
	var space string
	var samples []byte
	switch g, ok := img.(*image.Gray); {
	case ok:
		space, samples = "/DeviceGray", grayRows(g)
	case img.ColorModel() == color.Gray16Model:
		g := image.NewGray(b)
		draw.Draw(g, b, img, b.Min, draw.Src)
		space, samples = "/DeviceGray", g.Pix
	default:
		space, samples = "/DeviceRGB", flatten(img)
	}
	return docImage{dict: fmt.Sprintf(" /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /FlateDecode", cfg.Width, cfg.Height, space), data: deflate(samples)}, nil
}

// grayRows returns the samples of g row by row, without the padding of a sub-image's stride.
func grayRows(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if g.Stride == w {
		return g.Pix[:w*h]
	}
	out := make([]byte, 0, w*h)
	for y := range h {
		out = append(out, g.Pix[y*g.Stride:y*g.Stride+w]...)
	}
	return out
}

// flatten returns the pixels of img composed on white, as 8-bit RGB samples row by row.
func flatten(img image.Image) []byte {
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(rgba, b, img, b.Min, draw.Over)
	out := make([]byte, 0, b.Dx()*b.Dy()*3)
	for i := 0; i < len(rgba.Pix); i += 4 {
		out = append(out, rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2])
	}
	return out
}
