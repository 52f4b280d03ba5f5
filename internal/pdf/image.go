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
	var im docImage
	if format == "jpeg" {
		space, decode := "/DeviceRGB", ""
		switch cfg.ColorModel {
		case color.GrayModel:
			space = "/DeviceGray"
		case color.CMYKModel:
			// Adobe's CMYK JPEGs store inverted components.
			space, decode = "/DeviceCMYK", " /Decode [1 0 1 0 1 0 1 0]"
		}
		im = docImage{dict: fmt.Sprintf(" /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode%s", cfg.Width, cfg.Height, space, decode), data: data}
	} else {
		rgb, err := flatten(data)
		if err != nil {
			return nil, fmt.Errorf("render image: %w", err)
		}
		im = docImage{dict: fmt.Sprintf(" /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode", cfg.Width, cfg.Height), data: deflate(rgb)}
	}
	if err := h.check(); err != nil {
		return nil, fmt.Errorf("render image: %w", err)
	}
	r, err := newRenderer(h)
	if err != nil {
		return nil, fmt.Errorf("render image: %w", err)
	}
	r.letterhead()
	r.d.images = append(r.d.images, im)
	maxW, maxH := r.right-r.left, r.bottom-r.y
	w, hgt := maxW, maxW*float64(cfg.Height)/float64(cfg.Width)
	if hgt > maxH {
		w, hgt = maxH*float64(cfg.Width)/float64(cfg.Height), maxH
	}
	fmt.Fprintf(r.page, "q %s 0 0 %s %s %s cm /Im0 Do Q\n", num(w), num(hgt), num(r.left+(maxW-w)/2), num(r.d.h-r.y-hgt))
	return r.finish(), nil
}

// flatten decodes a PNG or GIF image and returns its pixels composed on white, as 8-bit RGB
// samples row by row.
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
	b := img.Bounds()
	rgba := image.NewRGBA(b)
	draw.Draw(rgba, b, image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(rgba, b, img, b.Min, draw.Over)
	out := make([]byte, 0, b.Dx()*b.Dy()*3)
	for i := 0; i < len(rgba.Pix); i += 4 {
		out = append(out, rgba.Pix[i], rgba.Pix[i+1], rgba.Pix[i+2])
	}
	return out, nil
}
