package datadir

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestErasedRecord: erasures recorded are read back by index; one of a log replaced since (at
// an index the record holds with another leaf) takes the recorded one's place; a damaged
// record is refused, not read as fewer erasures.
func TestErasedRecord(t *testing.T) {
	d := &Dir{Path: t.TempDir()}
	if es, err := d.Erased(); err != nil || es != nil {
		t.Fatalf("no record: %v, %v", es, err)
	}
	a, b := Erasure{Index: 7, Leaf: [32]byte{1}}, Erasure{Index: 3, Leaf: [32]byte{2}}
	if changed, err := d.AddErased([]Erasure{a, b}); err != nil || !changed {
		t.Fatalf("add: %v, %v", changed, err)
	}
	if changed, err := d.AddErased([]Erasure{b}); err != nil || changed {
		t.Fatalf("add again: %v, %v", changed, err)
	}
	replaced := Erasure{Index: 7, Leaf: [32]byte{3}}
	if _, err := d.AddErased([]Erasure{replaced}); err != nil {
		t.Fatal(err)
	}
	es, err := d.Erased()
	if err != nil || !slices.Equal(es, []Erasure{b, replaced}) {
		t.Fatalf("read back: %v, %v", es, err)
	}
	name := filepath.Join(d.Path, ErasedFile)
	good, _ := os.ReadFile(name)
	for _, bad := range []string{
		"7 " + strings.Repeat("0", 63) + "\n",
		"07 " + strings.Repeat("0", 64) + "\n",
		"-1 " + strings.Repeat("0", 64) + "\n",
		"7 " + strings.Repeat("A", 64) + "\n",
		string(good) + "\n",
		"8 " + strings.Repeat("0", 64) + "\n" + "7 " + strings.Repeat("0", 64) + "\n",
	} {
		if err := os.WriteFile(name, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if es, err := d.Erased(); err == nil {
			t.Errorf("record %q read as %v", bad, es)
		}
	}
}
