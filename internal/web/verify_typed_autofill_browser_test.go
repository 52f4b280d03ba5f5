package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/server"
	"github.com/chromedp/chromedp"
)

// TestVerifyTypedDigestNotKeptForAutofill: a digest typed into the verify page's form (as
// the page without JavaScript says to do, from sha256sum) is a capability; the browser does
// not keep it among the values it offers to fill forms with (Chromium's "Web Data", which a
// synced profile carries), as it keeps a text field's submitted value unless the field says
// autocomplete="off". Chromium's session files (Default/Sessions) are not searched: they
// can hold the post of the answer's history entry, the residue item 815 leaves, which is
// not autofill and is written at a moment of the browser's choosing.
func TestVerifyTypedDigestNotKeptForAutofill(t *testing.T) {
	profile := t.TempDir()
	ctx := browser(t, chromedp.UserDataDir(profile))
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Coordination of force movements", "# Coordination\n\nSir,\n")
	released := o.release(ref)
	sum := sha256.Sum256(released)
	hexSum := hex.EncodeToString(sum[:])

	b := &tab{t: t, ctx: ctx, o: o}
	b.open("/verify", "#q")
	b.do(chromedp.SendKeys(chromedp.CSS("#q"), "sha256:"+hexSum), chromedp.Submit(chromedp.CSS("#q")), chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got := b.text("#main"); !strings.Contains(got, "Coordination of force movements") {
		t.Fatalf("the answer for the typed digest:\n%s", got)
	}
	b.open("/verify", "#q")
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if kept(t, profile, hexSum) {
			t.Fatalf("the browser's profile keeps the typed digest for autofill")
		}
	}
}

// kept reports whether a file of the browser's profile, outside its session files, holds s.
func kept(t *testing.T, profile, s string) bool {
	t.Helper()
	found := false
	filepath.WalkDir(profile, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() && d.Name() == "Sessions" {
			return filepath.SkipDir
		}
		if err != nil || d.IsDir() || found {
			return nil
		}
		if data, err := os.ReadFile(p); err == nil && bytes.Contains(data, []byte(s)) {
			t.Logf("%s holds it", p)
			found = true
		}
		return nil
	})
	return found
}
