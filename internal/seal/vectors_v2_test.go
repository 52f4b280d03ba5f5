package seal

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
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

const vectorsV2File = "../../testdata/seal-vectors-v2.txtar"

var (
	letterC     = []byte("Task Force North\nTFN-2026-000125\n\nTo the harbour master: berths 3 and 4 stay closed until 8 March.\n")
	letterD     = []byte("Task Force North\nTFN-2026-000131\n\nTo the press office: the exercise now ends on 9 March.\n")
	letterPress = []byte("Task Force North\nTFN-2026-000126\n\nPress release: the exercise ends on 6 March.\n")
)

// v2Example is a version 2 entry of the vectors shown as an example: its record, opening,
// entry and commitment.
type v2Example struct {
	name  string
	kind  entry.Kind
	index int64
}

// buildVectorsV2 builds the test vectors of confidential entries and version 2 seals
// (docs/seal-format.md, "Confidential entries"): one log mixing a version 1 key entry,
// version 2 entries of every kind, the valid seals and the forgeries, with fixed keys and
// fixed salts.
func buildVectorsV2(t *testing.T) *txtar.Archive {
	a := &txtar.Archive{Comment: []byte(`Test vectors for docs/seal-format.md, "Confidential entries (version 2)". Regenerate with
go test ./internal/seal -run TestSealVectorsV2 -update (only when the format changes).
Ed25519 keys from seeds of 32 equal bytes: office 0x10, log 0x11 (origin letters.example.org/log),
witness 0x12 (witness.example/w1, cosignature/v1 at time 1767225600), alice 0x13, bob 0x14,
frank 0x15. The salt of the n-th version 2 entry (n from 0, in log order) is 32 bytes of 0x20+n;
a registry draws salts at random.
The log: 0 key-added v1 (frank, before the upgrade), 1-2 key-added v2 (alice, bob), 3 release
of letter.txt (alice, bob), 4 release of TFN-2026-000124, 5 release of letter-c.txt (frank),
6 release of letter-press.txt disclosing subject and class, 7 a release record whose disclosed
subject is not its statement's (signed by the office), 8 release of TFN-2026-000131,
9 retraction of 4, 10 supersession of 3 by 8, 11 key-revoked v2 (frank), 12 policy-adopted v2.
"expect" lists the cases: name, seal, file, trust root, outcome (valid, an error class, or
bad-opening: malformed because an opening does not open its entry's commitment or disagrees
with its record).
records/, openings/, entries/: one version 2 entry of each kind; "commitments" recomputes each
commitment from its parts. In each records/, openings/ and entries/ file the last newline is
the file's. Spec: docs/seal-format.md.
`)}
	add := func(name string, data []byte) { a.Files = append(a.Files, txtar.File{Name: name, Data: data}) }
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	o.members["frank"] = seedKey(0x15)
	later := releasedAt.Add(26 * time.Hour)

	o.addKey(t, "frank", time.Date(2025, 11, 20, 9, 0, 0, 0, time.UTC))
	keyAlice := o.addKeyV2(t, "alice", keysAddedAt)
	o.addKeyV2(t, "bob", keysAddedAt)
	relA := o.logRelease(t, o.releaseStatement(t, "TFN-2026-000123", letterA, releasedAt, "alice", "bob"), nil)
	relB := o.logRelease(t, o.releaseStatement(t, "TFN-2026-000124", letterB, releasedAt, "alice"), nil)
	relC := o.logRelease(t, o.releaseStatement(t, "TFN-2026-000125", letterC, releasedAt, "frank"), nil)
	press := o.releaseStatement(t, "TFN-2026-000126", letterPress, releasedAt, "alice")
	d, err := Disclose(press, []string{"subject", "class"})
	if err != nil {
		t.Fatal(err)
	}
	relPress := o.logRelease(t, press, d)
	// An insider (or a stolen office key) logs a record whose disclosed subject is not the
	// one its commitment binds.
	forged := o.releaseStatement(t, "TFN-2026-000127", letterPress, releasedAt, "alice")
	opForged := o.opening(forged)
	lie := "Exercise cancelled"
	relForged := o.logRecord(t, entry.Release, NewReleaseRecord(forged, opForged, &Disclosure{Subject: &lie, Class: &forged.Class}), opForged, o.office)
	relD := o.logRelease(t, o.releaseStatement(t, "TFN-2026-000131", letterD, releasedAt.Add(25*time.Hour), "bob"), nil)

	ret := &RetractionStatement{Office: o.name, Reference: "TFN-2026-000124", FileDigest: DigestOf(letterB),
		Reason: "The road closures were cancelled.", RetractedBy: "alice", Time: later}
	op := o.opening(ret)
	iRet := o.logRecord(t, entry.Retraction, &RetractionRecord{Office: o.name, Release: relB, Commitment: op.Commitment(entry.Retraction), Time: later},
		op, o.members["alice"], o.office)
	sup := &SupersessionStatement{Office: o.name, Reference: "TFN-2026-000123", FileDigest: DigestOf(letterA),
		By: "TFN-2026-000131", ByFileDigest: DigestOf(letterD), Reason: "New end date.", SupersededBy: "alice", Time: later}
	op = o.opening(sup)
	iSup := o.logRecord(t, entry.Supersession, &SupersessionRecord{Office: o.name, Release: relA, ByRelease: relD,
		Commitment: op.Commitment(entry.Supersession), Time: later}, op, o.members["alice"], o.office)
	frank := o.members["frank"].Public().(ed25519.PublicKey)
	rev := &KeyStatement{Office: o.name, KeyID: dsse.KeyID(frank), PublicKey: frank, Member: "frank", Reason: "left the office", Time: later}
	op = o.opening(rev)
	iRev := o.logRecord(t, entry.KeyRevoked, &KeyRecord{Office: o.name, KeyID: rev.KeyID, PublicKey: frank,
		Commitment: op.Commitment(entry.KeyRevoked), Time: later}, op, o.office)
	src := []byte("policy v2\n")
	pol := &PolicyStatement{Office: o.name, Digest: DigestOf(src), Name: "default", Source: src, AdoptedBy: "dave", Time: later}
	op = o.opening(pol)
	iPol := o.logRecord(t, entry.PolicyAdopted, &PolicyRecord{Office: o.name, Commitment: op.Commitment(entry.PolicyAdopted), Time: later}, op, o.office)

	trust, err := o.trustRoot(1).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	add("trust.json", trust)
	add("letter.txt", letterA)
	add("letter-altered.txt", bytes.Replace(letterA, []byte("6 March"), []byte("9 March"), 1))
	add("letter-c.txt", letterC)
	add("letter-press.txt", letterPress)

	valid := o.seal(t, relA, true)
	seals := map[string]*Seal{
		"valid":            valid,
		"v1-key-entry":     o.seal(t, relC, true),
		"disclosed":        o.seal(t, relPress, true),
		"disclosed-forged": o.seal(t, relForged, true),
	}
	edit := func(name string, f func(s *Seal)) {
		s := cloneSeal(valid)
		f(s)
		seals[name] = s
	}
	edit("opening-of-another-letter", func(s *Seal) { s.Release.Opening = o.openings[relB] })
	edit("opening-statement-altered", func(s *Seal) {
		s.Release.Opening.Statement = bytes.Replace(s.Release.Opening.Statement, []byte("Exercise"), []byte("Invasion"), 1)
	})
	edit("opening-missing", func(s *Seal) { s.Release.Opening = nil })
	edit("salt-truncated", func(s *Seal) { s.Release.Opening.Salt = s.Release.Opening.Salt[:SaltSize-1] })
	edit("key-opening-swapped", func(s *Seal) { s.Keys[0].Opening = s.Keys[1].Opening })
	// The first byte of the statement moved into the salt: the same bytes in a row, another
	// opening.
	edit("key-salt-shifted", func(s *Seal) {
		k := s.Keys[0].Opening
		s.Keys[0].Opening = &Opening{Salt: append(slices.Clone(k.Salt), k.Statement[0]), Statement: k.Statement[1:]}
	})
	edit("openings-stripped", func(s *Seal) {
		s.Release.Opening = nil
		for i := range s.Keys {
			s.Keys[i].Opening = nil
		}
	})
	v1Key := cloneSeal(seals["v1-key-entry"])
	v1Key.Keys[0].Opening = o.openings[keyAlice]
	seals["opening-on-v1-entry"] = v1Key
	for name, s := range seals {
		add("seals/"+name+".json", s.Marshal())
	}
	// A version 2 seal must carry an opening: one without is malformed (Marshal writes it as
	// version 1, as "openings-stripped").
	stripped := seals["openings-stripped"]
	f := sealFileV2{Version: SealVersion2, Checkpoint: string(stripped.Checkpoint), Release: v2(stripped.Release)}
	for _, k := range stripped.Keys {
		f.Keys = append(f.Keys, v2(k))
	}
	add("seals/v2-without-openings.json", append(canonicalJSON(f), '\n'))

	add("expect", []byte(`valid                      seals/valid.json                      letter.txt          trust.json  valid
v1-key-entry               seals/v1-key-entry.json               letter-c.txt        trust.json  valid
disclosed                  seals/disclosed.json                  letter-press.txt    trust.json  valid
tampered-file              seals/valid.json                      letter-altered.txt  trust.json  digest-mismatch
other-file                 seals/v1-key-entry.json               letter.txt          trust.json  digest-mismatch
opening-of-another-letter  seals/opening-of-another-letter.json  letter.txt          trust.json  bad-opening
opening-statement-altered  seals/opening-statement-altered.json  letter.txt          trust.json  bad-opening
opening-missing            seals/opening-missing.json            letter.txt          trust.json  malformed
salt-truncated             seals/salt-truncated.json             letter.txt          trust.json  malformed
key-opening-swapped        seals/key-opening-swapped.json        letter.txt          trust.json  bad-opening
key-salt-shifted           seals/key-salt-shifted.json           letter.txt          trust.json  malformed
opening-on-v1-entry        seals/opening-on-v1-entry.json        letter-c.txt        trust.json  malformed
disclosed-forged           seals/disclosed-forged.json           letter-press.txt    trust.json  bad-opening
openings-stripped          seals/openings-stripped.json          letter.txt          trust.json  malformed
v2-without-openings        seals/v2-without-openings.json        letter.txt          trust.json  malformed
`))

	examples := []v2Example{
		{"release", entry.Release, relA},
		{"release-disclosed", entry.Release, relPress},
		{"retraction", entry.Retraction, iRet},
		{"supersession", entry.Supersession, iSup},
		{"key-added", entry.KeyAdded, keyAlice},
		{"key-revoked", entry.KeyRevoked, iRev},
		{"policy-adopted", entry.PolicyAdopted, iPol},
	}
	var commitments bytes.Buffer
	for i, ex := range examples {
		e, err := entry.Decode(o.entries[ex.index])
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind != ex.kind {
			t.Fatalf("example %s is a %s entry", ex.name, e.Kind)
		}
		op := o.openings[ex.index]
		add("records/"+ex.name+".json", append(slices.Clone(e.Envelope.Payload), '\n'))
		add("openings/"+ex.name+".json", append(Marshal(op), '\n'))
		add("entries/"+ex.name+".entry", append(slices.Clone(o.entries[ex.index]), '\n'))
		if i > 0 {
			commitments.WriteString("\n")
		}
		fmt.Fprintf(&commitments, "name %s\nindex %d\npayload-type %s\nsalt %x\nstatement %s\ncommitment %x\n",
			ex.name, ex.index, ex.kind.PayloadType(), op.Salt, op.Statement, op.Commitment(ex.kind))
	}
	add("commitments", commitments.Bytes())
	slices.SortFunc(a.Files, func(x, y txtar.File) int { return strings.Compare(x.Name, y.Name) })
	return a
}

