package registry

import (
	"context"
	"strings"
	"testing"
)

// TestEraseThenTheSameFileInANewLetter: a file erased with its letter and uploaded again, as
// a new letter's, is that letter's whole file: it is copied, released and identified; the
// erased letter's versions still show nothing of it.
func TestEraseThenTheSameFileInANewLetter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const body = "Rations for the garrison at Northgate are doubled from 1 May."
	erased, _ := o.released(t, body)
	if err := o.r.Erase(ctx, o.admin, erased, "erasure request"); err != nil {
		t.Fatal(err)
	}
	again := o.letter(t, body)
	fs, err := o.r.VersionFiles(ctx, o.drafter, again)
	if err != nil || len(fs) != 1 || string(fs[0].Data) != body {
		t.Fatalf("the new letter's version: %+v, %v; want its text", fs, err)
	}
	o.approve(t, again)
	if err := o.sign(t, again); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Release(ctx, o.officer, again); err != nil {
		t.Fatalf("release the new letter: %v", err)
	}
	if id, err := o.r.Identify(ctx, Actor{}, body); err != nil || id.Outcome != Valid || id.Reference != again {
		t.Errorf("the new letter's text: %+v, %v", id, err)
	}
	fs, err = o.r.VersionFiles(ctx, o.reviewer, erased)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if strings.Contains(string(f.Data), "Northgate") {
			t.Errorf("the erased letter's version %d shows the text again", f.N)
		}
	}
}
