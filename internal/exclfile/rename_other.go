//go:build !linux

package exclfile

import "errors"

// renameNoReplaceAt is not offered here: LinkOrCopy copies.
func renameNoReplaceAt(oldpath, newpath string) error {
	return errors.ErrUnsupported
}
