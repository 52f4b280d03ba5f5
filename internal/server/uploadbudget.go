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
type uploadBudget struct {
	size int64 // the whole budget
	mu   sync.Mutex
	left int64
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
	b.mu.Lock()
	defer b.mu.Unlock()
	if n > b.left {
		return errBusy
	}
	b.left -= n
	// The server cancels a request's context when its handler returns.
	context.AfterFunc(r.Context(), func() {
		b.mu.Lock()
		b.left += n
		b.mu.Unlock()
	})
	return nil
}
