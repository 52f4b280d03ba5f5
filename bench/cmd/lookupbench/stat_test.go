package main

import (
	"testing"
	"time"
)

// TestParseStat reads CPU time and minor faults from /proc/PID/stat lines, including a
// command name with spaces and parentheses.
func TestParseStat(t *testing.T) {
	for _, tc := range []struct {
		line   string
		cpu    time.Duration
		faults int64
	}{
		{"30049 (cat) R 29995 29995 17342 0 -1 4194304 101 0 0 0 7 3 0 0 20 0 1 0\n", 100 * time.Millisecond, 101},
		{"7 (a (b) c) S 1 7 7 0 -1 4194560 123456 9 2 0 250 50 0 0 20 0 9 0\n", 3 * time.Second, 123456},
		{"garbage", 0, 0},
		{"8 (x) S 1 2 3", 0, 0},
	} {
		cpu, faults := parseStat([]byte(tc.line))
		if cpu != tc.cpu || faults != tc.faults {
			t.Errorf("parseStat(%q) = %v, %d; want %v, %d", tc.line, cpu, faults, tc.cpu, tc.faults)
		}
	}
}
