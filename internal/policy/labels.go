package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/lookalike"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

// Warning is a problem of a policy file that does not stop it from compiling, but probably
// makes it mean something its author did not intend: `chancery policy check` prints them.
type Warning struct {
	Line    int
	Message string
}

func (w Warning) String() string { return fmt.Sprintf("line %d: %s", w.Line, w.Message) }

// Warnings returns the policy file's warnings, in file order.
func (p *Policy) Warnings() []Warning { return p.warnings }

// Notes say, in file order, what rules do that their text alone may not show: a rule asking
// for no approval or signature adds to the default rule rather than replacing it.
// `chancery policy check` prints them.
func (p *Policy) Notes() []Warning { return p.notes }

// Classes returns the letter classes the policy declares (its `classes`), or nil if it does
// not declare them: then any class is accepted.
func (p *Policy) Classes() []string { return p.classes }

// Tags returns the tags the policy declares (its `tags`), or nil if it does not declare them.
func (p *Policy) Tags() []string { return p.tags }

// CheckLabels reports a class or a tag that the policy does not declare, naming the declared
// ones: a typo in a class ("foreign-govermnent") would otherwise match no rule and send the
// letter through the default rule (issue 12 item 14). A policy that declares no classes (or
// no tags) accepts any.
//
// A class or tag that reads as one the policy names (declares, or compares with in a
// condition) without being it is refused too, declared or not: "force-posture " or
// "force‐posture" (a Unicode hyphen) would match none of the rules written for
// "force-posture" while every reader sees that tag (lookalike.go).
func (p *Policy) CheckLabels(class string, tags []string) error {
	if p.classes != nil && !slices.Contains(p.classes, class) {
		return i18n.Errorf(nil, "class %q is not one of the policy's classes: %s", class, strings.Join(p.classes, ", "))
	}
	sk := lookalike.Skeleton(class)
	if like := p.readsAs(class, sk); like != "" {
		return i18n.Errorf(nil, "class %q reads as %q, which the policy names, but is not it: write it as the policy does", class, like)
	}
	if q, re := p.holdsAsRead(class, sk); re {
		return i18n.Errorf(nil, "class %q reads as one that the pattern %q of a condition of the policy matches, but is not: write it as the policy does", class, q)
	} else if q != "" {
		return i18n.Errorf(nil, "class %q reads as holding %q, which a condition of the policy looks for, but does not hold it: write it as the policy does", class, q)
	}
	for _, t := range tags {
		if p.tags != nil && !slices.Contains(p.tags, t) {
			return i18n.Errorf(nil, "tag %q is not one of the policy's tags: %s", t, strings.Join(p.tags, ", "))
		}
		sk := lookalike.Skeleton(t)
		if like := p.readsAs(t, sk); like != "" {
			return i18n.Errorf(nil, "tag %q reads as %q, which the policy names, but is not it: write it as the policy does", t, like)
		}
		if q, re := p.holdsAsRead(t, sk); re {
			return i18n.Errorf(nil, "tag %q reads as one that the pattern %q of a condition of the policy matches, but is not: write it as the policy does", t, q)
		} else if q != "" {
			return i18n.Errorf(nil, "tag %q reads as holding %q, which a condition of the policy looks for, but does not hold it: write it as the policy does", t, q)
		}
	}
	return nil
}

// labels reads a `classes` or `tags` list: tokens, each once, at least one.
func (ps *parser) labels(n *yaml.Node, what, one string) []string {
	out := []string{}
	line := map[string]int{}
	for _, v := range ps.sequence(n, what) {
		s, ok := ps.token(v, one)
		if !ok {
			continue
		}
		s = norm.NFC.String(s) // as the registry stores letters' classes and tags
		if l, dup := line[s]; dup {
			ps.errorf(v, "%s is listed twice under %s (first on line %d)", s, what, l)
			continue
		}
		line[s] = v.Line
		out = append(out, s)
	}
	if n.Kind == yaml.SequenceNode && len(n.Content) == 0 {
		ps.errorf(n, "%s is empty: list the %s letters may have, or leave the key out to accept any", what, what)
	}
	return out
}

