package policy

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/chancery/chancery/internal/seal"
)

// FuzzParse checks that no input makes Parse (or the cases reader) panic, that every error
// has a position inside the file, and that what compiles can decide.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"../../examples/policy.yaml", "../../examples/policy-cases.yaml", "testdata/bad-policy.yaml", "builtin.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(storyPolicy))
	f.Add([]byte("version: 1\nname: x\nrules:\n  - name: d\n    default: true\n    require: {approvals: [{role: r}]}\n"))
	f.Add([]byte("version: 1\nname: x\nrules:\n  - name: r\n    when: \"letter.size >\\\n 1\"\n    require: {approvals: [{role: r}]}\n"))
	f.Add([]byte("version: 1\nname: x\ngroups: {g: &a [a]}\nrules: *a\n"))
	f.Add([]byte("version: 1\nname: x\nrules:\n  - name: r\n    when: >\n      letter.tags.exists(t,\n\n      t == 'a')\n    require: {approvals: [{group: g, count: 2}]}\n"))
	f.Add([]byte("\xef\xbb\xbfversion: 1\r\nname: x\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		check := func(err error) {
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error %v (%T) is not Errors", err, err)
			}
			for _, e := range es {
				if e.Line < 1 || e.Line > lines || e.Column < 0 || e.Msg == "" || e.File != "f.yaml" && e.File != "" {
					t.Fatalf("error without a position in the file (%d lines): %#v", lines, e)
				}
			}
		}
		p, err := ParseFile("f.yaml", data)
		if err != nil {
			if p != nil {
				t.Fatal("a policy and an error")
			}
			check(err)
		} else {
			if p.Digest != seal.DigestOf(data) || len(p.rules) == 0 || p.rules[len(p.rules)-1].when != nil {
				t.Fatalf("compiled policy without its digest or default rule: %+v", p)
			}
			d := p.Decide(Facts{Class: "press", Tags: []string{"a"}, Size: 1}, Evidence{Approvals: []Actor{{Name: "a", Roles: []string{"r"}}}})
			if len(d.Rules) == 0 {
				t.Fatal("no rule applied")
			}
		}
		if _, err := RunCases(Builtin(), data); err != nil {
			check(err)
		}
	})
}
