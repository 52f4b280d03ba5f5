package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelpHidesSecretsFromEnvironment: flags whose default is read from the environment
// (--database from CHANCERY_DATABASE, --smtp from CHANCERY_SMTP_URL) hold passwords, and
// cobra prints a flag's default in --help: a password set only in the service's environment
// would be shown to whoever asks for help, or pastes it in a bug report.
func TestHelpHidesSecretsFromEnvironment(t *testing.T) {
	t.Setenv("CHANCERY_DATABASE", "postgres://chancery:DBSECRET@db.example/chancery")
	t.Setenv("CHANCERY_SMTP_URL", "smtps://mailer:SMTPSECRET@mail.example")
	seen := 0
	eachHelp(t, func(path, help string) {
		if strings.Contains(help, "--database") || strings.Contains(help, "--smtp ") {
			seen++
		}
		for _, secret := range []string{"DBSECRET", "SMTPSECRET"} {
			if strings.Contains(help, secret) {
				t.Errorf("'%s --help' shows the password %s from the environment", path, secret)
			}
		}
	})
	if seen == 0 {
		t.Fatal("no command's help shows --database or --smtp")
	}
}

// TestSecretFlagsStillReadEnvironment: hiding the defaults keeps them in force.
func TestSecretFlagsStillReadEnvironment(t *testing.T) {
	const db = "postgres://chancery:DBSECRET@db.example/chancery"
	t.Setenv("CHANCERY_DATABASE", db)
	root := newRoot()
	serve, _, err := root.Find([]string{"serve"})
	if err != nil {
		t.Fatal(err)
	}
	if got := database(serve); got != db {
		t.Errorf("database(serve) = %q, want CHANCERY_DATABASE's %q", got, db)
	}
}

// TestHelpKeepsDatabasePasswordsOffCommandLines: a command line is visible to every account
// on the machine (ps, /proc), so no help tells an operator to put a database password in
// --database or --to; they name the password file instead.
func TestHelpKeepsDatabasePasswordsOffCommandLines(t *testing.T) {
	named := 0
	eachHelp(t, func(path, help string) {
		if strings.Contains(help, "postgres://USER:PASSWORD@") {
			t.Errorf("'%s --help' tells to put the database password on the command line", path)
		}
		if strings.Contains(help, "postgres://USER@") && strings.Contains(help, "PGPASSFILE") {
			named++
		}
	})
	if named == 0 {
		t.Fatal("no command's help names PGPASSFILE beside a postgres:// URL")
	}
}

// eachHelp calls f with the command path and the --help text of every command.
func eachHelp(t *testing.T, f func(path, help string)) {
	t.Helper()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		var out bytes.Buffer
		c.SetOut(&out)
		c.SetErr(&out)
		if err := c.Help(); err != nil {
			t.Fatalf("%s --help: %v", c.CommandPath(), err)
		}
		f(c.CommandPath(), out.String())
	}
	walk(newRoot())
}
