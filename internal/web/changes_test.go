package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/witness"
)

// twoAdminsOffice is an office with two admins, root and ada, under a policy with
// two_admins, each signed in; it returns root's and ada's clients and CSRF tokens.
func twoAdminsOffice(t *testing.T, opts ...func(*registry.Config)) (o *office, root, ada *browserless, rootTok, adaTok string) {
	t.Helper()
	ctx := context.Background()
	o = newOffice(t, server.Config{}, opts...)
	admin := o.actors["root"]
	if _, err := o.reg.AddMember(ctx, admin, "ada", []string{registry.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"root", "ada"} {
		if err := o.reg.SetPassword(ctx, admin, name, password(name)); err != nil {
			t.Fatal(err)
		}
	}
	src := []byte("two_admins: true\nversion: 1\nname: two-admins\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n      signatures: [{role: signer}]\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.reg.AdoptPolicy(ctx, admin, p, src); err != nil {
		t.Fatal(err)
	}
	root, ada = o.client(), o.client()
	return o, root, ada, root.signIn("root"), ada.signIn("ada")
}

var proposedRE = regexp.MustCompile(`Proposed as change (\d+): another admin approves it on this page\.`)

// proposedChange checks that the answer to a member form of c redirects to the members page
// saying the change was proposed, and returns the change's number.
func proposedChange(t *testing.T, c *browserless, what string, resp *http.Response) string {
	t.Helper()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/members?done=proposed&change=") {
		t.Fatalf("%s under two_admins: %s to %q, want a redirect to the members page saying it is proposed", what, resp.Status, loc)
	}
	resp, body := c.do("GET", loc, nil, map[string]string{"Sec-Fetch-Site": "same-origin"})
	m := proposedRE.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.Contains(body, `id="member-rita"`) {
		t.Fatalf("%s under two_admins: %s, want the members page saying it is proposed:\n%s", what, resp.Status, body)
	}
	if strings.Contains(body, `id="issued-token"`) {
		t.Fatalf("%s: a proposed change shows a token to its proposer", what)
	}
	return m[1]
}

// changeRow returns the row or list item of change id in a members page, or "".
func changeRow(body, id string) string {
	i := strings.Index(body, `id="change-`+id+`"`)
	if i < 0 {
		return ""
	}
	row := body[i:]
	end := len(row)
	for _, tag := range []string{"</tr>", "</li>"} {
		if j := strings.Index(row, tag); j >= 0 && j < end {
			end = j
		}
	}
	return row[:end]
}

