package seal

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"golang.org/x/mod/sumdb/note"
)

var (
	keysAddedAt = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	releasedAt  = time.Date(2026, 3, 2, 14, 30, 0, 0, time.UTC)
	letterA     = []byte("Task Force North\nTFN-2026-000123\n\nTo the press office: the exercise ends on 6 March.\n")
	letterB     = []byte("Task Force North\nTFN-2026-000124\n\nTo the mayor: road closures during the exercise.\n")
)

// scenario is a log with two signer keys and two releases: A, signed by alice and bob, and B,
// signed by alice.
type scenario struct {
	o          *testOffice
	relA, relB int64
}

func newScenario(t testing.TB) *scenario {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	s := &scenario{o: o}
	o.addKey(t, "alice", keysAddedAt)
	o.addKey(t, "bob", keysAddedAt)
	s.relA = o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob"), o.office)
	s.relB = o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2026-000124", letterB, releasedAt, "alice"), o.office)
	return s
}

func newTestVerifier(t testing.TB, tr *TrustRoot) *Verifier {
	v, err := NewVerifier(tr)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// classes are the error classes, most specific first.
var classes = []struct {
	name string
	err  error
}{
	{"unsupported-version", ErrUnsupportedVersion},
	{"malformed", ErrMalformed},
	{"witness-quorum", ErrWitnessQuorum},
	{"bad-checkpoint", ErrBadCheckpoint},
	{"bad-signature", ErrBadSignature},
	{"outdated-trust-root", ErrOutdatedTrustRoot},
	{"untrusted-key", ErrUntrustedKey},
	{"bad-proof", ErrBadProof},
	{"digest-mismatch", ErrDigestMismatch},
}

// class names the class of err, "valid" for nil; it fails the test if err is in no class or
// in two unrelated ones.
func class(t testing.TB, err error) string {
	if err == nil {
		return "valid"
	}
	var found []string
	for _, c := range classes {
		if errors.Is(err, c.err) {
			found = append(found, c.name)
		}
	}
	switch {
	case len(found) == 0:
		t.Errorf("error in no class: %v", err)
		return "none"
	case len(found) == 2 && (found[0] == "unsupported-version" || found[0] == "witness-quorum" || found[0] == "outdated-trust-root"):
	case len(found) > 1:
		t.Errorf("error in classes %v: %v", found, err)
	}
	return found[0]
}

func TestVerifyValid(t *testing.T) {
	s := newScenario(t)
	v := newTestVerifier(t, s.o.trustRoot(1))
	seal := s.o.seal(t, s.relA, true)
	for i := range 2 {
		r, err := v.VerifyBytes(seal, letterA)
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
		if r.Index != s.relA || r.TreeSize != 4 || r.Witnesses != 1 || !slices.Equal(r.Signers, []string{"alice", "bob"}) ||
			!r.ReleasedAt.Equal(releasedAt) || r.Statement.Reference != "TFN-2026-000123" {
			t.Fatalf("result %+v", r)
		}
	}
	if len(v.checkpoints) != 1 || len(v.keys) != 2 {
		t.Fatalf("cached %d checkpoints, %d keys; want 1, 2", len(v.checkpoints), len(v.keys))
	}
	if _, err := v.VerifyReader(seal, bytes.NewReader(letterA)); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(seal, DigestOf(letterA)[len("sha256:"):]); err != nil {
		t.Fatalf("bare hex digest: %v", err)
	}
	if _, err := v.Verify(seal, "sha256:00"); err == nil || errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("malformed digest: %v", err)
	}
	// Release B has one signer, and seals of both releases share the checkpoint.
	r, err := v.VerifyBytes(s.o.seal(t, s.relB, true), letterB)
	if err != nil || !slices.Equal(r.Signers, []string{"alice"}) {
		t.Fatalf("release B: %+v, %v", r, err)
	}
}

// TestVerifyCachesCheckpoint checks that a checkpoint is opened once: the cached result is
// returned for the same bytes, and another checkpoint is opened on its own.
func TestVerifyCachesCheckpoint(t *testing.T) {
	s := newScenario(t)
	v := newTestVerifier(t, s.o.trustRoot(0))
	cp := s.o.checkpoint(t, false)
	a, err := v.checkpoint(cp)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := v.checkpoint(slices.Clone(cp))
	if a != b {
		t.Fatal("checkpoint opened twice")
	}
	if c, _ := v.checkpoint(s.o.checkpoint(t, true)); c == a {
		t.Fatal("a cosigned checkpoint shares the cache entry of the bare one")
	}
}

