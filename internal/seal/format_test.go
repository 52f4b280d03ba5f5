package seal

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"golang.org/x/mod/sumdb/tlog"
)

func TestSealRoundTrip(t *testing.T) {
	s := newScenario(t)
	seal := s.o.seal(t, s.relA, true)
	data := seal.Marshal()
	if !bytes.HasSuffix(data, []byte("}\n")) || bytes.Count(data, []byte("\n")) != 1 {
		t.Fatalf("not one line of compact JSON: %q", data)
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, seal) {
		t.Fatalf("round trip:\n%+v\n%+v", got, seal)
	}
	// White space is free: an indented seal is the same seal.
	var ind bytes.Buffer
	if err := json.Indent(&ind, data, "", "\t"); err != nil {
		t.Fatal(err)
	}
	if got, err := Parse(ind.Bytes()); err != nil || !reflect.DeepEqual(got, seal) {
		t.Fatalf("indented: %v", err)
	}
	// A tree of one has an empty proof, written [] and read back as such.
	one := &Seal{Checkpoint: []byte("c"), Release: LoggedEntry{Entry: []byte("e")}}
	if !bytes.Contains(one.Marshal(), []byte(`"proof":[]`)) || !bytes.Contains(one.Marshal(), []byte(`"keys":[]`)) {
		t.Fatalf("empty lists: %s", one.Marshal())
	}
	if _, err := Parse(one.Marshal()); err != nil {
		t.Fatal(err)
	}
}

func TestSealParseStrict(t *testing.T) {
	s := newScenario(t)
	good := string(s.o.seal(t, s.relA, true).Marshal())
	hash := `"` + strings.SplitN(strings.SplitN(good, `"proof":["`, 2)[1], `"`, 2)[0] + `"`
	cases := []struct {
		name, data string
		version    bool
	}{
		{"empty", "", false},
		{"not an object", "[]", false},
		{"unknown field", strings.Replace(good, `{"chancery_seal":1,`, `{"chancery_seal":1,"note":"x",`, 1), false},
		{"missing field", strings.Replace(good, `"keys":`, `"keyz":`, 1), false},
		{"field in another case", strings.Replace(good, `"keys":`, `"Keys":`, 1), false},
		{"repeated field", strings.Replace(good, `{"chancery_seal":1,`, `{"chancery_seal":1,"chancery_seal":1,`, 1), false},
		{"reordered fields", reordered(t, good), false},
		{"null proof", strings.Replace(good, `"proof":[`+hash, `"proof":null,"x":[`+hash, 1), false},
		{"version 3", strings.Replace(good, `"chancery_seal":1`, `"chancery_seal":3`, 1), true},
		{"version 3 with new fields", strings.Replace(good, `"chancery_seal":1,`, `"chancery_seal":3,"timestamp":1,`, 1), true},
		{"version 2 without openings", strings.Replace(good, `"chancery_seal":1`, `"chancery_seal":2`, 1), false},
		{"version 0", strings.Replace(good, `"chancery_seal":1`, `"chancery_seal":0`, 1), true},
		{"negative index", strings.Replace(good, `"index":2,`, `"index":-2,`, 1), false},
		{"index as a float", strings.Replace(good, `"index":2,`, `"index":2.0,`, 1), false},
		{"escaped key", strings.Replace(good, `"keys":`, `"k\u0065ys":`, 1), false},
		{"trailing data", good + "{}", false},
		{"non-canonical hash base64", strings.Replace(good, hash, hash[:43]+string(b64Alphabet[strings.IndexByte(b64Alphabet, hash[43])^1])+hash[44:], 1), false},
		{"no checkpoint", strings.Replace(good, good[strings.Index(good, `"checkpoint":`):strings.Index(good, `,"release"`)], `"checkpoint":""`, 1), false},
		{"too large", good[:len(good)-2] + strings.Repeat(" ", MaxSealSize) + "}\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.data))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("got %v, want malformed", err)
			}
			if c.version != errors.Is(err, ErrUnsupportedVersion) {
				t.Fatalf("version error %v, want %v", err, c.version)
			}
		})
	}
}

