package registry

import (
	"context"
	"testing"
)

// TestRegexCharClassEscape: a rule that matches a tag with a regular expression whose digits
// or separators are a character class ([0-9], \d, [-_]) was escaped by a tag that reads as
// one it matches, its digits full width or a look-alike letter, its separator a Unicode
// hyphen: the look-alike check compared only the pattern's literal text (found by audit,
// forty-ninth session). Such tags are refused at creation.
func TestRegexCharClassEscape(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	o.adopt(t, `version: 1
name: partial
rules:
  - name: restricted
    when: letter.tags.exists(t, t.matches("^embargo-[0-9]+$") || t.matches("^secret[-_]ops$") || t.matches("^[Ee]mbargoed$"))
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer, count: 2}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	for _, tag := range []string{"embargo-\uff11\uff12", "embargo-l2", "embargo-I2", "secret\u2010ops", "\u0435mbargoed"} {
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Operations", Class: "internal", Tags: []string{tag},
			Addressees: []string{"Headquarters"}, File: Upload{Name: "letter.txt", Data: []byte("Sir, ... " + tag + "\n")}})
		if err != nil {
			t.Logf("tag %q refused at creation: %v", tag, err)
			continue
		}
		o.approve(t, ref)
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
		if err := tryRelease(o, ref); err == nil {
			t.Errorf("a letter tagged %q (reads as one the restricted rule matches) was released on one signature", tag)
		} else {
			t.Logf("tag %q: %v", tag, err)
		}
	}
}
