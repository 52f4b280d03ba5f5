package store

import (
	"encoding/hex"
	"errors"
	"fmt"
)

// Digests are stored compact where a table holds one per row and is read by other columns
// (approvals and signatures, from migration 19; issue 19 item 5): a SHA-256 digest, written
// "sha256:" and 64 lowercase hex digits everywhere else, is stored as a tag byte and its 32
// bytes, 33 bytes instead of 71. Any other string, which the registry does not make but a
// row may hold, is stored as it is behind another tag, so every value reads back exactly.
// The store converts at its boundary: callers see the text form only.
const (
	digestText   = 0x00 // the string's bytes follow
	digestSHA256 = 0x01 // the 32 bytes of a "sha256:" digest follow
)

const sha256Prefix = "sha256:"

// packDigest returns the stored form of a digest.
func packDigest(d string) []byte {
	if len(d) == len(sha256Prefix)+64 && d[:len(sha256Prefix)] == sha256Prefix && isLowerHex(d[len(sha256Prefix):]) {
		b := make([]byte, 33)
		b[0] = digestSHA256
		hex.Decode(b[1:], []byte(d[len(sha256Prefix):]))
		return b
	}
	return append([]byte{digestText}, d...)
}

// unpackDigest returns the digest stored as b.
func unpackDigest(b []byte) (string, error) {
	switch {
	case len(b) == 33 && b[0] == digestSHA256:
		return sha256Prefix + hex.EncodeToString(b[1:]), nil
	case len(b) > 0 && b[0] == digestText:
		return string(b[1:]), nil
	}
	return "", fmt.Errorf("stored digest %x: %w", b, errBadDigest)
}

var errBadDigest = errors.New("not a stored digest")

// isLowerHex reports whether s is all lowercase hexadecimal digits: only those round-trip
// through their bytes.
func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Migration 19 converts the digests already stored, in SQL, to the same stored form; these
// are the expressions for a text column col in each dialect. A canonical digest's 64 digits
// are checked to be lowercase hex of the full length before they are decoded.
func packDigestSQLite(col string) string {
	return `unhex(CASE WHEN length(` + col + `) = 71 AND substr(` + col + `, 1, 7) = 'sha256:' AND substr(` + col + `, 8) NOT GLOB '*[^0-9a-f]*'
		THEN '01' || substr(` + col + `, 8) ELSE '00' || hex(` + col + `) END)`
}

func packDigestPostgres(col string) string {
	return `CASE WHEN ` + col + ` ~ '^sha256:[0-9a-f]{64}$'
		THEN decode('01' || substr(` + col + `, 8), 'hex') ELSE '\x00'::bytea || convert_to(` + col + `, 'UTF8') END`
}

// unpackDigests unpacks a row's version and policy digests.
func unpackDigests(version, policy []byte) (v, p string, err error) {
	if v, err = unpackDigest(version); err != nil {
		return "", "", err
	}
	if p, err = unpackDigest(policy); err != nil {
		return "", "", err
	}
	return v, p, nil
}

// Migration 19: the digests of approvals and signatures in their compact form. SQLite copies
// the two tables (their ids kept: adopted policies count evidence by them); PostgreSQL
// changes the columns' types in place.
var compactDigestsSQLite = `
CREATE TABLE approvals_v19 (
	id             INTEGER PRIMARY KEY,
	letter_id      INTEGER NOT NULL REFERENCES letters (id),
	version_digest BLOB    NOT NULL,      -- packed (store, digest.go)
	policy_digest  BLOB    NOT NULL,
	member_id      INTEGER NOT NULL REFERENCES members (id),
	role           TEXT    NOT NULL,
	decision       TEXT    NOT NULL CHECK (decision IN ('approve', 'reject')),
	comment        TEXT    NOT NULL,
	created_at     TEXT    NOT NULL
);
INSERT INTO approvals_v19 (id, letter_id, version_digest, policy_digest, member_id, role, decision, comment, created_at)
SELECT id, letter_id, ` + packDigestSQLite("version_digest") + `, ` + packDigestSQLite("policy_digest") + `,
	member_id, role, decision, comment, created_at FROM approvals;
DROP TABLE approvals;
ALTER TABLE approvals_v19 RENAME TO approvals;
CREATE INDEX approvals_by_letter ON approvals (letter_id);

CREATE TABLE signatures_v19 (
	id             INTEGER PRIMARY KEY,
	letter_id      INTEGER NOT NULL REFERENCES letters (id),
	version_digest BLOB    NOT NULL,      -- packed (store, digest.go)
	policy_digest  BLOB    NOT NULL,
	member_id      INTEGER NOT NULL REFERENCES members (id),
	keyid          TEXT    NOT NULL REFERENCES signer_keys (keyid),
	sig            BLOB    NOT NULL,
	created_at     TEXT    NOT NULL
);
INSERT INTO signatures_v19 (id, letter_id, version_digest, policy_digest, member_id, keyid, sig, created_at)
SELECT id, letter_id, ` + packDigestSQLite("version_digest") + `, ` + packDigestSQLite("policy_digest") + `,
	member_id, keyid, sig, created_at FROM signatures;
DROP TABLE signatures;
ALTER TABLE signatures_v19 RENAME TO signatures;
CREATE INDEX signatures_by_letter ON signatures (letter_id);
`

