package witness

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// DBFile is the witness's database file name in its directory.
const DBFile = "witness.db"

// MarkerFile, beside the database, records that the witness has had one. A witness whose
// database is gone while its key stays would trust each log's next checkpoint as a first
// one, and could cosign a fork of a tree it cosigned before: OpenStore refuses to create the
// database again where the marker is (ErrStateLost).
const MarkerFile = "witness.db.created"

// ErrStateLost reports a witness database missing from a directory that had one.
var ErrStateLost = errors.New("the witness's database is missing, though this witness had one")

// Store is the witness's durable state: the logs it witnesses, each with its keys and the
// latest size and root it cosigned, and the refused checkpoints kept as evidence. It is one
// SQLite file in WAL mode with synchronous=FULL: a committed update has been fsynced before
// the call returns, so a cosignature is never sent for a state that a crash could lose.
// Methods are safe for concurrent use, and for use by several processes on one file.
type Store struct {
	db *sql.DB
}

// LogState is what the witness holds for one log.
type LogState struct {
	Origin  string
	Keys    []string // note verifier keys of the log
	Size    int64    // the latest size cosigned; 0 before the first
	Root    tlog.Hash
	Updated time.Time // when Size last changed; zero before the first cosignature
}

// MaxEvidence is the most refused checkpoints kept as evidence for one log, of each kind
// (proven or not: evidenceKind). A log's key can sign any number of forks, up to
// MaxRequestSize each, and the witness's disk is shared by every log it witnesses; the first
// forks a log signed prove it forked as well as all of them.
const MaxEvidence = 256

// evidenceKind is the kind of a refused checkpoint worth keeping.
type evidenceKind int

const (
	// notEvidence: a refusal that says nothing of the log (a wrong old size, a malformed
	// request).
	notEvidence evidenceKind = iota
	// unproven: a larger checkpoint whose consistency proof does not verify. The log may
	// have forked, or anyone sent one of its public checkpoints with a wrong proof: kept
	// apart from the proven, so that requests needing no key cannot crowd them out.
	unproven
	// proven: a checkpoint no honest log signs: another root at the size the witness holds,
	// or a tree of size 0 whose root is not the empty tree's.
	proven
)

// errNoLog is what advance returns for an origin the witness does not know.
var errNoLog = errors.New("unknown log")

const schema = `
CREATE TABLE IF NOT EXISTS logs (
	origin  TEXT PRIMARY KEY,
	size    INTEGER NOT NULL,
	root    BLOB NOT NULL,
	updated INTEGER NOT NULL -- Unix seconds; 0 before the first cosignature
);
CREATE TABLE IF NOT EXISTS log_keys (
	origin TEXT NOT NULL REFERENCES logs(origin),
	vkey   TEXT NOT NULL,
	PRIMARY KEY (origin, vkey)
);
-- Checkpoints signed by a log's key that the witness refused as inconsistent: the evidence of a
-- fork, kept as received.
CREATE TABLE IF NOT EXISTS evidence (
	id         INTEGER PRIMARY KEY,
	origin     TEXT NOT NULL,
	received   INTEGER NOT NULL,
	held_size  INTEGER NOT NULL,
	held_root  BLOB NOT NULL,
	request    BLOB NOT NULL,
	checkpoint_hash BLOB, -- SHA-256 of the checkpoint's text: a checkpoint is kept once
	proven     INTEGER NOT NULL DEFAULT 0 -- 1: the checkpoint proves by itself that the log misbehaved
);
CREATE INDEX IF NOT EXISTS evidence_origin ON evidence(origin);
`

// evidenceIndexes are made once the evidence table has its checkpoint_hash and proven
// columns: a database of an earlier version gains them on open (migrateEvidence).
// evidence_unhashed holds the rows without a hash, none once they are filled: finding them at
// each open reads no kept request.
const evidenceIndexes = `
CREATE INDEX IF NOT EXISTS evidence_checkpoint ON evidence(origin, checkpoint_hash);
CREATE INDEX IF NOT EXISTS evidence_kind ON evidence(origin, proven);
CREATE INDEX IF NOT EXISTS evidence_unhashed ON evidence(id) WHERE checkpoint_hash IS NULL;`

// keepEvidence keeps a refused request unless one with the same checkpoint text is kept for
// its log, or MaxEvidence of its kind are. The indexes answer both without reading the kept
// requests.
const keepEvidence = `INSERT INTO evidence (origin, received, held_size, held_root, request, checkpoint_hash, proven)
	SELECT $1, $2, $3, $4, $5, $6, $7
	WHERE NOT EXISTS (SELECT 1 FROM evidence WHERE origin = $1 AND checkpoint_hash = $6)
	AND (SELECT count(*) FROM evidence WHERE origin = $1 AND proven = $7) < $8`

