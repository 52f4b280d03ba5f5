package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
)

// v2Scenario is a log of version 2 entries: alice's and bob's keys, release A (signed by
// alice and bob) and release B (signed by alice).
type v2Scenario struct {
	o                    *testOffice
	keyAlice, keyBob     int64
	relA, relB           int64
	stA, stB             *ReleaseStatement
	later                time.Time
	alicePub, bobPub     ed25519.PublicKey
	aliceKeyID, bobKeyID string
}

func newV2Scenario(t testing.TB) *v2Scenario {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	s := &v2Scenario{o: o, later: releasedAt.Add(26 * time.Hour)}
	s.keyAlice = o.addKeyV2(t, "alice", keysAddedAt)
	s.keyBob = o.addKeyV2(t, "bob", keysAddedAt)
	s.stA = o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob")
	s.relA = o.logRelease(t, s.stA, nil)
	s.stB = o.releaseStatement(t, "TFN-2026-000124", letterB, releasedAt, "alice")
	s.relB = o.logRelease(t, s.stB, nil)
	s.alicePub = o.members["alice"].Public().(ed25519.PublicKey)
	s.bobPub = o.members["bob"].Public().(ed25519.PublicKey)
	s.aliceKeyID, s.bobKeyID = dsse.KeyID(s.alicePub), dsse.KeyID(s.bobPub)
	return s
}

// commitmentOf is the commitment's definition, spelled out.
func commitmentOf(k entry.Kind, salt, statement []byte) []byte {
	h := sha256.New()
	h.Write([]byte("chancery-commitment v1\n"))
	h.Write([]byte("application/vnd.chancery." + string(k) + ".v1+json"))
	h.Write([]byte("\n"))
	h.Write(salt)
	h.Write(statement)
	return h.Sum(nil)
}

func TestCommitmentDefinition(t *testing.T) {
	op := &Opening{Salt: fixedSalt(0), Statement: []byte(`{"office":"Task Force North"}`)}
	seen := map[string]entry.Kind{}
	for _, k := range entry.Kinds {
		c := op.Commitment(k)
		if !bytes.Equal(c, commitmentOf(k, op.Salt, op.Statement)) {
			t.Errorf("%s: commitment %x, want %x", k, c, commitmentOf(k, op.Salt, op.Statement))
		}
		if other, ok := seen[string(c)]; ok {
			t.Errorf("kinds %s and %s have the same commitment", k, other)
		}
		seen[string(c)] = k
	}
	other := &Opening{Salt: fixedSalt(1), Statement: op.Statement}
	if bytes.Equal(other.Commitment(entry.Release), op.Commitment(entry.Release)) {
		t.Error("another salt gives the same commitment")
	}
	// NewOpening draws a fresh salt of SaltSize bytes each time.
	a, b := NewOpening(map[string]int{"a": 1}), NewOpening(map[string]int{"a": 1})
	if len(a.Salt) != SaltSize || bytes.Equal(a.Salt, b.Salt) || string(a.Statement) != `{"a":1}` || !bytes.Equal(a.Statement, b.Statement) {
		t.Errorf("NewOpening: %x %x %q", a.Salt, b.Salt, a.Statement)
	}
}

