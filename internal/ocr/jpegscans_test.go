package ocr_test

import (
	"bytes"
	"context"
	"errors"
	"image/jpeg"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
)

// TestJPEGScanBombRefused: a scan sent to identify is decoded in Go to blank its QR codes,
// and Go's JPEG decoder passes over every block of the image once per scan, however many
// scans there are, and without a deadline. A progressive JPEG of 75 KB and 2,000 scans kept it
// busy for 30 s (audit, twenty-eighth session); such a file is refused before it is read. A
// progressive JPEG with the scans real encoders write still is read.
func TestJPEGScanBombRefused(t *testing.T) {
	r := ocrtest.Reader(t)
	bomb := ocrtest.ProgressiveJPEG(3456, 3456, 2000)
	if _, err := r.Read(context.Background(), bomb); !errors.Is(err, ocr.ErrTooLarge) {
		t.Fatalf("a JPEG of %d bytes and 2000 scans: %v, want ErrTooLarge", len(bomb), err)
	}
	ordinary := ocrtest.ProgressiveJPEG(64, 64, 12)
	if _, err := jpeg.Decode(bytes.NewReader(ordinary)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Read(context.Background(), ordinary); errors.Is(err, ocr.ErrTooLarge) {
		t.Fatalf("a JPEG of 13 scans: %v", err)
	}
}
