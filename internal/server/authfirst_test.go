package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// authRoute is an API route that only members may call, with the member who lacks its role.
type authRoute struct {
	method, path string // {ref} stands for a letter's reference
	wrong        string // a member without the route's role
	ctype, body  string // a body the route refuses (empty, invalid or incomplete)
}

// memberRoutes lists every API route for members. TestAuthorizationBeforeTheBody checks that
// the list is whole against the routes this package registers.
var memberRoutes = []authRoute{
	{"GET", "/api/v1/audit", "signer", "", ""},
	{"POST", "/api/v1/members", "signer", "application/json", `{}`},
	{"GET", "/api/v1/members", "signer", "", ""},
	{"GET", "/api/v1/members/x%20y", "signer", "", ""},
	{"POST", "/api/v1/members/x%20y/roles", "signer", "application/json", `{}`},
	{"POST", "/api/v1/members/x%20y/disable", "signer", "", ""},
	{"POST", "/api/v1/members/x%20y/enable", "signer", "", ""},
	{"POST", "/api/v1/members/x%20y/token", "signer", "", ""},
	{"DELETE", "/api/v1/session", "norole", "", ""},
	{"GET", "/api/v1/changes", "signer", "", ""},
	{"GET", "/api/v1/changes/x", "signer", "", ""},
	{"POST", "/api/v1/changes/x/approve", "signer", "", ""},
	{"POST", "/api/v1/changes/x/refuse", "signer", "", ""},
	{"GET", "/api/v1/recipients", "norole", "", ""},
	{"POST", "/api/v1/recipients", "signer", "application/json", `{}`},
	{"PUT", "/api/v1/recipients/x%20y", "signer", "application/json", `[`},
	{"DELETE", "/api/v1/recipients/x%20y", "signer", "", ""},
	{"POST", "/api/v1/letters/{ref}/dispatch", "signer", "application/json", `{}`},
	{"POST", "/api/v1/letters/{ref}/dispatch/retry", "signer", "application/json", `[`},
	{"GET", "/api/v1/letters/{ref}/dispatches", "norole", "", ""},
	{"POST", "/api/v1/letters/{ref}/drafts/send", "release", "application/json", `{}`},
	{"GET", "/api/v1/webhooks", "signer", "", ""},
	{"POST", "/api/v1/webhooks", "signer", "application/json", `{}`},
	{"GET", "/api/v1/webhooks/deliveries", "signer", "", ""},
	{"DELETE", "/api/v1/webhooks/x%20y", "signer", "", ""},
	{"POST", "/api/v1/webhooks/x%20y/secret", "signer", "application/json", `[`},
	{"POST", "/api/v1/webhooks/x%20y/retry", "signer", "application/json", `[`},
	{"GET", "/api/v1/witnesses", "signer", "", ""},
	{"POST", "/api/v1/witnesses", "signer", "application/json", `{}`},
	{"DELETE", "/api/v1/witnesses/x%20y", "signer", "", ""},
	{"PUT", "/api/v1/witnesses/quorum", "signer", "application/json", `{}`},
	{"POST", "/api/v1/keys", "drafter", "application/json", `{}`},
	{"GET", "/api/v1/keys", "norole", "", ""},
	{"POST", "/api/v1/keys/x/revoke", "drafter", "application/json", `{}`},
	{"POST", "/api/v1/keys/x/rotate", "drafter", "application/json", `{}`},
	{"POST", "/api/v1/letters", "reviewer", "application/json", `{}`},
	{"GET", "/api/v1/letters?limit=x", "norole", "", ""},
	{"GET", "/api/v1/letters/{ref}", "norole", "", ""},
	{"POST", "/api/v1/letters/{ref}/versions", "reviewer", "application/json", `{}`},
	{"POST", "/api/v1/letters/{ref}/approve", "drafter", "application/json", `{"version":1}`},
	{"POST", "/api/v1/letters/{ref}/reject", "drafter", "application/json", `{}`},
	{"GET", "/api/v1/letters/{ref}/signing-statement?version=x", "drafter", "", ""},
	{"POST", "/api/v1/letters/{ref}/signatures", "drafter", "application/json", `{}`},
	{"POST", "/api/v1/letters/{ref}/release", "drafter", "application/json", `{"version":1}`},
	{"POST", "/api/v1/letters/{ref}/withdrawal-statement", "drafter", "application/json", `{}`},
	{"POST", "/api/v1/letters/{ref}/withdraw", "drafter", "application/json", `{}`},
	{"POST", "/api/v1/letters/{ref}/drafts", "release", "application/json", `{}`},
	{"GET", "/api/v1/letters/{ref}/preview", "admin", "", ""},
	{"GET", "/api/v1/letters/{ref}/audit", "norole", "", ""},
	{"POST", "/api/v1/letters/{ref}/erase", "signer", "application/json", `{}`},
	{"POST", "/api/v1/policy", "signer", "application/yaml", `rules: [`},
	{"GET", "/api/v1/policy", "norole", "", ""},
}

// publicRoutes are the API routes anyone may call.
var publicRoutes = map[string]bool{
	"GET /api/v1/letters/{ref}/file":   true,
	"GET /api/v1/letters/{ref}/seal":   true,
	"GET /api/v1/letters/{ref}/status": true,
	"POST /api/v1/verify":              true,
	"POST /api/v1/identify":            true,
	"GET /api/v1/trust":                true,
}

