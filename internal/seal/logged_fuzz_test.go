package seal

import (
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"golang.org/x/mod/sumdb/tlog"
)

// FuzzVerifyLogged checks the verification of log entries an online verifier is given by a
// registry, or by whoever answers in its place (a withdrawal, a revocation, the key that
// signed a withdrawal): it never panics; a refusal is of one of the error classes; an
// acceptance is of an entry that decodes, signed by the trust root's office key, at an index
// inside the checkpoint's tree, whose statement, when there is one, is of the trust root's
// office, and is there whenever a version 2 entry came with an opening; and a verifier that
// has verified other entries before (its caches warm) judges as a fresh one does.
//
//	go test ./internal/seal -run '^$' -fuzz '^FuzzVerifyLogged$' -fuzztime 60s
func FuzzVerifyLogged(f *testing.F) {
	s := newScenario(f)
	o := s.o
	alice := o.members["alice"]
	bob := o.members["bob"].Public().(ed25519.PublicKey)
	at := releasedAt.Add(time.Hour)
	indexes := []int64{0, 1, s.relA, s.relB,
		o.logStatement(f, entry.Retraction, &RetractionStatement{Office: o.name, Reference: "TFN-2026-000123",
			FileDigest: DigestOf(letterA), Reason: "wrong date", RetractedBy: "alice", Time: at}, alice, o.office),
		o.logStatement(f, entry.KeyRevoked, &KeyStatement{Office: o.name, KeyID: dsse.KeyID(bob), PublicKey: bob,
			Member: "bob", Reason: "left the office", Time: at}, o.office),
		o.addKeyV2(f, "alice", at),
	}
	ret := &RetractionStatement{Office: o.name, Reference: "TFN-2026-000124", FileDigest: DigestOf(letterB),
		Reason: "superseded by events", RetractedBy: "alice", Time: at}
	op := o.opening(ret)
	indexes = append(indexes, o.logRecord(f, entry.Retraction, &RetractionRecord{Office: o.name, Release: s.relB,
		Commitment: op.Commitment(entry.Retraction), Time: at}, op, alice, o.office))
	cp := o.checkpoint(f, true)
	tr := o.trustRoot(1)
	v := newTestVerifier(f, tr)
	for _, i := range indexes {
		l := o.logged(f, i)
		var proof []byte
		for _, h := range l.Proof {
			proof = append(proof, h[:]...)
		}
		var salt, statement []byte
		if l.Opening != nil {
			salt, statement = l.Opening.Salt, l.Opening.Statement
		}
		f.Add(l.Entry, l.Index, proof, cp, l.Opening != nil, salt, statement)
		if _, err := v.VerifyLogged(l, cp); err != nil {
			f.Fatalf("entry %d of the seeds: %v", i, err)
		}
	}
	f.Add([]byte{}, int64(-1), []byte{}, []byte{}, false, []byte{}, []byte{})
	officeKey := o.office.Public().(ed25519.PublicKey)
	f.Fuzz(func(t *testing.T, data []byte, index int64, proof, checkpoint []byte, withOpening bool, salt, statement []byte) {
		l := LoggedEntry{Index: index, Entry: data}
		for len(proof) >= tlog.HashSize && len(l.Proof) < MaxProofHashes {
			l.Proof = append(l.Proof, tlog.Hash(proof[:tlog.HashSize]))
			proof = proof[tlog.HashSize:]
		}
		if withOpening {
			l.Opening = &Opening{Salt: salt, Statement: statement}
		}
		ve, err := v.VerifyLogged(l, checkpoint)
		_, freshErr := newTestVerifier(t, tr).VerifyLogged(l, checkpoint)
		if got, fresh := class(t, err), class(t, freshErr); got != fresh {
			t.Fatalf("a verifier that verified entries before says %s (%v), a fresh one %s (%v)", got, err, fresh, freshErr)
		}
		if err != nil {
			if ve != nil {
				t.Fatalf("a verified entry with the error %v", err)
			}
			return
		}
		e, derr := entry.Decode(data)
		if derr != nil {
			t.Fatalf("accepted an entry that does not decode: %v", derr)
		}
		if e.Envelope.Verify(officeKey) != nil {
			t.Fatal("accepted an entry the office key did not sign")
		}
		if index < 0 || index >= ve.TreeSize {
			t.Fatalf("accepted index %d in a tree of %d", index, ve.TreeSize)
		}
		if withOpening && e.V() == entry.V2 && ve.Statement == nil {
			t.Fatal("a version 2 entry with its opening, accepted without its statement")
		}
		var office string
		switch st := ve.Statement.(type) {
		case nil:
			return
		case *ReleaseStatement:
			office = st.Office
		case *RetractionStatement:
			office = st.Office
		case *SupersessionStatement:
			office = st.Office
		case *KeyStatement:
			office = st.Office
		case *PolicyStatement:
			office = st.Office
		case *RotationStatement:
			office = st.Office
		default:
			t.Fatalf("statement %T", st)
		}
		if office != o.name {
			t.Fatalf("accepted a statement of office %q", office)
		}
	})
}
