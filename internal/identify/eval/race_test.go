//go:build race

package eval

// raceEnabled reports a -race build, in which TestTargets runs a smaller evaluation: the
// race detector makes fingerprinting about ten times slower.
const raceEnabled = true