// TestSealParseBoundsProofs: an inclusion proof has one hash per level of its tree, so no
// seal of a tree of at most checkpoint.MaxTreeSize has more than MaxProofHashes; Parse read
// proofs of any length up to the seal's 1 MiB (about 22,000 hashes) and left them to the
// verifier. A longer proof is malformed, in the release and in a key entry, and Decoder
// says the same.
func TestSealParseBoundsProofs(t *testing.T) {
	s := newScenario(t)
	seal := s.o.seal(t, s.relA, true)
	long := func(n int) tlog.RecordProof {
		p := make(tlog.RecordProof, n)
		for i := range p {
			p[i][0] = byte(i)
		}
		return p
	}
	for _, c := range []struct {
		name string
		set  func(s *Seal, p tlog.RecordProof)
	}{
		{"release", func(s *Seal, p tlog.RecordProof) { s.Release.Proof = p }},
		{"key entry", func(s *Seal, p tlog.RecordProof) { s.Keys[0].Proof = p }},
	} {
		for _, n := range []int{MaxProofHashes, MaxProofHashes + 1, 20000} {
			bad := cloneSeal(seal)
			c.set(bad, long(n))
			data := bad.Marshal()
			var d Decoder
			for parser, parse := range map[string]func([]byte) (*Seal, error){"Parse": Parse, "Decoder": d.Parse} {
				_, err := parse(data)
				if n <= MaxProofHashes {
					if err != nil {
						t.Errorf("%s: %s proof of %d hashes: %v", parser, c.name, n, err)
					}
					continue
				}
				if !errors.Is(err, ErrMalformed) {
					t.Errorf("%s: %s proof of %d hashes: got %v, want malformed", parser, c.name, n, err)
				}
			}
		}
	}
}

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// reordered returns the seal with its fields in another order.
func reordered(t *testing.T, good string) string {
	var f sealFile
	if err := json.Unmarshal([]byte(good), &f); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(struct {
		Keys       []LoggedEntry `json:"keys"`
		Version    int           `json:"chancery_seal"`
		Checkpoint string        `json:"checkpoint"`
		Release    LoggedEntry   `json:"release"`
	}{f.Keys, f.Version, f.Checkpoint, f.Release})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTrustRootRoundTrip(t *testing.T) {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	tr := o.trustRoot(1)
	data, err := tr.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("{\n  \"chancery_trust\": 1,\n")) || !bytes.HasSuffix(data, []byte("}\n")) {
		t.Fatalf("not indented JSON with the version first:\n%s", data)
	}
	got, err := ParseTrustRoot(data)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, tr) {
		t.Fatalf("round trip:\n%+v\n%+v", got, tr)
	}
	var compact bytes.Buffer
	json.Compact(&compact, data)
	if _, err := ParseTrustRoot(compact.Bytes()); err != nil {
		t.Fatalf("compact: %v", err)
	}
	// No witnesses: written as [], and quorum 0.
	tr.Witnesses, tr.WitnessQuorum = nil, 0
	data, err = tr.Marshal()
	if err != nil || !bytes.Contains(data, []byte(`"witnesses": []`)) {
		t.Fatalf("%s, %v", data, err)
	}
	if _, err := ParseTrustRoot(data); err != nil {
		t.Fatal(err)
	}
}

func TestTrustRootStrict(t *testing.T) {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	good, err := o.trustRoot(1).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	g := string(good)
	other := seedKey(0x77).Public().(ed25519.PublicKey)
	_, plainKey := noteSigner(t, "witness.example/w1", seedKey(0x12))
	officeLine := func(k OfficeKey) string {
		b, _ := json.Marshal(k)
		return string(b)
	}
	okey := NewOfficeKey(o.office.Public().(ed25519.PublicKey))
	// edit replaces the value of a top-level field.
	edit := func(field, value string) string {
		i := strings.Index(g, `"`+field+`": `)
		if i < 0 {
			t.Fatalf("no field %s", field)
		}
		j := i + len(field) + 4
		end := j
		for depth := 0; ; end++ {
			switch g[end] {
			case '[', '{':
				depth++
			case ']', '}':
				depth--
			}
			if depth < 0 || (depth == 0 && (g[end] == ',' || g[end] == '\n')) {
				break
			}
		}
		return g[:j] + value + g[end:]
	}
	cases := map[string]string{
		"unknown field":         strings.Replace(g, `"office": `, `"comment": "x", "office": `, 1),
		"missing field":         strings.Replace(g, "  \"base_url\": \"https://letters.example.org\",\n", "", 1),
		"repeated field":        strings.Replace(g, `"witness_quorum": 1`, `"witness_quorum": 1, "witness_quorum": 0`, 1),
		"field in another case": strings.Replace(g, `"office": `, `"Office": `, 1),
		"version 2":             strings.Replace(g, `"chancery_trust": 1`, `"chancery_trust": 2`, 1),
		"trailing data":         g + "x",
		"too large":             g[:len(g)-2] + strings.Repeat(" ", MaxTrustRootSize) + "}\n",
		"empty office":          edit("office", `""`),
		"office with newline":   edit("office", `"Task\nForce"`),
		"base URL not http":     edit("base_url", `"ftp://letters.example.org"`),
		"base URL relative":     edit("base_url", `"letters.example.org"`),
		"origin not key name":   edit("log_origin", `"other.example.org/log"`),
		"log key malformed":     edit("log_key", `"letters.example.org/log+00000000+AQ=="`),
		"no office keys":        edit("office_keys", `[]`),
		"office key id wrong":   edit("office_keys", `[`+officeLine(OfficeKey{KeyID: okey.KeyID, PublicKey: other})+`]`),
		"office key short":      edit("office_keys", `[`+officeLine(OfficeKey{KeyID: dsse.KeyID(other[:31]), PublicKey: other[:31]})+`]`),
		"office key twice":      edit("office_keys", `[`+officeLine(okey)+`,`+officeLine(okey)+`]`),
		"witness twice":         edit("witnesses", `["`+o.witness.vkey+`","`+o.witness.vkey+`"]`),
		"witness plain key":     edit("witnesses", `["`+plainKey+`"]`),
		"witness wrong hash":    edit("witnesses", `["`+wrongHash(o.witness.vkey)+`"]`),
		"witness malformed":     edit("witnesses", `["witness"]`),
		"quorum too high":       edit("witness_quorum", `2`),
		"quorum negative":       edit("witness_quorum", `-1`),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if tr, err := ParseTrustRoot([]byte(data)); err == nil {
				t.Fatalf("accepted %+v", tr)
			} else {
				t.Log(err)
			}
		})
	}
}

