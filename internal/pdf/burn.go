package pdf

import (
	"image"
	"image/color"
	"math"
	"strings"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/f64"
	"golang.org/x/image/math/fixed"
)

// Burned is what every picture of a draft copy carries in its pixels (burnImages): the marks
// drawn over the page are separate from the picture, and `pdfimages` takes a copy's pictures
// out without them, so a copy of a scan would leave as the scan, unmarked (a JPEG byte for
// byte).
type Burned struct {
	Banner string // drawn diagonally across the picture
	Line   string // drawn along its foot, under the banner again, on a light band
}

// burn returns src, flattened on white, with b's banner across it and, at its foot, the
// banner again above b's line, in the marks' red. The text is drawn with a bitmap font of
// ASCII letters (any other character is drawn as "?", a dash as "-"): the copy's exact words
// are in the marks drawn over the page; these are what a picture taken out of the copy still
// says.
func (b Burned) burn(src image.Image) *image.RGBA {
	r := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	if o, ok := src.(interface{ Opaque() bool }); ok && o.Opaque() {
		// A scan (gray, or a JPEG's YCbCr) covers the white: one pass, on image/draw's fast path.
		xdraw.Draw(dst, dst.Bounds(), src, r.Min, xdraw.Src)
	} else {
		xdraw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, xdraw.Src)
		xdraw.Draw(dst, dst.Bounds(), src, r.Min, xdraw.Over)
	}
	w, h := float64(r.Dx()), float64(r.Dy())

	banner := textImage(b.Banner, color.NRGBA{R: 204, G: 26, B: 26, A: 110})
	tw, th := float64(banner.Bounds().Dx()), float64(banner.Bounds().Dy())
	angle := -math.Atan2(h, w) // rising from the bottom left corner (image rows go down)
	s := 0.85 * math.Hypot(w, h) / tw
	place(dst, banner, s, angle, w/2, h/2, tw, th)

	// The band says the banner too, above the line: OCR does not read the diagonal, and a
	// picture taken out of a copy must still read as a draft copy's (identify's DRAFT mark).
	red := color.NRGBA{R: 170, G: 20, B: 20, A: 255}
	top, line := textImage(b.Banner, red), textImage(b.Line, red)
	bw, lw, lh := float64(top.Bounds().Dx()), float64(line.Bounds().Dx()), float64(line.Bounds().Dy())
	s = math.Min(0.96*w/math.Max(bw, lw), 0.03*h/lh)
	band := image.Rect(0, int(h-3.4*lh*s), r.Dx(), r.Dy())
	xdraw.Draw(dst, band, image.NewUniform(color.NRGBA{R: 255, G: 240, B: 240, A: 230}), image.Point{}, xdraw.Over)
	place(dst, top, s, 0, w/2, h-2.3*lh*s, bw, lh)
	place(dst, line, s, 0, w/2, h-1.1*lh*s, lw, lh)
	return dst
}

// place draws src onto dst scaled by s, turned by angle (radians) about its centre, with its
// centre at (cx, cy).
func place(dst *image.RGBA, src image.Image, s, angle, cx, cy, sw, sh float64) {
	cos, sin := math.Cos(angle), math.Sin(angle)
	m := f64.Aff3{
		s * cos, -s * sin, cx - s*cos*sw/2 + s*sin*sh/2,
		s * sin, s * cos, cy - s*sin*sw/2 - s*cos*sh/2,
	}
	xdraw.BiLinear.Transform(dst, m, src, src.Bounds(), xdraw.Over, nil)
}

// textImage draws text in c with the 7×13 bitmap font, on a transparent ground.
func textImage(text string, c color.Color) *image.RGBA {
	text = strings.Map(func(r rune) rune {
		switch {
		case r == '—' || r == '–':
			return '-'
		case r == '·':
			return '|'
		case r < 0x20 || r > 0x7e:
			return '?'
		}
		return r
	}, text)
	face := basicfont.Face7x13
	img := image.NewRGBA(image.Rect(0, 0, 7*len(text)+5, 17))
	// Drawn twice a pixel apart: the font's one-pixel strokes, scaled up, would be faint.
	for _, x := range []int{2, 3} {
		d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, 13)}
		d.DrawString(text)
	}
	return img
}
