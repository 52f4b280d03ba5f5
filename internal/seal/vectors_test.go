package seal

import (
	"bytes"
	"crypto/ed25519"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the test vectors, testdata/seal-vectors.txtar and testdata/seal-vectors-v2.txtar")

const vectorsFile = "../../testdata/seal-vectors.txtar"

// buildVectors builds the test vectors of docs/seal-format.md from fixed keys: one log whose
// releases are the valid seal and the forgeries, and the expected outcome of each case.
func buildVectors(t *testing.T) *txtar.Archive {
	a := &txtar.Archive{Comment: []byte(`Test vectors for docs/seal-format.md. Regenerate with
go test ./internal/seal -run TestSealVectors -update (only when the format changes).
Ed25519 keys from seeds of 32 equal bytes: office 0x10, log 0x11 (origin letters.example.org/log),
witness 0x12 (witness.example/w1, cosignature/v1 at time 1767225600), alice 0x13, bob 0x14;
for the forgeries: mallory 0x96, erin 0x95, a forger's log key 0x98, another office 0x50..0x54.
"expect" lists the cases: name, seal, file, trust root, outcome (valid or the error class).
In each statements/ file the last newline is the file's. Spec: docs/seal-format.md.
`)}
	add := func(name string, data []byte) { a.Files = append(a.Files, txtar.File{Name: name, Data: data}) }
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	other := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x50)
	o.members["mallory"] = seedKey(0x96)
	o.members["erin"] = seedKey(0x95)

	o.addKey(t, "alice", keysAddedAt)
	o.addKey(t, "bob", keysAddedAt)
	valid := o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob")
	relA := o.logStatement(t, entry.Release, valid, o.office)
	o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2026-000124", letterB, releasedAt, "bob"), o.office)
	// An insider logs a release of letter A bearing alice's signature and bob's signature
	// of letter B.
	replay := o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice")
	replay.Signatures = append(replay.Signatures, o.releaseStatement(t, "TFN-2026-000124", letterB, releasedAt, "bob").Signatures[0])
	relReplay := o.logStatement(t, entry.Release, replay, o.office)
	relMallory := o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "mallory"), o.office)
	relErin := o.logStatement(t, entry.Release, o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "erin"), o.office)
	o.addKey(t, "erin", releasedAt)

	trust, err := o.trustRoot(1).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trustOther, err := other.trustRoot(1).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	add("trust.json", trust)
	add("trust-other.json", trustOther)
	add("letter.txt", letterA)
	add("letter-altered.txt", bytes.Replace(letterA, []byte("6 March"), []byte("9 March"), 1))

	seals := map[string]*Seal{
		"valid":              o.seal(t, relA, true),
		"replayed-signature": o.seal(t, relReplay, true),
		"untrusted-signer":   o.seal(t, relMallory, true),
		"key-after-release":  o.seal(t, relErin, true),
		"no-cosignature":     o.seal(t, relA, false),
	}
	tampered := cloneSeal(seals["valid"])
	tampered.Release.Entry = reencode(t, tampered.Release.Entry, func(e *entry.Entry) {
		e.Envelope.Payload = bytes.Replace(e.Envelope.Payload, []byte("6 March"), []byte("9 March"), 1)
		e.Envelope.Payload = bytes.Replace(e.Envelope.Payload, []byte(`"version":2`), []byte(`"version":3`), 1)
	})
	seals["tampered-statement"] = tampered
	forged := cloneSeal(seals["valid"])
	real := o.log
	o.log, _ = noteSigner(t, o.origin, seedKey(0x98))
	forged.Checkpoint = o.checkpoint(t, true)
	o.log = real
	seals["forged-checkpoint"] = forged
	badProof := cloneSeal(seals["valid"])
	badProof.Release.Proof[1][0] ^= 0x80
	seals["bad-proof"] = badProof
	for name, s := range seals {
		add("seals/"+name+".json", s.Marshal())
	}
	add("seals/version-3.json", bytes.Replace(seals["valid"].Marshal(), []byte(`"chancery_seal":1`), []byte(`"chancery_seal":3`), 1))

	add("expect", []byte(`valid               seals/valid.json              letter.txt          trust.json        valid
tampered-file       seals/valid.json              letter-altered.txt  trust.json        digest-mismatch
tampered-statement  seals/tampered-statement.json letter.txt          trust.json        bad-signature
forged-checkpoint   seals/forged-checkpoint.json  letter.txt          trust.json        bad-checkpoint
no-cosignature      seals/no-cosignature.json     letter.txt          trust.json        witness-quorum
wrong-trust-root    seals/valid.json              letter.txt          trust-other.json  bad-checkpoint
bad-proof           seals/bad-proof.json          letter.txt          trust.json        bad-proof
replayed-signature  seals/replayed-signature.json letter.txt          trust.json        bad-signature
untrusted-signer    seals/untrusted-signer.json   letter.txt          trust.json        untrusted-key
key-after-release   seals/key-after-release.json  letter.txt          trust.json        bad-proof
version-3           seals/version-3.json          letter.txt          trust.json        unsupported-version
`))

	// The statements of the valid seal, and one of each other kind, as the specification's
	// examples; and the exact bytes alice and bob signed.
	alice := o.members["alice"].Public().(ed25519.PublicKey)
	later := releasedAt.Add(26 * time.Hour)
	for name, st := range map[string]any{
		"release":      valid,
		"signing":      valid.Signing(),
		"key-added":    &KeyStatement{Office: o.name, KeyID: dsse.KeyID(alice), PublicKey: alice, Member: "alice", Time: keysAddedAt},
		"key-revoked":  &KeyStatement{Office: o.name, KeyID: dsse.KeyID(alice), PublicKey: alice, Member: "alice", Reason: "laptop stolen", Time: later},
		"retraction":   &RetractionStatement{Office: o.name, Reference: "TFN-2026-000123", FileDigest: DigestOf(letterA), Reason: "The exercise was extended.", RetractedBy: "alice", Time: later},
		"supersession": &SupersessionStatement{Office: o.name, Reference: "TFN-2026-000123", FileDigest: DigestOf(letterA), By: "TFN-2026-000131", ByFileDigest: DigestOf([]byte("new letter")), Reason: "New end date.", SupersededBy: "alice", Time: later},
	} {
		add("statements/"+name+".json", append(Marshal(st), '\n'))
	}
	add("statements/signing.pae", append(SigningMessage(valid.Signing()), '\n'))
	slices.SortFunc(a.Files, func(x, y txtar.File) int { return strings.Compare(x.Name, y.Name) })
	return a
}

