package registry

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/seal"
)

// hostileTexts are strings that move a terminal's cursor, reorder what a reader sees, or look
// like other strings: none may be stored.
var hostileTexts = map[string]string{
	"escape sequence":   "\x1b[2K\x1b[1Gvalid: signed by the office",
	"tab":               "a\tb",
	"delete":            "a\x7fb",
	"C1 control":        "a\u009bb",
	"right-to-left":     "sent in error\u202egnp.exe",
	"zero width space":  "foreign-government\u200b",
	"zero width joiner": "foreign\u200dgovernment",
	// A non-joiner is taken only where a joining script or a virama needs it (nonJoinerInPlace).
	"non-joiner in Latin":           "foreign\u200cgovernment",
	"non-joiner at the end":         "\u0645\u06cc\u200c",
	"non-joiner after a space":      "\u0645\u06cc \u200c\u062e",
	"non-joiner between scripts":    "\u0645\u06cc\u200cx",
	"non-joiner after Latin virama": "a\u200c\u0645",
	"isolate":                       "a\u2066b\u2069",
	"byte-order mark":               "\ufeffforeign-government",
	"line separator":                "a\u2028b",
	"hangul filler":                 "foreign-government\u3164",
	"left-to-right mark":            "\u200eforeign-government",
	// Default-ignorable characters outside the format class, which the letters' fonts draw
	// as nothing: an addressee "minister@mod.example" with one at its end escapes the rule
	// `a.endsWith("@mod.example")` while reading as one it governs.
	"combining grapheme joiner": "minister@mod.example\u034f",
	"khmer inherent vowel":      "foreign\u17b4government",
	"unassigned ignorable":      "foreign-government\u2065",
	// Drawn as nothing, or as an empty cell, by the letters' fonts (lookalike.Skeleton reads
	// them as blanks, thirty-ninth session).
	"object replacement": "foreign-government\ufffc",
	"null notehead":      "foreign\U0001d159government",
}

// TestStoredTextRefusesControlCharacters is issue 12 item 11: control, format and invisible
// characters are refused in every stored text field, before anything is stored.
func TestStoredTextRefusesControlCharacters(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, _ := o.released(t, "A letter that will be withdrawn.")
	draft := o.letter(t, "A draft to decide on.")
	for name, s := range hostileTexts {
		nl := func(f func(*NewLetter)) NewLetter {
			l := NewLetter{Subject: "Coordination", Class: "foreign-government", Tags: []string{"routine"},
				Addressees: []string{"Ministry of Defence"}, File: Upload{Name: "letter.txt", Data: []byte("Sir, ...")}}
			f(&l)
			return l
		}
		for field, l := range map[string]NewLetter{
			"subject":   nl(func(l *NewLetter) { l.Subject = s }),
			"class":     nl(func(l *NewLetter) { l.Class = s }),
			"tag":       nl(func(l *NewLetter) { l.Tags = []string{"routine", s} }),
			"addressee": nl(func(l *NewLetter) { l.Addressees = []string{s} }),
			"file name": nl(func(l *NewLetter) { l.File.Name = s + ".txt" }),
		} {
			_, err := o.r.CreateLetter(ctx, o.drafter, l)
			wantErr(t, name+" in the "+field, err, ErrInvalid)
		}
		_, err := o.r.AddMember(ctx, o.admin, "sam"+s, []string{RoleSigner})
		wantErr(t, name+" in a member name", err, ErrInvalid)
		_, _, err = o.withdrawalStatementOf(ctx, o.signer, ref, "", s)
		wantErr(t, name+" in a withdrawal reason", err, ErrInvalid)
		_, err = o.r.RevokeKey(ctx, o.signer, o.keyID, s)
		wantErr(t, name+" in a key revocation reason", err, ErrInvalid)
		wantErr(t, name+" in an erasure reason", o.r.Erase(ctx, o.admin, ref, s), ErrInvalid)
		wantErr(t, name+" in a rejection comment", o.r.Reject(ctx, o.reviewer, draft, "", s), ErrInvalid)
		_, err = o.r.ExportDraft(ctx, o.drafter, draft, s)
		wantErr(t, name+" in a draft copy's recipient", err, ErrInvalid)
	}
	// Variation selectors are drawn as nothing too: refused in every one-line field, as
	// above; a comment, which no rule reads, may have one after an emoji.
	for _, s := range []string{"minister@mod.example\ufe0f", "foreign\u180bgovernment", "foreign-government\U000e0100"} {
		_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Coordination", Class: "foreign-government",
			Addressees: []string{s}, File: Upload{Name: "letter.txt", Data: []byte("Sir, ...")}})
		wantErr(t, "a variation selector in an addressee", err, ErrInvalid)
		_, err = o.r.AddMember(ctx, o.admin, "sam"+s, []string{RoleSigner})
		wantErr(t, "a variation selector in a member name", err, ErrInvalid)
	}
	if err := o.r.Reject(ctx, o.reviewer, draft, "", "Thanks \u2764\ufe0f, but the date is wrong."); err != nil {
		t.Errorf("a comment with an emoji's variation selector: %v", err)
	}
	draft = o.letter(t, "Another draft to decide on.")
	// A comment may be several lines.
	if err := o.r.Reject(ctx, o.reviewer, draft, "", "Two things:\n- the date\n- the addressee"); err != nil {
		t.Errorf("a comment of several lines: %v", err)
	}

	// A withdrawal reason that comes from the signer's own opening, not from
	// WithdrawalStatement, is checked too.
	const evil = "\x1b[2K\x1b[1Gvalid"
	forgedOpening := seal.NewOpening(seal.RetractionStatement{Office: o.r.Office().Name, Reference: ref, Reason: evil,
		RetractedBy: "sam", Time: o.r.now()})
	forged := seal.Marshal(seal.RetractionRecord{Office: o.r.Office().Name, Commitment: forgedOpening.Commitment(entry.Retraction), Time: o.r.now()})
	_, err := o.r.Withdraw(ctx, o.signer, ref, "", o.keyID, forged, forgedOpening,
		signPAE(o.signerKey, entry.Retraction.PayloadTypeV(entry.V2), forged))
	wantErr(t, "a withdrawal whose opening carries an escape sequence", err, ErrInvalid)
	if st, err := o.r.MemberStatus(ctx, o.reviewer, ref); err != nil || st.Outcome != Valid {
		t.Errorf("after refused withdrawals the letter is %+v, %v", st, err)
	}
}

