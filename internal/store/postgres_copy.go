package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// OpenSQLiteSnapshot opens the SQLite store in dir read-only, without migrating it, for
// copying an office elsewhere: a running server may keep writing it, and View transactions
// see one commit each. Update fails. The schema must be this build's.
func OpenSQLiteSnapshot(ctx context.Context, dir string) (*DB, error) {
	path := filepath.Join(dir, SQLiteFile)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "query_only(1)")
	q.Set("mode", "ro")
	r, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w, _ := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	db := &DB{dialect: SQLite, w: w, r: r}
	var v int
	err = db.View(ctx, func(tx *Tx) (err error) { v, err = tx.Version(ctx); return err })
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if v != SchemaVersion {
		db.Close()
		return nil, fmt.Errorf("store: %s has schema version %d, this build's is %d: %w", path, v, SchemaVersion, ErrSchemaVersion)
	}
	return db, nil
}

// ErrSchemaVersion means a store's schema is not the one this build writes.
var ErrSchemaVersion = errors.New("schema version differs")

// TableCount is a table and its rows.
type TableCount struct {
	Table string
	Rows  int64
}

// CopyTo copies every row of every table of src, a SQLite store (OpenSQLiteSnapshot), into
// dst, a PostgreSQL store of the same schema version whose tables are all empty, and returns
// the rows it copied per table. The copy reads one snapshot of src and writes one transaction
// of dst: it is all there or not at all. Before it commits, every row of dst is compared with
// src's (every file by its content), and any difference fails the copy (ErrCopyDiffers).
// Identity columns continue after the copied ids.
func CopyTo(ctx context.Context, src, dst *DB) ([]TableCount, error) {
	return CopyToMarking(ctx, src, dst, nil)
}

// CopyToMarking is CopyTo, calling beforeCommit (if not nil) once every row is compared,
// before the copy is committed: an error it returns fails the copy. What it does outside the
// database (store migrate marks the source as moved) is thus done before the target holds
// the office, so that a process killed once the copy is committed leaves it done.
func CopyToMarking(ctx context.Context, src, dst *DB, beforeCommit func() error) ([]TableCount, error) {
	return CopyToReporting(ctx, src, dst, beforeCommit, nil)
}

// copyStarted, set only by tests, is called with the target's transaction as the copy starts.
var copyStarted func(dtx *Tx)

// copyReportRows is how many rows of a table CopyToReporting copies between two reports.
const copyReportRows = 10000

// compareReportEvery is the longest CopyToReporting's comparison of one table goes without a
// report: reading and hashing the rows of both sides goes at rates too different (a file's
// content, a counter) for a count of rows to say it every few seconds.
var compareReportEvery = 5 * time.Second

