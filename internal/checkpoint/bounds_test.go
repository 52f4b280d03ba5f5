package checkpoint

import (
	"bytes"
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
