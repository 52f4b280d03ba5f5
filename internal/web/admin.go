package web

import (
	"net/http"
	"slices"

	"github.com/chancery/chancery/internal/registry"
)

// membersData is the members page: every member with the roles they can be given, and a
// token just issued, shown once.
type membersData struct {
	Members []memberRow
	Issued  *issuedToken
	// LookAlikes are member and recipient names that read as one another's, added before
	// such names were refused: only an admin can tell their holders apart.
	LookAlikes []registry.LookAlikeNames
}

type memberRow struct {
	registry.MemberView
	Choices []roleChoice
	Self    bool
}

type roleChoice struct {
	Role string
	Held bool
}

type issuedToken struct {
	Name, Token string
}

// adminNotices are the members page's messages after a redirect, by name, shown as notice
// shows its own (noticeFrom): only after the admin's own form.
var adminNotices = map[string]string{
	"roles":    "The roles are changed.",
	"disabled": "The member is disabled: their token and sessions no longer work, and their signer keys are revoked in the log.",
}

// members lists the office's members for admins, with forms to change roles, disable or
// enable a member and issue a new token.
func (h *Handler) members(w http.ResponseWriter, r *http.Request) {
	h.showMembers(w, r, http.StatusOK, h.noticeFrom(r, adminNotices), "", nil)
}

// showMembers renders the members page with a message, an error or a token just issued.
func (h *Handler) showMembers(w http.ResponseWriter, r *http.Request, status int, msg, errMsg string, issued *issuedToken) {
	s := session(r)
	ms, err := h.cfg.Registry.Members(r.Context(), s.actor())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	alike, err := h.cfg.Registry.LookAlikes(r.Context())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	assignable := h.cfg.Registry.AssignableRoles()
	d := &membersData{Issued: issued, LookAlikes: alike}
	for _, m := range ms {
		row := memberRow{MemberView: m, Self: m.Name == s.member.Name}
		// A role the member holds but the policy no longer names stays listed, so that
		// saving the form does not take it away unasked.
		for _, role := range append(slices.Clone(assignable), m.Roles...) {
			if !slices.ContainsFunc(row.Choices, func(c roleChoice) bool { return c.Role == role }) {
				row.Choices = append(row.Choices, roleChoice{Role: role, Held: m.HasRole(role)})
			}
		}
		d.Members = append(d.Members, row)
	}
	h.render(w, r, status, "members", page{Title: "Members", Notice: msg, Error: errMsg, Data: d})
}

// memberFailed shows a refused change on the members page itself; other errors get the
// error page.
func (h *Handler) memberFailed(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := pageStatus(r, err)
	switch status {
	case http.StatusBadRequest, http.StatusConflict, http.StatusNotFound:
		if status == http.StatusNotFound {
			msg = "There is no such member."
		}
		h.showMembers(w, r, status, "", msg, nil)
		return
	}
	h.fail(w, r, err)
}

// setMemberRoles sets a member's roles to the boxes ticked in the form.
func (h *Handler) setMemberRoles(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, a, name := r.Context(), session(r).actor(), r.PathValue("name")
	m, err := h.cfg.Registry.Member(ctx, a, name)
	if err != nil {
		h.memberFailed(w, r, err)
		return
	}
	want := r.PostForm["role"]
	var add, remove []string
	for _, role := range want {
		if !m.HasRole(role) && !slices.Contains(add, role) {
			add = append(add, role)
		}
	}
	for _, role := range m.Roles {
		if !slices.Contains(want, role) {
			remove = append(remove, role)
		}
	}
	if _, err := h.cfg.Registry.SetRoles(ctx, a, name, add, remove); err != nil {
		h.memberFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/members?done=roles", http.StatusSeeOther)
}

// disableMember disables a member.
func (h *Handler) disableMember(w http.ResponseWriter, r *http.Request) {
	if err := h.form(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	if _, err := h.cfg.Registry.DisableMember(r.Context(), session(r).actor(), r.PathValue("name")); err != nil {
		h.memberFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/members?done=disabled", http.StatusSeeOther)
}

// newMemberToken enables a disabled member (enable true) or gives an active one a new token,
// and shows the token once, in the answer to the post itself: it is in no URL and no later
// page.
func (h *Handler) newMemberToken(enable bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h.form(w, r); err != nil {
			h.fail(w, r, err)
			return
		}
		ctx, a, name := r.Context(), session(r).actor(), r.PathValue("name")
		issue, msg := h.cfg.Registry.IssueToken, "A new token is issued; the old one, the member's sessions and their password no longer work."
		if enable {
			issue, msg = h.cfg.Registry.EnableMember, "The member is enabled again, with a new token; their password is removed."
		}
		tok, err := issue(ctx, a, name)
		if err != nil {
			h.memberFailed(w, r, err)
			return
		}
		h.showMembers(w, r, http.StatusOK, msg, "", &issuedToken{Name: name, Token: tok})
	}
}
