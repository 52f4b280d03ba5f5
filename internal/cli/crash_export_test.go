package cli

// SetRestoreMovedIn has f called with each name a restore moves into the data directory, for
// crash tests that kill the process there.
func SetRestoreMovedIn(f func(name string)) { restoreMovedIn = f }
