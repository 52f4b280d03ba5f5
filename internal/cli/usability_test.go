package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// runCLI runs the command line with args and returns its exit status, output and errors.
func runCLI(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// A command that only groups others, given a word that is none of them, printed its help and
// exited 0: a script's typo ('chancery letter shwo REF') passed for success.
func TestMistypedSubcommandFails(t *testing.T) {
	t.Setenv("CHANCERY_URL", "http://127.0.0.1:1")
	for _, tc := range []struct {
		args []string
		err  string
		hint string
	}{
		{[]string{"letter", "shwo", "TFN-2026-000001"}, `unknown command "shwo" for "chancery letter"`, "did you mean 'chancery letter show'? see 'chancery letter --help'"},
		{[]string{"member", "frobnicate"}, `unknown command "frobnicate" for "chancery member"`, "see 'chancery member --help'"},
		{[]string{"log", "verfy", "--data", t.TempDir()}, `unknown command "verfy" for "chancery log"`, "did you mean 'chancery log verify'? see 'chancery log --help'"},
		{[]string{"key", "rotate", "ofice"}, `unknown command "ofice" for "chancery key rotate"`, "did you mean 'chancery key rotate office'? see 'chancery key rotate --help'"},
		// 'chancery help TOPIC' printed "Unknown help topic" (or the group's help) and exited 0.
		{[]string{"help", "lettre"}, `unknown command "lettre" for "chancery"`, "did you mean 'chancery letter'? see 'chancery --help'"},
		{[]string{"help", "letter", "shwo"}, `unknown command "shwo" for "chancery letter"`, "did you mean 'chancery letter show'? see 'chancery letter --help'"},
	} {
		code, out, errs := runCLI(tc.args...)
		if code != cli.ExitError || out != "" {
			t.Errorf("%v: exit %d, stdout %q; want exit 2 and no output", tc.args, code, out)
		}
		if want := "chancery: error: " + tc.err + "\nchancery: hint: " + tc.hint + "\n"; errs != want {
			t.Errorf("%v: stderr\n%s\nwant\n%s", tc.args, errs, want)
		}
	}
	// The group alone, or with --help, still shows its help.
	for _, args := range [][]string{{"letter"}, {"letter", "--help"}, {"help", "letter"}, {"help", "letter", "show"}, {"help"}} {
		code, out, errs := runCLI(args...)
		if code != cli.ExitOK || !strings.Contains(out, "\nUsage:\n") || errs != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want the help", args, code, out, errs)
		}
	}
}

// An unknown command of the root was printed with cobra's suggestion on lines of its own,
// the tab escaped: "Did you mean this?\n\\tletter".
func TestUnknownCommandSuggestionOnOneLine(t *testing.T) {
	code, out, errs := runCLI("lettre", "list")
	want := "chancery: error: unknown command \"lettre\" for \"chancery\"\n" +
		"chancery: hint: did you mean 'chancery letter'? see 'chancery --help'\n"
	if code != cli.ExitError || out != "" || errs != want {
		t.Errorf("lettre list: exit %d, stdout %q, stderr\n%s\nwant\n%s", code, out, errs, want)
	}
}

