package dispatch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
)

// TestSuggestedCommandNamesTheTrustRoot: the command a letter's message suggests for checking
// it with its seal runs as written. 'chancery verify' refuses to run without a trust root
// ("no trust root"), so the command passes --trust, and the message says where the office's
// trust root is (its registry's /api/v1/trust).
func TestSuggestedCommandNamesTheTrustRoot(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	o.recipient(t, "ministry", "registry@mod.freedonia.example")
	ref, err := o.r.CreateLetter(ctx, o.drafter, registry.NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence of Freedonia"}, File: registry.Upload{Name: "letter.txt", Data: []byte("The brigade moves north.")}})
	if err != nil {
		t.Fatal(err)
	}
	o.approveAndSign(t, ref)
	if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
		t.Fatal(err)
	}
	out, err := o.r.Compose(ctx, takeAgain(t, o))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`chancery verify (.*)\n`).FindStringSubmatch(out.Text)
	if m == nil {
		t.Fatalf("no suggested command in %s", out.Text)
	}
	if !strings.HasPrefix(m[1], "--trust trust.json ") || !strings.HasSuffix(m[1], " letter.pdf") {
		t.Errorf("the suggested command is 'chancery verify %s', which runs only with --trust trust.json before the file", m[1])
	}
	trust := strings.TrimRight(o.r.TrustRoot().BaseURL, "/") + "/api/v1/trust"
	if !strings.Contains(out.Text, trust) {
		t.Errorf("the message does not say where trust.json is (%s):\n%s", trust, out.Text)
	}
	// The trust root's fingerprint (docs/seal-format.md, "Fingerprint"), computed here from
	// the bytes the registry serves, to compare with the one the office publishes.
	tb, err := o.r.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(tb)
	h := hex.EncodeToString(sum[:])
	var groups []string
	for i := 0; i < len(h); i += 4 {
		groups = append(groups, h[i:i+4])
	}
	if fp := strings.Join(groups, " "); !strings.Contains(out.Text, "The trust root's fingerprint (the SHA-256 of trust.json) is\n  "+fp+"\ncompare it with the one the office publishes") {
		t.Errorf("the message does not give the trust root's fingerprint %s:\n%s", fp, out.Text)
	}
}