// TestTrustRootKeysHaveOneSpelling: note.NewVerifier reads a key hash in capitals and skips
// line breaks in the key's base64, so a trust root's log key or witness key had several
// spellings of one key. Verifiers keep the newest checkpoint they saw per log key as spelt
// (chancery verify's kept checkpoints, the monitor's logs): a trust root with the same keys
// spelt otherwise started with nothing kept, and took a rolled-back log for the first one.
// Only the spelling note.NewEd25519VerifierKey writes is accepted.
func TestTrustRootKeysHaveOneSpelling(t *testing.T) {
	o := newTestOffice(t, "Task Force North", "letters.example.org/log", 0x10)
	tr := o.trustRoot(1)
	if capitalsOf := strings.SplitN(tr.LogKey, "+", 3)[1]; strings.ToUpper(capitalsOf) == capitalsOf {
		t.Fatalf("log key %q has no letter in its hash", tr.LogKey)
	}
	// capitals and lineBreak respell vkey: its key hash in capitals, a line break (a JSON escape)
	// in its base64.
	capitals := func(vkey string) string {
		f := strings.SplitN(vkey, "+", 3)
		return f[0] + "+" + strings.ToUpper(f[1]) + "+" + f[2]
	}
	lineBreak := func(vkey string) string { return vkey[:len(vkey)-8] + "\\n" + vkey[len(vkey)-8:] }
	for name, respell := range map[string]func(string) string{
		"key hash in capitals":  capitals,
		"line break in the key": lineBreak,
	} {
		for _, field := range []string{"log_key", "witnesses"} {
			good, err := tr.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			key := tr.LogKey
			if field == "witnesses" {
				key = tr.Witnesses[0]
			}
			if respell(key) == key {
				continue // a key hash of digits only has no capitals
			}
			data := strings.Replace(string(good), `"`+key+`"`, `"`+respell(key)+`"`, 1)
			if got, err := ParseTrustRoot([]byte(data)); err == nil {
				t.Errorf("%s in %s: accepted (%q)", name, field, got.LogKey)
			}
		}
	}
}

// wrongHash returns a verifier key with another key hash.
func wrongHash(vkey string) string {
	name, rest, _ := strings.Cut(vkey, "+")
	_, key, _ := strings.Cut(rest, "+")
	return name + "+00000000+" + key
}

