package policy

import "github.com/chancery/chancery/internal/lookalike"

// A letter's class and tags are typed by its drafter, and a rule matches them by exact
// comparison: a tag that reads as one a rule names without being it ("force-posture " with a
// space after it, "force‐posture" with a Unicode hyphen, a Cyrillic "о") matches none of the
// rules that name it, and the letter leaves under the default rule while everyone who reads
// it sees the tag the office wrote a stricter rule for. The policy refuses such labels
// (CheckLabels): a label equal to one the policy names is that label; one that only reads
// as it (lookalike.Skeleton) is refused.

// addNamed records label as one the policy names, under its skeleton (the first one named
// with a skeleton stands for the others in messages).
func (p *Policy) addNamed(label string) {
	if label == "" {
		return
	}
	if p.named == nil {
		p.named = map[string]bool{}
		p.skeletons = map[string]string{}
	}
	p.named[label] = true
	if sk := lookalike.Skeleton(label); p.skeletons[sk] == "" {
		p.skeletons[sk] = label
	}
}

// readsAs returns the label the policy names that s reads as without being it, or "".
func (p *Policy) readsAs(s string) string {
	if p.named[s] {
		return ""
	}
	return p.skeletons[lookalike.Skeleton(s)]
}
