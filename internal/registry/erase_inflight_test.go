package registry

import (
	"context"
	"os/exec"
	"testing"
)

// TestReadingInFlightKeepsNothingOfAnErasedLetter: an identification that read a released
// letter's files before its erasure committed (it waited for a free pdftotext, or Tesseract
// read a scan meanwhile) and read their texts after the erasure had emptied the caches kept
// those texts in memory until the next erasure, on the erasing server as on the others that
// follow it (RefreshIdentification): what the office erased stayed in a core dump or a swap
// file of the server. A text read from files read before an erasure is not kept.
func TestReadingInFlightKeepsNothingOfAnErasedLetter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, _ := o.released(t, "Dear Minister,\n\nThe words of a letter an identification reads as the office erases it.\n")
	f, err := o.r.releasedFilesOf(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.bytes(ctx); err != nil { // read before the erasure commits
		t.Fatal(err)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "asked by the addressee"); err != nil {
		t.Fatal(err)
	}
	// The reading goes on: its texts are read from the bytes it holds.
	for _, released := range []bool{false, true} {
		if s, err := f.text(ctx, released); err != nil || s == "" {
			t.Fatalf("the reading in flight read no text (released %v): %q, %v", released, s, err)
		}
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		if _, err := o.r.shownText(ctx, f); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.shownCodes(ctx, f); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.shownLinks(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	for name, n := range map[string]int{"released texts": len(o.r.relTexts.m), "shown texts": len(o.r.shown.m),
		"shown codes": len(o.r.codes.m), "shown links": len(o.r.links.m)} {
		if n != 0 {
			t.Errorf("the %s cache holds %d entries read from the erased letter's files", name, n)
		}
	}
}
