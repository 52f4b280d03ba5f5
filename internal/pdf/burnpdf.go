package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	_ "image/png" // pdfcpu gives most pictures back as PNG
	"io"
	"slices"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	_ "golang.org/x/image/tiff" // and CMYK pictures as TIFF
)

// ErrUnmarkable is wrapped by errors about a PDF holding a picture large enough to show a
// page's content in a form the copy's marks cannot be drawn into (JPEG 2000, JBIG2): a copy
// would carry that picture unmarked, so none is made.
var ErrUnmarkable = errors.New("picture cannot be marked")

// A copy's marks are drawn into a picture of at least burnMinSide² pixels whose short side is
// at least burnMinStrip: a smaller picture cannot show a page's words legibly (a bullet, a
// rule, a seal's detail), and marking it would only deface the page. A strip of a few dozen
// rows across the page can: scanners and printer drivers write pages as strips one under the
// other, which `pdfimages` takes out in order and which, put together, are the page.
const (
	burnMinSide  = 48
	burnMinStrip = 8
)

// burnable reports whether a picture of w×h pixels gets a copy's marks.
func burnable(w, h int) bool {
	return min(w, h) >= burnMinStrip && w >= (burnMinSide*burnMinSide+h-1)/h // w×h ≥ burnMinSide², without overflow
}

// burnImages draws b into the pixels of every picture in ctx that could show a page's content
// (burnable): the marks a copy draws over its pages are separate from its pictures, and
// `pdfimages` takes a scanned page out of a copy without them. Pictures are found in the whole
// object table, so those drawn by forms, patterns and annotations' appearances are marked
// too, and so are the masks of pictures (their /SMask and /Mask): `pdfimages` takes those out
// too, and a scanner's compact PDF keeps a page's text in a mask over a picture that is a
// mere colour. Inline images (BI … EI inside content streams) are marked by
// burnInlineImages. A picture whose samples cannot be decoded here fails with ErrUnmarkable.
func burnImages(ctx *model.Context, b Burned) error {
	var budget pixelBudget
	if err := burnInlineImages(ctx, b, &budget); err != nil {
		return err
	}
	softMasks := map[int]bool{}
	var images []int
	for nr, e := range ctx.Table {
		if e == nil || e.Free {
			continue
		}
		sd, ok := e.Object.(types.StreamDict)
		if !ok || sd.Dict.NameEntry("Subtype") == nil || *sd.Dict.NameEntry("Subtype") != "Image" {
			continue
		}
		images = append(images, nr)
		if ref, ok := sd.Dict["SMask"].(types.IndirectRef); ok {
			softMasks[ref.ObjectNumber.Value()] = true
		}
	}
	slices.Sort(images)
	for _, nr := range images {
		e := ctx.Table[nr]
		sd := e.Object.(types.StreamDict)
		w, h, err := imageSize(ctx, sd.Dict)
		if err != nil {
			return fmt.Errorf("%w: picture %d: %v", ErrInvalid, nr, err)
		}
		if !burnable(w, h) {
			continue
		}
		if err := budget.take(w, h); err != nil {
			return fmt.Errorf("picture %d: %w", nr, err)
		}
		burn := burnSamples
		if softMasks[nr] {
			burn = burnSoftMask
		}
		marked, err := burn(ctx, sd, nr, w, h, b)
		if err != nil {
			return fmt.Errorf("picture %d: %w", nr, err)
		}
		e.Object = marked
	}
	return nil
}

// pixelBudget counts the pixels a copy decodes to draw its marks into its pictures.
type pixelBudget int

// take counts a picture of w×h pixels, and fails with ErrTooLarge beyond MaxImagePixels for
// one picture or MaxImagePixelsTotal in all.
func (t *pixelBudget) take(w, h int) error {
	if w > MaxImagePixels/h {
		return fmt.Errorf("%w: %d×%d pixels, more than %d", ErrTooLarge, w, h, MaxImagePixels)
	}
	if *t += pixelBudget(w * h); *t > MaxImagePixelsTotal {
		return fmt.Errorf("%w: the pictures have more than %d pixels in all", ErrTooLarge, MaxImagePixelsTotal)
	}
	return nil
}

// burnSamples returns the picture sd, of w×h pixels, with b drawn into its samples.
func burnSamples(ctx *model.Context, sd types.StreamDict, nr, w, h int, b Burned) (types.StreamDict, error) {
	if m := sd.Dict.BooleanEntry("ImageMask"); m != nil && *m {
		return burnStencil(sd, w, h, b)
	}
	return burnPicture(ctx, sd, nr, w, h, b)
}

