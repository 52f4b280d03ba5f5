package monitor

import "testing"

// SetProgressEvery makes passes save their progress every n entry bundles for the test.
func SetProgressEvery(t testing.TB, n int) {
	old := progressEvery
	progressEvery = n
	t.Cleanup(func() { progressEvery = old })
}
