package cli_test

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/store"
)

// rewriteBackup writes to out the backup in, with the files of change in place of its own
// (or added), each with the mode given in modes (else its own) and the manifest made to
// match: a backup crafted by whoever can write where backups are kept.
func rewriteBackup(t *testing.T, in, out string, change map[string][]byte, modes map[string]uint32) {
	t.Helper()
	f, err := os.Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	var manifest map[string]any
	files := map[string][]byte{}
	var order []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Name == "chancery-backup.json" {
			if err := json.Unmarshal(b, &manifest); err != nil {
				t.Fatal(err)
			}
			continue
		}
		files[hdr.Name] = b
		order = append(order, hdr.Name)
	}
	for n, b := range change {
		if _, ok := files[n]; !ok {
			order = append(order, n)
		}
		files[n] = b
	}
	var list []any
	for _, n := range order {
		mode := uint32(0o600)
		for _, e := range manifest["files"].([]any) {
			if e := e.(map[string]any); e["name"] == n {
				mode = uint32(e["mode"].(float64))
			}
		}
		if m, ok := modes[n]; ok {
			mode = m
		}
		sum := sha256.Sum256(files[n])
		list = append(list, map[string]any{"name": n, "size": len(files[n]), "mode": mode, "sha256": hex.EncodeToString(sum[:])})
	}
	manifest["files"] = list
	js, err := json.Marshal(manifest)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	add := func(name string, data []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	add("chancery-backup.json", js)
	for _, n := range order {
		add(n, files[n])
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// alteredDatabase returns the database of the backup file, restored in tmp/name, after
// change ran on it.
func alteredDatabase(t *testing.T, backup, dir string, change func(db *sql.DB) error) []byte {
	t.Helper()
	if code, _, stderr := run("restore", backup, "--data", dir); code != 0 {
		t.Fatalf("restore: status %d, %s", code, stderr)
	}
	path := filepath.Join(dir, store.SQLiteFile)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if err := change(db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRestoreRefusesAForeignSchema: a backup is a SQLite file that whoever can write where
// backups are kept can craft, and restore checked only its log. A trigger of its own (here
// one that puts the admin's old token back whenever it is replaced, so that 'member token'
// no longer locks out whoever held it), the audit trail's append-only triggers dropped, or a
// view, were restored without a word, and backed up again. Both now refuse such a database.
func TestRestoreRefusesAForeignSchema(t *testing.T) {
	tmp := t.TempDir()
	o, _ := backedUp(t, tmp, 1, 0)
	o.st.Close()
	backup := filepath.Join(tmp, "office.tar")
	for _, c := range []struct{ name, sql string }{
		{"trigger", `CREATE TRIGGER keep_admin AFTER UPDATE OF token_hash ON members WHEN NEW.name = 'admin'
			BEGIN UPDATE members SET token_hash = OLD.token_hash WHERE id = NEW.id; END`},
		{"dropped trigger", `DROP TRIGGER audit_events_no_update`},
		{"view", `CREATE VIEW everything AS SELECT name, token_hash FROM members`},
	} {
		t.Run(c.name, func(t *testing.T) {
			work := filepath.Join(tmp, "work-"+strings.ReplaceAll(c.name, " ", "-"))
			db := alteredDatabase(t, backup, work, func(db *sql.DB) error {
				_, err := db.Exec(c.sql)
				return err
			})
			crafted := filepath.Join(tmp, "crafted-"+strings.ReplaceAll(c.name, " ", "-")+".tar")
			rewriteBackup(t, backup, crafted, map[string][]byte{store.SQLiteFile: db}, nil)
			dir := filepath.Join(tmp, "restored-"+strings.ReplaceAll(c.name, " ", "-"))
			code, stdout, stderr := run("restore", crafted, "--data", dir)
			if code != 2 || !strings.Contains(stderr, "schema") || !strings.Contains(stderr, "hint:") {
				t.Fatalf("restore of a backup with a %s of its own: status %d, want 2 with a hint\n%s%s", c.name, code, stdout, stderr)
			}
			// The refusals named the copy they checked, in a staging directory they had
			// removed (found by audit, sixty-first session): they name the database it
			// stands for, the backup's and the office's.
			if want := "restore: the backup's database: store: chancery.db in " + crafted + ": its schema is not the one this build makes"; !strings.Contains(stderr, want) || strings.Contains(stderr, ".restore-") {
				t.Errorf("restore of a backup with a %s of its own:\n%s\nwant %q…, no staging directory", c.name, stderr, want)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 0 {
				t.Errorf("the refused restore left %d files", len(ents))
			}
			os.Remove(filepath.Join(work, datadir.PublishedFile))
			code, stdout, stderr = run("backup", "--data", work, "--out", filepath.Join(tmp, "again-"+strings.ReplaceAll(c.name, " ", "-")+".tar"))
			if code != 2 || !strings.Contains(stderr, "schema") {
				t.Fatalf("backup of a database with a %s of its own: status %d, want 2\n%s%s", c.name, code, stdout, stderr)
			}
			if want := "backup: store: " + filepath.Join(work, store.SQLiteFile) + ": its schema is not the one this build makes"; !strings.Contains(stderr, want) || strings.Contains(stderr, ".chancery-backup-") {
				t.Errorf("backup of a database with a %s of its own:\n%s\nwant %q…, no staging directory", c.name, stderr, want)
			}
		})
	}
}

// TestRestoreRefusesADamagedIndex: an index that does not match its table (damaged, or
// crafted so that a lookup by token hash finds another member) passes the log's
// verification; restore runs SQLite's integrity check.
func TestRestoreRefusesADamagedIndex(t *testing.T) {
	tmp := t.TempDir()
	o, _ := backedUp(t, tmp, 1, 0)
	o.st.Close()
	backup := filepath.Join(tmp, "office.tar")
	db := alteredDatabase(t, backup, filepath.Join(tmp, "work"), func(db *sql.DB) error {
		// The index of members' names and that of their token hashes swap their b-trees.
		var names, tokens int
		if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_members_1'`).Scan(&names); err != nil {
			return err
		}
		if err := db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_members_2'`).Scan(&tokens); err != nil {
			return err
		}
		_, err := db.Exec(`PRAGMA writable_schema = ON;
			UPDATE sqlite_master SET rootpage = CASE name WHEN 'sqlite_autoindex_members_1' THEN ? ELSE ? END
				WHERE name IN ('sqlite_autoindex_members_1', 'sqlite_autoindex_members_2');
			PRAGMA writable_schema = OFF`, tokens, names)
		return err
	})
	crafted := filepath.Join(tmp, "crafted.tar")
	rewriteBackup(t, backup, crafted, map[string][]byte{store.SQLiteFile: db}, nil)
	dir := filepath.Join(tmp, "restored")
	code, stdout, stderr := run("restore", crafted, "--data", dir)
	if code != 2 || !strings.Contains(stderr, "damaged") {
		t.Fatalf("restore of a database whose index does not match its table: status %d, want 2\n%s%s", code, stdout, stderr)
	}
	// It named the copy it checked, in a staging directory it had removed (found by audit,
	// sixty-second session): it names the backup's database.
	if want := "restore: the backup's database: store: chancery.db in " + crafted + " is damaged: "; !strings.Contains(stderr, want) || strings.Contains(stderr, ".restore-") {
		t.Errorf("restore of a database whose index does not match its table:\n%s\nwant %q…, no staging directory", stderr, want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("the refused restore left %d files", len(ents))
	}
}

// closedBackup is backedUp's office closed, its data directory live and its backup.
func closedBackup(t *testing.T, tmp string) (live, backup string) {
	t.Helper()
	o, _ := backedUp(t, tmp, 1, 0)
	if err := o.st.Close(); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(tmp, "live"), filepath.Join(tmp, "office.tar")
}

// moveDatabaseAside removes the database of the data directory live, as an operator moves a
// damaged one aside before a restore in place.
func moveDatabaseAside(t *testing.T, live string) {
	t.Helper()
	for _, n := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(filepath.Join(live, store.SQLiteFile+n)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
}

// TestRestoreInPlaceRefusesLinks: in place, restore took any name already in the data
// directory for the file it had checked, and a link for the directory it named. A link left
// where the database was (dangling, so not "a database") kept the database out, and restore
// said "restored ... (verified)" over a directory without it; a dangling link in place of a
// file the backup holds (the PDF signing key) kept that file out the same way; and a file of
// the backup under a directory that is a link in the data directory was written wherever the
// link pointed. Each is refused before anything is written.
func TestRestoreInPlaceRefusesLinks(t *testing.T) {
	tmp := t.TempDir()
	live, backup := closedBackup(t, tmp)
	moveDatabaseAside(t, live)
	outside := filepath.Join(tmp, "outside")
	if err := os.Mkdir(outside, 0o700); err != nil {
		t.Fatal(err)
	}
	refused := func(what string) {
		t.Helper()
		code, stdout, stderr := run("restore", backup, "--data", live)
		if code != 2 || !strings.Contains(stderr, "hint:") {
			t.Fatalf("restore in place with %s: status %d, want 2 with a hint\n%s%s", what, code, stdout, stderr)
		}
		if _, err := os.Stat(filepath.Join(live, datadir.PublishedFile)); err == nil {
			t.Errorf("restore in place with %s wrote a record", what)
		}
	}

	db := filepath.Join(live, store.SQLiteFile)
	if err := os.Symlink(filepath.Join(outside, "missing", "x.db"), db); err != nil {
		t.Fatal(err)
	}
	refused("a dangling link for its database")
	os.Remove(db)

	withKey := filepath.Join(tmp, "with-key.tar")
	rewriteBackup(t, backup, withKey, map[string][]byte{"pdf-signing.key": []byte("-----BEGIN PRIVATE KEY-----\n")}, nil)
	key := filepath.Join(live, "pdf-signing.key")
	if err := os.Symlink(filepath.Join(outside, "missing.key"), key); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run("restore", withKey, "--data", live)
	if code != 2 || !strings.Contains(stderr, "link to nothing") {
		t.Fatalf("restore in place with a dangling link for a file of the backup: status %d, want 2\n%s%s", code, stdout, stderr)
	}
	os.Remove(key)

	if err := os.Symlink(outside, filepath.Join(live, "notes")); err != nil {
		t.Fatal(err)
	}
	crafted := filepath.Join(tmp, "crafted.tar")
	rewriteBackup(t, backup, crafted, map[string][]byte{"notes/planted": []byte("planted\n")}, nil)
	code, stdout, stderr = run("restore", crafted, "--data", live)
	if code != 2 || !strings.Contains(stderr, "hint:") {
		t.Fatalf("restore in place through a linked directory: status %d, want 2 with a hint\n%s%s", code, stdout, stderr)
	}
	if ents, _ := os.ReadDir(outside); len(ents) != 0 {
		t.Fatalf("restore in place wrote %s outside the data directory, through a link", ents[0].Name())
	}
	if _, err := os.Lstat(db); err == nil {
		t.Error("the refused restore left a database")
	}
	os.Remove(filepath.Join(live, "notes"))

	if code, stdout, stderr := run("restore", backup, "--data", live); code != 0 {
		t.Fatalf("restore in place without links: status %d\n%s%s", code, stdout, stderr)
	}
}

// TestRestoreMakesItsFilesPrivate: restore created each file with the mode the backup's
// manifest gave (0644 allowed), in a directory it left as it found it: restored into an
// empty directory made with mkdir (0755), a backup whose manifest said 0644 (an older
// version's, another tool's, or a crafted one) left the PDF signing key and the settings
// readable by every account. Restored files are the owner's alone, as is the directory.
func TestRestoreMakesItsFilesPrivate(t *testing.T) {
	tmp := t.TempDir()
	_, backup := closedBackup(t, tmp)
	crafted := filepath.Join(tmp, "crafted.tar")
	rewriteBackup(t, backup, crafted, map[string][]byte{"pdf-signing.key": []byte("-----BEGIN PRIVATE KEY-----\n")},
		map[string]uint32{"pdf-signing.key": 0o644, "chancery.json": 0o644, store.SQLiteFile: 0o644})
	dir := filepath.Join(tmp, "restored")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := run("restore", crafted, "--data", dir); code != 0 {
		t.Fatalf("restore: status %d\n%s%s", code, stdout, stderr)
	}
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := e.Info()
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s is mode %v after the restore, want its owner's alone", p, fi.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRestoreAsRootGivesTheServiceItsFiles: under the shipped unit the data directory is the
// service's user's, and an operator restores as root. The database moved in, and the record
// of the published checkpoint, were root's, mode 0600: the service could not open them
// ("store: create chancery.db: permission denied"). Restored into a directory of another
// user, in place or empty, every file is that user's. (Run as root only.)
func TestRestoreAsRootGivesTheServiceItsFiles(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("changes owners: run as root")
	}
	tmp := t.TempDir()
	live, backup := closedBackup(t, tmp)
	moveDatabaseAside(t, live)
	const service = 65534 // nobody, as systemd's dynamic user would be
	empty := filepath.Join(tmp, "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{live, empty} {
		err := filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, service, service)
		})
		if err != nil {
			t.Fatal(err)
		}
		if code, stdout, stderr := run("restore", backup, "--data", dir); code != 0 {
			t.Fatalf("restore into %s: status %d\n%s%s", dir, code, stdout, stderr)
		}
		err = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			fi, err := e.Info()
			if err != nil {
				return err
			}
			if st := fi.Sys().(*syscall.Stat_t); st.Uid != service || st.Gid != service {
				t.Errorf("%s is %d:%d after the restore as root, want the directory owner's %d:%d", p, st.Uid, st.Gid, service, service)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestAcceptRestoreReplacesAnUnreadableRecord: a published checkpoint record that is not a
// checkpoint of the log (torn by a disk, another office's copied in) made serve refuse with
// no hint, and 'log accept-restore', the operator's way out of serve's refusals, failed the
// same way: the office could not start until someone removed the file by hand. Serve now
// says what to do, and accept-restore keeps the record aside and records the log's head.
func TestAcceptRestoreReplacesAnUnreadableRecord(t *testing.T) {
	tmp := t.TempDir()
	o, _ := backedUp(t, tmp, 1, 0)
	head := o.st.Log.Head().Checkpoint
	if err := o.st.Close(); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(tmp, "live")
	record := filepath.Join(live, datadir.PublishedFile)
	for _, bad := range [][]byte{[]byte("garbage\n"), bytes.Replace(head, []byte("backup.example/log"), []byte("other.example/log"), 1)} {
		if err := os.WriteFile(record, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := run("serve", "--data", live, "--listen", "127.0.0.1:0")
		if code != 2 || !strings.Contains(stderr, "accept-restore") || !strings.Contains(stderr, "hint:") {
			t.Fatalf("serve with an unreadable record: status %d, want 2 with a hint naming accept-restore\n%s%s", code, stdout, stderr)
		}
		code, stdout, stderr = run("log", "accept-restore", "--data", live, "--json")
		if code != 0 {
			t.Fatalf("accept-restore of an unreadable record: status %d\n%s%s", code, stdout, stderr)
		}
		var res struct {
			Accepted       bool   `json:"accepted"`
			SupersededFile string `json:"superseded_file"`
		}
		if err := json.Unmarshal([]byte(stdout), &res); err != nil || !res.Accepted {
			t.Fatalf("accept-restore said %s (%v)", stdout, err)
		}
		if kept, err := os.ReadFile(res.SupersededFile); err != nil || !bytes.Equal(kept, bad) {
			t.Errorf("the unreadable record was not kept aside: %q, %v", kept, err)
		}
		os.Remove(res.SupersededFile)
		if now, err := os.ReadFile(record); err != nil || !bytes.Equal(now, head) {
			t.Errorf("the record after accept-restore is %q (%v), want the log's head", now, err)
		}
	}
}

// TestRestoreOfAnUnsoundLogIsNotDone: a backup whose log does not verify (an entry changed)
// or whose log is not the one its manifest names was refused with status 1, which restore's
// help gives to a restore done whose log is older than the one published: nothing was
// restored, which is status 2.
func TestRestoreOfAnUnsoundLogIsNotDone(t *testing.T) {
	tmp := t.TempDir()
	o, _ := backedUp(t, tmp, 2, 0)
	o.st.Close()
	backup := filepath.Join(tmp, "office.tar")
	db := alteredDatabase(t, backup, filepath.Join(tmp, "work"), func(db *sql.DB) error {
		var start int
		var chunk []byte
		if err := db.QueryRow("SELECT start, data FROM log_entry_chunks ORDER BY start DESC LIMIT 1").Scan(&start, &chunk); err != nil {
			return err
		}
		chunk[len(chunk)-3] ^= 1
		_, err := db.Exec("UPDATE log_entry_chunks SET data = $1 WHERE start = $2", chunk, start)
		return err
	})
	crafted := filepath.Join(tmp, "crafted.tar")
	rewriteBackup(t, backup, crafted, map[string][]byte{store.SQLiteFile: db}, nil)
	dir := filepath.Join(tmp, "restored")
	code, stdout, stderr := run("restore", crafted, "--data", dir)
	if code != 2 || !strings.Contains(stderr, "does not verify") || !strings.Contains(stderr, "hint: nothing was restored") {
		t.Fatalf("restore of a backup whose log does not verify: status %d, want 2 with a hint\n%s%s", code, stdout, stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("the refused restore left %d files", len(ents))
	}
}

// TestRestoreInPlaceWithoutRecordSaysSo: restored in place into a directory that has no
// published record (its settings and keys provisioned on a new machine), the log is checked
// against nothing, and restore said it was ("checked_against_published": true, no warning)
// (audit, forty-eighth session). It says it was not, as a restore into a new directory does.
func TestRestoreInPlaceWithoutRecordSaysSo(t *testing.T) {
	tmp := t.TempDir()
	live, backup := closedBackup(t, tmp)
	moveDatabaseAside(t, live)
	if err := os.Remove(filepath.Join(live, datadir.PublishedFile)); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	code, stdout, stderr := run("restore", backup, "--data", live, "--json")
	if code != 0 || !strings.Contains(stdout, `"checked_against_published":false`) || !strings.Contains(stderr, "was not checked against a checkpoint already handed out") {
		t.Fatalf("restore in place without a record: status %d, want 0, unchecked, with the warning\n%s%s", code, stdout, stderr)
	}
}
