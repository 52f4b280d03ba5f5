package pdf

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// lazyFontsEnv marks the child process of TestFontsParsedWhenFirstUsed.
const lazyFontsEnv = "CHANCERY_PDF_LAZY_FONTS_CHILD"

// TestFontsParsedWhenFirstUsed: a process that checks and lays out a letter in Latin script
// parses Noto Sans and none of the other scripts' fonts, the CJK collections least of all;
// the first Chinese character it meets parses the CJK collection of the styles it is checked
// in, and a letter in Chinese is then laid out as before. Fonts are parsed once per
// process, so the test runs in a child process of its own, where no other test has parsed
// them.
func TestFontsParsedWhenFirstUsed(t *testing.T) {
	if os.Getenv(lazyFontsEnv) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestFontsParsedWhenFirstUsed$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), lazyFontsEnv+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestFontsParsedWhenFirstUsed") {
			t.Fatalf("the child process: %v\n%s", err, out)
		}
		return
	}
	if err := LoadFonts(); err != nil {
		t.Fatal(err)
	}
	l, err := fonts()
	if err != nil {
		t.Fatal(err)
	}
	parsed := func() map[string]bool {
		m := map[string]bool{}
		for _, chain := range l.chains {
			for _, ff := range chain {
				if ff.font != nil {
					m[ff.name] = true
				}
			}
		}
		return m
	}
	head := Letterhead{Office: "Test Office", Reference: "TST-2026-000001", Subject: "Visit", Addressees: []string{"The Minister"}, Signatories: []string{"A. Writer"}}
	if err := CheckText("body", "Dear Minister, we accept the invitation."); err != nil {
		t.Fatal(err)
	}
	if _, err := Render("text/markdown", []byte("Dear Minister,\n\nWe *accept* the **invitation**.\n\n    code\n"), head); err != nil {
		t.Fatal(err)
	}
	got := parsed()
	for _, name := range []string{"NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic", "NotoSans-BoldItalic", "NotoMono-Regular"} {
		if !got[name] {
			t.Errorf("%s is not parsed after a Latin letter: %v", name, got)
		}
	}
	for name := range got {
		if !strings.HasPrefix(name, "NotoSans-") && name != "NotoMono-Regular" {
			t.Errorf("a Latin letter parsed %s", name)
		}
	}
	if err := CheckText("body", "中"); err != nil {
		t.Fatal(err)
	}
	got = parsed()
	if !got["NotoSansCJKSC-Regular"] || !got["NotoSansCJKSC-Bold"] {
		t.Errorf("a Chinese character checked did not parse the CJK collections: %v", got)
	}
	if _, err := Render("text/plain", []byte("中文信函"), head); err != nil {
		t.Fatal(err)
	}
	s, err := getShaper()
	if err != nil {
		t.Fatal(err)
	}
	defer putShaper(s)
	if ff := s.files[s.maps[regular].ResolveFace('中')]; ff == nil || ff.name != "NotoSansCJKSC-Regular" {
		t.Errorf("a Chinese character is drawn in %v", ff)
	}
}