// draft export and letter preview asked the registry for the copy, which records it, before
// they found that --out could not be written: an existing file or a missing directory left
// a copy in the audit trail that nobody held, and an error naming exclfile's temporary file
// ("link draft.pdf.dncox0by7k9o.create.tmp draft.pdf: file exists"). trust export and key new
// named that file too, and key new asked for the passphrase, twice, first.
func TestOutFileCheckedBeforeAnythingIsRecorded(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	dir := t.TempDir()
	taken := filepath.Join(dir, "taken.pdf")
	if err := os.WriteFile(taken, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "no-such-dir", "copy.pdf")
	gone := missing + ": the directory " + filepath.Dir(missing) + " does not exist: nothing was written"
	missingKey := filepath.Join(filepath.Dir(missing), "sam.key")
	t.Setenv("CHANCERY_PASSPHRASE", "a passphrase long enough")
	for _, tc := range []struct {
		who  string
		args []string
		err  string
		hint string
	}{
		{"dana", []string{"draft", "export", ref, "--for", "Liaison cell", "--out", taken}, taken + " already exists: nothing was written", "choose another --out"},
		{"dana", []string{"draft", "export", ref, "--for", "Liaison cell", "--out", missing}, gone, "create it first"},
		{"rita", []string{"letter", "preview", ref, "--out", taken}, taken + " already exists: nothing was written", "choose another --out"},
		{"rita", []string{"letter", "preview", ref, "--out", missing}, gone, "create it first"},
		{"rita", []string{"trust", "export", "--out", taken}, taken + " already exists: nothing was written", "choose another --out"},
		{"rita", []string{"trust", "export", "--out", missing}, gone, "create it first"},
		{"sam", []string{"key", "new", "--out", missingKey}, missingKey + ": the directory " + filepath.Dir(missing) + " does not exist: nothing was written", "create it first"},
	} {
		code, out, errs := o.run(tc.who, tc.args...)
		if code != cli.ExitError || out != "" || !strings.Contains(errs, "chancery: error: "+tc.err) ||
			!strings.Contains(errs, "chancery: hint: "+tc.hint) || strings.Contains(errs, ".tmp") {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2, error %q and hint %q", tc.args, code, out, errs, tc.err, tc.hint)
		}
	}
	evs, err := o.reg.Audit(context.Background(), o.actors["rita"], ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Action != "letter.create" {
			t.Errorf("recorded though nothing was written: %s %s", e.Action, e.Detail)
		}
	}
	if b, err := os.ReadFile(taken); err != nil || string(b) != "mine" {
		t.Errorf("%s: %q, %v", taken, b, err)
	}
}

// The files commands read were named in Go's words only ("open nofile.md: no such file or
// directory"), which did not say which of the command's files it was.
func TestInputFilesNamedInErrors(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	missing := filepath.Join(t.TempDir(), "missing")
	policy := filepath.Join("..", "..", "examples", "policy.yaml")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"letter", "new", "--subject", "S", "--class", "internal", "--to", "HQ", "--file", missing}, "letter file: open " + missing},
		{[]string{"letter", "revise", ref, "--file", missing}, "letter file: open " + missing},
		{[]string{"key", "register", missing}, "public key file: open " + missing},
		{[]string{"policy", "check", missing}, "policy file: open " + missing},
		{[]string{"policy", "adopt", missing}, "policy file: open " + missing},
		{[]string{"policy", "test", policy, missing}, "cases file: open " + missing},
		{[]string{"identify", missing}, "file to identify: open " + missing},
		{[]string{"identify", "--text", missing}, "text file: open " + missing},
	} {
		code, out, errs := o.run("dana", tc.args...)
		if code != cli.ExitError || out != "" || !strings.HasPrefix(errs, "chancery: error: "+tc.want+": no such file or directory\n") {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and %q", tc.args, code, out, errs, tc.want)
		}
	}
}

// 'log verify --checkpoint FILE' with a FILE that is no checkpoint of the log (another file,
// another office's checkpoint) said "log is unsound" and exited 1, as if the log had lost
// or rewritten entries; FILE could not be read was Go's "open FILE: ..." alone.
func TestLogVerifyRefusesWhatIsNoCheckpointOfTheLog(t *testing.T) {
	dir := t.TempDir()
	data, other := filepath.Join(dir, "reg"), filepath.Join(dir, "other")
	for _, d := range []string{data, other} {
		if code, _, errs := runCLI("init", "--data", d, "--office", "Test Office", "--prefix", "TST", "--url", "https://letters.example.org", "--no-pdf-ca"); code != cli.ExitOK {
			t.Fatalf("init %s: %d\n%s", d, code, errs)
		}
	}
	code, cp, errs := runCLI("log", "checkpoint", "--data", other)
	if code != cli.ExitOK {
		t.Fatalf("log checkpoint: %d\n%s", code, errs)
	}
	files := map[string]string{"notes.txt": "# not a checkpoint\n", "other.checkpoint": cp}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ file, err, hint string }{
		{"notes.txt", "--checkpoint " + filepath.Join(dir, "notes.txt") + " is not a checkpoint signed by the key of log letters.example.org/log: ", "pass a checkpoint kept from this log"},
		{"other.checkpoint", "--checkpoint " + filepath.Join(dir, "other.checkpoint") + " is not a checkpoint signed by the key of log letters.example.org/log: ", "pass a checkpoint kept from this log"},
		{"missing", "--checkpoint: open " + filepath.Join(dir, "missing") + ": no such file or directory", "pass a checkpoint kept from this log"},
	} {
		code, out, errs := runCLI("log", "verify", "--data", data, "--checkpoint", filepath.Join(dir, tc.file))
		if code != cli.ExitError || out != "" || !strings.HasPrefix(errs, "chancery: error: "+tc.err) || !strings.Contains(errs, "\nchancery: hint: "+tc.hint) {
			t.Errorf("log verify --checkpoint %s: exit %d, stdout %q, stderr\n%s\nwant exit 2, %q and a hint", tc.file, code, out, errs, tc.err)
		}
	}
}

