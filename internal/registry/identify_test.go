package registry

import (
	"context"
	"database/sql"
	"errors"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/store"
)

// TestIdentify: texts that arrive retyped, edited, quoted or unrelated get the answer the issue
// asks for, and drafts stay private.
func TestIdentify(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	corpus := synth.Corpus{Seed: 7, FamilySize: 3}
	rng := rand.New(rand.NewPCG(1, 2))
	released, sibling, draft, retracted := corpus.Member(0, 0), corpus.Member(0, 1), corpus.Letter(10), corpus.Letter(20)

	relRef, _ := o.released(t, released.Text())
	sibRef, _ := o.released(t, sibling.Text()) // same template, other dates and figures
	draftRef := o.letter(t, draft.Text())
	retRef, _ := o.released(t, retracted.Text())
	stmt, pt := o.withdrawalStatement(t, o.signer, retRef, "", "Sent before coordination ended")
	if _, err := o.withdraw(ctx, o.signer, retRef, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}

	edited := synth.Edit(rng, released.Text(), 0.10)
	for _, c := range []struct {
		name, text string
		who        Actor
		outcome    string
		ref        string
	}{
		{"retyped exactly", strings.ToUpper(released.Text()), Actor{}, Valid, relRef},
		{"the sibling letter", sibling.Text(), Actor{}, Valid, sibRef},
		{"10% of the words edited", edited, Actor{}, Altered, relRef},
		{"OCR noise", synth.OCR(rng, released.Text(), 0.02), Actor{}, Altered, relRef},
		{"a quoted paragraph", synth.Excerpt(rng, released, 50), Actor{}, Valid, relRef},
		{"a retracted letter", retracted.Text(), Actor{}, Retracted, retRef},
		{"a draft, for a member", draft.Text(), o.reviewer, Draft, draftRef},
		{"a draft, for the public", draft.Text(), Actor{}, Unknown, ""},
		{"unrelated", synth.Unrelated(rng), o.reviewer, Unknown, ""},
	} {
		got, err := o.r.Identify(ctx, c.who, c.text)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Outcome != c.outcome || got.Reference != c.ref {
			t.Errorf("%s: %s %s (%s, similarity %.2f, containment %.2f), want %s %s", c.name, got.Outcome, got.Reference, got.Match, got.Similarity, got.Containment, c.outcome, c.ref)
		}
		if c.who.Member == nil {
			for _, m := range got.Matches {
				if m.State == Draft || m.Reference == draftRef {
					t.Errorf("%s: the public sees a draft match %+v", c.name, m)
				}
			}
			if c.outcome == Unknown && !strings.Contains(got.Message, "not an official letter") {
				t.Errorf("%s: public message %q", c.name, got.Message)
			}
		}
	}

	// An altered copy shows what differs, word by word, from the letter to the text.
	got, _ := o.r.Identify(ctx, Actor{}, edited)
	var ins, del bool
	for _, op := range got.Diff {
		ins, del = ins || op.Op == "insert", del || op.Op == "delete"
	}
	if !ins || !del || got.Status == nil || got.Status.Outcome != Valid {
		t.Errorf("altered copy: diff has insertions %v, deletions %v; status %+v", ins, del, got.Status)
	}

	if _, err := o.r.Identify(ctx, Actor{}, " ... \n"); !errors.Is(err, ErrInvalid) {
		t.Errorf("a text without words: %v, want ErrInvalid", err)
	}
}

