package datadir

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestErasedLettersRecord: erased letters recorded are read back; a letter is never taken
// out, two with one reference stay two; a damaged record is refused, not read as fewer.
func TestErasedLettersRecord(t *testing.T) {
	d := &Dir{Path: t.TempDir()}
	if es, err := d.ErasedLetters(); err != nil || es != nil {
		t.Fatalf("no record: %v, %v", es, err)
	}
	digest := "sha256:" + strings.Repeat("ab", 32)
	at := time.Date(2026, 12, 6, 22, 41, 19, 0, time.UTC)
	a := ErasedLetter{Reference: "TFN-2026-000004", Created: at, Digest: digest}
	b := ErasedLetter{Reference: "TFN-2026-000004", Created: at.Add(time.Hour), Digest: digest}
	if changed, err := d.AddErasedLetters([]ErasedLetter{b, a}); err != nil || !changed {
		t.Fatalf("add: %v, %v", changed, err)
	}
	if changed, err := d.AddErasedLetters([]ErasedLetter{a}); err != nil || changed {
		t.Fatalf("add again: %v, %v", changed, err)
	}
	es, err := d.ErasedLetters()
	if err != nil || !slices.Equal(es, []ErasedLetter{a, b}) {
		t.Fatalf("read back: %v, %v", es, err)
	}
	if _, err := d.AddErasedLetters([]ErasedLetter{{Reference: "A B", Created: at, Digest: digest}}); err == nil {
		t.Error("a reference with a space was recorded")
	}
	name := filepath.Join(d.Path, ErasedLettersFile)
	good, _ := os.ReadFile(name)
	for _, bad := range []string{
		"TFN-1 2026-12-06T22:41:19Z sha256:" + strings.Repeat("a", 63) + "\n",
		"TFN-1 2026-12-06T22:41:19Z sha256:" + strings.Repeat("A", 64) + "\n",
		"TFN-1 2026-12-06T22:41:19+01:00 " + digest + "\n",
		"TFN-1 2026-12-06T22:41:19Z " + strings.Repeat("a", 64) + "\n",
		"TFN-1  2026-12-06T22:41:19Z " + digest + "\n",
		string(good) + "\n",
	} {
		if err := os.WriteFile(name, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if es, err := d.ErasedLetters(); err == nil {
			t.Errorf("record %q read as %v", bad, es)
		}
	}
}
