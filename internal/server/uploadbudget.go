package server

import (
	"context"
	"errors"
	"net/http"
	"sync"
)

// DefaultUploadMemory is the default of Config.UploadMemory.
const DefaultUploadMemory = 256 << 20

// errBusy answers 503 with Retry-After: the uploads (or the identifications) being handled
// hold the whole budget.
var errBusy = errors.New("too many uploads or texts being read at once: try again in a moment")

// uploadRetryAfter is the Retry-After of an errBusy answer, in seconds.
const uploadRetryAfter = "5"

// uploadBudget bounds the memory that uploads read into memory hold together: each takes its
// body's declared length (or the largest allowed, when it declares none) until its request
// ends. An upload that does not fit is refused at once rather than queued, so memory does not
// grow with the number of clients.
//
// One client of the public routes (the identification of a leaked letter, a seal to check)
// holds at most a share of it: a request that would take its client past the share while that
// client already holds some is refused, so that a few slow uploads from one address do not
// shut every other holder out. Members (a bearer token the registry knows) and the members'
// own routes are not counted per client: an office's staff may all reach it through one
// address.
type uploadBudget struct {
	size int64 // the whole budget
	// share is the most one client of the public routes may hold while it holds anything, and
	// client names the client whose share a request counts against ("" for none).
	share  int64
	client func(*http.Request) string
	mu     sync.Mutex
	left   int64
	held   map[string]int64
}

// newUploadBudget returns a budget of size bytes of which one client of the public routes,
// as client names it, holds at most a quarter at once (any one request may take more, alone).
func newUploadBudget(size int64, client func(*http.Request) string) *uploadBudget {
	return &uploadBudget{size: size, left: size, share: size / 4, client: client, held: map[string]int64{}}
}

// reserve takes room for r's body until r's handler returns, or reports errBusy. limit is the
// most the body may hold.
func (b *uploadBudget) reserve(r *http.Request, limit int64) error {
	if b == nil {
		return nil
	}
	n := limit
	if r.ContentLength >= 0 && r.ContentLength < limit {
		n = r.ContentLength
	}
	return b.take(r, n)
}

// take takes n bytes of the budget until r's handler returns, or reports errBusy: the
// memory that the identification of a request's text takes (Server.work). More than the
// whole budget takes the whole budget, so that such work runs alone rather than never.
func (b *uploadBudget) take(r *http.Request, n int64) error {
	if b == nil {
		return nil
	}
	n = min(n, b.size)
	key := ""
	if b.client != nil {
		key = b.client(r)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n > b.left || key != "" && b.held[key] > 0 && b.held[key]+n > b.share {
		return errBusy
	}
	b.left -= n
	if key != "" {
		b.held[key] += n
	}
	// The server cancels a request's context when its handler returns.
	context.AfterFunc(r.Context(), func() {
		b.mu.Lock()
		b.left += n
		if key != "" {
			if b.held[key] -= n; b.held[key] <= 0 {
				delete(b.held, key)
			}
		}
		b.mu.Unlock()
	})
	return nil
}