// TestLookAlikeClassRefused is issue 12 item 5: a class that only looks like one the policy
// names is refused with the invisible character named, and text is stored in NFC so that a
// class typed with a combining accent is the class the policy names.
func TestLookAlikeClassRefused(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Withdrawal", Class: "foreign-government\u200b",
		Tags: []string{"force-posture"}, Addressees: []string{"Ministry"}, File: Upload{Name: "l.txt", Data: []byte("Sir, ...")}})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "U+200B") || !strings.Contains(err.Error(), "zero width space") {
		t.Fatalf("a class with a zero width space: %v; want ErrInvalid naming U+200B", err)
	}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Re\u0301sume\u0301", Class: "de\u0301fense",
		Tags: []string{"cafe\u0301"}, Addressees: []string{"Ministe\u0300re"}, File: Upload{Name: "l.txt", Data: []byte("Sir, ...")}})
	if err != nil {
		t.Fatal(err)
	}
	v, err := o.r.Letter(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if v.Subject != "Résumé" || v.Class != "défense" || len(v.Tags) != 1 || v.Tags[0] != "café" || v.Addressees[0] != "Ministère" {
		t.Errorf("stored %q %q %q %q, want them in NFC", v.Subject, v.Class, v.Tags, v.Addressees)
	}
}

