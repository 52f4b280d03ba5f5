package budget

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestBudget(t *testing.T) {
	var unbounded *Budget
	for range 3 * TickEvery {
		if err := unbounded.Tick(); err != nil {
			t.Fatal(err)
		}
	}
	live := New(context.Background())
	for range 3 * TickEvery {
		if err := live.Tick(); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
	defer cancel()
	spent := New(ctx)
	n := 0
	var err error
	for err == nil && n < 10*TickEvery {
		err = spent.Tick()
		n++
	}
	if !errors.Is(err, ErrExceeded) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("spent budget: %v", err)
	}
	if n != TickEvery {
		t.Errorf("spent budget noticed after %d ticks, want %d", n, TickEvery)
	}
	if err := spent.Check(); !errors.Is(err, ErrExceeded) {
		t.Errorf("Check: %v", err)
	}
}
