package seal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/chancery/chancery/internal/entry"
)

// sameAsParse parses each input with d and with Parse, the reference, and fails unless both
// accept or both refuse it, with the same seal or the same error. d's seal is compared before
// the next input, which may reuse its memory.
func sameAsParse(t *testing.T, d *Decoder, inputs ...[]byte) {
	t.Helper()
	for i, data := range inputs {
		want, werr := Parse(data)
		got, err := d.Parse(data)
		if (err == nil) != (werr == nil) || err != nil && err.Error() != werr.Error() {
			t.Fatalf("input %d: Decoder: %v, Parse: %v\n%q", i, err, werr, data)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("input %d: Decoder and Parse disagree:\n%s\n%s", i, showSeal(got), showSeal(want))
		}
	}
}

// showSeal prints a seal with its openings, and whether its lists are nil.
func showSeal(s *Seal) string {
	show := func(e LoggedEntry) string {
		o := "<no opening>"
		if e.Opening != nil {
			o = fmt.Sprintf("%#v", *e.Opening)
		}
		return fmt.Sprintf("%#v %s", e, o)
	}
	out := fmt.Sprintf("checkpoint %q\nrelease %s\nkeys nil: %v", s.Checkpoint, show(s.Release), s.Keys == nil)
	for _, k := range s.Keys {
		out += "\nkey " + show(k)
	}
	return out
}

// vectorSeals are the seals of the test vectors, both versions.
func vectorSeals(tb testing.TB) [][]byte {
	s := append(vectorFiles(tb, "seals/"), vectorFilesIn(tb, vectorsV2File, "seals/")...)
	if len(s) < 4 {
		tb.Fatalf("only %d vector seals", len(s))
	}
	return s
}

// FuzzDecoderSameAsParse checks the Decoder against Parse on arbitrary input: a, b, a and b
// again through one Decoder, so that each is parsed by a Decoder that knows the other's
// checkpoint and key entries. The seeds pair real seals that share them, and seals whose
// parts differ from a known one's after a common prefix.
//
//	go test ./internal/seal -run '^$' -fuzz '^FuzzDecoderSameAsParse$' -fuzztime 30s -fuzzminimizetime 2s
func FuzzDecoderSameAsParse(f *testing.F) {
	seeds := vectorSeals(f)
	for i, a := range seeds {
		// Each seal with the next (TestDecoderSameAsParse takes every pair): a larger seed
		// corpus leaves the fuzzer no time to mutate.
		f.Add(a, seeds[(i+1)%len(seeds)])
		a = bytes.TrimSuffix(a, []byte("\n"))
		f.Add(a, append(bytes.Clone(a[:len(a)-3]), a[len(a)-2:]...)) // the last key entry cut
		f.Add(a, append(bytes.Clone(a[:len(a)-2]), `,"x":1}]}`...))  // and lengthened
		f.Add(a, bytes.Replace(a, []byte(`\n`), []byte(`\n `), 1))   // the checkpoint changed
		f.Add(a, bytes.Replace(a, []byte(`"checkpoint":"`), []byte(`"checkpoint": "`), 1))
		f.Add(a, bytes.Replace(a, []byte(`"keys":[{"index":`), []byte(`"keys":[{"index":1`), 1))
		f.Add(a, bytes.Replace(a, []byte(`"chancery_seal":2`), []byte(`"chancery_seal":1`), 1))
		f.Add(a, append([]byte(" "), a...))
	}
	one := &Seal{Checkpoint: []byte("o\n1\nAAAA\n\n— o AAAA\n"), Release: LoggedEntry{Entry: []byte("e")}}
	f.Add(one.Marshal(), seeds[0])
	f.Add(seeds[0], one.Marshal())
	f.Add([]byte(`{"chancery_seal":2,"checkpoint":"x","release":{"index":0,"entry":"","proof":[],"opening":null},"keys":[{"index":0,"entry":"","proof":[],"opening":{"salt":"AA==","statement":"AA=="}}]}`),
		[]byte(`{"chancery_seal":2,"checkpoint":"x","release":{"index":0,"entry":"","proof":[],"opening":{"salt":"","statement":""}},"keys":[{"index":0,"entry":"","proof":[],"opening":{"salt":"AA==","statement":"AA=="}},{"index":0,"entry":"","proof":[],"opening":null}]}`))
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var d Decoder
		sameAsParse(t, &d, a, b, a, b)
	})
}

