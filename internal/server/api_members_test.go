package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
)

func TestAPIMembers(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	var list []registry.MemberView
	e.do(t, "admin", "GET", "/api/v1/members", "", nil, http.StatusOK, &list)
	var names []string
	for _, m := range list {
		names = append(names, m.Name+":"+strings.Join(m.Roles, ",")+":"+m.State)
	}
	if got, want := fmt.Sprint(names), "[admin:admin:active drafter:drafter:active reviewer:reviewer:active signer:signer:active release:release:active]"; got != want {
		t.Errorf("members %s, want %s", got, want)
	}
	e.do(t, "reviewer", "GET", "/api/v1/members", "", nil, http.StatusForbidden, nil)
	e.do(t, "", "GET", "/api/v1/members/reviewer", "", nil, http.StatusUnauthorized, nil)
	e.do(t, "admin", "GET", "/api/v1/members/nobody", "", nil, http.StatusNotFound, nil)

	// Roles.
	var v registry.MemberView
	e.do(t, "admin", "POST", "/api/v1/members/reviewer/roles", "application/json", strings.NewReader(`{"add":["signer"],"remove":["reviewer"]}`), http.StatusOK, &v)
	if fmt.Sprint(v.Roles) != "[signer]" {
		t.Errorf("roles after the change: %v", v.Roles)
	}
	e.do(t, "admin", "POST", "/api/v1/members/reviewer/roles", "application/json", strings.NewReader(`{"add":["pope"]}`), http.StatusBadRequest, nil)
	e.do(t, "admin", "POST", "/api/v1/members/reviewer/roles", "application/json", strings.NewReader(`{"add":["signer"]}`), http.StatusConflict, nil)
	e.do(t, "admin", "POST", "/api/v1/members/reviewer/roles", "application/json", strings.NewReader(`{"grant":["signer"]}`), http.StatusBadRequest, nil)
	e.do(t, "signer", "POST", "/api/v1/members/reviewer/roles", "application/json", strings.NewReader(`{"add":["admin"]}`), http.StatusForbidden, nil)

	// A new token: the old one is refused at once.
	var issued struct{ Name, Token string }
	old := e.tokens["drafter"]
	e.do(t, "admin", "POST", "/api/v1/members/drafter/token", "", nil, http.StatusOK, &issued)
	if issued.Name != "drafter" || !strings.HasPrefix(issued.Token, "chy_") {
		t.Fatalf("issued %+v", issued)
	}
	e.do(t, "drafter", "GET", "/api/v1/letters/API-1", "", nil, http.StatusUnauthorized, nil)
	e.tokens["drafter"] = issued.Token
	e.do(t, "drafter", "GET", "/api/v1/letters/API-1", "", nil, http.StatusNotFound, nil)
	if old == issued.Token {
		t.Error("the same token was issued again")
	}

	// Disabled: the token gets 401 at once; twice is a conflict; enable gives a new token.
	e.do(t, "admin", "POST", "/api/v1/members/release/disable", "", nil, http.StatusOK, &v)
	if v.State != registry.MemberDisabled || v.DisabledAt == nil {
		t.Errorf("after disable: %+v", v)
	}
	e.do(t, "release", "GET", "/api/v1/letters/API-1", "", nil, http.StatusUnauthorized, nil)
	e.do(t, "admin", "POST", "/api/v1/members/release/disable", "", nil, http.StatusConflict, nil)
	e.do(t, "admin", "POST", "/api/v1/members/admin/disable", "", nil, http.StatusBadRequest, nil)
	e.do(t, "admin", "POST", "/api/v1/members/release/token", "", nil, http.StatusConflict, nil)
	e.do(t, "admin", "POST", "/api/v1/members/release/enable", "", nil, http.StatusOK, &issued)
	e.tokens["release"] = issued.Token
	e.do(t, "release", "GET", "/api/v1/letters/API-1", "", nil, http.StatusNotFound, nil)
	e.do(t, "admin", "POST", "/api/v1/members/release/enable", "", nil, http.StatusConflict, nil)

	// Answers that carry a token are not cached.
	resp := e.do(t, "admin", "POST", "/api/v1/members/signer/token", "", nil, http.StatusOK, nil)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q on a new token", cc)
	}
}
