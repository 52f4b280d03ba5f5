package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestMemberAnswersNameWhatTheyRefused: the answers of POST /api/v1/members/{name}/roles and
// .../disable name the pending changes they refused. A role change lists the role changes
// about the member it superseded as superseded, which no test of the server checked was absent
// when none (fifty-ninth session's review of 68c8773); and taking the admin role away, or
// disabling an admin, refused the changes the member had proposed without naming them
// (refuseChangesBy): they are listed as refused now, each key absent when none.
func TestMemberAnswersNameWhatTheyRefused(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	type answer struct {
		registry.MemberView
		Superseded []registry.ChangeView `json:"superseded"`
		Refused    []registry.ChangeView `json:"refused"`
	}
	post := func(who, path, body string, want int) (answer, map[string]json.RawMessage) {
		t.Helper()
		var ctype string
		var r io.Reader
		if body != "" {
			ctype, r = "application/json", strings.NewReader(body)
		}
		var raw map[string]json.RawMessage
		var a answer
		resp, b := e.send(t, who, "POST", path, ctype, r)
		if resp.StatusCode != want {
			t.Fatalf("POST %s as %q: %d %s, want %d", path, who, resp.StatusCode, b, want)
		}
		if json.Unmarshal(b, &raw) != nil || json.Unmarshal(b, &a) != nil {
			t.Fatalf("POST %s: %s", path, b)
		}
		return a, raw
	}
	absent := func(what string, raw map[string]json.RawMessage, keys ...string) {
		t.Helper()
		for _, k := range keys {
			if v, ok := raw[k]; ok {
				t.Errorf("%s: %q is %s, want it absent", what, k, v)
			}
		}
	}
	ids := func(cs []registry.ChangeView) []int64 {
		var out []int64
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}

	// Nothing pending: neither key.
	a, raw := post("admin", "/api/v1/members/reviewer/roles", `{"add":["drafter"]}`, http.StatusOK)
	if a.Name != "reviewer" || strings.Join(a.Roles, ",") != "reviewer,drafter" {
		t.Errorf("roles' answer %+v", a)
	}
	absent("a role given with nothing pending", raw, "superseded", "refused")
	post("admin", "/api/v1/members/signer/roles", `{"add":["release"]}`, http.StatusOK)
	_, raw = post("admin", "/api/v1/members/signer/roles", `{"remove":["release"]}`, http.StatusOK)
	absent("a role taken with nothing pending", raw, "superseded", "refused")
	_, raw = post("admin", "/api/v1/members/release/disable", "", http.StatusOK)
	absent("a member disabled with nothing pending", raw, "superseded", "refused")

	for _, name := range []string{"ada", "bob", "cy"} {
		var added struct{ Token string }
		e.do(t, "admin", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"`+name+`","roles":["admin","reviewer"]}`), http.StatusCreated, &added)
		e.tokens[name] = added.Token
	}
	const pol = "two_admins: true\nversion: 1\nname: two\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n"
	e.do(t, "admin", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(pol), http.StatusCreated, nil)
	e.do(t, "admin", "POST", "/api/v1/members/reviewer/roles", "application/json", strings.NewReader(`{"add":["signer"]}`), http.StatusAccepted, nil) // 1
	e.do(t, "bob", "POST", "/api/v1/members/signer/token", "", nil, http.StatusAccepted, nil)                                                         // 2
	e.do(t, "cy", "POST", "/api/v1/members/drafter/token", "", nil, http.StatusAccepted, nil)                                                         // 3

	// Bob's admin role taken: his change refused, none superseded.
	a, raw = post("ada", "/api/v1/members/bob/roles", `{"remove":["admin"]}`, http.StatusOK)
	if got := ids(a.Refused); len(got) != 1 || got[0] != 2 || a.Refused[0].State != "refused" || a.Refused[0].ProposedBy != "bob" || a.Refused[0].DecidedBy != "ada" {
		t.Errorf("bob's admin role taken: refused %+v, want bob's change 2, refused by ada", a.Refused)
	}
	absent("bob's admin role taken", raw, "superseded")

	// A role taken from the reviewer: the role change about them superseded, none refused.
	a, raw = post("ada", "/api/v1/members/reviewer/roles", `{"remove":["drafter"]}`, http.StatusOK)
	if got := ids(a.Superseded); len(got) != 1 || got[0] != 1 || a.Superseded[0].State != "refused" || a.Superseded[0].ProposedBy != "admin" {
		t.Errorf("a role taken from the reviewer: superseded %+v, want admin's change 1, refused", a.Superseded)
	}
	absent("a role taken from the reviewer", raw, "refused")

	// Cy disabled: his change refused.
	a, raw = post("ada", "/api/v1/members/cy/disable", "", http.StatusOK)
	if got := ids(a.Refused); len(got) != 1 || got[0] != 3 || a.Refused[0].ProposedBy != "cy" || a.State != registry.MemberDisabled {
		t.Errorf("cy disabled: %+v, refused %+v, want cy disabled and his change 3 refused", a.MemberView, a.Refused)
	}
	absent("cy disabled", raw, "superseded")
}

// TestApprovalAnswerNamesWhatItRefused: the answer of POST /api/v1/changes/{id}/approve for
// a role change that takes the member's admin role while giving another ("+drafter -admin",
// proposed under two_admins) had no refused, though the approval refuses the changes the
// member proposed that still wait, as the roles' answer names them (sixtieth session's
// not-fixed list, the lead's decision). It lists them as refused now, absent when none.
func TestApprovalAnswerNamesWhatItRefused(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	for _, name := range []string{"ada", "bob", "cy"} {
		var added struct{ Token string }
		e.do(t, "admin", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"`+name+`","roles":["admin","reviewer"]}`), http.StatusCreated, &added)
		e.tokens[name] = added.Token
	}
	const pol = "two_admins: true\nversion: 1\nname: two\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n"
	e.do(t, "admin", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(pol), http.StatusCreated, nil)
	e.do(t, "bob", "POST", "/api/v1/members/signer/token", "", nil, http.StatusAccepted, nil)                                                                        // 1
	e.do(t, "admin", "POST", "/api/v1/members/bob/roles", "application/json", strings.NewReader(`{"add":["drafter"],"remove":["admin"]}`), http.StatusAccepted, nil) // 2
	e.do(t, "admin", "POST", "/api/v1/members/cy/roles", "application/json", strings.NewReader(`{"add":["drafter"]}`), http.StatusAccepted, nil)                     // 3

	approve := func(id string) (registry.ChangeResult, map[string]json.RawMessage) {
		t.Helper()
		resp, b := e.send(t, "ada", "POST", "/api/v1/changes/"+id+"/approve", "", nil)
		var res registry.ChangeResult
		var raw map[string]json.RawMessage
		if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &res) != nil || json.Unmarshal(b, &raw) != nil {
			t.Fatalf("approve change %s: %d %s", id, resp.StatusCode, b)
		}
		return res, raw
	}
	res, raw := approve("2")
	if res.Change == nil || res.Change.ID != 2 || res.Member == nil || res.Member.Name != "bob" || strings.Join(res.Member.Roles, ",") != "reviewer,drafter" {
		t.Errorf("approve change 2: %+v, want change 2 and bob as reviewer, drafter", res)
	}
	if len(res.Refused) != 1 || res.Refused[0].ID != 1 || res.Refused[0].State != "refused" || res.Refused[0].ProposedBy != "bob" || res.Refused[0].DecidedBy != "ada" {
		t.Errorf("approve change 2: refused %+v, want bob's change 1, refused by ada", res.Refused)
	}
	if v, ok := raw["superseded"]; ok {
		t.Errorf("approve change 2: superseded is %s, want it absent", v)
	}
	_, raw = approve("3")
	for _, k := range []string{"refused", "superseded"} {
		if v, ok := raw[k]; ok {
			t.Errorf("approve change 3 (nothing of cy's pending): %q is %s, want it absent", k, v)
		}
	}
}

