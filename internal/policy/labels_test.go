package policy

import (
	"os"
	"slices"
	"strings"
	"testing"
)

const labelsPolicy = `version: 1
name: labels
classes: [foreign-government, press]
tags: [force-posture]
disclose:
  press: [reference]
  pres: [subject]
rules:
  - name: posture
    when: letter.class == "foreign-govermnent" && "force-posture" in letter.tags
    require:
      approvals:
        - role: legal
          count: 1
  - name: press
    when: letter.class in ["press", 'internal'] || "press" == letter.class || "embargo" in letter.tags
    require:
      approvals:
        - role: reviewer
          count: 1
  - name: default
    default: true
    require:
      approvals:
        - role: reviewer
          count: 1
`

// TestPolicyDeclaresClasses is issue 12 item 14: a policy that lists its classes (and tags)
// refuses letters with others, and policy check warns about a rule or disclose entry that
// names one it does not list (here the very typo that sent a letter through the default rule).
func TestPolicyDeclaresClasses(t *testing.T) {
	p, err := Parse([]byte(labelsPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Classes(), []string{"foreign-government", "press"}) || !slices.Equal(p.Tags(), []string{"force-posture"}) {
		t.Errorf("classes %q, tags %q", p.Classes(), p.Tags())
	}
	var got []string
	for _, w := range p.Warnings() {
		got = append(got, w.String())
	}
	want := []string{
		`line 7: disclose names class "pres"`,
		`line 10: the condition names class "foreign-govermnent"`,
		`line 16: the condition names class "internal"`,
		`line 16: the condition names tag "embargo"`,
	}
	if len(got) != len(want) {
		t.Fatalf("warnings %q, want %d", got, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("warning %d: %q, want %q…", i, got[i], w)
		}
	}
	for _, tc := range []struct {
		class string
		tags  []string
		msg   string
	}{
		{"foreign-government", []string{"force-posture"}, ""},
		{"press", nil, ""},
		{"foreign-govermnent", []string{"force-posture"}, `class "foreign-govermnent" is not one of the policy's classes: foreign-government, press`},
		{"press", []string{"force-postrue"}, `tag "force-postrue" is not one of the policy's tags: force-posture`},
	} {
		err := p.CheckLabels(tc.class, tc.tags)
		if (tc.msg == "") != (err == nil) || err != nil && err.Error() != tc.msg {
			t.Errorf("CheckLabels(%q, %q) = %v, want %q", tc.class, tc.tags, err, tc.msg)
		}
	}

	// A policy that declares nothing accepts any class and warns about nothing.
	b := Builtin()
	if b.Classes() != nil || b.CheckLabels("anything", []string{"at-all"}) != nil || len(b.Warnings()) != 0 {
		t.Errorf("the built-in policy restricts labels: %q %v", b.Classes(), b.Warnings())
	}
	// The example policy declares the classes its rules use, without warnings.
	src, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ex.Classes(), []string{"foreign-government", "press", "internal"}) || len(ex.Warnings()) != 0 {
		t.Errorf("examples/policy.yaml: classes %q, warnings %v", ex.Classes(), ex.Warnings())
	}
}

func TestPolicyClassesMalformed(t *testing.T) {
	for src, msg := range map[string]string{
		"classes: []\n":                    "classes is empty",
		"classes: [press, press]\n":        "press is listed twice under classes",
		"classes: [\"a b\"]\n":             `class "a b" must be 1 to 64 characters`,
		"tags: press\n":                    "tags",
		"classes: [press]\ntags: [x, x]\n": "x is listed twice under tags",
	} {
		_, err := Parse([]byte("version: 1\nname: t\n" + src + "rules:\n  - name: d\n    default: true\n    require:\n      approvals:\n        - role: reviewer\n          count: 1\n"))
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: %v, want %q", src, err, msg)
		}
	}
}