func TestSealParseStrictV2(t *testing.T) {
	s := newV2Scenario(t)
	o := s.o
	good := string(o.seal(t, s.relA, true).Marshal())
	if !strings.Contains(good, `"release":{"index":2,`) {
		t.Fatalf("release A not at index 2: %.200s", good)
	}
	openingOf := func(op *Opening) string {
		return `"opening":{"salt":"` + base64.StdEncoding.EncodeToString(op.Salt) + `","statement":"` + base64.StdEncoding.EncodeToString(op.Statement) + `"}`
	}
	relOpening := o.openings[s.relA]
	salt := `"salt":"` + base64.StdEncoding.EncodeToString(relOpening.Salt) + `"`
	statement := `"statement":"` + base64.StdEncoding.EncodeToString(relOpening.Statement) + `"`
	opening := openingOf(relOpening)
	allNull := good
	for _, i := range []int64{s.relA, s.keyAlice, s.keyBob} {
		allNull = strings.Replace(allNull, openingOf(o.openings[i]), `"opening":null`, 1)
	}
	if strings.Contains(allNull, `"salt"`) {
		t.Fatalf("an opening left in %s", allNull)
	}
	if strings.Count(good, opening) != 1 {
		t.Fatalf("no release opening in %s", good)
	}
	// A version 1 key entry in a version 2 seal: its opening is null.
	o.members["frank"] = seedKey(0x15)
	o.addKey(t, "frank", keysAddedAt)
	withNull := string(o.seal(t, o.logRelease(t, o.releaseStatement(t, "TFN-2026-000125", letterB, releasedAt, "frank"), nil), true).Marshal())
	if !strings.Contains(withNull, `,"opening":null}`) {
		t.Fatalf("no null opening in %s", withNull)
	}
	v1 := string(newScenario(t).o.seal(t, 3, true).Marshal())
	for _, c := range []struct{ name, data string }{
		{"opening without salt", strings.Replace(good, opening, `"opening":{`+statement+`}`, 1)},
		{"opening without statement", strings.Replace(good, opening, `"opening":{`+salt+`}`, 1)},
		{"empty opening", strings.Replace(good, opening, `"opening":{}`, 1)},
		{"opening fields reordered", strings.Replace(good, opening, `"opening":{`+statement+`,`+salt+`}`, 1)},
		{"opening field repeated", strings.Replace(good, opening, `"opening":{`+salt+`,`+salt+`,`+statement+`}`, 1)},
		{"opening with an unknown field", strings.Replace(good, opening, `"opening":{`+salt+`,`+statement+`,"reason":"x"}`, 1)},
		{"null salt", strings.Replace(good, salt, `"salt":null`, 1)},
		{"salt not base64", strings.Replace(good, salt, `"salt":"`+strings.Repeat("!", 44)+`"`, 1)},
		{"salt with an escape", strings.Replace(good, salt, salt[:12]+`\u0041`+salt[13:], 1)},
		{"salt unpadded", strings.Replace(good, salt, strings.TrimRight(salt[:len(salt)-1], "=")+`"`, 1)},
		{"opening as a string", strings.Replace(good, opening, `"opening":"x"`, 1)},
		{"opening field in another case", strings.Replace(good, `"opening":{`, `"Opening":{`, 1)},
		{"opening before the proof", strings.Replace(strings.Replace(good, `,`+opening, ``, 1), `"release":{"index":2,`, `"release":{"index":2,`+opening+`,`, 1)},
		{"null opening left out", strings.Replace(withNull, `,"opening":null}`, `}`, 1)},
		{"opening in a version 1 seal", strings.Replace(v1, `]},"keys"`, `],`+opening+`},"keys"`, 1)},
		{"null opening in a version 1 seal", strings.Replace(v1, `]},"keys"`, `],"opening":null},"keys"`, 1)},
		{"version 2 seal labelled version 1", strings.Replace(good, `"chancery_seal":2`, `"chancery_seal":1`, 1)},
		{"version 2 seal with every opening null", allNull},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.data == good || c.data == withNull || c.data == v1 {
				t.Fatal("the edit changed nothing")
			}
			_, err := Parse([]byte(c.data))
			if !errors.Is(err, ErrMalformed) || errors.Is(err, ErrUnsupportedVersion) {
				t.Fatalf("got %v, want malformed", err)
			}
		})
	}
	// The same seals, unedited, parse.
	for _, data := range []string{good, withNull, v1} {
		if _, err := Parse([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestUnmarshalTrailingData: a statement followed by "}", "]" or other data is refused as
// trailing data (audit, twenty-second session: json.Decoder.More reports false at "]" and
// "}", so the strict decoder's check passed them and only the canonical-form check caught
// them, under another name).
func TestUnmarshalTrailingData(t *testing.T) {
	s := newScenario(t)
	e, err := entry.Decode(s.o.entries[s.relA])
	if err != nil {
		t.Fatal(err)
	}
	payload := e.Envelope.Payload
	if e.V() == entry.V2 {
		payload = s.o.openings[s.relA].Statement
	}
	var st ReleaseStatement
	if err := Unmarshal(payload, &st); err != nil {
		t.Fatal(err)
	}
	for _, tail := range []string{"}", "]", "]]]}}}", " ] garbage", " {}"} {
		var got ReleaseStatement
		if err := Unmarshal(append(bytes.Clone(payload), tail...), &got); err == nil || !strings.Contains(err.Error(), "trailing data") {
			t.Errorf("statement + %q: %v, want trailing data", tail, err)
		}
	}
}
