package server

import (
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
)

// allocatedBy is what f allocates, in bytes.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestIdentifyPDFReadOnce (found by audit, forty-first session): the public identification
// of an uploaded PDF read and parsed the whole document once for its text and again to
// tell whether that text is drawn invisibly (a scanner's layer): each read of a file just
// under the token bounds costs 0.5–1 s of CPU and up to 370 MB, and anyone may post one.
// The text layer is now read once, its text and rendering modes answered from that read:
// identifying a released letter allocates what one read of it does, not twice that.
func TestIdentifyPDFReadOnce(t *testing.T) {
	const text = "The ministry pays 1,500,000 dollars to the contractor for the bridge over the river, " +
		"as agreed at the meeting of the council in March, and the contractor delivers the bridge by June.\n"
	letter, err := pdf.Render("text/plain", []byte(strings.Repeat(text, 40)), pdf.Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{cfg: Config{DecodeTime: time.Minute}}
	var read string
	one := allocatedBy(func() { read, err = pdf.TextContext(context.Background(), letter) })
	if err != nil {
		t.Fatal(err)
	}
	var got string
	all := allocatedBy(func() {
		r, scan, err := s.uploadText(context.Background(), "letter.pdf", "application/pdf", letter)
		if err != nil || scan {
			t.Fatalf("uploadText: scan %v, %v", scan, err)
		}
		got = r.Text
	})
	if !strings.Contains(read, "bridge over the river") || !strings.Contains(got, "bridge over the river") {
		t.Fatalf("text %.60q, read as %.60q", read, got)
	}
	t.Logf("identifying the letter allocated %d KiB, one read of its text %d KiB", all>>10, one>>10)
	// Before: 1.8 times one read (the text, then the rendering modes).
	if float64(all) > 1.4*float64(one) {
		t.Errorf("identifying the letter allocated %d KiB, one read of it %d KiB: it is read more than once", all>>10, one>>10)
	}
}