// readVectors returns the files of a txtar archive by name.
func readVectors(path string) (map[string][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, f := range txtar.Parse(data).Files {
		files[f.Name] = f.Data
	}
	return files, nil
}

// outcome names the outcome of err as the vectors do: its class, or bad-opening for a
// malformed seal whose opening does not open its entry.
func outcome(t testing.TB, err error) string {
	c := class(t, err)
	if c == "malformed" && errors.Is(err, ErrBadOpening) {
		return "bad-opening"
	}
	return c
}

// TestSealVectorsV2 checks that the vectors are up to date, then verifies them as read from
// the file, as an outside implementer would: each seal with a verifier that has verified the
// cases before it and with a fresh one, which must agree.
func TestSealVectorsV2(t *testing.T) {
	files := checkVectors(t, vectorsV2File, buildVectorsV2(t))
	tr, err := ParseTrustRoot(files["trust.json"])
	if err != nil {
		t.Fatal(err)
	}
	warm := newTestVerifier(t, tr)
	for _, line := range strings.Split(strings.TrimSpace(string(files["expect"])), "\n") {
		f := strings.Fields(line)
		if len(f) != 5 || f[3] != "trust.json" {
			t.Fatalf("expect line %q", line)
		}
		name, sealName, fileName, want := f[0], f[1], f[2], f[4]
		t.Run(name, func(t *testing.T) {
			data, file := files[sealName], files[fileName]
			if data == nil || file == nil {
				t.Fatalf("no file %s or %s", sealName, fileName)
			}
			for _, v := range []*Verifier{warm, newTestVerifier(t, tr)} {
				s, err := Parse(data)
				if err == nil {
					_, err = v.VerifyBytes(s, file)
				}
				if got := outcome(t, err); got != want {
					t.Fatalf("got %s (%v), want %s", got, err, want)
				}
			}
		})
	}

	t.Run("examples", func(t *testing.T) { checkV2Examples(t, files) })
}

// checkV2Examples checks the records, openings, entries and commitments of the vectors
// against each other, computing each commitment from its definition.
func checkV2Examples(t *testing.T, files map[string][]byte) {
	blocks := strings.Split(strings.TrimSuffix(string(files["commitments"]), "\n"), "\n\n")
	if len(blocks) != 7 {
		t.Fatalf("%d commitment examples, want 7", len(blocks))
	}
	kinds := map[entry.Kind]bool{}
	for _, b := range blocks {
		fields := map[string]string{}
		sc := bufio.NewScanner(strings.NewReader(b))
		for sc.Scan() {
			k, v, ok := strings.Cut(sc.Text(), " ")
			if !ok {
				t.Fatalf("commitments line %q", sc.Text())
			}
			fields[k] = v
		}
		name := fields["name"]
		salt, err1 := hex.DecodeString(fields["salt"])
		commitment, err2 := hex.DecodeString(fields["commitment"])
		if err1 != nil || err2 != nil || len(salt) != SaltSize {
			t.Fatalf("%s: salt %q, commitment %q", name, fields["salt"], fields["commitment"])
		}
		// The definition, spelled out: SHA-256 of the prefix, the v1 payload type, a newline,
		// the salt and the statement.
		h := sha256.Sum256([]byte("chancery-commitment v1\n" + fields["payload-type"] + "\n" + string(salt) + fields["statement"]))
		if !bytes.Equal(h[:], commitment) {
			t.Errorf("%s: commitment %x, computed %x", name, commitment, h)
		}

		rec := bytes.TrimSuffix(files["records/"+name+".json"], []byte("\n"))
		opData := bytes.TrimSuffix(files["openings/"+name+".json"], []byte("\n"))
		entryData := bytes.TrimSuffix(files["entries/"+name+".entry"], []byte("\n"))
		var op Opening
		if err := Unmarshal(opData, &op); err != nil {
			t.Fatalf("%s: opening: %v", name, err)
		}
		if !bytes.Equal(op.Salt, salt) || string(op.Statement) != fields["statement"] {
			t.Errorf("%s: the opening is not the commitment example's salt and statement", name)
		}
		e, err := entry.Decode(entryData)
		if err != nil {
			t.Fatalf("%s: entry: %v", name, err)
		}
		kinds[e.Kind] = true
		if e.V() != entry.V2 || !bytes.HasPrefix(entryData, []byte("chancery-entry v2 "+string(e.Kind)+"\n")) ||
			e.Envelope.PayloadType != e.Kind.PayloadTypeV(2) || fields["payload-type"] != e.Kind.PayloadType() {
			t.Errorf("%s: entry version %d, payload type %q, commitment payload type %q", name, e.V(), e.Envelope.PayloadType, fields["payload-type"])
		}
		if !bytes.Equal(e.Envelope.Payload, rec) {
			t.Errorf("%s: the record is not the entry's payload", name)
		}
		if !bytes.Contains(rec, []byte(`"commitment":"`+base64.StdEncoding.EncodeToString(commitment)+`"`)) {
			t.Errorf("%s: the record does not hold the commitment %x", name, commitment)
		}
		if _, err := Open(e, &op); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		// Another salt opens nothing.
		other := Opening{Salt: bytes.Repeat([]byte{0xff}, SaltSize), Statement: op.Statement}
		if _, err := Open(e, &other); !errors.Is(err, ErrBadOpening) {
			t.Errorf("%s: another salt: %v", name, err)
		}
	}
	if len(kinds) != len(entry.Kinds)-1 { // all but office-key-rotated, a version 1 kind only
		t.Errorf("examples of kinds %v, want all of %v", kinds, entry.Kinds)
	}
}
