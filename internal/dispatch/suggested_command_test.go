package dispatch

import (
	"context"
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
}
