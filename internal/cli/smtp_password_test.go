package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSMTPPasswordOffTheCommandLine: the only ways to give the SMTP server's password were
// the URL in --smtp, which every account on the machine reads in the process list, or
// CHANCERY_SMTP_URL, and serve's help and hint showed --smtp smtps://user:pass@host.
// --smtp-password-file (CHANCERY_SMTP_PASSWORD_FILE) names a file, readable by its owner
// alone, that gives it; no help shows a password in --smtp.
func TestSMTPPasswordOffTheCommandLine(t *testing.T) {
	eachHelp(t, func(path, help string) {
		if strings.Contains(help, "user:pass@") {
			t.Errorf("'%s --help' tells to put the SMTP password on the command line", path)
		}
	})
	root := newRoot()
	serve, _, err := root.Find([]string{"serve"})
	if err != nil {
		t.Fatal(err)
	}
	if serve.Flags().Lookup("smtp-password-file") == nil {
		t.Fatal("serve has no --smtp-password-file")
	}

	dir := t.TempDir()
	pw := filepath.Join(dir, "smtp.pw")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sm, err := dispatchOpts{smtp: "smtps://mailer@mail.example", passwordFile: pw}.smtpServer()
	if err != nil || sm.User != "mailer" || sm.Password != "s3cret" {
		t.Fatalf("password from the file: %+v, %v", sm, err)
	}
	for _, c := range []struct {
		smtp, want string
		mode       os.FileMode
	}{
		{"smtps://mail.example", "needs a user name", 0o600},
		{"smtps://mailer:other@mail.example", "holds a password", 0o600},
		{"smtps://mailer@mail.example", "can be read or changed by others", 0o644},
	} {
		if err := os.Chmod(pw, c.mode); err != nil {
			t.Fatal(err)
		}
		_, err := dispatchOpts{smtp: c.smtp, passwordFile: pw}.smtpServer()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("--smtp %s, password file mode %v: %v, want %q", c.smtp, c.mode, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("the refusal shows the password: %v", err)
		}
	}
}
