package web_test

import (
	"context"
	"mime"
	"net/http"
	"net/url"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestDownloadNamesEncoded: the released file and the draft copies are downloaded under the
// letter's file name, which may have accents, other scripts and quotes. The released file's
// header carried such a name as Go quotes it (%q), raw UTF-8 bytes in a header where each
// browser guesses the encoding, without the filename* of RFC 6266; every download now
// names its file in ASCII, with filename* for the rest, and the name reads back exactly.
func TestDownloadNamesEncoded(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t, server.Config{})
	ref, err := o.reg.CreateLetter(ctx, o.actors["dana"], registry.NewLetter{Subject: "Coordination", Class: "foreign-government",
		Addressees: []string{"Ministry of Defence"}, File: registry.Upload{Name: `Lettre "à" M. Dupont; رسالة.md`, MediaType: "text/markdown",
			Data: []byte("# Coordination\n\nSir, the letter.\n")}})
	if err != nil {
		t.Fatal(err)
	}
	c := o.client()
	tok := c.signIn("rita")
	copyResp, _ := c.post("/letters/"+ref+"/versions/1/copy", url.Values{"csrf": {tok}})
	o.release(ref)
	fileResp, _ := c.get("/v/" + ref + "/" + o.code(ref) + "/file")
	for _, d := range []struct {
		what string
		resp *http.Response
		want string
	}{
		{"the released file", fileResp, `Lettre "à" M. Dupont; رسالة.pdf`},
		{"a draft copy", copyResp, "DRAFT-" + ref + `-v1-Lettre "à" M. Dupont; رسالة-DRAFT-v1.pdf`},
	} {
		h := d.resp.Header.Get("Content-Disposition")
		if d.resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", d.what, d.resp.Status)
			continue
		}
		for i := 0; i < len(h); i++ {
			if h[i] >= 0x80 {
				t.Errorf("%s: Content-Disposition %q has bytes outside ASCII", d.what, h)
				break
			}
		}
		kind, params, err := mime.ParseMediaType(h)
		if err != nil || kind != "attachment" || params["filename"] != d.want {
			t.Errorf("%s: Content-Disposition %q reads as %q %q, %v; want the file name %q", d.what, h, kind, params["filename"], err, d.want)
		}
	}
}
