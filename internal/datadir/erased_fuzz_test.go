package datadir

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzErased reads arbitrary bytes as erased.releases, the record a server reads at every
// start (a file of the data directory, which a restore or an operator may have changed): Erased
// never panics, and a record it accepts holds increasing indexes and is, but for a missing
// last newline, the record AddErased writes for what it read; AddErased of one more erasure
// after the last keeps every one read and adds it.
func FuzzErased(f *testing.F) {
	leaf := strings.Repeat("0f", 32)
	for _, s := range []string{
		"",
		"0 " + leaf + "\n",
		"3 " + leaf + "\n7 " + strings.Repeat("a", 64) + "\n",
		"3 " + leaf,          // no final newline
		"3 " + leaf + "\n\n", // an empty line
		"\n",                 // an empty line alone
		"03 " + leaf + "\n",  // leading zero
		"+3 " + leaf + "\n",  // sign
		"-0 " + leaf + "\n",  // negative zero
		"3  " + leaf + "\n",  // two spaces
		"3 " + strings.ToUpper(leaf) + "\n",
		"7 " + leaf + "\n3 " + leaf + "\n", // not increasing
		"3 " + leaf + "\n3 " + leaf + "\n", // twice
		"9223372036854775807 " + leaf + "\n",
		"9223372036854775808 " + leaf + "\n", // overflow
		"3 " + leaf + "\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, record []byte) {
		d := &Dir{Path: t.TempDir()}
		name := filepath.Join(d.Path, ErasedFile)
		if err := os.WriteFile(name, record, 0o600); err != nil {
			t.Fatal(err)
		}
		es, err := d.Erased()
		if err != nil {
			if es != nil {
				t.Fatalf("Erased(%q) failed (%v) with erasures", record, err)
			}
			return
		}
		var b bytes.Buffer
		for i, e := range es {
			if e.Index < 0 || i > 0 && e.Index <= es[i-1].Index {
				t.Fatalf("Erased(%q) = %v: indexes not increasing", record, es)
			}
			fmt.Fprintf(&b, "%d %x\n", e.Index, e.Leaf)
		}
		if !bytes.Equal(b.Bytes(), record) && !bytes.Equal(b.Bytes(), append(bytes.Clone(record), '\n')) {
			t.Fatalf("Erased(%q) = %v, which is recorded as %q", record, es, b.Bytes())
		}
		if len(es) > 0 && es[len(es)-1].Index == 1<<63-1 {
			return
		}
		next := Erasure{Index: 0, Leaf: [32]byte{0xee}}
		if len(es) > 0 {
			next.Index = es[len(es)-1].Index + 1
		}
		if changed, err := d.AddErased([]Erasure{next}); err != nil || !changed {
			t.Fatalf("AddErased after %q: %v, %v", record, changed, err)
		}
		again, err := d.Erased()
		if err != nil || !slices.Equal(again, append(es, next)) {
			t.Fatalf("after AddErased to %q: %v, %v; want %v", record, again, err, append(es, next))
		}
	})
}