// TestTwoAdminsRoleChange: under two_admins, the roles form of one admin proposes the
// change, on the members page rather than the error page; the other admin sees it with an
// Approve button, its proposer sees only Withdraw and is refused if they approve it anyway;
// the second admin's approval gives the role.
func TestTwoAdminsRoleChange(t *testing.T) {
	ctx := context.Background()
	o, root, ada, rootTok, adaTok := twoAdminsOffice(t)
	resp, _ := root.post("/admin/members/rita/roles", url.Values{"csrf": {rootTok}, "role": {"reviewer", "signer"}})
	id := proposedChange(t, root, "a role", resp)
	if v, _ := o.reg.Member(ctx, o.actors["root"], "rita"); fmt.Sprint(v.Roles) != "[reviewer]" {
		t.Fatalf("a proposed role is given: rita holds %v", v.Roles)
	}

	approve, refuse := `action="/admin/changes/`+id+`/approve"`, `action="/admin/changes/`+id+`/refuse"`
	_, body := root.get("/admin/members")
	row := changeRow(body, id)
	if !strings.Contains(body, "Changes waiting for a second admin") || !strings.Contains(row, "give rita: signer") {
		t.Fatalf("the proposer's page does not list change %s:\n%s", id, body)
	}
	if strings.Contains(row, approve) || !strings.Contains(row, refuse) || !strings.Contains(row, "Withdraw") {
		t.Errorf("the proposer's own change offers approve or lacks withdraw:\n%s", row)
	}
	_, body = ada.get("/admin/members")
	row = changeRow(body, id)
	if !strings.Contains(row, approve) || !strings.Contains(row, refuse) || !strings.Contains(row, "<td>root</td>") {
		t.Errorf("the second admin's page lacks approve or refuse for change %s:\n%s", id, row)
	}
	for lang, want := range map[string][]string{"fr": {"Modifications en attente d", "donner à rita : signer", "Approuver"}, "ar": {"تغييرات بانتظار مسؤول ثانٍ", "منح rita: signer", "موافقة"}} {
		_, body := ada.do("GET", "/admin/members", nil, map[string]string{"Accept-Language": lang})
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("the members page in %s lacks %q", lang, w)
			}
		}
	}

	resp, body = root.post("/admin/changes/"+id+"/approve", url.Values{"csrf": {rootTok}})
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "you proposed change "+id+": another admin approves it") || !strings.Contains(body, `id="member-rita"`) {
		t.Errorf("approved by its proposer: %s, want 403 on the members page:\n%s", resp.Status, body)
	}
	if resp, _ := ada.post("/admin/changes/"+id+"/approve", url.Values{"role": {"x"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an approval without its CSRF token: %s, want 403", resp.Status)
	}
	resp, _ = ada.post("/admin/changes/"+id+"/approve", url.Values{"csrf": {adaTok}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/members?done=approved" {
		t.Fatalf("approved by the second admin: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], "rita"); fmt.Sprint(v.Roles) != "[reviewer signer]" {
		t.Errorf("rita's roles after the approval: %v", v.Roles)
	}
	resp, body = ada.post("/admin/changes/"+id+"/approve", url.Values{"csrf": {adaTok}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "change "+id+" is carried out already") || !strings.Contains(body, `id="member-rita"`) {
		t.Errorf("approved twice: %s, want 409 on the members page:\n%s", resp.Status, body)
	}
	if resp, body := ada.post("/admin/changes/999/approve", url.Values{"csrf": {adaTok}}); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "There is no such change.") {
		t.Errorf("approve no change: %s", resp.Status)
	}
	_, body = ada.get("/admin/members")
	if row := changeRow(body, id); strings.Contains(row, approve) || !strings.Contains(row, "approved") || !strings.Contains(row, "by ada") {
		t.Errorf("the approved change is not listed as decided by ada:\n%s", row)
	}
}

// TestTwoAdminsTokenChange: a new token and an enabling under two_admins are proposed; the
// token made when the second admin approves is shown to them once, in the answer to the
// approval, and on no later page; the proposer's withdrawal lists the change as refused.
func TestTwoAdminsTokenChange(t *testing.T) {
	ctx := context.Background()
	o, root, ada, rootTok, adaTok := twoAdminsOffice(t)
	resp, _ := root.post("/admin/members/sam/token", url.Values{"csrf": {rootTok}})
	id := proposedChange(t, root, "a token", resp)
	_, body := ada.get("/admin/members")
	if row := changeRow(body, id); !strings.Contains(row, "new token for sam") {
		t.Fatalf("the second admin's page lacks change %s:\n%s", id, body)
	}
	resp, body = ada.post("/admin/changes/"+id+"/approve", url.Values{"csrf": {adaTok}, "password": {password("ada")}})
	m := regexp.MustCompile(`<code id="issued-token">(chy_[A-Za-z0-9_-]+)</code>`).FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil || !strings.Contains(body, "Token for sam") {
		t.Fatalf("the approval of a token: %s, no token for sam in the page:\n%s", resp.Status, body)
	}
	if resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the page with a token may be cached: %q", resp.Header.Get("Cache-Control"))
	}
	if who, err := o.reg.Authenticate(ctx, m[1]); err != nil || who.Name != "sam" {
		t.Errorf("the token shown: %v, %v", who, err)
	}
	for _, c := range []*browserless{ada, root} {
		if _, body := c.get("/admin/members"); strings.Contains(body, m[1]) {
			t.Error("a later members page shows the token again")
		}
	}

	// Enabling a disabled member is proposed too; its proposer withdraws it.
	if _, err := o.reg.DisableMember(ctx, o.actors["root"], "dana"); err != nil {
		t.Fatal(err)
	}
	resp, _ = root.post("/admin/members/dana/enable", url.Values{"csrf": {rootTok}})
	id = proposedChange(t, root, "enabling", resp)
	if v, _ := o.reg.Member(ctx, o.actors["root"], "dana"); v.State == registry.MemberActive {
		t.Fatal("a proposed enabling enabled dana")
	}
	resp, _ = root.post("/admin/changes/"+id+"/refuse", url.Values{"csrf": {rootTok}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/members?done=withdrawn" {
		t.Fatalf("withdrawn by its proposer: %s to %q", resp.Status, resp.Header.Get("Location"))
	}
	_, body = ada.get("/admin/members")
	row := changeRow(body, id)
	if !strings.Contains(row, "enable dana") || !strings.Contains(row, "refused") || !strings.Contains(row, "by root") || strings.Contains(row, "/approve") {
		t.Errorf("the withdrawn change is not listed as refused by root:\n%s", row)
	}
	resp, body = ada.post("/admin/changes/"+id+"/approve", url.Values{"csrf": {adaTok}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `id="member-rita"`) {
		t.Errorf("a withdrawn change approved: %s, want 409 on the members page", resp.Status)
	}
	if v, _ := o.reg.Member(ctx, o.actors["root"], "dana"); v.State == registry.MemberActive {
		t.Error("a withdrawn enabling enabled dana")
	}
}

// TestTwoAdminsPolicyFileShown: the second admin's page shows the file of a proposed policy,
// which its name and digest, chosen by the proposer, do not: "two-admins" could name a
// policy that asks for nothing.
func TestTwoAdminsPolicyFileShown(t *testing.T) {
	ctx := context.Background()
	o, _, ada, _, _ := twoAdminsOffice(t)
	src := []byte("version: 1\nname: two-admins\nrules:\n  - name: d\n    default: true\n    require:\n      approvals: [{role: drafter}]\n")
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.reg.AdoptPolicy(ctx, o.actors["root"], p, src)
	c := registry.Proposed(err)
	if c == nil {
		t.Fatalf("a policy under two_admins: %v, want it proposed", err)
	}
	_, body := ada.get("/admin/members")
	row := changeRow(body, fmt.Sprint(c.ID))
	if !strings.Contains(row, "<details>") || !strings.Contains(row, "approvals: [{role: drafter}]") {
		t.Fatalf("the second admin's page does not show the proposed policy's file:\n%s", row)
	}
}

// TestTwoAdminsWitnessChangesShown: the members page says what a proposed witness change
// does (the witness, its address and key; the new quorum), so that the second admin knows
// whose cosignatures they let into the quorum.
func TestTwoAdminsWitnessChangesShown(t *testing.T) {
	ctx := context.Background()
	o, _, ada, _, _ := twoAdminsOffice(t, func(rc *registry.Config) {
		heads, err := cosigned.Open(ctx, rc.DB, rc.Log)
		if err != nil {
			t.Fatal(err)
		}
		rc.Heads = heads
	})
	key, err := witness.LoadKey(t.TempDir(), "witness.example")
	if err != nil {
		t.Fatal(err)
	}
	wkey := key.VerifierKey()
	add := registry.Proposed(o.reg.AddWitness(ctx, o.actors["root"], "justice", "https://witness.example/", wkey))
	quorum := registry.Proposed(o.reg.SetWitnessQuorum(ctx, o.actors["root"], 0))
	if add == nil || quorum == nil {
		t.Fatalf("witness changes under two_admins were not proposed: %v, %v", add, quorum)
	}
	_, body := ada.get("/admin/members")
	if row := changeRow(body, fmt.Sprint(add.ID)); !strings.Contains(row, "add witness justice (https://witness.example/, key "+strings.ReplaceAll(wkey, "+", "&#43;")+")") {
		t.Errorf("the proposed witness reads:\n%s", row)
	}
	if row := changeRow(body, fmt.Sprint(quorum.ID)); !strings.Contains(row, "set the witness quorum to 0") {
		t.Errorf("the proposed quorum reads:\n%s", row)
	}
}
