package checkpoint

import (
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// statusVector is the status note of docs/seal-format.md ("Kept seals"), signed by the fuzz
// targets' fixed key: Ed25519 signatures are deterministic, so its bytes are fixed.
const statusVector = "chancery-status/v1\nfuzz.example/log\n13\n+/+/PgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAP4=\n3\nvalid\n1\n"

func TestStatusVector(t *testing.T) {
	st := Status{Origin: fuzzOrigin, Size: 13, Root: fuzzRoot, Release: 3, Outcome: "valid", Revocations: 1}
	if got := string(st.Marshal()); got != statusVector {
		t.Fatalf("Marshal:\n%s\nwant:\n%s", got, statusVector)
	}
	parsed, err := ParseStatus([]byte(statusVector))
	if err != nil || parsed != st {
		t.Fatalf("ParseStatus: %+v, %v", parsed, err)
	}
}

func TestOpenStatus(t *testing.T) {
	s, err := note.NewSigner(fuzzSignerKey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(fuzzVerifierKey)
	if err != nil {
		t.Fatal(err)
	}
	st := Status{Origin: fuzzOrigin, Size: 13, Root: fuzzRoot, Release: 3, Outcome: "valid", Revocations: 1}
	signed, err := note.Sign(&note.Note{Text: string(st.Marshal())}, s)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := OpenStatus(signed, v); err != nil || got != st {
		t.Fatalf("OpenStatus: %+v, %v", got, err)
	}
	// A status note is not a checkpoint, and a checkpoint is not a status note, under the
	// same key.
	if _, _, err := Open(signed, v); err == nil {
		t.Error("a status note opened as a checkpoint")
	}
	cp, err := note.Sign(&note.Note{Text: string(Checkpoint{Origin: fuzzOrigin, Size: 13, Root: fuzzRoot}.Marshal())}, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenStatus(cp, v); err == nil {
		t.Error("a checkpoint opened as a status note")
	}
	// Another log's status, or a changed one, does not open.
	other := st
	other.Origin = "other.example/log"
	if signed, err := note.Sign(&note.Note{Text: string(other.Marshal())}, s); err != nil {
		t.Fatal(err)
	} else if _, err := OpenStatus(signed, v); err == nil {
		t.Error("a status of another origin opened")
	}
	if _, err := OpenStatus([]byte(strings.Replace(string(signed), "valid", "vaLid", 1)), v); err == nil {
		t.Error("a changed status opened")
	}
}

func TestParseStatusRefuses(t *testing.T) {
	root := strings.Split(statusVector, "\n")[3]
	for _, text := range []string{
		"",
		strings.TrimSuffix(statusVector, "\n"),
		strings.Replace(statusVector, StatusHeader, "chancery-status/v2", 1),
		strings.Replace(statusVector, "\n13\n", "\n013\n", 1),
		strings.Replace(statusVector, "\n13\n", "\n-13\n", 1),
		strings.Replace(statusVector, "\n3\nvalid", "\n13\nvalid", 1), // release not in the tree
		strings.Replace(statusVector, "\n3\nvalid", "\n03\nvalid", 1),
		strings.Replace(statusVector, root, strings.TrimSuffix(root, "="), 1),
		strings.Replace(statusVector, "valid", "Valid", 1),
		strings.Replace(statusVector, "valid", "", 1),
		strings.Replace(statusVector, "valid", "valid\nextra", 1),
		strings.Replace(statusVector, "fuzz.example/log", "", 1),
		strings.Replace(statusVector, "valid\n1\n", "valid\n", 1),
		strings.Replace(statusVector, "valid\n1\n", "valid\n01\n", 1),
		strings.Replace(statusVector, "valid\n1\n", "valid\n13\n", 1), // more revocations than entries
	} {
		if st, err := ParseStatus([]byte(text)); err == nil {
			t.Errorf("%q parsed: %+v", text, st)
		}
	}
}

// FuzzParseStatus: whatever parses marshals back to the same bytes.
func FuzzParseStatus(f *testing.F) {
	f.Add([]byte(statusVector))
	f.Add([]byte(Status{Origin: "o", Size: 1 << 62, Root: tlog.Hash{1}, Release: 1<<62 - 1, Outcome: "retracted", Revocations: 2}.Marshal()))
	f.Add([]byte(strings.Replace(statusVector, "\n13\n", "\n013\n", 1)))
	f.Add([]byte("chancery-status/v1\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		st, err := ParseStatus(text)
		if err != nil {
			return
		}
		if got := st.Marshal(); string(got) != string(text) {
			t.Fatalf("parsed %q, marshals to %q", text, got)
		}
		again, err := ParseStatus(st.Marshal())
		if err != nil || !reflect.DeepEqual(again, st) {
			t.Fatalf("round trip: %+v, %v", again, err)
		}
	})
}
