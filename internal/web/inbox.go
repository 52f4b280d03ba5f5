package web

import (
	"net/http"

	"github.com/chancery/chancery/internal/registry"
)

// inbox lists the letters waiting for the member, the others in progress and the latest
// releases, with the form to create a letter for drafters.
func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	s := session(r)
	in, err := h.cfg.Registry.Inbox(r.Context(), s.actor())
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "inbox", page{Title: "Inbox", Notice: h.notice(r), Data: struct {
		*registry.Inbox
		Drafter bool
	}{in, s.member.HasRole(registry.RoleDrafter)}})
}

// notices are the messages a redirect after a successful action asks for, by name, so that
// no text from the URL reaches the page.
var notices = map[string]string{
	"created":  "The letter is created.",
	"approved": "Your approval is recorded.",
	"rejected": "Your rejection is recorded.",
	"revised":  "The new version is uploaded. Earlier approvals and signatures no longer count.",
	"released": "The letter is released and logged.",
}

// notice is the confirmation a page shows after one of the member's own forms redirected to
// it (?done=): only for a navigation from this site (fromSite), so that a link from elsewhere
// (a mail, another site, typed) cannot tell a member that their approval is recorded when it
// is not.
func (h *Handler) notice(r *http.Request) string { return h.noticeFrom(r, notices) }

// noticeFrom is notice with the messages of one page.
func (h *Handler) noticeFrom(r *http.Request, messages map[string]string) string {
	if !h.fromSite(r, false) {
		return ""
	}
	return messages[r.URL.Query().Get("done")]
}