// CopyToReporting is CopyToMarking, telling progress (if not nil) what it does as it goes:
// each table it starts, every copyReportRows rows of it, the comparison of the copy, each table
// it compares and, within one, how far it is every compareReportEvery. An office of 100,000
// letters takes minutes to copy and more to compare, which store migrate must account for.
func CopyToReporting(ctx context.Context, src, dst *DB, beforeCommit func() error, progress func(string)) ([]TableCount, error) {
	if progress == nil {
		progress = func(string) {}
	}
	if src.dialect != SQLite || dst.dialect != Postgres {
		return nil, errors.New("store: copy: only from SQLite to PostgreSQL")
	}
	var counts []TableCount
	err := src.View(ctx, func(stx *Tx) error {
		tables, err := sqliteTables(ctx, stx)
		if err != nil {
			return err
		}
		return dst.copyUpdate(ctx, func(dtx *Tx) error {
			// The copy is one transaction of the target, which waits between statements while
			// the source is read: comparing the files hashes every one of the source's first
			// (31 s at 100,000 letters), and the session's stuckTimeout ended it there, so that
			// no office that large could be migrated. The target is a new database no server
			// uses yet, whose writer lock no other waits for.
			if _, err := dtx.exec(ctx, `SET LOCAL idle_in_transaction_session_timeout = 0`); err != nil {
				return fmt.Errorf("store: copy: %w", err)
			}
			if copyStarted != nil {
				copyStarted(dtx)
			}
			counts = counts[:0]
			var chunks int64
			for _, t := range tables {
				n, err := copyTable(ctx, stx, dtx, t, &chunks, progress)
				if err != nil {
					return fmt.Errorf("store: copy %s: %w", t, err)
				}
				counts = append(counts, TableCount{Table: t, Rows: n})
			}
			// The files were cut into blob_chunks rows the source does not have: the table
			// must hold as many as their sizes call for.
			for i := range counts {
				if counts[i].Table == "blob_chunks" {
					counts[i].Rows += chunks
				}
			}
			// The planner has no statistics of tables filled in this transaction: it took
			// blob_chunks, with its rows of 40,000 files, for a small table, and read each
			// file back by a scan of all of them (60 files a second at 20,000 letters, the
			// comparison taking more than 10 minutes). ANALYZE gives it their sizes; they
			// are kept with the commit, for the verification and the first server too.
			progress("analyzing the copy's tables")
			names := make([]string, len(tables))
			for i, t := range tables {
				names[i] = pgx.Identifier{t}.Sanitize()
			}
			if _, err := dtx.tx.ExecContext(ctx, `ANALYZE `+strings.Join(names, ", ")); err != nil {
				return fmt.Errorf("store: copy: analyze: %w", err)
			}
			// Every row is read back and compared with the source's before the copy is
			// committed: a value the target did not keep as it was given fails the copy, and
			// leaves the target empty.
			progress("comparing every row of the copy with the source's")
			for i, t := range tables {
				if err := compareTable(ctx, stx, dtx, t, counts[i].Rows, progress); err != nil {
					return fmt.Errorf("store: copy %s: %w", t, err)
				}
			}
			if beforeCommit != nil {
				return beforeCommit()
			}
			return nil
		})
	})
	return counts, err
}

// sqliteTables returns src's tables, every table after those its foreign keys reference.
func sqliteTables(ctx context.Context, tx *Tx) ([]string, error) {
	names, err := strings1(ctx, tx, `SELECT name FROM sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: list tables: %w", err)
	}
	deps := map[string][]string{}
	for _, n := range names {
		if deps[n], err = strings1(ctx, tx, `SELECT DISTINCT "table" FROM pragma_foreign_key_list($1)`, n); err != nil {
			return nil, fmt.Errorf("store: foreign keys of %s: %w", n, err)
		}
	}
	var order []string
	done := map[string]bool{}
	var visit func(n string, path []string) error
	visit = func(n string, path []string) error {
		if done[n] {
			return nil
		}
		if slices.Contains(path, n) {
			return fmt.Errorf("store: foreign keys form a cycle through %s", n)
		}
		for _, d := range deps[n] {
			if d != n {
				if err := visit(d, append(path, n)); err != nil {
					return err
				}
			}
		}
		done[n] = true
		order = append(order, n)
		return nil
	}
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func strings1(ctx context.Context, tx *Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// pgColumn is a column of the target table.
type pgColumn struct {
	name, dataType string
	identity       bool
}

// copyTable copies table, and adds to *chunks the blob_chunks rows written for its files.
func copyTable(ctx context.Context, stx, dtx *Tx, table string, chunks *int64, progress func(string)) (int64, error) {
	srcCols, err := strings1(ctx, stx, `SELECT name FROM pragma_table_info($1) ORDER BY cid`, table)
	if err != nil {
		return 0, err
	}
	rows, err := dtx.tx.QueryContext(ctx, `SELECT column_name, data_type, is_identity = 'YES' FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return 0, err
	}
	dstCols := map[string]pgColumn{}
	for rows.Next() {
		var c pgColumn
		if err := rows.Scan(&c.name, &c.dataType, &c.identity); err != nil {
			rows.Close()
			return 0, err
		}
		dstCols[c.name] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(dstCols) != len(srcCols) {
		return 0, fmt.Errorf("the target's table has columns %v, the source's %v", mapKeys(dstCols), srcCols)
	}
	for _, c := range srcCols {
		if _, ok := dstCols[c]; !ok {
			return 0, fmt.Errorf("the target's table has no column %s", c)
		}
	}
	var nonEmpty bool
	if err := dtx.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+`)`).Scan(&nonEmpty); err != nil {
		return 0, err
	}
	if nonEmpty {
		return 0, fmt.Errorf("the target's table is not empty: %w", ErrTargetNotEmpty)
	}

	cols := strings.Join(srcCols, ", ")
	src, err := stx.tx.QueryContext(ctx, `SELECT `+cols+` FROM `+table)
	if err != nil {
		return 0, err
	}
	defer src.Close()
	progress("copying " + table)
	var n int64
	switch table {
	case "blob_chunks":
		// The source's chunks are cut for SQLite's pages; copyBlobs cuts each file again as
		// the target keeps it, and counts those rows.
		return 0, nil
	case "blobs":
		n, err = copyBlobs(ctx, stx, dtx, srcCols, src, chunks, progress)
	default:
		n, err = copyRows(ctx, dtx, table, srcCols, dstCols, src, progress)
	}
	if err != nil {
		return 0, err
	}
	return n, continueIDs(ctx, dtx, table, dstCols)
}

