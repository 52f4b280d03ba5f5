package seal

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/rogpeppe/go-internal/txtar"
)

const rotationVectorsFile = "testdata/rotation-vectors.txtar"

// rotationScenario is an office that rotates its key at index rotation: a release before it
// (old key), one after (new key), and what a stolen retired key could log after it: a release
// it signs, and a signer key it registers for a release the new key signs.
type rotationScenario struct {
	o                        *testOffice
	next                     ed25519.PrivateKey
	rotation                 int64
	before, after, retired   int64
	retiredKey, afterRetired int64
}

var rotatedAt = time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)

func newRotationScenario(t testing.TB) *rotationScenario {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	s := &rotationScenario{o: o, next: seedKey(0x20)}
	o.addKey(t, "alice", keysAddedAt)
	s.before = o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice"), o.office)
	newPub := s.next.Public().(ed25519.PublicKey)
	s.rotation = o.logStatement(t, entry.OfficeKeyRotated, &RotationStatement{Office: o.name,
		OldKeyID: dsse.KeyID(o.office.Public().(ed25519.PublicKey)), NewKeyID: dsse.KeyID(newPub), NewPublicKey: newPub,
		Reason: "yearly rotation", Time: rotatedAt}, o.office, s.next)
	s.after = o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2027-000001", letterB, rotatedAt.Add(time.Hour), "alice"), s.next)
	s.retired = o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2027-000002", letterA, rotatedAt.Add(2*time.Hour), "alice"), o.office)
	s.retiredKey = o.addKey(t, "bob", rotatedAt.Add(3*time.Hour)) // signed by the retired key
	s.afterRetired = o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2027-000003", letterB, rotatedAt.Add(4*time.Hour), "bob"), s.next)
	return s
}

// trustRotated is the trust root exported after the rotation: both keys, with windows.
func (s *rotationScenario) trustRotated() *TrustRoot {
	tr := s.o.trustRoot(1)
	old := tr.OfficeKeys[0]
	until := s.rotation
	old.UntilIndex = &until
	next := NewOfficeKey(s.next.Public().(ed25519.PublicKey))
	next.FromIndex = s.rotation
	tr.OfficeKeys = []OfficeKey{old, next}
	return tr
}

func buildRotationVectors(t *testing.T) *txtar.Archive {
	a := &txtar.Archive{Comment: []byte(`Test vectors for office key rotation (docs/seal-format.md, Office key rotation).
Regenerate with go test ./internal/seal -run TestRotationVectors -update (only when the format
changes). Keys from seeds of 32 equal bytes: office 0x10 (retired at the rotation), its new key
0x20, log 0x11, witness 0x12, alice 0x13, bob 0x14. The log: 0 key-added alice, 1 release
(old key), 2 office-key-rotated (both keys), 3 release (new key), 4 release signed by the
retired key, 5 key-added bob signed by the retired key, 6 release by bob (new key).
trust-old.json predates the rotation; trust-rotated.json carries the key history.
"expect": name, seal, file, trust root, outcome. In entries/rotation (the office-key-rotated
entry's bytes) the last newline is the archive's, not the entry's.
`)}
	add := func(name string, data []byte) { a.Files = append(a.Files, txtar.File{Name: name, Data: data}) }
	s := newRotationScenario(t)
	old, err := s.o.trustRoot(1).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	rotated, err := s.trustRotated().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	add("trust-old.json", old)
	add("trust-rotated.json", rotated)
	add("letter-a.txt", letterA)
	add("letter-b.txt", letterB)
	add("entries/rotation", s.o.entries[s.rotation])
	for name, i := range map[string]int64{"before": s.before, "after": s.after, "retired-key": s.retired, "key-by-retired-key": s.afterRetired} {
		add("seals/"+name+".json", s.o.seal(t, i, true).Marshal())
	}
	add("expect", []byte(`before-rotated       seals/before.json             letter-a.txt  trust-rotated.json  valid
after-rotated        seals/after.json              letter-b.txt  trust-rotated.json  valid
retired-key          seals/retired-key.json        letter-a.txt  trust-rotated.json  untrusted-key
key-by-retired-key   seals/key-by-retired-key.json letter-b.txt  trust-rotated.json  untrusted-key
before-old           seals/before.json             letter-a.txt  trust-old.json      valid
after-old            seals/after.json              letter-b.txt  trust-old.json      outdated-trust-root
`))
	slices.SortFunc(a.Files, func(x, y txtar.File) int { return strings.Compare(x.Name, y.Name) })
	return a
}

