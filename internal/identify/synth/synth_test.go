package synth

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestCorpus(t *testing.T) {
	c := Corpus{Seed: 4, FamilySize: 5}
	for i := range 200 {
		l := c.Letter(i)
		if l.Text() != c.Letter(i).Text() {
			t.Fatalf("letter %d is not deterministic", i)
		}
		if n := len(strings.Fields(l.Text())); n < 240 || n > 950 {
			t.Errorf("letter %d: %d words", i, n)
		}
		for _, b := range l.Body {
			if n := len(strings.Fields(l.Paragraphs[b])); n < 55 {
				t.Errorf("letter %d, paragraph %d: %d words", i, b, n)
			}
		}
	}
	// Siblings share most words and differ in some; other families share few.
	a, b, o := words(c.Letter(0).Text()), words(c.Letter(1).Text()), words(c.Letter(5).Text())
	if s := overlap(a, b); s < 0.6 || s > 0.97 {
		t.Errorf("siblings share %.2f of their words", s)
	}
	if s := overlap(a, o); s > 0.6 {
		t.Errorf("letters of two families share %.2f of their words", s)
	}
	if c.Member(0, 7).Text() == c.Member(0, 8).Text() {
		t.Error("members beyond FamilySize are equal")
	}
}

func TestMutations(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	l := Corpus{Seed: 1, FamilySize: 1}.Letter(0)
	text := l.Text()
	var same []string
	for _, p := range l.Paragraphs {
		same = append(same, strings.Join(strings.Fields(p), " "))
	}
	if e := Edit(rng, text, 0); e != strings.Join(same, "\n\n") {
		t.Error("0% edits changed the text")
	}
	n := len(strings.Fields(text))
	if e := Edit(rng, text, 0.2); len(strings.Fields(e)) < n*7/10 || overlap(words(e), words(text)) > 0.95 {
		t.Error("20% edits did not edit")
	}
	if o := OCR(rng, text, 0.02); o == text {
		t.Error("OCR noise changed nothing")
	}
	if r := Retype(rng, text); strings.Join(strings.Fields(strings.ReplaceAll(r, "\u2019", "'")), " ") != strings.Join(strings.Fields(text), " ") {
		t.Error("Retype changed words")
	}
	for range 20 {
		e := Excerpt(rng, l, 50)
		if k := len(strings.Fields(e)); k < 50 || k > 80 || !strings.Contains(strings.Join(strings.Fields(text), " "), e) {
			t.Fatalf("excerpt of %d words, or not in the letter: %q", k, e)
		}
	}
	if u := Unrelated(rng); len(strings.Fields(u)) < 250 {
		t.Error("unrelated text too short")
	}
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// overlap is the Jaccard similarity of two word sets.
func overlap(a, b map[string]bool) float64 {
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}
