//go:build race

package seal

// raceEnabled reports a -race build, whose instrumentation moves values to the heap: the
// tests that count allocations skip it.
const raceEnabled = true