// continueIDs has the identity columns of table continue after the ids copied into it.
func continueIDs(ctx context.Context, dtx *Tx, table string, dstCols map[string]pgColumn) error {
	for _, c := range dstCols {
		if !c.identity {
			continue
		}
		_, err := dtx.tx.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, $2), (SELECT COALESCE(MAX(`+c.name+`), 0) + 1 FROM `+table+`), false)`, table, c.name)
		if err != nil {
			return fmt.Errorf("continue the ids of %s: %w", c.name, err)
		}
	}
	return nil
}

// targetValues gives vals, a row of the source's columns cols, the types of the target's
// columns: SQLite keeps whatever type a value was written with.
func targetValues(cols []string, dstCols map[string]pgColumn, vals []any) {
	for i, c := range cols {
		switch v := vals[i].(type) {
		case string:
			if dstCols[c].dataType == "bytea" {
				vals[i] = []byte(v)
			}
		case []byte:
			switch {
			case dstCols[c].dataType == "text":
				vals[i] = string(v)
			case v == nil:
				// SQLite's driver reads an empty BLOB as a nil slice (a NULL is a nil
				// interface), and PostgreSQL's would write it as NULL.
				vals[i] = []byte{}
			}
		}
	}
}

// copyUpdate runs fn in one write transaction of db, a PostgreSQL store, as Update runs one
// call: under the writer lock, rolled back if fn fails, its commit's outcome asked for when
// the answer to COMMIT is lost (commitPostgres). The transaction has a connection of its own,
// which fn's Tx holds (Tx.conn) to send rows with COPY (Tx.copyFrom): COPY is not reachable
// through database/sql's transactions.
func (db *DB) copyUpdate(ctx context.Context, fn func(*Tx) error) error {
	if db.dialect != Postgres {
		return errors.New("store: copy: the target is not PostgreSQL")
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer conn.Close()
	// As Update's: the transaction is not ended by a context done mid-statement, which would
	// break the connection; fn's statements fail on ctx.
	sqlTx, err := conn.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	xid, err := db.beginPostgres(ctx, sqlTx)
	if err != nil {
		sqlTx.Rollback()
		return err
	}
	tx := &Tx{tx: sqlTx, dialect: Postgres, stmts: &db.ws, conn: conn}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if tx.aborted != nil {
		sqlTx.Rollback()
		return tx.aborted
	}
	return db.commitPostgres(sqlTx, xid)
}

// copyFrom sends the rows of src into table's columns cols with COPY FROM STDIN, in t's
// transaction (copyUpdate's), and returns how many it sent.
func (t *Tx) copyFrom(ctx context.Context, table string, cols []string, src pgx.CopyFromSource) (int64, error) {
	if t.conn == nil {
		return 0, errors.New("store: copy: a transaction without a connection of its own")
	}
	var n int64
	err := t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: copy: a connection of type %T, not pgx's", dc)
		}
		var err error
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, src)
		return err
	})
	return n, err
}

// rowSource is the rows of a source table as COPY takes them, given the target's types,
// reported every copyReportRows rows.
type rowSource struct {
	table    string
	rows     *sql.Rows
	cols     []string
	dstCols  map[string]pgColumn
	vals     []any
	ptrs     []any
	n        int64
	err      error
	progress func(string)
}

func (s *rowSource) Next() bool {
	if s.n > 0 && s.n%copyReportRows == 0 {
		s.progress(fmt.Sprintf("copying %s: %d rows so far", s.table, s.n))
	}
	if !s.rows.Next() {
		return false
	}
	for i := range s.vals {
		s.vals[i] = nil
	}
	if s.err = s.rows.Scan(s.ptrs...); s.err != nil {
		s.err = fmt.Errorf("row %d: %w", s.n+1, s.err)
		return false
	}
	targetValues(s.cols, s.dstCols, s.vals)
	s.n++
	return true
}

func (s *rowSource) Values() ([]any, error) { return s.vals, nil }

func (s *rowSource) Err() error {
	if s.err != nil {
		return s.err
	}
	return s.rows.Err()
}

// copyRows copies the rows of src, table's in the source, into the target with COPY.
func copyRows(ctx context.Context, dtx *Tx, table string, cols []string, dstCols map[string]pgColumn, src *sql.Rows, progress func(string)) (int64, error) {
	s := &rowSource{table: table, rows: src, cols: cols, dstCols: dstCols, vals: make([]any, len(cols)), ptrs: make([]any, len(cols)), progress: progress}
	for i := range s.vals {
		s.ptrs[i] = &s.vals[i]
	}
	n, err := dtx.copyFrom(ctx, table, cols, s)
	if err == nil {
		err = s.Err() // CopyFrom reports it; checked again in case it did not stop on it
	}
	if err != nil {
		return 0, err
	}
	if n != s.n {
		return 0, fmt.Errorf("COPY wrote %d rows of the %d read", n, s.n)
	}
	return n, nil
}

// copyBatchBytes bounds the bytes of files copyBlobs holds in memory between two COPYs.
const copyBatchBytes = 64 << 20

// copyBlobs copies the files of src, the source's blobs rows in the columns cols, into the
// target with COPY, cut as PutBlob cuts them (blobChunks): rows 0 to full-1 of blob_chunks
// full, the next ones small, the rest in blobs.data, under ids of blob_chunk_ids. The target's
// blobs and blob_chunks are empty (copyTable checked them), so the ids are 1, 2, … and the
// sequence is set after the last. Files are sent in batches of about copyBatchBytes, blobs
// rows then their chunks. It adds to *chunks the blob_chunks rows it wrote.
func copyBlobs(ctx context.Context, stx, dtx *Tx, cols []string, src *sql.Rows, chunks *int64, progress func(string)) (int64, error) {
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var blobRows, chunkRows [][]any
	var held, n, id int64
	flush := func() error {
		if len(blobRows) > 0 {
			if _, err := dtx.copyFrom(ctx, "blobs", []string{"digest", "data", "chunked"}, pgx.CopyFromRows(blobRows)); err != nil {
				return err
			}
		}
		if len(chunkRows) > 0 {
			if _, err := dtx.copyFrom(ctx, "blob_chunks", []string{"blob", "seq", "data"}, pgx.CopyFromRows(chunkRows)); err != nil {
				return err
			}
		}
		*chunks += int64(len(chunkRows))
		blobRows, chunkRows, held = blobRows[:0], chunkRows[:0], 0
		return nil
	}
	for src.Next() {
		for i := range vals {
			vals[i] = nil
		}
		if err := src.Scan(ptrs...); err != nil {
			return 0, err
		}
		key, data, err := sourceFile(ctx, stx, cols, vals)
		if err != nil {
			return 0, fmt.Errorf("row %d: %w", n+1, err)
		}
		full, small := blobChunks(len(data))
		if full+small == 0 {
			blobRows = append(blobRows, []any{key, data, nil})
		} else {
			id++
			tail := full*blobFullChunk + small*blobSmallChunk
			blobRows = append(blobRows, []any{key, data[tail:], id})
			off := 0
			for seq := range full + small {
				size := blobFullChunk
				if seq >= full {
					size = blobSmallChunk
				}
				chunkRows = append(chunkRows, []any{id, int32(seq), data[off : off+size]})
				off += size
			}
		}
		held += int64(len(data))
		n++
		if held >= copyBatchBytes {
			if err := flush(); err != nil {
				return 0, err
			}
		}
		if n%copyReportRows == 0 {
			progress(fmt.Sprintf("copying blobs: %d rows so far", n))
		}
	}
	if err := src.Err(); err != nil {
		return 0, err
	}
	if err := flush(); err != nil {
		return 0, err
	}
	if id > 0 {
		if _, err := dtx.tx.ExecContext(ctx, `SELECT setval('blob_chunk_ids', $1)`, id); err != nil {
			return 0, fmt.Errorf("continue the ids of blob_chunks: %w", err)
		}
	}
	return n, nil
}

// sourceFile returns the stored digest (fileDigest) and the content of a file of the source's
// blobs, whose row holds vals in the columns cols. A file the source keeps in chunks
// (blobs.go) is read whole from the source.
func sourceFile(ctx context.Context, stx *Tx, cols []string, vals []any) (key, data []byte, err error) {
	chunked := false
	var digest string
	for i, c := range cols {
		switch c {
		case "digest":
			switch v := vals[i].(type) {
			case string:
				digest = v
			case []byte:
				if err := (fileDigestText{&digest}).Scan(v); err != nil {
					return nil, nil, err
				}
			}
		case "data":
			switch v := vals[i].(type) {
			case []byte:
				data = v
			case string:
				data = []byte(v)
			}
		case "chunked":
			chunked = vals[i] != nil
		}
	}
	if digest == "" {
		return nil, nil, errors.New("a file without a digest")
	}
	if key, err = fileDigest(digest); err != nil {
		return nil, nil, err
	}
	if chunked {
		if data, err = stx.Blob(ctx, digest); err != nil {
			return nil, nil, err
		}
	}
	if data == nil {
		data = []byte{} // an empty (or erased) file, NOT NULL
	}
	return key, data, nil
}

// compareTable compares the rows of table in dtx, the copy, with those in stx, its source, as
// multisets: each row's values in the source's column order, integers as integers, text and
// bytes alike as bytes (the copy converts between them), and NULL apart from an empty value.
// Files are compared by digest and content, which blobs and blob_chunks hold in other rows on
// each side. total is the rows the copy wrote, which progress's reports count towards.
func compareTable(ctx context.Context, stx, dtx *Tx, table string, total int64, progress func(string)) error {
	if table == "blob_chunks" {
		return nil // compared with blobs
	}
	what, done := "rows", "read"
	if table == "blobs" {
		what, done = "files", "hashed"
	}
	if total == 1 {
		progress(fmt.Sprintf("comparing %s (1 %s)", table, strings.TrimSuffix(what, "s")))
	} else {
		progress(fmt.Sprintf("comparing %s (%d %s)", table, total, what))
	}
	// tick reports, at most every compareReportEvery, how many of side's rows are read.
	tick := func(side string) func(n int64) {
		last := time.Now()
		return func(n int64) {
			if now := time.Now(); now.Sub(last) >= compareReportEvery {
				last = now
				progress(fmt.Sprintf("comparing %s: %s %d of the %s %d %s", table, done, n, side, total, what))
			}
		}
	}
	var src, dst [][sha256.Size]byte
	var err error
	if table == "blobs" {
		src, err = fileHashes(ctx, stx, tick("source's"))
		if err == nil {
			dst, err = fileHashes(ctx, dtx, tick("copy's"))
		}
	} else {
		var cols []string
		if cols, err = strings1(ctx, stx, `SELECT name FROM pragma_table_info($1) ORDER BY cid`, table); err != nil {
			return err
		}
		q := `SELECT ` + strings.Join(cols, ", ") + ` FROM ` + table
		src, err = rowHashes(ctx, stx, q, len(cols), tick("source's"))
		if err == nil {
			dst, err = rowHashes(ctx, dtx, q, len(cols), tick("copy's"))
		}
	}
	if err != nil {
		return err
	}
	cmp := func(a, b [sha256.Size]byte) int { return bytes.Compare(a[:], b[:]) }
	slices.SortFunc(src, cmp)
	slices.SortFunc(dst, cmp)
	missing := 0
	for i, j := 0, 0; i < len(src); {
		if j < len(dst) {
			if c := cmp(src[i], dst[j]); c == 0 {
				i, j = i+1, j+1
				continue
			} else if c > 0 {
				j++
				continue
			}
		}
		missing, i = missing+1, i+1
	}
	if missing > 0 || len(src) != len(dst) {
		return fmt.Errorf("%d of the source's %d rows differ in the target, or are not in it (%d rows): %w", missing, len(src), len(dst), ErrCopyDiffers)
	}
	return nil
}

// ErrCopyDiffers means a copy's target does not hold what it was given.
var ErrCopyDiffers = errors.New("the copy differs from the source")

// rowHashes returns the SHA-256 of each row that query returns, its n values encoded as
// compareTable compares them, calling tick with the number of rows read after each.
func rowHashes(ctx context.Context, tx *Tx, query string, n int, tick func(int64)) ([][sha256.Size]byte, error) {
	rows, err := tx.tx.QueryContext(ctx, query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out [][sha256.Size]byte
	var b []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		b = b[:0]
		for _, v := range vals {
			switch v := v.(type) {
			case nil:
				b = append(b, 0)
			case int64:
				b = binary.BigEndian.AppendUint64(append(b, 1), uint64(v))
			case int32:
				b = binary.BigEndian.AppendUint64(append(b, 1), uint64(int64(v)))
			case []byte:
				b = append(binary.AppendUvarint(append(b, 2), uint64(len(v))), v...)
			case string:
				b = append(binary.AppendUvarint(append(b, 2), uint64(len(v))), v...)
			default:
				return nil, fmt.Errorf("a value of type %T, which the copy does not compare", v)
			}
		}
		out = append(out, sha256.Sum256(b))
		tick(int64(len(out)))
	}
	return out, rows.Err()
}

// fileHashes returns, for each file of blobs, the SHA-256 of its digest and the SHA-256 of
// its content, read whole (Blob), calling tick with the number of files hashed after each.
func fileHashes(ctx context.Context, tx *Tx, tick func(int64)) ([][sha256.Size]byte, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT digest FROM blobs`)
	if err != nil {
		return nil, err
	}
	var digests []string
	for rows.Next() {
		var d string
		if err := rows.Scan(fileDigestText{&d}); err != nil {
			rows.Close()
			return nil, err
		}
		digests = append(digests, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([][sha256.Size]byte, len(digests))
	for i, d := range digests {
		data, err := tx.Blob(ctx, d)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		out[i] = sha256.Sum256(append([]byte(d), sum[:]...))
		tick(int64(i + 1))
	}
	return out, nil
}

// ErrTargetNotEmpty means a copy's target already holds data.
var ErrTargetNotEmpty = errors.New("the target database is not empty")

// OpenPostgresTarget opens the PostgreSQL database at url as the target of CopyTo, and brings
// its schema up to date as OpenPostgres does, but only if no table of its schema holds a row:
// a database that holds anything (another application's tables, an office of an older schema,
// which the migrations would upgrade) is refused with ErrTargetNotEmpty and left untouched. An
// empty database, or one a failed copy left with Chancery's empty tables, is opened.
func OpenPostgresTarget(ctx context.Context, url string) (*DB, error) {
	return openPostgres(ctx, url, emptyTarget)
}

// CheckTargetEmpty returns ErrTargetNotEmpty when a table of dst's schema holds a row: after
// a copy that failed, whether its commit reached dst.
func CheckTargetEmpty(ctx context.Context, dst *DB) error { return emptyTarget(ctx, dst) }

// emptyTarget returns ErrTargetNotEmpty, naming a table, when a table of db's schema holds a
// row; the schema's version record does not count.
func emptyTarget(ctx context.Context, db *DB) error {
	rows, err := db.r.QueryContext(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
		AND tablename <> 'schema_version' ORDER BY tablename`)
	if err != nil {
		return fmt.Errorf("list the target's tables: %w", err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return fmt.Errorf("list the target's tables: %w", err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("list the target's tables: %w", err)
	}
	for _, n := range tables {
		var has bool
		if err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM `+pgx.Identifier{n}.Sanitize()+`)`).Scan(&has); err != nil {
			return fmt.Errorf("read the target's table %s: %w", n, err)
		}
		if has {
			return fmt.Errorf("its table %s holds rows: %w", n, ErrTargetNotEmpty)
		}
	}
	return nil
}

func mapKeys(m map[string]pgColumn) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Counts returns the rows of each of tables in a View or Update transaction.
func (t *Tx) Counts(ctx context.Context, tables []string) ([]TableCount, error) {
	out := make([]TableCount, len(tables))
	for i, table := range tables {
		out[i].Table = table
		if err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&out[i].Rows); err != nil {
			return nil, fmt.Errorf("count %s: %w", table, err)
		}
	}
	return out, nil
}