// A registry URL with a path, a server that is not a registry, a registry reached over
// https that speaks http, or one whose certificate this machine does not trust, got no hint
// or the wrong one ("is 'chancery serve' running at CHANCERY_URL?" for a server that
// answered); a reference that names no letter got none.
func TestRegistryAddressHints(t *testing.T) {
	o := newOffice(t)
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
	}))
	defer failing.Close()
	tlsServer := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsServer.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshakes refused
	tlsServer.StartTLS()
	defer tlsServer.Close()
	_, tlsPort, _ := strings.Cut(strings.TrimPrefix(tlsServer.URL, "https://"), ":")
	for _, tc := range []struct {
		url, ref, err, hint string
	}{
		{o.url + "/log", "CLI-2026-000001", "GET /api/v1/letters/CLI-2026-000001: 404 Not Found", "the server at CHANCERY_URL (or --url) answered, but not as a Chancery registry: set it to the registry's base URL"},
		{failing.URL, "CLI-2026-000001", "GET /api/v1/letters/CLI-2026-000001: 502 Bad Gateway", "the server at CHANCERY_URL (or --url), or a proxy in front of it, failed without a registry's answer: try again later"},
		{o.url, "CLI-2026-999999", "letter CLI-2026-999999: ", "check the reference; 'chancery letter list' lists the office's letters"},
		{"https" + strings.TrimPrefix(o.url, "http"), "CLI-2026-000001", "registry unreachable: ", "the server at that address speaks plain HTTP, not HTTPS"},
		{tlsServer.URL, "CLI-2026-000001", "registry unreachable: ", "the registry's TLS certificate is not one this machine trusts"},
		{"https://localhost:" + tlsPort, "CLI-2026-000001", "registry unreachable: ", "the registry's TLS certificate is for another name"},
	} {
		o.t.Setenv("CHANCERY_URL", tc.url)
		t.Setenv("CHANCERY_TOKEN", o.tokens["rita"])
		code, out, errs := runCLI("letter", "show", tc.ref, "--url", tc.url)
		if code != cli.ExitError || out != "" || !strings.HasPrefix(errs, "chancery: error: "+tc.err) || !strings.Contains(errs, "\nchancery: hint: "+tc.hint) {
			t.Errorf("%s: exit %d, stdout %q, stderr\n%s\nwant exit 2, %q and the hint %q", tc.url, code, out, errs, tc.err, tc.hint)
		}
	}
}

// Adding what exists already was refused as "add member rita: add member rita: conflict",
// without a word of what to do; so were a recipient and a signer key registered twice.
func TestConflictsSayWhatExists(t *testing.T) {
	o := newOffice(t)
	pub := filepath.Join(t.TempDir(), "sam.key.pub")
	t.Setenv("CHANCERY_PASSPHRASE", "a passphrase long enough")
	if code, _, errs := o.run("sam", "key", "new", "--out", strings.TrimSuffix(pub, ".pub")); code != cli.ExitOK {
		t.Fatalf("key new: %d\n%s", code, errs)
	}
	if code, _, errs := o.run("sam", "key", "register", pub); code != cli.ExitOK {
		t.Fatalf("key register: %d\n%s", code, errs)
	}
	if code, _, errs := o.run("root", "recipient", "add", "ministry", "--email", "registry@mod.example"); code != cli.ExitOK {
		t.Fatalf("recipient add: %d\n%s", code, errs)
	}
	for _, tc := range []struct {
		who  string
		args []string
		hint string
	}{
		{"root", []string{"member", "add", "rita", "--role", "reviewer"}, "a member named rita exists already ('chancery member show rita'); for a new token, 'chancery member token rita'"},
		{"root", []string{"recipient", "add", "ministry", "--email", "other@mod.example"}, "a recipient named ministry is in the directory already ('chancery recipient list'): choose another NAME"},
		{"sam", []string{"key", "register", pub}, "this key is registered already, perhaps revoked since"},
	} {
		code, out, errs := o.run(tc.who, tc.args...)
		if code != cli.ExitError || out != "" || !strings.Contains(errs, "\nchancery: hint: "+tc.hint) {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and the hint %q", tc.args, code, out, errs, tc.hint)
		}
	}
}

