package registry

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/pdfcpu/pdfcpu/pkg/api"
)

// TestPreviewOfEnclosureCarriesNoRawFile: the preview of a letter released as an enclosure
// (a file of another type attached to a cover letter) is the cover letter marked as a draft,
// without the file: the version's own bytes, unmarked and the same in every copy, never
// leave with it, as they never leave with a coordination copy.
func TestPreviewOfEnclosureCarriesNoRawFile(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	data := append([]byte{0, 1, 2, 3, 0xfe, 0xff}, []byte("ORDER OF BATTLE (draft): 3rd brigade moves north on 3 March, 04:00.")...)
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Annex", Class: "routine", Addressees: []string{"A"},
		File: Upload{Name: "annex.bin", MediaType: "application/octet-stream", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	preview, err := o.r.Preview(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	if aa, err := api.Attachments(bytes.NewReader(preview), nil); err != nil || len(aa) != 0 {
		t.Errorf("the preview lists embedded files %+v (%v)", aa, err)
	}
	if holds(t, preview, data) {
		t.Error("the preview carries the draft enclosure's own bytes, unmarked")
	}
}

// TestPreviewIsARecordedDraftCopy: a preview is a copy of an unreleased version that leaves
// the registry, so it is marked DRAFT and recorded like any draft copy: its bytes verify as a
// draft, and members learn who took it.
func TestPreviewIsARecordedDraftCopy(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nThe forces will be repositioned after the coordination ends.")
	preview, err := o.r.Preview(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(strings.Fields(pdftotext(t, preview)), " "); !strings.Contains(text, "DRAFT") {
		t.Errorf("the preview is not marked DRAFT: %q", text)
	}
	st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(preview))
	if err != nil {
		t.Fatal(err)
	}
	if st.Outcome != Draft {
		t.Errorf("the public is told a preview is %s, want %s", st.Outcome, Draft)
	}
	st, err = o.r.VerifyDigest(ctx, o.drafter, seal.DigestOf(preview))
	if err != nil {
		t.Fatal(err)
	}
	if st.Outcome != Draft || st.Draft == nil || len(st.Draft.Exports) != 1 || st.Draft.Exports[0].By != o.reviewer.Member.Name {
		t.Fatalf("members are not told who took the preview: %+v", st.Draft)
	}
	evs, err := o.r.Audit(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range evs {
		found = found || (e.Action == "draft.preview" && e.Actor == o.reviewer.Member.Name && strings.Contains(e.Detail, string(seal.DigestOf(preview))))
	}
	if !found {
		t.Errorf("the audit trail does not record the preview: %+v", evs)
	}
}
