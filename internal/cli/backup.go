package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/stage"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
	"github.com/spf13/cobra"
)

// A backup is a tar file: first the manifest (backupManifest, as JSON), then every file of the
// data directory that a restore needs, the database being a consistent snapshot of it.
const (
	backupFormat       = "chancery-backup/1"
	backupManifestName = "chancery-backup.json"
	// maxManifest bounds the manifest a restore reads into memory.
	maxManifest = 1 << 20
)

// backupManifest describes a backup: when it was taken, the log it holds (checked again by
// restore against the recomputed log), and each file with its SHA-256.
type backupManifest struct {
	Format     string       `json:"format"`
	Created    time.Time    `json:"created"`
	Office     string       `json:"office"`
	Origin     string       `json:"origin"`
	LogSize    int64        `json:"log_size"`
	LogRoot    string       `json:"log_root"`
	Checkpoint string       `json:"checkpoint"`
	Files      []backupFile `json:"files"`
}

type backupFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	Mode   uint32 `json:"mode"`
	SHA256 string `json:"sha256"`
}

// notBackedUp are the data directory's entries a backup leaves out: the live database (the
// snapshot stands for it), the server's lock files, the published checkpoint record, which
// describes the directory a server ran in, not the backup (restore writes a new one), the
// record of erased releases, which a restore in place must keep as it is (a backup's older one
// would undo the erasures made since, which the server makes again from it), and a
// witness kept in the directory (chancery witness): a witness restored to an older state, or
// with its key and a state it does not have, cosigns a fork (docs/witnesses.md).
func notBackedUp(name string) bool {
	switch {
	case name == store.SQLiteFile, strings.HasPrefix(name, store.SQLiteFile+"-"),
		name == datadir.LockFile, name == datadir.KeptLockFile, strings.HasPrefix(name, datadir.PublishedFile), strings.HasPrefix(name, datadir.ErasedFile),
		strings.HasPrefix(name, ".restore-"), strings.HasSuffix(name, ".tmp"),
		name == witness.KeyFile, strings.HasPrefix(name, witness.DBFile):
		return true
	}
	return false
}

// backupResult is what 'chancery backup --json' prints.
type backupResult struct {
	Out     string `json:"out"`
	Origin  string `json:"origin"`
	LogSize int64  `json:"log_size"`
	LogRoot string `json:"log_root"`
	Bytes   int64  `json:"bytes"`
	// InToken names the signing keys ("office", "log") the office keeps in a PKCS#11 token:
	// they are not on disk, and the backup does not hold them.
	InToken []string `json:"keys_in_token,omitempty"`
}

func newBackup(g *globals) *cobra.Command {
	var out string
	var asJSON bool
	c := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Take a consistent online backup of the data directory (SQLite)",
		Long: `Backup writes a consistent copy of the office to FILE while the server keeps running:
the SQLite database as of one commit (SQLite's VACUUM INTO, which never blocks the server),
and the data directory's settings, keys and certificates. Before it reports success it
verifies the copied log as 'chancery log verify' does (tree recomputed, checkpoint signature).
The directory's files are hashed before the database is copied and compared with what is
copied after it: if they changed (a key rotation ran meanwhile), the backup fails; back up
again. An office that 'chancery store migrate' moved to PostgreSQL is refused.

The backup holds the log's and the office's signing keys as they are on disk (unencrypted,
mode 0600): without them a restored office could not extend its own log. Keep backups as
you keep the data directory, or encrypt them (for example with age) before they leave the
machine. A key the office keeps in a PKCS#11 token is not on disk, and not in the backup,
which says so (keys_in_token with --json): the restored office needs that token, which is
backed up by its vendor's procedure (docs/keys.md). FILE is created with mode 0600 and is never overwritten; it must be outside the
data directory.

FILE is a tar file: chancery-backup.json (what it holds, with each file's SHA-256), then the
files. Restore it with 'chancery restore'. For PostgreSQL, use pg_dump or pg_basebackup
(docs/operations.md).`,
		Example: `  chancery backup --data /var/lib/chancery --out /backup/chancery-$(date +%F).tar
  chancery backup --out office.tar --json`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if out == "" {
				return withHint(errors.New("backup: --out is required"), "pass --out FILE")
			}
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			defer d.Close()
			// Its steps take a minute at 100,000 letters: each is said on stderr, but with
			// --json, where stderr is the error object alone (a script parses it).
			progress := c.ErrOrStderr()
			if asJSON {
				progress = io.Discard
			}
			res, err := backup(context.WithoutCancel(c.Context()), d, out, progress)
			if err != nil {
				return backupNoSpace(err, out)
			}
			if asJSON {
				return writeJSON(c.OutOrStdout(), res)
			}
			fmt.Fprintf(c.OutOrStdout(), "backed up %s to %s: log %s, %d entries, root %s (verified), %d bytes\n",
				d.Path, res.Out, res.Origin, res.LogSize, res.LogRoot, res.Bytes)
			switch len(res.InToken) {
			case 1:
				fmt.Fprintf(c.OutOrStdout(), "the %s key is in a PKCS#11 token and not in this backup: back the token up with its vendor's procedure (docs/keys.md)\n", res.InToken[0])
			case 2:
				fmt.Fprintf(c.OutOrStdout(), "the office key and the log key are in a PKCS#11 token and not in this backup: back the token up with its vendor's procedure (docs/keys.md)\n")
			}
			return nil
		},
	}
	c.Flags().StringVar(&out, "out", "", "the backup file to create")
	addJSONFlag(c, &asJSON)
	return c
}

