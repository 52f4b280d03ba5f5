package seal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/edwards25519"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/rogpeppe/go-internal/txtar"
)

// smallOrderKeys are the encodings of the eight Ed25519 points of small order (order 1, 2, 4
// and 8), canonical (the first eight) and not: y ≥ p, or a sign for x = 0 ("Taming the many
// EdDSAs", Chalkias et al., 2020, and libsodium's blocklist), each with a name.
var smallOrderKeys = [][2]string{
	{"identity", "0100000000000000000000000000000000000000000000000000000000000000"},
	{"order-2", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},
	{"order-4", "0000000000000000000000000000000000000000000000000000000000000000"},
	{"order-4-neg", "0000000000000000000000000000000000000000000000000000000000000080"},
	{"order-8-a", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"},
	{"order-8-a-neg", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"},
	{"order-8-b", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"},
	{"order-8-b-neg", "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"},
	{"identity-signed-x", "0100000000000000000000000000000000000000000000000000000000000080"},      // sign of x = 0
	{"order-2-signed-x", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},       // sign of x = 0
	{"order-4-y-p", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},            // y = p
	{"order-4-y-p-neg", "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"},        // y = p
	{"identity-y-p1", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"},          // y = p+1
	{"identity-y-p1-signed-x", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"}, // y = p+1
}

// forgedSig is R = the identity, S = 0: under the identity as public key it verifies for
// every message, as [0]B = R + [k]A holds whatever k.
var forgedSig = append(append([]byte{1}, make([]byte, 31)...), make([]byte, 32)...)

// nonCanonicalKey returns an encoding with y ≥ p (y+p for a y below 19) of a point of large
// order: crypto/ed25519 accepts it, and it is the same key as the canonical encoding of its
// point, under another key ID.
func nonCanonicalKey(t testing.TB) []byte {
	t.Helper()
	for y := range byte(19) {
		for _, sign := range []byte{0, 0x80} {
			b := bytes.Repeat([]byte{0xff}, 32)
			b[0], b[31] = 0xed+y, 0x7f|sign
			p, err := new(edwards25519.Point).SetBytes(b)
			if err == nil && new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 0 && !bytes.Equal(p.Bytes(), b) {
				return b
			}
		}
	}
	t.Fatal("no point of large order has a y below 19")
	return nil
}

// weakKeys are the keys a verifier must not take from a key-added entry, in order, with
// their names.
func weakKeys(t testing.TB) (names []string, pubs [][]byte) {
	for _, k := range smallOrderKeys {
		b, err := hex.DecodeString(k[1])
		if err != nil {
			t.Fatal(err)
		}
		names, pubs = append(names, "small-order-"+k[0]), append(pubs, b)
	}
	return append(names, "non-canonical"), append(pubs, nonCanonicalKey(t))
}

// TestVerifyRefusesWeakSignerKeys: a key-added entry of a key of small order, in any
// encoding, or of a key in a non-canonical encoding, proves no signer: a seal whose signature
// is by such a key is untrusted-key, whichever version the key entry has, and so is the
// entry itself checked online. The registry refuses to add such keys; a log that holds one
// anyway (an office that added it before the registry checked, or a forged registry) let a
// signature that nobody made, valid for every letter, make a member a signer.
func TestVerifyRefusesWeakSignerKeys(t *testing.T) {
	identity := ed25519.PublicKey(append([]byte{1}, make([]byte, 31)...))
	for _, msg := range []string{"release TFN-2026-000123", "anything at all"} {
		if !ed25519.Verify(identity, []byte(msg), forgedSig) {
			t.Fatalf("the premise does not hold: the forged signature does not verify for %q", msg)
		}
	}
	names, pubs := weakKeys(t)
	for i, pub := range pubs {
		name := names[i]
		for _, v2 := range []bool{false, true} {
			o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
			o.addKey(t, "alice", keysAddedAt)
			id := dsse.KeyID(pub)
			ks := &KeyStatement{Office: o.name, KeyID: id, PublicKey: pub, Member: "mallory", Time: keysAddedAt}
			if v2 {
				op := o.opening(ks)
				o.keyIndex[id] = o.logRecord(t, entry.KeyAdded, &KeyRecord{Office: o.name, KeyID: id, PublicKey: pub,
					Commitment: op.Commitment(entry.KeyAdded), Time: keysAddedAt}, op, o.office)
			} else {
				o.keyIndex[id] = o.logStatement(t, entry.KeyAdded, ks, o.office)
			}
			st := o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice")
			st.Signatures = append(st.Signatures, Signature{Signer: "mallory", KeyID: id, Sig: forgedSig})
			rel := o.logStatement(t, entry.Release, st, o.office)
			v := newTestVerifier(t, o.trustRoot(1))
			_, err := v.VerifyBytes(o.seal(t, rel, true), letterA)
			if got := class(t, err); got != "untrusted-key" || !strings.Contains(err.Error(), "small order") && !strings.Contains(err.Error(), "canonical") {
				t.Errorf("%s (v2 %v): seal signed under the key: %s (%v), want untrusted-key", name, v2, got, err)
			}
			le := o.logged(t, o.keyIndex[id])
			if _, err := v.VerifyLogged(le, o.checkpoint(t, true)); class(t, err) != "untrusted-key" {
				t.Errorf("%s (v2 %v): the key-added entry: %v, want untrusted-key", name, v2, err)
			}
		}
	}
}

// TestVerifyEntryTakesRevocationOfWeakKey: a key-revoked entry may name a key of small
// order (an office revoking one it added before the registry refused them): revoking it gives
// no one a signature.
func TestVerifyEntryTakesRevocationOfWeakKey(t *testing.T) {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	identity := append([]byte{1}, make([]byte, 31)...)
	rev := o.logStatement(t, entry.KeyRevoked, &KeyStatement{Office: o.name, KeyID: dsse.KeyID(identity), PublicKey: identity,
		Member: "mallory", Reason: "of small order", Time: keysAddedAt}, o.office)
	le := o.logged(t, rev)
	if _, err := newTestVerifier(t, o.trustRoot(1)).VerifyEntry(le.Entry, le.Index, le.Proof, o.checkpoint(t, true)); err != nil {
		t.Errorf("revocation of a key of small order: %v", err)
	}
}

// TestCheckRotationRefusesWeakNewKey: a rotation to a key of small order, signed by the old
// key and "by the new one" with a signature nobody made, or to a key in a non-canonical
// encoding, is refused: trust roots refuse such keys, and under the first anyone could sign
// as the office.
func TestCheckRotationRefusesWeakNewKey(t *testing.T) {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	old := o.office.Public().(ed25519.PublicKey)
	names, pubs := weakKeys(t)
	for i, pub := range pubs {
		name := names[i]
		st := &RotationStatement{Office: o.name, OldKeyID: dsse.KeyID(old), NewKeyID: dsse.KeyID(pub), NewPublicKey: pub,
			Reason: "yearly rotation", Time: time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)}
		env := dsse.Sign(entry.OfficeKeyRotated.PayloadType(), Marshal(st), o.office)
		env.Signatures = append(env.Signatures, dsse.Signature{KeyID: dsse.KeyID(pub), Sig: forgedSig})
		data, err := (&entry.Entry{Kind: entry.OfficeKeyRotated, Envelope: env}).Encode()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := CheckRotation(o.trustRoot(1), data); !errors.Is(err, ErrUntrustedKey) {
			t.Errorf("%s: rotation to the key: %v, want untrusted-key", name, err)
		}
	}
}

const weakKeyVectorsFile = "testdata/weak-key-vectors.txtar"

// buildWeakKeyVectors builds the vectors of keys a verifier refuses in key-added entries and
// rotations (docs/seal-format.md, step 7 and Office key rotation).
func buildWeakKeyVectors(t *testing.T) *txtar.Archive {
	a := &txtar.Archive{Comment: []byte(`Test vectors for signer keys a verifier refuses (docs/seal-format.md, Verification step 7,
and Office key rotation). Regenerate with go test ./internal/seal -run TestWeakKeyVectors
-update (only when the format changes). Keys from seeds of 32 equal bytes: office 0x10, log
0x11, witness 0x12, alice 0x13. The log: 0 key-added alice, 1 release signed by alice; then,
for each key of keys/ in the order of "expect", a key-added entry (version 1, signed by the
office) of that key for member mallory, and a release signed by alice and by mallory with
the signature R = the identity, S = 0 (sig/forged), which verifies for every message under
the identity and, for some messages, under other keys of small order. keys/ holds the 14
encodings of the 8 points of small order (8 canonical, 6 with y >= p or a sign for x = 0)
and a non-canonical encoding (y >= p) of a point of large order. entries/rotation-identity
is an office-key-rotated entry to the identity, signed by the office key and with
sig/forged: CheckRotation refuses it (untrusted-key). "expect": name, seal, file, trust
root, outcome. In entries/ and keys/ the last newline is the archive's.
`)}
	add := func(name string, data []byte) { a.Files = append(a.Files, txtar.File{Name: name, Data: data}) }
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	o.addKey(t, "alice", keysAddedAt)
	valid := o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice"), o.office)
	names, pubs := weakKeys(t)
	rels := make([]int64, len(pubs))
	for i, pub := range pubs {
		id := dsse.KeyID(pub)
		o.keyIndex[id] = o.logStatement(t, entry.KeyAdded, &KeyStatement{Office: o.name, KeyID: id, PublicKey: pub,
			Member: "mallory", Time: keysAddedAt}, o.office)
		st := o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice")
		st.Signatures = append(st.Signatures, Signature{Signer: "mallory", KeyID: id, Sig: forgedSig})
		rels[i] = o.logStatement(t, entry.Release, st, o.office)
	}
	trust, err := o.trustRoot(1).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	add("trust.json", trust)
	add("letter.txt", letterA)
	add("sig/forged", []byte(hex.EncodeToString(forgedSig)))
	expect := fmt.Sprintf("%-32s %-40s letter.txt  trust.json  valid\n", "valid", "seals/valid.json")
	add("seals/valid.json", o.seal(t, valid, true).Marshal())
	for i, name := range names {
		add("keys/"+name, []byte(hex.EncodeToString(pubs[i])))
		add("seals/"+name+".json", o.seal(t, rels[i], true).Marshal())
		expect += fmt.Sprintf("%-32s %-40s letter.txt  trust.json  untrusted-key\n", name, "seals/"+name+".json")
	}
	add("expect", []byte(expect))
	identity := pubs[0]
	old := o.office.Public().(ed25519.PublicKey)
	st := &RotationStatement{Office: o.name, OldKeyID: dsse.KeyID(old), NewKeyID: dsse.KeyID(identity), NewPublicKey: identity,
		Reason: "yearly rotation", Time: time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)}
	env := dsse.Sign(entry.OfficeKeyRotated.PayloadType(), Marshal(st), o.office)
	env.Signatures = append(env.Signatures, dsse.Signature{KeyID: dsse.KeyID(identity), Sig: forgedSig})
	data, err := (&entry.Entry{Kind: entry.OfficeKeyRotated, Envelope: env}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	add("entries/rotation-identity", data)
	slices.SortFunc(a.Files, func(x, y txtar.File) int { return strings.Compare(x.Name, y.Name) })
	return a
}

// TestWeakKeyVectors checks the vectors are up to date and verifies them as read from the
// file: the valid seal stays valid, every seal signed under a refused key is untrusted-key,
// and the rotation to the identity is refused.
func TestWeakKeyVectors(t *testing.T) {
	files := checkVectors(t, weakKeyVectorsFile, buildWeakKeyVectors(t))
	tr, err := ParseTrustRoot(files["trust.json"])
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, tr)
	for _, line := range strings.Split(strings.TrimSpace(string(files["expect"])), "\n") {
		f := strings.Fields(line)
		if len(f) != 5 {
			t.Fatalf("expect line %q", line)
		}
		t.Run(f[0], func(t *testing.T) {
			s, err := Parse(files[f[1]])
			if err != nil {
				t.Fatal(err)
			}
			_, err = v.VerifyBytes(s, files[f[2]])
			if got := class(t, err); got != f[4] {
				t.Fatalf("got %s (%v), want %s", got, err, f[4])
			}
		})
	}
	if _, err := CheckRotation(tr, bytes.TrimSuffix(files["entries/rotation-identity"], []byte("\n"))); !errors.Is(err, ErrUntrustedKey) {
		t.Errorf("rotation to the identity: %v, want untrusted-key", err)
	}
}