// 'backup --out' in a directory that does not exist said "backup: lstat DIR: no such file
// or directory", with no hint.
func TestBackupIntoAMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "reg")
	if code, _, errs := runCLI("init", "--data", data, "--office", "Test Office", "--prefix", "TST", "--url", "https://letters.example.org", "--no-pdf-ca"); code != cli.ExitOK {
		t.Fatalf("init: %d\n%s", code, errs)
	}
	out := filepath.Join(dir, "backups", "office.tar")
	code, stdout, errs := runCLI("backup", "--data", data, "--out", out)
	want := "chancery: error: backup: the directory of " + out + " does not exist\n" +
		"chancery: hint: create it first (mkdir -p " + filepath.Dir(out) + "), or pass --out a file in an existing directory\n"
	if code != cli.ExitError || stdout != "" || errs != want {
		t.Errorf("backup: exit %d, stdout %q, stderr\n%s\nwant\n%s", code, stdout, errs, want)
	}
}

// 'seal refresh' given the letter rather than its seal said "seal: malformed: invalid
// character '%' looking for beginning of value", with no hint.
func TestSealRefreshOfTheLetterSaysToPassTheSeal(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	o.ready(ref)
	dir := t.TempDir()
	if code, _, errs := o.run("otto", "release", ref, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %d\n%s", code, errs)
	}
	trust := filepath.Join(dir, "trust.json")
	if code, _, errs := o.run("otto", "trust", "export", "--out", trust); code != cli.ExitOK {
		t.Fatalf("trust export: %d\n%s", code, errs)
	}
	letter := filepath.Join(dir, ref+".pdf")
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("notes\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for file, hint := range map[string]string{
		letter: letter + " is the letter: pass its seal, " + letter + ".seal",
		other:  "pass the seal file, FILE.seal beside the letter, that 'chancery release' or 'chancery letter fetch' wrote",
	} {
		code, out, errs := o.run("otto", "seal", "refresh", file, "--trust", trust)
		if code != cli.ExitError || out != "" || !strings.HasPrefix(errs, "chancery: error: refresh "+file+": seal: ") || !strings.HasSuffix(errs, "\nchancery: hint: "+hint+"\n") {
			t.Errorf("seal refresh %s: exit %d, stdout %q, stderr\n%s\nwant exit 2 and the hint %q", file, code, out, errs, hint)
		}
	}
}

// 'webhook add' takes --url for the endpoint, which hid the registry's --url: an admin could
// name another registry than the default only through CHANCERY_URL. Like 'witness add', it
// takes --registry.
func TestWebhookAddTakesTheRegistryByFlag(t *testing.T) {
	o := newOffice(t)
	t.Setenv("CHANCERY_URL", "")
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"])
	code, out, errs := runCLI("webhook", "add", "records", "--url", "https://records.example.org/hooks/chancery", "--registry", o.url)
	if code != cli.ExitOK || !strings.HasPrefix(out, "added webhook records; signing secret, shown once: ") {
		t.Fatalf("webhook add --registry: exit %d, stdout %q, stderr\n%s", code, out, errs)
	}
	code, out, errs = runCLI("webhook", "list", "--json", "--url", o.url)
	if code != cli.ExitOK || !strings.Contains(out, "https://records.example.org/hooks/chancery") {
		t.Errorf("webhook list: exit %d, stdout %q, stderr\n%s", code, out, errs)
	}
	// Nothing failed yet: a retry is refused, and says so.
	code, out, errs = runCLI("webhook", "retry", "records", "--url", o.url)
	if code != cli.ExitError || out != "" || !strings.Contains(errs, "no delivery to records has failed") {
		t.Errorf("webhook retry: exit %d, stdout %q, stderr\n%s", code, out, errs)
	}
}

