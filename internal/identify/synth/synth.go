// Package synth generates synthetic official letters and the altered texts that people
// present to a registry, to evaluate identification (internal/identify). Everything is
// deterministic from a seed, and any letter can be generated alone, so that a benchmark can
// index a million letters without keeping their texts.
//
// Letters come in families: the letters of a family share their wording (drafted from the
// same template, like monthly reports) and differ in their slots (dates, figures, names,
// places, references), some of which the family fixes. Families are the hard negatives: a
// letter's siblings share most of its shingles.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Corpus is an endless, numbered collection of letters: letter i is member i%FamilySize of
// family i/FamilySize.
type Corpus struct {
	Seed       uint64
	FamilySize int
}

// A Letter is a generated letter.
type Letter struct {
	Family, Member int
	// Paragraphs are the letter's blocks in order: the header lines, the body paragraphs,
	// the closing and the signature.
	Paragraphs []string
	// Body is the indices in Paragraphs of the body paragraphs, each of 55 words or more.
	Body []int
}

// Text returns the letter's text: its paragraphs separated by blank lines.
func (l Letter) Text() string { return strings.Join(l.Paragraphs, "\n\n") }

// Letter returns letter i.
func (c Corpus) Letter(i int) Letter { return c.Member(i/c.FamilySize, i%c.FamilySize) }

// Member returns the given member of a family. Members at or above FamilySize are letters of
// the family that Letter never returns: siblings outside a collection of Letter(0..n-1).
func (c Corpus) Member(family, member int) Letter {
	f := c.family(family)
	rng := rand.New(rand.NewPCG(c.Seed^0x6d656d626572, uint64(family)<<20|uint64(member)))
	l := Letter{Family: family, Member: member}
	for _, p := range f.paras {
		var b strings.Builder
		for _, part := range p.parts {
			switch {
			case part.slot == "":
				b.WriteString(part.text)
			case part.text != "":
				b.WriteString(part.text) // fixed by the family
			default:
				b.WriteString(slotValue(rng, part.slot))
			}
		}
		if p.body {
			l.Body = append(l.Body, len(l.Paragraphs))
		}
		l.Paragraphs = append(l.Paragraphs, b.String())
	}
	return l
}

type part struct {
	text string // literal text, or the family's value of a slot
	slot string // the slot's name, for a slot
}

type para struct {
	parts []part
	body  bool
}

type family struct{ paras []para }

// family builds the template of a family: header, body paragraphs of filled sentence
// templates up to a length of 250 to about 900 words, closing and signature.
func (c Corpus) family(n int) family {
	rng := rand.New(rand.NewPCG(c.Seed, uint64(n)))
	field := fields[rng.IntN(len(fields))]
	fill := func(kind string) string {
		switch kind {
		case "n":
			return pick(rng, field)
		case "a":
			return pick(rng, adjectives)
		case "v":
			return pick(rng, participles)
		case "adv":
			return pick(rng, adverbs)
		case "org":
			return pick(rng, orgs)
		case "t":
			return pick(rng, titles)
		}
		return ""
	}
	// slot makes a slot occurrence, which the family fixes with probability pFixed.
	slot := func(name string, pFixed float64) part {
		if rng.Float64() < pFixed {
			return part{text: slotValue(rng, name), slot: name}
		}
		return part{slot: name}
	}
	var f family
	line := func(parts ...part) { f.paras = append(f.paras, para{parts: parts}) }
	lit := func(s string) part { return part{text: s} }

	line(lit("Ref.: "), slot("REF", 0))
	line(slot("PLACE", 1), lit(", "), slot("DATE", 0))
	line(lit("To the " + fill("t") + ", " + fill("org")))
	line(lit("Subject: " + capitalize(fill("a")+" "+fill("n")+" and "+fill("n"))))
	line(lit(pick(rng, salutations)))

	// The last paragraph overshoots the target by up to about 120 words.
	target := 250 + rng.IntN(531)
	words := 30
	for words < target-10 {
		var p para
		p.body = true
		pw, varying := 0, 0
		for pw < 55 || varying < 2 || (pw < 90 && rng.IntN(3) > 0) {
			if len(p.parts) > 0 {
				p.parts = append(p.parts, lit(" "))
			}
			for _, tok := range splitTemplate(pick(rng, templates)) {
				switch {
				case tok.slot != "":
					pt := slot(tok.slot, 0.4)
					if pt.text == "" {
						varying++
					}
					p.parts = append(p.parts, pt)
				case tok.kind != "":
					p.parts = append(p.parts, lit(fill(tok.kind)))
				default:
					p.parts = append(p.parts, lit(tok.text))
				}
			}
			pw = countWords(p)
		}
		words += pw + varying // a varying slot is two words on average
		f.paras = append(f.paras, p)
	}
	line(lit(pick(rng, closings)))
	line(slot("PERSON", 1), lit("\n"+fill("t")+", "+fill("org")))
	return f
}

