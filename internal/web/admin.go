package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// membersData is the members page: every member with the roles they can be given, and a
// token just issued, shown once.
type membersData struct {
	Members []memberRow
	Issued  *issuedToken
	// LookAlikes are member and recipient names that read as one another's, added before
	// such names were refused: only an admin can tell their holders apart.
	LookAlikes []registry.LookAlikeNames
	// TwoAdmins is whether the policy in force asks for a second admin; Pending are the
	// changes waiting for one, oldest first, and Decided the latest decided.
	TwoAdmins bool
	Pending   []changeRow
	Decided   []changeRow
	// Posted is set when the page answers one of its forms (a token shown, a refusal): its
	// script then drops the post from the browser's history entry, so that a reload does not
	// post it, and the admin's password with it, again.
	Posted bool
	// Superseded are the pending role changes that a role change the admin viewing the page
	// just carried out on it (approved, or made at once) refused as superseded: the page
	// names them in one notice line, as it names under a token the changes a token refused.
	Superseded []registry.ChangeView
	// Refused are the pending changes a member had proposed that the admin viewing the page
	// just refused by disabling them or taking their admin role on it (with the roles form, or
	// by approving a role change), or by enabling them (those an older build left pending):
	// the page names them
	// in one notice line too.
	Refused []registry.ChangeView
}

// changeRow is a change as the admin viewing the page sees it: Mine when they proposed it,
// which they may withdraw but not approve.
type changeRow struct {
	registry.ChangeView
	Mine bool
	// AsksPassword is set when approving the change shows a token, which needs the password
	// of the admin viewing the page (approveChange).
	AsksPassword bool
}

type memberRow struct {
	registry.MemberView
	Choices []roleChoice
	Self    bool
	// AsksPassword is set when the new token of the row, or its enabling, which shows one,
	// needs the password of the admin viewing the page (newMemberToken).
	AsksPassword bool
	// IdleOwnRoles are the office's own roles (legal) the member holds without reviewer or
	// signer, the roles that approve and sign: no approval or signature the policy asks of
	// them can be theirs, and the page says so.
	IdleOwnRoles []string
}

// idleOwnRoles returns the office's own roles m holds, when m holds neither reviewer nor
// signer.
func idleOwnRoles(m registry.MemberView) []string {
	if m.HasRole(registry.RoleReviewer) || m.HasRole(registry.RoleSigner) {
		return nil
	}
	var own []string
	for _, role := range m.Roles {
		if !slices.Contains(registry.Roles, role) {
			own = append(own, role)
		}
	}
	return own
}

type roleChoice struct {
	Role string
	Held bool
}

type issuedToken struct {
	Name, Token string
	// Superseded are the other pending new tokens for the member that this one refused, in
	// its transaction, as superseded by it: the page names them under the token.
	Superseded []registry.ChangeView
}

// adminNotices are the members page's messages after a redirect, by name, shown as notice
// shows its own (noticeFrom): only after the admin's own form.
var adminNotices = map[string]string{
	"roles":     "The roles are changed.",
	"disabled":  "The member is disabled: their token and sessions no longer work, and their signer keys are revoked in the log.",
	"approved":  "The change is approved and carried out.",
	"refused":   "The change is refused.",
	"withdrawn": "The change is withdrawn.",
	"proposed":  "The change is proposed: another admin approves it on this page.",
}

// members lists the office's members for admins, with forms to change roles, disable or
// enable a member and issue a new token.
func (h *Handler) members(w http.ResponseWriter, r *http.Request) {
	msg := h.noticeFrom(r, adminNotices)
	if q := r.URL.Query(); msg != "" && q.Get("done") == "proposed" {
		if id, err := strconv.ParseInt(q.Get("change"), 10, 64); err == nil && id > 0 {
			msg = language(r).T("Proposed as change %d: another admin approves it on this page.", id)
		}
	}
	var superseded, refused []int64
	if msg != "" {
		superseded, refused = changeIDs(r.URL.Query().Get("superseded")), changeIDs(r.URL.Query().Get("refused"))
	}
	h.showMembersSuperseding(w, r, http.StatusOK, msg, "", nil, superseded, refused)
}

