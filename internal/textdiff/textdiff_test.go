package textdiff

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func render(ops []Op) string {
	var b strings.Builder
	for _, op := range ops {
		switch op.Kind {
		case Insert:
			b.WriteString("{+" + op.Text + "+}")
		case Delete:
			b.WriteString("[-" + op.Text + "-]")
		default:
			b.WriteString(op.Text)
		}
	}
	return b.String()
}

func TestWords(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"", "", ""},
		{"same text", "same text", "same text"},
		{"", "new", "{+new+}"},
		{"old", "", "[-old-]"},
		{"Task Force North will reposition units.", "Task Force North will withdraw units.", "Task Force North will [-reposition-]{+withdraw+} units."},
		{"one two three", "one three", "one [-two -]three"},
		{"Sir, ...", "Sir, ... (as amended)", "Sir, ...{+ (as amended)+}"},
		{"a b c", "x y z", "[-a b c-]{+x y z+}"},
	} {
		if got := render(Words(c.a, c.b)); got != c.want {
			t.Errorf("Words(%q, %q) = %q, want %q", c.a, c.b, got, c.want)
		}
	}
}

// TestWordsReconstructs checks on random edits that the ops rebuild both texts and that
// consecutive ops differ in kind.
func TestWordsReconstructs(t *testing.T) {
	words := []string{"the", "letter", "is", "a", "draft", ",", " ", "\n", "withdraw", "Corvalia"}
	rnd := rand.New(rand.NewPCG(1, 2))
	gen := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[rnd.IntN(len(words))])
			b.WriteString(" ")
		}
		return b.String()
	}
	for range 300 {
		a := gen(rnd.IntN(40))
		b := a
		if rnd.IntN(2) == 0 {
			b = gen(rnd.IntN(40))
		} else if len(a) > 4 {
			cut := rnd.IntN(len(a))
			b = a[:cut] + gen(rnd.IntN(5)) + a[cut:]
		}
		ops := Words(a, b)
		var old, new strings.Builder
		for i, op := range ops {
			if i > 0 && ops[i-1].Kind == op.Kind {
				t.Fatalf("consecutive ops of the same kind in %v", ops)
			}
			if op.Kind != Insert {
				old.WriteString(op.Text)
			}
			if op.Kind != Delete {
				new.WriteString(op.Text)
			}
		}
		if old.String() != a || new.String() != b {
			t.Fatalf("Words(%q, %q) rebuilds %q and %q", a, b, old.String(), new.String())
		}
	}
}

func TestTokens(t *testing.T) {
	got := strings.Join(Tokens("Sir,  the ministère's"), "|")
	if want := "Sir|,|  |the| |ministère|'|s"; got != want {
		t.Errorf("tokens %q, want %q", got, want)
	}
}

func FuzzWords(f *testing.F) {
	f.Add("one two three", "one three four")
	f.Fuzz(func(t *testing.T, a, b string) {
		var old, new strings.Builder
		for _, op := range Words(a, b) {
			if op.Kind != Insert {
				old.WriteString(op.Text)
			}
			if op.Kind != Delete {
				new.WriteString(op.Text)
			}
		}
		if old.String() != a || new.String() != b {
			t.Fatalf("rebuilt %q and %q", old.String(), new.String())
		}
	})
}