func TestDecoderSameAsParse(t *testing.T) {
	seeds := vectorSeals(t)
	var d Decoder
	for _, a := range seeds {
		for _, b := range seeds {
			sameAsParse(t, &d, a, b, bytes.ReplaceAll(b, []byte(","), []byte(", ")))
		}
	}
}

// TestDecoderVerifiesAsParse runs the cases of the version 2 vectors one after the other
// through one Decoder and one Verifier, as a folder is verified, and checks each outcome; and
// that the results of the valid seals are unchanged once the Decoder has parsed every other
// seal: nothing of a Result lives in the memory the Decoder reuses.
func TestDecoderVerifiesAsParse(t *testing.T) {
	files, err := readVectors(vectorsV2File)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTrustRoot(files["trust.json"])
	if err != nil {
		t.Fatal(err)
	}
	v := newTestVerifier(t, tr)
	var d Decoder
	var results []*Result
	var before [][]byte
	for range 2 {
		for _, line := range strings.Split(strings.TrimSpace(string(files["expect"])), "\n") {
			f := strings.Fields(line)
			name, want := f[0], f[4]
			s, err := d.Parse(files[f[1]])
			var r *Result
			if err == nil {
				r, err = d.Verify(v, s, DigestOf(files[f[2]]))
			}
			if got := outcome(t, err); got != want {
				t.Fatalf("%s: got %s (%v), want %s", name, got, err, want)
			}
			if r != nil {
				results = append(results, r)
				before = append(before, Marshal(r))
			}
		}
	}
	if len(results) < 4 {
		t.Fatalf("only %d valid cases", len(results))
	}
	for i, r := range results {
		if !bytes.Equal(Marshal(r), before[i]) {
			t.Fatalf("result %d changed after the Decoder parsed other seals:\n%s\n%s", i, before[i], Marshal(r))
		}
	}
}

