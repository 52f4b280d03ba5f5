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

// TestConditionsWalkOnlyLists: cel-go walks a map's keys in Go's map order, new at each
// evaluation, so `{'a': 1, …, 'i': 9}.map(k, k)[0] == 'a'` held on about a quarter of the
// evaluations of one letter (49 of 200): a drafter releasing again and again escaped the
// rule. Conditions that walk a map (or a value of no known type, which may be one) are
// refused; lists, whose order is the letter's, are walked as before, and maps are still
// looked up.
func TestConditionsWalkOnlyLists(t *testing.T) {
	for _, src := range []string{
		`{'a': 1, 'b': 2, 'c': 3, 'd': 4, 'e': 5, 'f': 6, 'g': 7, 'h': 8, 'i': 9}.map(k, k)[0] == 'a'`,
		`{'a': 1, 'b': 2}.filter(k, k != 'c')[0] == 'a'`,
		`{'legal': letter.class, 'ops': letter.subject}.exists(k, k == 'legal')`,
		`dyn({'a': 1, 'b': 2}).all(k, k != '')`,
		`letter.tags.exists(t, {'x': 1, 'y': 2}.exists_one(k, k == t))`,
	} {
		if _, issues := compileCondition(src); len(issues) != 1 || !strings.Contains(issues[0].msg, "only lists") {
			t.Errorf("%s: %v, want it refused for walking a map", src, issues)
		}
	}
	for _, src := range []string{
		`letter.tags.map(t, t)[0] == 'a'`,
		`[letter.class, letter.subject].exists(s, s == 'x')`,
		`{'a': 1}['a'] == 1 && 'a' in {'a': 1}`,
		`letter.addressees.filter(a, a.endsWith('@mod.example')).size() > 0`,
	} {
		if _, issues := compileCondition(src); issues != nil {
			t.Errorf("%s: %v", src, issues)
		}
	}
	// The refusal has the condition's position, as every problem of a policy file.
	_, err := Parse([]byte("version: 1\nname: x\nrules:\n  - name: m\n    when: \"{'a': 1}.exists(k, k == 'a')\"\n    require:\n      approvals: [{role: legal}]\n" +
		"  - name: d\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"))
	if err == nil || !strings.Contains(err.Error(), "5:") || !strings.Contains(err.Error(), "only lists") {
		t.Errorf("a policy walking a map: %v", err)
	}
}