// TestEnablingAnswerNamesWhatItRefused: the answers of POST /api/v1/members/{name}/enable and
// of the approval of a proposed enabling had no refused, though enabling a member refuses
// the changes they proposed that an older build, which kept a disabled member's changes
// pending, left waiting (sixtieth session's not-fixed list, the lead's decision). Both list
// them as refused now, absent when none.
func TestEnablingAnswerNamesWhatItRefused(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	ctx := context.Background()
	for _, name := range []string{"ada", "bob", "cy"} {
		var added struct{ Token string }
		e.do(t, "admin", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"`+name+`","roles":["admin","reviewer"]}`), http.StatusCreated, &added)
		e.tokens[name] = added.Token
	}
	const pol = "two_admins: %v\nversion: 1\nname: two\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n"
	e.do(t, "admin", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(fmt.Sprintf(pol, true)), http.StatusCreated, nil)
	e.do(t, "bob", "POST", "/api/v1/members/signer/token", "", nil, http.StatusAccepted, nil) // 1
	e.do(t, "cy", "POST", "/api/v1/members/drafter/token", "", nil, http.StatusAccepted, nil) // 2
	// bob and cy disabled as an older build did it, leaving their changes pending.
	err := e.db.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"bob", "cy"} {
			m, err := tx.MemberByName(ctx, name)
			if err != nil {
				return err
			}
			if err := tx.SetMemberDisabled(ctx, m.ID, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	decode := func(what string, resp *http.Response, b []byte, want int, v any) map[string]json.RawMessage {
		t.Helper()
		var raw map[string]json.RawMessage
		if resp.StatusCode != want || json.Unmarshal(b, v) != nil || json.Unmarshal(b, &raw) != nil {
			t.Fatalf("%s: %d %s", what, resp.StatusCode, b)
		}
		return raw
	}
	refusedOne := func(what string, got []registry.ChangeView, id int64, by, decider string) {
		t.Helper()
		if len(got) != 1 || got[0].ID != id || got[0].State != "refused" || got[0].ProposedBy != by || got[0].DecidedBy != decider {
			t.Errorf("%s: refused %+v, want %s's change %d, refused by %s", what, got, by, id, decider)
		}
	}

	e.do(t, "admin", "POST", "/api/v1/members/bob/enable", "", nil, http.StatusAccepted, nil) // 3
	resp, b := e.send(t, "ada", "POST", "/api/v1/changes/3/approve", "", nil)
	var res registry.ChangeResult
	raw := decode("approve change 3", resp, b, http.StatusOK, &res)
	if res.Change == nil || res.Change.ID != 3 || res.Token == "" {
		t.Errorf("approve change 3: %s, want change 3 and bob's token", b)
	}
	refusedOne("approve change 3", res.Refused, 1, "bob", "ada")
	if v, ok := raw["superseded"]; ok {
		t.Errorf("approve change 3: superseded is %s, want it absent", v)
	}

	e.do(t, "admin", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(fmt.Sprintf(pol, false)), http.StatusAccepted, nil) // 4
	e.do(t, "ada", "POST", "/api/v1/changes/4/approve", "", nil, http.StatusOK, nil)
	resp, b = e.send(t, "admin", "POST", "/api/v1/members/cy/enable", "", nil)
	var issued struct {
		Name    string                `json:"name"`
		Token   string                `json:"token"`
		Refused []registry.ChangeView `json:"refused"`
	}
	raw = decode("enable cy", resp, b, http.StatusOK, &issued)
	if issued.Name != "cy" || issued.Token == "" {
		t.Errorf("enable cy: %s, want cy's token", b)
	}
	refusedOne("enable cy", issued.Refused, 2, "cy", "admin")
	if v, ok := raw["superseded"]; ok {
		t.Errorf("enable cy: superseded is %s, want it absent", v)
	}

	// Nothing of the member's pending: no refused.
	e.do(t, "admin", "POST", "/api/v1/members/drafter/disable", "", nil, http.StatusOK, nil)
	resp, b = e.send(t, "admin", "POST", "/api/v1/members/drafter/enable", "", nil)
	raw = decode("enable drafter", resp, b, http.StatusOK, &issued)
	for _, k := range []string{"refused", "superseded"} {
		if v, ok := raw[k]; ok {
			t.Errorf("enable drafter (nothing of drafter's pending): %q is %s, want it absent", k, v)
		}
	}
}