func TestVerifyCacheBounded(t *testing.T) {
	m := map[int]int{}
	for i := range maxCached + 10 {
		evictOne(m)
		m[i] = i
	}
	if len(m) != maxCached {
		t.Fatalf("cache holds %d, want %d", len(m), maxCached)
	}
}

func TestVerifyConcurrent(t *testing.T) {
	s := newScenario(t)
	v := newTestVerifier(t, s.o.trustRoot(1))
	seals := []*Seal{s.o.seal(t, s.relA, true), s.o.seal(t, s.relB, true)}
	files := [][]byte{letterA, letterB}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				k := (g + i) % 2
				if _, err := v.VerifyBytes(seals[k], files[k]); err != nil {
					t.Error(err)
				}
				if _, err := v.VerifyBytes(seals[k], files[1-k]); !errors.Is(err, ErrDigestMismatch) {
					t.Errorf("other file: %v", err)
				}
			}
		})
	}
	wg.Wait()
}

// cloneSeal returns a deep copy of s.
func cloneSeal(s *Seal) *Seal {
	c := &Seal{Checkpoint: slices.Clone(s.Checkpoint), Release: cloneLogged(s.Release)}
	for _, k := range s.Keys {
		c.Keys = append(c.Keys, cloneLogged(k))
	}
	return c
}

func cloneLogged(e LoggedEntry) LoggedEntry {
	c := LoggedEntry{Index: e.Index, Entry: slices.Clone(e.Entry), Proof: slices.Clone(e.Proof)}
	if e.Opening != nil {
		c.Opening = &Opening{Salt: slices.Clone(e.Opening.Salt), Statement: slices.Clone(e.Opening.Statement)}
	}
	return c
}

