package main

import (
	"slices"
	"testing"
	"time"
)

// TestParsePaces accepts whole milliseconds only, wrk's unit for a pause.
func TestParsePaces(t *testing.T) {
	got, err := parsePaces("2ms, 3ms,1s")
	if want := []time.Duration{2 * time.Millisecond, 3 * time.Millisecond, time.Second}; err != nil || !slices.Equal(got, want) {
		t.Errorf("parsePaces = %v, %v; want %v", got, err, want)
	}
	if got, err := parsePaces(""); err != nil || got != nil {
		t.Errorf("parsePaces(\"\") = %v, %v; want none", got, err)
	}
	for _, bad := range []string{"1500us", "0ms", "-2ms", "3", "2ms,x"} {
		if got, err := parsePaces(bad); err == nil {
			t.Errorf("parsePaces(%q) = %v; want an error", bad, got)
		}
	}
}

// TestPacedDelay draws pauses whose mean is the pace asked for.
func TestPacedDelay(t *testing.T) {
	for p, want := range map[time.Duration]string{
		time.Millisecond:      "function delay() return math.random(1, 1) end\n",
		3 * time.Millisecond:  "function delay() return math.random(1, 5) end\n",
		10 * time.Millisecond: "function delay() return math.random(1, 19) end\n",
	} {
		if got := pacedDelay(p); got != want {
			t.Errorf("pacedDelay(%v) = %q; want %q", p, got, want)
		}
	}
}
