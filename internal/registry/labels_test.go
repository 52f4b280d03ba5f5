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
