package cli_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyPointsScansToIdentify: a file whose bytes the registry does not know and whose
// pages only OCR reads (a released letter printed again through Ghostscript, whose text layer
// is its fonts' glyph codes; a photograph) is unknown to verify, which compares bytes, and
// its answer says that chancery identify reads such pages. A text it cannot place says
// nothing of scans.
func TestVerifyPointsScansToIdentify(t *testing.T) {
	gs, err := exec.LookPath("gs")
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("gs is required (CHANCERY_REQUIRE_TOOLS=1): %v (apt-get install ghostscript)", err)
		}
		t.Skipf("gs is not installed: %v", err)
	}
	o := newOffice(t)
	dir, _, file, _, trust := o.releasedForReplay(t)
	printed := filepath.Join(dir, "printed.pdf")
	if b, err := exec.Command(gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", "-o", printed, file).CombinedOutput(); err != nil {
		t.Fatalf("gs: %v: %s", err, b)
	}
	var photo bytes.Buffer
	if err := png.Encode(&photo, image.NewGray(image.Rect(0, 0, 40, 40))); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "photo.png"), photo.Bytes())
	write(t, filepath.Join(dir, "note.txt"), []byte("Nothing this office ever wrote, in a few words of its own.\n"))
	const pointer = "chancery identify reads its pages by OCR"
	for _, c := range []struct {
		name    string
		pointed bool
	}{{"printed.pdf", true}, {"photo.png", true}, {"note.txt", false}} {
		_, out, _ := verifyAt(t, o.url, "--trust", trust, "--json", filepath.Join(dir, c.name))
		var r cli.VerifyResult
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("%s: %v: %s", c.name, err, out)
		}
		if r.Outcome != "unknown" || strings.Contains(r.Message, pointer) != c.pointed {
			t.Errorf("%s: %s: %q; want unknown, pointing to identify: %v", c.name, r.Outcome, r.Message, c.pointed)
		}
	}
	code, out, _ := verifyAt(t, o.url, "--trust", trust, "--lang", "fr", printed)
	if code == cli.ExitOK || !strings.Contains(out, "chancery identify en lit les pages par OCR") {
		t.Errorf("in French: exit %d: %s", code, out)
	}
}