// reencode decodes an entry, lets edit change its envelope, and encodes it again.
func reencode(t testing.TB, data []byte, edit func(*entry.Entry)) []byte {
	e, err := entry.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	edit(e)
	out, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestVerifyThreats refuses each way of forging or misusing a seal with its error class.
func TestVerifyThreats(t *testing.T) {
	type threat struct {
		name string
		want string
		// build returns the seal, the file and the trust root to verify.
		build func(t *testing.T) (*Seal, []byte, *TrustRoot)
	}
	fresh := func(t *testing.T) *scenario { return newScenario(t) }
	// mutate returns a threat on the valid seal of release A.
	mutate := func(f func(t *testing.T, s *scenario, seal *Seal)) func(t *testing.T) (*Seal, []byte, *TrustRoot) {
		return func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			seal := cloneSeal(s.o.seal(t, s.relA, true))
			tr := s.o.trustRoot(1) // before f changes the office's keys
			f(t, s, seal)
			return seal, letterA, tr
		}
	}
	// released returns a threat on the seal of a release the office itself logged: an
	// insider, or a stolen office key, which signatures and proofs must still catch.
	released := func(f func(t *testing.T, s *scenario) *ReleaseStatement) func(t *testing.T) (*Seal, []byte, *TrustRoot) {
		return func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			st := f(t, s)
			i := s.o.logStatement(t, entry.Release, st, s.o.office)
			return s.o.seal(t, i, true), letterA, s.o.trustRoot(1)
		}
	}
	threats := []threat{
		{"valid", "valid", mutate(func(*testing.T, *scenario, *Seal) {})},
		{"tampered file", "digest-mismatch", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			return s.o.seal(t, s.relA, true), bytes.Replace(letterA, []byte("6 March"), []byte("9 March"), 1), s.o.trustRoot(1)
		}},
		{"seal of another letter", "digest-mismatch", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			return s.o.seal(t, s.relB, true), letterA, s.o.trustRoot(1)
		}},
		{"tampered statement", "bad-signature", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Entry = reencode(t, seal.Release.Entry, func(e *entry.Entry) {
				e.Envelope.Payload = bytes.Replace(e.Envelope.Payload, []byte("Exercise"), []byte("Invasion"), 1)
			})
		})},
		{"statement pointed at another file", "bad-signature", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Entry = reencode(t, seal.Release.Entry, func(e *entry.Entry) {
				e.Envelope.Payload = bytes.Replace(e.Envelope.Payload, []byte(DigestOf(letterA)), []byte(DigestOf(letterB)), 1)
			})
		})},
		{"release signed by an unknown key", "untrusted-key", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Entry = reencode(t, seal.Release.Entry, func(e *entry.Entry) {
				*e.Envelope = *dsse.Sign(e.Envelope.PayloadType, e.Envelope.Payload, seedKey(0x99))
			})
		})},
		{"release signature under the office key ID by another key", "bad-signature", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Entry = reencode(t, seal.Release.Entry, func(e *entry.Entry) {
				id := e.Envelope.Signatures[0].KeyID
				*e.Envelope = *dsse.Sign(e.Envelope.PayloadType, e.Envelope.Payload, seedKey(0x99))
				e.Envelope.Signatures[0].KeyID = id
			})
		})},
		{"re-signed tampered statement not in the log", "bad-proof", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Entry = reencode(t, seal.Release.Entry, func(e *entry.Entry) {
				*e.Envelope = *dsse.Sign(e.Envelope.PayloadType, bytes.Replace(e.Envelope.Payload, []byte("Exercise"), []byte("Invasion"), 1), s.o.office)
			})
		})},
		{"entry of another kind", "malformed", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			i := s.o.logStatement(t, entry.Retraction, &RetractionStatement{Office: s.o.name, Reference: "TFN-2026-000123",
				FileDigest: DigestOf(letterA), Reason: "x", RetractedBy: "dave", Time: releasedAt}, s.o.office)
			seal := s.o.seal(t, s.relA, true)
			seal.Release = s.o.logged(t, i)
			return seal, letterA, s.o.trustRoot(1)
		}},
		{"garbage entry", "malformed", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Entry = []byte("chancery-entry v1 release\n{}")
		})},
		{"forged checkpoint", "bad-checkpoint", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			forger, _ := noteSigner(t, s.o.origin, seedKey(0x98))
			s.o.log = forger
			seal.Checkpoint = s.o.checkpoint(t, true)
		})},
		{"checkpoint text altered", "bad-checkpoint", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Checkpoint = bytes.Replace(seal.Checkpoint, []byte("\n4\n"), []byte("\n5\n"), 1)
		})},
		{"checkpoint of another log", "bad-checkpoint", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			s.o.origin = "other.example.org/log"
			seal.Checkpoint = s.o.checkpoint(t, true)
		})},
		{"checkpoint without cosignature", "witness-quorum", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Checkpoint = s.o.checkpoint(t, false)
		})},
		{"checkpoint cosigned by an unknown witness", "witness-quorum", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			s.o.witness = newCosigner(t, "witness.example/w1", seedKey(0x97))
			seal.Checkpoint = s.o.checkpoint(t, true)
		})},
		// C2SP tlog-cosignature: the timestamp MUST NOT exceed 2^63 − 1. Read as a signed
		// Unix time, a larger one was a date before the Epoch.
		{"cosignature dated past 2^63 − 1", "bad-checkpoint", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			s.o.witnessAt = 1<<63 + s.o.witnessAt
			seal.Checkpoint = s.o.checkpoint(t, true)
		})},
		{"bad cosignature", "bad-checkpoint", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			s.o.witnessAt++ // signed for one time, claims another
			good := s.o.checkpoint(t, true)
			s.o.witnessAt--
			n, err := note.Open(good, note.VerifierList(mustVerifier(t, s.o.logKey)))
			if err != nil {
				t.Fatal(err)
			}
			seal.Checkpoint = []byte(strings.Replace(string(good), n.UnverifiedSigs[0].Base64, corruptTime(t, n.UnverifiedSigs[0].Base64), 1))
		})},
		{"a second cosignature line that does not verify", "bad-checkpoint", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			// C2SP signed-note: every signature of a known key must verify; x/mod's note.Open
			// verifies the first line of a key and passes over the others (item 296).
			good := s.o.checkpoint(t, true)
			n, err := note.Open(good, note.VerifierList(mustVerifier(t, s.o.logKey)))
			if err != nil {
				t.Fatal(err)
			}
			w := n.UnverifiedSigs[0]
			seal.Checkpoint = append(slices.Clone(good), "— "+w.Name+" "+corruptTime(t, w.Base64)+"\n"...)
		})},
		// A signature line whose base64 has its unused bits set decodes, leniently, to the
		// same signature: x/mod's note.Open accepted it, so one seal had many spellings.
		{"the log key's signature line in non-canonical base64", "bad-checkpoint", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			good := s.o.checkpoint(t, true)
			n, err := note.Open(good, note.VerifierList(mustVerifier(t, s.o.logKey)))
			if err != nil {
				t.Fatal(err)
			}
			seal.Checkpoint = []byte(strings.Replace(string(good), n.Sigs[0].Base64, setUnusedBits(t, n.Sigs[0].Base64), 1))
		})},
		{"a cosignature line in non-canonical base64", "bad-checkpoint", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			good := s.o.checkpoint(t, true)
			n, err := note.Open(good, note.VerifierList(mustVerifier(t, s.o.logKey)))
			if err != nil {
				t.Fatal(err)
			}
			w := n.UnverifiedSigs[0].Base64
			seal.Checkpoint = []byte(strings.Replace(string(good), w, setUnusedBits(t, w), 1))
		})},
		{"wrong trust root", "bad-checkpoint", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			other := newTestOffice(t, s.o.name, s.o.origin, 0x50)
			return s.o.seal(t, s.relA, true), letterA, other.trustRoot(1)
		}},
		// The same log under another office key: to an offline verifier, a trust root that
		// predates a rotation (it cannot tell them apart, and accepts neither).
		{"trust root of another office", "outdated-trust-root", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			tr := s.o.trustRoot(1)
			tr.OfficeKeys = []OfficeKey{NewOfficeKey(seedKey(0x51).Public().(ed25519.PublicKey))}
			return s.o.seal(t, s.relA, true), letterA, tr
		}},
		{"altered proof", "bad-proof", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Proof[0][0] ^= 1
		})},
		{"short proof", "bad-proof", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Proof = seal.Release.Proof[1:]
		})},
		{"index of another entry", "bad-proof", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Index = s.relB
		})},
		{"index beyond the tree", "bad-proof", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Release.Index = 4
		})},
		{"proof for an older tree", "bad-proof", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			old := s.o.seal(t, s.relA, true)
			s.o.logStatement(t, entry.Release, s.o.releaseStatement(t, "TFN-2026-000125", letterB, releasedAt), s.o.office)
			seal := s.o.seal(t, s.relA, true)
			seal.Release.Proof = old.Release.Proof
			return seal, letterA, s.o.trustRoot(1)
		}},
		{"signature replayed from another letter", "bad-signature", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			st := s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice")
			other := s.o.releaseStatement(t, "TFN-2026-000124", letterB, releasedAt, "bob")
			st.Signatures = append(st.Signatures, other.Signatures[0])
			return st
		})},
		{"signature replayed onto another version", "bad-signature", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			st := s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob")
			st.Version++
			return st
		})},
		{"signature replayed under another policy", "bad-signature", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			st := s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob")
			st.Policy = DigestOf([]byte("policy v0, laxer"))
			return st
		})},
		{"signer key never added", "untrusted-key", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			s.o.members["mallory"] = seedKey(0x96)
			return s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "mallory")
		})},
		{"signature under another member's name", "untrusted-key", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			st := s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob")
			st.Signatures[1].Signer = "commander"
			return st
		})},
		{"signer key entry left out", "untrusted-key", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Keys = seal.Keys[:1]
		})},
		{"signer key added by a non-office key", "untrusted-key", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			s.o.members["mallory"] = seedKey(0x96)
			pub := seedKey(0x96).Public().(ed25519.PublicKey)
			s.o.keyIndex[dsse.KeyID(pub)] = s.o.logStatement(t, entry.KeyAdded, &KeyStatement{Office: s.o.name,
				KeyID: dsse.KeyID(pub), PublicKey: pub, Member: "mallory", Time: keysAddedAt}, seedKey(0x96))
			i := s.o.logStatement(t, entry.Release, s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "mallory"), s.o.office)
			return s.o.seal(t, i, true), letterA, s.o.trustRoot(1)
		}},
		{"signer key of another office", "untrusted-key", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			s.o.members["mallory"] = seedKey(0x96)
			pub := seedKey(0x96).Public().(ed25519.PublicKey)
			s.o.keyIndex[dsse.KeyID(pub)] = s.o.logStatement(t, entry.KeyAdded, &KeyStatement{Office: "Task Force South",
				KeyID: dsse.KeyID(pub), PublicKey: pub, Member: "mallory", Time: keysAddedAt}, s.o.office)
			i := s.o.logStatement(t, entry.Release, s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "mallory"), s.o.office)
			return s.o.seal(t, i, true), letterA, s.o.trustRoot(1)
		}},
		{"revocation offered as the key entry", "untrusted-key", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			pub := s.o.members["bob"].Public().(ed25519.PublicKey)
			r := s.o.logStatement(t, entry.KeyRevoked, &KeyStatement{Office: s.o.name, KeyID: dsse.KeyID(pub), PublicKey: pub,
				Member: "bob", Reason: "lost", Time: keysAddedAt}, s.o.office)
			s.o.keyIndex[dsse.KeyID(pub)] = r
			i := s.o.logStatement(t, entry.Release, s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "bob"), s.o.office)
			return s.o.seal(t, i, true), letterA, s.o.trustRoot(1)
		}},
		{"tampered key entry", "bad-signature", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Keys[0].Entry = reencode(t, seal.Keys[0].Entry, func(e *entry.Entry) {
				e.Envelope.Payload = bytes.Replace(e.Envelope.Payload, []byte("2026-01-05"), []byte("2025-01-05"), 1)
			})
		})},
		{"key entry with a key ID not its key's", "malformed", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			pub := s.o.members["alice"].Public().(ed25519.PublicKey)
			s.o.keyIndex[dsse.KeyID(pub)] = s.o.logStatement(t, entry.KeyAdded, &KeyStatement{Office: s.o.name,
				KeyID: dsse.KeyID(pub), PublicKey: s.o.members["bob"].Public().(ed25519.PublicKey), Member: "alice", Time: keysAddedAt}, s.o.office)
			i := s.o.logStatement(t, entry.Release, s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice"), s.o.office)
			return s.o.seal(t, i, true), letterA, s.o.trustRoot(1)
		}},
		{"key added after the release", "bad-proof", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			s.o.members["erin"] = seedKey(0x95)
			i := s.o.logStatement(t, entry.Release, s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "erin"), s.o.office)
			s.o.addKey(t, "erin", releasedAt)
			return s.o.seal(t, i, true), letterA, s.o.trustRoot(1)
		}},
		{"key entry index moved before the release", "bad-proof", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			s.o.members["erin"] = seedKey(0x95)
			i := s.o.logStatement(t, entry.Release, s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "erin"), s.o.office)
			s.o.addKey(t, "erin", releasedAt)
			seal := s.o.seal(t, i, true)
			seal.Keys[0].Index = 0
			return seal, letterA, s.o.trustRoot(1)
		}},
		{"key entry no signature uses", "malformed", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			b := s.o.seal(t, s.relB, true)
			seal.Release = b.Release
			seal.Keys = append(b.Keys, s.o.logged(t, 1))
		})},
		{"key entry repeated", "malformed", mutate(func(t *testing.T, s *scenario, seal *Seal) {
			seal.Keys = append(seal.Keys, seal.Keys[0])
		})},
		{"release for another office", "untrusted-key", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			st := s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice")
			st.Office = "Task Force South"
			return st
		})},
		{"non-canonical file digest", "malformed", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			st := s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice")
			st.FileDigest = Digest(strings.ToUpper(string(st.FileDigest)))
			return st
		})},
		{"same signer twice counts once", "valid", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			return s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "alice", "bob")
		})},
		{"no signatures", "valid", released(func(t *testing.T, s *scenario) *ReleaseStatement {
			return s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt)
		})},
		{"rotated office key", "valid", func(t *testing.T) (*Seal, []byte, *TrustRoot) {
			s := fresh(t)
			old := s.o.office
			s.o.office = seedKey(0x94)
			i := s.o.logStatement(t, entry.Release, s.o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice"), s.o.office)
			tr := s.o.trustRoot(1)
			tr.OfficeKeys = append(tr.OfficeKeys, NewOfficeKey(old.Public().(ed25519.PublicKey)))
			return s.o.seal(t, i, true), letterA, tr
		}},
	}
	for _, th := range threats {
		t.Run(th.name, func(t *testing.T) {
			seal, file, tr := th.build(t)
			// Through the file form, as a verifier gets it.
			parsed, err := Parse(seal.Marshal())
			if err != nil {
				t.Fatal(err)
			}
			r, err := newTestVerifier(t, tr).VerifyBytes(parsed, file)
			t.Log(err)
			if got := class(t, err); got != th.want {
				t.Fatalf("got %s (%v), want %s", got, err, th.want)
			}
			if th.name == "same signer twice counts once" && !slices.Equal(r.Signers, []string{"alice", "bob"}) {
				t.Fatalf("signers %v", r.Signers)
			}
		})
	}
}

