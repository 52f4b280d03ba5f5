package policy

import (
	"strings"
	"testing"
)

// TestCasesCountTheReleaserAsTheGateDoes: the gate releases only for a member holding the
// release role (registry.ReleaseVersion), and the registry refuses a letter whose tag is given
// twice. `policy test` passed a case released by a drafter without the release role, and one
// with a tag given twice whose exists_one rule it then missed (found by audit, forty-ninth
// session): the office's CI said such letters leave when they cannot (the class of item 179).
// The first is not allowed now, with a note; the second is refused as a case.
func TestCasesCountTheReleaserAsTheGateDoes(t *testing.T) {
	p, err := Parse([]byte(`version: 1
name: x
rules:
  - name: one-embargo
    when: letter.tags.exists_one(t, t == "embargoed")
    require:
      approvals: [{role: reviewer, count: 2}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := RunCases(p, []byte(`members:
  dave: [drafter]
  rita: [reviewer]
  otto: [release]
cases:
  - name: released by a drafter who does not hold the release role
    letter: {author: dave}
    approvals: [rita]
    released_by: dave
    expect: {allowed: false}
  - name: released by the release officer
    letter: {author: dave}
    approvals: [rita]
    released_by: otto
    expect: {allowed: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if !r.Pass {
			t.Errorf("%s: %v (rules %v)", r.Name, r.Failures, r.Decision.Rules)
		}
	}
	if !strings.Contains(strings.Join(res[0].Decision.Notes, "\n"), "the release by dave is refused: dave does not hold the release role") {
		t.Errorf("the drafter's release: notes %q", res[0].Decision.Notes)
	}
	for _, letter := range []string{"{tags: [embargoed, embargoed]}", "{addressees: [Ministry, ministry]}", "{media_type: Text/Plain}"} {
		_, err := RunCases(p, []byte("cases:\n  - name: refused\n    letter: "+letter+"\n    expect: {allowed: false}\n"))
		if err == nil || !strings.Contains(err.Error(), "the registry") {
			t.Errorf("a case letter %s the registry refuses: %v", letter, err)
		}
	}
}
