package ocr

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/budget"
)

// lookingContext is a context whose deadline passes at its look number spendAt (a call of
// Err, which is how package budget looks): the work it bounds sees the deadline pass
// wherever it looks, and it counts the looks, and those after the deadline.
type lookingContext struct {
	context.Context
	spendAt, looks, after int
}

func (c *lookingContext) Err() error {
	if c.looks++; c.looks < c.spendAt {
		return nil
	}
	c.after++
	return context.DeadlineExceeded
}

// TestCleanPageStopsAtTheBudget: each step of cleaning a page of noise (2 million pixels, a
// sixth of the largest that cleanPage takes, whose cleaning took seconds) looks at the
// request's time budget as it goes: the decoder at least once every 64 KiB of the file, the
// turning of a colour page to grey every 64 rows, the QR code search at each candidate
// pattern, the rules' search at least once a row. Wherever the budget is found spent, the
// step stops there with the budget's error, looking at it no more than twice, and so does
// the cleaning, leaving the page to be read as it is. Before, nothing looked at the budget,
// and a request ran over it by the whole cleaning of a page.
func TestCleanPageStopsAtTheBudget(t *testing.T) {
	const n = 1400
	img := image.NewGray(image.Rect(0, 0, n, n))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(2) * 0xff)
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "noise.png")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	colour := image.NewYCbCr(img.Rect, image.YCbCrSubsampleRatio420)
	steps := []struct {
		name      string
		run       func(ctx context.Context) error
		leastLook int
	}{
		{"decoding", func(ctx context.Context) error {
			_, err := grayPage(budget.New(ctx), path)
			return err
		}, buf.Len() / (64 << 10)},
		{"turning a colour page to grey", func(ctx context.Context) error {
			_, err := toGray(budget.New(ctx), colour)
			return err
		}, n / grayBand},
		{"QR code search", func(ctx context.Context) error {
			_, err := blankQRCodes(budget.New(ctx), &image.Gray{Pix: bytes.Clone(img.Pix), Stride: n, Rect: img.Rect})
			if errors.Is(err, errTooManyCandidates) {
				return nil
			}
			return err
		}, 32}, // the noise makes dozens of candidates, each one a look
		{"rules' search", func(ctx context.Context) error {
			_, err := blankRules(budget.New(ctx), &image.Gray{Pix: bytes.Clone(img.Pix), Stride: n, Rect: img.Rect})
			return err
		}, n},
		{"cleaning", func(ctx context.Context) error {
			clean, codes, _, err := cleanPage(ctx, dir, path)
			if err != nil && (clean != path || codes != nil) {
				t.Errorf("cleaning stopped at the budget: read from %s, codes %q; want the page as it is", filepath.Base(clean), codes)
			}
			return err
		}, n},
	}
	for _, s := range steps {
		live := &lookingContext{Context: context.Background(), spendAt: math.MaxInt}
		if err := s.run(live); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		t.Logf("%s: %d looks", s.name, live.looks)
		if live.looks < s.leastLook {
			t.Errorf("%s: looked at the budget %d times, want %d or more", s.name, live.looks, s.leastLook)
		}
		// Spent at the first look, at every 16th power, and at the last; the cleaning, whose
		// steps are tried one by one above, at the first, the middle and the last.
		spent := []int{1, live.looks / 2, live.looks}
		if s.name != "cleaning" {
			spent = spent[:1]
			for at := 16; at < live.looks; at *= 16 {
				spent = append(spent, at)
			}
			spent = append(spent, live.looks)
		}
		for _, at := range spent {
			ctx := &lookingContext{Context: context.Background(), spendAt: at}
			err := s.run(ctx)
			if !errors.Is(err, budget.ErrExceeded) || !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("%s, spent at look %d of %d: %v; want the budget's error", s.name, at, live.looks, err)
			}
			if ctx.after > 2 {
				t.Errorf("%s, spent at look %d of %d: looked %d times more", s.name, at, live.looks, ctx.after-1)
			}
		}
	}
}
