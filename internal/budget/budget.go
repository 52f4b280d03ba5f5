// Package budget bounds the time that decoders of untrusted bytes spend on one request. A
// decoder calls Tick in its loops; every TickEvery calls, Tick looks at the request's context
// and, once its deadline has passed (or it was cancelled), returns an error wrapping
// ErrExceeded, so that the work stops where it is rather than running on in the background.
package budget

import (
	"context"
	"errors"
	"fmt"
)

// ErrExceeded is wrapped by the errors of Tick and Check once the budget is spent.
var ErrExceeded = errors.New("time budget exceeded")

// TickEvery is how many calls of Tick share one look at the context: looking costs a lock,
// and a decoder's loop step costs far less.
const TickEvery = 256

// A Budget is one request's time budget. The zero Budget and a nil *Budget are unbounded.
// Tick counts without a lock, for one goroutine's loop: decoders that work in several
// goroutines give each a Budget of the same context (Check alone may be called from any).
type Budget struct {
	ctx context.Context
	n   int
}

// New returns the budget of ctx: its deadline, or its cancellation.
func New(ctx context.Context) *Budget { return &Budget{ctx: ctx} }

// Tick counts one step of work, and every TickEvery steps checks the budget.
func (b *Budget) Tick() error {
	if b == nil || b.ctx == nil {
		return nil
	}
	if b.n++; b.n < TickEvery {
		return nil
	}
	b.n = 0
	return b.Check()
}

// Check returns an error wrapping ErrExceeded (and the context's error) if the budget is
// spent.
func (b *Budget) Check() error {
	if b == nil || b.ctx == nil {
		return nil
	}
	if err := b.ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrExceeded, err)
	}
	return nil
}
