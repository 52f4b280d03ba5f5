package pdf

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	_ "image/jpeg" // for image.DecodeConfig
	"image/png"

	"github.com/go-pdf/fpdf"
)

// MaxImagePixels bounds the images RenderImage places: a page holds no more than a 600 dpi
// A4 scan, and decoding a larger image would cost memory in proportion.
const MaxImagePixels = 40_000_000

// ImageTypes are the media types RenderImage places on a page.
var ImageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true}

// RenderImage lays out an image (a scan, a photograph) on an A4 letterhead, below the
// letterhead's heading, scaled to fit the rest of the first page. mediaType is one of
// ImageTypes. A JPEG is embedded as it is; PNG and GIF images are flattened on white and
// embedded as 8-bit RGB, which every PDF reader shows.
func RenderImage(mediaType string, data []byte, h Letterhead) (out []byte, err error) {
	defer recoverAs(&out, &err, "render image")
	if !ImageTypes[mediaType] {
		return nil, fmt.Errorf("render image: unsupported media type %q", mediaType)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("render image: %w", err)
	}
	if "image/"+format != mediaType {
		return nil, fmt.Errorf("render image: the content is %s, not %s", format, mediaType)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxImagePixels/cfg.Height {
		return nil, fmt.Errorf("render image: %d×%d pixels is more than %d", cfg.Width, cfg.Height, MaxImagePixels)
	}
	imageType := "JPG"
	if format != "jpeg" {
		if data, err = flatten(data); err != nil {
			return nil, fmt.Errorf("render image: %w", err)
		}
		imageType = "PNG"
	}

	r := newRenderer(h)
	r.letterhead()
	f := r.f
	opts := fpdf.ImageOptions{ImageType: imageType, ReadDpi: false}
	f.RegisterImageOptionsReader("letter", opts, bytes.NewReader(data))
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("render image: %w", err)
	}
	pageW, pageH := f.GetPageSize()
	x, y := f.GetXY()
	maxW, maxH := pageW-marginLeft-marginRight, pageH-marginBottom-y
	w, hgt := maxW, maxW*float64(cfg.Height)/float64(cfg.Width)
	if hgt > maxH {
		w, hgt = maxH*float64(cfg.Width)/float64(cfg.Height), maxH
	}
	f.ImageOptions("letter", x+(maxW-w)/2, y, w, hgt, false, opts, 0, "")

	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("render image: %w", err)
	}
	return buf.Bytes(), nil
}

// flatten decodes a PNG or GIF image and encodes it again as an opaque PNG: fpdf reads
// neither interlaced nor 16-bit PNGs, nor GIF animations, and an alpha channel would make it
// inflate the image data a second time.
func flatten(data []byte) ([]byte, error) {
	var (
		img image.Image
		err error
	)
	if bytes.HasPrefix(data, []byte("GIF8")) {
		img, err = gif.Decode(bytes.NewReader(data))
	} else {
		img, err = png.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, err
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Over)
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, rgba); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
