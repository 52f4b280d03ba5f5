package datadir

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// FuzzErasedLetters reads arbitrary bytes as erased.releases.letters, the record a server
// reads at every start and restore --erased reads from a file an operator brings: ErasedLetters
// never panics, a record it accepts is, line for line and but for a missing last newline, what
// AddErasedLetters writes for what it read, and AddErasedLetters of one more letter keeps every
// one read and adds it.
func FuzzErasedLetters(f *testing.F) {
	digest := "sha256:" + strings.Repeat("0f", 32)
	for _, s := range []string{
		"",
		"\n",
		"TFN-2026-000004 2026-12-06T22:41:19Z " + digest + "\n",
		"TFN-2026-000004 2026-12-06T22:41:19.123456789Z " + digest + "\nTFN-2026-000001 2026-01-01T00:00:00Z " + digest + "\n",
		"TFN-2026-000004 2026-12-06T22:41:19Z " + digest,           // no final newline
		"TFN-2026-000004 2026-12-06T22:41:19Z " + digest + "\n\n",  // an empty line
		"TFN-2026-000004 2026-12-06T22:41:19.10Z " + digest + "\n", // a trailing zero
		"TFN-2026-000004 2026-12-06T23:41:19+01:00 " + digest + "\n",
		"TFN-2026-000004 2026-12-06T22:41:19Z " + digest + "\r\n",
		"TFN\u00a0X 2026-12-06T22:41:19Z " + digest + "\n",
		"TFN\xff 2026-12-06T22:41:19Z " + digest + "\n",
		"TFN 2026-12-06T22:41:19Z sha256:" + strings.Repeat("A", 64) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, record []byte) {
		d := &Dir{Path: t.TempDir()}
		if err := os.WriteFile(filepath.Join(d.Path, ErasedLettersFile), record, 0o600); err != nil {
			t.Fatal(err)
		}
		es, err := d.ErasedLetters()
		if err != nil {
			if es != nil {
				t.Fatalf("ErasedLetters(%q) failed (%v) with letters", record, err)
			}
			return
		}
		var lines []string
		for _, e := range es {
			lines = append(lines, e.line())
		}
		if got := strings.Join(lines, "\n"); got != strings.TrimSuffix(string(record), "\n") {
			t.Fatalf("ErasedLetters(%q) = %v, which is recorded as %q", record, es, got)
		}
		next := ErasedLetter{Reference: "NEXT-1", Created: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), Digest: "sha256:" + strings.Repeat("ee", 32)}
		if _, err := d.AddErasedLetters([]ErasedLetter{next}); err != nil {
			t.Fatalf("AddErasedLetters after %q: %v", record, err)
		}
		again, err := d.ErasedLetters()
		if err != nil {
			t.Fatalf("after AddErasedLetters to %q: %v", record, err)
		}
		for _, e := range append(es, next) {
			if !slices.Contains(again, e) {
				t.Fatalf("after AddErasedLetters to %q: %v lacks %v", record, again, e)
			}
		}
	})
}
