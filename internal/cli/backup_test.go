package cli_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
)

// releasingOffice is an office open as a server holds it, with one member per role and a
// signer key, able to release letters.
type releasingOffice struct {
	st                                 *officepkg.Stack
	drafter, reviewer, signer, officer registry.Actor
	admin                              registry.Actor
	key                                ed25519.PrivateKey
	keyID                              string
	n                                  atomic.Int64
}

// openReleasingOffice creates the office in dir, its store in database (SQLite in dir when
// empty), and opens it.
func openReleasingOffice(t *testing.T, dir, database string) *releasingOffice {
	t.Helper()
	return openReleasingOfficeWith(t, dir, database, nil)
}

// openReleasingOfficeWith is openReleasingOffice whose init sets up the office's PDF signing
// certificate with pdfCert (none if nil), as officepkg.Init does.
func openReleasingOfficeWith(t *testing.T, dir, database string, pdfCert func(dir string) error) *releasingOffice {
	t.Helper()
	ctx := context.Background()
	_, tok, err := officepkg.Init(ctx, dir, datadir.Settings{Office: "Backup Office", Prefix: "BKP", Origin: "backup.example/log", URL: "https://backup.example"},
		"admin", pdfCert, officepkg.Options{Database: database})
	if err != nil {
		t.Fatal(err)
	}
	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	// As 'chancery init' does once it has printed the admin's token: serve refuses an
	// unfinished directory.
	if err := d.Finish(); err != nil {
		t.Fatal(err)
	}
	st, err := officepkg.Open(ctx, d, officepkg.Options{Database: database})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	o := &releasingOffice{st: st}
	actor := func(tok string) registry.Actor {
		m, err := st.Registry.Authenticate(ctx, tok)
		if err != nil {
			t.Fatal(err)
		}
		return registry.Actor{Member: m, Remote: "test"}
	}
	admin := actor(tok)
	o.admin = admin
	for _, m := range []struct {
		name, role string
		to         *registry.Actor
	}{{"dana", registry.RoleDrafter, &o.drafter}, {"rita", registry.RoleReviewer, &o.reviewer},
		{"sam", registry.RoleSigner, &o.signer}, {"otto", registry.RoleRelease, &o.officer}} {
		tok, err := st.Registry.AddMember(ctx, admin, m.name, []string{m.role})
		if err != nil {
			t.Fatal(err)
		}
		*m.to = actor(tok)
	}
	_, o.key, _ = ed25519.GenerateKey(rand.Reader)
	if o.keyID, _, err = st.Registry.RegisterKey(ctx, o.signer, o.key.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	return o
}

// release drafts, approves, signs and releases a new letter: a short file of no known type,
// released as a one-page cover letter with the file attached.
func (o *releasingOffice) release() (*registry.Released, error) {
	ctx := context.Background()
	r := o.st.Registry
	i := o.n.Add(1)
	ref, err := r.CreateLetter(ctx, o.drafter, registry.NewLetter{Subject: fmt.Sprintf("Letter %d", i), Class: "internal",
		Addressees: []string{"Ministry"}, File: registry.Upload{Name: "letter.bin", MediaType: "application/octet-stream",
			Data: fmt.Appendf(nil, "Dear Minister,\n\nletter number %d.\n", i)}})
	if err != nil {
		return nil, err
	}
	if err := r.Approve(ctx, o.reviewer, ref, "", "ok"); err != nil {
		return nil, err
	}
	stmt, err := r.SigningStatement(ctx, o.signer, ref)
	if err != nil {
		return nil, err
	}
	if err := r.Sign(ctx, o.signer, ref, o.keyID, stmt, ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, stmt))); err != nil {
		return nil, err
	}
	return r.Release(ctx, o.officer, ref)
}

// run runs the command line and returns its exit status, stdout and stderr.
func run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

// A backup taken while letters are being released restores into a data directory whose log
// verifies, is a prefix of the live log, and answers for the letters released before it.
// backedUp opens a releasing office in tmp/live, releases before letters, backs it up into
// tmp/office.tar, and releases after more. It returns the office and the backup's
// checkpoint.
func backedUp(t *testing.T, tmp string, before, after int) (*releasingOffice, []byte) {
	t.Helper()
	live := filepath.Join(tmp, "live")
	o := openReleasingOffice(t, live, "")
	for range before {
		if _, err := o.release(); err != nil {
			t.Fatal(err)
		}
	}
	if code, stdout, stderr := run("backup", "--data", live, "--out", filepath.Join(tmp, "office.tar")); code != 0 {
		t.Fatalf("backup: status %d\n%s%s", code, stdout, stderr)
	}
	cp := o.st.Log.Head().Checkpoint
	for range after {
		if _, err := o.release(); err != nil {
			t.Fatal(err)
		}
	}
	return o, cp
}

