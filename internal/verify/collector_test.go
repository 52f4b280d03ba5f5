package verify

import (
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's setting.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// TestRoomierCollector: verify runs with verifyGCPercent unless GOGC is set; overlapping runs
// put the setting back when the last one ends, whatever order they end in.
func TestRoomierCollector(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(137))

	t.Setenv("GOGC", "")
	first := RoomierCollector()
	if p := gcPercent(); p != verifyGCPercent {
		t.Fatalf("during a run: GC percent %d, want %d", p, verifyGCPercent)
	}
	second := RoomierCollector()
	first()
	first() // a second call is a no-op, not a second run ending
	if p := gcPercent(); p != verifyGCPercent {
		t.Fatalf("one run of two ended: GC percent %d, want %d", p, verifyGCPercent)
	}
	second()
	if p := gcPercent(); p != 137 {
		t.Fatalf("after the runs: GC percent %d, want the 137 set before", p)
	}

	t.Setenv("GOGC", "50")
	restore := RoomierCollector()
	if p := gcPercent(); p != 137 {
		t.Fatalf("with GOGC set: GC percent %d, want it left at 137", p)
	}
	restore()
	if p := gcPercent(); p != 137 {
		t.Fatalf("with GOGC set, after the run: GC percent %d, want 137", p)
	}
}
