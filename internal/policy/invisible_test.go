package policy

import "testing"

// TestInvisibleControlsRefused: a policy file could hold bidirectional controls (U+202E,
// U+2066, U+2069) or other invisible format characters (U+200B) inside a condition's string
// constant. Shown as text (the members page shows a proposed policy's file raw in a <pre>, for
// the second admin under two_admins; an editor; a terminal), the line
//
//	when: letter.class == "press<RLO> <LRI># press releases<PDI> <LRI>"
//
// reads `when: letter.class == "press" # press releases`, and
//
//	when: letter.class == "pre<ZWSP>ss"
//
// reads `when: letter.class == "press"`; compiled, each compares the class with a string no class
// can be, so press letters left under the default rule, and `policy check` said nothing
// (found by audit, forty-ninth session). Such characters are refused anywhere in the file, and
// a condition's class that reads as a declared one without being it ("prеss", a Cyrillic е)
// is an error rather than a warning.
func TestInvisibleControlsRefused(t *testing.T) {
	for _, when := range []string{
		"letter.class == \"press\u202e \u2066# press releases\u2069 \u2066\"",
		"letter.class == \"pre\u200bss\"",
		"letter.class == \"pr\u0435ss\"",
	} {
		src := "version: 1\nname: x\nclasses: [press, internal]\nrules:\n  - name: press\n    when: " + when + "\n" +
			"    require:\n      approvals: [{role: reviewer, count: 2}]\n      signatures: [{role: signer, count: 2}]\n" +
			"  - name: default\n    default: true\n    require:\n      approvals: [{role: reviewer}]\n"
		p, err := Parse([]byte(src))
		if err == nil {
			d := p.Decide(Facts{Class: "press"}, Evidence{})
			t.Errorf("%+q compiles (warnings %v, labels check %v); a press letter gets rules %v", when, p.Warnings(), p.CheckLabels("press", nil), d.Rules)
		}
	}
}