func TestBackupWhileReleasing(t *testing.T) {
	tmp := t.TempDir()
	live := filepath.Join(tmp, "live")
	o := openReleasingOffice(t, live, "")
	var early []*registry.Released
	for range 3 {
		rel, err := o.release()
		if err != nil {
			t.Fatal(err)
		}
		early = append(early, rel)
	}
	before := o.st.Log.Head().Size

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var during atomic.Int64
	var releaseErr atomic.Value
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := o.release(); err != nil {
					releaseErr.Store(err)
					return
				}
				during.Add(1)
			}
		}()
	}
	// Wait for the releases to be under way, so that the backup overlaps them.
	for o.st.Log.Head().Size < before+2 {
		select {
		case <-o.st.Log.Published():
		case <-stopped(&wg):
			t.Fatalf("the releasing goroutines stopped: %v", releaseErr.Load())
		}
	}
	out := filepath.Join(tmp, "office.tar")
	code, stdout, stderr := run("backup", "--data", live, "--out", out)
	startedBy := o.st.Log.Head().Size
	for o.st.Log.Head().Size < startedBy+2 {
		<-o.st.Log.Published() // releases went on during and after the backup
	}
	close(stop)
	wg.Wait()
	if err := releaseErr.Load(); err != nil {
		t.Fatalf("releasing during the backup: %v", err)
	}
	if code != 0 {
		t.Fatalf("backup: status %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "(verified)") {
		t.Errorf("backup output: %s", stdout)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v", fi, err)
	}
	// A backup is never overwritten.
	if code, _, stderr := run("backup", "--data", live, "--out", out); code != 2 || !strings.Contains(stderr, "exists") {
		t.Errorf("second backup to the same file: status %d, %s", code, stderr)
	}

	restored := filepath.Join(tmp, "restored")
	code, stdout, stderr = run("restore", out, "--data", restored)
	if code != 0 {
		t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("log", "verify", "--data", restored); code != 0 || !strings.Contains(stdout, "is sound") {
		t.Fatalf("log verify of the restored log: status %d\n%s%s", code, stdout, stderr)
	}
	d, err := datadir.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(restored, "log.key")); err != nil {
		t.Errorf("the restore lacks the log key: %v", err)
	}
	rst, err := officepkg.Open(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	defer rst.Close()
	size := rst.Log.Head().Size
	if size < before || size > o.st.Log.Head().Size {
		t.Fatalf("restored log has %d entries; %d before the backup, %d after", size, before, o.st.Log.Head().Size)
	}
	t.Logf("backup of %d entries, taken while the log grew from %d to %d (%d releases during the test)", size, before, o.st.Log.Head().Size, during.Load())
	// The restored log is a prefix of the live one: the live log extends its checkpoint.
	if err := translog.CheckPublished(context.Background(), o.st.DB, o.st.Dir.Verifier(), rst.Log.Head().Checkpoint); err != nil {
		t.Fatalf("the live log does not extend the restored one: %v", err)
	}
	// The restored directory records its checkpoint as published.
	if cp, err := d.Published(); err != nil || !bytes.Equal(cp, rst.Log.Head().Checkpoint) {
		t.Errorf("published record after restore: %v", err)
	}
	for _, rel := range early {
		st, err := rst.Registry.VerifyDigest(context.Background(), registry.Actor{}, seal.DigestOf(rel.File))
		if err != nil || st.Outcome != registry.Valid {
			t.Errorf("restored registry on %s: %v, %v", rel.Reference, st, err)
		}
	}

	// A restore refuses a directory that holds a database, and a damaged backup.
	if code, _, stderr := run("restore", out, "--data", restored); code != 2 || !strings.Contains(stderr, "already holds a database") {
		t.Errorf("restore over a data directory: status %d, %s", code, stderr)
	}
	data, _ := os.ReadFile(out)
	i := bytes.Index(data, []byte("Dear Minister"))
	if i < 0 {
		t.Fatal("no letter text in the backup")
	}
	data[i] ^= 1
	bad := filepath.Join(tmp, "bad.tar")
	os.WriteFile(bad, data, 0o600)
	other := filepath.Join(tmp, "other")
	if code, _, stderr := run("restore", bad, "--data", other); code != 2 || !strings.Contains(stderr, "does not match its SHA-256") {
		t.Errorf("restore of a damaged backup: status %d, %s", code, stderr)
	}
	if ents, _ := os.ReadDir(other); len(ents) != 0 {
		t.Errorf("a failed restore left %d files behind", len(ents))
	}
}

// stopped returns a channel closed when wg is done.
func stopped(wg *sync.WaitGroup) <-chan struct{} {
	c := make(chan struct{})
	go func() { wg.Wait(); close(c) }()
	return c
}

// A backup verifies the log it copies: a log whose entry was altered is not backed up.
func TestBackupRefusesUnsoundLog(t *testing.T) {
	tmp := t.TempDir()
	live := filepath.Join(tmp, "live")
	o := openReleasingOffice(t, live, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(tmp, "office.tar")
	if code, stdout, stderr := run("backup", "--data", live, "--out", out); code != 0 {
		t.Fatalf("backup: %d %s%s", code, stdout, stderr)
	}
	// Rewrite one log entry in a copy of the database, then rebuild the backup around it.
	work := filepath.Join(tmp, "work")
	if code, _, stderr := run("restore", out, "--data", work); code != 0 {
		t.Fatal(stderr)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(work, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	var start int
	var chunk []byte
	if err := db.QueryRow("SELECT start, data FROM log_entry_chunks ORDER BY start DESC LIMIT 1").Scan(&start, &chunk); err != nil {
		t.Fatal(err)
	}
	chunk[len(chunk)-3] ^= 1
	if _, err := db.Exec("UPDATE log_entry_chunks SET data = $1 WHERE start = $2", chunk, start); err != nil {
		t.Fatal(err)
	}
	db.Close()
	os.Remove(filepath.Join(work, datadir.PublishedFile))
	tampered := filepath.Join(tmp, "tampered.tar")
	code, _, stderr := run("backup", "--data", work, "--out", tampered)
	if code != 2 || !strings.Contains(stderr, "does not verify") {
		t.Fatalf("backup of a tampered log: status %d, %s", code, stderr)
	}
}
