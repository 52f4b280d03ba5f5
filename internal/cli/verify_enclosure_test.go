package cli_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/registry"
)

// chancery verify, online, of the CSV a released letter encloses (saved from the released PDF
// by pdfdetach, when installed, else the upload itself) answers unknown, naming the letter
// and its state, in English and French, not draft.
func TestVerifyEnclosureOfReleasedLetter(t *testing.T) {
	o := newOffice(t)
	dir, _, _, _, trust := o.releasedForReplay(t)
	csv := []byte("item,litres\nfuel,1200\n")
	ref, err := o.reg.CreateLetter(context.Background(), o.actors["dana"], registry.NewLetter{Subject: "Fuel mkrsubject", Class: "foreign-government",
		Addressees: []string{"Ministry mkraddressee"}, File: registry.Upload{Name: "fuel.csv", MediaType: "text/csv", Data: csv}})
	if err != nil {
		t.Fatal(err)
	}
	o.ready(ref)
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	file := filepath.Join(dir, "fuel.csv")
	if pdfdetach, err := exec.LookPath("pdfdetach"); err == nil {
		out := filepath.Join(dir, "detached")
		if err := os.Mkdir(out, 0o755); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(pdfdetach, "-saveall", filepath.Join(dir, ref+".pdf"))
		cmd.Dir = out
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pdfdetach: %v: %s", err, b)
		}
		file = filepath.Join(out, "fuel.csv")
	} else {
		write(t, file, csv)
	}
	_, out, _ := verifyAt(t, o.url, "--trust", trust, "--json", file)
	var r cli.VerifyResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Outcome != "unknown" || r.Reference != ref || !strings.Contains(r.Message, "encloses (the letter is in force)") || !strings.Contains(r.Message, ref) ||
		strings.Contains(out, "mkr") {
		t.Fatalf("the enclosure: %s", out)
	}
	if _, out, _ := verifyAt(t, o.url, "--trust", trust, "--lang", "fr", file); !strings.Contains(out, "celui que joint la lettre publiée "+ref) {
		t.Errorf("in French: %s", out)
	}
}
