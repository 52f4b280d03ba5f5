package seal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/rogpeppe/go-internal/txtar"
	"golang.org/x/mod/sumdb/tlog"
)

// vectorFiles returns the files of the test vectors whose names start with prefix, as seeds.
func vectorFiles(f testing.TB, prefix string) [][]byte {
	return vectorFilesIn(f, vectorsFile, prefix)
}

// vectorFilesIn returns the files of the vectors file path whose names start with prefix.
func vectorFilesIn(f testing.TB, path, prefix string) [][]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	for _, file := range txtar.Parse(data).Files {
		if strings.HasPrefix(file.Name, prefix) {
			out = append(out, file.Data)
		}
	}
	return out
}

// referenceParse is what Parse must accept, said with encoding/json: a strict decoding of the
// file form, version 1, with a checkpoint and non-negative indexes, whose canonical encoding is
// the input less white space.
func referenceParse(data []byte) bool {
	if len(data) > MaxSealSize {
		return false
	}
	if v, ok := probeVersion(data, "chancery_seal"); ok && v == SealVersion2 {
		var f sealFileV2
		if strictDecode(data, &f) != nil || f.Version != SealVersion2 || f.Checkpoint == "" || f.Keys == nil {
			return false
		}
		opened := false
		for _, e := range append([]loggedV2{f.Release}, f.Keys...) {
			if e.Index < 0 || e.Proof == nil || len(e.Proof) > MaxProofHashes || e.Opening != nil && (e.Opening.Salt == nil || e.Opening.Statement == nil) {
				return false
			}
			opened = opened || e.Opening != nil
		}
		return opened && sameJSON(data, canonicalJSON(f)) == nil
	}
	var f sealFile
	if strictDecode(data, &f) != nil || f.Version != SealVersion1 || f.Checkpoint == "" {
		return false
	}
	for _, e := range append([]LoggedEntry{f.Release}, f.Keys...) {
		if e.Index < 0 || e.Proof == nil || len(e.Proof) > MaxProofHashes || e.Opening != nil {
			return false
		}
	}
	return f.Keys != nil && sameJSON(data, canonicalJSON(f)) == nil
}

