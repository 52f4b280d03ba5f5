package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/store"
)

// testListLetters checks the letter listing: each letter's state, latest version and release,
// the filters by state and class, the order, the limit and the pages.
func testListLetters(t *testing.T, db *store.DB) {
	m := addMember(t, db, "dana")
	ids := map[string]int64{}
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		// Six letters: 1 draft with two versions, 2 released, 3 retracted, 4 superseded by
		// 2, 5 a draft of another class, 6 a letter without versions.
		for i := 1; i <= 6; i++ {
			class := "foreign-government"
			if i == 5 {
				class = "press"
			}
			l := &store.Letter{Reference: fmt.Sprintf("TFN-2020-%06d", i), Subject: fmt.Sprintf("subject %d", i), Class: class,
				Tags: []string{"t"}, Addressees: []string{"Ministry of Defence", "Embassy"}, AuthorID: m.ID, CreatedAt: at(i)}
			if err := tx.AddLetter(ctx, l); err != nil {
				return err
			}
			ids[l.Reference] = l.ID
			versions := 1
			switch i {
			case 1:
				versions = 2
			case 6:
				versions = 0
			}
			for n := 1; n <= versions; n++ {
				d := fmt.Sprintf("sha256:%062d%02d", i, n)
				if err := tx.PutBlob(ctx, d, []byte{byte(i), byte(n)}); err != nil {
					return err
				}
				if err := tx.AddVersion(ctx, store.Version{LetterID: l.ID, N: n, Digest: d, MediaType: "text/plain", FileName: fmt.Sprintf("v%d.txt", n),
					Size: 2, CreatedBy: m.ID, CreatedAt: at(10*i + n)}); err != nil {
					return err
				}
			}
		}
		for i := 2; i <= 4; i++ {
			ref := fmt.Sprintf("TFN-2020-%06d", i)
			file := fmt.Sprintf("sha256:%064d", 100+i)
			if err := tx.PutBlob(ctx, file, []byte{byte(i)}); err != nil {
				return err
			}
			if err := tx.AddRelease(ctx, store.Release{LetterID: ids[ref], VersionN: 1, FileDigest: file, FileName: "v1.pdf",
				MediaType: "application/pdf", LogIndex: int64(i), Entry: []byte("e"), ReleasedBy: m.ID, ReleasedAt: at(100 + i)}); err != nil {
				return err
			}
		}
		for i, kind := range map[int]string{3: "retraction", 4: "supersession"} {
			w := store.Withdrawal{LetterID: ids[fmt.Sprintf("TFN-2020-%06d", i)], Kind: kind, Reason: "r", LogIndex: int64(10 + i),
				Entry: []byte("w"), MemberID: m.ID, CreatedAt: at(200 + i)}
			if kind == "supersession" {
				w.ByLetter = ids["TFN-2020-000002"]
			}
			if err := tx.AddWithdrawal(ctx, w); err != nil {
				return err
			}
		}
		return nil
	})
	list := func(f store.LetterFilter, limit int) []store.ListedLetter {
		t.Helper()
		var out []store.ListedLetter
		view(t, db, func(ctx context.Context, tx *store.Tx) error {
			var err error
			out, err = tx.ListLetters(ctx, f, limit)
			return err
		})
		return out
	}
	refs := func(ls []store.ListedLetter) []string {
		var out []string
		for _, l := range ls {
			out = append(out, fmt.Sprintf("%s:%s", l.Reference[len(l.Reference)-1:], l.State))
		}
		return out
	}
	all := list(store.LetterFilter{}, 100)
	if got, want := refs(all), []string{"6:draft", "5:draft", "4:superseded", "3:retracted", "2:released", "1:draft"}; !slices.Equal(got, want) {
		t.Fatalf("every letter: %v, want %v (newest first, with states)", got, want)
	}
	byRef := map[string]store.ListedLetter{}
	for _, l := range all {
		byRef[l.Reference] = l
	}
	one := byRef["TFN-2020-000001"]
	if one.Latest.N != 2 || one.Latest.FileName != "v2.txt" || one.Latest.Digest != fmt.Sprintf("sha256:%062d%02d", 1, 2) || !one.Latest.CreatedAt.Equal(at(12)) {
		t.Errorf("latest version of a draft with two: %+v", one.Latest)
	}
	if one.LogIndex != -1 || !one.ReleasedAt.IsZero() || !one.WithdrawnAt.IsZero() || !one.ErasedAt.IsZero() {
		t.Errorf("a draft has release fields: %+v", one)
	}
	if one.Subject != "subject 1" || one.Class != "foreign-government" || !slices.Equal(one.Addressees, []string{"Ministry of Defence", "Embassy"}) ||
		!slices.Equal(one.Tags, []string{"t"}) || !one.CreatedAt.Equal(at(1)) || one.AuthorID != m.ID {
		t.Errorf("letter read back as %+v", one.Letter)
	}
	if l := byRef["TFN-2020-000003"]; l.LogIndex != 3 || !l.ReleasedAt.Equal(at(103)) || !l.WithdrawnAt.Equal(at(203)) {
		t.Errorf("retracted letter: %+v", l)
	}
	if l := byRef["TFN-2020-000006"]; l.Latest.N != 0 {
		t.Errorf("a letter without versions has a latest version %+v", l.Latest)
	}

	for _, tc := range []struct {
		f    store.LetterFilter
		want []string
	}{
		{store.LetterFilter{State: store.StateDraft}, []string{"6:draft", "5:draft", "1:draft"}},
		{store.LetterFilter{State: store.StateReleased}, []string{"2:released"}},
		{store.LetterFilter{State: store.StateRetracted}, []string{"3:retracted"}},
		{store.LetterFilter{State: store.StateSuperseded}, []string{"4:superseded"}},
		{store.LetterFilter{Class: "press"}, []string{"5:draft"}},
		{store.LetterFilter{Class: "press", State: store.StateReleased}, nil},
		{store.LetterFilter{Class: "nothing"}, nil},
		{store.LetterFilter{State: store.StateDraft, Before: ids["TFN-2020-000005"]}, []string{"1:draft"}},
		{store.LetterFilter{Before: ids["TFN-2020-000001"]}, nil},
	} {
		if got := refs(list(tc.f, 100)); !slices.Equal(got, tc.want) {
			t.Errorf("ListLetters(%+v) = %v, want %v", tc.f, got, tc.want)
		}
	}
	// Pages of two walk every letter once, in order.
	var walked []string
	f := store.LetterFilter{}
	for {
		page := list(f, 2)
		if len(page) == 0 {
			break
		}
		if len(page) > 2 {
			t.Fatalf("a page of %d letters with limit 2", len(page))
		}
		walked = append(walked, refs(page)...)
		f.Before = page[len(page)-1].ID
	}
	if !slices.Equal(walked, refs(all)) {
		t.Errorf("pages walked %v, want %v", walked, refs(all))
	}

	// The latest releases, as the inbox shows them: by log index, newest first.
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		rels, err := tx.RecentReleases(ctx, 2)
		if err != nil {
			return err
		}
		var got []string
		for _, l := range rels {
			got = append(got, l.Reference)
		}
		if want := []string{"TFN-2020-000004", "TFN-2020-000003"}; !slices.Equal(got, want) {
			t.Errorf("RecentReleases(2) = %v, want %v", got, want)
		}
		return nil
	})

	// Erasure shows in the listing, with the letter's content gone.
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		return tx.EraseLetter(ctx, ids["TFN-2020-000002"], at(300))
	})
	for _, l := range list(store.LetterFilter{State: store.StateReleased}, 10) {
		if l.Reference != "TFN-2020-000002" || !l.ErasedAt.Equal(at(300)) || l.Subject != "" || len(l.Addressees) != 0 {
			t.Errorf("erased letter listed as %+v", l)
		}
	}
}