// changeIDs reads a list of change numbers of the members page's query, "4,7".
func changeIDs(q string) []int64 {
	var ids []int64
	for _, f := range lines(q, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// viewIDs returns the numbers of the changes cs.
func viewIDs(cs []registry.ChangeView) []int64 {
	var ids []int64
	for _, c := range cs {
		ids = append(ids, c.ID)
	}
	return ids
}

// showMembers renders the members page with a message, an error or a token just issued.
func (h *Handler) showMembers(w http.ResponseWriter, r *http.Request, status int, msg, errMsg string, issued *issuedToken) {
	h.showMembersSuperseding(w, r, status, msg, errMsg, issued, nil, nil)
}

// showMembersSuperseding is showMembers naming, in a notice, the role changes superseded
// among those numbered: each must be a role change the admin viewing the page refused, as a
// role change they carried out refuses those it supersedes; others are not named. It names
// likewise, in another, the changes among refused that the admin viewing the page refused
// (a member's own, refused as the admin disabled them or took their admin role).
func (h *Handler) showMembersSuperseding(w http.ResponseWriter, r *http.Request, status int, msg, errMsg string, issued *issuedToken, superseded, refused []int64) {
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
	cs, err := h.cfg.Registry.Changes(r.Context(), s.actor())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	assignable := h.cfg.Registry.AssignableRoles()
	d := &membersData{Issued: issued, LookAlikes: alike, TwoAdmins: h.cfg.Registry.AsksTwoAdmins(r.Context()), Posted: r.Method == http.MethodPost}
	for _, c := range cs {
		row := changeRow{ChangeView: c, Mine: c.ProposedBy == s.member.Name}
		row.AsksPassword = approvalAsksPassword(s.member, &c)
		if slices.Contains(superseded, c.ID) && c.Kind == registry.ChangeRoles && c.State == store.ChangeRefused && c.DecidedBy == s.member.Name {
			d.Superseded = append(d.Superseded, c)
		}
		if slices.Contains(refused, c.ID) && c.State == store.ChangeRefused && c.DecidedBy == s.member.Name {
			d.Refused = append(d.Refused, c)
		}
		if c.State == store.ChangePending {
			if c.Kind == registry.ChangePolicy {
				// The file, not its proposer's name for it, says what the approval puts in force.
				full, err := h.cfg.Registry.Change(r.Context(), s.actor(), c.ID)
				if err != nil {
					h.fail(w, r, err)
					return
				}
				row.ChangeView = *full
			}
			d.Pending = append(d.Pending, row)
		} else {
			d.Decided = append(d.Decided, row)
		}
	}
	two := h.cfg.Registry.AsksTwoAdmins(r.Context())
	for _, m := range ms {
		row := memberRow{MemberView: m, Self: m.Name == s.member.Name}
		row.AsksPassword = asksPassword(s.member, row.Self, two)
		if !m.Disabled() {
			row.IdleOwnRoles = idleOwnRoles(m)
		}
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

// memberFailed shows a refused change on the members page itself, and so a change the
// policy in force makes wait for a second admin (two_admins); other errors get the error
// page.
func (h *Handler) memberFailed(w http.ResponseWriter, r *http.Request, err error) {
	if c := registry.Proposed(err); c != nil {
		// Redirected, so that reloading the page proposes nothing again.
		http.Redirect(w, r, fmt.Sprintf("/admin/members?done=proposed&change=%d", c.ID), http.StatusSeeOther)
		return
	}
	h.refusedOnMembersPage(w, r, err, "There is no such member.", http.StatusBadRequest, http.StatusConflict, http.StatusNotFound)
}

// refusedOnMembersPage shows err on the members page if its status is one of statuses (with
// notFound for 404), and the error page otherwise.
func (h *Handler) refusedOnMembersPage(w http.ResponseWriter, r *http.Request, err error, notFound string, statuses ...int) {
	status, msg := pageStatus(r, err)
	if !slices.Contains(statuses, status) {
		h.fail(w, r, err)
		return
	}
	if status == http.StatusNotFound {
		msg = notFound
	}
	h.showMembers(w, r, status, "", msg, nil)
}

// setMemberRoles gives and takes the roles whose boxes the form ticked and unticked.
func (h *Handler) setMemberRoles(w http.ResponseWriter, r *http.Request) {
	if err := h.formOnce(w, r, []string{"role"}, "held"); err != nil {
		h.fail(w, r, err)
		return
	}
	ctx, a, name := r.Context(), session(r).actor(), r.PathValue("name")
	m, err := h.cfg.Registry.Member(ctx, a, name)
	if err != nil {
		h.memberFailed(w, r, err)
		return
	}
	// The form changes only the boxes its admin ticked or unticked, against the roles the page
	// showed (held): a role given or taken by someone else since is left as it is now, not
	// taken away or given back unseen. A form without them is compared with the roles held now.
	want, shown := r.PostForm["role"], m.Roles
	if held, ok := r.PostForm["held"]; ok {
		shown = lines(held[0], ",")
	}
	var add, remove []string
	for _, role := range want {
		if !slices.Contains(shown, role) && !m.HasRole(role) && !slices.Contains(add, role) {
			add = append(add, role)
		}
	}
	for _, role := range shown {
		if !slices.Contains(want, role) && m.HasRole(role) && !slices.Contains(remove, role) {
			remove = append(remove, role)
		}
	}
	if err := h.spendOnce(r); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.cfg.Registry.SetRolesSuperseding(ctx, a, name, add, remove)
	if err != nil {
		h.giveOnceBack(r, err)
		h.memberFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/members?done=roles"+supersededQuery(res.Superseded)+refusedQuery(res.Refused), http.StatusSeeOther)
}

// refusedQuery is the members page's query naming the changes a member had proposed that
// disabling them or taking their admin role (with the roles form, or by approving a role
// change) refused, which the page it redirects to names in
// a notice; empty when none.
func refusedQuery(refused []registry.ChangeView) string {
	if q := supersededQuery(refused); q != "" {
		return "&refused=" + strings.TrimPrefix(q, "&superseded=")
	}
	return ""
}

// supersededQuery is the members page's query naming the changes a change carried out
// refused as superseded, which the page it redirects to names in a notice; empty when none.
func supersededQuery(superseded []registry.ChangeView) string {
	var ids []string
	for _, c := range superseded {
		ids = append(ids, strconv.FormatInt(c.ID, 10))
	}
	if len(ids) == 0 {
		return ""
	}
	return "&superseded=" + strings.Join(ids, ",")
}

// disableMember disables a member.
func (h *Handler) disableMember(w http.ResponseWriter, r *http.Request) {
	if err := h.formOnce(w, r, nil); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.spendOnce(r); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.cfg.Registry.DisableMemberRefusing(r.Context(), session(r).actor(), r.PathValue("name"))
	if err != nil {
		h.giveOnceBack(r, err)
		h.memberFailed(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/members?done=disabled"+refusedQuery(res.Refused), http.StatusSeeOther)
}

// newMemberToken enables a disabled member (enable true) or gives an active one a new token,
// and shows the token once, in the answer to the post itself: it is in no URL and no later
// page.
//
// Both ask for the signed-in admin's password (asksPassword): the token shown is a lasting
// credential, so that whoever held the session (a browser left open, a stolen cookie) would
// otherwise turn its 12 hours, or 30 idle minutes, into a token for good: the admin's own,
// whose issue also ends their other sessions and removes their password, locking them out of
// their own account; or another member's, an admin's or one then given the admin role on the
// same page. An admin the identity provider signs in has no password: the registry refuses
// them their own token, and says why.
func (h *Handler) newMemberToken(enable bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, a, name := r.Context(), session(r).actor(), r.PathValue("name")
		own := registry.NormalName(name) == a.Member.Name
		asks := asksPassword(a.Member, own, h.cfg.Registry.AsksTwoAdmins(ctx))
		var fields []string
		if !a.Member.FromProvider() {
			// Taken also when not asked: the policy may have changed since the page.
			fields = append(fields, "password")
		}
		if err := h.formOnce(w, r, nil, fields...); err != nil {
			h.fail(w, r, err)
			return
		}
		if asks && !h.ownPassword(w, r) {
			return
		}
		issue := h.cfg.Registry.IssueTokenSuperseding
		msg := "A new token is issued; the old one, the member's sessions and their password no longer work. Another member's signer keys are revoked: they register a new one."
		if enable {
			issue = h.cfg.Registry.EnableMemberSuperseding
			msg = "The member is enabled again, with a new token; their password is removed."
		}
		if err := h.spendOnce(r); err != nil {
			h.fail(w, r, err)
			return
		}
		res, err := issue(ctx, a, name)
		if err != nil {
			h.giveOnceBack(r, err)
			h.memberFailed(w, r, err)
			return
		}
		// An enabling names, in the notice line of a member's own changes refused, those an
		// older build left pending that it refused.
		h.showMembersSuperseding(w, r, http.StatusOK, msg, "", &issuedToken{Name: name, Token: res.Token, Superseded: res.Superseded}, nil, viewIDs(res.Refused))
	}
}

// asksPassword reports whether a new token for a member, or their enabling, needs the
// password of the admin me (newMemberToken): always for their own, and for another's unless
// it is proposed to a second admin (two, the policy's two_admins), which shows the token to
// that admin alone. An admin the identity provider signs in has none to give.
func asksPassword(me *store.Member, own, two bool) bool {
	return !me.FromProvider() && (own || !two)
}

// approvalAsksPassword reports whether the approval of c by the admin me needs their password
// (approveChange): that of a pending change of another admin's that makes a token (a member
// added, given a new token or enabled). An admin the identity provider signs in has none.
func approvalAsksPassword(me *store.Member, c *registry.ChangeView) bool {
	switch c.Kind {
	case registry.ChangeAddMember, registry.ChangeToken, registry.ChangeEnable:
	default:
		return false
	}
	return !me.FromProvider() && c.State == store.ChangePending && c.ProposedBy != me.Name
}

// ownPassword checks the password of the form against the signed-in admin's, under the
// sign-in's limits (a session cannot try passwords faster than the sign-in page), and answers
// a wrong one on the members page; it reports whether the password is right.
func (h *Handler) ownPassword(w http.ResponseWriter, r *http.Request) bool {
	me := session(r).member
	m, err := h.checkedSignin(r, me.Name, func() (*store.Member, error) {
		return h.cfg.Registry.CheckPassword(r.Context(), me.Name, r.PostForm.Get("password"))
	})
	if limited(w, r, err) {
		return false
	}
	if errors.Is(err, registry.ErrUnauthenticated) || (err == nil && m.ID != me.ID) {
		h.cfg.Logger.InfoContext(r.Context(), "new token refused: wrong password", "name", logName(me.Name), "remote", r.RemoteAddr)
		h.showMembers(w, r, http.StatusForbidden, "", "Your password is wrong: a new token needs it.", nil)
		return false
	}
	if err != nil {
		h.fail(w, r, err)
		return false
	}
	return true
}

// changeForm reads the form of a decision on a change (its CSRF token checked) and the
// change of the path, or answers the error; the handler spends its one-use value (spendOnce).
func (h *Handler) changeForm(w http.ResponseWriter, r *http.Request, fields ...string) (int64, bool) {
	if err := h.formOnce(w, r, nil, fields...); err != nil {
		h.fail(w, r, err)
		return 0, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		h.fail(w, r, errBadRequest)
		return 0, false
	}
	return id, true
}

// changeFailed shows a refused approval or refusal on the members page: a change no longer
// pending, too old, proposed by the admin themselves or failing as the change itself would.
// Other errors get the error page.
func (h *Handler) changeFailed(w http.ResponseWriter, r *http.Request, err error) {
	// A forbidden approval is an admin's own change; a member who is not an admin gets the
	// error page from showMembers, whose list they may not read.
	h.refusedOnMembersPage(w, r, err, "There is no such change.", http.StatusBadRequest, http.StatusConflict, http.StatusNotFound, http.StatusForbidden)
}

// approveChange carries out a change another admin proposed. A token it makes (a member
// added, given a token or enabled) is shown once, in the answer to the post itself, as
// newMemberToken shows one; other changes redirect with a notice.
//
// The approval of a change that makes a token asks for the approving admin's password, as
// newMemberToken does: the token shown is a lasting credential, an admin's or one a pending
// change gives the admin role, so that whoever held the approver's session (a browser left
// open, a stolen cookie) would otherwise turn it into a token for good by approving another
// admin's proposal.
func (h *Handler) approveChange(w http.ResponseWriter, r *http.Request) {
	a := session(r).actor()
	var fields []string
	if !a.Member.FromProvider() {
		fields = append(fields, "password")
	}
	id, ok := h.changeForm(w, r, fields...)
	if !ok {
		return
	}
	if !a.Member.FromProvider() {
		c, err := h.cfg.Registry.Change(r.Context(), a, id)
		if err != nil {
			h.changeFailed(w, r, err)
			return
		}
		if approvalAsksPassword(a.Member, c) && !h.ownPassword(w, r) {
			return
		}
	}
	if err := h.spendOnce(r); err != nil {
		h.fail(w, r, err)
		return
	}
	res, err := h.cfg.Registry.ApproveChange(r.Context(), a, id)
	if err != nil {
		h.giveOnceBack(r, err)
		h.changeFailed(w, r, err)
		return
	}
	if res.Token != "" {
		h.showMembersSuperseding(w, r, http.StatusOK, adminNotices["approved"], "", &issuedToken{Name: res.Change.Member, Token: res.Token, Superseded: res.Superseded}, nil, viewIDs(res.Refused))
		return
	}
	http.Redirect(w, r, "/admin/members?done=approved"+supersededQuery(res.Superseded)+refusedQuery(res.Refused), http.StatusSeeOther)
}

// refuseChange refuses a pending change, or withdraws it when its proposer refuses it.
func (h *Handler) refuseChange(w http.ResponseWriter, r *http.Request) {
	id, ok := h.changeForm(w, r)
	if !ok {
		return
	}
	if err := h.spendOnce(r); err != nil {
		h.fail(w, r, err)
		return
	}
	c, err := h.cfg.Registry.RefuseChange(r.Context(), session(r).actor(), id)
	if err != nil {
		h.giveOnceBack(r, err)
		h.changeFailed(w, r, err)
		return
	}
	done := "refused"
	if c.DecidedBy == c.ProposedBy {
		done = "withdrawn"
	}
	http.Redirect(w, r, "/admin/members?done="+done, http.StatusSeeOther)
}
