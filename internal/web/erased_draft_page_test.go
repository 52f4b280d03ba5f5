package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestErasedDraftPageSaysSo: a draft a server erased again (a backup taken before the letter
// was released and erased, restored) showed on its page as a draft with no subject, no
// addressees and no word of the erasure, with a release decision listing what it still
// needed, its actions (which all fail), and to a signer no page at all (its signing statement
// is refused). The page says that its content was erased, offers no action, and opens for all.
func TestErasedDraftPageSaysSo(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ctx := context.Background()
	ref := o.letter("Pension of Mrs Widow mkrerraseddraft", "# Pension\n\nSir, the pension of Mrs Widow mkrerraseddraft.\n")
	v, err := o.reg.Letter(ctx, o.actors["rita"], ref)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := o.reg.EraseLetterAgain(ctx, registry.ErasedLetter{Reference: ref, Created: v.CreatedAt, Digest: v.Versions[0].Digest}); err != nil || got != ref {
		t.Fatalf("erase the draft again: %q, %v", got, err)
	}
	for _, member := range []string{"rita", "sam", "dana"} {
		c := o.client()
		c.signIn(member)
		resp, body := c.get("/letters/" + ref)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("/letters/%s for %s: %d", ref, member, resp.StatusCode)
			continue
		}
		if !strings.Contains(body, "Content erased at the office") || strings.Contains(body, "mkrerraseddraft") {
			t.Errorf("the page of the erased draft %s for %s does not say that its content was erased, or shows it:\n%s", ref, member, body)
		}
		for _, action := range []string{"/approve", "/release", "/versions\"", "/export", "/preview", "chancery sign"} {
			if strings.Contains(body, action) {
				t.Errorf("the page of the erased draft %s offers %s an action it refuses (%s)", ref, member, action)
			}
		}
	}
	if v, err = o.reg.Letter(ctx, o.actors["rita"], ref); err != nil {
		t.Fatal(err)
	}
	if !v.DraftErased || v.Decision != nil {
		t.Errorf("the letter view of the erased draft %s: draft_erased %v, decision %+v", ref, v.DraftErased, v.Decision)
	}
}