func mustVerifier(t testing.TB, vkey string) note.Verifier {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// corruptTime rewrites the timestamp of a cosignature line's signature, keeping its key hash.
func corruptTime(t testing.TB, b64 string) string {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	raw[4+7]-- // the low byte of the timestamp, after the 4-byte key hash
	return base64.StdEncoding.EncodeToString(raw)
}

func TestVerifyEntry(t *testing.T) {
	s := newScenario(t)
	o := s.o
	alice := o.members["alice"]
	ret := o.logStatement(t, entry.Retraction, &RetractionStatement{Office: o.name, Reference: "TFN-2026-000123",
		FileDigest: DigestOf(letterA), Reason: "wrong date", RetractedBy: "alice", Time: releasedAt.Add(time.Hour)}, alice, o.office)
	sup := o.logStatement(t, entry.Supersession, &SupersessionStatement{Office: o.name, Reference: "TFN-2026-000124",
		FileDigest: DigestOf(letterB), By: "TFN-2026-000125", ByFileDigest: DigestOf([]byte("new")), Reason: "new route",
		SupersededBy: "alice", Time: releasedAt.Add(time.Hour)}, o.office, alice)
	bob := o.members["bob"].Public().(ed25519.PublicKey)
	rev := o.logStatement(t, entry.KeyRevoked, &KeyStatement{Office: o.name, KeyID: dsse.KeyID(bob), PublicKey: bob,
		Member: "bob", Reason: "left the office", Time: releasedAt}, o.office)
	pol := o.append(t, mustEncode(t, entry.PolicyAdopted, []byte(`{"policy":"v2"}`), o.office))
	foreign := o.logStatement(t, entry.Retraction, &RetractionStatement{Office: "Task Force South", Reference: "TFS-1",
		FileDigest: DigestOf(letterA), Reason: "x", RetractedBy: "x", Time: releasedAt}, o.office)
	unsigned := o.logStatement(t, entry.Retraction, &RetractionStatement{Office: o.name, Reference: "TFN-2026-000123",
		FileDigest: DigestOf(letterA), Reason: "forged", RetractedBy: "alice", Time: releasedAt}, alice)
	cp := o.checkpoint(t, true)
	v := newTestVerifier(t, o.trustRoot(1))

	check := func(i int64, want string) *VerifiedEntry {
		t.Helper()
		l := o.logged(t, i)
		ve, err := v.VerifyEntry(l.Entry, l.Index, l.Proof, cp)
		if got := class(t, err); got != want {
			t.Fatalf("entry %d: got %s (%v), want %s", i, got, err, want)
		}
		return ve
	}
	if st, ok := check(ret, "valid").Statement.(*RetractionStatement); !ok || st.Reason != "wrong date" {
		t.Errorf("retraction: %#v", st)
	}
	if st, ok := check(sup, "valid").Statement.(*SupersessionStatement); !ok || st.By != "TFN-2026-000125" {
		t.Errorf("supersession: %#v", st)
	}
	if ve := check(rev, "valid"); ve.Entry.Kind != entry.KeyRevoked || ve.Statement.(*KeyStatement).Member != "bob" || ve.TreeSize != int64(len(o.entries)) {
		t.Errorf("revocation: %+v", ve)
	}
	if st, ok := check(0, "valid").Statement.(*KeyStatement); !ok || st.Member != "alice" {
		t.Errorf("key added: %#v", st)
	}
	if st, ok := check(s.relA, "valid").Statement.(*ReleaseStatement); !ok || st.Reference != "TFN-2026-000123" {
		t.Errorf("release: %#v", st)
	}
	if ve := check(pol, "valid"); ve.Statement != nil || string(ve.Entry.Envelope.Payload) != `{"policy":"v2"}` {
		t.Errorf("policy: %+v", ve)
	}
	check(foreign, "untrusted-key")
	// In the log, signed by no key the trust root lists: offline, a rotation since the trust
	// root was exported cannot be told from an insider's entry, so the verifier asks for a
	// fresh trust root (and accepts nothing); a current one then says untrusted-key.
	check(unsigned, "outdated-trust-root")

	l := o.logged(t, ret)
	if _, err := v.VerifyEntry(l.Entry, l.Index+1, l.Proof, cp); class(t, err) != "bad-proof" {
		t.Errorf("wrong index: %v", err)
	}
	if _, err := v.VerifyEntry(l.Entry, l.Index, l.Proof, o.checkpoint(t, false)); class(t, err) != "witness-quorum" {
		t.Errorf("uncosigned checkpoint: %v", err)
	}
	if _, err := v.VerifyEntry(l.Entry[1:], l.Index, l.Proof, cp); class(t, err) != "malformed" {
		t.Errorf("malformed entry: %v", err)
	}
	bad := reencode(t, l.Entry, func(e *entry.Entry) { e.Envelope.Payload = []byte(`{"office":"Task Force North"}`) })
	if _, err := v.VerifyEntry(bad, l.Index, l.Proof, cp); class(t, err) != "bad-signature" {
		t.Errorf("tampered retraction: %v", err)
	}
	// A well-signed, logged entry whose payload is not a statement.
	junk := o.append(t, mustEncode(t, entry.Retraction, []byte(`{"office":"Task Force North","extra":1}`), o.office))
	l = o.logged(t, junk)
	if _, err := v.VerifyEntry(l.Entry, l.Index, l.Proof, o.checkpoint(t, true)); class(t, err) != "malformed" {
		t.Errorf("junk payload: %v", err)
	}
}

func mustEncode(t testing.TB, k entry.Kind, payload []byte, keys ...ed25519.PrivateKey) []byte {
	data, err := (&entry.Entry{Kind: k, Envelope: dsse.Sign(k.PayloadType(), payload, keys...)}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSignRejectsFaultySigner(t *testing.T) {
	st := SigningStatement{Office: "o", Digest: DigestOf(nil)}
	k := seedKey(1)
	sig, err := Sign(k, "alice", st)
	if err != nil {
		t.Fatal(err)
	}
	if err := sig.Verify(k.Public().(ed25519.PublicKey), st); err != nil {
		t.Fatal(err)
	}
	if err := sig.Verify(seedKey(2).Public().(ed25519.PublicKey), st); !errors.Is(err, ErrUntrustedKey) {
		t.Fatalf("other key: %v", err)
	}
	st2 := st
	st2.Version = 1
	if err := sig.Verify(k.Public().(ed25519.PublicKey), st2); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("other statement: %v", err)
	}
	if _, err := Sign(faultySigner{k}, "alice", st); err == nil {
		t.Fatal("a signer returning a bad signature was accepted")
	}
}

// faultySigner returns signatures of the wrong message, as a broken hardware module might.
type faultySigner struct{ ed25519.PrivateKey }

func (f faultySigner) Sign(_ io.Reader, msg []byte, _ crypto.SignerOpts) ([]byte, error) {
	return ed25519.Sign(f.PrivateKey, append(msg, 0)), nil
}

// TestTrustRootWitnessKeyUnique guards the witness quorum against one key counted twice (audit,
// twenty-second session). A cosignature/v1 signs neither the cosigner's name nor its key hash,
// so with "w1+K" and "w2+K" in a trust root anyone could copy w1's cosignature line, rewrite its
// key hash to w2's, and have one witness meet a quorum of 2. Marshal, ParseTrustRoot and
// NewVerifier refuse a trust root that lists one Ed25519 key under two witness names, or the
// log's own key as a witness.
func TestTrustRootWitnessKeyUnique(t *testing.T) {
	s := newScenario(t)
	o := s.o
	alias := newCosigner(t, "witness.example/w2", seedKey(0x10+2))    // o.witness's key, another name
	logAlias := newCosigner(t, "witness.example/w3", seedKey(0x10+1)) // the log's key as a witness
	other := newCosigner(t, "witness.example/w3", seedKey(0x33))      // a witness of its own
	good := o.trustRoot(2)
	good.Witnesses = []string{o.witness.vkey, other.vkey}
	data, err := good.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseTrustRoot(data); err != nil {
		t.Fatalf("two witnesses with their own keys: %v", err)
	}

	// The forgery the rule prevents: w1's cosignature, relabelled with w2's key hash, is a
	// valid cosignature by w2's key.
	sl := o.seal(t, s.relA, true) // cosigned by witness.example/w1 only
	wv, err := WitnessVerifier(o.witness.vkey)
	if err != nil {
		t.Fatal(err)
	}
	n, err := note.Open(sl.Checkpoint, note.VerifierList(wv))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(n.Sigs[0].Base64)
	binary.BigEndian.PutUint32(raw[:4], alias.hash)
	forged := []byte(string(sl.Checkpoint) + "— witness.example/w2 " + base64.StdEncoding.EncodeToString(raw) + "\n")
	av, err := WitnessVerifier(alias.vkey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(forged, note.VerifierList(av)); err != nil {
		t.Fatalf("the relabelled cosignature does not verify as w2's: %v", err)
	}

	for name, w := range map[string]*cosigner{"one key under two names": alias, "the log's key": logAlias} {
		t.Run(name, func(t *testing.T) {
			tr := o.trustRoot(2)
			tr.Witnesses = []string{o.witness.vkey, w.vkey}
			if _, err := tr.Marshal(); err == nil {
				t.Errorf("Marshal accepted witnesses %q", tr.Witnesses)
			}
			if _, err := ParseTrustRoot(bytes.Replace(data, []byte(other.vkey), []byte(w.vkey), 1)); err == nil {
				t.Errorf("ParseTrustRoot accepted witnesses %q", tr.Witnesses)
			} else {
				t.Log(err)
			}
			v, err := NewVerifier(tr)
			if err == nil {
				t.Errorf("NewVerifier accepted witnesses %q", tr.Witnesses)
				if w == alias {
					f := *sl
					f.Checkpoint = forged
					if r, err := v.VerifyBytes(&f, letterA); err == nil {
						t.Errorf("quorum 2 met by one witness key: %d witnesses %+v", r.Witnesses, r.Cosigners)
					}
				}
			}
		})
	}
}

// TestTrustRootRefusesSmallOrderKeys: under an Ed25519 key of small order (here the
// identity point), the signature R = identity, S = 0 verifies for every message, so a
// witness listed with such a key would cosign whatever anyone writes, and an office key of
// that kind would sign any statement. Trust roots refuse them.
func TestTrustRootRefusesSmallOrderKeys(t *testing.T) {
	s := newScenario(t)
	o := s.o
	identity := make([]byte, ed25519.PublicKeySize)
	identity[0] = 1
	name := "witness.example/weak"
	pub := append([]byte{algCosignatureV1}, identity...)
	h := sha256.Sum256(append([]byte(name+"\n"), pub...))
	weak := fmt.Sprintf("%s+%08x+%s", name, binary.BigEndian.Uint32(h[:4]), base64.StdEncoding.EncodeToString(pub))

	// The danger: a cosignature nobody made verifies under that key.
	wv, err := WitnessVerifier(weak)
	if err != nil {
		t.Fatal(err)
	}
	forged := append(binary.BigEndian.AppendUint64(nil, 1), identity...) // time 1, R = identity
	forged = append(forged, make([]byte, 32)...)                         // S = 0
	anyCheckpoint := "example.org/any-log\n12\n" + base64.StdEncoding.EncodeToString(make([]byte, 32)) + "\n"
	if !wv.Verify([]byte(anyCheckpoint), forged) {
		t.Fatal("the forged cosignature does not verify: the test's premise is wrong")
	}

	for name, tr := range map[string]*TrustRoot{
		"witness": func() *TrustRoot {
			tr := o.trustRoot(2)
			tr.Witnesses = append(tr.Witnesses, weak)
			return tr
		}(),
		"office key": func() *TrustRoot {
			tr := o.trustRoot(1)
			tr.OfficeKeys = append(tr.OfficeKeys, NewOfficeKey(identity))
			tr.OfficeKeys[1].FromIndex = 10
			return tr
		}(),
	} {
		if _, err := NewVerifier(tr); err == nil {
			t.Errorf("%s: NewVerifier accepted a key of small order", name)
		} else if !strings.Contains(err.Error(), "small order") {
			t.Errorf("%s: refused for another reason: %v", name, err)
		}
		if _, err := tr.Marshal(); err == nil {
			t.Errorf("%s: Marshal accepted a key of small order", name)
		}
	}
}

// setUnusedBits returns b64, padded standard base64 whose last character before the padding
// has unused bits, with those bits set: the same bytes to a lenient decoder, not their
// canonical encoding.
func setUnusedBits(t *testing.T, b64 string) string {
	t.Helper()
	pad := len(b64) - len(strings.TrimRight(b64, "="))
	if pad == 0 {
		t.Fatalf("%q has no unused bits", b64)
	}
	i := len(b64) - pad - 1
	c := strings.IndexByte(b64Alphabet, b64[i]) | (1<<(2*pad) - 1)
	return b64[:i] + string(b64Alphabet[c]) + b64[i+1:]
}

// TestDigestMismatchCarriesItsCheckpoint: a seal valid but for the file beside it fails with a
// *DigestMismatchError carrying the tree of its checkpoint, the one a valid file's Result
// names, for a run's comparison of checkpoints; errors.Is still finds ErrDigestMismatch, and
// the message is as before.
func TestDigestMismatchCarriesItsCheckpoint(t *testing.T) {
	s := newScenario(t)
	v := newTestVerifier(t, s.o.trustRoot(1))
	sl := s.o.seal(t, s.relA, true)
	r, err := v.VerifyBytes(sl, letterA)
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.VerifyBytes(sl, letterB)
	var dm *DigestMismatchError
	if !errors.Is(err, ErrDigestMismatch) || !errors.As(err, &dm) {
		t.Fatalf("another file: %v, want a *DigestMismatchError", err)
	}
	if dm.TreeSize != r.TreeSize || dm.Root != r.Root || dm.Sealed != DigestOf(letterA) || dm.File != DigestOf(letterB) || dm.Reference != r.Statement.Reference {
		t.Errorf("the error carries %+v, want tree %d %s and the two digests", dm, r.TreeSize, r.Root)
	}
	want := fmt.Sprintf("verify seal: file is not the sealed letter: the seal is for %s (%s), the file is %s", DigestOf(letterA), r.Statement.Reference, DigestOf(letterB))
	if err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
}
