package dispatch

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/registry"
)

// TestLongFileNameKeepsHeaderLinesShort: go-mail writes an attachment's name, encoded, on one
// line of the part's header, and a released file named with some hundred letters in Arabic
// (or a thousand in ASCII) made lines of 2,900 characters, past the 998 RFC 5322 allows, which
// mail servers refuse or break (audit, fifty-sixth session, live with Mailpit). The name is cut,
// its extension kept, and the message's text names the attachment as it is attached.
func TestLongFileNameKeepsHeaderLinesShort(t *testing.T) {
	ctx := context.Background()
	for _, name := range []string{
		strings.Repeat("رسالة إلى وزارة الدفاع ", 20) + ".md",
		strings.Repeat("letter to the ministry ", 45) + ".txt",
	} {
		o := newOffice(t)
		o.r.SetDispatch(registry.DispatchSettings{Mail: true})
		o.recipient(t, "ministry", "registry@mod.freedonia.example")
		ref, err := o.r.CreateLetter(ctx, o.drafter, registry.NewLetter{Subject: "Repositioning of forces", Class: "foreign-government",
			Addressees: []string{"Ministry of Defence of Freedonia"}, File: registry.Upload{Name: name, Data: []byte("The brigade moves north.")}})
		if err != nil {
			t.Fatal(err)
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
		attached := out.Attachments[0].Name
		if !strings.HasSuffix(attached, ".pdf") || !utf8.ValidString(attached) || out.Attachments[1].Name != attached+".seal" {
			t.Errorf("attachments %q and %q, want a .pdf and its seal", attached, out.Attachments[1].Name)
		}
		if !strings.Contains(out.Text, "("+attached+".seal)") {
			t.Errorf("the text does not name the seal as attached (%q):\n%s", attached+".seal", out.Text)
		}
		m, err := Message("registry@tfn.example", out)
		if err != nil {
			t.Fatal(err)
		}
		var raw bytes.Buffer
		if _, err := m.WriteTo(&raw); err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(raw.String(), "\r\n") {
			if len(line) > 998 {
				t.Errorf("%d-byte name: line %d of the message has %d characters: %.120s…", len(name), i+1, len(line), line)
			}
		}
	}
}
