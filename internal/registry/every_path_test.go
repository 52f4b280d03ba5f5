package registry

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// pathLetter is a letter of TestEveryPathFollowsState: what it says, and what every path must
// answer about it once its state has changed.
type pathLetter struct {
	label   string
	text    string
	ref     string
	rel     *Released
	outcome string // after the change
	reason  string // the signed reason its holders are told, "" for none
	erased  bool
}

// markers are the words only the letter's holders may read: its subject, its addressee and
// its withdrawal's reason.
func (l *pathLetter) markers() []string {
	return []string{"mkrsubj" + l.label, "mkraddr" + l.label, "mkrreason" + l.label}
}

// TestEveryPathFollowsState asks about letters in every state, on every path a holder or the
// public has (the kept answer by digest, the status by digest, by reference, by reference
// with the right and with a wrong check code, the fresh answer, the identification of the
// text, the released file and the seal), twice before the change so that each answer is
// kept wherever answers are kept, then changes their states (retraction, supersession,
// erasure, and both in either order) and asks again: every path answers the new state, with
// the signed reason for holders; the public learns no subject, addressee or reason; an erased
// letter's content is served by none.
func TestEveryPathFollowsState(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	holdAnswers(t, o.r.cfg.DB)
	corpus := synth.Corpus{Seed: 11, FamilySize: 3}
	var letters []*pathLetter
	add := func(label, outcome, reason string, erased bool) *pathLetter {
		t.Helper()
		l := &pathLetter{label: label, text: corpus.Member(len(letters), 0).Text(), outcome: outcome, reason: reason, erased: erased}
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Subject mkrsubj" + label, Class: "foreign-government",
			Addressees: []string{"Ministry mkraddr" + label}, File: Upload{Name: "letter.txt", Data: []byte(l.text)}})
		if err != nil {
			t.Fatal(err)
		}
		l.ref, l.rel = ref, o.approvedAndReleased(t, ref)
		letters = append(letters, l)
		return l
	}
	add("stands", Valid, "", false)
	ret := add("ret", Retracted, "mkrreasonret", false)
	sup := add("sup", Superseded, "mkrreasonsup", false)
	// The superseding letter is addressed to everyone the letters it supersedes were.
	by := &pathLetter{label: "by", text: corpus.Member(40, 0).Text(), outcome: Valid}
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Subject mkrsubjby", Class: "foreign-government",
		Addressees: []string{"Ministry mkraddrsup", "Ministry mkraddrsupera", "Ministry mkraddrby"}, File: Upload{Name: "letter.txt", Data: []byte(by.text)}})
	if err != nil {
		t.Fatal(err)
	}
	by.ref, by.rel = ref, o.approvedAndReleased(t, ref)
	letters = append(letters, by)
	era := add("era", Valid, "", true)
	retEra := add("retera", Retracted, "", true)
	supEra := add("supera", Superseded, "", true)
	eraRet := add("eraret", Retracted, "mkrreasoneraret", true) // retracted once erased: its reason is new

	ask := func(l *pathLetter) {
		t.Helper()
		d := seal.DigestOf(l.rel.File)
		if _, _, err := o.r.PublicVerify(ctx, d, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.VerifyDigest(ctx, Actor{}, d); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.r.VerifyLatest(ctx, Actor{}, d); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.StatusOf(ctx, l.ref); err != nil {
			t.Fatal(err)
		}
		if _, _, err := o.r.StatusWithCode(ctx, l.ref, l.rel.CheckCode); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.Identify(ctx, Actor{}, l.text); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		for _, l := range letters {
			ask(l)
		}
	}
	for _, l := range letters {
		if st, _, _ := o.r.StatusWithCode(ctx, l.ref, l.rel.CheckCode); st.Outcome != Valid || st.Subject != "Subject mkrsubj"+l.label {
			t.Fatalf("%s before the change: %+v", l.label, st)
		}
	}

	withdraw := func(l *pathLetter, by, reason string) {
		t.Helper()
		record, sig := o.retraction(t, l.ref, by, reason)
		if _, err := o.withdraw(ctx, o.signer, l.ref, by, o.keyID, record, sig); err != nil {
			t.Fatal(err)
		}
	}
	erase := func(l *pathLetter) {
		t.Helper()
		if err := o.r.Erase(ctx, o.admin, l.ref, "asked by mkrsubj"+l.label); err != nil {
			t.Fatal(err)
		}
	}
	withdraw(ret, "", ret.reason)
	withdraw(sup, by.ref, sup.reason)
	erase(era)
	withdraw(retEra, "", "mkrreasonretera")
	erase(retEra)
	withdraw(supEra, by.ref, "mkrreasonsupera")
	erase(supEra)
	erase(eraRet)
	withdraw(eraRet, "", eraRet.reason)

	leaks := func(what string, b []byte, l *pathLetter) {
		t.Helper()
		for _, m := range l.markers() {
			// The marker as it is, and in base64 at each of the three alignments (the part of
			// the encoding that depends on the marker's bytes alone).
			forms := []string{m}
			for k, start := range []int{0, 2, 3} {
				enc := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("x", k) + m))
				forms = append(forms, enc[start:len(enc)-3])
			}
			for _, form := range forms {
				if bytes.Contains(b, []byte(form)) {
					t.Errorf("LEAK: %s about %s shows %q (as %q): %s", what, l.label, m, form, b)
				}
			}
		}
	}
	statusJSON := func(st *Status) []byte {
		t.Helper()
		b, err := AppendStatusJSON(nil, st)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// holder checks an answer given to whoever holds the letter.
	holder := func(what string, l *pathLetter, st *Status, b []byte) {
		t.Helper()
		if st == nil {
			if err := json.Unmarshal(b, &st); err != nil {
				t.Fatalf("%s about %s: %v", what, l.label, err)
			}
			// The seal is spliced into the body (AppendStatusJSON), not decoded with it.
			if bytes.Contains(b, []byte(`,"seal":{`)) {
				st.Seal = &seal.Seal{}
			}
		} else {
			b = statusJSON(st)
		}
		if st.Outcome != l.outcome || st.Reason != l.reason || st.Erased != l.erased {
			t.Errorf("%s about %s: outcome %s, reason %q, erased %v; want %s, %q, %v", what, l.label, st.Outcome, st.Reason, st.Erased, l.outcome, l.reason, l.erased)
		}
		if l.reason != "" && !strings.Contains(st.Message, l.reason) {
			t.Errorf("%s about %s: the message %q does not give the signed reason %q", what, l.label, st.Message, l.reason)
		}
		if (l.outcome == Valid) != (st.Withdrawal == nil) {
			t.Errorf("%s about %s: withdrawal evidence %v for a letter that is %s", what, l.label, st.Withdrawal, l.outcome)
		}
		if l.erased {
			if st.Seal != nil || st.Subject != "" || len(st.Signers) != 0 {
				t.Errorf("%s about erased %s: seal %v, subject %q, signers %v", what, l.label, st.Seal != nil, st.Subject, st.Signers)
			}
			if l.reason == "" {
				leaks(what, b, l)
			}
		} else if st.Subject != "Subject mkrsubj"+l.label || st.Seal == nil {
			t.Errorf("%s about %s: subject %q, seal %v", what, l.label, st.Subject, st.Seal != nil)
		}
	}
	// public checks an answer given to whoever has the reference alone.
	public := func(what string, l *pathLetter, st *Status) {
		t.Helper()
		if st.Outcome != l.outcome || st.Reason != "" || st.Subject != "" || st.Seal != nil || st.Withdrawal != nil || len(st.Signers) != 0 || st.Erased {
			t.Errorf("%s about %s: %+v", what, l.label, st)
		}
		b := statusJSON(st)
		leaks(what, b, l)
		for _, name := range []string{"sam", "rita", "otto", "dana", "root"} {
			if bytes.Contains(b, []byte(`"`+name+`"`)) || bytes.Contains(b, []byte(" "+name)) {
				t.Errorf("LEAK: %s about %s names %s: %s", what, l.label, name, b)
			}
		}
	}
	for round := range 2 {
		for _, l := range letters {
			d := seal.DigestOf(l.rel.File)
			st, body, err := o.r.PublicVerify(ctx, d, nil)
			if err != nil {
				t.Fatal(err)
			}
			holder("the kept answer", l, st, bytes.Clone(body))
			if st, err = o.r.VerifyDigest(ctx, Actor{}, d); err != nil {
				t.Fatal(err)
			}
			holder("the answer by digest", l, st, nil)
			st, f, err := o.r.VerifyLatest(ctx, Actor{}, d)
			if err != nil {
				t.Fatal(err)
			}
			holder("the fresh answer", l, st, nil)
			if (f != nil) != !l.erased {
				t.Errorf("the fresh answer about %s: freshness %v", l.label, f != nil)
			}
			st, ok, err := o.r.StatusWithCode(ctx, l.ref, l.rel.CheckCode)
			if err != nil || !ok {
				t.Fatalf("status of %s with its code: %v %v", l.label, ok, err)
			}
			holder("the answer by reference and code", l, st, nil)
			if st, err = o.r.MemberStatus(ctx, o.reviewer, l.ref); err != nil {
				t.Fatal(err)
			}
			holder("the member's answer", l, st, nil)
			if st, err = o.r.StatusOf(ctx, l.ref); err != nil {
				t.Fatal(err)
			}
			public("the answer by reference", l, st)
			if st, ok, err = o.r.StatusWithCode(ctx, l.ref, otherCode(l.rel.CheckCode)); err != nil || ok {
				t.Fatalf("status of %s with a wrong code: %v %v", l.label, ok, err)
			}
			public("the answer by reference and a wrong code", l, st)

			id, err := o.r.Identify(ctx, Actor{}, l.text)
			if err != nil {
				t.Fatal(err)
			}
			if l.erased {
				if id.Outcome != Unknown || id.Reference != "" || id.Status != nil {
					t.Errorf("the identification of erased %s: %+v", l.label, id)
				}
			} else {
				if id.Reference != l.ref {
					t.Errorf("the identification of %s: %s %s", l.label, id.Outcome, id.Reference)
				} else {
					holder("the identification of the text", l, id.Status, nil)
				}
				if id.Outcome != l.outcome {
					t.Errorf("the identification of %s: %s, want %s", l.label, id.Outcome, l.outcome)
				}
			}
			idj, _ := json.Marshal(id)
			if l.erased && l.reason == "" {
				leaks("the identification of the text", idj, l)
			}

			file, _, err := o.r.ReleasedFile(ctx, Actor{}, l.ref, l.rel.CheckCode)
			sl, serr := o.r.Seal(ctx, Actor{}, l.ref, l.rel.CheckCode)
			if l.erased {
				if !errors.Is(err, ErrGone) || !errors.Is(serr, ErrGone) || file != nil || sl != nil {
					t.Errorf("the file and seal of erased %s: %v, %v", l.label, err, serr)
				}
			} else if err != nil || serr != nil || !bytes.Equal(file, l.rel.File) {
				t.Errorf("the file and seal of %s: %v, %v", l.label, err, serr)
			}
		}
		if round == 0 {
			t.Logf("asked once after the change; asking again, from what was kept")
		}
	}
}

