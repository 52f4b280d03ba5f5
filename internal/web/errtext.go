package web

import (
	"net/http"
)

// pageStatus is statusOf for a page: the status, and the message in the request's language.
// A message statusOf takes from the error's own text is said through the error's
// translatable part, when it has one (a registry refusal, the release gate's reasons); the
// JSON answers keep statusOf's English, which offices script against.
func pageStatus(r *http.Request, err error) (int, string) {
	status, msg := statusOf(err)
	if msg == err.Error() {
		msg = language(r).Error(err)
	}
	return status, msg
}
