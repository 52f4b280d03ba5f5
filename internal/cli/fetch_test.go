package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// office is a registry served in-process, with one member per role, for the client
// commands.
type office struct {
	t      *testing.T
	reg    *registry.Registry
	db     *store.DB
	url    string
	tokens map[string]string
	actors map[string]registry.Actor
	key    ed25519.PrivateKey
	keyID  string
	// logSigner signs the office's checkpoints: a test forges a split view with it.
	logSigner note.Signer
	// logSKey and officeKey are the log's and the office's private keys (newForkOf).
	logSKey   string
	officeKey ed25519.PrivateKey
	// before, if set, is called with each request before the server handles it.
	before func(*http.Request)
	// clock, if set, is the registry's clock (registry.Config.Now); time.Now otherwise.
	clock atomic.Pointer[func() time.Time]
}

func newOffice(t *testing.T) *office { return newOfficeWith(t, nil) }

// newOfficeWith is newOffice whose registry builds its seals against the heads of heads, if
// not nil, made from the office's store and log (cosigned.Open), and run until the test ends.
func newOfficeWith(t *testing.T, heads func(*store.DB, *translog.Log) *cosigned.Heads) *office {
	t.Helper()
	return newOfficeNamed(t, "CLI Office", heads)
}

// newOfficeNamed is newOfficeWith for an office of this name.
func newOfficeNamed(t *testing.T, name string, heads func(*store.DB, *translog.Log) *cosigned.Heads) *office {
	t.Helper()
	return newOfficeKeyed(t, name, heads, nil)
}

// newForkOf is another registry of o's office, with o's log key and office key and the same
// members and signer key, over a log of its own: what it logs and signs is a second history
// of o's log (a split view), whose seals verify under o's trust root.
func newForkOf(t *testing.T, o *office) *office {
	t.Helper()
	return newOfficeKeyed(t, "CLI Office", nil, o)
}