// FuzzParseSeal checks that Parse never panics, agrees with encoding/json on what it accepts,
// and that what it accepts is canonical: Marshal gives the input back, white space aside.
// Real seals are a few kilobytes, which the fuzzer is slow to minimize; run it with
//
//	go test ./internal/seal -run '^$' -fuzz '^FuzzParseSeal$' -fuzztime 20s -fuzzminimizetime 2s
func FuzzParseSeal(f *testing.F) {
	for _, s := range vectorFiles(f, "seals/valid") {
		f.Add(s)
	}
	// Version 2: valid seals, a null opening, and the forgeries, which parse but do not
	// verify, or do not parse (a version 2 seal without openings).
	for _, s := range vectorFilesIn(f, vectorsV2File, "seals/") {
		f.Add(s)
	}
	one := &Seal{Checkpoint: []byte("o\n1\nAAAA\n\n— o AAAA\n"), Release: LoggedEntry{Entry: []byte("e")}}
	f.Add(one.Marshal())
	// Proofs at and past MaxProofHashes, in the release and in a key entry.
	for _, n := range []int{MaxProofHashes, MaxProofHashes + 1} {
		long := &Seal{Checkpoint: []byte("x"), Release: LoggedEntry{Entry: []byte("e"), Proof: make(tlog.RecordProof, n)}}
		f.Add(long.Marshal())
		long.Keys = []LoggedEntry{long.Release}
		long.Release.Proof = nil
		f.Add(long.Marshal())
	}
	for _, s := range []string{
		`{"chancery_seal":1,"checkpoint":"a\"b\\c\u2028<&>\t","release":{"index":0,"entry":"","proof":[]},"keys":[]}`,
		`{"chancery_seal":1,"checkpoint":"x","release":{"index":0,"entry":"AA==","proof":null},"keys":[]}`,
		`{"chancery_seal":1,"checkpoint":"x","release":{"index":01,"entry":"AA==","proof":[]},"keys":[]}`,
		` { "chancery_seal" : 1 , "checkpoint" : "x" , "release" : { "index" : 0 , "entry" : "AB==" , "proof" : [ ] } , "keys" : [ ] } `,
		"{\"chancery_seal\":1,\"checkpoint\":\"x\",\"release\":{\"index\":0,\"entry\":\"AA\nAA\",\"proof\":[]},\"keys\":[]}",
		`{"chancery_seal":1,"checkpoint":"x","release":{"index":0,"entry":"","proof":["RaENzDvUZYsSKPfN7CCOydF71RQpeoxkXoms9NbLTDam9p0="]},"keys":[]}`,
		`{"chancery_seal":2}`,
		`{"chancery_seal":2,"checkpoint":"x","release":{"index":0,"entry":"","proof":[],"opening":{"salt":"","statement":""}},"keys":[]}`,
		`{"chancery_seal":2,"checkpoint":"x","release":{"index":0,"entry":"","proof":[],"opening":null},"keys":[{"index":0,"entry":"","proof":[],"opening":{"salt":"AA==","statement":"AA=="}}]}`,
		`{"chancery_seal":2,"checkpoint":"x","release":{"index":0,"entry":"","proof":[],"opening":null},"keys":[]}`,
		`{"chancery_seal":2,"checkpoint":"x","release":{"index":0,"entry":"","proof":[],"opening":{"statement":"","salt":""}},"keys":[]}`,
		`{"chancery_seal":2,"checkpoint":"x","release":{"index":0,"entry":"","proof":[],"opening":{"salt":null,"statement":""}},"keys":[]}`,
		`{"chancery_seal":1,"checkpoint":"x","release":{"index":0,"entry":"","proof":[],"opening":{"salt":"","statement":""}},"keys":[]}`,
		` { "chancery_seal" : 2 , "checkpoint" : "x" , "release" : { "index" : 0 , "entry" : "" , "proof" : [ ] , "opening" : { "salt" : "" , "statement" : "" } } , "keys" : [ ] } `,
		`{"chancery_seal":1,"chancery_seal":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if want := referenceParse(data); (err == nil) != want {
			t.Fatalf("Parse: %v, encoding/json accepts: %v", err, want)
		}
		if err != nil {
			return
		}
		out := s.Marshal()
		if sameJSON(data, bytes.TrimSuffix(out, []byte("\n"))) != nil {
			t.Fatalf("accepted a non-canonical seal:\n%q\nre-encodes as\n%q", data, out)
		}
		s2, err := Parse(out)
		if err != nil || !reflect.DeepEqual(s, s2) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// FuzzParseTrustRoot checks that ParseTrustRoot never panics and that what it accepts
// survives a round trip through Marshal.
func FuzzParseTrustRoot(f *testing.F) {
	for _, s := range append(vectorFiles(f, "trust"), vectorFilesIn(f, rotationVectorsFile, "trust")...) {
		f.Add(s)
		var compact bytes.Buffer
		if err := json.Compact(&compact, s); err == nil {
			f.Add(compact.Bytes())
		}
	}
	f.Add([]byte(`{"chancery_trust":2}`))
	f.Add([]byte(`{"chancery_trust":1,"office":"o","base_url":"https://x","log_origin":"o","log_key":"o+00000000+AQ==","office_keys":[],"witnesses":[],"witness_quorum":0}`))
	// A vector's keys respelt: a key hash in capitals, a line break in the base64.
	if tr, err := ParseTrustRoot(vectorFiles(f, "trust")[0]); err == nil {
		data, _ := tr.Marshal()
		name, rest, _ := strings.Cut(tr.LogKey, "+")
		hash, key, _ := strings.Cut(rest, "+")
		f.Add(bytes.Replace(data, []byte(tr.LogKey), []byte(name+"+"+strings.ToUpper(hash)+"+"+key), 1))
		f.Add(bytes.Replace(data, []byte(tr.LogKey), []byte(name+"+"+hash+"+"+key[:8]+`\n`+key[8:]), 1))
		for _, w := range tr.Witnesses {
			f.Add(bytes.Replace(data, []byte(w), []byte(w[:len(w)-8]+`\r`+w[len(w)-8:]), 1))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ParseTrustRoot(data)
		if err != nil {
			return
		}
		// Each key has one spelling, note.NewEd25519VerifierKey's.
		for _, vkey := range append([]string{tr.LogKey}, tr.Witnesses...) {
			pub, err := PublicKeyOf(vkey)
			if err != nil {
				t.Fatalf("accepted key %q: %v", vkey, err)
			}
			name, rest, _ := strings.Cut(vkey, "+")
			hash, _, _ := strings.Cut(rest, "+")
			alg := byte(algEd25519)
			if vkey != tr.LogKey {
				alg = algCosignatureV1
			}
			if want := name + "+" + strings.ToLower(hash) + "+" + base64.StdEncoding.EncodeToString(append([]byte{alg}, pub...)); vkey != want {
				t.Fatalf("accepted key %q, spelt %q canonically", vkey, want)
			}
		}
		out, err := tr.Marshal()
		if err != nil {
			t.Fatalf("accepted trust root does not marshal: %v", err)
		}
		if sameJSON(data, canonicalCompact(t, out)) != nil {
			t.Fatalf("accepted a non-canonical trust root:\n%s\nre-encodes as\n%s", data, out)
		}
		tr2, err := ParseTrustRoot(out)
		if err != nil || !reflect.DeepEqual(tr, tr2) {
			t.Fatalf("round trip: %v", err)
		}
		if _, err := NewVerifier(tr); err != nil {
			t.Fatalf("accepted trust root makes no verifier: %v", err)
		}
	})
}

// FuzzDecodeRelease checks that the fast release statement decoder accepts exactly what
// Unmarshal accepts, with the same result.
func FuzzDecodeRelease(f *testing.F) {
	for _, s := range vectorFiles(f, "statements/release") {
		s = bytes.TrimSuffix(s, []byte("\n"))
		f.Add(s)
		f.Add(bytes.Replace(s, []byte(`"tags":["exercise"]`), []byte(`"tags":null`), 1))
		f.Add(bytes.Replace(s, []byte(`"signatures":[`), []byte(`"signatures":null,"x":[`), 1))
		f.Add(bytes.Replace(s, []byte(`Exercise`), []byte(`\u003cExercise\u003e`), 1))
		f.Add(bytes.Replace(s, []byte(`Exercise`), []byte(`<Exercise>`), 1))
		f.Add(bytes.Replace(s, []byte(`"version":2`), []byte(`"version":-2`), 1))
		f.Add(bytes.Replace(s, []byte(`14:30:00Z`), []byte(`14:30:00.5+02:00`), 1))
		f.Add(bytes.Replace(s, []byte(`14:30:00Z`), []byte(`14:30:00.500Z`), 1))
		f.Add(bytes.Replace(s, []byte(`Press office`), []byte(`Press \u0026 media\u2028office \u00e9`), 1))
		f.Add(bytes.Replace(s, []byte(`,"policy":`), []byte(`,"file_media_type":"application/pdf","policy":`), 1))
		f.Add(bytes.Replace(s, []byte(`,"policy":`), []byte(`,"file_media_type":"","policy":`), 1))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want ReleaseStatement
		werr := Unmarshal(data, &want)
		got, err := decodeRelease(data, nil)
		if (err == nil) != (werr == nil) {
			t.Fatalf("decodeRelease: %v, Unmarshal: %v", err, werr)
		}
		if err == nil && !bytes.Equal(Marshal(got), Marshal(&want)) {
			t.Fatalf("decodeRelease and Unmarshal disagree:\n%s\n%s", Marshal(got), Marshal(&want))
		}
		// Through a Decoder, twice (the second time its strings are shared), knowing the
		// statement's file digest and not: the same answer.
		d := &Decoder{}
		for _, file := range []Digest{want.FileDigest, "", want.FileDigest} {
			d.file = file
			dgot, derr := decodeRelease(data, d)
			if fmt.Sprint(derr) != fmt.Sprint(err) || err == nil && !bytes.Equal(Marshal(dgot), Marshal(got)) {
				t.Fatalf("decodeRelease with a Decoder: %v, without: %v\n%s\n%s", derr, err, Marshal(dgot), Marshal(got))
			}
		}
	})
}

func canonicalCompact(t *testing.T, data []byte) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, data); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzOpen checks that opening a version 2 entry never panics, fails only as malformed, and
// accepts only an opening whose salt is 32 bytes and whose commitment, computed from its
// definition, is the record's; the statement it returns is the opening's, canonical.
//
//	go test ./internal/seal -run '^$' -fuzz '^FuzzOpen$' -fuzztime 30s
func FuzzOpen(f *testing.F) {
	files, err := readVectors(vectorsV2File)
	if err != nil {
		f.Fatal(err)
	}
	kindIndex := map[string]byte{}
	for i, k := range entry.Kinds {
		kindIndex[string(k)] = byte(i)
	}
	var openings []*Opening
	var records [][]byte
	var kinds []byte
	for name, data := range files {
		ex, ok := strings.CutPrefix(name, "records/")
		if !ok {
			continue
		}
		ex = strings.TrimSuffix(ex, ".json")
		var op Opening
		if err := Unmarshal(bytes.TrimSuffix(files["openings/"+ex+".json"], []byte("\n")), &op); err != nil {
			f.Fatal(err)
		}
		openings = append(openings, &op)
		records = append(records, bytes.TrimSuffix(data, []byte("\n")))
		kinds = append(kinds, kindIndex[strings.TrimSuffix(ex, "-disclosed")])
	}
	if len(records) != 7 {
		f.Fatalf("%d records in the vectors", len(records))
	}
	for i := range records {
		f.Add(kinds[i], records[i], openings[i].Salt, openings[i].Statement)
		// The opening of another entry, and a record of the wrong kind.
		j := (i + 1) % len(records)
		f.Add(kinds[i], records[i], openings[j].Salt, openings[j].Statement)
		f.Add(kinds[j], records[i], openings[i].Salt, openings[i].Statement)
		f.Add(kinds[i], records[i], openings[i].Salt[1:], append(openings[i].Salt[:1:1], openings[i].Statement...))
	}
	f.Add(byte(0), []byte(`{}`), []byte{}, []byte{})
	f.Add(byte(3), []byte(`{"office":"o","keyid":"","public_key":null,"commitment":null,"time":"0001-01-01T00:00:00Z"}`), []byte{}, []byte(`null`))
	f.Fuzz(func(t *testing.T, kind byte, record, salt, statement []byte) {
		k := entry.Kinds[int(kind)%len(entry.Kinds)]
		e := &entry.Entry{Version: entry.V2, Kind: k, Envelope: &dsse.Envelope{PayloadType: k.PayloadTypeV(entry.V2), Payload: record}}
		o := &Opening{Salt: salt, Statement: statement}
		st, err := Open(e, o)
		if err != nil {
			// (A nil statement pointer in the interface: Open returns the Open* result as is.)
			if st != nil && !reflect.ValueOf(st).IsNil() {
				t.Fatalf("Open returned a statement with its error %v", err)
			}
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error not malformed: %v", err)
			}
			return
		}
		rec, err := Record(e)
		if err != nil {
			t.Fatalf("Open accepted an entry whose record does not decode: %v", err)
		}
		var commitment []byte
		switch r := rec.(type) {
		case *ReleaseRecord:
			commitment = r.Commitment
		case *RetractionRecord:
			commitment = r.Commitment
		case *SupersessionRecord:
			commitment = r.Commitment
		case *KeyRecord:
			commitment = r.Commitment
		case *PolicyRecord:
			commitment = r.Commitment
		default:
			t.Fatalf("record %T", rec)
		}
		if len(salt) != SaltSize || !bytes.Equal(commitment, commitmentOf(k, salt, statement)) {
			t.Fatalf("accepted salt %x and statement %q for commitment %x", salt, statement, commitment)
		}
		if !bytes.Equal(Marshal(st), statement) {
			t.Fatalf("opened statement %s, opening %s", Marshal(st), statement)
		}
		// One bit of the salt changed, the opening opens nothing.
		o.Salt = bytes.Clone(salt)
		o.Salt[int(kind)%SaltSize] ^= 1
		if _, err := Open(e, o); !errors.Is(err, ErrBadOpening) {
			t.Fatalf("a changed salt: %v", err)
		}
	})
}

// FuzzDecodeReleaseRecord checks that decodeReleaseRecord answers as Unmarshal does.
func FuzzDecodeReleaseRecord(f *testing.F) {
	for _, s := range vectorFilesIn(f, vectorsV2File, "records/release") {
		s = bytes.TrimSuffix(s, []byte("\n"))
		f.Add(s)
		f.Add(bytes.Replace(s, []byte(`"signer_keys":[`), []byte(`"signer_keys":null,"x":[`), 1))
		f.Add(bytes.Replace(s, []byte(`Task Force`), []byte(`\u003cTask\u003e Force`), 1))
		f.Add(bytes.Replace(s, []byte(`Task Force`), []byte(`<Task> Force`), 1))
		f.Add(bytes.Replace(s, []byte(`Task Force`), []byte(`T\u00e2sk \u2028Force`), 1))
		f.Add(bytes.Replace(s, []byte(`14:30:00Z`), []byte(`14:30:00.5+02:00`), 1))
		f.Add(bytes.Replace(s, []byte(`"commitment":"`), []byte(`"commitment":null,"c":"`), 1))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want ReleaseRecord
		werr := Unmarshal(data, &want)
		got, err := decodeReleaseRecord(data, nil)
		if (err == nil) != (werr == nil) {
			t.Fatalf("decodeReleaseRecord: %v, Unmarshal: %v", err, werr)
		}
		if err == nil && !bytes.Equal(Marshal(got), Marshal(&want)) {
			t.Fatalf("decodeReleaseRecord and Unmarshal disagree:\n%s\n%s", Marshal(got), Marshal(&want))
		}
		// Through a Decoder, twice: the same answer.
		d := &Decoder{}
		for range 2 {
			dgot, derr := decodeReleaseRecord(data, d)
			if fmt.Sprint(derr) != fmt.Sprint(err) || err == nil && !bytes.Equal(Marshal(dgot), Marshal(got)) {
				t.Fatalf("decodeReleaseRecord with a Decoder: %v, without: %v\n%s\n%s", derr, err, Marshal(dgot), Marshal(got))
			}
		}
	})
}
