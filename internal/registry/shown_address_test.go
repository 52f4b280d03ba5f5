package registry

import "testing"

// TestShownAddress: an address whose domain is in other letters than ASCII's is shown with
// the domain's A-labels beside it, where mail goes, so that a look-alike of another domain
// ("аррӏе.com" in Cyrillic) is told from it; any other address is shown as written.
func TestShownAddress(t *testing.T) {
	for in, want := range map[string]string{
		"registry@аррӏе.com":         "registry@аррӏе.com (xn--80ak6aa92e.com)",
		"registry@ministère.example": "registry@ministère.example (xn--ministre-60a.example)",
		"registry@MINISTÈRE.example": "registry@MINISTÈRE.example (xn--ministre-60a.example)",
		"registry@mod.example":       "registry@mod.example",
		"Registry@MOD.example":       "Registry@MOD.example",
		"müller@mod.example":         "müller@mod.example",
		"a@xn--80ak6aa92e.com":       "a@xn--80ak6aa92e.com",
		"a@[192.0.2.1]":              "a@[192.0.2.1]",
		"a@-ü.example":               "a@-ü.example",
		"no address":                 "no address",
	} {
		if got := ShownAddress(in); got != want {
			t.Errorf("ShownAddress(%q) = %q, want %q", in, got, want)
		}
	}
}