func backup(ctx context.Context, d *datadir.Dir, out string, progress io.Writer) (*backupResult, error) {
	if _, err := os.Lstat(out); err == nil {
		return nil, withHint(fmt.Errorf("backup: %s exists", out), "backups are never overwritten: pass a new --out file")
	}
	// The data directory of a server on PostgreSQL (a copy of a migrated directory, its mark
	// in it) holds no SQLite database: the refusal below, about going back to SQLite, does
	// not fit it.
	if m, _ := d.Moved(); m != nil {
		if _, err := os.Lstat(filepath.Join(d.Path, store.SQLiteFile)); errors.Is(err, fs.ErrNotExist) {
			return nil, withHint(fmt.Errorf("backup: %s holds no SQLite database: its office is on PostgreSQL (%s)", d.Path, m.To),
				"back up the database with pg_dump or pg_basebackup, and this directory's settings and keys as files, again after every change to them (docs/operations.md, \"PostgreSQL: pg_dump or pg_basebackup\")")
		}
	}
	// A backup of an office that moved to PostgreSQL would hold the database as it was copied,
	// verified, and restored and served it would fork the log carried on there.
	if err := checkNotMoved(d); err != nil {
		return nil, err
	}
	// WalkDir below enters no link: not the directory's own (systemd's DynamicUser= makes
	// /var/lib/chancery one), nor a key file kept elsewhere and linked in. Either would be
	// left out of the backup without a word.
	root, err := filepath.EvalSymlinks(d.Path)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if root, err = filepath.Abs(root); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	// A backup inside the directory would be in the next one, with its staging copy of the
	// database: each backup holding every earlier one.
	outDir, err := filepath.EvalSymlinks(filepath.Dir(out))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, withHint(fmt.Errorf("backup: the directory of %s does not exist", out),
			"create it first (mkdir -p %s), or pass --out a file in an existing directory", filepath.Dir(out))
	}
	if err == nil {
		outDir, err = filepath.Abs(outDir)
	}
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if rel, err := filepath.Rel(root, outDir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, withHint(fmt.Errorf("backup: %s is inside the data directory %s", out, d.Path),
			"write backups outside the data directory, e.g. --out /var/backups/chancery/chancery-$(date +%%F).tar")
	}
	// The staging directory beside FILE holds a copy of the database: an interrupted backup
	// (Ctrl-C, a service stopped) stops and removes it rather than leave the letters in the
	// backups' directory, under a name no one looks at, where they may be copied elsewhere.
	// A backup killed (kill -9, a power loss) cannot: the next one removes what it left, the
	// staging directories there that no running backup holds (stage.RemoveStale).
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := stage.RemoveStale(filepath.Dir(out), backupStagePrefix); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	tmp, release, err := stage.New(filepath.Dir(out), backupStagePrefix)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer release()
	// The files are hashed before the snapshot and compared with what is copied after it: a
	// key rotation run meanwhile (it holds the lock a server holds, which a backup does not
	// take) changes the settings and adds a key that a database taken before it does not
	// know, and the pair, restored, is not the office.
	before, err := backupSources(root, d)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	beforeSums := map[string]string{}
	for _, s := range before {
		f, err := fileEntry(s.name, s.path, "")
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		beforeSums[s.name] = f.SHA256
	}
	// The record of what this directory's server published, read before the copy: the server
	// writes it only for what it has committed, so a copy taken after extends it.
	published, _ := d.Published()
	size := int64(0)
	if fi, err := os.Stat(filepath.Join(d.Path, store.SQLiteFile)); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(progress, "copying the database (%d MB) as of one commit\n", size>>20)
	if err := store.BackupSQLite(ctx, d.Path, filepath.Join(tmp, store.SQLiteFile)); err != nil {
		if ctx.Err() != nil {
			return nil, errBackupInterrupted
		}
		if h := backupCopyFull(err, out); h != nil {
			return nil, h
		}
		if unwritableDir(d.Path) {
			return nil, unwritableHint(err, d.Path)
		}
		return nil, withHint(err, "is %s a data directory with a SQLite store? For PostgreSQL use pg_dump (docs/operations.md)", d.Path)
	}
	if backupStaged != nil {
		backupStaged(ctx)
	}
	checked, err := backupChecked(ctx, tmp)
	if h := backupCopyFull(err, out); h != nil {
		return nil, h
	}
	if err != nil {
		return nil, interruptedBackup(ctx, fmt.Errorf("backup: %w", err))
	}
	fmt.Fprintln(progress, "verifying the copy: its log, every entry, and its schema")
	rep, err := verifyStored(ctx, checked, d, store.OpenSQLiteRollback)
	if ctx.Err() != nil {
		return nil, errBackupInterrupted
	}
	if h := backupDiskFull(err, out); h != nil {
		return nil, h
	}
	if err != nil {
		return nil, fmt.Errorf("backup: the copy of the log does not verify: %w", err)
	}
	// The copy checked, in the staging directory, is removed when it is refused: the office's
	// database is named, the one to look at.
	live := filepath.Join(d.Path, store.SQLiteFile)
	if err := checkSchema(ctx, checked, live, fmt.Sprintf("find out who changed it, and compare 'sqlite3 %s .schema' with a new office's", sqliteShellArg(live))); err != nil {
		return nil, interruptedBackup(ctx, fmt.Errorf("backup: %w", err))
	}
	if err := backupExtendsPublished(ctx, checked, d, published); err != nil {
		return nil, interruptedBackup(ctx, err)
	}
	if checked != tmp {
		if err := os.RemoveAll(checked); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
	}
	m := backupManifest{Format: backupFormat, Created: time.Now().UTC().Truncate(time.Second), Office: d.Settings.Office,
		Origin: d.Settings.Origin, LogSize: rep.Size, LogRoot: rep.Root.String(), Checkpoint: string(rep.checkpoint)}
	files, err := backupSources(root, d)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	srcs := append([]backupSource{{store.SQLiteFile, filepath.Join(tmp, store.SQLiteFile)}}, files...)
	// Each file of the directory is copied into the staging directory as it is hashed, and the
	// copy is what the backup holds: one replaced meanwhile (the settings by stamp-languages, a
	// certificate renewed) was written other than the manifest says, and the backup, reported
	// done, was refused by every restore.
	if err := os.Mkdir(filepath.Join(tmp, "files"), 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	for i, s := range srcs {
		copied := ""
		if s.name != store.SQLiteFile {
			copied = filepath.Join(tmp, "files", strconv.Itoa(i))
		}
		f, err := fileEntry(s.name, s.path, copied)
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		if copied != "" {
			srcs[i].path = copied
		}
		m.Files = append(m.Files, f)
	}
	if backupListed != nil {
		backupListed()
	}
	changed := len(m.Files)-1 != len(beforeSums)
	for _, f := range m.Files[1:] {
		changed = changed || beforeSums[f.Name] != f.SHA256
	}
	if changed {
		return nil, withHint(fmt.Errorf("backup: the files of %s changed while the database was copied", d.Path),
			"a key rotation, a certificate renewal or a settings change ran meanwhile: back up again once it is done")
	}
	js, _ := json.MarshalIndent(m, "", "  ")
	// Write beside the destination, then link (or copy) it into place: a failed backup
	// leaves no partial file under the name, and an existing file is never replaced.
	fmt.Fprintf(progress, "writing %s\n", out)
	part := filepath.Join(tmp, "backup.tar")
	f, err := os.OpenFile(part, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	if err := tarAdd(tw, backupManifestName, 0o600, int64(len(js)), bytes.NewReader(js)); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	for i, s := range srcs {
		if ctx.Err() != nil {
			return nil, errBackupInterrupted
		}
		r, err := os.Open(s.path)
		if err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
		err = tarAdd(tw, s.name, fs.FileMode(m.Files[i].Mode), m.Files[i].Size, r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("backup: %s: %w", s.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if err := f.Sync(); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	if ctx.Err() != nil {
		return nil, errBackupInterrupted
	}
	// A file system without hard links (FAT on a USB disk) gets a copy of the staged file.
	if err := exclfile.LinkOrCopy(part, out); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	// The backup is reported done only once its name would survive a power loss too.
	if err := exclfile.SyncDir(filepath.Dir(out)); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	res := &backupResult{Out: out, Origin: m.Origin, LogSize: m.LogSize, LogRoot: m.LogRoot, Bytes: fi.Size()}
	if hsm.IsURI(d.OfficeKeyRef()) {
		res.InToken = append(res.InToken, "office")
	}
	if hsm.IsURI(d.Settings.LogKey) {
		res.InToken = append(res.InToken, "log")
	}
	return res, nil
}

// backupChecked returns the directory whose database the backup's checks open: the copy in
// tmp itself when it is of this build's schema, else a second copy beside it, which opening
// migrates. The backup holds the first, as the build that serves the directory left it, so
// that this build, before it is first started, backs up a database the older build can
// restore (docs/operations.md, "Upgrading"); this build's restore migrates it. Its errors
// have no "backup:" before them: the caller's refusal, or backupCopyFull's, gives it once.
func backupChecked(ctx context.Context, tmp string) (string, error) {
	v, err := store.SQLiteSchemaVersion(ctx, tmp)
	if err != nil {
		return "", err
	}
	if v >= store.SchemaVersion {
		return tmp, nil
	}
	checked := filepath.Join(tmp, "migrated")
	if err := os.Mkdir(checked, 0o700); err != nil {
		return "", err
	}
	if err := store.BackupSQLite(ctx, tmp, filepath.Join(checked, store.SQLiteFile)); err != nil {
		return "", err
	}
	return checked, nil
}

// backupDiskFull is the refusal of a backup to out whose copy of the database the full disk
// kept from being checked (store.ErrDiskFull: an older build's database, which the check
// migrates in the copy, needs room for the migration), or nil for another err. Such a copy's
// log is not unsound: it was not read.
func backupDiskFull(err error, out string) error {
	if !errors.Is(err, store.ErrDiskFull) {
		return nil
	}
	return withHint(fmt.Errorf("backup: the copy of the database could not be checked: %w", err),
		"nothing was written to %s, and the office's database is as it was. The backup checks its copy of the database beside %s, migrated to this build's schema when an older build left it: free space on the disk holding %s (the backup needs room there for two copies of the database and the archive), or write the backup to another disk, and run it again", out, out, filepath.Dir(out))
}

// backupCopyFull is the refusal of a backup to out whose copy of the database, or the second
// copy its check migrates, the full disk refused (store.ErrCopyDiskFull), or nil for another
// err: the office's database is not where the room is missing, and is as it was.
func backupCopyFull(err error, out string) error {
	if !errors.Is(err, store.ErrCopyDiskFull) {
		return nil
	}
	return withHint(fmt.Errorf("backup: the copy of the database could not be written beside %s: %w", out, err),
		"nothing was written to %s, and the office's database is as it was. Free space on the disk holding %s (the backup needs room there for two copies of the database and the archive), or write the backup to another disk, and run it again", out, filepath.Dir(out))
}

// backupNoSpace hints err, a backup to out that failed, when a write of it found its disk
// full (ENOSPC: the archive, written beside out; the office's files are only read) and no
// step hinted it already.
func backupNoSpace(err error, out string) error {
	var h *hinted
	if errors.As(err, &h) || !errors.Is(err, syscall.ENOSPC) {
		return err
	}
	return withHint(err, "nothing was written to %s, and the office's database is as it was. Free space on the disk holding %s (the backup needs room there for two copies of the database and the archive), or write the backup to another disk, and run it again", out, filepath.Dir(out))
}

// backupExtendsPublished refuses the copy of the database in dir when its log does not extend
// published, the checkpoint d's server recorded as handed out (none: nothing to check; one
// that cannot be read is serve's to refuse). Such a directory holds an older backup restored
// in place, which serve refuses until an operator decides; the backup leaves the record out,
// so restored elsewhere the copy would be served, and its next entries would take indices
// already handed out.
func backupExtendsPublished(ctx context.Context, dir string, d *datadir.Dir, published []byte) error {
	if published == nil {
		return nil
	}
	db, err := store.OpenSQLiteRollback(ctx, dir) // the copy stays in rollback-journal mode (verifyStored)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer db.Close()
	var rb *translog.RollbackError
	if err := translog.CheckPublished(ctx, db, d.Verifier(), published); errors.As(err, &rb) {
		return withHint(fmt.Errorf("backup: %w", err),
			"%s records what this directory's server published, and serve refuses this database too: was an older backup restored here? Restore a newer one if you have it; if not, decide with 'chancery log accept-restore --data %s' first (docs/operations.md, \"Backups and restore\")",
			datadir.PublishedFile, shellArg(d.Path))
	}
	return nil
}

// backupSource is a file a backup holds: its name in the backup, and where it is read.
type backupSource struct{ name, path string }

// backupSources lists the files of the data directory d (at root, its links resolved) that a
// backup holds, the database aside.
func backupSources(root string, d *datadir.Dir) ([]backupSource, error) {
	var srcs []backupSource
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		if notBackedUp(rel) {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(p)
			if err != nil {
				return err
			}
			if !fi.Mode().IsRegular() {
				return withHint(fmt.Errorf("%s is a link to something other than a file", p),
					"a backup holds the data directory's files: replace the link by what it links to, or move it out of %s", d.Path)
			}
			srcs = append(srcs, backupSource{rel, p}) // its content, as a file of the directory
			return nil
		}
		if e.Type().IsRegular() {
			srcs = append(srcs, backupSource{rel, p})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return srcs, nil
}

// errBackupInterrupted is a backup stopped by a signal, its staging directory removed.
var errBackupInterrupted = errors.New("backup: interrupted: nothing was written")

// interruptedBackup returns errBackupInterrupted in place of err once ctx has ended.
func interruptedBackup(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errBackupInterrupted
	}
	return err
}

// backupStaged, set only by tests, is called once the database is copied to the staging
// directory, with the backup's context.
var backupStaged func(ctx context.Context)

// backupListed, set only by tests, is called once a backup has listed and hashed the files
// it holds, before it writes them.
var backupListed func()

// fileEntry describes the file at p, to be stored under name, and copies it to the new file
// copied unless that is "": what it hashed.
func fileEntry(name, p, copied string) (backupFile, error) {
	f, err := os.Open(p)
	if err != nil {
		return backupFile{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return backupFile{}, err
	}
	h := sha256.New()
	var w io.Writer = h
	var c *os.File
	if copied != "" {
		if c, err = os.OpenFile(copied, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
			return backupFile{}, err
		}
		w = io.MultiWriter(h, c)
	}
	n, err := io.Copy(w, f)
	if c != nil {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return backupFile{}, err
	}
	if n != fi.Size() {
		return backupFile{}, fmt.Errorf("%s changed while it was read", p)
	}
	return backupFile{Name: name, Size: n, Mode: uint32(fi.Mode().Perm()), SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// tarAdd writes one regular file of exactly size bytes from r.
func tarAdd(tw *tar.Writer, name string, mode fs.FileMode, size int64, r io.Reader) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(mode.Perm()), Size: size, ModTime: time.Now().UTC().Truncate(time.Second), Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	n, err := io.Copy(tw, io.LimitReader(r, size))
	if err == nil && n != size {
		err = fmt.Errorf("%s: wrote %d of %d bytes: it changed while it was read", name, n, size)
	}
	return err
}

// verifiedLog is the result of verifying a stored log, with its signed checkpoint.
type verifiedLog struct {
	*translog.VerifyReport
	checkpoint []byte
}

// verifyStored opens the SQLite store in dir with open and verifies its whole log with d's log
// key, as 'chancery log verify' does: the tree recomputed from every entry, each tile and the
// checkpoint's signature checked, each entry decoded. A backup opens its copy with
// store.OpenSQLiteRollback: the copy is beside the backup's file, on whatever file system
// that is, and stays in rollback-journal mode in the backup; a restore with store.OpenSQLite.
func verifyStored(ctx context.Context, dir string, d *datadir.Dir, open func(context.Context, string) (*store.DB, error)) (*verifiedLog, error) {
	db, err := open(ctx, dir)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	check := func(_ int64, e []byte) error {
		_, err := entry.Decode(e)
		return err
	}
	rep, err := translog.Verify(ctx, db, d.Verifier(), nil, check, nil)
	if err != nil {
		return nil, err
	}
	var cp []byte
	err = db.View(ctx, func(tx *store.Tx) error {
		h, err := tx.LogHead(ctx)
		cp = h.Checkpoint
		return err
	})
	if err != nil {
		return nil, err
	}
	return &verifiedLog{VerifyReport: rep, checkpoint: cp}, db.Close()
}

// stagedFacts is what restore learns of the backup's database as it reconciles it.
type stagedFacts struct {
	// erasures says the database holds an erasure (store.DB.HasErasures).
	erasures bool
	// rebuilt is what the reconciliation changed in the letters in progress; nil when the
	// backup's table agreed with its letters and releases.
	rebuilt *lettersRebuilt
}

// lettersRebuilt is how many rows restore added to and removed from the backup's letters in
// progress (unreleased_letters), made again from its letters and releases.
type lettersRebuilt struct {
	// Added are the letters without a release the backup's table did not list.
	Added int64 `json:"added"`
	// Removed are the released letters it listed.
	Removed int64 `json:"removed"`
}

// reconcileStaged reconciles the letters in progress of the SQLite store in dir with its
// releases (store.DB.ReconcileLettersInProgress), and says what else restore asks of it.
func reconcileStaged(ctx context.Context, dir string) (stagedFacts, error) {
	var f stagedFacts
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		return f, err
	}
	added, removed, err := db.ReconcileLettersInProgress(ctx)
	if err != nil {
		db.Close()
		return f, err
	}
	if added != 0 || removed != 0 {
		f.rebuilt = &lettersRebuilt{Added: added, Removed: removed}
	}
	if f.erasures, err = db.HasErasures(ctx); err != nil {
		db.Close()
		return f, err
	}
	return f, db.Close()
}

// checkSchema refuses a database in dir whose schema is not this build's
// (store.CheckSQLiteSchema), with what to do; the refusal calls it name, the database dir's
// copy stands for.
func checkSchema(ctx context.Context, dir, name, todo string) error {
	if err := store.CheckSQLiteSchema(ctx, dir, name); err != nil {
		return withHint(err, "the database was changed outside chancery (a trigger, view, table or index added, or one removed or altered): %s", todo)
	}
	return nil
}

// backupDatabase is how a refusal of the database of the backup file names it: restore
// checks it in a staging directory, removed when it is refused.
func backupDatabase(file string) string {
	return store.SQLiteFile + " in " + file
}

// restoreResult is what 'chancery restore --json' prints.
type restoreResult struct {
	Data    string    `json:"data"`
	Origin  string    `json:"origin"`
	LogSize int64     `json:"log_size"`
	LogRoot string    `json:"log_root"`
	Taken   time.Time `json:"backup_created"`
	// InPlace says the database was restored into an existing data directory, whose settings,
	// keys and published checkpoint record were kept.
	InPlace bool `json:"in_place"`
	// Recorded says the restored log was checked against a checkpoint already handed out:
	// the directory's record (in place) or --published. Without one, a log set back to the
	// backup is not detected.
	Recorded bool `json:"checked_against_published"`
	// ErasedRecorded says the directory has a record of the erasures made since the backup:
	// its own (in place) or one brought with --erased. Without one, a letter erased after
	// the backup was taken is served again with its content.
	ErasedRecorded bool `json:"erasures_recorded"`
	// backupErased says the backup's database holds an erasure: the office erased letters,
	// and its former data directory has the records to bring.
	backupErased bool
	// Rebuilt says that the backup's letters in progress disagreed with its letters and
	// releases, and were made again from them: a backup's table changes under no hand but
	// chancery's, so someone wrote this one. Left out when they agreed.
	Rebuilt *lettersRebuilt `json:"letters_in_progress_rebuilt,omitempty"`
}

// erasedRecords are the records of erased releases and letters an operator brought from the
// office's former data directory (restore --erased).
type erasedRecords struct {
	releases []datadir.Erasure
	letters  []datadir.ErasedLetter
}

// readErasedRecords reads the files names, each a record of erased releases
// (datadir.ErasedFile) or of erased letters (datadir.ErasedLettersFile); nil for none.
func readErasedRecords(names []string) (*erasedRecords, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var rec erasedRecords
	for _, name := range names {
		if _, err := os.Stat(name); err != nil {
			err = fmt.Errorf("restore: --erased: %w", err)
			if errors.Is(err, fs.ErrNotExist) {
				// The server writes a record at the first erasure it makes: a data directory
				// in which no letter was erased has neither file, and the command the docs
				// show, copied for it, failed without saying so.
				return nil, withHint(err, "a data directory in which no letter was ever erased has no %s (nor %s): leave out each --erased whose file the former directory does not have; otherwise check the path",
					datadir.ErasedFile, datadir.ErasedLettersFile)
			}
			return nil, err
		}
		rels, rerr := datadir.ReadErased(name)
		if rerr == nil {
			rec.releases = append(rec.releases, rels...)
			continue
		}
		ls, lerr := datadir.ReadErasedLetters(name)
		if lerr != nil {
			return nil, withHint(fmt.Errorf("restore: --erased %s is neither a record of erased releases nor one of erased letters: %w", name, rerr),
				"pass the former data directory's %s and %s", datadir.ErasedFile, datadir.ErasedLettersFile)
		}
		rec.letters = append(rec.letters, ls...)
	}
	return &rec, nil
}

// addTo records rec in the data directory d, beside what d records already; it returns the
// names of the record files d then has.
func (rec *erasedRecords) addTo(d *datadir.Dir) ([]string, error) {
	if _, err := d.AddErased(rec.releases); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if _, err := d.AddErasedLetters(rec.letters); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	var names []string
	for _, n := range []string{datadir.ErasedFile, datadir.ErasedLettersFile} {
		if _, err := os.Lstat(filepath.Join(d.Path, n)); err == nil {
			names = append(names, n)
		}
	}
	return names, nil
}

func newRestore(g *globals) *cobra.Command {
	var (
		asJSON    bool
		published string
		erased    []string
	)
	c := &cobra.Command{
		Use:   "restore FILE --data DIR [--published CHECKPOINT] [--erased RECORD]...",
		Short: "Restore a backup into a data directory and verify its log",
		Long: `Restore unpacks a backup made by 'chancery backup' into DIR, checks every file against
the backup's manifest, and verifies the restored log (tree recomputed from every entry, each
tile, the checkpoint's signature) before it reports success. Nothing is left in DIR when a
check fails, or when the restore is interrupted (Ctrl-C, SIGTERM) before it moves the files
in; the copy a killed restore left in DIR (.restore-NUMBER) is removed by the next one. A DIR
that does not exist is made whole beside it (.DIR.restore-NUMBER) and renamed into place in
one step: a restore killed (kill -9, a power loss) leaves no DIR or a complete one. Into an
empty DIR, what a killed restore moved in is taken out by the next one (.restore-unfinished).

DIR must be empty (or not exist), or be this office's data directory without its database
(for example after moving a damaged chancery.db aside): then its settings and keys must be
the backup's, and its record of the last published checkpoint (published.checkpoint) is
kept. If the restored log is shorter than that record, or inconsistent with it, restore
says so and exits with status 1: 'chancery serve' will refuse to start until an operator
restores a newer backup or runs 'chancery log accept-restore'.

Restoring on a new machine, DIR has no such record, and a backup older than what the office
had already published would be served as if nothing were missing: the next releases would
take the numbers of entries already handed out, and the log would fork. Bring the newest
checkpoint of the log you can find with --published: the old data directory's
published.checkpoint, a saved GET /log/checkpoint, a monitor's or another office's copy.
It is checked against the restored log like the record, and becomes the record if the log
falls short of it (in place, unless the record is newer). Without a record or --published,
restore says it could not check.

Erasures are not in the backup's log, and the backup holds what was erased after it was
taken: in place, the directory's records of erased releases and letters are kept, and the
server erases those letters again at its start. A new DIR has no such record: bring the old
data directory's erased.releases and erased.releases.letters with --erased (each is added
to what DIR records); without them restore warns that letters erased after the backup would
be served again, and you must erase them again by hand before serving.

A backup is only as trustworthy as where it was kept: restore also refuses a database that
is not as chancery keeps it (a trigger, view, table or index of its own, or one missing, or
SQLite's integrity check failing), and a data directory where a link stands in place of a
file or directory of the backup. It makes the letters in progress again from the letters and
their releases, and warns when that changed anything (with --json,
"letters_in_progress_rebuilt": {"added", "removed"}): something else wrote that backup. Restored files are their owner's alone (mode 0600, DIR
0700); restored by root into a directory of another user (the service's, under systemd's
DynamicUser=), they are that user's. A new DIR made by root takes the owner of the directory
above it, unless that is root's (then systemd's StateDirectory= hands it over, as after init).

Exit status: 0 restored and verified; 1 restored, but the log is older than the one already
published; 2 the restore could not be done.`,
		Example: `  chancery restore /backup/chancery-2026-11-30.tar --data /var/lib/chancery
  chancery restore office.tar --data ./restored --json
  chancery restore office.tar --data /var/lib/chancery --published old-machine/published.checkpoint
  chancery restore office.tar --data /var/lib/chancery --erased old-machine/erased.releases --erased old-machine/erased.releases.letters`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			var cp []byte
			if published != "" {
				var err error
				if cp, err = readLimited(published, 64<<10); err != nil {
					return fmt.Errorf("restore: --published: %w", err)
				}
			}
			rec, err := readErasedRecords(erased)
			if err != nil {
				return err
			}
			// Its steps take half a minute at 100,000 letters: each is said on stderr, but
			// with --json, where stderr is the error object alone.
			progress := c.ErrOrStderr()
			if asJSON {
				progress = io.Discard
			}
			res, err := restore(context.WithoutCancel(c.Context()), args[0], g.data, cp, rec, progress)
			if err != nil && res == nil {
				// A new DIR is made beside it: a parent of root's refuses it.
				if h := unmadeDirHint(err, g.data); h != nil {
					return h
				}
				return err
			}
			if r := res.Rebuilt; r != nil {
				fmt.Fprintf(warnings(c), "chancery: warning: the backup's list of letters in progress disagreed with its letters and releases, "+
					"and was rebuilt from them: rows added %d (letters without a release it did not list), removed %d (released letters it listed); "+
					"chancery keeps that list with the letters, so something else wrote this backup's database: find out who could\n",
					r.Added, r.Removed)
			}
			switch {
			case !res.ErasedRecorded && res.backupErased:
				fmt.Fprintf(warnings(c), "chancery: warning: %s has no record of erased letters: a letter erased after this backup was taken (%s) "+
					"would be served again with its content; pass the former data directory's %s and %s with --erased, "+
					"or erase those letters again before serving (docs/operations.md, \"Backups and restore\")\n",
					res.Data, res.Taken.UTC().Format(time.RFC3339), datadir.ErasedFile, datadir.ErasedLettersFile)
			case !res.ErasedRecorded:
				// The backup holds no erasure, but the office may have made its first after
				// the backup was taken, which only its former directory knows: the warning
				// stays, and says that a directory which never erased has nothing to bring.
				fmt.Fprintf(warnings(c), "chancery: warning: %s has no record of erased letters, and this backup (%s) holds no erasure: "+
					"if the office never erased a letter, its former data directory has no %s nor %s and there is nothing to bring; "+
					"if it erased one after this backup was taken, that letter would be served again with its content: "+
					"pass those two files of the former data directory with --erased, or erase those letters again before serving (docs/operations.md, \"Backups and restore\")\n",
					res.Data, res.Taken.UTC().Format(time.RFC3339), datadir.ErasedFile, datadir.ErasedLettersFile)
			}
			if !res.Recorded {
				fmt.Fprintf(warnings(c), "chancery: warning: the restored log was not checked against a checkpoint already handed out: "+
					"if the office had published more than this backup holds, pass the newest checkpoint you can find with --published "+
					"before serving, or the log will fork\n")
			}
			if asJSON {
				if werr := writeJSON(c.OutOrStdout(), res); werr != nil {
					return werr
				}
			} else {
				fmt.Fprintf(c.OutOrStdout(), "restored %s into %s: log %s, %d entries, root %s (verified)\n",
					args[0], res.Data, res.Origin, res.LogSize, res.LogRoot)
			}
			return err
		},
	}
	c.Flags().StringVar(&published, "published", "", "a checkpoint of the log already handed out (published.checkpoint, a saved /log/checkpoint): the restored log must extend it")
	c.Flags().StringArrayVar(&erased, "erased", nil, "a record of erasures from the office's former data directory (erased.releases, erased.releases.letters), added to DIR's; give it once per file")
	addJSONFlag(c, &asJSON)
	return c
}

// restore restores the backup file into dir, with the records of erasures erased (nil for
// none) added to dir's. It returns a result with an error when the restore is done but the
// log does not extend the directory's published checkpoint.
func restore(ctx context.Context, file, dir string, published []byte, erased *erasedRecords, progress io.Writer) (*restoreResult, error) {
	// The staging directory (inside dir, or beside a new one) holds a copy of the office's
	// files, its keys among them: a restore interrupted (Ctrl-C, a service stopped) before it
	// moves them in stops and removes it. Once the moves start, it finishes: they take no
	// time.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	dir = filepath.Clean(dir)
	// A new directory is made whole beside it (.NAME.restore-NUMBER) and renamed into place:
	// a restore killed before the rename leaves no directory, and the next one removes the
	// copy (stage.RemoveStale). Into an existing empty directory, the files are moved in one
	// by one, under a mark that lets the next restore take out what a killed one moved in.
	_, lerr := os.Lstat(dir)
	absent := errors.Is(lerr, fs.ErrNotExist)
	if !absent {
		if err := existingTarget(dir); err != nil {
			return nil, err
		}
	}
	sibling := "." + filepath.Base(dir) + stagePrefix
	if err := stage.RemoveStale(filepath.Dir(dir), sibling); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	if err := undoUnfinished(dir); err != nil {
		return nil, withHint(fmt.Errorf("restore: a restore killed in %s: %w", dir, err), "move %s aside and restore into an empty directory", dir)
	}
	if err := removeStaleStages(dir); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	inPlace, err := restoreTarget(dir)
	if err != nil {
		return nil, err
	}
	var (
		target    *datadir.Dir
		owner     owner
		parents   movedIn // the directories above a new DIR that the restore makes
		hadRecord bool    // in place, the directory had a published record
	)
	stageIn, prefix := dir, stagePrefix
	switch {
	case inPlace:
		if target, err = openDir(dir); err != nil {
			return nil, err
		}
		defer target.Close()
		var unlock func()
		if unlock, err = target.Lock(); err != nil {
			return nil, lockHint(err, dir, "stop the server on %s first", dir)
		}
		defer unlock()
		// Only a record the directory has is checked against (checkPublished passes without).
		_, rerr := target.Published()
		hadRecord = rerr == nil
		owner, err = dirOwner(dir)
	case absent:
		if owner, err = newDirOwner(dir); err != nil {
			break
		}
		parents.owner = owner
		if err = parents.mkdirs("", filepath.Dir(dir)); err != nil {
			err = parents.undo(err)
			break
		}
		stageIn, prefix = filepath.Dir(dir), sibling
	default:
		if err = privateDir(dir); err == nil {
			owner, err = dirOwner(dir)
		} else if h := unownedEmptyDirHint(fmt.Errorf("restore: %w", err), dir); h != nil {
			return nil, h
		}
	}
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	done := false
	defer func() {
		if !done {
			parents.undo(nil)
		}
	}()
	stageDir, release, err := stage.New(stageIn, prefix)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer release()
	fmt.Fprintf(progress, "unpacking %s and checking its files against its manifest\n", file)
	m, err := unpackBackup(ctx, file, stageDir)
	if ctx.Err() != nil {
		return nil, errRestoreInterrupted
	}
	if err != nil {
		return nil, err
	}
	if restoreStaged != nil {
		restoreStaged(ctx)
	}
	restoreAt("unpacked")
	staged, err := datadir.Open(stageDir)
	if err != nil {
		err = fmt.Errorf("restore: the backup's data directory: %w", err)
		if strings.Contains(err.Error(), "hsm: ") {
			// The backup holds no key its office keeps in a token: the restore opens it there.
			return nil, withHint(err, "the backup's office keeps its keys in a PKCS#11 token, which no backup holds: restore where that token, its module and its PIN are reachable (docs/keys.md)")
		}
		return nil, err
	}
	defer staged.Close()
	for _, f := range m.Files {
		if err := realParents(dir, f.Name); err != nil {
			return nil, withHint(fmt.Errorf("restore: %s: %w", f.Name, err),
				"a data directory holds files and directories, not links to directories: move the link out of %s", dir)
		}
	}
	if inPlace {
		for _, f := range m.Files {
			if f.Name == store.SQLiteFile {
				continue
			}
			if err := sameFile(filepath.Join(stageDir, filepath.FromSlash(f.Name)), filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil {
				return nil, withHint(fmt.Errorf("restore: %s: %w", f.Name, err),
					"restore in place needs the backup of this office's own data directory; restore into an empty directory instead")
			}
		}
	}
	fmt.Fprintln(progress, "verifying the backup's log, every entry")
	rep, err := verifyStored(ctx, stageDir, staged, store.OpenSQLite)
	if ctx.Err() != nil {
		return nil, errRestoreInterrupted
	}
	if errors.Is(err, translog.ErrUnsound) {
		return nil, withHint(fmt.Errorf("restore: the backup's log does not verify: %w", err), "nothing was restored: restore another backup; this one was damaged or changed since 'chancery backup' wrote it")
	}
	if err != nil {
		return nil, fmt.Errorf("restore: verify the backup's log: %w", err)
	}
	if rep.Size != m.LogSize || rep.Root.String() != m.LogRoot {
		return nil, withHint(fmt.Errorf("restore: the backup's manifest says %d entries with root %s, its log has %d with root %s", m.LogSize, m.LogRoot, rep.Size, rep.Root), "nothing was restored: restore another backup; this one's database is not the one its manifest was written for")
	}
	if err := checkSchema(ctx, stageDir, backupDatabase(file), "restore another backup: this one was not made by 'chancery backup' from an office as chancery keeps it"); err != nil {
		return nil, interrupted(ctx, fmt.Errorf("restore: the backup's database: %w", err))
	}
	// The letters in progress (migration 44's table) are made again from the letters and
	// their releases, which the log's verification and the checks below vouch for: a table
	// edited in the backup listed a released letter among the drafts, or hid a draft.
	facts, err := reconcileStaged(ctx, stageDir)
	if err != nil {
		return nil, interrupted(ctx, withHint(fmt.Errorf("restore: the backup's database: %w", err), "restore another backup: this one's database does not hold together"))
	}
	fmt.Fprintln(progress, "checking the integrity of the backup's database")
	if err := store.CheckSQLiteIntegrity(ctx, stageDir, backupDatabase(file)); err != nil {
		return nil, interrupted(ctx, withHint(fmt.Errorf("restore: the backup's database: %w", err), "restore another backup: this one's database does not hold together"))
	}
	// In place, the directory's published record applies: the backup's log is checked
	// against it here, in the staging directory, so that no database is opened in dir.
	var behind *hinted
	if inPlace {
		err := checkStaged(ctx, target, dir, stageDir, nil)
		if isUnreadableRecord(err) {
			return nil, withHint(fmt.Errorf("restore: %w", err), "move %s aside (it is evidence of what was published) and restore again, with --published and the newest checkpoint of the log you can find", filepath.Join(dir, datadir.PublishedFile))
		}
		if err != nil && !rollback(err, &behind) {
			return nil, interrupted(ctx, err)
		}
	}
	// A checkpoint handed out that the operator brought along (from the old machine's
	// record, a monitor, a witness, a saved /log/checkpoint) applies the same way; the
	// newest of it and the directory's record becomes the record.
	var given *hinted
	if published != nil {
		if _, _, err := checkpoint.Open(published, staged.Verifier()); err != nil {
			return nil, withHint(fmt.Errorf("restore: --published: %w", err),
				"pass a checkpoint signed by this backup's log (%s), as GET /log/checkpoint serves it", staged.Settings.Origin)
		}
		if err := checkStaged(ctx, staged, dir, stageDir, published); err != nil && !rollback(err, &given) {
			return nil, interrupted(ctx, err)
		}
		if behind == nil {
			behind = given
		}
	}
	// The record of what was handed out is written before the files that make the directory
	// servable: a restore killed after they are in place, before the record, left a complete
	// directory without it (or, in place, with the older one), whose serve took the restored
	// log as all there was and handed out its indices again. A log that falls short of the
	// checkpoint brought along has that checkpoint as its record, so that serve refuses to
	// append until an operator decides; one that falls short of the directory's own record
	// keeps it; any other has its own checkpoint.
	var record []byte
	switch {
	case given != nil:
		record = published
	case behind == nil:
		record = rep.checkpoint
	}
	// The last moment to stop: what follows changes the data directory.
	if ctx.Err() != nil {
		return nil, errRestoreInterrupted
	}
	restoreAt("verified")
	// The records of erasures brought along go in before the database, as the published
	// record does: into the staged directory, or in place into the directory's own.
	var erasedNames []string
	if erased != nil {
		into := staged
		if inPlace {
			into = target
		}
		if erasedNames, err = erased.addTo(into); err != nil {
			return nil, err
		}
	}
	if absent {
		if err := restoreNew(ctx, staged, stageDir, dir, owner, record); err != nil {
			return nil, err
		}
		done = true
		res := &restoreResult{Data: dir, Origin: staged.Settings.Origin, LogSize: rep.Size, LogRoot: rep.Root.String(), Taken: m.Created, Recorded: published != nil,
			ErasedRecorded: erased != nil, backupErased: facts.erasures, Rebuilt: facts.rebuilt}
		if behind != nil {
			return res, &failed{&hinted{err: fmt.Errorf("restored, but %w", behind.err), hint: behind.hint}}
		}
		return res, nil
	}
	recorder := staged
	if inPlace {
		recorder = target
		// The newest checkpoint handed out stays the record: one brought along that is older
		// than the directory's own would let a later restore of a log between the two pass.
		if record != nil && older(target, record) {
			record = nil
		}
	}
	if record != nil {
		if err := recorder.SetPublished(record); err != nil {
			return nil, err
		}
	}
	// Move the files into place, the record before the settings and the settings last: their
	// presence marks a complete data directory. In place, only what the directory lacks (its
	// database) is moved.
	var names []string
	for _, f := range m.Files {
		if f.Name != "chancery.json" {
			names = append(names, f.Name)
		}
	}
	if record != nil && !inPlace {
		names = append(names, datadir.PublishedFile)
	}
	if !inPlace {
		names = append(names, erasedNames...)
	}
	names = append(names, "chancery.json")
	// A write-ahead log left by the verification goes with its database.
	if _, err := os.Stat(filepath.Join(stageDir, store.SQLiteFile+"-wal")); err == nil {
		names = append([]string{store.SQLiteFile + "-wal"}, names...)
	}
	in := movedIn{owner: owner}
	if !inPlace {
		// What the next restore takes out if this one is killed before the settings are in.
		mark := filepath.Join(dir, unfinishedMark)
		if err := exclfile.Create(mark, []byte(strings.Join(names, "\n")+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		in.files = append(in.files, mark)
		if err := owner.give(mark); err != nil {
			return nil, in.undo(fmt.Errorf("restore: %w", err))
		}
		if err := syncDir(dir); err != nil {
			return nil, in.undo(fmt.Errorf("restore: %w", err))
		}
	}
	for _, n := range names {
		dst := filepath.Join(dir, filepath.FromSlash(n))
		if _, err := os.Lstat(dst); err == nil {
			continue // in place: the same file, checked above
		}
		if err := in.mkdirs(dir, filepath.Dir(dst)); err != nil {
			return nil, in.undo(fmt.Errorf("restore: %w", err))
		}
		if n == "chancery.json" {
			// What went before is on disk before the name that marks it complete.
			if err := in.sync(dir); err != nil {
				return nil, in.undo(fmt.Errorf("restore: %w", err))
			}
		}
		src := filepath.Join(stageDir, filepath.FromSlash(n))
		if err := owner.give(src); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, in.undo(fmt.Errorf("restore: %w", err))
		}
		err := os.Rename(src, dst)
		if errors.Is(err, fs.ErrNotExist) && n == store.SQLiteFile+"-wal" {
			// SQLite removes a write-ahead log only once the last connection to close has
			// checkpointed it into the database: the database, moved next, holds it all.
			continue
		}
		if err != nil {
			return nil, in.undo(fmt.Errorf("restore: %w", err))
		}
		in.files = append(in.files, dst)
		if restoreMovedIn != nil {
			restoreMovedIn(n)
		}
	}
	if err := in.sync(dir); err != nil {
		return nil, in.undo(fmt.Errorf("restore: %w", err))
	}
	if !inPlace {
		// The settings are in: the directory is complete, and the mark says nothing more.
		if err := os.Remove(filepath.Join(dir, unfinishedMark)); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		in.files = in.files[1:]
		if err := syncDir(dir); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
	}
	d := target
	if !inPlace {
		if d, err = datadir.Open(dir); err != nil {
			return nil, in.undo(fmt.Errorf("restore: %w", err))
		}
		defer d.Close()
	}
	res := &restoreResult{Data: dir, Origin: d.Settings.Origin, LogSize: rep.Size, LogRoot: rep.Root.String(), Taken: m.Created, InPlace: inPlace,
		Recorded: published != nil || hadRecord, ErasedRecorded: inPlace || erased != nil, backupErased: facts.erasures, Rebuilt: facts.rebuilt}
	if behind != nil {
		return res, &failed{&hinted{err: fmt.Errorf("restored, but %w", behind.err), hint: behind.hint}}
	}
	return res, nil
}

// existingTarget refuses, with what to do, a dir that exists but is no directory: a file, or
// a link to nothing (under systemd's DynamicUser=, /var/lib/chancery is a link into
// /var/lib/private, whose directory an operator may have moved aside).
func existingTarget(dir string) error {
	fi, err := os.Stat(dir)
	if what, todo, ok := danglingLink(dir); ok {
		// Named as init names it: where the link leads from the working directory, not
		// from the link's, and at the end of a chain of links.
		return withHint(fmt.Errorf("restore: %s", what), "%s", todo)
	}
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if !fi.IsDir() {
		return withHint(fmt.Errorf("restore: %s is not a directory", dir), "pass an empty or new --data directory")
	}
	return nil
}

// restoreNew finishes a restore into dir, a directory that did not exist: the staged
// directory, complete with its record (when there is one), is given to owner, synced, and
// renamed to dir in one step, so that a restore killed at any point leaves either no dir or
// a complete one.
func restoreNew(ctx context.Context, staged *datadir.Dir, stageDir, dir string, o owner, record []byte) error {
	if record != nil {
		if err := staged.SetPublished(record); err != nil {
			return err
		}
	}
	// Its top directory is given once renamed: a copy left by a restore killed before then
	// stays root's, which the next restore run as root removes (stage.RemoveStale).
	err := filepath.WalkDir(stageDir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != stageDir {
			if err := o.give(p); err != nil {
				return err
			}
		}
		return syncPath(p)
	})
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	restoreAt("staged")
	if ctx.Err() != nil {
		return errRestoreInterrupted
	}
	if err := os.Rename(stageDir, dir); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if restoreMovedIn != nil {
		restoreMovedIn(".")
	}
	if err := o.give(dir); err != nil {
		return fmt.Errorf("restore: restored into %s, but: %w", dir, err)
	}
	if err := syncDir(filepath.Dir(dir)); err != nil {
		return fmt.Errorf("restore: restored into %s, but: %w", dir, err)
	}
	return nil
}

// syncPath flushes the file or directory at p to disk.
func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// newDirOwner returns the owner that a new data directory dir takes, and its files: when
// root restores, that of the nearest directory above it that exists, unless it is root's
// (the service's home, or a directory it was given; under systemd's StateDirectory= the
// directory stays root's, as init makes it, and systemd hands it to the service).
func newDirOwner(dir string) (owner, error) {
	if os.Geteuid() != 0 {
		return owner{}, nil
	}
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		_, err := os.Stat(p)
		if err == nil {
			return dirOwner(p)
		}
		if !errors.Is(err, fs.ErrNotExist) || p == filepath.Dir(p) {
			return owner{}, err
		}
	}
}

// unfinishedMark is the file a restore into an existing empty directory keeps there while it
// moves the files in: the names it moves, one a line. A restore killed meanwhile leaves it,
// and the next restore removes those names (undoUnfinished). Backups leave it out.
const unfinishedMark = stagePrefix + "unfinished"

// undoUnfinished removes from dir what a restore killed there moved in, as its mark lists it,
// when the settings, moved last, are not in; with them in, the restore was done but for
// removing the mark.
func undoUnfinished(dir string) error {
	mark := filepath.Join(dir, unfinishedMark)
	fi, err := os.Lstat(mark)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		return nil
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", mark)
	}
	if _, err := os.Lstat(filepath.Join(dir, "chancery.json")); err != nil {
		b, err := readLimited(mark, maxManifest)
		if err != nil {
			return err
		}
		names := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		for _, n := range names {
			if !restoredName(n) {
				return fmt.Errorf("%s names %q, which no restore moves in", mark, n)
			}
			if err := realParents(dir, n); err != nil {
				return fmt.Errorf("%s: %w", n, err)
			}
		}
		for i := len(names) - 1; i >= 0; i-- {
			p := filepath.Join(dir, filepath.FromSlash(names[i]))
			if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
				if err := os.Remove(p); err != nil {
					return err
				}
			}
			// The directories it made for the name, those left empty.
			for q := filepath.Dir(p); q != dir; q = filepath.Dir(q) {
				if os.Remove(q) != nil {
					break
				}
			}
		}
	}
	if err := os.Remove(mark); err != nil {
		return err
	}
	return syncDir(dir)
}

// restoredName reports whether name is one that a restore moves into a data directory.
func restoredName(name string) bool {
	return backupName(name) || name == datadir.PublishedFile || name == datadir.ErasedFile || name == datadir.ErasedLettersFile ||
		name == store.SQLiteFile+"-wal"
}

// restoreStep, set only by tests, is called with each step of a restore once it is done
// ("unpacked", "verified", and for a new directory "staged": all in it, just before the
// rename): crash tests kill the process there.
var restoreStep func(step string)

func restoreAt(step string) {
	if restoreStep != nil {
		restoreStep(step)
	}
}

// rollback reports whether err is a log that does not extend a checkpoint already published
// (translog.RollbackError), and sets h to its refusal with its hint.
func rollback(err error, h **hinted) bool {
	var rb *translog.RollbackError
	return errors.As(err, &rb) && errors.As(err, h)
}

// checkStaged checks the log of the database staged in stage against the published record
// of the data directory d (checkPublished), or against cp when it is not nil; a hint names
// the data directory as dir, the restore's.
func checkStaged(ctx context.Context, d *datadir.Dir, dir, stage string, cp []byte) error {
	db, err := store.OpenSQLite(ctx, stage)
	if err != nil {
		return err
	}
	check := func() error { return checkPublished(ctx, d, db) }
	if cp != nil {
		check = func() error { return checkAgainst(ctx, d, dir, db, cp) }
	}
	if err := check(); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}

// older reports whether cp is a smaller tree than the published checkpoint d records.
func older(d *datadir.Dir, cp []byte) bool {
	held, err := d.Published()
	if err != nil {
		return false
	}
	h, _, err := checkpoint.Open(held, d.Verifier())
	if err != nil {
		return false
	}
	c, _, err := checkpoint.Open(cp, d.Verifier())
	return err == nil && c.Size < h.Size
}

// errRestoreInterrupted is a restore stopped by a signal before it changed the data
// directory, its staging directory removed.
var errRestoreInterrupted = errors.New("restore: interrupted: nothing was restored")

// interrupted returns errRestoreInterrupted in place of err once ctx has ended.
func interrupted(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errRestoreInterrupted
	}
	return err
}

// restoreStaged, set only by tests, is called once a restore has unpacked the backup into
// its staging directory, with the restore's context.
var restoreStaged func(ctx context.Context)

// stagePrefix starts the name of a restore's staging directory inside the data directory; a
// random number ends it (stage.New). backupStagePrefix starts a backup's, beside its file.
const (
	stagePrefix       = ".restore-"
	backupStagePrefix = ".chancery-backup-"
)

// removeStaleStages removes from dir the staging directories that restores killed there left
// (with a copy of the office's database and keys): those no restore holds (stage.RemoveStale).
// It does so only where a restore may go, a data directory or a directory holding nothing
// else: any other directory is refused by restoreTarget, and its .restore-* are not
// restore's.
func removeStaleStages(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	other, settings := false, false
	for _, e := range ents {
		if e.IsDir() && stage.Named(e.Name(), stagePrefix) {
			continue
		}
		other = true
		settings = settings || e.Name() == "chancery.json"
	}
	if other && !settings {
		return nil
	}
	return stage.RemoveStale(dir, stagePrefix)
}

// restoreMovedIn, set only by tests, is called with each name a restore has moved into the
// data directory: crash tests kill the process there.
var restoreMovedIn func(name string)

// movedIn is what a restore moved into the data directory, so that a restore that fails
// after the first move leaves nothing behind.
type movedIn struct {
	files []string
	dirs  []string // created, parents first
	owner owner    // of the directories it creates
}

// mkdirs creates the directory path inside root, recording the directories it creates.
func (m *movedIn) mkdirs(root, path string) error {
	var missing []string
	for p := path; p != root && p != filepath.Dir(p); p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			break
		}
		missing = append([]string{p}, missing...)
	}
	for _, p := range missing {
		if err := os.Mkdir(p, 0o700); err != nil {
			return err
		}
		m.dirs = append(m.dirs, p)
		if err := m.owner.give(p); err != nil {
			return err
		}
	}
	return nil
}

