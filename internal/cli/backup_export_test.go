package cli

// SetRestoreStep has f called with each step a restore has done ("unpacked", "verified",
// "staged"), for crash tests that kill the process there.
func SetRestoreStep(f func(step string)) { restoreStep = f }

// SetBackupListed has f called once a backup has listed and hashed the files it holds,
// before it writes them.
func SetBackupListed(f func()) { backupListed = f }
