package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Files on PostgreSQL are kept in rows of their own (issue 19 item 5). TOAST cuts a value into
// chunks of 1,996 bytes, each a tuple with its header, line pointer and an entry in the TOAST
// index: about 4.5% of every file, 12 KB of a letter of two 130 KB files. A file's rows in
// blob_chunks are as many full rows of blobFullChunk bytes as it holds, each filling one 8 KiB
// page exactly (tuple header 24, blob 8, seq 4, the bytea's header 4: 8,160 bytes, PostgreSQL's
// largest heap tuple), then up to three rows of blobSmallChunk bytes, four of which fill a
// page exactly; storage PLAIN, so that PostgreSQL neither compresses nor moves them out of
// line. The rest, under blobSmallChunk bytes, stays in blobs.data, where such tails of many
// files share pages (blobs' toast_tuple_target keeps them inline). A tail of several KB in a
// row of its own would leave the rest of its page empty: next to a full row nothing fits, and
// rows of one fixed size (a form's files) pair badly.
//
// On SQLite a file's first bytes, those its row keeps in the b-tree page beside the pointer to
// its overflow pages, were the problem (migration 23): that local part is between 489 and
// 4,061 bytes of a 4 KiB page, depending on the file's length, and parts of such sizes pack
// badly, 1.4 KB a letter unused in the leaf pages. So a file of sqliteSmallChunk bytes or more
// is kept in blob_chunks as well: first one row whose record is exactly the minimum local part
// plus whole overflow pages (sqliteLayout), so that it keeps 489 bytes in its leaf page and
// fills every overflow page, then rows of sqliteSmallChunk bytes, four to a page, and the last
// bytes, under sqliteSmallChunk, in blobs.data. blob_chunks is WITHOUT ROWID on SQLite (its key
// is the row: no second b-tree for the primary key).
//
// Both backends have the same tables and columns, and reading (Blob) is the same on both: a
// file whose blobs.chunked is set is its chunks in seq order, then blobs.data.
const (
	blobFullChunk = 8120
	// blobSmallChunk: four tuples of 24 + 8 + 4 + 4 + 1,992 = 2,032 bytes and their line
	// pointers fill the 8,168 bytes after the page header.
	blobSmallChunk = 1992
)

// blobChunks returns how many full and small rows of blob_chunks a file of n bytes takes on
// PostgreSQL; what is left stays in blobs.data.
func blobChunks(n int) (full, small int) {
	full = n / blobFullChunk
	return full, n % blobFullChunk / blobSmallChunk
}

// blobsSQLite and blobsPostgres are migration 22. Files stored before it stay inline (TOAST)
// and are read as before: converting them would copy every file of the office in one
// transaction.
const blobsSQLite = `
ALTER TABLE blobs ADD COLUMN chunked INTEGER;  -- blob_chunks.blob of a file kept in chunks
CREATE TABLE blob_chunks (
	blob INTEGER NOT NULL,
	seq  INTEGER NOT NULL,
	data BLOB    NOT NULL,
	PRIMARY KEY (blob, seq)
);
`

const blobsPostgres = `
ALTER TABLE blobs ADD COLUMN chunked BIGINT;
ALTER TABLE blobs SET (toast_tuple_target = 8160);
CREATE SEQUENCE blob_chunk_ids;
CREATE TABLE blob_chunks (
	blob BIGINT  NOT NULL,
	seq  INTEGER NOT NULL,
	data BYTEA   NOT NULL,
	PRIMARY KEY (blob, seq)
);
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE PLAIN;
`

// blobsFillSQLite and blobsFillPostgres are migration 23. On SQLite blob_chunks is made again
// WITHOUT ROWID (SQLite kept every file inline until now, so it is empty and this is quick);
// files written from then on are cut as sqliteLayout cuts them. Files stored before stay where
// they are and are read as before, on both backends: converting them would copy every file of
// the office at the first start, in one transaction, and on SQLite the freed pages would stay
// in the file until it is compacted (a backup and restore), so an old office would grow first.
const blobsFillSQLite = `
CREATE TABLE blob_chunks_23 (
	blob INTEGER NOT NULL,
	seq  INTEGER NOT NULL,
	data BLOB    NOT NULL,
	PRIMARY KEY (blob, seq)
) WITHOUT ROWID;
INSERT INTO blob_chunks_23 (blob, seq, data) SELECT blob, seq, data FROM blob_chunks;
DROP TABLE blob_chunks;
ALTER TABLE blob_chunks_23 RENAME TO blob_chunks;
`

