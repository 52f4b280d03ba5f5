package registry

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/policy"
)

// TestCreateLetterRefusesUndeclaredClass is issue 12 item 14: under a policy that declares its
// classes, a typo in the class ("foreign-govermnent") is refused with the declared classes in
// the message, instead of sending the letter through the default rule.
func TestCreateLetterRefusesUndeclaredClass(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	src, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatal(err)
	}
	nl := func(class string, tags ...string) NewLetter {
		return NewLetter{Subject: "Withdrawal of forces", Class: class, Tags: tags,
			Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: "letter.txt", Data: []byte("Sir, ...\n")}}
	}
	for _, class := range []string{"foreign-govermnent", "Foreign-Government", "", "invitation"} {
		_, err := o.r.CreateLetter(ctx, o.drafter, nl(class, "force-posture"))
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("class %q: %v, want ErrInvalid", class, err)
			continue
		}
		if class != "" && !strings.Contains(err.Error(), "foreign-government, press, internal") {
			t.Errorf("class %q: %v, want the declared classes in the message", class, err)
		}
	}
	if _, err := o.r.CreateLetter(ctx, o.drafter, nl("foreign-government", "force-posture")); err != nil {
		t.Errorf("a declared class: %v", err)
	}
	// The example declares no tags: any tag is accepted.
	if _, err := o.r.CreateLetter(ctx, o.drafter, nl("press", "anything")); err != nil {
		t.Errorf("an undeclared tag under a policy that declares none: %v", err)
	}
}

// TestGateRefusesClassUndeclaredByThePolicyInForce: a letter created before the office
// adopted a policy that declares its classes keeps its class; a misspelt one
// ("foreign-govermnent") matches none of the new policy's rules, so the gate must refuse it
// rather than release it under the default rule, which asks for less than the office wrote
// for letters to foreign governments.
func TestGateRefusesClassUndeclaredByThePolicyInForce(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Withdrawal of forces", Class: "foreign-govermnent",
		Tags: []string{"force-posture"}, Addressees: []string{"Ministry of Defence of Freedonia"},
		File: Upload{Name: "letter.txt", Data: []byte("Sir, ...\n")}})
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := policy.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
		t.Fatal(err)
	}
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	_, err = o.r.Release(ctx, o.officer, ref)
	var gate *GateError
	if !errors.As(err, &gate) || !strings.Contains(err.Error(), `class "foreign-govermnent" is not one of the policy's classes`) {
		t.Fatalf("release of a letter whose class the policy in force does not declare: %v, want the gate's refusal naming the class", err)
	}
}

// TestCreateLetterRefusesATagGivenTwice: a rule such as
// letter.tags.exists_one(t, t == "force-posture") misses a letter that gives its tag twice,
// which reads as one tag on every page.
func TestCreateLetterRefusesATagGivenTwice(t *testing.T) {
	o := newOffice(t)
	_, err := o.r.CreateLetter(context.Background(), o.drafter, NewLetter{Subject: "Withdrawal of forces", Class: "foreign-government",
		Tags: []string{"force-posture", "force-posture"}, Addressees: []string{"Ministry of Defence of Freedonia"},
		File: Upload{Name: "letter.txt", Data: []byte("Sir, ...\n")}})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `tag "force-posture" is given twice`) {
		t.Fatalf("a tag given twice: %v, want ErrInvalid", err)
	}
}

