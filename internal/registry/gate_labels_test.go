package registry

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/store"
)

// TestGateRefusesLabelsGivenTwiceStoredBefore: a letter stored before creation refused a tag
// given twice (item 102) or an addressee given twice (item 276) was released, though a
// condition such as `letter.tags.exists_one(…)` counts it twice and misses it; so was one
// with more tags or addressees than a letter may have now. The gate refuses them, saying why.
func TestGateRefusesLabelsGivenTwiceStoredBefore(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(o.dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	many := func(n int, f string) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf(f, i))
		}
		return out
	}
	to := []string{"Ministry of Defence of Freedonia"}
	for _, c := range []struct {
		name             string
		tags, addressees []string
		want             string
	}{
		{"tag twice", []string{"force-posture", "force-posture"}, to, `the tag "force-posture" is given twice`},
		{"tag twice, one not in NFC", []string{"défense", "de\u0301fense"}, to, "is given twice"},
		{"addressee twice", nil, []string{"HQ", "HQ"}, `the addressees "HQ" and "HQ"`},
		{"addressee in capitals", nil, []string{"hq@mod.example", "HQ@MOD.example"}, `"hq@mod.example" and "HQ@MOD.example"`},
		{"addressee with other spaces", nil, []string{"Ministry of Defence", "Ministry  of\u00a0Defence"}, "are one addressee given twice"},
		{"too many tags", many(MaxTags+1, "t%d"), to, fmt.Sprintf("the letter has %d tags", MaxTags+1)},
		{"too many addressees", nil, many(MaxAddressees+1, "Office %d"), fmt.Sprintf("the letter has %d addressees", MaxAddressees+1)},
	} {
		t.Run(c.name, func(t *testing.T) {
			ref := o.letter(t, "Stored before: "+c.name)
			tags, _ := json.Marshal(c.tags)
			if c.tags == nil {
				tags = []byte("[]")
			}
			addressees, _ := json.Marshal(c.addressees)
			if _, err := raw.ExecContext(ctx, `UPDATE letters SET tags = ?, addressees = ? WHERE reference = ?`, string(tags), string(addressees), ref); err != nil {
				t.Fatal(err)
			}
			if err := o.r.Approve(ctx, o.reviewer, ref, "", ""); err != nil {
				t.Fatal(err)
			}
			if err := o.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			_, err := o.r.Release(ctx, o.officer, ref)
			var gate *GateError
			if !errors.As(err, &gate) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("release: %v, want the gate to refuse it with %q", err, c.want)
			}
			v, err := o.r.Letter(ctx, o.reviewer, ref)
			if err != nil {
				t.Fatal(err)
			}
			if v.Decision == nil || v.Decision.Allowed {
				t.Errorf("the letter's decision allows its release: %+v", v.Decision)
			}
		})
	}
}

// TestCreateLetterBoundsTagsAndAddressees: a letter's tags and addressees were not bounded (a
// condition over thousands reaches CEL's cost limit at every decision). Creation refuses
// more than MaxTags tags or MaxAddressees addressees, and takes as many.
func TestCreateLetterBoundsTagsAndAddressees(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	many := func(n int, f string) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf(f, i))
		}
		return out
	}
	create := func(tags, addressees []string) error {
		_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Many labels", Class: "internal", Tags: tags,
			Addressees: addressees, File: Upload{Name: "letter.txt", Data: []byte("Many labels " + fmt.Sprint(len(tags), len(addressees)))}})
		return err
	}
	if err := create(many(MaxTags+1, "t%d"), []string{"HQ"}); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "at most 64 tags") {
		t.Errorf("%d tags: %v, want ErrInvalid", MaxTags+1, err)
	}
	if err := create(nil, many(MaxAddressees+1, "Office %d")); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "at most 200 addressees") {
		t.Errorf("%d addressees: %v, want ErrInvalid", MaxAddressees+1, err)
	}
	if err := create(many(MaxTags, "t%d"), many(MaxAddressees, "Office %d")); err != nil {
		t.Errorf("%d tags and %d addressees: %v", MaxTags, MaxAddressees, err)
	}
}

// TestGateRefusesLetterNotStoredAsItReads: a letter stored before creation stored subjects
// and addressees as they read (item 192) escaped a rule naming its addressee or a word of its
// subject with a Cyrillic letter inside a word or other spaces, and was released under the
// default rule on one signature where the rule asked for two. The gate refuses it.
func TestGateRefusesLetterNotStoredAsItReads(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	src := "version: 1\nname: mod\nrules:\n  - name: mod\n    when: '\"Ministry of Defence\" in letter.addressees || letter.subject.contains(\"Ultimatum\")'\n" +
		"    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer, count: 2}]\n" +
		"  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n"
	p, err := policy.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(src)); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(o.dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	for _, c := range []struct {
		name, subject, addressee, want string
	}{
		{"addressee with a Cyrillic letter", "Repositioning of forces", "Ministry of D\u0435fence", "mixes Latin and Cyrillic letters"},
		{"addressee with a no-break space", "Repositioning of forces", "Ministry\u00a0of Defence", "is not stored as it reads"},
		{"addressee with a trailing space", "Repositioning of forces", "Ministry of Defence ", "is not stored as it reads"},
		{"addressee not in NFC", "Repositioning of forces", "Ministe\u0300re de la De\u0301fense", "is not stored as it reads"},
		{"subject with a Cyrillic letter", "Final Ultim\u0430tum", "Embassy of Freedonia", "mixes Latin and Cyrillic letters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ref := o.letter(t, "Stored before: "+c.name)
			addressees, _ := json.Marshal([]string{c.addressee})
			if _, err := raw.ExecContext(ctx, `UPDATE letters SET subject = ?, addressees = ? WHERE reference = ?`, c.subject, string(addressees), ref); err != nil {
				t.Fatal(err)
			}
			if err := o.r.Approve(ctx, o.reviewer, ref, "", ""); err != nil {
				t.Fatal(err)
			}
			if err := o.sign(t, ref); err != nil {
				t.Fatal(err)
			}
			_, err := o.r.Release(ctx, o.officer, ref)
			var gate *GateError
			if !errors.As(err, &gate) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("release on one signature: %v, want the gate to refuse it with %q", err, c.want)
			}
		})
	}
}
