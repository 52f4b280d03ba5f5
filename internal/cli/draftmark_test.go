package cli_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/registry"
)

// TestDraftMarkSaid: a draft copy saved again (other bytes, the same pages) after its letter
// was released is, to the public, a text close to the letter: identify and verify answered
// "altered" and said nothing of the DRAFT banner on its every page. They now say that its
// text carries the office's DRAFT mark, verify in the reader's language, and --json carries
// draft_mark; the outcome stays "altered". A text without the banner is told nothing of it.
func TestDraftMarkSaid(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed")
	}
	o := newOffice(t)
	dir := t.TempDir()
	t.Setenv("CHANCERY_STATE_DIR", filepath.Join(dir, "state"))
	t.Setenv("CHANCERY_TESSERACT", "/nonexistent/tesseract")
	body := synth.Corpus{Seed: 45, FamilySize: 1}.Letter(0).Text()
	ref := o.letter("Movements", "foreign-government", body)
	cp, err := o.reg.ExportDraft(context.Background(), o.actors["dana"], ref, "Ministry of Foreign Affairs")
	if err != nil {
		t.Fatal(err)
	}
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	trust := filepath.Join(dir, "trust.json")
	write(t, trust, tb)
	saved := filepath.Join(dir, "saved-again.pdf")
	write(t, saved, append(append([]byte{}, cp.Data...), "\n% saved again\n"...))
	plain := filepath.Join(dir, "retyped.txt")
	write(t, plain, []byte(strings.Replace(body, " the ", " a ", 3)))

	code, out, errs := o.run("", "identify", saved)
	const note = "The text carries the office's DRAFT mark, which every page of a draft copy shows: a draft is not an official document, whatever letter its text is close to"
	if code != cli.ExitFailed || !strings.HasPrefix(out, "altered:") || !strings.Contains(out, note) {
		t.Errorf("identify, the copy saved again: exit %d\n%s%s\nwant altered, saying %q", code, out, errs, note)
	}
	for file, marked := range map[string]bool{saved: true, plain: false} {
		_, out, _ = o.run("", "identify", "--json", file)
		var id struct {
			Outcome   string `json:"outcome"`
			DraftMark bool   `json:"draft_mark"`
		}
		if err := json.Unmarshal([]byte(out), &id); err != nil {
			t.Fatalf("identify --json %s: %v\n%s", file, err, out)
		}
		if id.Outcome != registry.Altered || id.DraftMark != marked {
			t.Errorf("identify --json %s: %s, draft_mark %v, want altered, %v", file, id.Outcome, id.DraftMark, marked)
		}
		_, out, _ = verifyAt(t, o.url, "--trust", trust, "--json", file)
		var r struct {
			Outcome   string `json:"outcome"`
			DraftMark bool   `json:"draft_mark"`
			Message   string `json:"message"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("verify --json %s: %v\n%s", file, err, out)
		}
		if r.Outcome != registry.Altered || r.DraftMark != marked || strings.Contains(r.Message, "DRAFT mark") != marked {
			t.Errorf("verify --json %s: %s, draft_mark %v, %q; want altered, the DRAFT mark told: %v", file, r.Outcome, r.DraftMark, r.Message, marked)
		}
	}
	for _, c := range []struct{ lang, says string }{
		{"en", "its text carries the office's DRAFT mark, which every page of a draft copy shows: a draft is not an official document, whatever letter its text is close to"},
		{"fr", "son texte porte la mention PROJET du service, que montre chaque page d'une copie de projet : un projet n'est pas un document officiel, quelle que soit la lettre dont son texte est proche"},
		{"ar", "يحمل نصه علامة «مسودة» التي تضعها الجهة على كل صفحة من نسخ المسودات: المسودة ليست وثيقة رسمية، أيًّا كانت الرسالة التي يقترب منها نصها"},
	} {
		_, out, _ := verifyAt(t, o.url, "--trust", trust, "--lang", c.lang, saved)
		if !strings.Contains(out, c.says) {
			t.Errorf("verify --lang %s: %q; want %q in it", c.lang, out, c.says)
		}
	}
}