// OpenStore opens the witness database in dir, creating the directory (mode 0700) and the
// database if needed.
func OpenStore(ctx context.Context, dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("witness: create %s: %w", dir, err)
	}
	path := filepath.Join(dir, DBFile)
	marker := filepath.Join(dir, MarkerFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Stat(marker); err == nil {
			return nil, fmt.Errorf("witness: open %s: %w (%s is there)", path, ErrStateLost, marker)
		}
	}
	if err := makePrivate(path); err != nil {
		return nil, fmt.Errorf("witness: open %s: %w", path, err)
	}
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)"} {
		q.Add("_pragma", p)
	}
	// Every transaction takes the write lock at its start: reading the held size and writing
	// the new one must be one atomic step (C2SP tlog-witness), across processes too.
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("witness: open %s: %w", path, err)
	}
	// One connection: writes are serialized anyway, and the pool's other connections would
	// only wait on SQLite's lock.
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("witness: open %s: %w", path, err)
	}
	st := &Store{db: db}
	if err := st.update(ctx, func(tx *sql.Tx) error { return migrateEvidence(ctx, tx) }); err != nil {
		db.Close()
		return nil, fmt.Errorf("witness: open %s: %w", path, err)
	}
	if err := markState(dir, marker); err != nil {
		db.Close()
		return nil, fmt.Errorf("witness: open %s: %w", path, err)
	}
	return st, nil
}

// migrateEvidence gives an evidence table of an earlier version its checkpoint_hash and
// proven columns, makes the indexes on them, and fills the rows without a hash from their
// kept requests: at every open, since an earlier version run on a migrated database (a
// downgrade, then an upgrade) keeps requests without filling either column.
func migrateEvidence(ctx context.Context, tx *sql.Tx) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('evidence') WHERE name = 'checkpoint_hash'`).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		_, err := tx.ExecContext(ctx, `ALTER TABLE evidence ADD COLUMN checkpoint_hash BLOB;
			ALTER TABLE evidence ADD COLUMN proven INTEGER NOT NULL DEFAULT 0`)
		if err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, evidenceIndexes); err != nil {
		return err
	}
	return fillEvidence(ctx, tx)
}

// fillEvidence sets checkpoint_hash and proven of the requests kept by an earlier version (the
// rows without a hash). A request that does not parse (none should: each was parsed before it
// was kept) gets the hash of the whole request, which no checkpoint text has: never matched
// (a checkpoint sent again is kept once more, within MaxEvidence), unproven, and not parsed
// again at the next open. A kept checkpoint is proven when its size is the size then held
// (another root: it was refused) or 0 (another root than the empty tree's).
func fillEvidence(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, held_size, request FROM evidence INDEXED BY evidence_unhashed
		WHERE checkpoint_hash IS NULL`)
	if err != nil {
		return err
	}
	fills := map[int64]fill{}
	for rows.Next() {
		var id, heldSize int64
		var request []byte
		if err := rows.Scan(&id, &heldSize, &request); err != nil {
			rows.Close()
			return err
		}
		fills[id] = evidenceFill(heldSize, request)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, f := range fills {
		if _, err := tx.ExecContext(ctx, `UPDATE evidence SET checkpoint_hash = $1, proven = $2 WHERE id = $3`, f.hash, f.proven, id); err != nil {
			return err
		}
	}
	return nil
}

// fill is what fillEvidence sets in a row.
type fill struct {
	hash   []byte
	proven bool
}

// evidenceFill returns the fill of a request kept when the witness held heldSize.
func evidenceFill(heldSize int64, request []byte) fill {
	whole := sha256.Sum256(request)
	req, err := parseRequest(request)
	if err != nil {
		return fill{hash: whole[:]}
	}
	text, _, err := splitNote(req.checkpoint)
	if err != nil {
		return fill{hash: whole[:]}
	}
	sum := sha256.Sum256(text)
	f := fill{hash: sum[:]}
	if c, err := checkpoint.Parse(text); err == nil {
		f.proven = c.Size == heldSize || c.Size == 0
	}
	return f
}

