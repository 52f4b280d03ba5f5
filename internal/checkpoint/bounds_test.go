package checkpoint

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// TestParseRefusesTreesTlogCannotCompute: x/mod/sumdb/tlog never returns for a tree of 2^62
// entries or more, so a checkpoint or status of such a size, which the log key alone can sign,
// would hang the monitor, the witnesses and the verifiers that check a proof against it.
func TestParseRefusesTreesTlogCannotCompute(t *testing.T) {
	root := strings.Split(string(Checkpoint{Origin: "o", Root: fuzzRoot}.Marshal()), "\n")[2]
	for _, n := range []int64{MaxTreeSize + 1, 1<<62 + 1, 1<<63 - 1} {
		if c, err := Parse([]byte("o\n" + strconv.FormatInt(n, 10) + "\n" + root + "\n")); err == nil {
			t.Errorf("Parse accepted a tree of size %d: %+v", n, c)
		}
		st := Status{Origin: "o", Size: n, Root: fuzzRoot, Release: 1, Outcome: "valid"}
		if got, err := ParseStatus(st.Marshal()); err == nil {
			t.Errorf("ParseStatus accepted a tree of size %d: %+v", n, got)
		}
	}
	if c, err := Parse(Checkpoint{Origin: "o", Size: MaxTreeSize, Root: fuzzRoot}.Marshal()); err != nil || c.Size != MaxTreeSize {
		t.Errorf("Parse of the largest tree: %+v, %v", c, err)
	}
}

