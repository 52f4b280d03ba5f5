package dispatch

import (
	"context"
	"os/exec"
	"regexp"
	"testing"

	"github.com/chancery/chancery/internal/registry"
)

// TestSuggestedCommandQuotesTheFileName: a letter's message suggests `chancery verify FILE`
// with the released file's name, which is the drafter's to choose. Before the fix it was
// written as it was, so a name such as "x; touch pwned.txt" made the suggested command run
// another, and the name in the text was not the attachment's as mail programs save it (go-mail
// writes ':' and '"' as '_'). A real shell reads the suggested word back as the attachment's
// name.
func TestSuggestedCommandQuotesTheFileName(t *testing.T) {
	ctx := context.Background()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	for _, tc := range []struct{ name, attached string }{
		{"letter.txt", "letter.pdf"}, // a text letter is released as a PDF
		{"x; touch pwned $(id) `id` it's:\"b\".txt", "x; touch pwned $(id) `id` it's__b_.pdf"},
		{"-rf note.txt", "-rf note.pdf"},
		{"lettre à l'ambassade.txt", "lettre à l'ambassade.pdf"},
	} {
		o := newOffice(t)
		o.r.SetDispatch(registry.DispatchSettings{Mail: true})
		o.recipient(t, "ministry", "registry@mod.freedonia.example")
		ref, err := o.r.CreateLetter(ctx, o.drafter, registry.NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
			Addressees: []string{"Ministry of Defence of Freedonia"}, File: registry.Upload{Name: tc.name, Data: []byte("The brigade moves north.")}})
		if err != nil {
			t.Fatalf("%q: %v", tc.name, err)
		}
		o.approveAndSign(t, ref)
		if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
			t.Fatal(err)
		}
		if _, err := o.r.Dispatch(ctx, o.officer, ref, []string{"ministry"}); err != nil {
			t.Fatal(err)
		}
		out, err := o.r.Compose(ctx, takeAgain(t, o))
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Attachments) != 2 || out.Attachments[0].Name != tc.attached || out.Attachments[1].Name != tc.attached+".seal" {
			t.Errorf("%q: attachments %q, %q, want %q and its seal", tc.name, out.Attachments[0].Name, out.Attachments[1].Name, tc.attached)
		}
		m := regexp.MustCompile(`chancery verify --trust trust\.json (.*)\n`).FindStringSubmatch(out.Text)
		if m == nil {
			t.Fatalf("%q: no suggested command in %s", tc.name, out.Text)
		}
		got, err := exec.Command(sh, "-c", `printf '%s' `+m[1]).Output()
		if err != nil {
			t.Fatalf("%q: sh: %v", tc.name, err)
		}
		want := tc.attached
		if want[0] == '-' {
			want = "./" + want
		}
		if string(got) != want {
			t.Errorf("%q: the suggested command names %q, want %q (command: chancery verify %s)", tc.name, got, want, m[1])
		}
	}
}