var compactDigestsPostgres = `
ALTER TABLE approvals
	ALTER COLUMN version_digest TYPE BYTEA USING ` + packDigestPostgres("version_digest") + `,
	ALTER COLUMN policy_digest TYPE BYTEA USING ` + packDigestPostgres("policy_digest") + `;
ALTER TABLE signatures
	ALTER COLUMN version_digest TYPE BYTEA USING ` + packDigestPostgres("version_digest") + `,
	ALTER COLUMN policy_digest TYPE BYTEA USING ` + packDigestPostgres("policy_digest") + `;
`

// Files' digests are stored as their 32 bytes (migration 29; issue 19 item 5, twelfth pass)
// in blobs (its key), versions and releases: every file the store keeps is named by its
// SHA-256, written "sha256:" and 64 lowercase hex digits, and those columns hold nothing
// else. The store converts at its boundary, as for approvals and signatures: callers give and
// get the text form. A digest of another form is refused before anything is written, and
// looked up it matches no row, as it matched none before.

// ErrFileDigest is wrapped by the error of a write given a file digest that is not "sha256:"
// and 64 lowercase hex digits.
var ErrFileDigest = errors.New(`not a file digest ("sha256:" and 64 lowercase hex digits)`)

// fileDigest returns the stored form of a file's digest, its 32 bytes.
func fileDigest(d string) ([]byte, error) {
	if len(d) != len(sha256Prefix)+64 || d[:len(sha256Prefix)] != sha256Prefix || !isLowerHex(d[len(sha256Prefix):]) {
		return nil, fmt.Errorf("file digest %q: %w", d, ErrFileDigest)
	}
	b := make([]byte, 32)
	hex.Decode(b, []byte(d[len(sha256Prefix):]))
	return b, nil
}

// fileDigestKey returns the stored form of a file's digest looked up: nil, which matches no
// row, for a digest of another form.
func fileDigestKey(d string) []byte {
	b, _ := fileDigest(d)
	return b
}

// fileDigestText scans a stored file digest into its text form; NULL (an outer join's
// missing row) scans as "".
type fileDigestText struct{ s *string }

// Scan implements sql.Scanner.
func (f fileDigestText) Scan(src any) error {
	switch b := src.(type) {
	case nil:
		*f.s = ""
		return nil
	case []byte:
		if len(b) == 32 {
			*f.s = sha256Prefix + hex.EncodeToString(b)
			return nil
		}
	}
	return fmt.Errorf("stored file digest %x: %w", src, errBadDigest)
}

