package textract

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/budget"
)

// TestDOCXTimeBudget (issue 12, item 2): with its time budget spent, the DOCX decoder stops in
// its loop on both bombs with budget.ErrExceeded, before the element bound; plain text, which
// is not decoded, is returned as it is.
func TestDOCXTimeBudget(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
	defer cancel()
	for name, data := range docxBombs(t, 10_000_000) {
		s, err := TextContext(ctx, DOCXType, data)
		if !errors.Is(err, budget.ErrExceeded) || errors.Is(err, ErrTooComplex) || s != "" {
			t.Errorf("%s: %d bytes of text, %v; want the time budget's error", name, len(s), err)
		}
	}
	if s, err := TextContext(ctx, "text/plain", []byte("Dear Minister")); err != nil || s != "Dear Minister" {
		t.Errorf("plain text: %q, %v", s, err)
	}
}
