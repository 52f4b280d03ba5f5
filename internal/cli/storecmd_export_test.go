package cli

// SetMigrateCopied has f called once store migrate has committed its copy, before it
// verifies it.
func SetMigrateCopied(f func()) { migrateCopied = f }