// otherCode returns code with its first character changed: a wrong check code of the right form.
func otherCode(code string) string {
	c := byte('a')
	if code[0] == 'a' {
		c = 'b'
	}
	return string(c) + code[1:]
}

// TestDraftPathsForThePublic asks about a draft, its version's file and a copy handed out, on
// every path, as the public and as a member without a role: each learns that the file is not
// an official letter, and nothing of which draft, copy or recipient it is; a member with a
// role learns which.
func TestDraftPathsForThePublic(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	holdAnswers(t, o.r.cfg.DB)
	text := synth.Corpus{Seed: 5, FamilySize: 1}.Letter(0).Text()
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Subject mkrsubjdraft", Class: "foreign-government",
		Addressees: []string{"Ministry mkraddrdraft"}, File: Upload{Name: "letter.txt", Data: []byte(text)}})
	if err != nil {
		t.Fatal(err)
	}
	cp, err := o.r.ExportDraft(ctx, o.drafter, ref, "Embassy mkrrecipdraft")
	if err != nil {
		t.Fatal(err)
	}
	v, err := o.r.Letter(ctx, o.drafter, ref)
	if err != nil {
		t.Fatal(err)
	}
	roleless := Actor{Member: &store.Member{ID: 1 << 40, Name: "nobody"}, Remote: "test"}
	clean := func(what string, b []byte) {
		t.Helper()
		for _, m := range []string{"mkrsubjdraft", "mkraddrdraft", "mkrrecipdraft", ref, `"dana"`} {
			if bytes.Contains(b, []byte(m)) {
				t.Errorf("LEAK: %s shows %q: %s", what, m, b)
			}
		}
	}
	for range 3 { // asked again, from what was kept
		for _, d := range []string{cp.Digest, v.Versions[0].Digest} {
			for _, a := range []Actor{{}, roleless} {
				st, err := o.r.VerifyDigest(ctx, a, seal.Digest(d))
				if err != nil || st.Outcome != Draft || st.Draft != nil {
					t.Fatalf("%s verifies %s: %+v, %v", a.name(), d, st, err)
				}
				j, _ := json.Marshal(st)
				clean("the answer by digest", j)
				id, err := o.r.IdentifyDraftBytes(ctx, a, seal.Digest(d))
				if err != nil || id == nil || id.Outcome != Draft || id.Reference != "" || id.Status.Draft != nil {
					t.Fatalf("%s identifies the bytes %s: %+v, %v", a.name(), d, id, err)
				}
				j, _ = json.Marshal(id)
				clean("the identification of the bytes", j)
			}
			st, body, err := o.r.PublicVerify(ctx, seal.Digest(d), nil)
			if err != nil || body != nil || st.Outcome != Draft || st.Draft != nil {
				t.Fatalf("the public verifies %s: %+v, %s, %v", d, st, body, err)
			}
			// A member with a role is told which draft and copy it is.
			if st, err := o.r.VerifyDigest(ctx, o.reviewer, seal.Digest(d)); err != nil || st.Draft == nil || st.Draft.Reference != ref {
				t.Fatalf("a reviewer verifies %s: %+v, %v", d, st, err)
			}
		}
		for _, a := range []Actor{{}, roleless} {
			id, err := o.r.Identify(ctx, a, text)
			if err != nil || id.Outcome != Unknown || id.Reference != "" || len(id.Matches) != 0 {
				t.Fatalf("%s identifies the draft's text: %+v, %v", a.name(), id, err)
			}
			j, _ := json.Marshal(id)
			clean("the identification of the text", j)
		}
		if id, err := o.r.Identify(ctx, o.reviewer, text); err != nil || id.Outcome != Draft || id.Reference != ref {
			t.Fatalf("a reviewer identifies the draft's text: %+v, %v", id, err)
		}
		unused := ref[:len(ref)-1] + "9"
		for _, r := range []string{ref, unused} {
			st, err := o.r.StatusOf(ctx, r)
			if err != nil || st.Outcome != Unknown {
				t.Fatalf("status of %s: %+v, %v", r, st, err)
			}
			j, _ := json.Marshal(st)
			if !bytes.Equal(bytes.ReplaceAll(j, []byte(r), nil), bytes.ReplaceAll(mustJSON(t, o.r, unused), []byte(unused), nil)) {
				t.Errorf("the status of the draft %s differs from an unused reference's: %s", r, j)
			}
		}
	}
}

func mustJSON(t *testing.T, r *Registry, ref string) []byte {
	t.Helper()
	st, err := r.StatusOf(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := json.Marshal(st)
	return j
}
