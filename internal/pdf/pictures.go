package pdf

import (
	"context"
	"fmt"

	lpdf "github.com/ledongthuc/pdf"
)

// PicturesOnly reports whether each of the first n pages of data (every page, if it has
// fewer) shows one picture and nothing else: what a scanner writes, a picture of the page
// and at most an invisible text layer (rendering mode 3). OCR then reads the scanner's own
// pictures rather than the pages rendered again (see package ocr); but what the pages show
// is the picture with whatever else is drawn, so any page that draws anything else (paths,
// a white box, visible text, a form, a shading, an inline image, a second picture), clips
// or masks its picture, sets a graphics state, is cropped, or carries an annotation other
// than a link without an appearance of its own, is not one picture: its pictures alone are
// not what it shows. Its limits and errors are TextContext's.
func PicturesOnly(rctx context.Context, data []byte, n int) (bool, error) {
	l, err := extractorPages(rctx, data)
	if err != nil {
		return false, fmt.Errorf("pictures only: %w", err)
	}
	for i, p := range l.pages[:min(n, len(l.pages))] {
		if err := l.bud.Tick(); err != nil {
			return false, fmt.Errorf("pictures only: page %d: %w", i+1, err)
		}
		one, err := onePicture(p)
		if err != nil {
			return false, fmt.Errorf("pictures only: page %d: %w", i+1, err)
		}
		if !one {
			return false, nil
		}
	}
	return true, nil
}

// pictureOps are the operators a page of one picture may run besides drawing it (Do) and its
// invisible text: the graphics state saved and restored, the transformation, colours and
// line styles (which paint nothing by themselves), text state and positioning, marked
// content, and paths built and ended without painting or clipping (n).
var pictureOps = map[string]bool{
	"q": true, "Q": true, "cm": true,
	"g": true, "G": true, "rg": true, "RG": true, "k": true, "K": true,
	"cs": true, "CS": true, "sc": true, "SC": true, "scn": true, "SCN": true,
	"w": true, "J": true, "j": true, "M": true, "d": true, "ri": true, "i": true,
	"BT": true, "ET": true, "Tc": true, "Tw": true, "Tz": true, "TL": true, "Tf": true,
	"Ts": true, "Td": true, "TD": true, "Tm": true, "T*": true,
	"BMC": true, "BDC": true, "EMC": true, "MP": true, "DP": true, "BX": true, "EX": true,
	"m": true, "l": true, "c": true, "v": true, "y": true, "h": true, "re": true, "n": true,
}

// onePicture reports whether page p shows one picture and nothing else (PicturesOnly).
func onePicture(p lpdf.Page) (one bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			one, err = false, fmt.Errorf("%w: %v", ErrInvalid, r)
		}
	}()
	if p.V.IsNull() || p.V.Key("Contents").Kind() == lpdf.Null || !uncropped(p.V) {
		return false, nil
	}
	annots := p.V.Key("Annots")
	for i := range annots.Len() {
		if a := annots.Index(i); a.Key("Subtype").Name() != "Link" || !a.Key("AP").IsNull() {
			return false, nil
		}
	}
	xobjects := p.Resources().Key("XObject")
	pictures, other := 0, false
	eachOp(p.V.Key("Contents"), func(op string, top lpdf.Value, rm *renderMode) {
		switch op {
		case "Tj", "TJ", "'", "\"":
			other = other || rm.mode != 3
		case "Do":
			pictures++
			other = other || !plainPicture(xobjects.Key(top.Name()))
		default:
			other = other || !pictureOps[op]
		}
	})
	return pictures == 1 && !other, nil
}

// plainPicture reports whether x is an image XObject that shows its samples as they are: no
// mask (which hides a part of it), no stencil, no decode array (which may invert it), no
// optional content (which may hide it).
func plainPicture(x lpdf.Value) bool {
	if x.Key("Subtype").Name() != "Image" || x.Key("ImageMask").Bool() {
		return false
	}
	for _, k := range []string{"SMask", "Mask", "Decode", "OC", "SMaskInData"} {
		if !x.Key(k).IsNull() {
			return false
		}
	}
	return true
}

// uncropped reports whether page's crop box, if any (inherited too), is its media box: a
// crop box may hide a part of the picture that OCR would read.
func uncropped(page lpdf.Value) bool {
	var media, crop lpdf.Value
	v := page
	for depth := 0; !v.IsNull() && depth < 64; depth++ {
		if m := v.Key("MediaBox"); media.IsNull() && !m.IsNull() {
			media = m
		}
		if c := v.Key("CropBox"); crop.IsNull() && !c.IsNull() {
			crop = c
		}
		v = v.Key("Parent")
	}
	if crop.IsNull() {
		return true
	}
	if crop.Len() != 4 || media.Len() != 4 {
		return false
	}
	for i := range 4 {
		if crop.Index(i).Float64() != media.Index(i).Float64() {
			return false
		}
	}
	return true
}
