package main

import (
	"bytes"
	"testing"
)

func TestEntryFiller(t *testing.T) {
	for _, source := range []string{"pcg", "crypto"} {
		a, b := entryFiller(source, 0), entryFiller(source, 1)
		seen := map[string]bool{}
		for _, fill := range []func([]byte){a, a, b, b} {
			// 13 bytes: the tail after the last whole word is filled too.
			e := make([]byte, 13)
			fill(e)
			if bytes.Count(e, []byte{0}) > 4 {
				t.Errorf("%s: entry %x is mostly unfilled", source, e)
			}
			if seen[string(e)] {
				t.Errorf("%s: entry %x made twice", source, e)
			}
			seen[string(e)] = true
		}
	}
}
