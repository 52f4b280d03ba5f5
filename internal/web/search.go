package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/chancery/chancery/internal/registry"
)

// searchData is the letters page: the query as asked and what it found.
type searchData struct {
	Query  registry.LetterQuery
	States []string
	List   *registry.LetterList
	// Older links to the next page of a truncated listing: the same query, before its last
	// letter, or before the last letter a partial search looked at.
	Older string
}

// letters lists the office's letters, newest first, and searches them by reference, subject,
// addressee, tag and the text of their latest versions, for members with a role. A query the
// registry refuses is shown on the page, with the form, rather than on an error page.
func (h *Handler) letters(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	q := registry.LetterQuery{State: v.Get("state"), Class: strings.TrimSpace(v.Get("class")), Text: strings.TrimSpace(v.Get("q")),
		Before: strings.TrimSpace(v.Get("before")), Partial: true}
	d := searchData{Query: q, States: registry.States}
	status, msg := http.StatusOK, ""
	list, err := h.cfg.Registry.ListLetters(r.Context(), session(r).actor(), q)
	switch {
	case errors.Is(err, registry.ErrInvalid):
		status, msg = pageStatus(r, err)
		list = &registry.LetterList{}
	case err != nil:
		h.fail(w, r, err)
		return
	}
	d.List = list
	if list.Truncated && list.NextBefore != "" {
		next := url.Values{}
		for k, s := range map[string]string{"q": q.Text, "state": q.State, "class": q.Class} {
			if s != "" {
				next.Set(k, s)
			}
		}
		next.Set("before", list.NextBefore)
		d.Older = "/letters?" + next.Encode()
	}
	h.render(w, r, status, "search", page{Title: "Letters", Error: msg, Data: d})
}