// owner is the owner and group that the files a restore moves into a data directory take:
// the directory's, when root restores into a directory of a service's user (systemd's
// DynamicUser= hands it over), whose server could not open files of root's, mode 0600. Zero
// means the process's own.
type owner struct{ uid, gid int }

// dirOwner returns the owner that files restored into dir take.
func dirOwner(dir string) (owner, error) {
	if os.Geteuid() != 0 {
		return owner{}, nil
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return owner{}, err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st.Uid == 0 {
		return owner{}, nil
	}
	return owner{int(st.Uid), int(st.Gid)}, nil
}

// give makes the file or directory at p o's.
func (o owner) give(p string) error {
	if o.uid == 0 {
		return nil
	}
	return os.Lchown(p, o.uid, o.gid)
}

// privateDir creates dir, or takes an empty one as it is, accessible to its owner alone: a
// data directory holds the office's keys.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return os.Chmod(dir, 0o700)
	}
	return nil
}

// realParents refuses name, a path in the backup, when a directory on its way inside dir is
// a link (or not a directory): a file moved there would land wherever the link points.
func realParents(dir, name string) error {
	p := dir
	parts := strings.Split(name, "/")
	for _, part := range parts[:len(parts)-1] {
		p = filepath.Join(p, part)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			return fmt.Errorf("%s in the data directory is not a directory (a link?)", p)
		}
	}
	return nil
}

