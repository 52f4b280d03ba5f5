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