type token struct{ text, kind, slot string }

// splitTemplate splits a template into literal text and placeholders.
func splitTemplate(t string) []token {
	var out []token
	for t != "" {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			out = append(out, token{text: t})
			break
		}
		if i > 0 {
			out = append(out, token{text: t[:i]})
		}
		j := strings.IndexByte(t, '}')
		name := t[i+1 : j]
		if strings.ToUpper(name) == name {
			out = append(out, token{slot: name})
		} else {
			out = append(out, token{kind: name})
		}
		t = t[j+1:]
	}
	return out
}

// countWords returns the least number of words a member's paragraph can have: a slot that
// varies is at least one word.
func countWords(p para) int {
	var b strings.Builder
	for _, pt := range p.parts {
		if pt.slot != "" && pt.text == "" {
			b.WriteString("X")
			continue
		}
		b.WriteString(pt.text)
	}
	return len(strings.Fields(b.String()))
}

func slotValue(rng *rand.Rand, slot string) string {
	switch slot {
	case "DATE":
		return fmt.Sprintf("%d %s %d", 1+rng.IntN(28), pick(rng, months), 1950+rng.IntN(75))
	case "NUM":
		return strconv.Itoa(2 + rng.IntN(rng.IntN(3)*400+40))
	case "AMOUNT":
		return fmt.Sprintf("%s %s", thousands(100*(5+rng.IntN(20000))), pick(rng, []string{"francs", "crowns", "pounds", "marks"}))
	case "PCT":
		return fmt.Sprintf("%d per cent", 1+rng.IntN(99))
	case "PERSON":
		return pick(rng, titles) + " " + pick(rng, firstNames) + " " + pick(rng, lastNames)
	case "PLACE":
		return pick(rng, places)
	case "REF":
		return fmt.Sprintf("%c%c/%d/%02d", 'A'+rune(rng.IntN(26)), 'A'+rune(rng.IntN(26)), 100+rng.IntN(9900), rng.IntN(100))
	case "UNIT":
		return "the " + pick(rng, ordinals) + " " + pick(rng, unitKinds)
	}
	panic("synth: unknown slot " + slot)
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func pick(rng *rand.Rand, s []string) string { return s[rng.IntN(len(s))] }

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Unrelated returns a text of 250 to 900 words on another subject than official letters.
func Unrelated(rng *rand.Rand) string {
	target := 250 + rng.IntN(651)
	var paras []string
	words := 0
	for words < target {
		var sents []string
		for range 4 + rng.IntN(4) {
			var b strings.Builder
			for _, tok := range splitTemplate(pick(rng, otherTemplates)) {
				if tok.kind != "" {
					b.WriteString(pick(rng, otherWords))
				} else {
					b.WriteString(tok.text)
				}
			}
			sents = append(sents, b.String())
		}
		p := strings.Join(sents, " ")
		words += len(strings.Fields(p))
		paras = append(paras, p)
	}
	return strings.Join(paras, "\n\n")
}
