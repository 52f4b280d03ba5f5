package convert

// SetFileSizeLimit sets fileSizeLimit for a test, returning a function that restores it.
func SetFileSizeLimit(n int64) (restore func()) {
	old := fileSizeLimit
	fileSizeLimit = n
	return func() { fileSizeLimit = old }
}