// TestCreateLetterRefusesAnAddresseeGivenTwice: as a tag given twice (item 102), an addressee
// given twice is counted twice by letter.addressees.exists_one(…), which then misses the
// letter that reads as addressed to it once. The addressees are compared as conditions see
// them (NFC, spaces made single), with capitals folded as a "(?i)" condition folds them.
func TestCreateLetterRefusesAnAddresseeGivenTwice(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	create := func(addressees ...string) error {
		_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Withdrawal of forces", Class: "foreign-government",
			Tags: []string{"force-posture"}, Addressees: addressees,
			File: Upload{Name: "letter.txt", Data: []byte("Sir, ... " + strings.Join(addressees, ", ") + "\n")}})
		return err
	}
	for _, c := range []struct {
		addressees []string
		want       string
	}{
		{[]string{"Ministry of Defence of Freedonia", "Ministry of Defence of Freedonia"},
			`addressee "Ministry of Defence of Freedonia" is given twice`},
		{[]string{"Ministère de la Défense", "Embassy of Freedonia", "Ministe\u0300re de la De\u0301fense"},
			`addressee "Ministère de la Défense" is given twice`},
		{[]string{"Ministry of Defence of Freedonia", "Ministry of\u00a0Defence  of Freedonia"},
			`addressee "Ministry of Defence of Freedonia" is given twice`},
		{[]string{"hq@mod.example", "HQ@MOD.example"},
			`addressees "hq@mod.example" and "HQ@MOD.example" differ only in capitals`},
	} {
		err := create(c.addressees...)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("addressees %q: %v, want ErrInvalid saying %s", c.addressees, err, c.want)
		}
	}
	if err := create("Ministry of Defence of Freedonia", "Ministry of Defence of Corvalia"); err != nil {
		t.Errorf("two addressees: %v", err)
	}
}

// TestLookAlikeLabelsDoNotEscapeTheirRule: under the example policy, a letter to a foreign
// government tagged "force-posture" with a no-break space after it, or with a Unicode hyphen,
// reads as the force-posture letter on every page but matched none of its rule, and was
// released on the default rule's one approval and one signature (no legal review, no chain
// of command, not two of the three command signers, no release officer). An addressee with a
// space after it escaped a rule anchored at its end the same way.
func TestLookAlikeLabelsDoNotEscapeTheirRule(t *testing.T) {
	o := newOffice(t)
	ctx := context.Background()
	nl := func(tag, addressee string) NewLetter {
		return NewLetter{Subject: "Withdrawal of forces", Class: "foreign-government", Tags: []string{tag},
			Addressees: []string{addressee}, File: Upload{Name: "letter.txt", Data: []byte("Sir, ... " + tag + addressee + "\n")}}
	}
	released := func(ref string) bool {
		t.Helper()
		o.approve(t, ref)
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
		return tryRelease(o, ref) == nil
	}
	// Created under the built-in policy, which names no tag; released under the example.
	before, err := o.r.CreateLetter(ctx, o.drafter, nl("force\u2010posture", "Ministry of Defence of Freedonia"))
	if err != nil {
		t.Fatal(err)
	}
	adopt := func(src []byte) {
		t.Helper()
		p, err := policy.Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.AdoptPolicy(ctx, o.admin, p, src); err != nil {
			t.Fatal(err)
		}
	}
	src, err := os.ReadFile("../../examples/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	adopt(src)
	if released(before) {
		t.Errorf("a letter tagged %q was released on the default rule", "force\u2010posture")
	}
	for _, tag := range []string{"force-posture\u00a0", "force-posture ", "force\u2011posture"} {
		ref, err := o.r.CreateLetter(ctx, o.drafter, nl(tag, "Ministry of Defence of Freedonia"))
		if err == nil && released(ref) {
			t.Errorf("a letter tagged %q was released on the default rule", tag)
		} else if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("tag %q: %v, want ErrInvalid", tag, err)
		}
	}

	adopt([]byte(`version: 1
name: ministries
rules:
  - name: ministry-of-defence
    when: letter.addressees.exists(a, a.matches("(?i)@mod\\.example$"))
    require:
      approvals: [{role: legal}]
      signatures: [{role: signer, count: 2}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer}]
      signatures: [{role: signer}]
`))
	for _, addressee := range []string{"minister@mod.example ", "minister@mod.example\u00a0", " minister@mod.example"} {
		ref, err := o.r.CreateLetter(ctx, o.drafter, nl("x", addressee))
		if err == nil && released(ref) {
			t.Errorf("a letter to %q was released on the default rule", addressee)
		} else if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("addressee %q: %v, want ErrInvalid", addressee, err)
		}
	}
	if _, err := o.r.CreateLetter(ctx, o.drafter, nl("x", "Minister of Defence, minister@mod.example")); err != nil {
		t.Errorf("an addressee without spaces at its ends: %v", err)
	}
}