// imageSize returns the /Width and /Height of an image dictionary, direct or not.
func imageSize(ctx *model.Context, d types.Dict) (w, h int, err error) {
	for _, f := range []struct {
		key string
		to  *int
	}{{"Width", &w}, {"Height", &h}} {
		o, ok := d.Find(f.key)
		if !ok {
			return 0, 0, fmt.Errorf("no /%s", f.key)
		}
		i, err := ctx.DereferenceInteger(o)
		if err != nil || i == nil || i.Value() <= 0 {
			return 0, 0, fmt.Errorf("bad /%s", f.key)
		}
		*f.to = i.Value()
	}
	return w, h, nil
}

// burnPicture returns the picture sd with b drawn into it, as 8-bit RGB: JPEG-compressed if sd
// was a JPEG (a scan keeps about its size), Flate-compressed otherwise. Its soft mask, if
// any, still applies; a colour-key or stencil /Mask is dropped (it would apply to the old
// samples' values).
func burnPicture(ctx *model.Context, sd types.StreamDict, nr, w, h int, b Burned) (types.StreamDict, error) {
	img, jpg, err := decodePicture(ctx, sd, nr, w, h)
	if err != nil {
		return types.StreamDict{}, err
	}
	burned := b.burn(img)
	d := types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
		"Width": types.Integer(w), "Height": types.Integer(h),
		"ColorSpace": types.Name("DeviceRGB"), "BitsPerComponent": types.Integer(8),
	}
	if sm, ok := sd.Dict["SMask"]; ok {
		d["SMask"] = sm
	}
	if jpg {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, burned, &jpeg.Options{Quality: 85}); err != nil {
			return types.StreamDict{}, err
		}
		d["Filter"] = types.Name(filter.DCT)
		return types.StreamDict{Dict: d, Raw: buf.Bytes(), FilterPipeline: []types.PDFFilter{{Name: filter.DCT}}}, nil
	}
	d["Filter"] = types.Name(filter.Flate)
	out := types.StreamDict{Dict: d, Content: flatten(burned), FilterPipeline: []types.PDFFilter{{Name: filter.Flate}}}
	return out, out.Encode()
}

// burnSoftMask returns the soft mask sd, of w×h pixels, with b drawn into it as into a
// stencil (burnStencil): its opacity read as ink on white, the marks composed over it, and
// the result read back as opacity, 8-bit gray, so that the marks show in the masked
// picture's colours on the page and in the mask taken out of the copy.
func burnSoftMask(ctx *model.Context, sd types.StreamDict, nr, w, h int, b Burned) (types.StreamDict, error) {
	img, _, err := decodePicture(ctx, sd, nr, w, h)
	if err != nil {
		return types.StreamDict{}, err
	}
	ink := image.NewGray(image.Rect(0, 0, w, h))
	o := img.Bounds().Min
	for y := range h {
		for x := range w {
			ink.Pix[y*ink.Stride+x] = 255 - color.GrayModel.Convert(img.At(o.X+x, o.Y+y)).(color.Gray).Y
		}
	}
	burned := b.burn(ink)
	alpha := make([]byte, w*h)
	for y := range h {
		for x := range w {
			alpha[y*w+x] = 255 - color.GrayModel.Convert(burned.RGBAAt(x, y)).(color.Gray).Y
		}
	}
	d := types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
		"Width": types.Integer(w), "Height": types.Integer(h),
		"ColorSpace": types.Name("DeviceGray"), "BitsPerComponent": types.Integer(8),
		"Filter": types.Name(filter.Flate),
	}
	if m, ok := sd.Dict["Matte"]; ok {
		d["Matte"] = m
	}
	out := types.StreamDict{Dict: d, Content: alpha, FilterPipeline: []types.PDFFilter{{Name: filter.Flate}}}
	return out, out.Encode()
}

