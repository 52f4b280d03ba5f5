package monitor

import (
	"testing"
	"time"
)

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

// SetCatchUpPasses sets, for the test, how many passes in a row Run gives an unfinished log.
func SetCatchUpPasses(t testing.TB, n int) {
	old := catchUpPasses
	catchUpPasses = n
	t.Cleanup(func() { catchUpPasses = old })
}

// SetWait has Run wait, for the test, on the channel f returns for the time to wait.
func SetWait(t testing.TB, f func(time.Duration) <-chan time.Time) {
	old := wait
	wait = f
	t.Cleanup(func() { wait = old })
}
