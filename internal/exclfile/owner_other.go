//go:build !unix

package exclfile

// replaceOwner and dirOwner keep a file's owner when root writes into a service user's
// directory (owner_unix.go); elsewhere files are the process's own.
func replaceOwner(string) (uid, gid int, err error) { return -1, -1, nil }

func dirOwner(string) (uid, gid int, err error) { return -1, -1, nil }