// sync syncs the directories that what was moved in went into, root last: a file moved
// into a subdirectory, and a subdirectory made, are on disk only once the directory that
// holds its name is synced, and root's alone holds only the top names.
func (m *movedIn) sync(root string) error {
	var dirs []string
	for _, p := range append(append([]string{}, m.files...), m.dirs...) {
		if d := filepath.Dir(p); d != root && !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	// Deepest first: a directory's own name is in the one above it, synced after it.
	slices.SortFunc(dirs, func(a, b string) int {
		return strings.Count(b, string(filepath.Separator)) - strings.Count(a, string(filepath.Separator))
	})
	for _, d := range append(dirs, root) {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// undo removes what was moved in, newest first, and returns err with what it could not remove.
func (m *movedIn) undo(err error) error {
	errs := []error{err}
	for i := len(m.files) - 1; i >= 0; i-- {
		if rerr := os.Remove(m.files[i]); rerr != nil {
			errs = append(errs, fmt.Errorf("and left %s: %w", m.files[i], rerr))
		}
	}
	for i := len(m.dirs) - 1; i >= 0; i-- {
		if rerr := os.Remove(m.dirs[i]); rerr != nil {
			errs = append(errs, fmt.Errorf("and left %s: %w", m.dirs[i], rerr))
		}
	}
	if len(errs) == 1 {
		return err
	}
	return errors.Join(errs...)
}

// restoreTarget checks that dir may receive a restore: it is empty or absent (false), or an
// initialized data directory without a database (true).
func restoreTarget(dir string) (inPlace bool, err error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("restore: %w", err)
	}
	if len(ents) == 0 {
		return false, nil
	}
	// A link there, dangling or not, stands for a database: it would keep the restored one out.
	if _, err := os.Lstat(filepath.Join(dir, store.SQLiteFile)); err == nil {
		return false, withHint(fmt.Errorf("restore: %s already holds a database", dir),
			"restore into an empty directory, or stop the server and move %s aside first", filepath.Join(dir, store.SQLiteFile))
	}
	// SQLite would apply a write-ahead log or rollback journal left beside a database that
	// was moved aside (after a crash) to the restored database, which it does not belong to.
	for _, n := range []string{store.SQLiteFile + "-wal", store.SQLiteFile + "-shm", store.SQLiteFile + "-journal"} {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			return false, withHint(fmt.Errorf("restore: %s holds %s, left by the database that was moved aside", dir, n),
				"move %[1]s-wal, %[1]s-shm and %[1]s-journal aside together with %[1]s: they belong to it, and SQLite would apply them to the restored database", store.SQLiteFile)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "chancery.json")); err != nil {
		return false, withHint(fmt.Errorf("restore: %s is neither empty nor a data directory", dir), "pass an empty or new --data directory")
	}
	return true, nil
}

// unpackBackup reads the backup file into the directory stage, checking each file against
// the manifest: its name (a plain relative path), size and SHA-256, and that every listed
// file is present exactly once.
func unpackBackup(ctx context.Context, file, stage string) (*backupManifest, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	bad := func(format string, args ...any) error {
		return withHint(fmt.Errorf("restore: %s is not a sound Chancery backup: %s", file, fmt.Sprintf(format, args...)),
			"is it a file made by 'chancery backup', copied whole?")
	}
	tr := tar.NewReader(f)
	hdr, err := tr.Next()
	if err != nil || hdr.Name != backupManifestName || hdr.Size > maxManifest {
		return nil, bad("it does not start with %s", backupManifestName)
	}
	var m backupManifest
	dec := json.NewDecoder(io.LimitReader(tr, maxManifest))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, bad("manifest: %v", err)
	}
	if m.Format != backupFormat {
		return nil, bad("format %q, want %q", m.Format, backupFormat)
	}
	want := map[string]backupFile{}
	for _, bf := range m.Files {
		if !backupName(bf.Name) {
			return nil, bad("file name %q", bf.Name)
		}
		if _, dup := want[bf.Name]; dup {
			return nil, bad("file %s listed twice", bf.Name)
		}
		want[bf.Name] = bf
	}
	if _, ok := want[store.SQLiteFile]; !ok {
		return nil, bad("no database")
	}
	if _, ok := want["chancery.json"]; !ok {
		return nil, bad("no settings")
	}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, bad("%v", err)
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		bf, ok := want[hdr.Name]
		if !ok || hdr.Typeflag != tar.TypeReg || hdr.Size != bf.Size {
			return nil, bad("unexpected entry %q", hdr.Name)
		}
		delete(want, hdr.Name)
		dst := filepath.Join(stage, filepath.FromSlash(bf.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		// The owner's alone, whatever the manifest says: a data directory holds keys.
		out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("restore: %w", err)
		}
		h := sha256.New()
		n, err := io.Copy(io.MultiWriter(out, h), ctxReader{ctx, tr})
		if err == nil {
			err = out.Sync()
		}
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		// A backup cut short (a copy interrupted, a full disk where it was kept) ends inside a
		// file: said as what it is, with the hint, not as a bare "unexpected EOF".
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, bad("it ends inside %s, after %d of its %d bytes: the file is cut short", bf.Name, n, bf.Size)
		}
		if err != nil {
			return nil, fmt.Errorf("restore: %s: %w", bf.Name, err)
		}
		if n != bf.Size || hex.EncodeToString(h.Sum(nil)) != bf.SHA256 {
			return nil, bad("%s does not match its SHA-256 in the manifest", bf.Name)
		}
	}
	if len(want) != 0 {
		return nil, bad("%d of its files are missing", len(want))
	}
	return &m, nil
}

