package server

import (
	"context"
	"fmt"
	"net/http"
	"sync"
)

// ocrTurns gives each public client one OCR recognition at a time. The server's OCR runs a
// few recognitions at once (ocr.Reader's Parallel, two by default), and a 10-page PDF keeps
// one busy for its whole time budget: two from one address held every slot, and another
// client's scan waited its budget out and was answered 422 (found by audit, forty-ninth
// session). A client is its address, an IPv6 client's /48 (budgetClient); members are not
// counted.
type ocrTurns struct {
	mu   sync.Mutex
	held map[string]bool
}

// ocrClientKey is the context key of the client whose OCR turn a request's recognitions
// take (withOCRClient).
type ocrClientKey struct{}

// withOCRClient returns r's context, naming the public client that r's recognitions count
// against ("" for a member).
func (s *Server) withOCRClient(r *http.Request) context.Context {
	return context.WithValue(r.Context(), ocrClientKey{}, s.budgetClient(r))
}

// errOCRTurn answers 503 with Retry-After, as errBusy does.
var errOCRTurn = fmt.Errorf("%w (one scan of your network is being read: send the next once it is answered)", errBusy)

// take takes the OCR turn of ctx's client until release is called, or fails with errOCRTurn
// when the client holds it already.
func (t *ocrTurns) take(ctx context.Context) (release func(), err error) {
	client, _ := ctx.Value(ocrClientKey{}).(string)
	if client == "" {
		return func() {}, nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.held[client] {
		return nil, errOCRTurn
	}
	if t.held == nil {
		t.held = map[string]bool{}
	}
	t.held[client] = true
	return func() {
		t.mu.Lock()
		delete(t.held, client)
		t.mu.Unlock()
	}, nil
}
