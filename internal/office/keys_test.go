package office_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/hsm/hsmtest"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
	"github.com/chancery/chancery/internal/translog"
)

// chancery runs the command line in this process and returns its exit status and output.
func chancery(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := cli.Main(args, &out, &errs)
	return code, out.String(), errs.String()
}

// initOffice runs chancery init in dir with extra flags and returns the admin's token.
func initOffice(t testing.TB, dir string, extra ...string) string {
	t.Helper()
	args := append([]string{"init", "--data", dir, "--office", "Key Office", "--prefix", "KEY", "--url", "http://127.0.0.1:9", "--no-pdf-ca"}, extra...)
	code, out, errs := chancery(t, args...)
	if code != 0 {
		t.Fatalf("init: exit %d\n%s", code, errs)
	}
	return strings.TrimSpace(out)
}

// letters releases letters through the whole gate of an opened office.
type letters struct {
	drafter, reviewer, signer, officer registry.Actor
	keyID                              string
	key                                ed25519.PrivateKey
	n                                  int
}

func newLetters(t testing.TB, st *office.Stack, adminTok string) *letters {
	t.Helper()
	ctx := context.Background()
	reg := st.Registry
	m, err := reg.Authenticate(ctx, adminTok)
	if err != nil {
		t.Fatal(err)
	}
	admin := registry.Actor{Member: m}
	l := &letters{}
	for role, a := range map[string]*registry.Actor{registry.RoleDrafter: &l.drafter, registry.RoleReviewer: &l.reviewer,
		registry.RoleSigner: &l.signer, registry.RoleRelease: &l.officer} {
		tok, err := reg.AddMember(ctx, admin, role+"-1", []string{role})
		if err != nil {
			t.Fatal(err)
		}
		m, err := reg.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		*a = registry.Actor{Member: m}
	}
	_, l.key, _ = ed25519.GenerateKey(rand.Reader)
	if l.keyID, _, err = reg.RegisterKey(ctx, l.signer, l.key.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	return l
}

// release releases a new letter with reg (st's registry, or another on the same store) and
// writes it and its seal to dir. It returns the letter's path.
func (l *letters) release(t testing.TB, reg *registry.Registry, dir string) string {
	t.Helper()
	ref := l.prepare(t, reg)
	rel, err := reg.Release(context.Background(), l.officer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if rel.Seal == nil {
		t.Fatalf("release %s: no seal: %s", ref, rel.SealPending)
	}
	file := filepath.Join(dir, ref+".txt")
	if err := os.WriteFile(file, rel.File, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file+".seal", rel.Seal.Marshal(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// prepare drafts, approves and signs a new letter, ready for release, and returns its
// reference.
func (l *letters) prepare(t testing.TB, reg *registry.Registry) string {
	t.Helper()
	ctx := context.Background()
	l.n++
	data := []byte(fmt.Sprintf("Letter %d\n%s\n", l.n, rand.Text()))
	ref, err := reg.CreateLetter(ctx, l.drafter, registry.NewLetter{Subject: fmt.Sprintf("Letter %d", l.n), Class: "internal",
		Addressees: []string{"Addressee"}, File: registry.Upload{Name: "letter.txt", MediaType: "text/plain", Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Approve(ctx, l.reviewer, ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	st, err := reg.SigningStatement(ctx, l.signer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Sign(ctx, l.signer, ref, l.keyID, st, ed25519.Sign(l.key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		t.Fatal(err)
	}
	return ref
}

// trust writes the trust root of st's registry to dir/name and returns its path.
func trust(t *testing.T, st *office.Stack, dir, name string) string {
	t.Helper()
	b, err := st.Registry.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// verify runs chancery verify --offline on file with the trust root, and returns its exit
// status and output.
func verify(t *testing.T, file, trustRoot string) (int, string) {
	t.Helper()
	code, out, errs := chancery(t, "verify", file, "--trust", trustRoot, "--offline", "--lang", "en")
	return code, out + errs
}

func mustValid(t *testing.T, file, trustRoot string) {
	t.Helper()
	if code, out := verify(t, file, trustRoot); code != 0 || !strings.Contains(out, "valid") {
		t.Fatalf("verify %s with %s: exit %d\n%s", filepath.Base(file), filepath.Base(trustRoot), code, out)
	}
}

// open opens the office in dir; close closes it and its keys' sessions (a module stays
// logged in while a session of the process is open).
func open(t testing.TB, dir string) (st *office.Stack, close func()) {
	t.Helper()
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err = office.Open(context.Background(), d)
	if err != nil {
		d.Close()
		t.Fatal(err)
	}
	return st, func() { st.Close(); d.Close() }
}

// noPrivateKeys walks dir and fails if any file holds private key material: a PEM private
// key, a note signer key, or the token's PIN.
func noPrivateKeys(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, bad := range []string{"PRIVATE KEY", "PRIVATE+KEY", "pin-value", hsmtest.PIN} {
			if bytes.Contains(b, []byte(bad)) {
				t.Errorf("%s holds %q", p, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"office.key", "log.key"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s was written", f)
		}
	}
}

// TestKeysInToken: an office whose office and log keys live in a SoftHSM2 token releases
// letters that chancery verify finds valid, with no private key in its data directory; a
// wrong PIN, a missing token or module stop init with a hint and leave nothing behind; the
// office key rotates to another key of the token and the earlier seals stay valid.
func TestKeysInToken(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	pin := hsmtest.Token(t, "chancery", "office", "log", "office-2")
	officeURI, logURI := hsmtest.URI("chancery", "office", pin), hsmtest.URI("chancery", "log", pin)
	tmp := t.TempDir()

	empty := filepath.Join(tmp, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ officeKey, want, hint string }{
		"wrong PIN":      {"pkcs11:token=chancery;object=office?module-path=" + hsmtest.Module + "&pin-value=000000", "the PIN is wrong", "PIN"},
		"missing token":  {"pkcs11:token=absent;object=office?module-path=" + hsmtest.Module + "&pin-source=" + pin, "no such token", "list the tokens"},
		"missing module": {"pkcs11:token=chancery;object=office?module-path=/nonexistent/libp11.so&pin-source=" + pin, "module", "module-path="},
		"missing key":    {"pkcs11:token=chancery;object=archive?module-path=" + hsmtest.Module + "&pin-source=" + pin, "no Ed25519 private key", "list-objects"},
	} {
		for _, dir := range []string{filepath.Join(tmp, "new"), empty} {
			code, _, errs := chancery(t, "init", "--data", dir, "--office", "Key Office", "--prefix", "KEY", "--url", "http://127.0.0.1:9",
				"--no-pdf-ca", "--office-key", c.officeKey, "--log-key", logURI)
			if code != 2 || !strings.Contains(errs, "chancery: error: ") || !strings.Contains(errs, c.want) ||
				!strings.Contains(errs, "chancery: hint: ") || !strings.Contains(errs, c.hint) || strings.Contains(errs, "000000") {
				t.Errorf("%s: exit %d\n%s", name, code, errs)
			}
			ents, err := os.ReadDir(dir)
			if dir == empty && (err != nil || len(ents) != 0) || dir != empty && !os.IsNotExist(err) {
				t.Errorf("%s: init left %s behind: %v %v", name, dir, ents, err)
			}
		}
	}

	dir := filepath.Join(tmp, "reg")
	tok := initOffice(t, dir, "--office-key", officeURI, "--log-key", logURI)
	noPrivateKeys(t, dir)
	st, closeOffice := open(t, dir)
	l := newLetters(t, st, tok)
	first := l.release(t, st.Registry, tmp)
	before := trust(t, st, tmp, "trust-before.json")
	mustValid(t, first, before)
	k, err := hsm.Open(officeURI)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Registry.TrustRoot().OfficeKeys; len(got) != 1 || !bytes.Equal(got[0].PublicKey, k.Public().(ed25519.PublicKey)) {
		t.Errorf("trust root office keys %+v, want the token's key", got)
	}
	k.Close()
	closeOffice()

	// Every command that opens the office opens its keys in the token, and stops at once
	// with a wrong PIN (here from CHANCERY_HSM_PIN, the URIs recorded without pin-source).
	settings, err := os.ReadFile(filepath.Join(dir, "chancery.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(settings, []byte(`"office_key": "pkcs11:token=chancery;object=office?module-path=`)) {
		t.Errorf("chancery.json does not record the office key's URI:\n%s", settings)
	}
	noSource := bytes.ReplaceAll(settings, []byte("&pin-source="+strings.ReplaceAll(pin, "/", "%2F")), nil)
	if bytes.Equal(noSource, settings) {
		t.Fatalf("chancery.json does not record pin-source:\n%s", settings)
	}
	os.WriteFile(filepath.Join(dir, "chancery.json"), noSource, 0o600)
	t.Setenv("CHANCERY_HSM_PIN", "000000")
	code, _, errs := chancery(t, "log", "verify", "--data", dir)
	if code != 2 || !strings.Contains(errs, "the PIN is wrong") || !strings.Contains(errs, "chancery: hint: ") {
		t.Errorf("log verify with a wrong PIN: exit %d\n%s", code, errs)
	}
	t.Setenv("CHANCERY_HSM_PIN", hsmtest.PIN)
	if code, out, errs := chancery(t, "log", "verify", "--data", dir); code != 0 || !strings.Contains(out, "is sound") {
		t.Errorf("log verify with the PIN from CHANCERY_HSM_PIN: exit %d\n%s%s", code, out, errs)
	}
	os.WriteFile(filepath.Join(dir, "chancery.json"), settings, 0o600)

	// Rotation to another key of the token.
	code, out, errs := chancery(t, "key", "rotate", "office", "--data", dir, "--to", hsmtest.URI("chancery", "office-2", pin), "--json")
	if code != 0 {
		t.Fatalf("key rotate: exit %d\n%s", code, errs)
	}
	if !strings.Contains(out, `"key":"pkcs11:token=chancery;object=office-2`) {
		t.Errorf("key rotate --json: %s", out)
	}
	noPrivateKeys(t, dir)
	st, closeOffice = open(t, dir)
	defer closeOffice()
	second := l.release(t, st.Registry, tmp)
	after := trust(t, st, tmp, "trust-after.json")
	mustValid(t, first, after)
	mustValid(t, second, after)
	outdated(t, second, before)
}

// TestRecordedKeyLoadsOnlyAModuleTheDirectoryTrusts: when the store's key history names a key
// in a token (a rotation made through another data directory, or one that stopped before it
// updated chancery.json), a server loads that token's PKCS#11 module only if its own settings
// or CHANCERY_HSM_MODULES name it: the history is in the database, and whoever can write it
// must not choose a library for every server to run at its next start.
func TestRecordedKeyLoadsOnlyAModuleTheDirectoryTrusts(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	t.Setenv(datadir.HSMModulesEnv, "")
	pin := hsmtest.Token(t, "chancery", "office-2")
	dir := filepath.Join(t.TempDir(), "reg")
	initOffice(t, dir)
	settings, err := os.ReadFile(filepath.Join(dir, "chancery.json"))
	if err != nil {
		t.Fatal(err)
	}
	if code, _, errs := chancery(t, "key", "rotate", "office", "--data", dir, "--to", hsmtest.URI("chancery", "office-2", pin)); code != 0 {
		t.Fatalf("key rotate: exit %d\n%s", code, errs)
	}
	// The directory as a second server's copy, or a rotation cut short, has it: its own key
	// is the file key, and the store's history names the token's.
	if err := os.WriteFile(filepath.Join(dir, "chancery.json"), settings, 0o600); err != nil {
		t.Fatal(err)
	}

	openOffice := func() (*office.Stack, error) {
		d, err := datadir.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return office.Open(context.Background(), d)
	}
	if st, err := openOffice(); !errors.Is(err, datadir.ErrUntrustedModule) {
		if err == nil {
			st.Close()
		}
		t.Fatalf("opening the office whose history names a module its directory does not use: %v, want ErrUntrustedModule", err)
	}
	code, _, errs := chancery(t, "key", "rotate", "office", "--data", dir)
	if code == 0 || !strings.Contains(errs, "is not one this data directory uses") || !strings.Contains(errs, "hint: ") || !strings.Contains(errs, datadir.HSMModulesEnv) {
		t.Errorf("a command opening that office: exit %d\n%s", code, errs)
	}

	t.Setenv(datadir.HSMModulesEnv, "/nonexistent/other.so"+string(os.PathListSeparator)+hsmtest.Module)
	st, err := openOffice()
	if err != nil {
		t.Fatalf("with the module in %s: %v", datadir.HSMModulesEnv, err)
	}
	defer st.Close()
	k, err := hsm.Open(hsmtest.URI("chancery", "office-2", pin))
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	keys := st.Registry.TrustRoot().OfficeKeys
	if cur := keys[len(keys)-1]; !bytes.Equal(cur.PublicKey, k.Public().(ed25519.PublicKey)) {
		t.Errorf("the office's current key is %x, want the token's", cur.PublicKey)
	}
}

// outdated checks that verify tells a trust root from before a rotation is out of date, and
// how to refresh it, rather than calling the seal invalid.
func outdated(t *testing.T, file, trustRoot string) {
	t.Helper()
	code, out := verify(t, file, trustRoot)
	if code != 2 || !strings.Contains(out, "the trust root is out of date") || !strings.Contains(out, "chancery trust export") || strings.Contains(out, "invalid") {
		t.Errorf("verify %s with the trust root from before the rotation: exit %d\n%s", filepath.Base(file), code, out)
	}
}

// outdatedOnline is outdated for a file without its seal, which verify asks the registry of
// st about: the registry's seal, signed by the new key, is as out of date for the trust root
// as the seal beside the file. (Found by audit, twenty-fifth session: online, verify called
// the genuine letter invalid, exit 1.)
func outdatedOnline(t *testing.T, st *office.Stack, file, trustRoot string) {
	t.Helper()
	srv := httptest.NewServer(server.New(server.Config{Log: st.Log, DB: st.DB, VerifierKey: st.Dir.VerifierKey(),
		Origin: st.Dir.Settings.Origin, Registry: st.Registry, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	defer srv.Close()
	bare := filepath.Join(t.TempDir(), filepath.Base(file))
	data, err := os.ReadFile(file)
	if err == nil {
		err = os.WriteFile(bare, data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", "")
	code, out, errs := chancery(t, "verify", bare, "--trust", trustRoot, "--lang", "en")
	if code != 2 || !strings.Contains(out, "the trust root is out of date") || strings.Contains(out+errs, "invalid") {
		t.Errorf("verify %s online with the trust root from before the rotation: exit %d\n%s%s", filepath.Base(file), code, out, errs)
	}
}

// TestRotateOfficeKey: chancery key rotate office moves a file-key office to a new key file;
// seals from before stay valid under the new trust root, the new key's seals are valid, a
// trust root from before is reported out of date, and a release the retired key signs after
// the rotation (a stolen key on a rogue server) is invalid.
func TestRotateOfficeKey(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "reg")
	tok := initOffice(t, dir)
	st, closeOffice := open(t, dir)
	l := newLetters(t, st, tok)
	first := l.release(t, st.Registry, tmp)
	before := trust(t, st, tmp, "trust-before.json")
	mustValid(t, first, before)
	rootBefore := st.Registry.TrustRoot()
	closeOffice()

	// Not while a server holds the data directory.
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	unlock, err := d.Lock()
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := chancery(t, "key", "rotate", "office", "--data", dir)
	if code != 2 || !strings.Contains(errs, "chancery: hint: stop the server first") {
		t.Errorf("rotate under a running server: exit %d\n%s", code, errs)
	}
	unlock()

	code, out, errs := chancery(t, "key", "rotate", "office", "--data", dir, "--reason", "yearly rotation")
	if code != 0 || !strings.Contains(out, "retired;") || !strings.Contains(errs, "chancery trust export") {
		t.Fatalf("key rotate: exit %d\n%s%s", code, out, errs)
	}
	reopened, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(reopened.Settings.OfficeKey, "office-") {
		t.Errorf("chancery.json names office key %q after the rotation", reopened.Settings.OfficeKey)
	}

	st, closeOffice = open(t, dir)
	defer func() { closeOffice() }() // the office opened last
	second := l.release(t, st.Registry, tmp)
	after := trust(t, st, tmp, "trust-after.json")
	keys := st.Registry.TrustRoot().OfficeKeys
	if len(keys) != 2 || keys[0].KeyID != rootBefore.OfficeKeys[0].KeyID || keys[0].UntilIndex == nil || keys[1].FromIndex != *keys[0].UntilIndex || keys[1].UntilIndex != nil {
		t.Fatalf("key history after the rotation: %+v", keys)
	}
	mustValid(t, first, after)
	mustValid(t, second, after)
	mustValid(t, first, before)
	outdated(t, second, before)
	outdatedOnline(t, st, second, before)

	// The retired key, used after its retirement on the same log by a thief's server: refused
	// by verifiers. The office's own servers refuse to log with it
	// (TestStaleServerRefusesRetiredKey), so the thief runs a copy of the database whose key
	// history names the retired key current.
	oldKey, err := d.OpenKey("office.key")
	if err != nil {
		t.Fatal(err)
	}
	rogueDir := t.TempDir()
	if err := store.BackupSQLite(context.Background(), dir, filepath.Join(rogueDir, store.SQLiteFile)); err != nil {
		t.Fatal(err)
	}
	rogueDB, err := store.OpenSQLite(context.Background(), rogueDir)
	if err != nil {
		t.Fatal(err)
	}
	defer rogueDB.Close()
	history, err := json.Marshal([]registry.HistoryKey{{OfficeKey: rootBefore.OfficeKeys[0], Ref: "office.key"}})
	if err != nil {
		t.Fatal(err)
	}
	err = rogueDB.Update(context.Background(), func(tx *store.Tx) error {
		return tx.SetSetting(context.Background(), "office_keys", string(history))
	})
	if err != nil {
		t.Fatal(err)
	}
	rogueLog, err := translog.Open(context.Background(), rogueDB, translog.Config{Origin: d.Settings.Origin, Signer: d.Signer()})
	if err != nil {
		t.Fatal(err)
	}
	defer rogueLog.Close()
	rogue := registry.New(registry.Config{DB: rogueDB, Log: rogueLog, OfficeKey: oldKey,
		Office: registry.Office{Name: d.Settings.Office, Prefix: d.Settings.Prefix, URL: d.Settings.URL},
		LogKey: d.VerifierKey(), LogOrigin: d.Settings.Origin})
	if err := rogue.LoadPolicy(context.Background(), policy.Parse); err != nil {
		t.Fatal(err)
	}
	third := l.release(t, rogue, tmp)
	if code, out := verify(t, third, after); code != 1 || !strings.Contains(out, "invalid") || !strings.Contains(out, "which signs only log entries 0 to") {
		t.Errorf("a release by the retired key after the rotation: exit %d\n%s", code, out)
	}

	// A second rotation keeps the whole history.
	closeOffice()
	if code, _, errs := chancery(t, "key", "rotate", "office", "--data", dir); code != 0 {
		t.Fatalf("second rotation: exit %d\n%s", code, errs)
	}
	st, closeOffice = open(t, dir)
	fourth := l.release(t, st.Registry, tmp)
	latest := trust(t, st, tmp, "trust-latest.json")
	if n := len(st.Registry.TrustRoot().OfficeKeys); n != 3 {
		t.Errorf("%d office keys after two rotations", n)
	}
	for _, f := range []string{first, second, fourth} {
		mustValid(t, f, latest)
	}
}

// TestStaleServerRefusesRetiredKey: a server opened before a rotation (another server of a
// PostgreSQL office, which the rotating command cannot see) still holds the retired key. It
// must not log anything with it: every verifier with the new trust root refuses what the
// retired key signs after the rotation, so the letter would go out invalid.
func TestStaleServerRefusesRetiredKey(t *testing.T) {
	ctx := context.Background()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "reg")
	tok := initOffice(t, dir)
	st, closeOffice := open(t, dir)
	defer closeOffice()
	l := newLetters(t, st, tok)
	ref := l.prepare(t, st.Registry)
	m, err := st.Registry.Authenticate(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	// Another server of the office rotates the key on the shared store.
	_, next, _ := ed25519.GenerateKey(rand.Reader)
	other := registry.New(registry.Config{DB: st.DB, Log: st.Log, OfficeKey: st.Dir.OfficeKey(),
		Office: registry.Office{Name: st.Dir.Settings.Office, Prefix: st.Dir.Settings.Prefix, URL: st.Dir.Settings.URL},
		LogKey: st.Dir.VerifierKey(), LogOrigin: st.Dir.Settings.Origin})
	r, err := other.RotateOfficeKey(ctx, registry.Actor{Member: m}, next, "office.key", "office-next.key", "test")
	if err != nil {
		t.Fatal(err)
	}
	size := st.Log.Head().Size
	if _, err := st.Registry.Release(ctx, l.officer, ref); err == nil || !strings.Contains(err.Error(), "retired") {
		t.Errorf("a release signed by the key retired at entry %d: %v", r, err)
	}
	if _, _, err := st.Registry.RegisterKey(ctx, l.signer, next.Public().(ed25519.PublicKey)); err == nil {
		t.Error("a key registration signed by the retired key was logged")
	}
	if got := st.Log.Head().Size; got != size {
		t.Errorf("the log grew from %d to %d entries signed by the retired key", size, got)
	}
}

// TestStaleServerRefusesRetiredKeyPostgres: the case the rule is for. Two servers of one
// office share a PostgreSQL database, each with its data directory; 'chancery key rotate
// office' runs on the second one's, under its lock, which the first one does not see. The
// first one, still running with the retired key, logs nothing more.
func TestStaleServerRefusesRetiredKeyPostgres(t *testing.T) {
	dbURL := storetest.PostgresURL(t)
	ctx := context.Background()
	tmp := t.TempDir()
	dir, other := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	tok := initOffice(t, dir, "--database", dbURL)
	if out, err := exec.Command("cp", "-a", dir, other).CombinedOutput(); err != nil {
		t.Fatalf("copy the data directory: %v\n%s", err, out)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	st, err := office.Open(ctx, d, office.Options{Database: dbURL})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l := newLetters(t, st, tok)
	ref := l.prepare(t, st.Registry)
	if code, _, errs := chancery(t, "key", "rotate", "office", "--data", other, "--database", dbURL); code != 0 {
		t.Fatalf("key rotate on the other server's directory: exit %d\n%s", code, errs)
	}
	if _, err := st.Registry.Release(ctx, l.officer, ref); !errors.Is(err, registry.ErrConflict) || !strings.Contains(err.Error(), "retired") {
		t.Errorf("a release by the server holding the retired key: %v", err)
	}
	// Restarted with the new key file copied beside it (docs/keys.md), it opens the current
	// key from the store's history and releases.
	st.Close()
	d.Close()
	od, err := datadir.Open(other)
	if err != nil {
		t.Fatal(err)
	}
	name := od.Settings.OfficeKey
	od.Close()
	if out, err := exec.Command("cp", "-p", filepath.Join(other, name), filepath.Join(dir, name)).CombinedOutput(); err != nil {
		t.Fatalf("copy the new key file: %v\n%s", err, out)
	}
	st2, closeOffice := openDatabase(t, dir, dbURL)
	defer closeOffice()
	if _, err := st2.Registry.Release(ctx, l.officer, ref); err != nil {
		t.Errorf("a release after the restart: %v", err)
	}
}

// openDatabase opens the office in dir on the database dbURL.
func openDatabase(t testing.TB, dir, dbURL string) (*office.Stack, func()) {
	t.Helper()
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := office.Open(context.Background(), d, office.Options{Database: dbURL})
	if err != nil {
		d.Close()
		t.Fatal(err)
	}
	return st, func() { st.Close(); d.Close() }
}
