package verify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"github.com/rogpeppe/go-internal/txtar"
)

// agreeCase is a seal and a letter of the differential corpus.
type agreeCase struct {
	name         string
	seal, letter []byte
	// nonCanonical: the seal is a real one written in another encoding than its one
	// canonical form (white space aside): a field repeated or spelled otherwise, a number or
	// base64 that decodes to the same value. No verifier may take it as valid.
	nonCanonical bool
}

// agreeCorpus returns the seals of a vectors file, each with each letter, and mutations of
// them: bytes changed along the whole seal, cuts, white space, fields repeated or spelled in
// another case, key entries repeated, dropped, swapped with another seal's, version numbers
// changed, base64 with other trailing bits, numbers not in canonical form.
func agreeCorpus(t *testing.T, path string) (trust []byte, cases []agreeCase) {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var seals, letters [][]byte
	var sealNames []string
	for _, f := range txtar.Parse(data).Files {
		switch {
		case f.Name == "trust.json":
			trust = f.Data
		case strings.HasPrefix(f.Name, "seals/"):
			seals, sealNames = append(seals, f.Data), append(sealNames, f.Name)
		case strings.HasPrefix(f.Name, "letter"):
			letters = append(letters, f.Data)
		}
	}
	if trust == nil || len(seals) == 0 || len(letters) == 0 {
		t.Fatalf("%s: no trust root, seals or letters", path)
	}
	add := func(name string, s, letter []byte) {
		cases = append(cases, agreeCase{name: name, seal: s, letter: letter})
	}
	// The real seals first, with every letter, so that the folder verifier's caches hold
	// their checkpoints and key entries when the mutations come.
	for i, s := range seals {
		for j, l := range letters {
			add(fmt.Sprintf("%s with letter %d", sealNames[i], j), s, l)
		}
	}
	const b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i, s := range seals {
		// The letter the seal is for, if one of them is: a valid seal's mutations are the
		// ones that reach furthest into the verification, and get the most.
		letter, stride := letters[0], 151
		if p, err := seal.Parse(s); err == nil {
			if v, err := seal.NewVerifier(mustTrust(t, trust)); err == nil {
				for _, l := range letters {
					if _, err := v.VerifyBytes(p, l); err == nil {
						letter, stride = l, 29
					}
				}
			}
		}
		mut := func(what string, m []byte) { add(sealNames[i]+": "+what, m, letter) }
		// A mutation that changes the encoding only, of a seal that verifies.
		encoding := func(what string, m []byte) {
			if !bytes.Equal(m, s) {
				mut(what, m)
				cases[len(cases)-1].nonCanonical = stride != 151
			}
		}
		// One byte changed along the seal: in base64, to another letter of the alphabet, so
		// that the change reaches past the decoding.
		for p := 0; p < len(s); p += stride {
			m := bytes.Clone(s)
			if k := strings.IndexByte(b64, m[p]); k >= 0 {
				m[p] = b64[(k+1)%len(b64)]
			} else {
				m[p] ^= 0x20
			}
			mut(fmt.Sprintf("byte %d changed", p), m)
		}
		for _, n := range []int{0, 1, len(s) / 3, len(s) / 2, len(s) - 3, len(s) - 1} {
			mut(fmt.Sprintf("cut at %d", n), s[:n])
		}
		mut("white space", bytes.ReplaceAll(s, []byte(`,"`), []byte(` ,  "`)))
		mut("white space before", append([]byte("\n \t"), s...))
		mut("two newlines", append(bytes.Clone(s), '\n'))
		for _, field := range []string{"checkpoint", "release", "keys", "index", "entry", "proof", "opening", "salt", "statement"} {
			encoding(field+" in another case", bytes.Replace(s, []byte(`"`+field+`":`), []byte(`"`+strings.ToUpper(field[:1])+field[1:]+`":`), 1))
			if v, ok := firstValue(s, field); ok {
				encoding(field+" repeated", bytes.Replace(s, []byte(`"`+field+`":`+v), []byte(`"`+field+`":`+v+`,"`+field+`":`+v), 1))
				encoding(field+" escaped", bytes.Replace(s, []byte(`"`+field+`":`), []byte(`"\u00`+fmt.Sprintf("%x", field[0])+field[1:]+`":`), 1))
			}
		}
		mut("version 1 as 2", bytes.Replace(s, []byte(`"chancery_seal":1`), []byte(`"chancery_seal":2`), 1))
		mut("version 2 as 1", bytes.Replace(s, []byte(`"chancery_seal":2`), []byte(`"chancery_seal":1`), 1))
		encoding("version with a leading zero", bytes.Replace(s, []byte(`"chancery_seal":`), []byte(`"chancery_seal":0`), 1))
		encoding("version as a float", bytes.Replace(s, []byte(`"chancery_seal":1`), []byte(`"chancery_seal":1.0`), 1))
		encoding("index with a leading zero", bytes.Replace(s, []byte(`"index":`), []byte(`"index":0`), 1))
		encoding("index as an exponent", regexp.MustCompile(`"index":(\d+)`).ReplaceAll(s, []byte(`"index":${1}e0`)))
		mut("index plus one", regexp.MustCompile(`"index":(\d+),"entry"`).ReplaceAllFunc(s, func(b []byte) []byte {
			var n int
			fmt.Sscanf(string(b), `"index":%d`, &n)
			return fmt.Appendf(nil, `"index":%d,"entry"`, n+1)
		}))
		// Base64 whose unused bits are set: the same bytes to a lenient decoder.
		for _, q := range regexp.MustCompile(`"[A-Za-z0-9+/]{2}==?"`).FindAllIndex(s, 3) {
			m := bytes.Clone(s)
			end := bytes.IndexByte(m[q[0]+1:q[1]], '=') + q[0] + 1
			if k := strings.IndexByte(b64, m[end-1]); k >= 0 && k%4 == 0 {
				m[end-1] = b64[k+1]
				encoding(fmt.Sprintf("trailing bits at %d", end-1), m)
			}
		}
		if k, ok := keysList(s); ok {
			entries := splitObjects(k)
			mut("keys emptied", bytes.Replace(s, k, []byte("[]"), 1))
			if len(entries) > 0 {
				mut("key entry repeated", bytes.Replace(s, k, []byte("["+strings.Join(append(entries, entries[0]), ",")+"]"), 1))
				mut("key entry dropped", bytes.Replace(s, k, []byte("["+strings.Join(entries[1:], ",")+"]"), 1))
				rev := slices.Clone(entries)
				slices.Reverse(rev)
				mut("key entries reversed", bytes.Replace(s, k, []byte("["+strings.Join(rev, ",")+"]"), 1))
			}
			for j, other := range seals {
				if ok, _ := keysList(other); j != i && ok != nil {
					mut("key entries of "+sealNames[j], bytes.Replace(s, k, ok, 1))
					mut("key entries added from "+sealNames[j], bytes.Replace(s, k, []byte("["+strings.Join(append(slices.Clone(entries), splitObjects(ok)...), ",")+"]"), 1))
				}
			}
		}
		for j, other := range seals {
			if cp, ok := firstValue(other, "checkpoint"); j != i && ok {
				if own, ok := firstValue(s, "checkpoint"); ok {
					mut("checkpoint of "+sealNames[j], bytes.Replace(s, []byte(own), []byte(cp), 1))
				}
			}
		}
	}
	return trust, cases
}