// FuzzUTCSeconds checks the time fast path against encoding/json's reading and writing of
// times, the reference: what it accepts, the reference accepts, with the same time.
//
//	go test ./internal/seal -run '^$' -fuzz '^FuzzUTCSeconds$' -fuzztime 30s
func FuzzUTCSeconds(f *testing.F) {
	for _, s := range []string{`"2026-11-30T07:44:27Z"`, `"0000-01-01T00:00:00Z"`, `"9999-12-31T23:59:59Z"`,
		`"2026-02-31T00:00:00Z"`, `"2026-13-01T00:00:00Z"`, `"2026-11-30T24:00:00Z"`, `"2026-11-30T23:59:60Z"`,
		`"2026-11-30T07:44:27+00:00"`, `"2026-11-30t07:44:27Z"`, `"2026-11-30T07:44:27.5Z"`, `"2024-02-29T12:00:00Z"`,
		`"2023-02-29T12:00:00Z"`, `"+026-11-30T07:44:27Z"`, `"2026-1a-30T07:44:27Z"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := utcSeconds(raw)
		if !ok {
			return
		}
		var want time.Time
		if err := want.UnmarshalJSON(raw); err != nil {
			t.Fatalf("utcSeconds accepts %q, the reference refuses it: %v", raw, err)
		}
		if m, err := want.MarshalJSON(); err != nil || !bytes.Equal(m, raw) {
			t.Fatalf("utcSeconds accepts %q, which the reference writes as %q", raw, m)
		}
		if got != want {
			t.Fatalf("utcSeconds(%q) = %#v, reference %#v", raw, got, want)
		}
	})
}

// FuzzParseDigest checks ParseDigest's shortcut for a canonical digest against its general
// path, the reference.
func FuzzParseDigest(f *testing.F) {
	for _, s := range []string{"sha256:" + string(bytes.Repeat([]byte("0f"), 32)), "SHA256:" + string(bytes.Repeat([]byte("0F"), 32)),
		" sha256:" + string(bytes.Repeat([]byte("ab"), 32)), string(bytes.Repeat([]byte("ab"), 32)), "sha256:" + string(bytes.Repeat([]byte("ag"), 32))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isCanonicalDigest(s) {
			return
		}
		ref := func(s string) (Digest, error) {
			s = strings.ToLower(strings.TrimSpace(s))
			hexPart := strings.TrimPrefix(s, "sha256:")
			b, err := hex.DecodeString(hexPart)
			if err != nil || len(b) != sha256.Size {
				return "", errors.New("not a digest")
			}
			return Digest("sha256:" + hexPart), nil
		}
		if want, err := ref(s); err != nil || want != Digest(s) {
			t.Fatalf("isCanonicalDigest(%q), but the general path gives %q, %v", s, want, err)
		}
	})
}

// FuzzSigningJSON checks the signing statement's encoder against Marshal, the reference:
// where it reports the encoding its own, the bytes are Marshal's.
//
//	go test ./internal/seal -run '^$' -fuzz '^FuzzSigningJSON$' -fuzztime 30s
func FuzzSigningJSON(f *testing.F) {
	f.Add("Task Force North", "TFN-2026-000123", "Berths 3 & 4", "notice", "harbour", 2, 1, "sha256:00", "application/pdf")
	f.Add("Bureau du Préfet", "TFN-2026-000124", "Fermeture\u2028des quais", "", "", -1, 0, "", "text/plain")
	f.Add("مكتب", "TFN", "\"quoted\" \\ <b>", "c", "t\x01", 0, -3, "sha256:ff", "x")
	f.Add("a\xffb", "r", "s", "c", "t", 1, 1, "d", "m")
	f.Fuzz(func(t *testing.T, office, ref, subject, class, tag string, tags, version int, digest, media string) {
		st := SigningStatement{Office: office, Letter: Letter{Reference: ref, Subject: subject, Class: class},
			Version: version, Digest: Digest(digest), MediaType: media, Policy: Digest(digest + tag)}
		switch {
		case tags < 0:
			st.Addressees = []string{}
		case tags > 0:
			for range min(tags, 4) {
				st.Tags = append(st.Tags, tag)
			}
			st.Addressees = []string{class, tag}
		}
		got, ok := appendSigningJSON([]byte("x"), &st)
		if !ok {
			return
		}
		if want := append([]byte("x"), Marshal(st)...); !bytes.Equal(got, want) {
			t.Fatalf("appendSigningJSON:\n%s\nMarshal:\n%s", got, want)
		}
	})
}

// TestSameTimeAsJSON checks sameTime against the comparison of MarshalJSON's encodings it
// replaces, on times that encode alike and differently, and that fail to encode.
func TestSameTimeAsJSON(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	times := []time.Time{base, base.In(paris), base.Add(time.Nanosecond), base.Add(time.Second), {},
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		base.In(time.FixedZone("", 3600)), base.In(time.FixedZone("odd", 24*3600+60))}
	for _, a := range times {
		for _, b := range times {
			ma, err1 := a.MarshalJSON()
			mb, err2 := b.MarshalJSON()
			want := err1 == nil && err2 == nil && bytes.Equal(ma, mb)
			if got := sameTime(a, b); got != want {
				t.Errorf("sameTime(%v, %v) = %v, MarshalJSON says %v", a, b, got, want)
			}
		}
	}
}

// TestDecoderVerifySameAsVerify runs every case of both vector files through one Decoder's
// Verify, twice over, and through Parse and a fresh Verifier's Verify, the reference: the same
// error, word for word, or the same result. The second pass meets the strings the Decoder
// shares and the checkpoint and key entries it recognises.
func TestDecoderVerifySameAsVerify(t *testing.T) {
	for _, vectors := range []string{vectorsFile, vectorsV2File} {
		files, err := readVectors(vectors)
		if err != nil {
			t.Fatal(err)
		}
		verifier := func(name string) *Verifier {
			tr, err := ParseTrustRoot(files[name])
			if err != nil {
				t.Fatal(err)
			}
			return newTestVerifier(t, tr)
		}
		warm := map[string]*Verifier{}
		var d Decoder
		lines := strings.Split(strings.TrimSpace(string(files["expect"])), "\n")
		for pass := range 2 {
			for _, line := range lines {
				f := strings.Fields(line)
				name, sealName, fileName, trustName := f[0], f[1], f[2], f[3]
				digest := DigestOf(files[fileName])
				var want *Result
				s, werr := Parse(files[sealName])
				if werr == nil {
					want, werr = verifier(trustName).Verify(s, digest)
				}
				if warm[trustName] == nil {
					warm[trustName] = verifier(trustName)
				}
				var got *Result
				s, err := d.Parse(files[sealName])
				if err == nil {
					got, err = d.Verify(warm[trustName], s, digest)
				}
				if fmt.Sprint(err) != fmt.Sprint(werr) {
					t.Fatalf("%s %s, pass %d: Decoder.Verify: %v, Verify: %v", vectors, name, pass, err, werr)
				}
				if err == nil && !reflect.DeepEqual(got, want) {
					t.Fatalf("%s %s, pass %d: Decoder.Verify and Verify disagree:\n%s\n%s", vectors, name, pass, Marshal(got), Marshal(want))
				}
			}
		}
	}
}

// TestDecoderSharesBounded checks that the strings a Decoder shares are the strings read, and
// that it keeps a bounded number of them, none longer than maxSharedLen.
func TestDecoderSharesBounded(t *testing.T) {
	var d Decoder
	for i := range 3 * maxShared {
		q := fmt.Appendf(nil, "office %d", i%(2*maxShared))
		if s := d.intern(q); s != string(q) {
			t.Fatalf("intern(%q) = %q", q, s)
		}
		if len(d.strs) > maxShared {
			t.Fatalf("%d strings kept, more than %d", len(d.strs), maxShared)
		}
	}
	long := bytes.Repeat([]byte("x"), maxSharedLen+1)
	if s := d.intern(long); s != string(long) || d.strs[string(long)] != "" {
		t.Fatal("a string longer than maxSharedLen was kept, or changed")
	}
	a := d.intern([]byte("Task Force North"))
	if b := d.intern([]byte("Task Force North")); unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatal("the same bytes read twice were not shared")
	}
}

// TestDecoderVerifyAllocations bounds the allocations of a folder letter's seal through a
// Decoder (BenchmarkFolderSeal): the seal's garbage drives the collections of a folder's
// verification (issue 19 item 2). Allocations are counted, not timed.
func TestDecoderVerifyAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a log of 5,000 entries")
	}
	if raceEnabled {
		t.Skip("-race changes what escapes to the heap")
	}
	for _, c := range []struct {
		format string
		max    float64
	}{{"v1", 20}, {"v2", 22}} {
		data, file, tr := folderSeal(t, c.format)
		v := newTestVerifier(t, tr)
		digest := DigestOf(file)
		var d Decoder
		n := testing.AllocsPerRun(200, func() {
			s, err := d.Parse(data)
			if err == nil {
				_, err = d.Verify(v, s, digest)
			}
			if err != nil {
				t.Fatal(err)
			}
		})
		if n > c.max {
			t.Errorf("%s: %.1f allocations a letter, want at most %.0f", c.format, n, c.max)
		}
	}
}

// TestAppendPayloadType checks the payload type the commitment hashes, written in place,
// against entry's for every kind.
func TestAppendPayloadType(t *testing.T) {
	for _, k := range entry.Kinds {
		if got := appendPayloadType([]byte("x"), k); string(got) != "x"+k.PayloadType() {
			t.Errorf("%s: %q, want %q", k, got, "x"+k.PayloadType())
		}
	}
}

// TestCommitmentAsDefined checks Commitment against its definition in docs/seal-format.md,
// for statements that fit the stack buffer and for longer ones.
func TestCommitmentAsDefined(t *testing.T) {
	for _, n := range []int{0, 700, 2048, 5000} {
		o := &Opening{Salt: fixedSalt(1), Statement: bytes.Repeat([]byte("s"), n)}
		for _, k := range entry.Kinds {
			h := sha256.New()
			h.Write([]byte("chancery-commitment v1\n" + k.PayloadType() + "\n"))
			h.Write(o.Salt)
			h.Write(o.Statement)
			if got := o.Commitment(k); !bytes.Equal(got, h.Sum(nil)) {
				t.Errorf("%s, statement of %d bytes: %x, want %x", k, n, got, h.Sum(nil))
			}
		}
	}
}

// FuzzVerifiersAgree runs the two paths by which Chancery's verifiers check a seal on the same
// bytes and compares their outcomes: the folder verifier's (chancery verify --offline and
// chancery-verify: a Decoder, and one Verifier whose caches every earlier seal of the run
// filled) and the online verifier's for a registry's seal (Parse, and a Verifier as fresh as
// a single run's). Both must refuse or both accept, with the same error and the same result.
// The seeds are every seal of the vectors against each of their letters and trust roots; the
// warm verifiers have verified all of them first, so a mutated seal meets the checkpoints and
// key entries of the real ones in the caches. (A seal is a few kilobytes: the default minimisation
// of a new input holds the counter at 0/sec for a minute, hence -fuzzminimizetime.)
//
//	go test ./internal/seal -run '^$' -fuzz '^FuzzVerifiersAgree$' -fuzztime 60s -fuzzminimizetime 2s
func FuzzVerifiersAgree(f *testing.F) {
	type vectors struct {
		seals, files [][]byte
		trusts       []*TrustRoot
		warm         []*Verifier
		d            Decoder
	}
	var vs []*vectors
	for _, path := range []string{vectorsFile, vectorsV2File} {
		files, err := readVectors(path)
		if err != nil {
			f.Fatal(err)
		}
		v := &vectors{}
		for name, data := range files {
			switch {
			case strings.HasPrefix(name, "seals/"):
				v.seals = append(v.seals, data)
			case strings.HasPrefix(name, "letter"):
				v.files = append(v.files, data)
			case strings.HasPrefix(name, "trust"):
				tr, err := ParseTrustRoot(data)
				if err != nil {
					f.Fatal(err)
				}
				v.trusts = append(v.trusts, tr)
			}
		}
		// Map order: sorted, so that a seed names the same seal, letter and trust root in
		// every run.
		slices.SortFunc(v.seals, bytes.Compare)
		slices.SortFunc(v.files, bytes.Compare)
		slices.SortFunc(v.trusts, func(a, b *TrustRoot) int {
			return strings.Compare(a.LogKey+a.OfficeKeys[0].KeyID, b.LogKey+b.OfficeKeys[0].KeyID)
		})
		for _, tr := range v.trusts {
			v.warm = append(v.warm, newTestVerifier(f, tr))
		}
		for _, s := range v.seals {
			for _, w := range v.warm {
				for _, file := range v.files {
					if p, err := v.d.Parse(s); err == nil {
						v.d.Verify(w, p, DigestOf(file))
					}
				}
			}
		}
		vs = append(vs, v)
	}
	for set, v := range vs {
		for _, s := range v.seals {
			for file := range v.files {
				for trust := range v.trusts {
					f.Add(uint8(set), uint8(file), uint8(trust), s)
				}
			}
			// The seal in other encodings than its canonical one, which both must refuse: a
			// field repeated (encoding/json keeps the last), spelled in another case (which
			// encoding/json matches) or escaped, white space, base64 with its unused bits set.
			for _, m := range [][]byte{
				bytes.Replace(s, []byte(`"keys":`), []byte(`"Keys":`), 1),
				bytes.Replace(s, []byte(`"release":`), []byte(`"rel\u0065ase":`), 1),
				bytes.Replace(s, []byte(`{"chancery_seal":`), []byte(`{"chancery_seal":1,"chancery_seal":`), 1),
				bytes.Replace(s, []byte(`"index":`), []byte(`"index":0,"index":`), 1),
				bytes.ReplaceAll(s, []byte(`,"`), []byte(` , "`)),
				bytes.Replace(s, []byte(`A=="`), []byte(`B=="`), 1),
				bytes.Replace(s, []byte(`A="`), []byte(`B="`), 1),
				lenientSignatureLine(s),
			} {
				f.Add(uint8(set), uint8(0), uint8(0), m)
			}
		}
	}
	f.Fuzz(func(t *testing.T, set, file, trust uint8, data []byte) {
		v := vs[int(set)%len(vs)]
		digest := DigestOf(v.files[int(file)%len(v.files)])
		tr := v.trusts[int(trust)%len(v.trusts)]
		var want *Result
		s, werr := Parse(data)
		if werr == nil {
			want, werr = newTestVerifier(t, tr).Verify(s, digest)
		}
		var got *Result
		ds, err := v.d.Parse(data)
		if err == nil {
			got, err = v.d.Verify(v.warm[int(trust)%len(v.trusts)], ds, digest)
		}
		if fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Fatalf("folder verifier: %v; online verifier: %v", err, werr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("the verifiers disagree:\n%s\n%s", Marshal(got), Marshal(want))
		}
	})
}

// lenientSignatureLine returns seal s with the unused bits of the last base64 character of its
// checkpoint's first signature line (the log's, 68 bytes: one '=') set, which x/mod's
// note.Open decodes to the same signature.
func lenientSignatureLine(s []byte) []byte {
	i := bytes.Index(s, []byte(`\n\n— `))
	j := bytes.Index(s[max(i, 0):], []byte(`=\n`))
	if i < 0 || j < 1 {
		return s
	}
	out := bytes.Clone(s)
	k := i + j - 1
	out[k] = b64Alphabet[strings.IndexByte(b64Alphabet, out[k])|3]
	return out
}