// 'key rotate office' and 'key rotate pdf-cert' took --url from 'chancery key' and ignored it:
// they rotated the keys of the office in --data (./chancery-data by default), or told the
// user to run 'chancery init' there.
func TestKeyRotateOfTheDataDirectoryRefusesURL(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"key", "rotate", "office", "--url", "https://letters.example.org", "--data", dir},
		{"key", "rotate", "pdf-cert", "--url", "https://letters.example.org", "--data", dir},
	} {
		path := strings.Join(args[:3], " ")
		want := "chancery: error: chancery " + path + " works on the data directory (--data), with its server stopped: it takes no --url\n" +
			"chancery: hint: run it on the registry's machine: chancery " + path + " --data DIR\n"
		code, out, errs := runCLI(args...)
		if code != cli.ExitError || out != "" || errs != want {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant\n%s", args, code, out, errs, want)
		}
	}
}

// 'release REF --json' without --version printed the version it releases as a line on stderr
// before the JSON error, so that stderr did not parse as the one JSON object the README
// promises a script.
func TestReleaseJSONStderrIsTheErrorAlone(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	out := t.TempDir()
	code, stdout, errs := o.run("otto", "release", ref, "--out", out, "--json")
	var e map[string]any
	if code != cli.ExitError || stdout != "" || json.Unmarshal([]byte(errs), &e) != nil || e["error"] == nil || e["hint"] == nil {
		t.Errorf("release --json, refused: exit %d, stdout %q, stderr\n%s\nwant exit 2 and one JSON error", code, stdout, errs)
	}
	o.ready(ref)
	code, stdout, errs = o.run("otto", "release", ref, "--out", out, "--json")
	var r map[string]any
	if code != cli.ExitOK || json.Unmarshal([]byte(stdout), &r) != nil || r["file_digest"] == nil || errs != "" {
		t.Errorf("release --json: exit %d, stdout %q, stderr %q", code, stdout, errs)
	}
	// Without --json the version released is shown first, as before.
	ref2 := o.letter("Second letter", "internal", "# Second\n\nSir, ...\n")
	if code, _, errs := o.run("otto", "release", ref2, "--out", out); code != cli.ExitError || !strings.HasPrefix(errs, ref2+" version 1: sha256:") {
		t.Errorf("release: exit %d, stderr\n%s", code, errs)
	}
	// A reference that names no letter has a hint, whatever the command's words before it.
	if code, _, errs := o.run("rita", "audit", "CLI-2026-999999"); code != cli.ExitError || !strings.Contains(errs, "\nchancery: hint: check the reference; 'chancery letter list' lists the office's letters") {
		t.Errorf("audit of no letter: exit %d, stderr\n%s", code, errs)
	}
}

// 'serve --url' names the URL of a registry serve initializes; on a data directory already
// initialized with another URL it was ignored without a word, the server serving (and
// setting --secure from) the recorded one.
func TestServeRefusesAURLOtherThanTheRegistrys(t *testing.T) {
	data := filepath.Join(t.TempDir(), "reg")
	if code, _, errs := runCLI("init", "--data", data, "--office", "Test Office", "--prefix", "TST", "--url", "https://letters.example.org", "--no-pdf-ca"); code != cli.ExitOK {
		t.Fatalf("init: %d\n%s", code, errs)
	}
	code, out, errs := runCLI("serve", "--data", data, "--listen", "127.0.0.1:0", "--url", "https://letters.example.net")
	if code != cli.ExitError || out != "" ||
		!strings.Contains(errs, "chancery: error: --url https://letters.example.net is not the registry's URL, https://letters.example.org, which init recorded in "+data+": serve takes --url only when it initializes a data directory\n") ||
		!strings.HasSuffix(errs, "chancery: hint: leave out --url: the registry's URL was set by init and is printed in its released letters\n") {
		t.Errorf("serve --url another: exit %d, stdout %q, stderr\n%s", code, out, errs)
	}
}

