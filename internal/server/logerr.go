package server

import (
	"net/http"
)

// loggedText returns text (an error's, a panic's) as the server's log takes it for r
// (accesslog.TextRedactor), with the name of the member who sent it redacted too.
func (s *Server) loggedText(r *http.Request, text string) string {
	var name string
	if a := actor(r); a.Member != nil {
		name = a.Member.Name
	}
	return s.redact.Redact(r, text, name)
}
