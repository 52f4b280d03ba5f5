package cli

import "strings"

// converterHint adds advice to the registry's refusal of a Word or OpenDocument letter's
// release, draft copy or preview on a server without LibreOffice: the letter itself is fine,
// the server lacks a program.
func converterHint(err error) error {
	if err == nil || !strings.Contains(err.Error(), "has no converter") {
		return err
	}
	return withHint(err, "the server's operator installs LibreOffice (Debian: apt-get install libreoffice-writer-nogui) and restarts chancery serve, "+
		"or sets the path of soffice in the converter setting; drafting, review and signing go on meanwhile")
}
