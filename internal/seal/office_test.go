package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// testOffice is an office and its log, in memory, built with tlog as the real log is: enough
// to issue real seals in tests, the benchmark and the test vectors. Its keys come from fixed
// seeds, so everything it signs is reproducible.
type testOffice struct {
	name      string
	office    ed25519.PrivateKey
	origin    string
	log       note.Signer
	logKey    string
	witness   *cosigner
	members   map[string]ed25519.PrivateKey
	keyIndex  map[string]int64 // key-added entry index, by key ID
	entries   [][]byte
	hashes    []tlog.Hash // every stored hash, as tlog.StoredHashes lays them out
	witnessAt uint64      // cosignature timestamp
	// openings are the openings of the version 2 entries, by index; salts counts the fixed
	// salts handed out (see opening).
	openings map[int64]*Opening
	salts    int
}

// seedKey returns the Ed25519 key whose seed is 32 bytes of b.
func seedKey(b byte) ed25519.PrivateKey { return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{b}, 32)) }

// newTestOffice returns an office whose keys come from seeds base (office), base+1 (log) and
// base+2 (witness), with members alice (base+3) and bob (base+4).
func newTestOffice(t testing.TB, name, origin string, base byte) *testOffice {
	o := &testOffice{name: name, office: seedKey(base), origin: origin,
		members:  map[string]ed25519.PrivateKey{"alice": seedKey(base + 3), "bob": seedKey(base + 4)},
		keyIndex: map[string]int64{}, witnessAt: 1767225600, openings: map[int64]*Opening{}}
	o.log, o.logKey = noteSigner(t, origin, seedKey(base+1))
	o.witness = newCosigner(t, "witness.example/w1", seedKey(base+2))
	return o
}

// noteSigner returns a note signer and verifier key for name with key k.
func noteSigner(t testing.TB, name string, k ed25519.PrivateKey) (note.Signer, string) {
	pub := k.Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(append([]byte(name+"\n\x01"), pub...))
	s, err := note.NewSigner(fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, binary.BigEndian.Uint32(h[:4]),
		base64.StdEncoding.EncodeToString(append([]byte{1}, k.Seed()...))))
	if err != nil {
		t.Fatal(err)
	}
	return s, vkey
}

// cosigner is a witness signing C2SP tlog-cosignature/v1 cosignatures at a fixed time. It is
// written from the specification, and checked by transparency-dev/formats' verifier, which
// the seal verifier uses.
type cosigner struct {
	name string
	key  ed25519.PrivateKey
	hash uint32
	vkey string
	time uint64
}

func newCosigner(t testing.TB, name string, k ed25519.PrivateKey) *cosigner {
	pub := append([]byte{algCosignatureV1}, k.Public().(ed25519.PublicKey)...)
	h := sha256.Sum256(append([]byte(name+"\n"), pub...))
	c := &cosigner{name: name, key: k, hash: binary.BigEndian.Uint32(h[:4])}
	c.vkey = fmt.Sprintf("%s+%08x+%s", name, c.hash, base64.StdEncoding.EncodeToString(pub))
	return c
}

func (c *cosigner) Name() string    { return c.name }
func (c *cosigner) KeyHash() uint32 { return c.hash }
func (c *cosigner) Sign(msg []byte) ([]byte, error) {
	m := fmt.Sprintf("cosignature/v1\ntime %d\n%s", c.time, msg)
	return append(binary.BigEndian.AppendUint64(nil, c.time), ed25519.Sign(c.key, []byte(m))...), nil
}

func (o *testOffice) trustRoot(quorum int) *TrustRoot {
	return &TrustRoot{Office: o.name, BaseURL: "https://" + o.origin[:len(o.origin)-len("/log")],
		LogOrigin: o.origin, LogKey: o.logKey,
		OfficeKeys: []OfficeKey{NewOfficeKey(o.office.Public().(ed25519.PublicKey))},
		Witnesses:  []string{o.witness.vkey}, WitnessQuorum: quorum}
}

// append adds an entry to the log and returns its index.
func (o *testOffice) append(t testing.TB, data []byte) int64 {
	n := int64(len(o.entries))
	hs, err := tlog.StoredHashes(n, data, o)
	if err != nil {
		t.Fatal(err)
	}
	o.hashes = append(o.hashes, hs...)
	o.entries = append(o.entries, data)
	return n
}

// ReadHashes makes the office a tlog.HashReader over its stored hashes.
func (o *testOffice) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		out[i] = o.hashes[x]
	}
	return out, nil
}

