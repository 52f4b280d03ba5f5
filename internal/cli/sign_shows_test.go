package cli_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/registry"
)

// TestSignShowsTheStatementBeforeThePassphrase: 'chancery sign' printed what it signs after
// the key was opened, then uploaded the signature at once, so the signer typed their
// passphrase (their consent) before seeing the statement, and saw it when it could no longer
// be refused; nor did the line name the letter's tags, which the policy's rules read, or the
// office. The line now comes before the key is opened: a passphrase that does not open the
// key shows it and signs nothing.
func TestSignShowsTheStatementBeforeThePassphrase(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: "Coordination", Class: "foreign-government",
		Tags: []string{"force-posture"}, Addressees: []string{"Ministry of Defence"},
		File: registry.Upload{Name: "letter.md", MediaType: "text/markdown", Data: []byte("# Coordination\n\nSir.\n")}})
	if err != nil {
		t.Fatal(err)
	}
	key := samKeyFile(t, o)
	t.Setenv(keys.PassphraseEnv, "not sam's passphrase")
	code, _, errs := o.run("sam", "sign", ref, "--key", key)
	line := "signing " + ref + ` "Coordination" (foreign-government, tags force-posture, to Ministry of Defence), version 1 `
	shown := strings.Index(errs, line)
	refused := strings.Index(errs, "chancery: error: the passphrase does not open")
	if code != cli.ExitError || shown < 0 || refused < shown || !strings.Contains(errs, `for "CLI Office"`) {
		t.Fatalf("sign with a wrong passphrase: exit %d, want the statement (%q, office) shown before the refusal:\n%s", code, line, errs)
	}
	v, err := o.reg.Letter(ctx, o.actors["sam"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Signatures) != 0 {
		t.Errorf("signed with a wrong passphrase: %d signatures", len(v.Signatures))
	}
}