// markState creates the marker file if it is not there yet (a new database, or one made by
// a version before the marker), and syncs the directory that holds it.
func markState(dir, marker string) error {
	f, err := os.OpenFile(marker, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// makePrivate creates the database at path private to its owner if it does not exist
// (SQLite would make it 0644), and takes group's and others' access away from it and from its
// write-ahead log, shared memory and rollback journal if it does: SQLite gives those the
// database's mode when it creates them.
func makePrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if fi.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(p, fi.Mode().Perm()&0o700); err != nil {
				return err
			}
		}
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// AddLog makes the witness accept checkpoints of origin signed by vkey, a note verifier key
// whose name is origin. A new log starts at size 0: its first checkpoint is cosigned without
// a proof. Adding another key to a known log keeps its state (a key rotation); adding a key
// twice is a no-op. It reports whether the log is new.
func (s *Store) AddLog(ctx context.Context, origin, vkey string) (bool, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return false, fmt.Errorf("witness: add log: key %q: %w", truncate([]byte(vkey)), err)
	}
	if v.Name() != origin {
		return false, fmt.Errorf("witness: add log: key is named %q, not the origin %q", v.Name(), origin)
	}
	// Under a key of small order one signature verifies for every checkpoint: anyone could
	// lead the witness along a tree of their own, and it would refuse the real log as a fork.
	pub, err := seal.PublicKeyOf(vkey)
	if err == nil {
		err = keys.CheckPublicKey(pub)
	}
	if err != nil {
		return false, fmt.Errorf("witness: add log: %w", err)
	}
	created := false
	err = s.update(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO logs (origin, size, root, updated) VALUES ($1, 0, $2, 0)
			ON CONFLICT (origin) DO NOTHING`, origin, emptyRoot[:])
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		created = n == 1
		_, err = tx.ExecContext(ctx, `INSERT INTO log_keys (origin, vkey) VALUES ($1, $2)
			ON CONFLICT (origin, vkey) DO NOTHING`, origin, vkey)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("witness: add log: %w", err)
	}
	return created, nil
}

// emptyRoot is the RFC 6962 hash of the empty tree, the root a new log starts with.
var emptyRoot = tlog.Hash(sha256.Sum256(nil))

// Logs returns every log the witness knows, by origin.
func (s *Store) Logs(ctx context.Context) ([]LogState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT origin, size, root, updated FROM logs ORDER BY origin`)
	if err != nil {
		return nil, fmt.Errorf("witness: list logs: %w", err)
	}
	var logs []LogState
	for rows.Next() {
		var l LogState
		var root []byte
		var updated int64
		if err := rows.Scan(&l.Origin, &l.Size, &root, &updated); err != nil {
			rows.Close()
			return nil, fmt.Errorf("witness: list logs: %w", err)
		}
		copy(l.Root[:], root)
		if updated != 0 {
			l.Updated = time.Unix(updated, 0).UTC()
		}
		logs = append(logs, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("witness: list logs: %w", err)
	}
	for i := range logs {
		if logs[i].Keys, err = s.keys(ctx, logs[i].Origin); err != nil {
			return nil, fmt.Errorf("witness: list logs: %w", err)
		}
	}
	return logs, nil
}

// keys returns the verifier keys of origin, none if the log is unknown.
func (s *Store) keys(ctx context.Context, origin string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT vkey FROM log_keys WHERE origin = $1 ORDER BY vkey`, origin)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// Evidence counts the refused checkpoints kept for origin.
func (s *Store) Evidence(ctx context.Context, origin string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE origin = $1`, origin).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("witness: evidence: %w", err)
	}
	return n, nil
}

// advance is the witness's one state change, atomic: it reads the size and root held for
// origin, lets check decide against them, and if check accepts, records size and root unless
// they are the ones held. A check error is returned as is, after keeping the request as
// evidence if check says it is, no request kept for origin holds the same checkpoint body
// (text, the note's text) and fewer than MaxEvidence of its kind are kept for origin; kept
// reports whether it was kept.
func (s *Store) advance(ctx context.Context, origin string, size int64, root tlog.Hash,
	check func(heldSize int64, heldRoot tlog.Hash) (evidenceKind, error), request, text []byte) (kept bool, err error) {
	var refused error
	err = s.update(ctx, func(tx *sql.Tx) error {
		kept = false
		var heldSize int64
		var heldRoot []byte
		err := tx.QueryRowContext(ctx, `SELECT size, root FROM logs WHERE origin = $1`, origin).Scan(&heldSize, &heldRoot)
		if errors.Is(err, sql.ErrNoRows) {
			refused = errNoLog
			return nil
		}
		if err != nil {
			return err
		}
		var held tlog.Hash
		copy(held[:], heldRoot)
		keep, cerr := check(heldSize, held)
		if cerr != nil {
			refused = cerr
			if keep == notEvidence {
				return nil
			}
			// Once per checkpoint: the log's checkpoints are public, and anyone may send one
			// again and again with a wrong proof and other unverified signature lines.
			sum := sha256.Sum256(text)
			res, err := tx.ExecContext(ctx, keepEvidence,
				origin, time.Now().Unix(), heldSize, heldRoot, request, sum[:], keep == proven, MaxEvidence)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			kept = n > 0
			return err
		}
		if size == heldSize && root == held {
			// The checkpoint held, sent again (it is public): nothing to write, so that
			// anyone's repeats cost no fsync under the write lock and leave Updated alone.
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE logs SET size = $1, root = $2, updated = $3 WHERE origin = $4`,
			size, root[:], time.Now().Unix(), origin)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("witness: record checkpoint: %w", err)
	}
	return kept, refused
}

// update runs fn in a write transaction and commits it.
func (s *Store) update(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
