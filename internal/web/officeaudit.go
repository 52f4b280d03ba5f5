package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// officeAuditPage is how many events the office's audit page shows at a time.
const officeAuditPage = 100

// officeAuditData is the office's audit page: a page of events, newest first, and the link
// to the older ones when there are more.
type officeAuditData struct {
	Events []store.AuditEvent
	Older  string
}

// officeAudit shows admins the audit trail of the office's events that name no letter
// (members, tokens, the policy, witnesses, recipients and webhook endpoints): what
// `chancery audit --office` and GET /api/v1/audit list. ?before=ID resumes before event ID.
func (h *Handler) officeAudit(w http.ResponseWriter, r *http.Request) {
	var before int64
	if b := strings.TrimSpace(r.URL.Query().Get("before")); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n < 1 {
			h.fail(w, r, i18n.Errorf(registry.ErrInvalid, "before %.40q: want an event's number", b))
			return
		}
		before = n
	}
	evs, err := h.cfg.Registry.OfficeAudit(r.Context(), session(r).actor(), before, officeAuditPage+1)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := officeAuditData{Events: evs}
	if len(evs) > officeAuditPage {
		d.Events = evs[:officeAuditPage]
		d.Older = "/admin/audit?" + url.Values{"before": {strconv.FormatInt(d.Events[officeAuditPage-1].ID, 10)}}.Encode()
	}
	h.render(w, r, http.StatusOK, "audit", page{Title: "Office audit trail", Data: d})
}
