package registry

import (
	"context"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/policy"
)

// TestLookAlikeLabelsDoNotEscapePartialRules: a rule that looks for part of a tag
// (startsWith, endsWith, a regular expression) was escaped by a tag that reads as holding that
// part without holding it, in capitals or with a Cyrillic letter: the letter left on the
// default rule's one approval and one signature instead of the two signatures the rule asks
// for. Created before the policy was adopted, such a letter is refused at the gate; after, at
// creation.
func TestLookAlikeLabelsDoNotEscapePartialRules(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	nl := func(tag string) NewLetter {
		return NewLetter{Subject: "Operations", Class: "internal", Tags: []string{tag},
			Addressees: []string{"Headquarters"}, File: Upload{Name: "letter.txt", Data: []byte("Sir, ... " + tag + "\n")}}
	}
	released := func(ref string) bool {
		t.Helper()
		o.approve(t, ref)
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
		return tryRelease(o, ref) == nil
	}
	tags := []string{"Secret-ops", "s\u0435cret-ops", "uk-Eyes-Only", "Embargo-12", "\u0435mbargo-12"}
	var before []string
	for _, tag := range tags {
		ref, err := o.r.CreateLetter(ctx, o.drafter, nl(tag))
		if err != nil {
			t.Fatalf("tag %q under the built-in policy: %v", tag, err)
		}
		before = append(before, ref)
	}
	src := []byte(`version: 1
name: partial
rules:
  - name: restricted
    when: letter.tags.exists(t, t.startsWith("secret-") || t.endsWith("-eyes-only") || t.matches("^embargo-[0-9]+$"))
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer, count: 2}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`)
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatal(err)
	}
	for i, ref := range before {
		if released(ref) {
			t.Errorf("a letter tagged %q, created before the policy, was released on one signature", tags[i])
		}
	}
	for _, tag := range tags {
		ref, err := o.r.CreateLetter(ctx, o.drafter, nl(tag))
		if err == nil && released(ref) {
			t.Errorf("a letter tagged %q was released on one signature", tag)
		} else if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("tag %q: %v, want ErrInvalid", tag, err)
		}
	}
	// Tags written as the rule reads them, or that hold nothing it looks for, are taken.
	for _, tag := range []string{"secret-ops", "uk-eyes-only", "embargo-12", "routine"} {
		if _, err := o.r.CreateLetter(ctx, o.drafter, nl(tag)); err != nil {
			t.Errorf("tag %q: %v", tag, err)
		}
	}
}
