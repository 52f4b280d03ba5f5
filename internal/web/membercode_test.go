package web_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestMembersCodesAreNotCharged: a signed-in member with a role, whom the registry serves a
// letter whatever check code is given, gets the member's answer at /v/REF/CODE with a wrong
// code and spends none of the address's wrong codes. Before, each wrong code was charged
// (the member got 429 after ten, and so did everyone at the address) and answered with the
// public page, while /v/REF/CODE/file served the member the file.
func TestMembersCodesAreNotCharged(t *testing.T) {
	o := newOffice(t, server.Config{RateBurst: 1000})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	rita := o.client()
	rita.signIn("rita")
	for i := range server.CodeBurst + 5 {
		resp, body := rita.get("/v/" + ref + "/00000000000000000000000000000000")
		if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(body), "An unreleased draft") {
			t.Fatalf("member's wrong code %d: %s, want 200 and the member's answer for a draft", i+1, resp.Status)
		}
	}
	anon := o.client()
	for i := range server.CodeBurst {
		if resp, _ := anon.get("/v/" + ref + "/00000000000000000000000000000000"); resp.StatusCode != http.StatusOK {
			t.Fatalf("anonymous wrong code %d after the member's: %s, want 200", i+1, resp.Status)
		}
	}
	if resp, _ := anon.get("/v/" + ref + "/00000000000000000000000000000000"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("anonymous wrong code %d: %s, want 429", server.CodeBurst+1, resp.Status)
	}
}
