package policy

import (
	"strings"
	"testing"

	"pgregory.net/rapid"
)

// conditionSamples are conditions of the kinds offices write, and some costly ones.
var conditionSamples = []struct {
	src   string
	small bool // whether its cost on small letters is known to be within the limit
}{
	{`letter.class == "foreign-government" && "force-posture" in letter.tags`, true},
	{`letter.addressees.exists(a, a.endsWith("@mod.example"))`, true},
	{`letter.subject.contains("posture") || letter.subject.matches("(?i)embargo")`, true},
	{`letter.size > 1000000 && letter.media_type == "application/pdf"`, true},
	{`letter.tags.all(t, t.startsWith("x-")) && size(letter.tags) > 1`, true},
	{`letter.tags.exists(t, letter.addressees.exists(a, a == t))`, false},
	{`letter.reference + letter.office == "TFN-1tfn"`, true},
	{`letter.tags.exists(a, letter.tags.exists(b, letter.tags.exists(c, a + b + c == "z")))`, false},
	{`letter.addressees.map(a, letter.addressees.map(b, a + b)).exists(l, l.exists(x, x.matches("^(a|b)*$")))`, false},
}

func TestSmallLetterEstimate(t *testing.T) {
	for _, c := range conditionSamples {
		cond, issues := compileCondition(c.src)
		if issues != nil {
			t.Fatalf("%s: %v", c.src, issues)
		}
		if (cond.untracked != nil) != c.small {
			t.Errorf("%s: untracked program %v, want %v", c.src, cond.untracked != nil, c.small)
		}
	}
	// Every condition of the benchmark's policy runs untracked on small letters.
	p := mustParse(t, policy50())
	for _, r := range p.rules {
		if r.when != nil && r.when.untracked == nil {
			t.Errorf("rule %s needs cost tracking", r.name)
		}
	}
}

// TestUntrackedAgrees checks that on small letters the untracked program of a condition gives
// what the tracked one gives, and that the tracked one never reaches the cost limit there.
func TestUntrackedAgrees(t *testing.T) {
	words := []string{"", "a", "x-a", "force-posture", "@mod.example", "b@mod.example", strings.Repeat("ab", smallString/2)}
	word := rapid.SampledFrom(words)
	conds := make([]*condition, len(conditionSamples))
	for i, c := range conditionSamples {
		conds[i], _ = compileCondition(c.src)
	}
	rapid.Check(t, func(t *rapid.T) {
		f := Facts{
			Class: word.Draw(t, "class"), Subject: word.Draw(t, "subject"), Reference: word.Draw(t, "reference"),
			Office: word.Draw(t, "office"), MediaType: word.Draw(t, "media type"), Author: word.Draw(t, "author"),
			Size: rapid.Int64().Draw(t, "size"),
			Tags: rapid.SliceOfN(word, 0, smallList).Draw(t, "tags"), Addressees: rapid.SliceOfN(word, 0, smallList).Draw(t, "addressees"),
		}
		act := newActivation(&f)
		if !act.small {
			t.Fatalf("letter not small")
		}
		for i, c := range conds {
			if c.untracked == nil {
				continue
			}
			a, _, errA := c.tracked.Eval(act)
			b, _, errB := c.untracked.Eval(act)
			if errA != nil || errB != nil || a != b {
				t.Fatalf("%s: tracked %v %v, untracked %v %v", conditionSamples[i].src, a, errA, b, errB)
			}
		}
	})
	// A letter beyond the bounds is evaluated with the cost tracked.
	if act := newActivation(&Facts{Tags: make([]string, smallList+1)}); act.small {
		t.Error("a letter with too many tags is small")
	}
	if act := newActivation(&Facts{Subject: strings.Repeat("x", smallString+1)}); act.small {
		t.Error("a letter with a long subject is small")
	}
}