// TestCommitmentBindsKind checks that an opening opens only the kind it was made for: the
// payload type in the commitment keeps a key statement from opening a release or a
// revocation, even where the record's public fields agree.
func TestCommitmentBindsKind(t *testing.T) {
	s := newV2Scenario(t)
	ks := &KeyStatement{Office: s.o.name, KeyID: s.aliceKeyID, PublicKey: s.alicePub, Member: "alice", Time: releasedAt}
	op := &Opening{Salt: fixedSalt(0), Statement: Marshal(ks)}
	added := &KeyRecord{Office: ks.Office, KeyID: ks.KeyID, PublicKey: ks.PublicKey, Commitment: op.Commitment(entry.KeyAdded), Time: ks.Time}
	if got, err := OpenKey(entry.KeyAdded, added, op); err != nil || !reflect.DeepEqual(got, ks) {
		t.Fatalf("OpenKey: %+v, %v", got, err)
	}
	if _, err := OpenKey(entry.KeyRevoked, added, op); !errors.Is(err, ErrBadOpening) {
		t.Errorf("a key-added commitment opened as key-revoked: %v", err)
	}
	rel := &ReleaseRecord{Office: ks.Office, Commitment: op.Commitment(entry.KeyAdded), SignerKeys: []string{}, ReleasedAt: releasedAt}
	if _, err := OpenRelease(rel, op); !errors.Is(err, ErrBadOpening) {
		t.Errorf("a key statement's opening opened a release record: %v", err)
	}
	// Even committed as a release, a key statement is no release statement.
	rel.Commitment = op.Commitment(entry.Release)
	if _, err := OpenRelease(rel, op); !errors.Is(err, ErrMalformed) || errors.Is(err, ErrBadOpening) {
		t.Errorf("a key statement committed as a release: %v", err)
	}
	for _, k := range []entry.Kind{entry.Retraction, entry.Supersession, entry.PolicyAdopted} {
		var err error
		switch k {
		case entry.Retraction:
			_, err = OpenRetraction(&RetractionRecord{Office: ks.Office, Commitment: added.Commitment, Time: ks.Time}, op)
		case entry.Supersession:
			_, err = OpenSupersession(&SupersessionRecord{Office: ks.Office, Commitment: added.Commitment, Time: ks.Time}, op)
		case entry.PolicyAdopted:
			_, err = OpenPolicy(&PolicyRecord{Office: ks.Office, Commitment: added.Commitment, Time: ks.Time}, op)
		}
		if !errors.Is(err, ErrBadOpening) {
			t.Errorf("a key-added commitment opened as %s: %v", k, err)
		}
	}
	// The same through logged entries: the opening of alice's key-added entry does not open
	// a revocation record carrying its commitment.
	e, err := entry.Decode(s.o.entries[s.keyAlice])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(e, s.o.openings[s.keyAlice]); err != nil {
		t.Fatal(err)
	}
	e.Kind = entry.KeyRevoked
	e.Envelope.PayloadType = entry.KeyRevoked.PayloadTypeV(entry.V2)
	if _, err := Open(e, s.o.openings[s.keyAlice]); !errors.Is(err, ErrBadOpening) {
		t.Errorf("key-added opening on a key-revoked entry: %v", err)
	}
	// And a release's opening opens no key entry.
	e.Kind = entry.KeyAdded
	if _, err := Open(e, s.o.openings[s.relA]); !errors.Is(err, ErrBadOpening) {
		t.Errorf("release opening on a key-added entry: %v", err)
	}
}