// decodePicture returns the samples of the picture sd, of w×h pixels, and whether it was a
// JPEG; one it cannot decode fails with ErrUnmarkable.
func decodePicture(ctx *model.Context, sd types.StreamDict, nr, w, h int) (image.Image, bool, error) {
	if n := len(sd.FilterPipeline); n > 0 && (sd.FilterPipeline[n-1].Name == filter.ASCIIHex || sd.FilterPipeline[n-1].Name == filter.ASCII85) {
		// pdfcpu decodes a picture only when its last filter is a compression: samples
		// written in ASCII (common in inline images) are decoded here first.
		if err := sd.Decode(); err != nil {
			return nil, false, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		d := types.Dict{}
		for k, v := range sd.Dict {
			if k != "Filter" && k != "DecodeParms" {
				d[k] = v
			}
		}
		sd = types.StreamDict{Dict: d, Raw: sd.Content}
	}
	pic, err := pdfcpu.ExtractImage(ctx, &sd, false, "", nr, false)
	switch {
	case errors.Is(err, pdfcpu.ErrUnsupportedResource):
		return nil, false, fmt.Errorf("%w: %v", ErrUnmarkable, err)
	case err != nil:
		return nil, false, fmt.Errorf("%w: %v", ErrInvalid, err)
	case pic == nil:
		return nil, false, fmt.Errorf("%w: no samples", ErrUnmarkable)
	case pic.FileType == "jpx" || pic.FileType == "jbig2":
		return nil, false, fmt.Errorf("%w: %s compression", ErrUnmarkable, map[string]string{"jpx": "JPEG 2000", "jbig2": "JBIG2"}[pic.FileType])
	}
	data, err := io.ReadAll(pic.Reader)
	if err != nil {
		return nil, false, err
	}
	if n := bytes.Count(data, []byte{0xff, 0xda}); pic.FileType == "jpg" && n > MaxJPEGScans {
		return nil, false, fmt.Errorf("%w: a JPEG of more than %d scans", ErrTooLarge, MaxJPEGScans)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, false, fmt.Errorf("%w: %v", ErrUnmarkable, err)
	}
	if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		return nil, false, fmt.Errorf("%w: decoded as %d×%d pixels, its dictionary says %d×%d", ErrInvalid, img.Bounds().Dx(), img.Bounds().Dy(), w, h)
	}
	return img, pic.FileType == "jpg" || isDCT(sd), nil
}

func isDCT(sd types.StreamDict) bool {
	n := len(sd.FilterPipeline)
	return n > 0 && sd.FilterPipeline[n-1].Name == filter.DCT
}

// burnStencil returns the stencil mask sd (1 bit a sample, painted in the page's fill colour)
// with b drawn into it: the marks are composed over the stencil as on a picture, black on
// white, and the result is dithered back to one bit (a 4×4 ordered dither), so that the
// translucent banner becomes a screen of dots through which the page's own marks still read.
func burnStencil(sd types.StreamDict, w, h int, b Burned) (types.StreamDict, error) {
	// pdfcpu passes JBIG2 and JPEG 2000 data through undecoded, which would read as samples.
	if n := len(sd.FilterPipeline); n > 0 {
		switch sd.FilterPipeline[n-1].Name {
		case filter.JBIG2:
			return types.StreamDict{}, fmt.Errorf("%w: JBIG2 compression", ErrUnmarkable)
		case filter.JPX:
			return types.StreamDict{}, fmt.Errorf("%w: JPEG 2000 compression", ErrUnmarkable)
		}
	}
	if err := sd.Decode(); errors.Is(err, filter.ErrUnsupportedFilter) {
		return types.StreamDict{}, fmt.Errorf("%w: %v", ErrUnmarkable, err)
	} else if err != nil {
		return types.StreamDict{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	row := (w + 7) / 8
	if len(sd.Content) < row*h {
		return types.StreamDict{}, fmt.Errorf("%w: stencil of %d bytes, %d expected", ErrInvalid, len(sd.Content), row*h)
	}
	// By default a sample of 0 paints; /Decode [1 0] makes 1 paint.
	paint := byte(0)
	if dec := sd.Dict.ArrayEntry("Decode"); len(dec) == 2 {
		if v, ok := dec[0].(types.Integer); ok && v == 1 {
			paint = 1
		}
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			bit := sd.Content[y*row+x/8] >> (7 - x%8) & 1
			if bit != paint {
				g.Pix[y*g.Stride+x] = 255
			}
		}
	}
	burned := b.burn(g)
	out := make([]byte, row*h)
	for y := range h {
		for x := range w {
			c := color.GrayModel.Convert(burned.RGBAAt(x, y)).(color.Gray)
			if int(c.Y) >= bayer4[y%4][x%4] {
				out[y*row+x/8] |= 1 << (7 - x%8) // 1: not painted
			}
		}
	}
	d := types.Dict{
		"Type": types.Name("XObject"), "Subtype": types.Name("Image"),
		"Width": types.Integer(w), "Height": types.Integer(h),
		"ImageMask": types.Boolean(true), "BitsPerComponent": types.Integer(1),
		"Filter": types.Name(filter.Flate),
	}
	s := types.StreamDict{Dict: d, Content: out, FilterPipeline: []types.PDFFilter{{Name: filter.Flate}}}
	return s, s.Encode()
}

// bayer4 is the 4×4 ordered-dither threshold matrix, scaled to gray levels 8 to 248: a gray
// level paints the fraction of a 4×4 cell below it.
var bayer4 = [4][4]int{
	{8, 136, 40, 168},
	{200, 72, 232, 104},
	{56, 184, 24, 152},
	{248, 120, 216, 88},
}