// logStatement appends an entry of kind k whose payload is st, signed by keys.
func (o *testOffice) logStatement(t testing.TB, k entry.Kind, st any, keys ...ed25519.PrivateKey) int64 {
	data, err := (&entry.Entry{Kind: k, Envelope: dsse.Sign(k.PayloadType(), Marshal(st), keys...)}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	return o.append(t, data)
}

// fixedSalt returns the salt of an office's n-th confidential entry: 32 bytes of 0x20+n. The
// registry draws salts at random (NewOpening); tests and vectors need them reproducible.
func fixedSalt(n int) []byte { return bytes.Repeat([]byte{byte(0x20 + n)}, SaltSize) }

// opening returns the opening of st with the office's next fixed salt.
func (o *testOffice) opening(st any) *Opening {
	op := &Opening{Salt: fixedSalt(o.salts), Statement: Marshal(st)}
	o.salts++
	return op
}

// logRecord appends a version 2 entry of kind k whose payload is the record rec, signed by
// keys, and keeps op as its opening (which the office's seals then carry).
func (o *testOffice) logRecord(t testing.TB, k entry.Kind, rec any, op *Opening, keys ...ed25519.PrivateKey) int64 {
	data, err := (&entry.Entry{Version: entry.V2, Kind: k, Envelope: dsse.Sign(k.PayloadTypeV(entry.V2), Marshal(rec), keys...)}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	i := o.append(t, data)
	if op != nil {
		o.openings[i] = op
	}
	return i
}

// logRelease logs the version 2 release entry of st, disclosing d, signed by the office.
func (o *testOffice) logRelease(t testing.TB, st *ReleaseStatement, d *Disclosure) int64 {
	op := o.opening(st)
	return o.logRecord(t, entry.Release, NewReleaseRecord(st, op, d), op, o.office)
}

// addKeyV2 logs the version 2 key-added entry of a member's key.
func (o *testOffice) addKeyV2(t testing.TB, member string, at time.Time) int64 {
	pub := o.members[member].Public().(ed25519.PublicKey)
	op := o.opening(&KeyStatement{Office: o.name, KeyID: dsse.KeyID(pub), PublicKey: pub, Member: member, Time: at})
	i := o.logRecord(t, entry.KeyAdded, &KeyRecord{Office: o.name, KeyID: dsse.KeyID(pub), PublicKey: pub,
		Commitment: op.Commitment(entry.KeyAdded), Time: at}, op, o.office)
	o.keyIndex[dsse.KeyID(pub)] = i
	return i
}

// addKey logs the key-added entry of a member's key.
func (o *testOffice) addKey(t testing.TB, member string, at time.Time) int64 {
	pub := o.members[member].Public().(ed25519.PublicKey)
	i := o.logStatement(t, entry.KeyAdded, &KeyStatement{Office: o.name, KeyID: dsse.KeyID(pub),
		PublicKey: pub, Member: member, Time: at}, o.office)
	o.keyIndex[dsse.KeyID(pub)] = i
	return i
}

// releaseStatement returns the statement of a release of file, signed by members.
func (o *testOffice) releaseStatement(t testing.TB, ref string, file []byte, at time.Time, members ...string) *ReleaseStatement {
	st := &ReleaseStatement{Office: o.name,
		Letter:  Letter{Reference: ref, Subject: "Exercise " + ref, Class: "press", Tags: []string{"exercise"}, Addressees: []string{"Press office"}},
		Version: 2, VersionDigest: DigestOf(append([]byte("draft of "), file...)), FileDigest: DigestOf(file),
		MediaType: "text/plain; charset=utf-8", FileName: ref + ".txt", Policy: DigestOf([]byte("policy v1")),
		Approvals:  []Approval{{Member: "carol", Role: "legal", Time: at.Add(-time.Hour)}},
		ReleasedBy: "dave", ReleasedAt: at, Signatures: []Signature{}}
	for _, m := range members {
		sig, err := Sign(o.members[m], m, st.Signing())
		if err != nil {
			t.Fatal(err)
		}
		st.Signatures = append(st.Signatures, sig)
	}
	return st
}

// checkpoint signs the current tree, cosigned by the witness if cosign.
func (o *testOffice) checkpoint(t testing.TB, cosign bool) []byte {
	size := int64(len(o.entries))
	root, err := tlog.TreeHash(size, o)
	if err != nil {
		t.Fatal(err)
	}
	text := fmt.Sprintf("%s\n%d\n%s\n", o.origin, size, base64.StdEncoding.EncodeToString(root[:]))
	signers := []note.Signer{o.log}
	if cosign {
		o.witness.time = o.witnessAt
		signers = append(signers, o.witness)
	}
	signed, err := note.Sign(&note.Note{Text: text}, signers...)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// logged returns entry i with its inclusion proof in the current tree and, for a version 2
// entry, its opening.
func (o *testOffice) logged(t testing.TB, i int64) LoggedEntry {
	p, err := tlog.ProveRecord(int64(len(o.entries)), i, o)
	if err != nil {
		t.Fatal(err)
	}
	return LoggedEntry{Index: i, Entry: o.entries[i], Proof: p, Opening: o.openings[i]}
}

// seal returns the seal of the release at index rel in the current tree, with the openings
// of its version 2 entries.
func (o *testOffice) seal(t testing.TB, rel int64, cosign bool) *Seal {
	e, err := entry.Decode(o.entries[rel])
	if err != nil {
		t.Fatal(err)
	}
	payload := e.Envelope.Payload
	if e.V() == entry.V2 {
		payload = o.openings[rel].Statement
	}
	var st ReleaseStatement
	if err := Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	s := &Seal{Checkpoint: o.checkpoint(t, cosign), Release: o.logged(t, rel), Keys: []LoggedEntry{}}
	seen := map[string]bool{}
	for _, sig := range st.Signatures {
		if i, ok := o.keyIndex[sig.KeyID]; ok && !seen[sig.KeyID] {
			seen[sig.KeyID] = true
			s.Keys = append(s.Keys, o.logged(t, i))
		}
	}
	return s
}
