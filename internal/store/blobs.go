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
// SQLite keeps files inline in blobs.data: its overflow pages cost 4 bytes of 4 KiB, and rows of
// a page each would cost more. Both backends have the same tables and columns, and reading
// (Blob) is the same on both: a file whose blobs.chunked is set is its chunks in seq order,
// then blobs.data.
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

// PutBlob stores data under its digest; storing the same digest twice is a no-op.
func (t *Tx) PutBlob(ctx context.Context, digest string, data []byte) error {
	full, small := blobChunks(len(data))
	if t.dialect != Postgres || full+small == 0 {
		_, err := t.exec(ctx, `INSERT INTO blobs (digest, data) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING`, digest, data)
		if err != nil {
			return fmt.Errorf("put blob: %w", err)
		}
		return nil
	}
	var id int64
	err := t.queryRow(ctx, `INSERT INTO blobs (digest, data, chunked) VALUES ($1, $2, nextval('blob_chunk_ids'))
		ON CONFLICT (digest) DO NOTHING RETURNING chunked`, digest, data[full*blobFullChunk+small*blobSmallChunk:]).Scan(&id)
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

// Blob returns the data stored under digest.
func (t *Tx) Blob(ctx context.Context, digest string) ([]byte, error) {
	// The row of blobs first (the whole file, or the tail of one kept in chunks), then the
	// chunks in order; each row's bytes come once.
	rows, err := t.query(ctx, `SELECT 0, 0, data FROM blobs WHERE digest = $1
		UNION ALL SELECT 1, c.seq, c.data FROM blobs b JOIN blob_chunks c ON c.blob = b.chunked WHERE b.digest = $1
		ORDER BY 1, 2`, digest)
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