// TestRotationVectors checks the vectors are up to date and verifies them as read from the
// file: seals from before a rotation stay valid, the retired key's later signatures are
// refused, and a trust root from before the rotation is reported out of date, not invalid.
func TestRotationVectors(t *testing.T) {
	files := checkVectors(t, rotationVectorsFile, buildRotationVectors(t))
	for _, line := range strings.Split(strings.TrimSpace(string(files["expect"])), "\n") {
		f := strings.Fields(line)
		if len(f) != 5 {
			t.Fatalf("expect line %q", line)
		}
		t.Run(f[0], func(t *testing.T) {
			tr, err := ParseTrustRoot(files[f[3]])
			if err != nil {
				t.Fatal(err)
			}
			s, err := Parse(files[f[1]])
			if err != nil {
				t.Fatal(err)
			}
			_, err = newTestVerifier(t, tr).VerifyBytes(s, files[f[2]])
			if got := class(t, err); got != f[4] {
				t.Fatalf("got %s (%v), want %s", got, err, f[4])
			}
		})
	}
	// The rotation entry checks against the old trust root: both keys signed it.
	old, err := ParseTrustRoot(files["trust-old.json"])
	if err != nil {
		t.Fatal(err)
	}
	st, err := CheckRotation(old, bytes.TrimSuffix(files["entries/rotation"], []byte("\n")))
	if err != nil {
		t.Fatal(err)
	}
	if st.Reason != "yearly rotation" || st.NewKeyID != dsse.KeyID(seedKey(0x20).Public().(ed25519.PublicKey)) {
		t.Errorf("rotation statement %+v", st)
	}
}

