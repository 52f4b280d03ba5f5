package cli

// SetMaxIdentifyFile sets the bound on the file identify reads, 64 MiB, to n bytes, and
// returns the function that restores it: reading 64 MiB under the race detector took the
// test of the bound ten seconds a reading.
func SetMaxIdentifyFile(n int) (restore func()) {
	old := maxIdentifyFile
	maxIdentifyFile = n
	return func() { maxIdentifyFile = old }
}

// SetKeyWorkFactor sets the scrypt work factor of the key files the commands write (age's
// default, 18, costs a second a file; the command-line scripts write and open some thirty).
func SetKeyWorkFactor(logN int) { keyWorkFactor = logN }
