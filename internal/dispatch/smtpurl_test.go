package dispatch

import (
	"strings"
	"testing"
)

// TestSMTPURLErrorsNeverShowThePassword: serve's --smtp (or CHANCERY_SMTP_URL) that did not
// parse as a URL was quoted whole in the error serve prints to the journal, password
// included; a password with '#', '/' or a stray '%' is enough to break the parse.
func TestSMTPURLErrorsNeverShowThePassword(t *testing.T) {
	for _, s := range []string{
		"smtps://user:se#Kx7Wq@mail.example",
		"smtps://user:se/Kx7Wq@mail.example:465",
		"smtps://user:se%zzKx7Wq@mail.example",
		"smtps://user:se?Kx7Wq@mail.example",
		"smtps://user:Kx7Wq@mail.example:99999",
		"smtps://user:Kx7Wq@mail.example/path",
		"imap://user:Kx7Wq@mail.example",
		"smtps://user:12/Kx7Wq@mail.example",
	} {
		_, err := ParseSMTP(s)
		if err == nil {
			t.Errorf("ParseSMTP(%q) accepted it", s)
			continue
		}
		if strings.Contains(err.Error(), "Kx7Wq") {
			t.Errorf("ParseSMTP(%q): the error shows the password: %v", s, err)
		}
	}
}