func TestRotation(t *testing.T) {
	s := newRotationScenario(t)
	rotated := newTestVerifier(t, s.trustRotated())
	old := newTestVerifier(t, s.o.trustRoot(1))

	// The message says which key and which window, and the remedy for an old trust root.
	_, err := rotated.VerifyBytes(s.o.seal(t, s.retired, true), letterA)
	if !errors.Is(err, ErrUntrustedKey) || errors.Is(err, ErrOutdatedTrustRoot) || !strings.Contains(err.Error(), "signs only log entries 0 to 1, not entry 4") {
		t.Errorf("retired key: %v", err)
	}
	_, err = old.VerifyBytes(s.o.seal(t, s.after, true), letterB)
	if !errors.Is(err, ErrOutdatedTrustRoot) || !strings.Contains(err.Error(), "chancery trust export") {
		t.Errorf("old trust root: %v", err)
	}
	// Not in the log: an entry signed by an unknown key with a proof that fails is untrusted,
	// not a sign of an outdated trust root.
	forged := s.o.seal(t, s.after, true)
	forged.Release.Proof[0][0] ^= 1
	if _, err := old.VerifyBytes(forged, letterB); !errors.Is(err, ErrUntrustedKey) || errors.Is(err, ErrOutdatedTrustRoot) {
		t.Errorf("forged proof under the old trust root: %v", err)
	}

	// Log entries outside seals: the rotation itself, and the retired key's later entry.
	cp := s.o.checkpoint(t, true)
	le := s.o.logged(t, s.rotation)
	ve, err := rotated.VerifyEntry(le.Entry, le.Index, le.Proof, cp)
	if err != nil {
		t.Fatal(err)
	}
	if st, ok := ve.Statement.(*RotationStatement); !ok || st.NewKeyID != rotated.t.officeKeys[1].KeyID {
		t.Errorf("rotation entry statement %#v", ve.Statement)
	}
	le = s.o.logged(t, s.retired)
	if _, err := rotated.VerifyEntry(le.Entry, le.Index, le.Proof, cp); !errors.Is(err, ErrUntrustedKey) {
		t.Errorf("retired key's entry: %v", err)
	}

	// CheckRotation wants both signatures, the trust root's office and a known old key.
	one, err := (&entry.Entry{Kind: entry.OfficeKeyRotated, Envelope: &dsse.Envelope{Payload: mustDecode(t, s.o.entries[s.rotation]).Envelope.Payload,
		PayloadType: entry.OfficeKeyRotated.PayloadType(), Signatures: mustDecode(t, s.o.entries[s.rotation]).Envelope.Signatures[1:]}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := CheckRotation(s.o.trustRoot(1), one); !errors.Is(err, ErrBadSignature) {
		t.Errorf("rotation signed by the new key only: %v", err)
	}
	other := newTestOffice(t, "Task Force South", "letters.example.org/log", 0x50).trustRoot(1)
	if _, err := CheckRotation(other, s.o.entries[s.rotation]); !errors.Is(err, ErrUntrustedKey) {
		t.Errorf("rotation under another office's trust root: %v", err)
	}
	if _, err := CheckRotation(s.o.trustRoot(1), s.o.entries[s.before]); !errors.Is(err, ErrMalformed) {
		t.Errorf("a release as a rotation: %v", err)
	}
}

func mustDecode(t *testing.T, data []byte) *entry.Entry {
	e, err := entry.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestTrustRootWindows: windows round-trip, trust roots without them are written as before,
// and empty, negative or non-canonical windows are refused.
func TestTrustRootWindows(t *testing.T) {
	s := newRotationScenario(t)
	b, err := s.trustRotated().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTrustRoot(b)
	if err != nil {
		t.Fatal(err)
	}
	if k := tr.OfficeKeys; len(k) != 2 || *k[0].UntilIndex != s.rotation || k[1].FromIndex != s.rotation || k[1].UntilIndex != nil || k[0].FromIndex != 0 {
		t.Errorf("parsed windows %+v", tr.OfficeKeys)
	}
	plain, err := s.o.trustRoot(1).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte("_index")) {
		t.Errorf("a trust root without windows carries window fields:\n%s", plain)
	}
	for name, bad := range map[string][]byte{
		"zero from written": bytes.Replace(b, []byte(`"public_key": "XJxt8mHJy4QEdXdqrvzZRLQFMo+rKPmzqV70BJDT3oQ=",`), []byte(`"public_key": "XJxt8mHJy4QEdXdqrvzZRLQFMo+rKPmzqV70BJDT3oQ=", "from_index": 0,`), 1),
		"null until":        bytes.Replace(b, []byte(`"from_index": 2`), []byte(`"from_index": 2, "until_index": null`), 1),
		"empty window":      bytes.Replace(b, []byte(`"until_index": 2`), []byte(`"until_index": 0`), 1),
		"negative from":     bytes.Replace(b, []byte(`"from_index": 2`), []byte(`"from_index": -1`), 1),
	} {
		if bytes.Equal(bad, b) {
			t.Fatalf("%s: the replacement did not apply", name)
		}
		if _, err := ParseTrustRoot(bad); err == nil {
			t.Errorf("%s: parsed\n%s", name, bad)
		}
	}
}

// BenchmarkVerifyKeyHistory compares verifying one seal (a release before the rotation, a
// short letter so that signatures dominate) under the trust root exported before the
// rotation (one key, no window) and under trust roots carrying a key history with windows
// (2 and 8 keys).
//
//	go test ./internal/seal -run '^$' -bench VerifyKeyHistory -count 5
func BenchmarkVerifyKeyHistory(b *testing.B) {
	s := newRotationScenario(b)
	for range 5000 {
		s.o.append(b, []byte("filler")) // proofs of realistic length, as BenchmarkVerify
	}
	file := letterA
	data := s.o.seal(b, s.before, true).Marshal()
	single := s.o.trustRoot(1)
	long := s.trustRotated()
	// Six more keys, listed first so that each is passed over (their windows lie far beyond
	// this log, after the current key's, which windows may not overlap: only their key IDs
	// are ever compared).
	end := int64(1e9)
	long.OfficeKeys[1].UntilIndex = &end
	var others []OfficeKey
	for i := range 6 {
		k := NewOfficeKey(seedKey(byte(0x60 + i)).Public().(ed25519.PublicKey))
		until := int64(1e9 + i + 1)
		k.FromIndex, k.UntilIndex = 1e9+int64(i), &until
		others = append(others, k)
	}
	long.OfficeKeys = append(others, long.OfficeKeys...)
	for _, c := range []struct {
		name string
		tr   *TrustRoot
	}{{"single-key", single}, {"history-2", s.trustRotated()}, {"history-8", long}} {
		b.Run(c.name, func(b *testing.B) {
			v := newTestVerifier(b, c.tr)
			b.ReportAllocs()
			for b.Loop() {
				verifyOnce(b, v, data, file)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "seals/s")
		})
	}
}

// FuzzCheckRotation: an office-key-rotated entry from the log either checks, with a new key
// that signed it and a key ID that is its key's, or is refused; it never panics.
func FuzzCheckRotation(f *testing.F) {
	for _, e := range vectorFilesIn(f, rotationVectorsFile, "entries/") {
		f.Add(bytes.TrimSuffix(e, []byte("\n")))
	}
	for _, e := range vectorFilesIn(f, rotationVectorsFile, "seals/") {
		f.Add(e)
	}
	tr, err := ParseTrustRoot(vectorFilesIn(f, rotationVectorsFile, "trust-old.json")[0])
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := CheckRotation(tr, data)
		if err != nil {
			return
		}
		e, err := entry.Decode(data)
		if err != nil {
			t.Fatalf("checked an entry that does not decode: %v", err)
		}
		if st.NewKeyID != dsse.KeyID(st.NewPublicKey) || e.Envelope.Verify(st.NewPublicKey) != nil || st.Office != tr.Office {
			t.Fatalf("checked a rotation that is not signed by its new key, or for another office: %+v", st)
		}
	})
}