func mustTrust(t *testing.T, data []byte) *seal.TrustRoot {
	t.Helper()
	tr, err := seal.ParseTrustRoot(data)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// firstValue returns the JSON value of the first field name in s, as written.
func firstValue(s []byte, name string) (string, bool) {
	i := bytes.Index(s, []byte(`"`+name+`":`))
	if i < 0 {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(s[i+len(name)+3:]))
	var v json.RawMessage
	if dec.Decode(&v) != nil {
		return "", false
	}
	return string(v), true
}

// keysList returns the seal's "keys" list as written.
func keysList(s []byte) ([]byte, bool) {
	v, ok := firstValue(s, "keys")
	if !ok || !strings.HasPrefix(v, "[") {
		return nil, false
	}
	return []byte(v), true
}

// splitObjects returns the objects of a JSON list as written.
func splitObjects(list []byte) []string {
	var raw []json.RawMessage
	if json.Unmarshal(list, &raw) != nil {
		return nil
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = string(r)
	}
	return out
}

// TestSmallVerifierAgreesWithTheSealVerifier is the differential test of verify's two ways to
// judge a seal: the folder's (chancery-verify, and `chancery verify` with a seal beside the
// file: a worker's seal.Decoder and the run's shared, warm seal.Verifier), and the one
// `chancery verify` uses for the seal a registry answers with (seal.Parse and Verify, here by
// a fresh Verifier for each seal). Over the seals of the test vectors and mutations of them
// (agreeCorpus), written as one folder, chancery-verify's outcome for each letter must be the
// fresh verifier's: valid exactly when it finds no fault, and otherwise naming the fault it
// names.
func TestSmallVerifierAgreesWithTheSealVerifier(t *testing.T) {
	for _, vectors := range []string{"../../testdata/seal-vectors.txtar", "../../testdata/seal-vectors-v2.txtar"} {
		t.Run(filepath.Base(vectors), func(t *testing.T) {
			trust, cases := agreeCorpus(t, vectors)
			dir := t.TempDir()
			folder := filepath.Join(dir, "letters")
			if err := os.Mkdir(folder, 0o755); err != nil {
				t.Fatal(err)
			}
			trustFile := filepath.Join(dir, "trust.json")
			if err := os.WriteFile(trustFile, trust, 0o644); err != nil {
				t.Fatal(err)
			}
			byFile := map[string]agreeCase{}
			for i, c := range cases {
				name := filepath.Join(folder, fmt.Sprintf("%05d.txt", i))
				byFile[name] = c
				if err := os.WriteFile(name, c.letter, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name+".seal", c.seal, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var stdout, stderr bytes.Buffer
			Main([]string{"--offline", "--json", "--trust", trustFile, folder}, &stdout, &stderr)
			root := mustTrust(t, trust)
			seen, valid, nonCanonical := 0, 0, 0
			sc := bufio.NewScanner(&stdout)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				var got Result
				if err := json.Unmarshal(sc.Bytes(), &got); err != nil {
					t.Fatalf("line %q: %v", sc.Text(), err)
				}
				c, ok := byFile[got.File]
				if !ok {
					t.Fatalf("a result for %s, which is not in the folder", got.File)
				}
				seen++
				if c.nonCanonical {
					nonCanonical++
				}
				want, werr := Valid, error(nil)
				s, werr := seal.Parse(c.seal)
				if werr == nil {
					v, err := seal.NewVerifier(root)
					if err != nil {
						t.Fatal(err)
					}
					_, werr = v.VerifyBytes(s, c.letter)
				}
				switch {
				case werr == nil:
					valid++
				case errors.Is(werr, seal.ErrOutdatedTrustRoot):
					want = "error"
				default:
					want = Invalid
				}
				if c.nonCanonical && got.Outcome == Valid {
					t.Errorf("%s (%s): valid, written in a form other than the seal's canonical one", got.File, c.name)
				}
				if got.Outcome != want {
					t.Errorf("%s (%s): chancery-verify says %s (%s), a fresh seal verifier %s (%v)", got.File, c.name, got.Outcome, got.Message, want, werr)
					continue
				}
				if werr != nil && !errors.Is(werr, seal.ErrDigestMismatch) && !strings.Contains(got.Message, werr.Error()) {
					t.Errorf("%s (%s): chancery-verify says %q, a fresh seal verifier %q", got.File, c.name, got.Message, werr)
				}
			}
			if seen != len(cases) {
				t.Fatalf("%d results for %d letters; stderr:\n%s", seen, len(cases), stderr.String())
			}
			if valid == 0 || valid == len(cases) {
				t.Fatalf("%d of %d letters valid: the corpus does not tell the verifiers apart", valid, len(cases))
			}
			if nonCanonical == 0 {
				t.Fatal("no seal in another encoding than its canonical one")
			}
			t.Logf("%d letters, %d valid, %d seals in a non-canonical encoding", len(cases), valid, nonCanonical)
		})
	}
}
