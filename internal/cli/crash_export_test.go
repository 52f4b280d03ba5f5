package cli

import "context"

// SetRestoreMovedIn has f called with each name a restore moves into the data directory, for
// crash tests that kill the process there.
func SetRestoreMovedIn(f func(name string)) { restoreMovedIn = f }

// SetBackupStaged has f called once a backup has copied the database to its staging
// directory, with the backup's context.
func SetBackupStaged(f func(ctx context.Context)) { backupStaged = f }