// blobsFillPostgres changes nothing: PostgreSQL has cut new files into rows since migration 22.
const blobsFillPostgres = `-- nothing to change on PostgreSQL`

// sqliteSmallChunk is the size of blob_chunks' short rows on SQLite: a record of at most 6 +
// 980 + the blob's id (up to 8 bytes) stays under the 1,002 bytes an index page keeps of a
// cell (4 KiB pages), and four such cells fill a page.
const sqliteSmallChunk = 980

// sqliteLayout returns how a SQLite store with pages of pageSize bytes keeps a file of n
// bytes whose blobs row has the given id: bulk bytes in a first row of blob_chunks (0: none),
// then small rows of sqliteSmallChunk bytes, then the rest in blobs.data. The first row's
// record (its header, the id, seq 0 in no bytes, then the data) is the minimum a b-tree cell
// keeps in its page plus a whole number of overflow pages, the largest that the file fills.
func sqliteLayout(n int, id int64, pageSize int) (bulk, small int) {
	if n < sqliteSmallChunk {
		return 0, 0
	}
	minLocal, perPage := (pageSize-12)*32/255-23, pageSize-4
	fixed := 3 + intBytes(id) // header size, serial types of blob and seq, the id's bytes
	for k := (fixed + varintLen(2*n+12) + n - minLocal) / perPage; k >= 1 && bulk == 0; k-- {
		p := minLocal + k*perPage
		for v := 1; v <= 9; v++ {
			if l := p - fixed - v; l <= n && varintLen(2*l+12) == v {
				bulk = l
				break
			}
		}
	}
	return bulk, (n - bulk) / sqliteSmallChunk
}

// intBytes is the size of an integer in a SQLite record (file format 4).
func intBytes(v int64) int {
	switch {
	case v == 0 || v == 1:
		return 0
	case v >= -128 && v <= 127:
		return 1
	case v >= -32768 && v <= 32767:
		return 2
	case v >= -8388608 && v <= 8388607:
		return 3
	case v >= -2147483648 && v <= 2147483647:
		return 4
	case v >= -140737488355328 && v <= 140737488355327:
		return 6
	}
	return 8
}

// erasedBlob is the condition on a row of blobs that an erasure emptied (EraseLetter): no
// bytes, no chunks. The empty file's own row reads so too, and filling it changes nothing.
const erasedBlob = `length(blobs.data) = 0 AND blobs.chunked IS NULL`

// varintLen is the size of SQLite's varint of v >= 0.
func varintLen(v int) int {
	n := 1
	for ; v >= 0x80 && n < 9; v >>= 7 {
		n++
	}
	return n
}

// PutBlob stores data under its digest, "sha256:" and 64 lowercase hex digits (ErrFileDigest
// otherwise); storing the same digest twice is a no-op, except that a file erased (its row
// emptied, EraseLetter) and stored again, as a new letter's, is filled again.
func (t *Tx) PutBlob(ctx context.Context, digest string, data []byte) error {
	key, err := fileDigest(digest)
	if err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	if t.dialect != Postgres {
		return t.putBlobSQLite(ctx, key, data)
	}
	full, small := blobChunks(len(data))
	if full+small == 0 {
		_, err := t.exec(ctx, `INSERT INTO blobs (digest, data) VALUES ($1, $2)
			ON CONFLICT (digest) DO UPDATE SET data = excluded.data WHERE `+erasedBlob, key, data)
		if err != nil {
			return fmt.Errorf("put blob: %w", err)
		}
		return nil
	}
	var id int64
	err = t.queryRow(ctx, `INSERT INTO blobs (digest, data, chunked) VALUES ($1, $2, nextval('blob_chunk_ids'))
		ON CONFLICT (digest) DO UPDATE SET data = excluded.data, chunked = excluded.chunked WHERE `+erasedBlob+` RETURNING chunked`, key, data[full*blobFullChunk+small*blobSmallChunk:]).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // stored already
	}
	if err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	// The file is sent once and cut into rows by the server: rows 0 to full-1 are full, the
	// next small ones small.
	_, err = t.exec(ctx, `INSERT INTO blob_chunks (blob, seq, data)
		SELECT $1::bigint, g, CASE WHEN g < $4::integer THEN substring($2::bytea FROM g * $3::integer + 1 FOR $3::integer)
			ELSE substring($2::bytea FROM $4::integer * $3::integer + (g - $4::integer) * $5::integer + 1 FOR $5::integer) END
		FROM generate_series(0, $4::integer + $6::integer - 1) AS g`,
		id, data, blobFullChunk, full, blobSmallChunk, small)
	if err != nil {
		return fmt.Errorf("put blob: chunks: %w", err)
	}
	return nil
}

