package pdf

import "fmt"

// MaxImagePixels bounds each image RenderImage places: a page holds no more than a 600 dpi
// A4 scan, and decoding a larger image would cost memory in proportion.
const MaxImagePixels = 40_000_000

// ImageTypes are the media types RenderImage places on pages.
var ImageTypes = map[string]bool{"image/png": true, "image/jpeg": true, "image/gif": true,
	"image/tiff": true, "image/bmp": true, "image/webp": true}

// RenderImage lays out an image upload (a scan, a photograph) as a PDF: each image on an A4
// page of its own (every page of a multi-page TIFF; the first frame of an animated GIF),
// scaled to fit within the margins with its aspect ratio kept. The bottom margin leaves room
// for the footer Stamp adds. h gives the document's title, author and date. mediaType is one
// of ImageTypes; a page larger than MaxImagePixels, more than MaxImagePages pages or
// MaxImagePixelsTotal pixels in all are refused with ErrTooLarge.
func RenderImage(mediaType string, data []byte, h Letterhead) (out []byte, err error) {
	defer recoverAs(&out, &err, "render image")
	if !ImageTypes[mediaType] {
		return nil, fmt.Errorf("render image: unsupported media type %q", mediaType)
	}
	if err := h.check(); err != nil {
		return nil, fmt.Errorf("render image: %w", err)
	}
	if out, err = placeImages(mediaType, data, h); err != nil {
		return nil, fmt.Errorf("render image: %w", err)
	}
	return out, nil
}