// TestOpenVerifiesEverySignatureOfTheLogKey: C2SP signed-note says a signature whose key name
// and ID are a known key's MUST be verified; note.Open verifies only the first line of each
// key. A checkpoint or status with a second line of the log key that does not verify is
// refused, so that Chancery and a verifier that follows the specification agree on it.
func TestOpenVerifiesEverySignatureOfTheLogKey(t *testing.T) {
	s, err := note.NewSigner(fuzzSignerKey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(fuzzVerifierKey)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(text []byte) []byte {
		b, err := note.Sign(&note.Note{Text: string(text)}, s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// bad is a line of the log key (its name and key hash) whose signature is not the note's.
	sig, _ := base64.StdEncoding.DecodeString(strings.Fields(string(sign([]byte("another text\n"))))[4])
	bad := []byte("— " + fuzzOrigin + " " + base64.StdEncoding.EncodeToString(sig) + "\n")

	cp := sign(Checkpoint{Origin: fuzzOrigin, Size: 7, Root: fuzzRoot}.Marshal())
	st := sign(Status{Origin: fuzzOrigin, Size: 7, Root: fuzzRoot, Release: 3, Outcome: "valid"}.Marshal())
	open := func(b []byte) error { _, _, err := Open(b, v); return err }
	openStatus := func(b []byte) error { _, err := OpenStatus(b, v); return err }
	for name, f := range map[string]func([]byte) error{"Open": open, "OpenStatus": openStatus} {
		good := cp
		if name == "OpenStatus" {
			good = st
		}
		if err := f(good); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The same line twice is one signature.
		if err := f(append(bytes.Clone(good), good[bytes.LastIndex(good, []byte("\n— "))+1:]...)); err != nil {
			t.Errorf("%s of a signature line repeated: %v", name, err)
		}
		var invalid *note.InvalidSignatureError
		if err := f(append(bytes.Clone(good), bad...)); !errors.As(err, &invalid) {
			t.Errorf("%s of a note with a second, bad signature of the log key: %v", name, err)
		}
	}
}

// setUnusedBits returns b64, padded standard base64 of a length that leaves unused bits in
// its last character (a length not a multiple of 3), with those bits set: the same bytes
// to a lenient decoder, not their canonical encoding.
func setUnusedBits(t *testing.T, b64 string) string {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	pad := len(b64) - len(strings.TrimRight(b64, "="))
	if pad == 0 {
		t.Fatalf("%q has no unused bits", b64)
	}
	i := len(b64) - pad - 1
	c := strings.IndexByte(alphabet, b64[i]) | (1<<(2*pad) - 1)
	return b64[:i] + string(alphabet[c]) + b64[i+1:]
}

// TestOpenRefusesSignaturesNotInCanonicalBase64: note.Open decodes a signature line
// leniently, so a line of the log key (or of a witness) whose last base64 character has its
// unused bits set verified, and one checkpoint had many spellings. RFC 4648 lets a decoder
// refuse them and Chancery's formats give each value one encoding: such a line of a known key
// is refused, the first or a later one; a line of an unknown key is still ignored.
func TestOpenRefusesSignaturesNotInCanonicalBase64(t *testing.T) {
	s, err := note.NewSigner(fuzzSignerKey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(fuzzVerifierKey)
	if err != nil {
		t.Fatal(err)
	}
	const witnessSigner = "PRIVATE+KEY+witness.example+6a57119a+AQQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"
	w, err := note.NewSigner(witnessSigner)
	if err != nil {
		t.Fatal(err)
	}
	wv, err := note.NewVerifier(mustVerifierKey(t, witnessSigner))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := note.Sign(&note.Note{Text: string(Checkpoint{Origin: fuzzOrigin, Size: 7, Root: fuzzRoot}.Marshal())}, s, w)
	if err != nil {
		t.Fatal(err)
	}
	st, err := note.Sign(&note.Note{Text: string(Status{Origin: fuzzOrigin, Size: 7, Root: fuzzRoot, Release: 3, Outcome: "valid"}.Marshal())}, s)
	if err != nil {
		t.Fatal(err)
	}
	// lines returns a note's text and blank line, and its signature lines.
	lines := func(b []byte) (string, []string) {
		text, sigs, _ := strings.Cut(string(b), "\n\n")
		return text + "\n\n", strings.SplitAfter(strings.TrimSuffix(sigs, "\n"), "\n")
	}
	// lenient spells a signature line with its unused bits set.
	lenient := func(line string) string {
		f := strings.Fields(line)
		return f[0] + " " + f[1] + " " + setUnusedBits(t, f[2]) + "\n"
	}
	head, sigs := lines(cp)
	logLine, witnessLine := sigs[0], sigs[1]+"\n"
	stHead, stSigs := lines(st)
	open := func(b []byte) error { _, _, err := Open(b, v); return err }
	openStatus := func(b []byte) error { _, err := OpenStatus(b, v); return err }
	openBoth := func(b []byte) error { _, err := OpenNote(b, note.VerifierList(v, wv)); return err }
	for _, c := range []struct {
		name string
		open func([]byte) error
		note string
	}{
		{"the log key's only line", open, head + lenient(logLine)},
		{"the log key's line, then the same line canonical", open, head + lenient(logLine) + logLine},
		{"the log key's line, then the same line not canonical", open, head + logLine + lenient(logLine)},
		{"a status's only line", openStatus, stHead + lenient(stSigs[0])},
		{"a witness's cosignature", openBoth, head + logLine + lenient(witnessLine)},
	} {
		if _, err := note.Open([]byte(c.note), note.VerifierList(v, wv)); err != nil {
			t.Fatalf("%s: note.Open refuses the note, so this test shows nothing: %v", c.name, err)
		}
		if err := c.open([]byte(c.note)); err == nil {
			t.Errorf("%s, its unused bits set: accepted", c.name)
		}
	}
	// Canonical, every spelling is accepted; an unknown key's line is ignored however spelt.
	for name, n := range map[string]string{
		"canonical":             head + logLine + witnessLine,
		"a line repeated":       head + logLine + logLine,
		"an unknown key's line": head + logLine + lenient(witnessLine),
	} {
		if err := open([]byte(n)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := openBoth([]byte(head + logLine + witnessLine)); err != nil {
		t.Errorf("cosigned: %v", err)
	}
}

// mustVerifierKey returns the verifier key of a note signer key.
func mustVerifierKey(t *testing.T, skey string) string {
	t.Helper()
	f := strings.Split(skey, "+")
	seed, err := base64.StdEncoding.DecodeString(f[4])
	if err != nil || len(seed) != 33 {
		t.Fatalf("signer key %q: %v", skey, err)
	}
	pub := ed25519.NewKeyFromSeed(seed[1:]).Public().(ed25519.PublicKey)
	return f[2] + "+" + f[3] + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, pub...))
}
