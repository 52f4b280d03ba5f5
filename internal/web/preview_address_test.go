package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestPreviewAddressSaysDraftPreview: a preview's QR code leads to /v/REF/PREVIEW. Scanned
// from a preview whose marks were cut off, after a version of REF was released, that address
// answered "A letter with this reference exists … and has not been withdrawn", and charged a
// wrong check code: a reader holding the preview of a version never released was reassured.
// It now says, for any reference, without looking it up or charging a code, that the paper is
// a draft preview and not an official document.
func TestPreviewAddressSaysDraftPreview(t *testing.T) {
	o := newOffice(t, server.Config{})
	released := o.letter("Released", "The arrangements stand.")
	o.release(released)
	draft := o.letter("Draft", "Nothing is decided.")
	doc, err := o.reg.Preview(context.Background(), o.actors["dana"], draft)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc) == 0 {
		t.Fatal("empty preview")
	}
	c := o.client()
	for i, ref := range []string{released, draft, "TFN-2026-999999"} {
		n := 1
		if i == 0 {
			n = server.CodeBurst + 2 // more than the wrong check codes a client may send at once
		}
		for range n {
			resp, body := c.get("/v/" + ref + "/" + registry.PreviewCode)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("/v/%s/PREVIEW: %s", ref, resp.Status)
			}
			if !strings.Contains(body, "NOT AN OFFICIAL DOCUMENT") || !strings.Contains(body, "draft previews") || strings.Contains(body, "A letter with this reference exists") {
				t.Fatalf("/v/%s/PREVIEW does not say the paper is a draft preview:\n%s", ref, body)
			}
		}
	}
	// The released letter's own code still answers as the letter.
	if _, body := c.get("/v/" + released + "/" + o.code(released)); !strings.Contains(body, "Released and valid") {
		t.Errorf("the released letter's own address:\n%s", body)
	}
}
