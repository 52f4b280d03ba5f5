package monitor

import "testing"

// SetProgressEvery makes passes save their progress every n entry bundles for the test.
func SetProgressEvery(t testing.TB, n int) {
	old := progressEvery
	progressEvery = n
	t.Cleanup(func() { progressEvery = old })
}

// SetEvidenceBounds sets the bounds on the evidence kept of a log for the test.
func SetEvidenceBounds(t testing.TB, conflicts, findings int, bytes int64) {
	old := evidenceBounds
	evidenceBounds.conflicts, evidenceBounds.findings, evidenceBounds.bytes = conflicts, findings, bytes
	t.Cleanup(func() { evidenceBounds = old })
}
