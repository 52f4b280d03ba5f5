package cli

// SetSyncDir has f called with each directory a backup or a restore syncs, before it syncs
// it, until the returned function is called.
func SetSyncDir(f func(dir string)) (reset func()) {
	old := syncDir
	syncDir = func(dir string) error {
		f(dir)
		return old(dir)
	}
	return func() { syncDir = old }
}