// TestLocalCommandsTakeNoURL: 'key new', 'policy check' and 'policy test' run on this
// machine, but took --url from their parents and ignored it; 'policy adopt' of a file that
// does not compile exited 1, the status of a check that ran and failed, where a command
// that cannot do what it was asked exits 2.
func TestLocalCommandsTakeNoURL(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nrules: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"key", "new", "--out", filepath.Join(dir, "k"), "--url", "http://127.0.0.1:1"},
		{"policy", "check", bad, "--url", "http://127.0.0.1:1"},
		{"policy", "test", bad, bad, "--url", "http://127.0.0.1:1"},
	} {
		code, out, errs := runCLI(args...)
		if code != cli.ExitError || out != "" || !strings.Contains(errs, "asks no registry: it takes no --url") {
			t.Errorf("%v: exit %d, stdout %q, stderr\n%s\nwant exit 2 and --url refused", args, code, out, errs)
		}
	}
	if code, _, errs := runCLI("policy", "check", bad); code != 1 || !strings.Contains(errs, "does not compile") {
		t.Errorf("policy check of a policy that does not compile: exit %d\n%s\nwant exit 1", code, errs)
	}
	o := newOffice(t)
	if code, _, errs := o.run("root", "policy", "adopt", bad); code != cli.ExitError || !strings.Contains(errs, "does not compile") {
		t.Errorf("policy adopt of a policy that does not compile: exit %d\n%s\nwant exit 2", code, errs)
	}
}

// 'webhook log' showed the newest 100 deliveries and no more, though the API gives up to
// 1,000 (found by audit, fiftieth session): it takes --limit.
func TestWebhookLogTakesALimit(t *testing.T) {
	o := newOffice(t)
	t.Setenv("CHANCERY_URL", o.url)
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"])
	if code, out, errs := runCLI("webhook", "add", "records", "--url", "https://records.example.org/hooks/chancery"); code != cli.ExitOK {
		t.Fatalf("webhook add: exit %d %s %s", code, out, errs)
	}
	for range 2 {
		ref := o.letter("Coordination", "foreign-government", "# Coordination\n\nSir, ...\n")
		o.ready(ref)
		if code, _, errs := o.run("otto", "release", ref, "--out", t.TempDir()); code != cli.ExitOK {
			t.Fatalf("release: %d %s", code, errs)
		}
	}
	t.Setenv("CHANCERY_TOKEN", o.tokens["root"]) // o.run set otto's
	count := func(args ...string) int {
		t.Helper()
		code, out, errs := runCLI(append([]string{"webhook", "log", "--json"}, args...)...)
		if code != cli.ExitOK {
			t.Fatalf("webhook log %v: exit %d %s %s", args, code, out, errs)
		}
		return strings.Count(out, `"event"`)
	}
	if all, one := count(), count("--limit", "1"); all < 2 || one != 1 {
		t.Errorf("webhook log: %d deliveries, %d with --limit 1", all, one)
	}
	code, out, errs := runCLI("webhook", "log", "--limit", "0")
	if code != cli.ExitError || out != "" || !strings.Contains(errs, "chancery: error: --limit 0: the log shows 1 to 1000 deliveries") {
		t.Errorf("webhook log --limit 0: exit %d %q %q", code, out, errs)
	}
}

// A change whose answer was lost after its request reached the registry was hinted "is
// 'chancery serve' running", though the registry may have made it (found by audit, fiftieth
// session: a release whose answer a stop cut): the hint now says to look before asking again.
func TestLostAnswerHintSaysTheChangeMayBeMade(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	}))
	defer srv.Close()
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "chy_token")
	t.Setenv("CHANCERY_TOKEN_FILE", "")
	code, out, errs := runCLI("member", "add", "nora", "--role", "drafter")
	if code != cli.ExitError || out != "" || !strings.Contains(errs, "the registry may have made the change") ||
		!strings.Contains(errs, "chancery: hint: see whether it was made") || strings.Contains(errs, "is 'chancery serve' running") {
		t.Errorf("exit %d, stdout %q, stderr\n%s", code, out, errs)
	}
}