// Literals compared with letter.class or tested against letter.tags in a condition. A scan of
// the source, not of the checked expression: it finds the usual forms (==, !=, in [...], in
// letter.tags) and is only used for warnings. The patterns are compiled on first use, not
// when the package is initialised, which every run of the command line would pay for.
var labelPatterns = sync.OnceValue(func() (p struct{ classEq, classEqRev, classIn, tagIn, tagsExists, stringInLst *regexp.Regexp }) {
	p.classEq = regexp.MustCompile(`letter\.class\s*(?:==|!=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`)
	p.classEqRev = regexp.MustCompile(`("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*(?:==|!=)\s*letter\.class\b`)
	p.classIn = regexp.MustCompile(`letter\.class\s+in\s*\[([^\]]*)\]`)
	p.tagIn = regexp.MustCompile(`("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s+in\s+letter\.tags\b`)
	p.tagsExists = regexp.MustCompile(`letter\.tags\.exists(?:_one)?\(\s*(\w+)\s*,\s*(\w+)\s*==\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')`)
	p.stringInLst = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)
	return p
})

// namedLabels returns the classes and tags a condition's source names.
func namedLabels(src string) (classes, tags []string) {
	unquote := func(q string) string { return q[1 : len(q)-1] }
	re := labelPatterns()
	for _, m := range re.classEq.FindAllStringSubmatch(src, -1) {
		classes = append(classes, unquote(m[1]))
	}
	for _, m := range re.classEqRev.FindAllStringSubmatch(src, -1) {
		classes = append(classes, unquote(m[1]))
	}
	for _, m := range re.classIn.FindAllStringSubmatch(src, -1) {
		for _, q := range re.stringInLst.FindAllString(m[1], -1) {
			classes = append(classes, unquote(q))
		}
	}
	for _, m := range re.tagIn.FindAllStringSubmatch(src, -1) {
		tags = append(tags, unquote(m[1]))
	}
	for _, m := range re.tagsExists.FindAllStringSubmatch(src, -1) {
		if m[1] == m[2] {
			tags = append(tags, unquote(m[3]))
		}
	}
	return classes, tags
}

// lintLabels warns about a rule's `when` or a disclose entry that names a class (or tag) the
// policy does not declare: a rule that can never match a letter the registry accepts.
func (ps *parser) lintLabels(root *yaml.Node, p *Policy) {
	if p.classes == nil && p.tags == nil {
		return
	}
	warn := func(line int, format string, args ...any) {
		p.warnings = append(p.warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
	}
	// A label that reads as a declared one without being it ("prеss" with a Cyrillic е
	// beside "press") is an error, not a warning: the rule looks as if it applied to the
	// declared label, to an admin approving the policy who is shown no warnings.
	undeclared := func(line int, kind, label string, declared []string) {
		for _, d := range declared {
			if lookalike.Skeleton(d) == lookalike.Skeleton(label) {
				ps.errorAt(line, 0, nil, "the %s %q reads as the declared %s %q but is not it: write the declared name", kind, label, kind, d)
				return
			}
		}
		plural := map[string]string{"class": "classes", "tag": "tags"}[kind]
		warn(line, "the condition names %s %q, which the policy does not declare (%s: %s): no letter can have it", kind, label, plural, strings.Join(declared, ", "))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case k.Value == "disclose" && v.Kind == yaml.MappingNode && p.classes != nil:
			for j := 0; j+1 < len(v.Content); j += 2 {
				if c := v.Content[j]; !slices.Contains(p.classes, norm.NFC.String(c.Value)) {
					if i := slices.IndexFunc(p.classes, func(d string) bool { return lookalike.Skeleton(d) == lookalike.Skeleton(c.Value) }); i >= 0 {
						ps.errorf(c, "disclose names class %q, which reads as the declared class %q but is not it: write the declared name", c.Value, p.classes[i])
					} else {
						warn(c.Line, "disclose names class %q, which the policy does not declare (classes: %s)", c.Value, strings.Join(p.classes, ", "))
					}
				}
			}
		case k.Value == "rules" && v.Kind == yaml.SequenceNode:
			for _, r := range v.Content {
				if r.Kind != yaml.MappingNode {
					continue
				}
				for j := 0; j+1 < len(r.Content); j += 2 {
					if r.Content[j].Value != "when" || r.Content[j+1].Kind != yaml.ScalarNode {
						continue
					}
					w := r.Content[j+1]
					classes, tags := namedLabels(norm.NFC.String(w.Value))
					for _, c := range classes {
						if p.classes != nil && !slices.Contains(p.classes, c) {
							undeclared(w.Line, "class", c, p.classes)
						}
					}
					for _, t := range tags {
						if p.tags != nil && !slices.Contains(p.tags, t) {
							undeclared(w.Line, "tag", t, p.tags)
						}
					}
				}
			}
		}
	}
}
