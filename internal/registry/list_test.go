package registry

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

func TestListLetters(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	draft := o.letter(t, "Dear Minister, the troop withdrawal from the northern border is postponed.")
	press, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Ministère de la Défense: communiqué", Class: "press",
		Tags: []string{"Press-Release"}, Addressees: []string{"Agence France-Presse"}, File: Upload{Name: "press.txt", Data: []byte("For immediate publication.")}})
	if err != nil {
		t.Fatal(err)
	}
	released, rel := o.released(t, "Sir, the exercise will take place in March.")
	retracted, _ := o.released(t, "Sir, the units will leave on Monday.")
	stmt, pt := o.withdrawalStatement(t, o.signer, retracted, "", "Sent too early")
	if _, err := o.withdraw(ctx, o.signer, retracted, "", o.keyID, stmt, signPAE(o.signerKey, pt, stmt)); err != nil {
		t.Fatal(err)
	}

	list := func(a Actor, q LetterQuery) *LetterList {
		t.Helper()
		l, err := o.r.ListLetters(ctx, a, q)
		if err != nil {
			t.Fatalf("ListLetters(%+v): %v", q, err)
		}
		return l
	}
	refs := func(l *LetterList) []string {
		var out []string
		for _, s := range l.Letters {
			out = append(out, s.Reference+":"+s.State+":"+s.Match)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		q    LetterQuery
		want []string
	}{
		{"everything, newest first", LetterQuery{}, []string{retracted + ":retracted:", released + ":released:", press + ":draft:", draft + ":draft:"}},
		{"drafts", LetterQuery{State: "draft"}, []string{press + ":draft:", draft + ":draft:"}},
		{"released", LetterQuery{State: "released"}, []string{released + ":released:"}},
		{"retracted", LetterQuery{State: "retracted"}, []string{retracted + ":retracted:"}},
		{"superseded", LetterQuery{State: "superseded"}, nil},
		{"class", LetterQuery{Class: "press"}, []string{press + ":draft:"}},
		{"reference", LetterQuery{Text: released}, []string{released + ":released:reference"}},
		{"reference, in lower case and without its prefix", LetterQuery{Text: released[4:]}, []string{released + ":released:reference"}},
		{"subject, any case and accents as typed", LetterQuery{Text: "MINISTÈRE DE LA"}, []string{press + ":draft:subject"}},
		{"addressee", LetterQuery{Text: "france presse"}, []string{press + ":draft:addressee"}},
		{"tag", LetterQuery{Text: "press release"}, []string{press + ":draft:tag"}},
		{"a word of the text", LetterQuery{Text: "withdrawal"}, []string{draft + ":draft:text"}},
		{"part of a word of the text", LetterQuery{Text: "withdraw"}, []string{draft + ":draft:text"}},
		{"a phrase of a released letter's text", LetterQuery{Text: "take place, in March"}, []string{released + ":released:text"}},
		{"words of the text out of order", LetterQuery{Text: "March place"}, nil},
		{"text and state", LetterQuery{Text: "sir", State: "retracted"}, []string{retracted + ":retracted:text"}},
		{"nothing", LetterQuery{Text: "armistice"}, nil},
	} {
		if got := refs(list(o.reviewer, tc.q)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}

	all := list(o.drafter, LetterQuery{})
	if all.Truncated {
		t.Error("a listing under the limit is truncated")
	}
	s := all.Letters[1]
	if s.Reference != released || s.Class != "foreign-government" || s.Subject != "Repositioning of forces" ||
		!slices.Equal(s.Addressees, []string{"Ministry of Defence of Freedonia"}) || s.Tags == nil ||
		s.LogIndex == nil || *s.LogIndex != rel.LogIndex || s.ReleasedAt == nil || !s.UpdatedAt.Equal(*s.ReleasedAt) {
		t.Errorf("released letter listed as %+v", s)
	}
	if d := all.Letters[3]; d.ReleasedAt != nil || d.LogIndex != nil || d.UpdatedAt.Before(d.CreatedAt) {
		t.Errorf("draft listed as %+v", d)
	}
	two := list(o.signer, LetterQuery{Limit: 2})
	if len(two.Letters) != 2 || !two.Truncated || two.Letters[0].Reference != retracted {
		t.Errorf("limit 2: %v, truncated %v", refs(two), two.Truncated)
	}
	if exact := list(o.signer, LetterQuery{Limit: 4}); exact.Truncated {
		t.Error("a limit equal to the number of letters is truncated")
	}

	// Only members with a role list letters; bad queries are refused.
	for _, tc := range []struct {
		a    Actor
		q    LetterQuery
		want error
	}{
		{Actor{}, LetterQuery{}, ErrUnauthenticated},
		{Actor{Member: &store.Member{ID: 99, Name: "nobody"}}, LetterQuery{}, ErrForbidden},
		{o.reviewer, LetterQuery{State: "valid"}, ErrInvalid},
		{o.reviewer, LetterQuery{Text: "--- !"}, ErrInvalid},
		{o.reviewer, LetterQuery{Text: "a\nb"}, ErrInvalid},
		{o.reviewer, LetterQuery{Limit: MaxListed + 1}, ErrInvalid},
		{o.reviewer, LetterQuery{Limit: -1}, ErrInvalid},
	} {
		if _, err := o.r.ListLetters(ctx, tc.a, tc.q); !errors.Is(err, tc.want) {
			t.Errorf("ListLetters(%+v) as %s: %v, want %v", tc.q, tc.a.name(), err, tc.want)
		}
	}

	// After erasure the letter is listed by its reference, and its words are found no more,
	// though an earlier search had them cached.
	if got := refs(list(o.reviewer, LetterQuery{Text: "exercise"})); !slices.Equal(got, []string{released + ":released:text"}) {
		t.Fatalf("before erasure: %v", got)
	}
	if err := o.r.Erase(ctx, o.admin, released, "erasure request"); err != nil {
		t.Fatal(err)
	}
	if got := refs(list(o.reviewer, LetterQuery{Text: "exercise"})); got != nil {
		t.Errorf("the text of an erased letter is still found: %v", got)
	}
	if got := list(o.reviewer, LetterQuery{Text: released}).Letters; len(got) != 1 || !got[0].Erased || got[0].Subject != "" {
		t.Errorf("erased letter by reference: %+v", got)
	}
}

// TestTextCacheGeneration: a search whose snapshot began before an erasure keeps nothing it
// read in the cache.
func TestTextCacheGeneration(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Some words of a letter.")
	var v store.Version
	err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		vs, err := tx.Versions(ctx, l.ID)
		v = vs[0]
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var c textCache
	gen := c.generation()
	c.clear()
	err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		text, err := c.text(ctx, ctx, tx, gen, v)
		if text != "some words of a letter" {
			t.Errorf("text %q", text)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.m) != 0 {
		t.Errorf("a search from before a clear cached %d texts", len(c.m))
	}
}

// TestSearchStopsOnItsBudgetAndGoesOn: a search that spends SearchBudget answers what it found
// so far, Partial and Truncated, with NextBefore the last letter it looked at; going on from
// there finds every matching letter once, and the last answer is whole. A clock that moves
// three seconds at each reading spends the budget at the third.
func TestSearchStopsOnItsBudgetAndGoesOn(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	var want []string
	for i := range 9 {
		body := "Dear Minister, the convoy leaves on Monday."
		if i%3 != 1 {
			body = "Dear Minister, the zanzibarian convoy leaves on Monday."
		}
		ref := o.letter(t, body)
		if i%3 != 1 {
			want = append([]string{ref}, want...) // newest first
		}
	}
	whole, err := o.r.ListLetters(ctx, o.reviewer, LetterQuery{Text: "zanzibarian"})
	if err != nil || whole.Partial || whole.Truncated || whole.NextBefore != "" || len(whole.Letters) != len(want) {
		t.Fatalf("within its budget: %+v, %v", whole, err)
	}

	now := time.Now()
	o.r.cfg.Now = func() time.Time { now = now.Add(3 * time.Second); return now }
	var got []string
	q, answers, partial := LetterQuery{Text: "zanzibarian", Partial: true}, 0, 0
	for {
		l, err := o.r.ListLetters(ctx, o.reviewer, q)
		if err != nil {
			t.Fatal(err)
		}
		answers++
		for _, s := range l.Letters {
			got = append(got, s.Reference)
		}
		if !l.Partial {
			if l.Truncated || l.NextBefore != "" {
				t.Fatalf("the last answer: %+v", l)
			}
			break
		}
		partial++
		if !l.Truncated || l.NextBefore == "" || answers > 20 {
			t.Fatalf("answer %d: %+v", answers, l)
		}
		q.Before = l.NextBefore
	}
	if !slices.Equal(got, want) {
		t.Errorf("found across %d answers: %v, want %v", answers, got, want)
	}
	if partial < 3 {
		t.Errorf("%d partial answers of %d: the budget was not spent", partial, answers)
	}
}

// TestSearchNotTakingPartsListsALetter: a caller that does not take partial answers
// (LetterQuery.Partial unset: a client or a script from before them) gets no answer that is
// truncated with no letter, which such a `letter list` printed as "no letters match": the
// search goes on past its budget until it finds a letter, and going on from the last letter
// listed, as they do, finds every matching letter once. The three newest letters do not match,
// and a clock that moves three seconds at each reading spends the budget at the third.
func TestSearchNotTakingPartsListsALetter(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	var want []string
	for i := range 8 {
		body := "Dear Minister, the convoy leaves on Monday."
		if i < 5 && i != 2 {
			body = "Dear Minister, the zanzibarian convoy leaves on Monday."
		}
		ref := o.letter(t, body)
		if i < 5 && i != 2 {
			want = append([]string{ref}, want...) // newest first
		}
	}
	now := time.Now()
	o.r.cfg.Now = func() time.Time { now = now.Add(3 * time.Second); return now }

	l, err := o.r.ListLetters(ctx, o.reviewer, LetterQuery{Text: "zanzibarian", Partial: true})
	if err != nil || !l.Partial || len(l.Letters) != 0 {
		t.Fatalf("a caller that takes partial answers: %+v, %v, want a partial answer without letters", l, err)
	}

	var got []string
	q, partial := LetterQuery{Text: "zanzibarian"}, 0
	for answers := 1; ; answers++ {
		l, err := o.r.ListLetters(ctx, o.reviewer, q)
		if err != nil {
			t.Fatal(err)
		}
		if l.Truncated && len(l.Letters) == 0 || answers > 20 {
			t.Fatalf("answer %d is truncated with no letter: %+v", answers, l)
		}
		for _, s := range l.Letters {
			got = append(got, s.Reference)
		}
		if !l.Truncated {
			break
		}
		if l.Partial {
			partial++
		}
		q.Before = l.Letters[len(l.Letters)-1].Reference // the contract before partial answers
	}
	if !slices.Equal(got, want) {
		t.Errorf("found: %v, want %v", got, want)
	}
	if partial == 0 {
		t.Error("no answer was partial: the budget was not spent")
	}
}
