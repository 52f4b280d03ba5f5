package cli

import "context"

// SetRestoreMovedIn has f called with each name a restore moves into the data directory, for
// crash tests that kill the process there.
func SetRestoreMovedIn(f func(name string)) { restoreMovedIn = f }

// SetInitStep has f called with the name of each step of init once it is done ("printed":
// the admin's token is on stdout), for crash tests that kill the process there.
func SetInitStep(f func(step string)) { initStep = f }

// SetRotateStep has f called with the name of each step of 'key rotate office' once it is
// done ("committed": the rotation is in the store), for crash tests that kill the process
// there.
func SetRotateStep(f func(step string)) { rotateStep = f }

// SetBackupStaged has f called once a backup has copied the database to its staging
// directory, with the backup's context.
func SetBackupStaged(f func(ctx context.Context)) { backupStaged = f }

// SetRestoreStaged has f called once a restore has unpacked the backup into its staging
// directory, with the restore's context.
func SetRestoreStaged(f func(ctx context.Context)) { restoreStaged = f }
