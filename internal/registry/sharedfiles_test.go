package registry

import (
	"context"
	"runtime"
	"testing"
)

// TestDownloadsAtOnceShareOneCopy: anyone holding a letter's check code (every holder of a
// leaked letter) may fetch its released file, up to the upload limit, as often as the rate
// limit allows, and a slow reader keeps its request, and the bytes it is sent, for as long
// as the write timeout. Requests for one file at once are given one copy of its bytes, not
// one each; once none holds it, the copy goes.
func TestDownloadsAtOnceShareOneCopy(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ref, rel := o.released(t, "Sir, the convention is renewed.")
	first, _, err := o.r.ReleasedFile(ctx, Actor{}, ref, rel.CheckCode)
	if err != nil {
		t.Fatal(err)
	}
	copies := 1
	for range 10 {
		again, _, err := o.r.ReleasedFile(ctx, Actor{}, ref, rel.CheckCode)
		if err != nil || string(again) != string(rel.File) {
			t.Fatalf("%d bytes, %v", len(again), err)
		}
		if &again[0] != &first[0] {
			copies++
		}
	}
	runtime.KeepAlive(first)
	if copies != 1 {
		t.Errorf("11 requests for the file at once held %d copies of its %d bytes; want 1", copies, len(first))
	}
}
