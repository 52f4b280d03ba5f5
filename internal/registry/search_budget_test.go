package registry

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSearchBudgetClosesDone: code that waits on the budget's Done channel, or derives a
// context from it, sees the budget spent too, not only code that calls its Err (review of
// 85cbdf2, fifty-ninth session).
func TestSearchBudgetClosesDone(t *testing.T) {
	now := time.Now()
	b := newSearchBudget(context.Background(), time.Now, now.Add(-SearchBudget+20*time.Millisecond))
	defer b.end()
	derived, cancel := context.WithCancel(b)
	defer cancel()
	select {
	case <-derived.Done():
	case <-time.After(time.Minute):
		t.Fatal("a context derived from the search's budget was never cancelled by it")
	}
	if got := context.Cause(derived); !errors.Is(got, errSearchBudget) {
		t.Fatalf("cause %v, want the search's budget", got)
	}
}

// TestSearchBudgetEndsWithTheRequest: the request's cancellation reaches the budget's
// context, and its cause is not the budget's.
func TestSearchBudgetEndsWithTheRequest(t *testing.T) {
	req, cancel := context.WithCancel(context.Background())
	b := newSearchBudget(req, time.Now, time.Now())
	defer b.end()
	cancel()
	<-b.Done()
	if errors.Is(context.Cause(b), errSearchBudget) {
		t.Fatal("a cancelled request was taken for the search's budget")
	}
}