// TestAuthorizationBeforeTheBody: every API route for members answers a request without a
// token 401 and a member without its role 403, whatever the body, the query and the
// reference, before it reads them; and the answer to a request without a token, or from a
// member without the role, is the same for a reference that exists as for one that does not.
func TestAuthorizationBeforeTheBody(t *testing.T) {
	checkRoutesListed(t)
	e := newAPIEnv(t, 1<<20)
	var nobody struct{ Token string }
	e.do(t, "admin", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"norole","roles":["drafter"]}`), http.StatusCreated, &nobody)
	// A member whose provider took their last role away (the API keeps every member one).
	err := e.db.Update(context.Background(), func(tx *store.Tx) error {
		m, err := tx.MemberByName(context.Background(), "norole")
		if err != nil {
			return err
		}
		return tx.SetMemberRoles(context.Background(), m.ID, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	e.tokens["norole"] = nobody.Token
	var created struct{ Reference string }
	body, ct := letterForm(t, 100)
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, &created)
	for _, rt := range memberRoutes {
		for _, c := range []struct {
			who  string
			want int
		}{{"", http.StatusUnauthorized}, {rt.wrong, http.StatusForbidden}} {
			bodies := []string{rt.body}
			if rt.ctype == "application/json" {
				bodies = append(bodies, `{"unknown":1}`, `{`)
			}
			for _, body := range bodies {
				var answers []string
				for _, ref := range []string{created.Reference, "API-2099-9999"} {
					path := strings.ReplaceAll(rt.path, "{ref}", ref)
					resp, b := e.send(t, c.who, rt.method, path, rt.ctype, strings.NewReader(body))
					if resp.StatusCode != c.want {
						t.Errorf("%s %s as %q with %q: %d %s, want %d", rt.method, path, c.who, body, resp.StatusCode, b, c.want)
					}
					answers = append(answers, strings.ReplaceAll(string(b), ref, "REF"))
					if !strings.Contains(rt.path, "{ref}") {
						break
					}
				}
				if len(answers) == 2 && answers[0] != answers[1] {
					t.Errorf("%s %s as %q tells an existing reference from none: %s versus %s", rt.method, rt.path, c.who, answers[0], answers[1])
				}
			}
		}
	}
}

// checkRoutesListed fails the test for an API route this package registers that neither
// memberRoutes nor publicRoutes lists.
func checkRoutesListed(t *testing.T) {
	t.Helper()
	listed := map[string]bool{}
	for _, rt := range memberRoutes {
		p, _, _ := strings.Cut(rt.path, "?")
		p = regexp.MustCompile(`/x(%20y)?(/|$)`).ReplaceAllString(p, "/{x}$2")
		listed[rt.method+" "+p] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	pattern := regexp.MustCompile(`"((?:GET|POST|PUT|DELETE) /api/v1/[^"]*)"`)
	param := regexp.MustCompile(`\{(name|id|keyid)\}`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pattern.FindAllStringSubmatch(string(src), -1) {
			n++
			route := param.ReplaceAllString(m[1], "{x}")
			if !listed[route] && !publicRoutes[m[1]] {
				t.Errorf("route %s is in neither memberRoutes nor publicRoutes", m[1])
			}
		}
	}
	if n != len(memberRoutes)+len(publicRoutes) {
		t.Errorf("%d API routes registered, %d listed", n, len(memberRoutes)+len(publicRoutes))
	}
}

// TestRevokeKeyByItsOwnerOrAnAdmin: another signer is refused 403 before the body is judged,
// for a key that exists (by its ID or a prefix) as for one that does not; the owner, even
// without the signer role (whose removal revoked the key), is answered as before.
func TestRevokeKeyByItsOwnerOrAnAdmin(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	var other struct{ Token string }
	e.do(t, "admin", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"sue","roles":["signer"]}`), http.StatusCreated, &other)
	e.tokens["sue"] = other.Token
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var key struct{ KeyID string }
	e.do(t, "signer", "POST", "/api/v1/keys", "application/json", strings.NewReader(`{"public_key":"`+base64.StdEncoding.EncodeToString(pub)+`"}`), http.StatusCreated, &key)
	for _, id := range []string{key.KeyID, key.KeyID[:16], "0123456789abcdef"} {
		e.do(t, "sue", "POST", "/api/v1/keys/"+id+"/revoke", "application/json", strings.NewReader(`{}`), http.StatusForbidden, nil)
	}
	e.do(t, "admin", "POST", "/api/v1/members/signer/roles", "application/json", strings.NewReader(`{"add":["drafter"],"remove":["signer"]}`), http.StatusOK, nil)
	e.do(t, "signer", "POST", "/api/v1/keys/"+key.KeyID[:16]+"/revoke", "application/json", strings.NewReader(`{}`), http.StatusBadRequest, nil)
	e.do(t, "signer", "POST", "/api/v1/keys/"+key.KeyID[:16]+"/revoke", "application/json", strings.NewReader(`{"reason":"laptop lost"}`), http.StatusConflict, nil)
	e.do(t, "admin", "POST", "/api/v1/keys/"+key.KeyID+"/revoke", "application/json", strings.NewReader(`{"reason":"again"}`), http.StatusConflict, nil)
}