func TestOpenRelease(t *testing.T) {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	st := o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob")
	other := o.releaseStatement(t, "TFN-2026-000124", letterB, releasedAt, "alice", "bob")
	alice, bob := st.Signatures[0].KeyID, st.Signatures[1].KeyID
	str := func(s string) *string { return &s }
	type tc struct {
		name string
		edit func(rec *ReleaseRecord, op *Opening)
		want error // nil, ErrBadOpening, or ErrMalformed (and not ErrBadOpening)
	}
	recommit := func(op *Opening, rec *ReleaseRecord) { rec.Commitment = op.Commitment(entry.Release) }
	cases := []tc{
		{"valid", func(*ReleaseRecord, *Opening) {}, nil},
		{"office", func(rec *ReleaseRecord, _ *Opening) { rec.Office = "Task Force South" }, ErrBadOpening},
		{"time", func(rec *ReleaseRecord, _ *Opening) { rec.ReleasedAt = rec.ReleasedAt.Add(time.Second) }, ErrBadOpening},
		{"same instant, other zone", func(rec *ReleaseRecord, _ *Opening) {
			rec.ReleasedAt = rec.ReleasedAt.In(time.FixedZone("CET", 3600))
		}, ErrBadOpening},
		{"signer keys reordered", func(rec *ReleaseRecord, _ *Opening) { rec.SignerKeys = []string{bob, alice} }, ErrBadOpening},
		{"signer key left out", func(rec *ReleaseRecord, _ *Opening) { rec.SignerKeys = []string{alice} }, ErrBadOpening},
		{"signer key repeated", func(rec *ReleaseRecord, _ *Opening) { rec.SignerKeys = []string{alice, bob, bob} }, ErrBadOpening},
		{"no signer keys", func(rec *ReleaseRecord, _ *Opening) { rec.SignerKeys = nil }, ErrMalformed}, // a record with signer_keys null is not valid
		{"disclosed subject differs", func(rec *ReleaseRecord, _ *Opening) {
			rec.Disclosed = &Disclosure{Subject: str("Exercise cancelled")}
		}, ErrBadOpening},
		{"disclosed file digest differs", func(rec *ReleaseRecord, _ *Opening) {
			d := DigestOf(letterB)
			rec.Disclosed = &Disclosure{FileDigest: &d}
		}, ErrBadOpening},
		{"disclosed signers differ", func(rec *ReleaseRecord, _ *Opening) {
			rec.Disclosed = &Disclosure{Signers: &[]string{"alice"}}
		}, ErrBadOpening},
		{"disclosed empty", func(rec *ReleaseRecord, _ *Opening) { rec.Disclosed = &Disclosure{} }, ErrMalformed}, // an empty disclosure is written null
		{"statement of another letter", func(_ *ReleaseRecord, op *Opening) { op.Statement = Marshal(other) }, ErrBadOpening},
		{"statement altered", func(_ *ReleaseRecord, op *Opening) {
			op.Statement = bytes.Replace(op.Statement, []byte("Exercise"), []byte("Invasion"), 1)
		}, ErrBadOpening},
		{"salt altered", func(_ *ReleaseRecord, op *Opening) { op.Salt[0] ^= 1 }, ErrBadOpening},
		{"commitment truncated", func(rec *ReleaseRecord, _ *Opening) { rec.Commitment = rec.Commitment[:31] }, ErrMalformed},
		{"salt short", func(rec *ReleaseRecord, op *Opening) { op.Salt = op.Salt[:31]; recommit(op, rec) }, ErrMalformed},
		{"salt long", func(rec *ReleaseRecord, op *Opening) { op.Salt = append(op.Salt, 0); recommit(op, rec) }, ErrMalformed},
		{"salt empty", func(rec *ReleaseRecord, op *Opening) { op.Salt = nil; recommit(op, rec) }, ErrMalformed},
		{"statement not canonical", func(rec *ReleaseRecord, op *Opening) {
			var b bytes.Buffer
			json.Indent(&b, op.Statement, "", " ")
			op.Statement = b.Bytes()
			recommit(op, rec)
		}, ErrMalformed},
		{"statement not a release", func(rec *ReleaseRecord, op *Opening) {
			op.Statement = []byte(`{"office":"Task Force North"}`)
			recommit(op, rec)
		}, ErrMalformed},
	}
	for _, fields := range [][]string{{"reference"}, {"subject"}, {"class"}, {"tags"}, {"addressees"}, {"signers"}, {"file_digest"}, DisclosableFields} {
		cases = append(cases, tc{"disclosing " + strings.Join(fields, ","), func(rec *ReleaseRecord, _ *Opening) {
			d, err := Disclose(st, fields)
			if err != nil {
				t.Fatal(err)
			}
			rec.Disclosed = d
		}, nil})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op := &Opening{Salt: fixedSalt(2), Statement: Marshal(st)}
			rec := NewReleaseRecord(st, op, nil)
			c.edit(rec, op)
			// Through the record's encoding, as a verifier reads it.
			var got ReleaseRecord
			if err := Unmarshal(Marshal(rec), &got); err != nil {
				t.Fatal(err)
			}
			opened, err := OpenRelease(&got, op)
			switch {
			case c.want == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want == nil && !bytes.Equal(Marshal(opened), Marshal(st)):
				t.Fatalf("opened %s", Marshal(opened))
			case c.want != nil && (err == nil || opened != nil):
				t.Fatalf("accepted: %s", Marshal(opened))
			case c.want != nil && !errors.Is(err, ErrMalformed):
				t.Fatalf("error %v is not malformed", err)
			case c.want != nil && errors.Is(err, ErrBadOpening) != (c.want == ErrBadOpening):
				t.Fatalf("error %v, want %v", err, c.want)
			}
		})
	}
	if _, err := OpenRelease(NewReleaseRecord(st, &Opening{Salt: fixedSalt(2), Statement: Marshal(st)}, nil), nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("no opening: %v", err)
	}
}

