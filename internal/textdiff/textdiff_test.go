package textdiff

import (
	"math/rand/v2"
	"runtime"
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

// TestWordsCopiesARunOnce: a run of n tokens kept (or changed) is built once, not by
// adding each token to the run so far, which copied it n times: 22 s for two texts of
// 200 KB that differ in their first and last words. The memory allocated is measured, not
// the time.
func TestWordsCopiesARunOnce(t *testing.T) {
	const n = 10000
	a := "c " + strings.Repeat("a ", n) + "c"
	b := "d " + strings.Repeat("a ", n) + "d"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ops := Words(a, b)
	runtime.ReadMemStats(&after)
	if got := render(ops); got != "[-c-]{+d+} "+strings.Repeat("a ", n)+"[-c-]{+d+}" {
		t.Fatalf("Words = %.80q…", got)
	}
	// One op and two token strings a token take about 150 bytes a byte of the texts; copying
	// the run at each token took 5,000.
	if alloc, bound := after.TotalAlloc-before.TotalAlloc, uint64(500*(len(a)+len(b))); alloc > bound {
		t.Errorf("Words allocated %d bytes for two texts of %d bytes, want at most %d", alloc, len(a), bound)
	}
}

// hostile returns a text of n words "a" after a "c", and the same words after a "d" with a
// "b" before every every-th: a search from one to the other follows each of its diagonals far
// along them.
func hostile(n, every int) (string, string) {
	var b strings.Builder
	b.WriteString("d ")
	for i := range n {
		if i%every == 0 {
			b.WriteString("b ")
		}
		b.WriteString("a ")
	}
	return "c " + strings.Repeat("a ", n), b.String()
}

// TestWordsBoundsItsSearch: texts that repeat one word make the search follow each diagonal
// far along them (its work grows with their length times the edits): past MaxWork steps, the
// whole old text is deleted and the new inserted, as past MaxEdits. Before the bound, two
// texts of 200,000 words, one with 477 words more, took 0.97 s (0.30 s after), two of a
// million 3.8 s (0.55 s after, most of it splitting them into tokens).
func TestWordsBoundsItsSearch(t *testing.T) {
	a, b := hostile(200000, 420)
	if ops := Words(a, b); len(ops) != 3 || ops[0].Kind != Delete || ops[1].Kind != Insert {
		t.Errorf("Words on texts of 200,000 words that a search could not finish in MaxWork steps: %d ops, want the whole texts (but their common end)", len(ops))
	}
	// A comparison in which one text has at most about 16,000 tokens is still made word by
	// word, however the other repeats its words.
	a, b = hostile(8000, 20)
	if ops := Words(a, b); len(ops) < 400 {
		t.Errorf("Words on texts of 8,000 words with 400 words added: %d ops, want each edit", len(ops))
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
