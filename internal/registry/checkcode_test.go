package registry

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckCodeOnThePaper reads the QR code of a released letter with an independent tool
// (pdftoppm, zbarimg) and follows it: the URL carries the letter's check code, which opens
// the holder's answer, while the reference alone opens only the public one. The footer prints
// the same URL.
func TestCheckCodeOnThePaper(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
				t.Fatalf("%s is required (CHANCERY_REQUIRE_TOOLS=1): %v", tool, err)
			}
			t.Skipf("%s not installed", tool)
		}
	}
	ctx := context.Background()
	o := newOffice(t)
	ref, rel := o.released(t, "# Coordination\n\nThe convoy leaves at dawn.\n")
	if !ValidCheckCodeForm(rel.CheckCode) || rel.CheckCode != strings.ToLower(rel.CheckCode) {
		t.Fatalf("check code %q", rel.CheckCode)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "released.pdf")
	if err := os.WriteFile(file, rel.File, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pngs) != 1 {
		t.Fatalf("pdftoppm wrote %v", pngs)
	}
	out, err := exec.Command("zbarimg", "--quiet", "--raw", pngs[0]).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	url := strings.TrimSpace(string(out))
	if want := "https://tfn.example/v/" + ref + "/" + rel.CheckCode; url != want {
		t.Fatalf("the QR code reads %q, want %q", url, want)
	}
	text, err := exec.Command("pdftotext", "-f", "1", "-l", "1", file, "-").Output()
	if err != nil || !strings.Contains(string(text), url) {
		t.Errorf("the footer does not print %s: %v\n%s", url, err, text)
	}
	code := url[strings.LastIndexByte(url, '/')+1:]
	st, ok, err := o.r.StatusWithCode(ctx, ref, code)
	if err != nil || !ok || st.Subject != "Repositioning of forces" || len(st.Signers) != 1 || st.Seal == nil {
		t.Fatalf("the QR code's answer: %+v, %v, %v", st, ok, err)
	}
	if _, err := o.verifier.VerifyBytes(st.Seal, rel.File); err != nil {
		t.Errorf("the seal given to the holder: %v", err)
	}
	if _, ok, _ := o.r.StatusWithCode(ctx, ref, strings.ToUpper(code)); !ok {
		t.Errorf("the code typed in capitals is refused")
	}
	for _, wrong := range []string{"", code[:len(code)-1], code[1:] + "a", strings.Repeat("a", len(code)), code + "a"} {
		st, ok, err := o.r.StatusWithCode(ctx, ref, wrong)
		if err != nil || ok || st.Subject != "" || st.Seal != nil || len(st.Signers) != 0 || st.FileDigest != "" {
			t.Errorf("code %q: %+v, %v, %v; want the public answer", wrong, st, ok, err)
		}
		if _, _, err := o.r.ReleasedFile(ctx, Actor{}, ref, wrong); err == nil {
			t.Errorf("code %q fetches the released file", wrong)
		}
	}
	// Another letter's code does not open this one.
	other, orel := o.released(t, "Another letter.")
	if _, ok, _ := o.r.StatusWithCode(ctx, ref, orel.CheckCode); ok {
		t.Errorf("%s's code opens %s", other, ref)
	}
	if data, _, err := o.r.ReleasedFile(ctx, Actor{}, ref, code); err != nil || string(data) != string(rel.File) {
		t.Errorf("the released file with the code: %d bytes, %v", len(data), err)
	}
}
