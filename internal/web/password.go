package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/chancery/chancery/internal/accesslog"
	"github.com/chancery/chancery/internal/jsonbody"
	"github.com/chancery/chancery/internal/registry"
)

// setPassword is the JSON API route POST /api/v1/password: {"member": NAME, "password": PW}
// with the caller's bearer token. A member sets their own password (member empty or their
// own name); an admin sets anyone's. It answers 204, or {"error": "..."}.
func (h *Handler) setPassword(w http.ResponseWriter, r *http.Request) {
	tok, ok := BearerToken(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="chancery"`)
		jsonError(w, http.StatusUnauthorized, errors.New("not signed in: send 'Authorization: Bearer <token>'"))
		return
	}
	m, err := h.cfg.Registry.Authenticate(r.Context(), tok)
	if err != nil {
		h.jsonFail(w, r, err)
		return
	}
	var req struct {
		Member   string `json:"member"`
		Password string `json:"password"`
	}
	if err := jsonbody.Decode(w, r, maxForm, &req); err != nil {
		jsonError(w, jsonbody.Status(err), fmt.Errorf("bad request: %w", err))
		return
	}
	// Hashing the new password is argon2id with 32 MiB, like a sign-in's check: it takes a
	// turn among the SigninChecks password computations, so that a member sending many at
	// once cannot run the server out of memory, and is charged to the member's password
	// computations (SigninWorkBurst), checked before the wait and again after it, so that one
	// member cannot take every turn and hold up everyone's sign-in.
	if refusedWork(w, h.signins.work.Check, m.Name) {
		return
	}
	select {
	case h.signins.checks <- struct{}{}:
	case <-r.Context().Done():
		h.jsonFail(w, r, r.Context().Err())
		return
	}
	defer func() { <-h.signins.checks }()
	if refusedWork(w, h.signins.work.Allow, m.Name) {
		return
	}
	if err := h.cfg.Registry.SetPassword(r.Context(), registry.Actor{Member: m, Remote: r.RemoteAddr}, req.Member, req.Password); err != nil {
		h.jsonFail(w, r, err, req.Member, m.Name)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// refusedWork answers 429 with Retry-After, and reports true, when limit (the work
// limiter's Check or Allow) finds that the member name has no password computation left.
func refusedWork(w http.ResponseWriter, limit func(string) (bool, time.Duration), name string) bool {
	ok, wait := limit(name)
	if ok {
		return false
	}
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	jsonError(w, http.StatusTooManyRequests, fmt.Errorf("too many passwords set or checked for this member: try again in %d s", secs))
	return true
}

// jsonFail answers err as JSON; a 500 is logged with words, what the request named, redacted.
func (h *Handler) jsonFail(w http.ResponseWriter, r *http.Request, err error, words ...string) {
	status, msg := statusOf(err)
	if status == http.StatusInternalServerError {
		h.cfg.Logger.ErrorContext(r.Context(), "request failed", "method", accesslog.Method(r.Method), "path", accesslog.RedactPath(r.URL.Path), "err", h.loggedErr(r, err, words...))
	}
	if status == http.StatusUnauthorized {
		msg = "not signed in: the token is not valid"
	}
	jsonError(w, status, errors.New(msg))
}

func jsonError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}
