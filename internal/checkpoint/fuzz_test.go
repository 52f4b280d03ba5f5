package checkpoint

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// The fuzz targets' log key, fixed (Ed25519 seed 32 bytes of 0x03) so that the committed
// corpus files under testdata/fuzz hold signatures that still verify.
const (
	fuzzOrigin      = "fuzz.example/log"
	fuzzSignerKey   = "PRIVATE+KEY+fuzz.example/log+07bf9c9b+AQMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMD"
	fuzzVerifierKey = "fuzz.example/log+07bf9c9b+Ae1JKMYo0cLG6ukDOJBZlWEpWSc6XGP5NjbBRhSshzfR"
)

func fuzzKeys(f *testing.F) (note.Signer, note.Verifier) {
	s, err := note.NewSigner(fuzzSignerKey)
	if err != nil {
		f.Fatal(err)
	}
	v, err := note.NewVerifier(fuzzVerifierKey)
	if err != nil {
		f.Fatal(err)
	}
	return s, v
}

// fuzzRoot is a root hash whose base64 uses '+', '/' and padding, the characters a
// non-strict decoder is lax about.
var fuzzRoot = tlog.Hash{0xfb, 0xff, 0xbf, 0x3e, 31: 0xfe}

func FuzzParse(f *testing.F) {
	root := Checkpoint{Origin: "o", Root: fuzzRoot}.Marshal()
	rootLine := strings.Split(string(root), "\n")[2]
	for _, s := range []string{
		string(Checkpoint{Origin: "example.org/log", Size: 42, Root: fuzzRoot}.Marshal()),
		string(Checkpoint{Origin: "example.org/log", Size: MaxTreeSize, Root: fuzzRoot, Extensions: []string{"ext one", "— ext two"}}.Marshal()),
		"o\n0\n" + rootLine + "\n",
		"o\n00\n" + rootLine + "\n",                         // leading zero
		"o\n-0\n" + rootLine + "\n",                         // negative zero
		"o\n+1\n" + rootLine + "\n",                         // sign
		"o\n9223372036854775808\n" + rootLine + "\n",        // overflow
		"o\n1\n" + rootLine,                                 // no final newline
		"o\n1\n" + rootLine + "\n\n",                        // empty extension line
		"o\n1\n" + strings.TrimSuffix(rootLine, "=") + "\n", // unpadded
		"\n1\n" + rootLine + "\n",
		"o\n1\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		c, err := Parse(text)
		if err != nil {
			return
		}
		if got := c.Marshal(); !bytes.Equal(got, text) {
			t.Fatalf("Parse(%q) = %+v, which marshals to %q: not canonical", text, c, got)
		}
	})
}

func FuzzOpen(f *testing.F) {
	s, v := fuzzKeys(f)
	sign := func(text string, signers ...note.Signer) []byte {
		b, err := note.Sign(&note.Note{Text: text}, signers...)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	witness, err := note.NewSigner("PRIVATE+KEY+witness.example+6a57119a+AQQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE")
	if err != nil {
		f.Fatal(err)
	}
	body := string(Checkpoint{Origin: fuzzOrigin, Size: 7, Root: fuzzRoot}.Marshal())
	good := sign(body, s)
	other := sign("another text\n", s)
	otherLine := other[bytes.LastIndex(other, []byte("\n— "))+1:]
	for _, seed := range [][]byte{
		good,
		sign(string(Checkpoint{Origin: fuzzOrigin, Root: fuzzRoot, Extensions: []string{"ext"}}.Marshal()), s),
		sign(body, s, witness), // a cosigned checkpoint
		sign(body, witness),    // signed by another key only
		sign("hello\n", s),     // a signed note that is no checkpoint
		sign(strings.Replace(body, fuzzOrigin, "other.example/log", 1), s), // origin is not the key's name
		bytes.Replace(good, []byte("\n7\n"), []byte("\n8\n"), 1),           // tampered body
		bytes.Replace(good, []byte("\n\n"), []byte("\n"), 1),               // no blank line
		good[:len(good)-1],
		append(bytes.Clone(good), otherLine...), // a second line of the log key, not the note's
		unusedBitsSet(good),                     // the log key's line in non-canonical base64
		append(bytes.Clone(good), unusedBitsSet(good)[len(good)-len(otherLine):]...), // and after the canonical one
		[]byte(body),
		nil,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, signed []byte) {
		c, n, err := Open(signed, v)
		if err != nil {
			return
		}
		if len(n.Sigs) == 0 {
			t.Fatalf("Open(%q) succeeded without a verified signature", signed)
		}
		body, err := Parse([]byte(n.Text))
		if err != nil {
			t.Fatalf("Open(%q) succeeded, but its body does not parse: %v", signed, err)
		}
		if !reflect.DeepEqual(body, c) || c.Origin != fuzzOrigin {
			t.Fatalf("Open(%q) = %+v, but the body parses as %+v", signed, c, body)
		}
		if size, err := Size(signed); err != nil || size != c.Size {
			t.Fatalf("Open(%q) = size %d, but Size = %d, %v", signed, c.Size, size, err)
		}
		// Every line of the log key verifies (C2SP signed-note), not only the first.
		for _, line := range strings.Split(strings.TrimSuffix(string(signed[len(n.Text)+1:]), "\n"), "\n") {
			name, b64, _ := strings.Cut(strings.TrimPrefix(line, "— "), " ")
			sig, err := base64.StdEncoding.DecodeString(b64)
			if err != nil || len(sig) < 5 {
				t.Fatalf("Open(%q) succeeded with the signature line %q", signed, line)
			}
			if name == v.Name() && binary.BigEndian.Uint32(sig) == v.KeyHash() && !v.Verify([]byte(n.Text), sig[4:]) {
				t.Fatalf("Open(%q) succeeded with a signature line of the log key that does not verify: %q", signed, line)
			}
			if name == v.Name() && binary.BigEndian.Uint32(sig) == v.KeyHash() && base64.StdEncoding.EncodeToString(sig) != b64 {
				t.Fatalf("Open(%q) succeeded with a signature line of the log key in non-canonical base64: %q", signed, line)
			}
		}
	})
}

// unusedBitsSet returns a signed note of one Ed25519 signature line (68 bytes, whose base64
// ends in one '=' after a character with two unused bits) with those bits set.
func unusedBitsSet(signed []byte) []byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := bytes.Clone(signed)
	i := len(b) - len("=\n") - 1
	b[i] = alphabet[strings.IndexByte(alphabet, b[i])|3]
	return b
}