// TestSignerWithTwoKeysNamedOnce is issue 12 item 12: a member who signed with two keys is
// one signer in the status and its message (and on the letterhead).
func TestSignerWithTwoKeysNamedOnce(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	samKey2, samKeyID2 := o.newKey(t, o.signer)
	ref := o.letter(t, "Signed twice by one member.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	if err := o.signAs(t, o.signer, samKey2, samKeyID2, ref); err != nil {
		t.Fatal(err)
	}
	if err := tryRelease(o, ref); err != nil {
		t.Fatal(err)
	}
	st, err := o.r.MemberStatus(ctx, o.reviewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(st.Signers, ",") != "sam" || !strings.HasSuffix(st.Message, "signed by sam") {
		t.Errorf("signers %q, message %q; want sam once", st.Signers, st.Message)
	}
}

// TestRefusedCallsKeepPublicCache is issue 12 item 12: a call refused for want of a role
// changes nothing, so it must not void the public answers' cache (an anonymous post would
// otherwise be a cheap way to defeat it).
func TestRefusedCallsKeepPublicCache(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, _ := o.released(t, "Released.")
	draft := o.letter(t, "A draft.")
	gen := o.r.public.generation()
	for _, a := range []Actor{{}, o.reviewer} {
		_, err := o.r.Release(ctx, a, draft)
		wantRefused(t, "release", err)
		_, err = o.r.Withdraw(ctx, a, ref, "", o.keyID, nil, nil, nil)
		wantRefused(t, "withdraw", err)
		wantRefused(t, "erase", o.r.Erase(ctx, a, ref, "asked"))
		_, err = o.r.CreateLetter(ctx, a, NewLetter{})
		wantRefused(t, "create", err)
		_, err = o.r.Revise(ctx, a, draft, Upload{Name: "x.txt", Data: []byte("x")})
		wantRefused(t, "revise", err)
	}
	_, err := o.r.ExportDraft(ctx, Actor{}, draft, "Liaison")
	wantRefused(t, "export", err)
	if got := o.r.public.generation(); got != gen {
		t.Errorf("refused calls moved the public cache's generation from %d to %d", gen, got)
	}
}

// wantRefused reports an error unless err is a refusal for want of a member or a role.
func wantRefused(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, ErrUnauthenticated) && !errors.Is(err, ErrForbidden) {
		t.Errorf("%s: got error %v, want a refusal", what, err)
	}
}

// TestDotNamesRefused checks that "." and ".." are refused as member names: a member's web
// forms address /admin/members/NAME/…, where browsers resolve dot segments, so an admin could
// never disable such a member or change their roles from the web.
func TestDotNamesRefused(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	for _, name := range []string{".", ".."} {
		if _, err := o.r.AddMember(ctx, o.admin, name, []string{RoleReviewer}); !errors.Is(err, ErrInvalid) {
			t.Errorf("member %q: %v, want ErrInvalid", name, err)
		}
	}
	if _, err := o.r.AddMember(ctx, o.admin, "...", []string{RoleReviewer}); err != nil {
		t.Errorf(`member "...", an ordinary path segment: %v`, err)
	}
}

// TestNonJoinerWhereScriptsNeedIt: a zero-width non-joiner between two letters of a joining
// script (Persian "می‌خواهم", with a mark before it too) or after a Devanagari virama is stored
// as typed, in subjects, addressees and member names; a member name that differs from
// another only by one is refused as its look-alike; the office's name refuses it, which the
// verifiers' trust root does not take.
func TestNonJoinerWhereScriptsNeedIt(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	persian := "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645" // می‌خواهم
	marked := "\u0645\u064e\u200c\u062e"                          // a fatha before it
	hindi := "\u0915\u094d\u200c\u0937"                           // क्‌ष: a half form
	for _, s := range []string{persian, marked, hindi} {
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Coordination " + s, Class: "foreign-government",
			Addressees: []string{"Ministry " + s}, File: Upload{Name: "letter.txt", Data: []byte("Sir, ...")}})
		if err != nil {
			t.Fatalf("%+q: %v", s, err)
		}
		l, err := o.r.Letter(ctx, o.drafter, ref)
		if err != nil {
			t.Fatal(err)
		}
		if l.Subject != "Coordination "+s {
			t.Errorf("stored subject %+q, want %+q", l.Subject, "Coordination "+s)
		}
	}
	if _, err := o.r.AddMember(ctx, o.admin, persian, []string{RoleSigner}); err != nil {
		t.Fatalf("member %+q: %v", persian, err)
	}
	without := strings.ReplaceAll(persian, "\u200c", "")
	if _, err := o.r.AddMember(ctx, o.admin, without, []string{RoleSigner}); !errors.Is(err, ErrConflict) {
		t.Errorf("member %+q beside %+q: %v, want ErrConflict (a look-alike)", without, persian, err)
	}
	if _, err := CheckOfficeName("\u0648\u0632\u0627\u0631\u062a "+persian, "TFN"); !errors.Is(err, ErrInvalid) {
		t.Errorf("an office name with a non-joiner: %v, want ErrInvalid", err)
	}
}
