package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestVerifyPageTellsASealFileFromALetter: a letter's seal file chosen on the verify page,
// in place of the letter, is said to be a seal, in the page's language, and nothing is asked
// of the server. Before, its digest was sent and the page answered that the office has no
// letter with these bytes, that it "may be altered, forged", for the genuine seal of a valid
// letter. A seal with bytes after it is no seal, and is checked as any file is.
func TestVerifyPageTellsASealFileFromALetter(t *testing.T) {
	ctx := browser(t)
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination", "# Coordination\n\nSir,\n")
	file := o.release(ref)
	sum := sha256.Sum256(file)
	st, err := o.reg.VerifyDigest(context.Background(), o.actors["otto"], seal.Digest("sha256:"+hex.EncodeToString(sum[:])))
	if err != nil || st.Seal == nil {
		t.Fatalf("the released letter's seal: %v", err)
	}
	dir := t.TempDir()
	sealFile := filepath.Join(dir, ref+".pdf.seal")
	if err := os.WriteFile(sealFile, st.Seal.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, o: o}
	for _, tc := range []struct{ lang, want string }{
		{"en", "seal file, not a letter"},
		{"fr", "fichier de sceau, pas une lettre"},
		{"ar", "ملف ختم وليس رسالة"},
	} {
		b.acceptLanguage(tc.lang)
		b.open("/verify", "#verify-file")
		o.requests()
		b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{sealFile}))
		var status string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			// One look at the page: the address, then the status line or, on another page, its text.
			seen, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[location.pathname + location.search, (document.getElementById("verify-status") || document.querySelector("main")).innerText]`))
			if err != nil || len(seen) != 2 {
				continue
			}
			if seen[0] != "/verify" {
				t.Fatalf("in %s, the seal file led to %s:\n%s", tc.lang, seen[0], seen[1])
			}
			if status = seen[1]; strings.Contains(status, tc.want) {
				break
			}
		}
		if !strings.Contains(status, tc.want) {
			t.Errorf("in %s, the status says %q; want %q", tc.lang, status, tc.want)
		}
		// The browser fetches the site's icon when it will, after the page: that asks nothing
		// about the file.
		rs := slices.DeleteFunc(o.requests(), func(r seenRequest) bool { return r.Method == "GET" && r.URI == "/favicon.ico" })
		if len(rs) > 0 {
			t.Errorf("in %s, the seal file sent %d requests, the first %s %s", tc.lang, len(rs), rs[0].Method, rs[0].URI)
		}
	}
	// Bytes after the seal: not a seal, the file's digest is asked about.
	b.acceptLanguage("en")
	spoiled := filepath.Join(dir, "spoiled.seal")
	if err := os.WriteFile(spoiled, append(st.Seal.Marshal(), "garbage"...), 0o644); err != nil {
		t.Fatal(err)
	}
	b.open("/verify", "#verify-file")
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#verify-file"), []string{spoiled}), chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got := b.text("#verdict"); !strings.Contains(got, "Unknown") {
		t.Errorf("a spoiled seal: %q", got)
	}
}
