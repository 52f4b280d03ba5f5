package convert

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// TestProfileSkipsTheSelfTests: a conversion's profile names the installed LibreOffice's
// version, read from its settings (the same as `soffice --version` says), so that LibreOffice
// does not take the profile for one just upgraded and run its drawing self-tests, which it
// records in the profile's GraphicsRenderTests.log; without the version it does.
func TestProfileSkipsTheSelfTests(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	out, err := exec.Command(soffice, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`LibreOffice ([0-9]+\.[0-9]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("soffice --version: %q", out)
	}
	if got := productVersion("soffice"); got != string(m[1]) {
		t.Fatalf("productVersion: %q, soffice --version: %q", got, out)
	}
	selfTested := func(settings string) bool {
		t.Helper()
		dir := t.TempDir()
		profile := filepath.Join(dir, "profile")
		if err := os.MkdirAll(filepath.Join(profile, "user"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(settings), 0o600); err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(dir, "letter.txt")
		if err := os.WriteFile(in, []byte("Dear Minister,\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(soffice, "-env:UserInstallation="+(&url.URL{Scheme: "file", Path: profile}).String(),
			"--headless", "--norestore", "--convert-to", "pdf", "--outdir", filepath.Join(dir, "out"), in)
		cmd.Env = []string{"HOME=" + dir, "TMPDIR=" + dir, "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8", "SAL_USE_VCLPLUGIN=svp"}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		if _, err := os.Stat(filepath.Join(dir, "out", "letter.pdf")); err != nil {
			t.Fatal(err)
		}
		_, err := os.Stat(filepath.Join(profile, "user", "GraphicsRenderTests.log"))
		return err == nil
	}
	if selfTested(profileSettings(productVersion("soffice"))) {
		t.Error("with the installed version recorded, LibreOffice ran its self-tests")
	}
	if !selfTested(profileSettings("")) {
		t.Error("without a version, LibreOffice ran no self-tests: the test shows nothing")
	}
}