// putBlobSQLite keeps a file of sqliteSmallChunk bytes or more in rows of blob_chunks (see
// sqliteLayout), under the rowid of its blobs row, and a shorter one inline; key is the
// digest's stored form.
func (t *Tx) putBlobSQLite(ctx context.Context, key, data []byte) error {
	if len(data) < sqliteSmallChunk {
		_, err := t.exec(ctx, `INSERT INTO blobs (digest, data) VALUES ($1, $2)
			ON CONFLICT (digest) DO UPDATE SET data = excluded.data WHERE `+erasedBlob, key, data)
		if err != nil {
			return fmt.Errorf("put blob: %w", err)
		}
		return nil
	}
	// The layout depends on the id's width, so the id is chosen first: the write transaction
	// is the only writer, and blobs rows are never deleted (erasure empties them). An emptied
	// row is filled again under its own rowid, whose chunks its erasure deleted.
	var id, pageSize int64
	err := t.queryRow(ctx, `SELECT rowid, (SELECT page_size FROM pragma_page_size()) FROM blobs WHERE digest = $1 AND `+erasedBlob, key).Scan(&id, &pageSize)
	if errors.Is(err, sql.ErrNoRows) {
		err = t.queryRow(ctx, `SELECT coalesce(max(rowid), 0) + 1, (SELECT page_size FROM pragma_page_size()) FROM blobs`).Scan(&id, &pageSize)
	}
	if err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	bulk, small := sqliteLayout(len(data), id, int(pageSize))
	res, err := t.exec(ctx, `INSERT INTO blobs (rowid, digest, data, chunked) VALUES ($1, $2, $3, $1)
		ON CONFLICT (digest) DO UPDATE SET data = excluded.data, chunked = excluded.chunked WHERE `+erasedBlob,
		id, key, data[bulk+small*sqliteSmallChunk:])
	if err != nil {
		return fmt.Errorf("put blob: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("put blob: %w", err)
	} else if n == 0 {
		return nil // stored already
	}
	seq, off := 0, 0
	put := func(n int) error {
		_, err := t.exec(ctx, `INSERT INTO blob_chunks (blob, seq, data) VALUES ($1, $2, $3)`, id, seq, data[off:off+n])
		seq, off = seq+1, off+n
		if err != nil {
			return fmt.Errorf("put blob: chunks: %w", err)
		}
		return nil
	}
	if bulk > 0 {
		if err := put(bulk); err != nil {
			return err
		}
	}
	for range small {
		if err := put(sqliteSmallChunk); err != nil {
			return err
		}
	}
	return nil
}

// Blob returns the data stored under digest; ErrNotFound for a digest of another form than
// "sha256:" and 64 lowercase hex digits, as for one not stored.
func (t *Tx) Blob(ctx context.Context, digest string) ([]byte, error) {
	// The row of blobs first (the whole file, or the tail of one kept in chunks), then the
	// chunks in order; each row's bytes come once.
	rows, err := t.query(ctx, `SELECT 0, 0, data FROM blobs WHERE digest = $1
		UNION ALL SELECT 1, c.seq, c.data FROM blobs b JOIN blob_chunks c ON c.blob = b.chunked WHERE b.digest = $1
		ORDER BY 1, 2`, fileDigestKey(digest))
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", digest, err)
	}
	defer rows.Close()
	var tail, data []byte
	found := false
	for rows.Next() {
		var part, seq int64
		var b []byte
		if err := rows.Scan(&part, &seq, &b); err != nil {
			return nil, fmt.Errorf("blob %s: %w", digest, err)
		}
		if part == 0 {
			tail, found = b, true
		} else {
			data = append(data, b...)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("blob %s: %w", digest, err)
	}
	if !found {
		return nil, notFound(sql.ErrNoRows, "blob "+digest)
	}
	if data == nil {
		if tail == nil {
			return []byte{}, nil
		}
		return tail, nil
	}
	return append(data, tail...), nil
}
