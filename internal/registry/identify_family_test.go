package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/textract"
)

// alterFigures changes the first n words of text that hold a digit.
func alterFigures(t *testing.T, text string, n int) string {
	t.Helper()
	for _, w := range strings.Fields(text) {
		if n > 0 && strings.ContainsAny(w, "0123456789") {
			text, n = strings.Replace(text, w, "9"+w+"7", 1), n-1
		}
	}
	if n > 0 {
		t.Fatal("not enough figures to alter")
	}
	return text
}

// TestIdentifyRevisedThenAltered (issue 12, item 3): a letter revised before release (two
// words changed), then altered in three figures, is an altered copy of the released letter:
// the earlier version is the same letter, not a competitor.
func TestIdentifyRevisedThenAltered(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	text := synth.Corpus{Seed: 21, FamilySize: 1}.Letter(0).Text()
	words := strings.Fields(text)
	v1 := strings.Replace(strings.Replace(text, words[10], "mkrfirst", 1), words[40], "mkrsecond", 1)
	ref := o.letter(t, v1)
	if _, err := o.r.Revise(ctx, o.drafter, ref, Upload{Name: "letter.txt", Data: []byte(text)}); err != nil {
		t.Fatal(err)
	}
	o.approvedAndReleased(t, ref)
	altered := alterFigures(t, text, 3)
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.Identify(ctx, who, altered)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Altered || got.Reference != ref || got.Version != 2 {
			t.Errorf("member %v: %s %s v%d (%s, similarity %.2f), want altered %s v2", who.Member != nil, got.Outcome, got.Reference, got.Version, got.Match, got.Similarity, ref)
		}
	}
}

// TestIdentifyDraftCopyChangesNothing (issue 12, items 3 and 9): a drafter who copies a
// released letter into a draft cannot suppress "altered" for it, and the public index never
// holds a draft.
func TestIdentifyDraftCopyChangesNothing(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	text := synth.Corpus{Seed: 22, FamilySize: 1}.Letter(0).Text()
	ref, _ := o.released(t, text)
	altered := alterFigures(t, text, 3)
	before, err := o.r.Identify(ctx, Actor{}, altered)
	if err != nil {
		t.Fatal(err)
	}
	if before.Outcome != Altered || before.Reference != ref {
		t.Fatalf("before the draft copy: %s %s, want altered %s", before.Outcome, before.Reference, ref)
	}
	publicDocs := o.r.released.Len()
	copyRef := o.letter(t, text)
	if n := o.r.released.Len(); n != publicDocs {
		t.Errorf("a draft entered the public index: %d documents, was %d", n, publicDocs)
	}
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.Identify(ctx, who, altered)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Altered || got.Reference != ref {
			t.Errorf("member %v, after a draft copy: %s %s (%s), want altered %s", who.Member != nil, got.Outcome, got.Reference, got.Match, ref)
		}
		if a, b := jsonOf(t, got), jsonOf(t, before); who.Member == nil && a != b {
			t.Errorf("the draft copy changed the public answer:\n%s\nwas\n%s", a, b)
		}
	}
	// Members still find drafts.
	draft := synth.Corpus{Seed: 23, FamilySize: 1}.Letter(0).Text()
	draftRef := o.letter(t, draft)
	if got, err := o.r.Identify(ctx, o.reviewer, draft); err != nil || got.Outcome != Draft || got.Reference != draftRef {
		t.Errorf("a draft for a member: %+v, %v", got, err)
	}
	if got, err := o.r.Identify(ctx, Actor{}, draft); err != nil || got.Outcome != Unknown {
		t.Errorf("a draft for the public: %+v, %v", got, err)
	}
	_ = copyRef
}

// TestIdentifyReleasedFile (issue 12, item 15): the text of the file a release published
// (letterhead, footer, signers added to the version's text) is the letter's, exactly.
func TestIdentifyReleasedFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := newOfficeIn(t, dir)
	text := synth.Corpus{Seed: 24, FamilySize: 1}.Letter(0).Text()
	ref, rel := o.released(t, text)
	fileText, err := textract.Text(rel.MediaType, rel.File)
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []Actor{{}, o.reviewer} {
		got, err := o.r.Identify(ctx, who, fileText)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Valid || got.Reference != ref || got.Match != "exact" {
			t.Errorf("member %v: the released file's text: %s %s (%s, similarity %.2f)", who.Member != nil, got.Outcome, got.Reference, got.Match, got.Similarity)
		}
		if len(got.Matches) != 1 {
			t.Errorf("member %v: matches %+v, want the letter once", who.Member != nil, got.Matches)
		}
	}
	// Its text with a figure altered is an altered copy, shown against the released file.
	altered := alterFigures(t, fileText, 1)
	got, err := o.r.Identify(ctx, o.reviewer, altered)
	if err != nil || got.Outcome != Altered || got.Reference != ref {
		t.Fatalf("the released file's text altered: %+v, %v", got, err)
	}
	changed := 0
	for _, op := range got.Diff {
		if op.Op != "equal" {
			changed++
		}
	}
	// A deletion and an insertion, with at most a whitespace run beside them: not the
	// letterhead and footer that a difference with the version's own text would show.
	if changed > 4 {
		t.Errorf("one figure changed, %d runs differ: %+v", changed, got.Diff)
	}

	// Restarted, the registry indexes the released file again, and fingerprints the files of
	// releases made before it did.
	raw, err := sql.Open("sqlite", filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("DELETE FROM fingerprints WHERE released = 1"); err != nil {
		t.Fatal(err)
	}
	r2 := New(o.r.cfg)
	if err := r2.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := r2.Identify(ctx, Actor{}, fileText); err != nil || got.Outcome != Valid || got.Match != "exact" {
		t.Errorf("after a restart: %+v, %v", got, err)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEraseReleasedFileFingerprint: erasure nulls the released file's fingerprint with the
// versions', and the file's text then identifies as nothing.
func TestEraseReleasedFileFingerprint(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, rel := o.released(t, synth.Corpus{Seed: 25, FamilySize: 1}.Letter(0).Text())
	fileText, err := textract.Text(rel.MediaType, rel.File)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.r.Erase(ctx, o.admin, ref, "erasure request"); err != nil {
		t.Fatal(err)
	}
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		ids, err := tx.FingerprintIDs(ctx, mustLetter(t, tx, ref).ID)
		if err != nil {
			return err
		}
		rows, err := tx.FingerprintsByID(ctx, ids)
		if err != nil {
			return err
		}
		released := false
		for _, f := range rows {
			released = released || f.Released
			if f.Data != nil {
				t.Errorf("fingerprint %d (released file %v) kept its data", f.ID, f.Released)
			}
		}
		if !released {
			t.Error("no fingerprint row for the released file")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []Actor{{}, o.reviewer} {
		if got, err := o.r.Identify(ctx, who, fileText); err != nil || got.Outcome != Unknown {
			t.Errorf("member %v: the erased letter's file text: %+v, %v", who.Member != nil, got, err)
		}
	}
}