// TestIdentificationRebuilt: the index is rebuilt from the store on start, and versions stored
// without a fingerprint are fingerprinted then.
func TestIdentificationRebuilt(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	o := newOfficeIn(t, dir)
	l := synth.Corpus{Seed: 9, FamilySize: 1}.Letter(0)
	ref, _ := o.released(t, l.Text())
	// Forget the fingerprints, as a store from before identification would have none.
	raw, err := sql.Open("sqlite", filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("DELETE FROM fingerprints"); err != nil {
		t.Fatal(err)
	}
	r2 := New(o.r.cfg)
	if err := r2.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := r2.Identify(ctx, Actor{}, l.Text())
	if err != nil || got.Outcome != Valid || got.Reference != ref {
		t.Fatalf("after rebuild: %+v, %v", got, err)
	}
}

// TestIdentifyPartialTextBuysNothing: whoever sends part of a letter, or an altered copy, is
// told that it matches a letter and where their text departs from it, not the letter's other
// words, subject or signers; the whole text is a holder's, and a member sees everything.
func TestIdentifyPartialTextBuysNothing(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	corpus := synth.Corpus{Seed: 11, FamilySize: 1}
	letter := corpus.Letter(0).Text() + "\n\nIn confidence: mkrsecretdepot concerns the second depot.\n"
	ref, _ := o.released(t, letter)
	words := strings.Fields(letter)
	half := strings.Join(words[:len(words)*2/3], " ")
	edited := synth.Edit(rand.New(rand.NewPCG(3, 4)), letter, 0.10)
	for _, c := range []struct {
		name, text string
	}{{"two thirds of the letter", half}, {"an altered copy", edited}} {
		got, err := o.r.Identify(ctx, Actor{}, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if got.Reference != ref {
			t.Fatalf("%s: matched %q (%s), want %s", c.name, got.Reference, got.Outcome, ref)
		}
		all := strings.ToLower(stringOf(got))
		for _, secret := range []string{"mkrsecretdepot", "repositioning of forces", "freedonia"} {
			if strings.Contains(all, secret) && !strings.Contains(strings.ToLower(c.text), secret) {
				t.Errorf("%s: the public answer reveals %q, which the text did not hold: %s", c.name, secret, all)
			}
		}
		if got.Status == nil || got.Status.Subject != "" || got.Status.Seal != nil || len(got.Status.Signers) != 0 {
			t.Errorf("%s: the public status %+v", c.name, got.Status)
		}
		member, err := o.r.Identify(ctx, o.reviewer, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if member.Status == nil || member.Status.Subject != "Repositioning of forces" {
			t.Errorf("%s: the member's status %+v", c.name, member.Status)
		}
	}
	whole, err := o.r.Identify(ctx, Actor{}, letter)
	if err != nil {
		t.Fatal(err)
	}
	if whole.Outcome != Valid || whole.Status == nil || whole.Status.Subject != "Repositioning of forces" {
		t.Errorf("the whole text: %s, status %+v; want the holder's answer", whole.Outcome, whole.Status)
	}
}

// TestIdentifyPublicScoresNothing: the public is told which letter a text is a copy or a part
// of, and not how it scored, nor which other letters it was weighed against. Whoever holds a
// paragraph and adds a guessed word from elsewhere in the letter, or holds only a few words
// of it (a letterhead and a guessed subject), would otherwise read from the containment
// whether the guess is right. A member sees every score and candidate.
func TestIdentifyPublicScoresNothing(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	corpus := synth.Corpus{Seed: 11, FamilySize: 1}
	letter := corpus.Letter(0).Text() + "\n\nThe ambassador of Freedonia will be declared persona non grata.\n"
	ref, _ := o.released(t, letter)
	o.released(t, corpus.Letter(1).Text())
	held := strings.Join(strings.Fields(letter)[:60], " ")
	ask := func(who Actor, text string) *Identification {
		t.Helper()
		got, err := o.r.Identify(ctx, who, text)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	for _, who := range []Actor{{}, o.reviewer} {
		right, wrong := ask(who, held+"\n\nambassador of Freedonia"), ask(who, held+"\n\nambassador of Sylvania")
		if right.Reference != ref || wrong.Reference != ref {
			t.Fatalf("member %v: the paragraph with a guess matched %q and %q, want %s", who.Member != nil, right.Reference, wrong.Reference, ref)
		}
		same := right.Similarity == wrong.Similarity && right.Containment == wrong.Containment && reflect.DeepEqual(right.Matches, wrong.Matches)
		if who.Member == nil && !same {
			t.Errorf("the public tells a right guess from a wrong one: similarity %.4f and %.4f, containment %.4f and %.4f, matches %+v and %+v",
				right.Similarity, wrong.Similarity, right.Containment, wrong.Containment, right.Matches, wrong.Matches)
		}
		if who.Member != nil && (right.Similarity == 0 || right.Containment == 0) {
			t.Errorf("a member is not given the scores: %+v", right)
		}
		if who.Member == nil && (len(right.Matches) != 1 || right.Matches[0].Reference != ref || right.Matches[0].Score != 0) {
			t.Errorf("the public's matches: %+v, want %s alone, without its score", right.Matches, ref)
		}
	}
	// A few words of the letter name no letter: the public is given no candidate.
	few := strings.Join(strings.Fields(letter)[:25], " ")
	if got := ask(o.reviewer, few); got.Match != "none" || len(got.Matches) == 0 {
		t.Fatalf("a few words, for a member: %s with candidates %+v; want none, with candidates", got.Match, got.Matches)
	}
	if got := ask(Actor{}, few); got.Match != "none" || len(got.Matches) != 0 || got.Similarity != 0 || got.Containment != 0 {
		t.Errorf("a few words, for the public: %s, similarity %.2f, containment %.2f, candidates %+v", got.Match, got.Similarity, got.Containment, got.Matches)
	}
}

// TestIdentifyCRLF: text pasted in a browser arrives with CRLF line endings; an exact copy is
// still the letter's text, and an altered one shows only the words that changed.
func TestIdentifyCRLF(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	text := synth.Corpus{Seed: 13, FamilySize: 1}.Letter(0).Text()
	ref, _ := o.released(t, text)
	crlf := strings.ReplaceAll(text, "\n", "\r\n")
	got, err := o.r.Identify(ctx, o.reviewer, crlf)
	if err != nil || got.Outcome != Valid || got.Reference != ref || got.Match != "exact" {
		t.Fatalf("the letter pasted with CRLF: %+v, %v", got, err)
	}
	words := strings.Fields(text)
	altered := strings.Replace(crlf, words[len(words)/2], "mkraltered", 1)
	got, err = o.r.Identify(ctx, o.reviewer, altered)
	if err != nil || got.Outcome != Altered {
		t.Fatalf("an altered copy with CRLF: %+v, %v", got, err)
	}
	changed := 0
	for _, op := range got.Diff {
		if op.Op != "equal" {
			changed++
			if strings.Contains(op.Text, "\r") {
				t.Errorf("the difference shows a carriage return: %q", op.Text)
			}
		}
	}
	if changed > 2 {
		t.Errorf("one word changed, %d runs differ: %+v", changed, got.Diff)
	}
}

// TestIdentifyTracesDraftCopy: every page of a draft copy names it ("Coordination copy for …",
// "Preview of …"), and the copy is recorded. A copy's text, pasted or read from a file whose
// bytes were changed, was answered to members "close to version 1 of REF" without naming the
// copy, and, once the same text was released, "altered": a leaked draft copy was traced to no
// copy, and after the release not even called a draft. Members must be told which copy it is,
// before and after the release; the public never learns of the copy or its recipient.
func TestIdentifyTracesDraftCopy(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	t.Run("sqlite", func(t *testing.T) { testIdentifyTracesDraftCopy(t, newOffice(t)) })
	t.Run("postgres", func(t *testing.T) {
		o, _ := sharedOffices(t)
		testIdentifyTracesDraftCopy(t, o)
	})
}

func testIdentifyTracesDraftCopy(t *testing.T, o *office) {
	ctx := context.Background()
	body := strings.Repeat("Dear Minister, the brigade of the northern task force moves north on 3 March towards the river crossing at dawn. ", 6)
	ref := o.letter(t, body)
	if _, err := o.r.ExportDraft(ctx, o.drafter, ref, "Ministry of Foreign Affairs"); err != nil {
		t.Fatal(err)
	}
	c, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy liaison")
	if err != nil {
		t.Fatal(err)
	}
	preview, err := o.r.Preview(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	copies := map[string]struct {
		text      string
		recipient string
		by        string
	}{
		"coordination copy": {pdftotext(t, c.Data), "Embassy liaison", "dana"},
		"preview":           {pdftotext(t, preview), PreviewRecipient, o.reviewer.Member.Name},
	}
	check := func(when string) {
		for name, cp := range copies {
			id, err := o.r.Identify(ctx, o.reviewer, cp.text)
			if err != nil {
				t.Fatal(err)
			}
			if id.Outcome != Draft || id.Reference != ref || id.Status == nil || id.Status.Draft == nil ||
				len(id.Status.Draft.Exports) != 1 || id.Status.Draft.Exports[0].Recipient != cp.recipient || id.Status.Draft.Exports[0].By != cp.by {
				t.Errorf("%s, the %s's text: a member is answered %s %q (%+v), not which copy it is", when, name, id.Outcome, id.Message, id.Status)
			}
			pub, err := o.r.Identify(ctx, Actor{}, cp.text)
			if err != nil {
				t.Fatal(err)
			}
			if pub.Outcome == Draft || pub.Status != nil && pub.Status.Draft != nil || strings.Contains(pub.Message, cp.recipient) {
				t.Errorf("%s, the %s's text: the public is told of the copy: %s %q %+v", when, name, pub.Outcome, pub.Message, pub.Status)
			}
		}
	}
	check("before the release")
	o.approvedAndReleased(t, ref)
	check("after the release")
	if id, err := o.r.Identify(ctx, o.reviewer, body); err != nil || id.Outcome != Valid {
		t.Errorf("the released text itself is answered %+v %v", id, err)
	}
}
