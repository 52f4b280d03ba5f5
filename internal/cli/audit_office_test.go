package cli_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestOfficeAuditTrail: the audit events of endpoint changes (webhook.add, webhook.rekey,
// webhook.remove, recipient.add, recipient.retire...) name no letter, and had no reader but
// the database (fifty-seventh session's list): 'chancery audit REF' and its API route read a
// letter's events only. 'chancery audit --office' (GET /api/v1/audit) lists them for admins,
// newest first, a page at a time; others are refused.
func TestOfficeAuditTrail(t *testing.T) {
	o := newOffice(t)
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"])
	for _, args := range [][]string{
		{"webhook", "add", "records", "--url", "https://records.example.org/hooks"},
		{"webhook", "rekey", "records"},
		{"recipient", "add", "ministry", "--email", "registry@ministry.example"},
		{"recipient", "retire", "ministry"},
		{"webhook", "remove", "records"},
	} {
		if code, out, errs := runCLI(args...); code != cli.ExitOK {
			t.Fatalf("%v: exit %d, %s%s", args, code, out, errs)
		}
	}
	code, out, errs := runCLI("audit", "--office", "--json")
	var evs []struct {
		ID     int64  `json:"id"`
		Actor  string `json:"actor"`
		Action string `json:"action"`
		Detail string `json:"detail"`
	}
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &evs) != nil {
		t.Fatalf("audit --office --json: exit %d, %s%s", code, out, errs)
	}
	want := []string{"webhook.remove", "recipient.retire", "recipient.add", "webhook.rekey", "webhook.add"}
	if len(evs) < len(want) {
		t.Fatalf("audit --office: %d events, want at least %d: %s", len(evs), len(want), out)
	}
	for i, action := range want {
		if evs[i].Action != action || evs[i].Actor != "root" {
			t.Errorf("event %d of the office's trail: %+v, want %s by root", i, evs[i], action)
		}
		if i > 0 && evs[i].ID >= evs[i-1].ID {
			t.Errorf("the office's trail is not newest first: %d after %d", evs[i].ID, evs[i-1].ID)
		}
	}
	// The next page starts after the ID given.
	code, out, errs = runCLI("audit", "--office", "--before", strconv.FormatInt(evs[1].ID, 10), "--limit", "2")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != cli.ExitOK || len(lines) != 2 || !strings.HasPrefix(lines[0], strconv.FormatInt(evs[2].ID, 10)+" ") || !strings.Contains(lines[0], "recipient.add") ||
		!strings.Contains(lines[1], "webhook.rekey") {
		t.Errorf("audit --office --before %d --limit 2: exit %d\n%s%s", evs[1].ID, code, out, errs)
	}
	if code, out, errs = runCLI("audit", "--office", "--limit", "0"); code != cli.ExitError || out != "" || !strings.Contains(errs, "chancery: hint: ") {
		t.Errorf("audit --office --limit 0: exit %d, %q %s", code, out, errs)
	}
	if code, _, errs = runCLI("audit", "--office", "X-1"); code == cli.ExitOK {
		t.Errorf("audit --office with a reference: exit %d %s", code, errs)
	}
	t.Setenv("CHANCERY_TOKEN", o.tokens["rita"])
	if code, out, errs = runCLI("audit", "--office"); code == cli.ExitOK || out != "" || !strings.Contains(errs, "forbidden") {
		t.Errorf("audit --office by a reviewer: exit %d, %q %s", code, out, errs)
	}
}
