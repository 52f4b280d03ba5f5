package datadir

import (
	"testing"
)

// TestErasedRecordStaysReadable: the record is read within maxErasedFile bytes, and a server
// that cannot read it refuses to start; AddErased refuses to write a record past that bound
// (the old one stays, readable), rather than write one the next start refuses.
func TestErasedRecordStaysReadable(t *testing.T) {
	d := &Dir{Path: t.TempDir()}
	first := []Erasure{{Index: 1, Leaf: [32]byte{1}}}
	if _, err := d.AddErased(first); err != nil {
		t.Fatal(err)
	}
	// Lines of 76 bytes: a ten-digit index, a space, 64 hex digits and a newline.
	es := make([]Erasure, maxErasedFile/76+1)
	for i := range es {
		es[i] = Erasure{Index: 1_000_000_000 + int64(i), Leaf: [32]byte{2}}
	}
	if _, err := d.AddErased(es); err == nil {
		t.Errorf("a record past %d bytes: %v, want refused", maxErasedFile, err)
	}
	got, err := d.Erased()
	if err != nil || len(got) != 1 || got[0] != first[0] {
		t.Fatalf("the record after: %d erasures, %v; want the first alone", len(got), err)
	}
}
