package registry

import (
	"context"
	"testing"
)

// TestErasedDraftShowsNoFile: a draft erased again at a server's start (EraseLetterAgain)
// whose file another letter has too (uploaded from the same file by another drafter) keeps
// that file, the other letter's; the erased draft's page shows none of it, a search of its
// words does not find the erased draft, and the list marks it erased, as for an erased release.
func TestErasedDraftShowsNoFile(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	const body = "Dear Minister, the zanzibarian proposal."
	ref := o.letter(t, body)
	other := o.letter(t, body)
	v, err := o.r.Letter(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := o.r.EraseLetterAgain(ctx, ErasedLetter{Reference: ref, Created: v.CreatedAt, Digest: v.Versions[0].Digest}); err != nil || got != ref {
		t.Fatalf("erase again: %q, %v", got, err)
	}
	fs, err := o.r.VersionFiles(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if len(f.Data) != 0 {
			t.Errorf("the erased draft's version %d shows %d bytes: %q", f.N, len(f.Data), f.Data)
		}
	}
	if fs, err := o.r.VersionFiles(ctx, o.drafter, other); err != nil || len(fs) != 1 || string(fs[0].Data) != body {
		t.Errorf("the other letter's file: %v, %v", fs, err)
	}
	list, err := o.r.ListLetters(ctx, o.drafter, LetterQuery{Text: "zanzibarian"})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range list.Letters {
		if l.Reference == ref {
			t.Errorf("a search of the erased draft's words finds it: %+v", l)
		}
	}
	all, err := o.r.ListLetters(ctx, o.drafter, LetterQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all.Letters {
		if l.Reference == ref && !l.Erased {
			t.Errorf("the list does not mark the erased draft: %+v", l)
		}
	}
}
