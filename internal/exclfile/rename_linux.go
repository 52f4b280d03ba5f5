package exclfile

import "golang.org/x/sys/unix"

// renameNoReplaceAt renames oldpath to newpath unless newpath exists (EEXIST), atomically;
// EINVAL where the file system cannot refuse to replace.
func renameNoReplaceAt(oldpath, newpath string) error {
	return unix.Renameat2(unix.AT_FDCWD, oldpath, unix.AT_FDCWD, newpath, unix.RENAME_NOREPLACE)
}