// ctxReader reads r until ctx ends: an interrupted restore stops inside a large database.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// backupName reports whether name is a plain relative path inside the data directory.
func backupName(name string) bool {
	if name == "" || name == backupManifestName || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || path.Clean(name) != name || name == "." || strings.HasPrefix(name, "../") || name == ".." {
		return false
	}
	return name == store.SQLiteFile || !notBackedUp(name)
}

// sameFile reports, as an error, how the file at b differs from a's content.
func sameFile(a, b string) error {
	x, err := os.ReadFile(a)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(b); errors.Is(err, fs.ErrNotExist) {
		return nil // the directory lacks it: restored from the backup
	}
	y, err := os.ReadFile(b) // a file linked in (a key kept elsewhere) is its content
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("is a link to nothing: it would keep the backup's file out")
	}
	if err != nil {
		return err
	}
	if !bytes.Equal(x, y) {
		return errors.New("differs from the data directory's")
	}
	return nil
}

// syncDir syncs the directory dir; tests replace it to see what is synced.
var syncDir = func(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// acceptResult is what 'chancery log accept-restore --json' prints.
type acceptResult struct {
	Accepted bool  `json:"accepted"`
	Size     int64 `json:"size"`
	// Published is the size of the superseded record, and SupersededFile where it was kept.
	Published      int64  `json:"published,omitempty"`
	SupersededFile string `json:"superseded_file,omitempty"`
	// Unreadable says the superseded record was not a checkpoint of the log (damaged, or
	// another log's).
	Unreadable bool `json:"record_unreadable,omitempty"`
}

func newLogAcceptRestore(g *globals) *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "accept-restore",
		Short: "Accept serving a log shorter than, or inconsistent with, the one already published",
		Long: `Accept-restore is an operator's decision after a restore: 'chancery serve' refuses to start
when the database's log is shorter than the checkpoint this data directory last published
(published.checkpoint), or inconsistent with it, because serving it would show verifiers
and witnesses a log that contradicts checkpoints and seals they already hold.

Run it only when no newer backup exists. It keeps the old record as
published.checkpoint.superseded-TIME (evidence of what was published), records the
database's current checkpoint as the published one, and says how many published entries
were lost. Seals and checkpoints handed out for the lost entries no longer verify against
the log; witnesses will refuse the next checkpoints as a fork until they are told. Tell
them, and the letters' holders, before serving again.

A record that is not a checkpoint of this log (damaged, or another log's) is replaced the
same way, kept aside: what it recorded cannot be read from it, so compare the log with the
newest checkpoint witnesses or monitors hold first.

With a log that already extends the record, it does nothing. With several servers on one
PostgreSQL database, each has its own record: run it on each server's data directory, with
the servers stopped.`,
		Example: `  chancery log accept-restore --data /var/lib/chancery`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			d, err := openDir(g.data)
			if err != nil {
				return err
			}
			defer d.Close()
			if database(c) == "" {
				unlock, err := d.Lock()
				if err != nil {
					return lockHint(err, d.Path, "stop the server first")
				}
				defer unlock()
			}
			ctx := c.Context()
			db, err := openStore(ctx, c, d)
			if err != nil {
				return err
			}
			defer db.Close()
			var head store.LogHead
			err = db.View(ctx, func(tx *store.Tx) error {
				head, err = tx.LogHead(ctx)
				return err
			})
			if err != nil {
				return err
			}
			res := acceptResult{Size: head.Size}
			w := c.OutOrStdout()
			var rb *translog.RollbackError
			switch err := checkPublished(ctx, d, db); {
			case isUnreadableRecord(err):
				res.Unreadable = true
			case err == nil:
				if err := d.SetPublished(head.Checkpoint); err != nil {
					return err
				}
				if asJSON {
					return writeJSON(w, res)
				}
				fmt.Fprintf(w, "the log (%d entries) extends the published checkpoint: nothing to accept\n", head.Size)
				return nil
			case !errors.As(err, &rb):
				return err
			}
			aside, err := d.SupersedePublished(time.Now())
			if err != nil {
				return err
			}
			if err := d.SetPublished(head.Checkpoint); err != nil {
				return err
			}
			res.Accepted, res.SupersededFile = true, aside
			if rb != nil {
				res.Published = rb.Published
			}
			if asJSON {
				return writeJSON(w, res)
			}
			switch {
			case res.Unreadable:
				fmt.Fprintf(w, "accepted: the record was not a checkpoint of this log; the log's checkpoint of %d entries is the record now (whether the server had published more cannot be told from the old record)\n", head.Size)
			case rb.Forked:
				fmt.Fprintf(w, "accepted: the log of %d entries replaces the published one of %d, which it contradicts\n", head.Size, rb.Published)
			default:
				fmt.Fprintf(w, "accepted: the log has %d entries; the published entries %d to %d are lost\n", head.Size, head.Size, rb.Published-1)
			}
			fmt.Fprintf(w, "the old record is kept in %s; tell the witnesses and monitors before serving\n", aside)
			return nil
		},
	}
	addJSONFlag(c, &asJSON)
	return c
}
