package registry

import (
	"strconv"
	"strings"
	"testing"
)

// TestShownCacheBoundedByBytes: a kept text may be of 4 MiB, and 4096 of them would have held
// gigabytes (found by the session's review): the cache starts afresh before what it holds
// passes maxShownBytes, and keeps no value larger than that.
func TestShownCacheBoundedByBytes(t *testing.T) {
	var c shownTexts
	mib := strings.Repeat("x", 1<<20)
	for i := range 200 {
		c.put(0, strconv.Itoa(i), mib)
		if c.bytes > maxShownBytes {
			t.Fatalf("after %d texts of 1 MiB the cache holds %d bytes", i+1, c.bytes)
		}
	}
	if _, ok := c.get("199"); !ok {
		t.Error("the latest text is not kept")
	}
	c.put(0, "huge", strings.Repeat("x", maxShownBytes+1))
	if _, ok := c.get("huge"); ok {
		t.Error("a text over the bound is kept")
	}
}