// newOfficeKeyed is newOfficeNamed with the keys of like, if not nil.
func newOfficeKeyed(t *testing.T, name string, heads func(*store.DB, *translog.Log) *cosigned.Heads, like *office) *office {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const origin = "cli.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	if like != nil {
		skey, vkey = like.logSKey, like.reg.TrustRoot().LogKey
	}
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	if like != nil {
		officeKey = like.officeKey
	}
	cfg := registry.Config{DB: db, Log: lg, Office: registry.Office{Name: name, Prefix: "CLI", URL: "https://cli.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin}
	if heads != nil {
		cfg.Heads, cfg.SealWait = heads(db, lg), time.Minute
	}
	o := &office{t: t, db: db, tokens: map[string]string{}, actors: map[string]registry.Actor{}, logSigner: signer,
		logSKey: skey, officeKey: officeKey}
	cfg.Now = func() time.Time {
		if f := o.clock.Load(); f != nil {
			return (*f)()
		}
		return time.Now()
	}
	reg := registry.New(cfg)
	o.reg = reg
	h := server.New(server.Config{Log: lg, DB: db, VerifierKey: vkey, Origin: origin, Registry: reg,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.before != nil {
			o.before(r)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	o.url = srv.URL
	root, err := reg.Bootstrap(ctx, "root")
	if err != nil {
		t.Fatal(err)
	}
	o.add("root", root)
	for _, m := range []struct{ name, role string }{{"dana", registry.RoleDrafter}, {"rita", registry.RoleReviewer},
		{"sam", registry.RoleSigner}, {"otto", registry.RoleRelease}} {
		tok, err := reg.AddMember(ctx, o.actors["root"], m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		o.add(m.name, tok)
	}
	_, o.key, _ = ed25519.GenerateKey(rand.Reader)
	if like != nil {
		o.key = like.key
	}
	if o.keyID, _, err = reg.RegisterKey(ctx, o.actors["sam"], o.key.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	return o
}

func (o *office) add(name, tok string) {
	m, err := o.reg.Authenticate(context.Background(), tok)
	if err != nil {
		o.t.Fatal(err)
	}
	o.tokens[name], o.actors[name] = tok, registry.Actor{Member: m}
}

// letter creates a letter by dana from a Markdown body.
func (o *office) letter(subject, class, body string) string {
	o.t.Helper()
	ref, err := o.reg.CreateLetter(context.Background(), o.actors["dana"], registry.NewLetter{Subject: subject, Class: class,
		Addressees: []string{"Ministry of Defence"}, File: registry.Upload{Name: "letter.md", MediaType: "text/markdown", Data: []byte(body)}})
	if err != nil {
		o.t.Fatal(err)
	}
	return ref
}

// ready has ref approved and signed, so that only the release is missing.
func (o *office) ready(ref string) {
	o.t.Helper()
	ctx := context.Background()
	if err := o.reg.Approve(ctx, o.actors["rita"], ref, "", ""); err != nil {
		o.t.Fatal(err)
	}
	st, err := o.reg.SigningStatement(ctx, o.actors["sam"], ref)
	if err != nil {
		o.t.Fatal(err)
	}
	if err := o.reg.Sign(ctx, o.actors["sam"], ref, o.keyID, st, ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		o.t.Fatal(err)
	}
}

// run runs the command line as the member who and returns its exit status, output and
// errors.
func (o *office) run(who string, args ...string) (int, string, string) {
	o.t.Helper()
	o.t.Setenv("CHANCERY_URL", o.url)
	o.t.Setenv("CHANCERY_TOKEN", o.tokens[who])
	var stdout, stderr bytes.Buffer
	code := cli.Main(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func (o *office) state(ref string) string {
	o.t.Helper()
	v, err := o.reg.Letter(context.Background(), o.actors["rita"], ref)
	if err != nil {
		o.t.Fatal(err)
	}
	return v.State
}

func TestLetterList(t *testing.T) {
	o := newOffice(t)
	draft := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, the troop withdrawal is postponed.\n")
	press := o.letter("Press release on exercises", "press", "# Exercises\n\nThe exercise takes place in March.\n")
	o.ready(press)
	if _, err := o.reg.Release(context.Background(), o.actors["otto"], press); err != nil {
		t.Fatal(err)
	}

	code, out, errs := o.run("rita", "letter", "list")
	if code != cli.ExitOK {
		t.Fatalf("letter list: %d\n%s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "reference") || !strings.HasPrefix(lines[1], press) || !strings.HasPrefix(lines[2], draft) ||
		!strings.Contains(lines[1], "released") || !strings.Contains(lines[1], "Press release on exercises") || !strings.Contains(lines[2], "draft") {
		t.Errorf("letter list:\n%s", out)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--state", "draft"}, []string{draft}},
		{[]string{"--class", "press"}, []string{press}},
		{[]string{"--search", "withdrawal"}, []string{draft}},
		{[]string{"--search", "march", "--state", "released"}, []string{press}},
		{[]string{"--search", "nothing like this"}, nil},
	} {
		code, out, errs := o.run("sam", append([]string{"letter", "list", "--json"}, tc.args...)...)
		if code != cli.ExitOK {
			t.Fatalf("letter list %v: %d\n%s", tc.args, code, errs)
		}
		var l struct {
			Letters []map[string]any `json:"letters"`
		}
		if err := json.Unmarshal([]byte(out), &l); err != nil {
			t.Fatalf("letter list --json %v: %v\n%s", tc.args, err, out)
		}
		var got []string
		for _, x := range l.Letters {
			got = append(got, x["reference"].(string))
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("letter list --json %v: %v, want %v", tc.args, got, tc.want)
		}
	}
	if code, out, errs := o.run("rita", "letter", "list", "--search", "nothing like this"); code != cli.ExitOK || out != "" || !strings.Contains(errs, "no letters match") {
		t.Errorf("an empty list: %d %q %q", code, out, errs)
	}
	code, first, errs := o.run("rita", "letter", "list", "--limit", "1")
	if code != cli.ExitOK || !strings.Contains(errs, "showing the newest 1") || !strings.Contains(errs, "--before ") {
		t.Errorf("a truncated list: %d %q", code, errs)
	}
	// The next page starts after the letter the note names.
	last := strings.TrimSpace(errs[strings.LastIndex(errs, "--before ")+len("--before "):])
	if code, next, errs := o.run("rita", "letter", "list", "--limit", "1", "--before", last); code != cli.ExitOK || next == first || strings.Contains(next, last) {
		t.Errorf("the next page, --before %s: %d %q %q (first page %q)", last, code, next, errs, first)
	}
	if code, _, errs := o.run("rita", "letter", "list", "--state", "valid"); code != cli.ExitError || !strings.Contains(errs, "chancery: error: ") || !strings.Contains(errs, "draft, released, retracted, superseded") {
		t.Errorf("a bad state: %d %q", code, errs)
	}
	// Without a token, or with a wrong one, nothing is listed.
	if code, out, errs := o.run("nobody", "letter", "list"); code != cli.ExitError || out != "" || !strings.Contains(errs, "chancery: hint: set CHANCERY_TOKEN") {
		t.Errorf("without a token: %d %q %q", code, out, errs)
	}
	o.tokens["forged"] = "chy_forged"
	if code, out, errs := o.run("forged", "letter", "list"); code != cli.ExitError || out != "" || !strings.Contains(errs, "chancery: hint: check CHANCERY_TOKEN") {
		t.Errorf("with a forged token: %d %q %q", code, out, errs)
	}
}

func TestReleaseChecksOutFirst(t *testing.T) {
	o := newOffice(t)
	dir := t.TempDir()
	ref := o.letter("Coordination of force movements", "foreign-government", "# Coordination\n\nSir, ...\n")
	o.ready(ref)

	// --out an existing file: nothing is released.
	notadir := filepath.Join(dir, "notadir")
	if err := os.WriteFile(notadir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := o.run("otto", "release", ref, "--out", notadir)
	if code != cli.ExitError || out != "" || !strings.Contains(errs, "chancery: error: output directory") || !strings.Contains(errs, "chancery: hint: pass --out a directory") {
		t.Errorf("release --out a file: %d %q %q", code, out, errs)
	}
	// --out a directory that already holds the released file's name: nothing is released.
	taken := filepath.Join(dir, "taken")
	os.Mkdir(taken, 0o755)
	os.WriteFile(filepath.Join(taken, ref+".pdf.seal"), []byte("an older seal"), 0o644)
	code, _, errs = o.run("otto", "release", ref, "--out", taken)
	if code != cli.ExitError || !strings.Contains(errs, ref+".pdf.seal already exists: nothing was written") {
		t.Errorf("release into a directory with the seal's name taken: %d %q", code, errs)
	}
	// A directory that cannot be written (unless this runs as root, who writes anywhere).
	locked := filepath.Join(dir, "locked")
	os.Mkdir(locked, 0o555)
	if os.Geteuid() != 0 {
		code, _, errs = o.run("otto", "release", ref, "--out", locked)
		if code != cli.ExitError || !strings.Contains(errs, "is not writable") {
			t.Errorf("release into a read-only directory: %d %q", code, errs)
		}
	}
	if s := o.state(ref); s != "draft" {
		t.Fatalf("after refused releases the letter is %s", s)
	}

	// A fresh directory, created on the way: released, file and seal written.
	out1 := filepath.Join(dir, "released", "2026")
	code, out, errs = o.run("otto", "release", ref, "--out", out1)
	if code != cli.ExitOK {
		t.Fatalf("release: %d %s", code, errs)
	}
	file := filepath.Join(out1, ref+".pdf")
	if !strings.Contains(out, "released "+ref) || !strings.Contains(out, "wrote "+file+"\n") || !strings.Contains(out, "wrote "+file+".seal\n") {
		t.Errorf("release said %q", out)
	}
	released, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file + ".seal"); err != nil {
		t.Fatal(err)
	}
	if s := o.state(ref); s != "released" {
		t.Fatalf("after release the letter is %s", s)
	}
	if _, err := os.ReadDir(notadir); err == nil {
		t.Error("notadir became a directory")
	}

	// release --json gives a script the check code and where it wrote.
	ref3 := o.letter("Third letter", "foreign-government", "# Third\n\nSir, ...\n")
	o.ready(ref3)
	code, out, errs = o.run("otto", "release", ref3, "--out", out1, "--json")
	var rj struct {
		Reference, File, Seal string
		LogIndex              int64 `json:"log_index"`
	}
	if code != cli.ExitOK || json.Unmarshal([]byte(out), &rj) != nil || rj.Reference != ref3 || rj.File != filepath.Join(out1, ref3+".pdf") ||
		rj.Seal != rj.File+".seal" || rj.LogIndex == 0 {
		t.Errorf("release --json: %d %q %q", code, out, errs)
	}
	var codes struct {
		CheckCode string `json:"check_code"`
		VerifyURL string `json:"verify_url"`
	}
	if json.Unmarshal([]byte(out), &codes) != nil || len(codes.CheckCode) != 26 || !strings.HasSuffix(codes.VerifyURL, "/v/"+ref3+"/"+codes.CheckCode) {
		t.Errorf("release --json check code: %q", out)
	}

	// A failure to write after the release (here another process takes the file's name
	// meanwhile) says how to fetch what was released; fetch then writes it.
	ref2 := o.letter("Second letter", "foreign-government", "# Second\n\nSir, ...\n")
	o.ready(ref2)
	out2 := filepath.Join(dir, "out2")
	o.before = func(r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/release") {
			os.WriteFile(filepath.Join(out2, ref2+".pdf"), []byte("in the way"), 0o644)
		}
	}
	code, _, errs = o.run("otto", "release", ref2, "--out", out2)
	o.before = nil
	hint := "chancery: hint: the letter is released; fetch it with chancery letter fetch " + ref2 + " --out " + out2 + "\n"
	if code != cli.ExitError || !strings.Contains(errs, "chancery: error: ") || !strings.HasSuffix(errs, hint) {
		t.Errorf("release that could not write: %d %q", code, errs)
	}
	if s := o.state(ref2); s != "released" {
		t.Fatalf("the letter is %s", s)
	}
	if _, err := os.Stat(filepath.Join(out2, ref2+".pdf.seal")); err == nil {
		t.Error("a seal was written beside a file that is not the letter")
	}
	os.Remove(filepath.Join(out2, ref2+".pdf"))
	code, out, errs = o.run("otto", "letter", "fetch", ref2, "--out", out2)
	if code != cli.ExitOK || out != "wrote "+filepath.Join(out2, ref2+".pdf")+"\nwrote "+filepath.Join(out2, ref2+".pdf")+".seal\n" {
		t.Fatalf("fetch after a failed write: %d %q %q", code, out, errs)
	}

	// Fetch, by any member with a role, writes the released file and a seal that verifies.
	fetched := filepath.Join(dir, "fetched")
	if code, _, errs := o.run("rita", "letter", "fetch", ref, "--out", fetched); code != cli.ExitOK {
		t.Fatalf("fetch: %d %s", code, errs)
	}
	got, err := os.ReadFile(filepath.Join(fetched, ref+".pdf"))
	if err != nil || !bytes.Equal(got, released) {
		t.Fatalf("fetched file differs from the released one (%v)", err)
	}
	sb, err := os.ReadFile(filepath.Join(fetched, ref+".pdf.seal"))
	if err != nil {
		t.Fatal(err)
	}
	sl, err := seal.Parse(sb)
	if err != nil {
		t.Fatal(err)
	}
	v, err := seal.NewVerifier(o.reg.TrustRoot())
	if err != nil {
		t.Fatal(err)
	}
	if res, err := v.VerifyBytes(sl, got); err != nil {
		t.Errorf("the fetched seal does not verify the fetched file: %v %+v", err, res)
	}

	code, out, errs = o.run("sam", "letter", "fetch", ref, "--out", filepath.Join(dir, "script"), "--json")
	var res map[string]string
	if err := json.Unmarshal([]byte(out), &res); code != cli.ExitOK || err != nil ||
		res["reference"] != ref || res["state"] != "released" || res["seal"] != filepath.Join(dir, "script", ref+".pdf.seal") {
		t.Errorf("fetch --json: %d %q %q", code, out, errs)
	}

	// Fetch never overwrites, refuses a draft with a hint, and asks for a token.
	code, out, errs = o.run("rita", "letter", "fetch", ref, "--out", fetched)
	if code != cli.ExitError || out != "" || !strings.Contains(errs, "already exists: nothing was written") {
		t.Errorf("fetch over existing files: %d %q %q", code, out, errs)
	}
	draft := o.letter("A draft", "internal", "Not yet.\n")
	code, _, errs = o.run("rita", "letter", "fetch", draft, "--out", fetched)
	if code != cli.ExitError || !strings.Contains(errs, "chancery: error: "+draft+" is not released") ||
		!strings.Contains(errs, "chancery: hint: to hand a draft out for coordination, record a copy: chancery draft export "+draft) {
		t.Errorf("fetch of a draft: %d %q", code, errs)
	}
	if code, _, errs := o.run("nobody", "letter", "fetch", ref, "--out", filepath.Join(dir, "public")); code != cli.ExitError || !strings.Contains(errs, "no token") {
		t.Errorf("fetch without a token: %d %q", code, errs)
	}
	entries, _ := os.ReadDir(fetched)
	if len(entries) != 2 {
		t.Errorf("%d files in the fetch directory, want the file and its seal", len(entries))
	}
}
