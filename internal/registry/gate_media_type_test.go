package registry

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/chancery/chancery/internal/policy"
)

// scanPolicy asks for a second reviewer for scans, which reviewers cannot check word for word.
const scanPolicy = `version: 1
name: scans
rules:
  - name: scans
    when: 'letter.media_type in ["image/png", "image/jpeg", "image/tiff"]'
    require:
      approvals: [{role: reviewer, count: 2}]
      signatures: [{role: signer, count: 1}]
  - name: default
    default: true
    require:
      approvals: [{role: reviewer, count: 1}]
      signatures: [{role: signer, count: 1}]
`

// TestMediaTypeConditionSeesTheContentsType: the content decides the type of a PDF, a Word
// document or a picture, whatever the drafter declares, and a condition over
// letter.media_type sees that type. A declaration that named it in capitals or with a
// parameter ("IMAGE/PNG", "image/png; name=scan") was kept as written, so a rule for scans
// (`letter.media_type in ["image/png", …]`, or `startsWith("image/")` for capitals) missed
// the picture, which was released under the default rule, on one approval where the office
// asked for two.
func TestMediaTypeConditionSeesTheContentsType(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	p, err := policy.Parse([]byte(scanPolicy))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.r.AdoptPolicy(ctx, o.admin, p, []byte(scanPolicy)); err != nil {
		t.Fatal(err)
	}
	scan := picture(t, "png")
	for i, declared := range []string{"image/png", "IMAGE/PNG", "image/png; name=scan"} {
		data := append(slices.Clone(scan), byte(i)) // each letter's own bytes
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
			Addressees: []string{"Ministry of Defence of Freedonia"}, File: Upload{Name: "scan.png", MediaType: declared, Data: data}})
		if err != nil {
			t.Fatalf("%q: %v", declared, err)
		}
		o.approve(t, ref)
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
		rel, err := o.r.Release(ctx, o.officer, ref)
		if err == nil {
			t.Errorf("a scan declared as %q was released at log entry %d on one approval", declared, rel.LogIndex)
			continue
		}
		var gate *GateError
		if !errors.As(err, &gate) || !slices.Equal(gate.Decision.Rules, []string{"scans"}) {
			t.Errorf("a scan declared as %q: %v, want the gate's refusal under the rule for scans", declared, err)
		}
	}
}