func TestDisclose(t *testing.T) {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	st := o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob", "alice")
	if d, err := Disclose(st, nil); d != nil || err != nil {
		t.Errorf("no fields: %+v, %v", d, err)
	}
	if d, err := Disclose(st, []string{"subject", "body"}); d != nil || err == nil || !strings.Contains(err.Error(), `"body"`) {
		t.Errorf("unknown field: %+v, %v", d, err)
	}
	if _, err := Disclose(st, []string{"Subject"}); err == nil {
		t.Error("a field in another case was accepted")
	}
	d, err := Disclose(st, DisclosableFields)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"reference":"TFN-2026-000123","subject":"Exercise TFN-2026-000123","class":"press","tags":["exercise"],` +
		`"addressees":["Press office"],"signers":["alice","bob","alice"],"file_digest":"` + string(DigestOf(letterA)) + `"}`
	if got := string(Marshal(d)); got != want {
		t.Errorf("disclosure\n%s\nwant\n%s", got, want)
	}
	// Absent lists are disclosed as empty ones; the order of the fields asked for is free.
	st.Tags, st.Addressees = nil, nil
	d, err = Disclose(st, []string{"addressees", "tags"})
	if err != nil || string(Marshal(d)) != `{"tags":[],"addressees":[]}` {
		t.Errorf("empty lists: %s, %v", Marshal(d), err)
	}
	op := &Opening{Salt: fixedSalt(0), Statement: Marshal(st)}
	if _, err := OpenRelease(NewReleaseRecord(st, op, d), op); err != nil {
		t.Errorf("empty lists disclosed: %v", err)
	}
}

// logWithdrawals logs, after the scenario's releases, a version 2 retraction of release A
// (signed by alice and the office), a supersession of B by A, a revocation of bob's key and a
// policy, and returns their indexes.
func (s *v2Scenario) logWithdrawals(t testing.TB) (ret, sup, rev, pol int64) {
	o := s.o
	rs := &RetractionStatement{Office: o.name, Reference: "TFN-2026-000123", FileDigest: DigestOf(letterA),
		Reason: "The exercise was extended.", RetractedBy: "alice", Time: s.later}
	op := o.opening(rs)
	ret = o.logRecord(t, entry.Retraction, &RetractionRecord{Office: o.name, Release: s.relA,
		Commitment: op.Commitment(entry.Retraction), Time: s.later}, op, o.members["alice"], o.office)
	ss := &SupersessionStatement{Office: o.name, Reference: "TFN-2026-000124", FileDigest: DigestOf(letterB),
		By: "TFN-2026-000123", ByFileDigest: DigestOf(letterA), Reason: "Merged.", SupersededBy: "alice", Time: s.later}
	op = o.opening(ss)
	sup = o.logRecord(t, entry.Supersession, &SupersessionRecord{Office: o.name, Release: s.relB, ByRelease: s.relA,
		Commitment: op.Commitment(entry.Supersession), Time: s.later}, op, o.members["alice"], o.office)
	ks := &KeyStatement{Office: o.name, KeyID: s.bobKeyID, PublicKey: s.bobPub, Member: "bob", Reason: "left", Time: s.later}
	op = o.opening(ks)
	rev = o.logRecord(t, entry.KeyRevoked, &KeyRecord{Office: o.name, KeyID: ks.KeyID, PublicKey: ks.PublicKey,
		Commitment: op.Commitment(entry.KeyRevoked), Time: s.later}, op, o.office)
	src := []byte("policy v2\n")
	ps := &PolicyStatement{Office: o.name, Digest: DigestOf(src), Name: "default", Source: src, AdoptedBy: "dave", Time: s.later}
	op = o.opening(ps)
	pol = o.logRecord(t, entry.PolicyAdopted, &PolicyRecord{Office: o.name, Commitment: op.Commitment(entry.PolicyAdopted),
		Time: s.later}, op, o.office)
	return ret, sup, rev, pol
}

func TestVerifyLoggedV2(t *testing.T) {
	s := newV2Scenario(t)
	o := s.o
	ret, sup, rev, pol := s.logWithdrawals(t)
	v1 := o.logStatement(t, entry.Retraction, &RetractionStatement{Office: o.name, Reference: "TFN-2026-000124",
		FileDigest: DigestOf(letterB), Reason: "old style", RetractedBy: "alice", Time: s.later}, o.members["alice"], o.office)
	foreign := o.logRecord(t, entry.Retraction, &RetractionRecord{Office: "Task Force South", Release: s.relA,
		Commitment: make([]byte, 32), Time: s.later}, nil, o.office)
	badKey := o.logRecord(t, entry.KeyAdded, &KeyRecord{Office: o.name, KeyID: s.aliceKeyID, PublicKey: s.bobPub,
		Commitment: make([]byte, 32), Time: s.later}, nil, o.office)
	junk := o.append(t, func() []byte {
		data, err := (&entry.Entry{Version: entry.V2, Kind: entry.Retraction, Envelope: dsse.Sign(entry.Retraction.PayloadTypeV(2),
			[]byte(`{"office":"Task Force North","release":2,"commitment":"","time":"2026-03-03T16:30:00Z","reason":"x"}`), o.office)}).Encode()
		if err != nil {
			t.Fatal(err)
		}
		return data
	}())
	cp := o.checkpoint(t, true)
	v := newTestVerifier(t, o.trustRoot(1))

	verify := func(le LoggedEntry, want string) *VerifiedEntry {
		t.Helper()
		ve, err := v.VerifyLogged(le, cp)
		if got := outcome(t, err); got != want {
			t.Fatalf("entry %d: got %s (%v), want %s", le.Index, got, err, want)
		}
		return ve
	}
	// Without its opening, a version 2 entry proves its record only.
	le := o.logged(t, ret)
	le.Opening = nil
	ve := verify(le, "valid")
	if rec, ok := ve.Record.(*RetractionRecord); !ok || rec.Release != s.relA || ve.Statement != nil || ve.Entry.V() != entry.V2 {
		t.Fatalf("retraction without opening: %+v", ve)
	}
	// With it, the statement too.
	ve = verify(o.logged(t, ret), "valid")
	if st, ok := ve.Statement.(*RetractionStatement); !ok || st.Reason != "The exercise was extended." || ve.Record == nil {
		t.Fatalf("retraction with opening: %+v", ve)
	}
	// Wrong openings.
	le = o.logged(t, ret)
	le.Opening = o.openings[sup]
	verify(le, "bad-opening")
	le = o.logged(t, ret)
	le.Opening = &Opening{Salt: le.Opening.Salt, Statement: bytes.Replace(le.Opening.Statement, []byte("extended"), []byte("cancelled"), 1)}
	verify(le, "bad-opening")
	le = o.logged(t, ret)
	le.Opening = &Opening{Salt: le.Opening.Salt[:16], Statement: le.Opening.Statement}
	verify(le, "malformed")
	le = o.logged(t, ret)
	le.Opening = &Opening{}
	verify(le, "malformed")
	// A version 1 entry has no opening to give.
	le = o.logged(t, v1)
	if ve := verify(le, "valid"); ve.Record != nil || ve.Statement.(*RetractionStatement).Reason != "old style" {
		t.Fatalf("version 1 retraction: %+v", ve)
	}
	le.Opening = o.openings[ret]
	verify(le, "malformed")

	if st, ok := verify(o.logged(t, sup), "valid").Statement.(*SupersessionStatement); !ok || st.By != "TFN-2026-000123" {
		t.Errorf("supersession: %#v", st)
	}
	if ve := verify(o.logged(t, rev), "valid"); ve.Entry.Kind != entry.KeyRevoked || ve.Statement.(*KeyStatement).Reason != "left" ||
		ve.Record.(*KeyRecord).KeyID != s.bobKeyID {
		t.Errorf("revocation: %+v", ve)
	}
	if st, ok := verify(o.logged(t, pol), "valid").Statement.(*PolicyStatement); !ok || string(st.Source) != "policy v2\n" {
		t.Errorf("policy: %#v", st)
	}
	if st, ok := verify(o.logged(t, s.keyAlice), "valid").Statement.(*KeyStatement); !ok || st.Member != "alice" {
		t.Errorf("key added: %#v", st)
	}
	if st, ok := verify(o.logged(t, s.relA), "valid").Statement.(*ReleaseStatement); !ok || st.Reference != "TFN-2026-000123" {
		t.Errorf("release: %#v", st)
	}
	// VerifyEntry gives a version 2 release's record, never its statement.
	l := o.logged(t, s.relA)
	ve, err := v.VerifyEntry(l.Entry, l.Index, l.Proof, cp)
	if err != nil {
		t.Fatal(err)
	}
	if rec, ok := ve.Record.(*ReleaseRecord); !ok || ve.Statement != nil || !slices.Equal(rec.SignerKeys, []string{s.aliceKeyID, s.bobKeyID}) {
		t.Fatalf("release record: %+v", ve)
	}
	// The opening of a key entry of another kind: the commitment binds the kind.
	le = o.logged(t, rev)
	le.Opening = o.openings[s.keyBob]
	verify(le, "bad-opening")

	le = o.logged(t, foreign)
	verify(le, "untrusted-key")
	verify(o.logged(t, badKey), "malformed")
	verify(o.logged(t, junk), "malformed")
	// The checks of VerifyEntry come first: a wrong index fails as a bad proof, whatever the
	// opening.
	le = o.logged(t, ret)
	le.Index++
	verify(le, "bad-proof")
}

// TestVerifyWarmCold checks that a verifier that has verified a seal (and cached its key
// entries) judges a seal with a wrong key opening as a fresh verifier does.
func TestVerifyWarmCold(t *testing.T) {
	s := newV2Scenario(t)
	good := s.o.seal(t, s.relA, true)
	tr := s.o.trustRoot(1)
	if good.Version() != SealVersion2 || good.Keys[0].Opening == nil || good.Release.Opening == nil {
		t.Fatalf("not a version 2 seal with openings: %s", good.Marshal())
	}
	shift := func(k *Opening, n int) *Opening {
		joined := append(slices.Clone(k.Salt), k.Statement...)
		return &Opening{Salt: joined[:SaltSize+n], Statement: joined[SaltSize+n:]}
	}
	for name, edit := range map[string]func(k *LoggedEntry){
		"statement byte moved into the salt": func(k *LoggedEntry) { k.Opening = shift(k.Opening, 1) },
		"salt byte moved into the statement": func(k *LoggedEntry) { k.Opening = shift(k.Opening, -1) },
		"four bytes moved into the salt":     func(k *LoggedEntry) { k.Opening = shift(k.Opening, 4) },
		"another member's opening":           func(k *LoggedEntry) { k.Opening = s.o.openings[s.keyBob] },
		"statement altered": func(k *LoggedEntry) {
			k.Opening.Statement = bytes.Replace(k.Opening.Statement, []byte("alice"), []byte("carol"), 1)
		},
		"salt altered":                        func(k *LoggedEntry) { k.Opening.Salt[31] ^= 1 },
		"no opening":                          func(k *LoggedEntry) { k.Opening = nil },
		"empty opening":                       func(k *LoggedEntry) { k.Opening = &Opening{Salt: []byte{}, Statement: []byte{}} },
		"release's opening":                   func(k *LoggedEntry) { k.Opening = s.o.openings[s.relA] },
		"salt and statement as one statement": func(k *LoggedEntry) { k.Opening = shift(k.Opening, -SaltSize) },
	} {
		t.Run(name, func(t *testing.T) {
			bad := cloneSeal(good)
			edit(&bad.Keys[0])
			// Through the file form.
			parsed, err := Parse(bad.Marshal())
			if err != nil {
				t.Fatal(err)
			}
			_, errCold := newTestVerifier(t, tr).VerifyBytes(parsed, letterA)
			warm := newTestVerifier(t, tr)
			if _, err := warm.VerifyBytes(good, letterA); err != nil {
				t.Fatal(err)
			}
			_, errWarm := warm.VerifyBytes(parsed, letterA)
			cold, hot := outcome(t, errCold), outcome(t, errWarm)
			if cold != hot {
				t.Fatalf("fresh verifier: %s (%v); warm verifier: %s (%v)", cold, errCold, hot, errWarm)
			}
			if cold != "malformed" && cold != "bad-opening" {
				t.Fatalf("got %s (%v), want malformed", cold, errCold)
			}
			// And the bad seal leaves nothing behind that changes the good one's outcome.
			if _, err := warm.VerifyBytes(good, letterA); err != nil {
				t.Fatalf("after the bad seal: %v", err)
			}
		})
	}
}

func TestSealV2RoundTrip(t *testing.T) {
	s := newV2Scenario(t)
	o := s.o
	// frank's key was registered before the upgrade: a version 1 key entry.
	o.members["frank"] = seedKey(0x15)
	o.addKey(t, "frank", keysAddedAt)
	relC := o.logRelease(t, o.releaseStatement(t, "TFN-2026-000125", letterB, releasedAt, "frank", "alice"), nil)
	seals := map[string]*Seal{
		"all openings":    o.seal(t, s.relA, true),
		"a version 1 key": o.seal(t, relC, true),
		"release opening only": func() *Seal {
			x := o.seal(t, s.relA, true)
			for i := range x.Keys {
				x.Keys[i].Opening = nil
			}
			return x
		}(),
		"key opening only": func() *Seal {
			x := o.seal(t, s.relA, true)
			x.Release.Opening = nil
			return x
		}(),
	}
	for name, seal := range seals {
		t.Run(name, func(t *testing.T) {
			data := seal.Marshal()
			if seal.Version() != SealVersion2 || !bytes.HasPrefix(data, []byte(`{"chancery_seal":2,`)) {
				t.Fatalf("version %d: %.40s", seal.Version(), data)
			}
			if n := bytes.Count(data, []byte(`"opening":`)); n != 1+len(seal.Keys) {
				t.Fatalf("%d opening fields, want %d", n, 1+len(seal.Keys))
			}
			got, err := Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, seal) {
				t.Fatalf("round trip:\n%+v\n%+v", got, seal)
			}
			if again := got.Marshal(); !bytes.Equal(again, data) {
				t.Fatalf("Marshal(Parse(x)) != x:\n%s\n%s", again, data)
			}
			var ind bytes.Buffer
			if err := json.Indent(&ind, data, "", "  "); err != nil {
				t.Fatal(err)
			}
			if got, err := Parse(ind.Bytes()); err != nil || !reflect.DeepEqual(got, seal) {
				t.Fatalf("indented: %v", err)
			}
		})
	}
	// Without any opening the same seal is written as version 1.
	x := cloneSeal(seals["all openings"])
	x.Release.Opening = nil
	for i := range x.Keys {
		x.Keys[i].Opening = nil
	}
	data := x.Marshal()
	if x.Version() != SealVersion1 || !bytes.HasPrefix(data, []byte(`{"chancery_seal":1,`)) || bytes.Contains(data, []byte("opening")) {
		t.Fatalf("seal without openings: %.60s", data)
	}
	if got, err := Parse(data); err != nil || !bytes.Equal(got.Marshal(), data) {
		t.Fatalf("version 1 round trip: %v", err)
	}
	// Every seal of the vectors that parses gives back its bytes.
	vf, err := readVectors(vectorsV2File)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, data := range vf {
		if !strings.HasPrefix(name, "seals/") {
			continue
		}
		got, err := Parse(data)
		if err != nil {
			continue
		}
		n++
		if !bytes.Equal(got.Marshal(), data) {
			t.Errorf("%s: Marshal(Parse(x)) != x", name)
		}
	}
	if n < 10 {
		t.Errorf("only %d vector seals parse", n)
	}
}
