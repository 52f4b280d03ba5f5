package server

import (
	"context"
	"net/http"
	"slices"
)

// loggedText returns text (an error's, a panic's) as the server's log takes it for r
// (accesslog.TextRedactor), with the name of the member who sent it redacted too, and the
// words of the request's body that alsoRedact named.
func (s *Server) loggedText(r *http.Request, text string) string {
	words, _ := r.Context().Value(redactKey{}).([]string)
	if a := actor(r); a.Member != nil {
		words = append(slices.Clip(words), a.Member.Name)
	}
	return s.redact.Redact(r, text, words...)
}

// redactKey keys the words of a request's body that its log lines must not show.
type redactKey struct{}

// alsoRedact returns r with words, taken from its body (a recipient's or a new member's name,
// an address, a letter's subject or addressees, a reason), added to what its log lines
// redact: an error of the store wraps them in its text ("add recipient NAME: …"), and the
// server's log, kept apart from the registry and outliving erasure, names no one.
func alsoRedact(r *http.Request, words ...string) *http.Request {
	prev, _ := r.Context().Value(redactKey{}).([]string)
	return r.WithContext(context.WithValue(r.Context(), redactKey{}, append(slices.Clip(prev), words...)))
}
