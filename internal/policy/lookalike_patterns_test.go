package policy

import (
	"strings"
	"testing"
)

// TestLookAlikeBeyondLiterals: CheckLabels refuses a class or tag that reads as a label the
// policy writes as a string constant, or as holding the literal text of a pattern or the text
// given to startsWith/endsWith/contains on a label. A label a condition built (concatenation),
// a pattern's character class ([0-9], [Ee], [-_]), and a startsWith on a tag reached by index
// (letter.tags[0]) were not compared as they read: a look-alike class or tag escaped the rule
// and the letter left under the default (found by audit, forty-ninth session). Constants
// joined with + are refused, a pattern is matched against the label's readings too, and an
// index of letter.tags is a label.
func TestLookAlikeBeyondLiterals(t *testing.T) {
	for _, tc := range []struct {
		when, class string
		tags        []string
	}{
		{`letter.class == "foreign-" + "government"`, "foreign\u2010government", nil},
		{`letter.class.matches("^[Ee]mbargoed$")`, "\u0435mbargoed", nil},
		{`letter.class.matches("^embargo-[0-9]+$")`, "embargo-\uff11\uff12", nil},
		{`letter.class.matches("^embargo-[0-9]+$")`, "embargo-l2", nil},
		{`letter.class.matches("^embargo-[0-9]+$")`, "embargo-I2", nil},
		{`letter.class.matches("^embargo-[0-9]+$")`, "embargo-O1", nil},
		{`letter.class.matches("^secret[-_]ops$")`, "secret\u2010ops", nil},
		{`size(letter.tags) > 0 && letter.tags[0].startsWith("secret-")`, "x", []string{"Secret-ops"}},
	} {
		src := "version: 1\nname: x\nrules:\n  - name: r\n    when: '" + tc.when + "'\n    require:\n      signatures: [{role: signer, count: 2}]\n" +
			"  - name: default\n    default: true\n    require:\n      signatures: [{role: signer}]\n"
		p, err := Parse([]byte(src))
		if err != nil {
			// Refused as it is written: the label is not accepted either.
			if !strings.Contains(err.Error(), "may not join string constants with +") {
				t.Errorf("%s: %v", tc.when, err)
			}
			continue
		}
		d := p.Decide(Facts{Class: tc.class, Tags: tc.tags}, Evidence{})
		if err := p.CheckLabels(tc.class, tc.tags); err == nil {
			t.Errorf("class %q, tags %q (read as what %s looks for) are accepted; rules applied: %v", tc.class, tc.tags, tc.when, d.Rules)
		}
	}
}

// TestPatternsKeepLabelsThatReadAsThemselves: the readings of a label that a pattern matches
// refuse no label the pattern matches, nor one whose words read as no digits.
func TestPatternsKeepLabelsThatReadAsThemselves(t *testing.T) {
	p := mustParse(t, "version: 1\nname: x\nrules:\n  - name: r\n    when: 'letter.tags.exists(t, t.matches(\"^embargo-[0-9]+$\"))'\n"+
		"    require:\n      signatures: [{role: signer, count: 2}]\n  - name: default\n    default: true\n    require:\n      signatures: [{role: signer}]\n")
	for _, tag := range []string{"embargo-12", "embargo-2027", "embargoed", "embargo-lifted", "posture", "\u0646\u0627\u0645\u0647"} {
		if err := p.CheckLabels("internal", []string{tag}); err != nil {
			t.Errorf("tag %q: %v", tag, err)
		}
	}
}