// checkVectors writes the vectors built with -update, checks that the file holds exactly
// them, and returns its files by name, as read from the file.
func checkVectors(t *testing.T, path string, built *txtar.Archive) map[string][]byte {
	t.Helper()
	got := txtar.Format(built)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is out of date or the format changed; see the file's comment", path)
	}
	files := map[string][]byte{}
	for _, f := range txtar.Parse(want).Files {
		files[f.Name] = f.Data
	}
	return files
}

// TestSealVectors checks that the vectors are up to date, then verifies them as read from the
// file, as an outside implementer would.
func TestSealVectors(t *testing.T) {
	files := checkVectors(t, vectorsFile, buildVectors(t))
	verifiers := map[string]*Verifier{}
	for _, line := range strings.Split(strings.TrimSpace(string(files["expect"])), "\n") {
		f := strings.Fields(line)
		if len(f) != 5 {
			t.Fatalf("expect line %q", line)
		}
		name, sealName, fileName, trustName, outcome := f[0], f[1], f[2], f[3], f[4]
		t.Run(name, func(t *testing.T) {
			v := verifiers[trustName]
			if v == nil {
				tr, err := ParseTrustRoot(files[trustName])
				if err != nil {
					t.Fatal(err)
				}
				v = newTestVerifier(t, tr)
				verifiers[trustName] = v
			}
			s, err := Parse(files[sealName])
			if err == nil {
				_, err = v.VerifyBytes(s, files[fileName])
			}
			if got := class(t, err); got != outcome {
				t.Fatalf("got %s (%v), want %s", got, err, outcome)
			}
		})
	}
	for name, data := range files {
		kind, ok := strings.CutPrefix(name, "statements/")
		if !ok || !strings.HasSuffix(kind, ".json") {
			continue
		}
		var err error
		data = bytes.TrimSuffix(data, []byte("\n"))
		switch strings.TrimSuffix(kind, ".json") {
		case "release":
			err = Unmarshal(data, new(ReleaseStatement))
		case "signing":
			err = Unmarshal(data, new(SigningStatement))
			if pae := fmt.Sprintf("DSSEv1 %d %s %d %s\n", len(SigningPayloadType), SigningPayloadType, len(data), data); pae != string(files["statements/signing.pae"]) {
				t.Errorf("signing.pae is not the PAE of signing.json")
			}
		case "key-added", "key-revoked":
			err = Unmarshal(data, new(KeyStatement))
		case "retraction":
			err = Unmarshal(data, new(RetractionStatement))
		case "supersession":
			err = Unmarshal(data, new(SupersessionStatement))
		default:
			t.Errorf("unexpected statement file %s", name)
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