// TestTrustRootRefusesOverlappingWindows: a key history in which a retired key's window
// reaches past its successor's start (the old key written without until_index, or with one
// beyond the rotation) let the retired key sign entries logged after the rotation: a seal
// of the release it signed then (s.retired) verified. Such a trust root is refused. Keys
// without windows, as trust roots carried them before rotations, may still be listed
// together.
func TestTrustRootRefusesOverlappingWindows(t *testing.T) {
	s := newRotationScenario(t)
	noEnd := s.trustRotated()
	noEnd.OfficeKeys[0].UntilIndex = nil
	late := s.trustRotated()
	beyond := s.retired + 1
	late.OfficeKeys[0].UntilIndex = &beyond
	for name, tr := range map[string]*TrustRoot{"retired key without an end": noEnd, "retired key's end past the rotation": late} {
		if v, err := NewVerifier(tr); err == nil {
			_, verr := v.VerifyBytes(s.o.seal(t, s.retired, true), letterA)
			t.Errorf("%s: accepted; the retired key's release after the rotation: %v", name, verr)
		}
		if _, err := tr.Marshal(); err == nil {
			t.Errorf("%s: marshalled", name)
		}
	}
	legacy := s.o.trustRoot(1)
	legacy.OfficeKeys = append(legacy.OfficeKeys, NewOfficeKey(s.next.Public().(ed25519.PublicKey)))
	b, err := legacy.Marshal()
	if err == nil {
		_, err = ParseTrustRoot(b)
	}
	if err != nil {
		t.Errorf("two keys without windows: %v", err)
	}
}

// TestRotationKeyEntryCachedAtAnotherIndex: a verifier remembered a key entry it had verified
// by its bytes (and opening) alone, and on meeting it again skipped the office signature,
// whose judgement depends on the entry's index too (an office key signs only its window). The
// same bytes logged again after the rotation, as whoever holds the retired key and appends to
// the log can, at an index the retired key no longer signs, were refused by a fresh verifier
// and accepted by one that had verified a seal with the first copy: the two disagreed.
func TestRotationKeyEntryCachedAtAnotherIndex(t *testing.T) {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	next := seedKey(0x20)
	first := o.addKey(t, "alice", keysAddedAt)
	newPub := next.Public().(ed25519.PublicKey)
	rotation := o.logStatement(t, entry.OfficeKeyRotated, &RotationStatement{Office: o.name,
		OldKeyID: dsse.KeyID(o.office.Public().(ed25519.PublicKey)), NewKeyID: dsse.KeyID(newPub), NewPublicKey: newPub,
		Reason: "yearly rotation", Time: rotatedAt}, o.office, next)
	again := o.append(t, o.entries[first]) // the retired key's entry, logged again
	rel := o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2027-000001", letterB, rotatedAt.Add(time.Hour), "alice"), next)
	tr := o.trustRoot(1)
	until := rotation
	tr.OfficeKeys[0].UntilIndex = &until
	nk := NewOfficeKey(newPub)
	nk.FromIndex = rotation
	tr.OfficeKeys = append(tr.OfficeKeys, nk)

	withFirst := o.seal(t, rel, true)
	withAgain := cloneSeal(withFirst)
	withAgain.Keys[0] = o.logged(t, again)
	_, freshErr := newTestVerifier(t, tr).VerifyBytes(withAgain, letterB)
	if !errors.Is(freshErr, ErrUntrustedKey) {
		t.Fatalf("a fresh verifier: %v, want untrusted-key (the retired key signs nothing at %d)", freshErr, again)
	}
	warm := newTestVerifier(t, tr)
	if _, err := warm.VerifyBytes(withFirst, letterB); err != nil {
		t.Fatalf("the seal with the key entry at %d: %v", first, err)
	}
	if _, err := warm.VerifyBytes(withAgain, letterB); class(t, err) != class(t, freshErr) {
		t.Errorf("a verifier that verified the entry at %d before: %v; a fresh one: %v", first, err, freshErr)
	}
}