// Migration 29: files' digests as their 32 bytes. SQLite cannot change a column's type, and
// with foreign keys enforced it cannot drop a table that others reference: the tables are
// copied, with the two that reference versions and releases (fingerprints, withdrawals), each
// new one referencing the new ones; the old ones are dropped children first, and renaming the
// new ones renames the references to them. Rows keep their ids (blobs' rowids, and
// fingerprints' ids, the identification index's document ids). A stored file digest of another
// form fails the migration (a temporary trigger names the cause); versions and releases hold
// only digests that blobs holds (their foreign keys).
var fileDigestsSQLite = `
CREATE TABLE blobs_v29 (
	digest  BLOB    NOT NULL PRIMARY KEY CHECK (length(digest) = 32), -- SHA-256 of data (store, digest.go)
	data    BLOB    NOT NULL,
	chunked INTEGER                       -- blob_chunks.blob of a file kept in chunks
);
CREATE TEMP TRIGGER blobs_v29_digest BEFORE INSERT ON blobs_v29 WHEN NEW.digest IS NULL
BEGIN SELECT RAISE(ABORT, 'a stored file digest is not "sha256:" and 64 lowercase hex digits'); END;
INSERT INTO blobs_v29 (rowid, digest, data, chunked) SELECT rowid, ` + unhexFileDigestSQLite("digest") + `, data, chunked FROM blobs;
CREATE TABLE versions_v29 (
	letter_id  INTEGER NOT NULL REFERENCES letters (id),
	n          INTEGER NOT NULL,
	digest     BLOB    NOT NULL REFERENCES blobs_v29 (digest),
	media_type TEXT    NOT NULL,
	file_name  TEXT    NOT NULL,
	size       INTEGER NOT NULL,
	created_by INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL,
	PRIMARY KEY (letter_id, n)
);
INSERT INTO versions_v29 (letter_id, n, digest, media_type, file_name, size, created_by, created_at)
SELECT letter_id, n, ` + unhexFileDigestSQLite("digest") + `, media_type, file_name, size, created_by, created_at FROM versions;
CREATE TABLE releases_v29 (
	letter_id       INTEGER PRIMARY KEY REFERENCES letters (id),
	version_n       INTEGER NOT NULL,
	file_digest     BLOB    NOT NULL UNIQUE REFERENCES blobs_v29 (digest),
	file_name       TEXT    NOT NULL,
	media_type      TEXT    NOT NULL,
	log_index       INTEGER NOT NULL UNIQUE,
	entry           BLOB    NOT NULL,     -- the release log entry (store, entry_pack.go)
	released_by     INTEGER NOT NULL REFERENCES members (id),
	released_at     TEXT    NOT NULL,
	check_code_hash BLOB,
	erased_at       TEXT
);
INSERT INTO releases_v29 (letter_id, version_n, file_digest, file_name, media_type, log_index, entry, released_by, released_at, check_code_hash, erased_at)
SELECT letter_id, version_n, ` + unhexFileDigestSQLite("file_digest") + `, file_name, media_type, log_index, entry, released_by, released_at, check_code_hash, erased_at FROM releases;
CREATE TABLE withdrawals_v29 (
	letter_id  INTEGER PRIMARY KEY REFERENCES releases_v29 (letter_id),
	kind       TEXT    NOT NULL CHECK (kind IN ('retraction', 'supersession')),
	by_letter  INTEGER REFERENCES releases_v29 (letter_id),
	reason     TEXT    NOT NULL,
	log_index  INTEGER NOT NULL UNIQUE,
	entry      BLOB    NOT NULL,
	member_id  INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL
);
INSERT INTO withdrawals_v29 SELECT letter_id, kind, by_letter, reason, log_index, entry, member_id, created_at FROM withdrawals;
CREATE TABLE fingerprints_v29 (
	id        INTEGER PRIMARY KEY,
	letter_id INTEGER NOT NULL,
	version_n INTEGER NOT NULL,
	released  INTEGER NOT NULL DEFAULT 0,
	data      BLOB,
	UNIQUE (letter_id, version_n, released),
	FOREIGN KEY (letter_id, version_n) REFERENCES versions_v29 (letter_id, n)
);
INSERT INTO fingerprints_v29 (id, letter_id, version_n, released, data) SELECT id, letter_id, version_n, released, data FROM fingerprints;
DROP TRIGGER temp.blobs_v29_digest;
DROP TABLE fingerprints;
DROP TABLE withdrawals;
DROP TABLE versions;
DROP TABLE releases;
DROP TABLE blobs;
ALTER TABLE blobs_v29 RENAME TO blobs;
ALTER TABLE versions_v29 RENAME TO versions;
ALTER TABLE releases_v29 RENAME TO releases;
ALTER TABLE withdrawals_v29 RENAME TO withdrawals;
ALTER TABLE fingerprints_v29 RENAME TO fingerprints;
CREATE INDEX versions_by_digest ON versions (digest);
`

// unhexFileDigestSQLite is the 32 bytes of the digest in the text column col, NULL for text of
// another form.
func unhexFileDigestSQLite(col string) string {
	return `CASE WHEN length(` + col + `) = 71 AND substr(` + col + `, 1, 7) = 'sha256:' AND substr(` + col + `, 8) NOT GLOB '*[^0-9a-f]*'
		THEN unhex(substr(` + col + `, 8)) END`
}

// fileDigestsPostgres is migration 29 on PostgreSQL: the columns change type in place, the
// foreign keys set aside while they do. A stored file digest of another form fails it.
var fileDigestsPostgres = `
DO $$ DECLARE d TEXT; BEGIN
	SELECT digest INTO d FROM blobs WHERE digest !~ '^sha256:[0-9a-f]{64}$' LIMIT 1;
	IF FOUND THEN RAISE EXCEPTION 'the stored file digest "%" is not "sha256:" and 64 lowercase hex digits', d; END IF;
END $$;
ALTER TABLE versions DROP CONSTRAINT versions_digest_fkey;
ALTER TABLE releases DROP CONSTRAINT releases_file_digest_fkey;
ALTER TABLE blobs ALTER COLUMN digest TYPE BYTEA USING ` + decodeFileDigestPostgres("digest") + `;
ALTER TABLE versions ALTER COLUMN digest TYPE BYTEA USING ` + decodeFileDigestPostgres("digest") + `;
ALTER TABLE releases ALTER COLUMN file_digest TYPE BYTEA USING ` + decodeFileDigestPostgres("file_digest") + `;
ALTER TABLE blobs ADD CONSTRAINT blobs_digest_size CHECK (octet_length(digest) = 32);
ALTER TABLE versions ADD CONSTRAINT versions_digest_fkey FOREIGN KEY (digest) REFERENCES blobs (digest);
ALTER TABLE releases ADD CONSTRAINT releases_file_digest_fkey FOREIGN KEY (file_digest) REFERENCES blobs (digest);
`

// decodeFileDigestPostgres is the 32 bytes of the digest in the text column col, NULL for
// text of another form.
func decodeFileDigestPostgres(col string) string {
	return `CASE WHEN ` + col + ` ~ '^sha256:[0-9a-f]{64}$' THEN decode(substr(` + col + `, 8), 'hex') END`
}
