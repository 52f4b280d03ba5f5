package store

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// migration is one step of the schema, applied in order and recorded in schema_version.
// Steps are never edited once released: a change is a new step. Each step is written once per
// backend, in that backend's dialect; both must leave the same tables, columns and constraints.
// A new SQLite database is made in one go from what the steps leave (sqliteSchema); after a new
// step, TestSQLiteSchemaIsMigrations fails until schema_sqlite.sql is written again.
type migration struct {
	sqlite   string
	postgres string
}

var migrations = []migration{
	// 1: the transparency log.
	{sqlite: `
CREATE TABLE log_head (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	origin     TEXT    NOT NULL,
	size       INTEGER NOT NULL,
	root       BLOB    NOT NULL,
	checkpoint BLOB    NOT NULL
);
-- Hash tiles (level >= 0) and entry bundles (level = -1), as in C2SP tlog-tiles. Each row
-- holds the widest version of the tile written so far; narrower partial tiles are its prefixes.
CREATE TABLE log_tiles (
	level INTEGER NOT NULL,
	idx   INTEGER NOT NULL,
	width INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
	data  BLOB    NOT NULL,
	PRIMARY KEY (level, idx)
) WITHOUT ROWID;
`, postgres: `
CREATE TABLE log_head (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	origin     TEXT    NOT NULL,
	size       BIGINT  NOT NULL,
	root       BYTEA   NOT NULL,
	checkpoint BYTEA   NOT NULL
);
CREATE TABLE log_tiles (
	level INTEGER NOT NULL,
	idx   BIGINT  NOT NULL,
	width INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
	data  BYTEA   NOT NULL,
	PRIMARY KEY (level, idx)
);
`},
	// 2: the registry: members, signer keys, letters and their lifecycle, audit events.
	{sqlite: `
CREATE TABLE members (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL UNIQUE,
	roles      TEXT    NOT NULL,          -- comma-separated
	token_hash BLOB    NOT NULL UNIQUE,   -- SHA-256 of the bearer token
	created_at TEXT    NOT NULL
);
CREATE TABLE signer_keys (
	keyid         TEXT    PRIMARY KEY,
	member_id     INTEGER NOT NULL REFERENCES members (id),
	public_key    BLOB    NOT NULL,
	added_index   INTEGER NOT NULL,       -- log index of the key-added entry
	created_at    TEXT    NOT NULL,
	revoked_index INTEGER,                -- log index of the key-revoked entry
	revoked_at    TEXT
);
CREATE TABLE counters (
	name  TEXT    PRIMARY KEY,
	value INTEGER NOT NULL
);
CREATE TABLE blobs (
	digest TEXT PRIMARY KEY,              -- sha256:<hex> of data
	data   BLOB NOT NULL
);
CREATE TABLE letters (
	id         INTEGER PRIMARY KEY,
	reference  TEXT    NOT NULL UNIQUE,
	subject    TEXT    NOT NULL,
	class      TEXT    NOT NULL,
	tags       TEXT    NOT NULL,          -- JSON array
	addressees TEXT    NOT NULL,          -- JSON array
	author_id  INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL
);
CREATE TABLE versions (
	letter_id  INTEGER NOT NULL REFERENCES letters (id),
	n          INTEGER NOT NULL,
	digest     TEXT    NOT NULL REFERENCES blobs (digest),
	media_type TEXT    NOT NULL,
	file_name  TEXT    NOT NULL,
	size       INTEGER NOT NULL,
	created_by INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL,
	PRIMARY KEY (letter_id, n)
);
CREATE INDEX versions_by_digest ON versions (digest);
CREATE TABLE approvals (
	id             INTEGER PRIMARY KEY,
	letter_id      INTEGER NOT NULL REFERENCES letters (id),
	version_digest TEXT    NOT NULL,
	policy_digest  TEXT    NOT NULL,
	member_id      INTEGER NOT NULL REFERENCES members (id),
	role           TEXT    NOT NULL,
	decision       TEXT    NOT NULL CHECK (decision IN ('approve', 'reject')),
	comment        TEXT    NOT NULL,
	created_at     TEXT    NOT NULL
);
CREATE INDEX approvals_by_letter ON approvals (letter_id, version_digest);
CREATE TABLE signatures (
	id             INTEGER PRIMARY KEY,
	letter_id      INTEGER NOT NULL REFERENCES letters (id),
	version_digest TEXT    NOT NULL,
	policy_digest  TEXT    NOT NULL,
	member_id      INTEGER NOT NULL REFERENCES members (id),
	keyid          TEXT    NOT NULL REFERENCES signer_keys (keyid),
	sig            BLOB    NOT NULL,
	created_at     TEXT    NOT NULL,
	UNIQUE (letter_id, version_digest, keyid)
);
CREATE TABLE releases (
	letter_id   INTEGER PRIMARY KEY REFERENCES letters (id),
	version_n   INTEGER NOT NULL,
	file_digest TEXT    NOT NULL UNIQUE REFERENCES blobs (digest),
	file_name   TEXT    NOT NULL,
	media_type  TEXT    NOT NULL,
	log_index   INTEGER NOT NULL UNIQUE,
	entry       BLOB    NOT NULL,         -- the release log entry
	released_by INTEGER NOT NULL REFERENCES members (id),
	released_at TEXT    NOT NULL
);
-- A retraction or supersession of a released letter: at most one per letter.
CREATE TABLE withdrawals (
	letter_id  INTEGER PRIMARY KEY REFERENCES releases (letter_id),
	kind       TEXT    NOT NULL CHECK (kind IN ('retraction', 'supersession')),
	by_letter  INTEGER REFERENCES releases (letter_id),
	reason     TEXT    NOT NULL,
	log_index  INTEGER NOT NULL UNIQUE,
	entry      BLOB    NOT NULL,
	member_id  INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL
);
CREATE TABLE draft_exports (
	id         INTEGER PRIMARY KEY,
	letter_id  INTEGER NOT NULL REFERENCES letters (id),
	version_n  INTEGER NOT NULL,
	recipient  TEXT    NOT NULL,
	digest     TEXT    NOT NULL,          -- of the exported bytes
	member_id  INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL
);
CREATE INDEX draft_exports_by_digest ON draft_exports (digest);
CREATE TABLE audit_events (
	id        INTEGER PRIMARY KEY,
	time      TEXT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	reference TEXT NOT NULL,
	detail    TEXT NOT NULL,
	remote    TEXT NOT NULL
);
CREATE INDEX audit_by_reference ON audit_events (reference, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
`, postgres: `
CREATE TABLE members (
	id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	name       TEXT   NOT NULL UNIQUE,
	roles      TEXT   NOT NULL,
	token_hash BYTEA  NOT NULL UNIQUE,
	created_at TEXT   NOT NULL
);
CREATE TABLE signer_keys (
	keyid         TEXT   PRIMARY KEY,
	member_id     BIGINT NOT NULL REFERENCES members (id),
	public_key    BYTEA  NOT NULL,
	added_index   BIGINT NOT NULL,
	created_at    TEXT   NOT NULL,
	revoked_index BIGINT,
	revoked_at    TEXT
);
CREATE TABLE counters (
	name  TEXT   PRIMARY KEY,
	value BIGINT NOT NULL
);
CREATE TABLE blobs (
	digest TEXT  PRIMARY KEY,
	data   BYTEA NOT NULL
);
CREATE TABLE letters (
	id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	reference  TEXT   NOT NULL UNIQUE,
	subject    TEXT   NOT NULL,
	class      TEXT   NOT NULL,
	tags       TEXT   NOT NULL,
	addressees TEXT   NOT NULL,
	author_id  BIGINT NOT NULL REFERENCES members (id),
	created_at TEXT   NOT NULL
);
CREATE TABLE versions (
	letter_id  BIGINT  NOT NULL REFERENCES letters (id),
	n          INTEGER NOT NULL,
	digest     TEXT    NOT NULL REFERENCES blobs (digest),
	media_type TEXT    NOT NULL,
	file_name  TEXT    NOT NULL,
	size       BIGINT  NOT NULL,
	created_by BIGINT  NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL,
	PRIMARY KEY (letter_id, n)
);
CREATE INDEX versions_by_digest ON versions (digest);
CREATE TABLE approvals (
	id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	letter_id      BIGINT NOT NULL REFERENCES letters (id),
	version_digest TEXT   NOT NULL,
	policy_digest  TEXT   NOT NULL,
	member_id      BIGINT NOT NULL REFERENCES members (id),
	role           TEXT   NOT NULL,
	decision       TEXT   NOT NULL CHECK (decision IN ('approve', 'reject')),
	comment        TEXT   NOT NULL,
	created_at     TEXT   NOT NULL
);
CREATE INDEX approvals_by_letter ON approvals (letter_id, version_digest);
CREATE TABLE signatures (
	id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	letter_id      BIGINT NOT NULL REFERENCES letters (id),
	version_digest TEXT   NOT NULL,
	policy_digest  TEXT   NOT NULL,
	member_id      BIGINT NOT NULL REFERENCES members (id),
	keyid          TEXT   NOT NULL REFERENCES signer_keys (keyid),
	sig            BYTEA  NOT NULL,
	created_at     TEXT   NOT NULL,
	CONSTRAINT signatures_once UNIQUE (letter_id, version_digest, keyid)
);
CREATE TABLE releases (
	letter_id   BIGINT  PRIMARY KEY REFERENCES letters (id),
	version_n   INTEGER NOT NULL,
	file_digest TEXT    NOT NULL UNIQUE REFERENCES blobs (digest),
	file_name   TEXT    NOT NULL,
	media_type  TEXT    NOT NULL,
	log_index   BIGINT  NOT NULL UNIQUE,
	entry       BYTEA   NOT NULL,
	released_by BIGINT  NOT NULL REFERENCES members (id),
	released_at TEXT    NOT NULL
);
CREATE TABLE withdrawals (
	letter_id  BIGINT PRIMARY KEY REFERENCES releases (letter_id),
	kind       TEXT   NOT NULL CHECK (kind IN ('retraction', 'supersession')),
	by_letter  BIGINT REFERENCES releases (letter_id),
	reason     TEXT   NOT NULL,
	log_index  BIGINT NOT NULL UNIQUE,
	entry      BYTEA  NOT NULL,
	member_id  BIGINT NOT NULL REFERENCES members (id),
	created_at TEXT   NOT NULL
);
CREATE TABLE draft_exports (
	id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	letter_id  BIGINT  NOT NULL REFERENCES letters (id),
	version_n  INTEGER NOT NULL,
	recipient  TEXT    NOT NULL,
	digest     TEXT    NOT NULL,
	member_id  BIGINT  NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL
);
CREATE INDEX draft_exports_by_digest ON draft_exports (digest);
CREATE TABLE audit_events (
	id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	time      TEXT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	reference TEXT NOT NULL,
	detail    TEXT NOT NULL,
	remote    TEXT NOT NULL
);
CREATE INDEX audit_by_reference ON audit_events (reference, id);
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
`},
	// 3: the entries of a partial entry bundle, stored as the chunks each batch appended, so a
	// batch writes its own entries and not the whole bundle again. A full bundle is one
	// log_tiles row and has no chunks.
	{sqlite: `
CREATE TABLE log_entry_chunks (
	bundle INTEGER NOT NULL,
	start  INTEGER NOT NULL CHECK (start BETWEEN 0 AND 255),
	width  INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
	data   BLOB    NOT NULL,
	PRIMARY KEY (bundle, start)
) WITHOUT ROWID;
`, postgres: `
CREATE TABLE log_entry_chunks (
	bundle BIGINT  NOT NULL,
	start  INTEGER NOT NULL CHECK (start BETWEEN 0 AND 255),
	width  INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
	data   BYTEA   NOT NULL,
	PRIMARY KEY (bundle, start)
);
`},
	// 4: adopted release policies; the one with the highest log index is in force.
	{sqlite: `
CREATE TABLE policies (
	log_index  INTEGER PRIMARY KEY,
	digest     TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	source     BLOB    NOT NULL,
	adopted_by INTEGER NOT NULL REFERENCES members (id),
	adopted_at TEXT    NOT NULL
);
`, postgres: `
CREATE TABLE policies (
	log_index  BIGINT PRIMARY KEY,
	digest     TEXT   NOT NULL,
	name       TEXT   NOT NULL,
	source     BYTEA  NOT NULL,
	adopted_by BIGINT NOT NULL REFERENCES members (id),
	adopted_at TEXT   NOT NULL
);
`},
	// 5: evidence counts under the adoption it was given in, not merely the policy's digest: a
	// policy adopted again later (A, then B, then A) starts afresh. Each adoption records the
	// last approval and signature before it; signatures lose their uniqueness constraint, which
	// the registry now enforces per adoption.
	{sqlite: `
ALTER TABLE policies ADD COLUMN approvals_before INTEGER NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN signatures_before INTEGER NOT NULL DEFAULT 0;
CREATE TABLE signatures_new (
	id             INTEGER PRIMARY KEY,
	letter_id      INTEGER NOT NULL REFERENCES letters (id),
	version_digest TEXT    NOT NULL,
	policy_digest  TEXT    NOT NULL,
	member_id      INTEGER NOT NULL REFERENCES members (id),
	keyid          TEXT    NOT NULL REFERENCES signer_keys (keyid),
	sig            BLOB    NOT NULL,
	created_at     TEXT    NOT NULL
);
INSERT INTO signatures_new SELECT id, letter_id, version_digest, policy_digest, member_id, keyid, sig, created_at FROM signatures;
DROP TABLE signatures;
ALTER TABLE signatures_new RENAME TO signatures;
CREATE INDEX signatures_by_letter ON signatures (letter_id, version_digest);
`, postgres: `
ALTER TABLE policies ADD COLUMN approvals_before BIGINT NOT NULL DEFAULT 0;
ALTER TABLE policies ADD COLUMN signatures_before BIGINT NOT NULL DEFAULT 0;
ALTER TABLE signatures DROP CONSTRAINT signatures_once;
CREATE INDEX signatures_by_letter ON signatures (letter_id, version_digest);
`},
	// 6: the web application's accounts: members' passwords (argon2id, encoded with their
	// parameters and salt) and browser sessions, stored by the SHA-256 of their ID.
	{sqlite: `
CREATE TABLE member_passwords (
	member_id  INTEGER PRIMARY KEY REFERENCES members (id),
	hash       TEXT    NOT NULL,          -- $argon2id$v=19$m=...,t=...,p=...$salt$hash
	updated_at TEXT    NOT NULL
);
CREATE TABLE sessions (
	id_hash    BLOB    PRIMARY KEY,       -- SHA-256 of the session ID in the cookie
	member_id  INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL,
	last_seen  TEXT    NOT NULL,
	expires_at TEXT    NOT NULL,
	remote     TEXT    NOT NULL
);
CREATE INDEX sessions_by_member ON sessions (member_id);
`, postgres: `
CREATE TABLE member_passwords (
	member_id  BIGINT PRIMARY KEY REFERENCES members (id),
	hash       TEXT   NOT NULL,
	updated_at TEXT   NOT NULL
);
CREATE TABLE sessions (
	id_hash    BYTEA  PRIMARY KEY,
	member_id  BIGINT NOT NULL REFERENCES members (id),
	created_at TEXT   NOT NULL,
	last_seen  TEXT   NOT NULL,
	expires_at TEXT   NOT NULL,
	remote     TEXT   NOT NULL
);
CREATE INDEX sessions_by_member ON sessions (member_id);
`},
	// 7: text fingerprints of versions, for identification. Every version gets a row; data is
	// NULL when the version has no extractable text, so that a start-up backfill never
	// revisits it.
	{sqlite: `
CREATE TABLE fingerprints (
	id        INTEGER PRIMARY KEY,        -- the identification index's document ID
	letter_id INTEGER NOT NULL,
	version_n INTEGER NOT NULL,
	data      BLOB,                       -- identify.Fingerprint, binary encoding
	UNIQUE (letter_id, version_n),
	FOREIGN KEY (letter_id, version_n) REFERENCES versions (letter_id, n)
);
`, postgres: `
CREATE TABLE fingerprints (
	id        BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	letter_id BIGINT  NOT NULL,
	version_n INTEGER NOT NULL,
	data      BYTEA,
	CONSTRAINT fingerprints_once UNIQUE (letter_id, version_n),
	FOREIGN KEY (letter_id, version_n) REFERENCES versions (letter_id, n)
);
`},
	// 8: confidential log entries (seal format v2). The opening of each version 2 entry (its
	// salt and statement) stays here, never in the log; erasure deletes it. A release keeps
	// the SHA-256 of its check code, the capability printed on the paper, and when its
	// content was erased.
	{sqlite: `
CREATE TABLE openings (
	log_index INTEGER PRIMARY KEY,
	salt      BLOB    NOT NULL,
	statement BLOB    NOT NULL
);
ALTER TABLE releases ADD COLUMN check_code_hash BLOB;
ALTER TABLE releases ADD COLUMN erased_at TEXT;
`, postgres: `
CREATE TABLE openings (
	log_index BIGINT PRIMARY KEY,
	salt      BYTEA  NOT NULL,
	statement BYTEA  NOT NULL
);
ALTER TABLE releases ADD COLUMN check_code_hash BYTEA;
ALTER TABLE releases ADD COLUMN erased_at TEXT;
`},
	// 9: disabled members: their token and sessions stop working, their history stays.
	{sqlite: `
ALTER TABLE members ADD COLUMN disabled_at TEXT;
`, postgres: `
ALTER TABLE members ADD COLUMN disabled_at TEXT;
`},
	// 10: the fingerprint of what was released, beside its version's: a released letter's
	// file adds the letterhead, footer and signers to the version's text, and must identify
	// as the letter. released = 1 marks that row (data NULL when the file's text is the
	// version's, or it has none). SQLite cannot widen a UNIQUE constraint: the table is
	// copied, its ids (the identification index's document ids) kept.
	{sqlite: `
CREATE TABLE fingerprints_v10 (
	id        INTEGER PRIMARY KEY,
	letter_id INTEGER NOT NULL,
	version_n INTEGER NOT NULL,
	released  INTEGER NOT NULL DEFAULT 0,
	data      BLOB,
	UNIQUE (letter_id, version_n, released),
	FOREIGN KEY (letter_id, version_n) REFERENCES versions (letter_id, n)
);
INSERT INTO fingerprints_v10 (id, letter_id, version_n, data) SELECT id, letter_id, version_n, data FROM fingerprints;
DROP TABLE fingerprints;
ALTER TABLE fingerprints_v10 RENAME TO fingerprints;
`, postgres: `
ALTER TABLE fingerprints ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
ALTER TABLE fingerprints DROP CONSTRAINT fingerprints_once;
ALTER TABLE fingerprints ADD CONSTRAINT fingerprints_once UNIQUE (letter_id, version_n, released);
`},
	// 11: witnesses. The office's witnesses and its quorum; the checkpoints sent to them, as the
	// log signed them; and each witness's cosignature of each, with the cosignature's own time.
	// A checkpoint row is kept for every size a witness cosigned, so that seals and proofs can be
	// built against the newest checkpoint that a quorum cosigned.
	{sqlite: `
CREATE TABLE witnesses (
	name     TEXT PRIMARY KEY,
	url      TEXT NOT NULL,
	vkey     TEXT NOT NULL UNIQUE,
	added_at TEXT NOT NULL
);
CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE checkpoints (
	size       INTEGER PRIMARY KEY,
	checkpoint BLOB    NOT NULL
);
CREATE TABLE cosignatures (
	size        INTEGER NOT NULL REFERENCES checkpoints (size),
	vkey        TEXT    NOT NULL,
	line        BLOB    NOT NULL,
	cosigned_at INTEGER NOT NULL,         -- the cosignature's timestamp, Unix seconds
	PRIMARY KEY (size, vkey)
) WITHOUT ROWID;
`, postgres: `
CREATE TABLE witnesses (
	name     TEXT PRIMARY KEY,
	url      TEXT NOT NULL,
	vkey     TEXT NOT NULL UNIQUE,
	added_at TEXT NOT NULL
);
CREATE TABLE settings (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE checkpoints (
	size       BIGINT PRIMARY KEY,
	checkpoint BYTEA  NOT NULL
);
CREATE TABLE cosignatures (
	size        BIGINT NOT NULL REFERENCES checkpoints (size),
	vkey        TEXT   NOT NULL,
	line        BYTEA  NOT NULL,
	cosigned_at BIGINT NOT NULL,
	PRIMARY KEY (size, vkey)
);
`},
	// 12: dispatch. The recipients directory; the outbox, one row per message (a letter, a
	// draft copy or a notice to one address), written in the transaction that decides to send
	// it and updated by the delivery worker; webhook endpoints and their deliveries, queued the
	// same way. message_key makes each message once: (kind, letter, version, address).
	{sqlite: `
CREATE TABLE recipients (
	id           INTEGER PRIMARY KEY,
	name         TEXT    NOT NULL UNIQUE,
	organization TEXT    NOT NULL,
	contact      TEXT    NOT NULL,
	emails       TEXT    NOT NULL,        -- JSON array
	created_at   TEXT    NOT NULL
);
CREATE TABLE outbox (
	id           INTEGER PRIMARY KEY,
	message_key  TEXT    NOT NULL UNIQUE,
	message_id   TEXT    NOT NULL UNIQUE, -- the Message-ID header, without brackets
	letter_id    INTEGER NOT NULL REFERENCES letters (id),
	recipient_id INTEGER NOT NULL REFERENCES recipients (id),
	email        TEXT    NOT NULL,
	kind         TEXT    NOT NULL CHECK (kind IN ('letter', 'draft-copy', 'notice')),
	version_n    INTEGER NOT NULL,
	attachment   TEXT    NOT NULL,        -- blob digest of a draft copy, '' otherwise
	receipt_hash BLOB UNIQUE,             -- SHA-256 of the receipt token; NULL for notices
	status       TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'deferred', 'failed')),
	attempts     INTEGER NOT NULL,
	next_at      TEXT    NOT NULL,
	reply        TEXT    NOT NULL,        -- the SMTP server's last answer
	member_id    INTEGER REFERENCES members (id),
	created_at   TEXT    NOT NULL,
	sent_at      TEXT,
	received_at  TEXT
);
-- What waits, in the order it is due: the worker reads the first few without sorting the rest.
CREATE INDEX outbox_waiting ON outbox (next_at, id) WHERE status IN ('queued', 'deferred');
CREATE INDEX outbox_by_letter ON outbox (letter_id, id);
CREATE TABLE webhook_endpoints (
	id           INTEGER PRIMARY KEY,
	name         TEXT    NOT NULL UNIQUE,
	url          TEXT    NOT NULL,
	secret       TEXT    NOT NULL,        -- whsec_ and base64: the HMAC key must be at hand
	recipient_id INTEGER REFERENCES recipients (id), -- NULL: the office's own systems
	created_at   TEXT    NOT NULL
);
CREATE TABLE webhook_deliveries (
	id          INTEGER PRIMARY KEY,
	endpoint_id INTEGER NOT NULL REFERENCES webhook_endpoints (id),
	webhook_id  TEXT    NOT NULL UNIQUE,
	event       TEXT    NOT NULL,
	payload     BLOB    NOT NULL,
	status      TEXT    NOT NULL CHECK (status IN ('queued', 'sent', 'deferred', 'failed')),
	attempts    INTEGER NOT NULL,
	next_at     TEXT    NOT NULL,
	reply       TEXT    NOT NULL,
	created_at  TEXT    NOT NULL,
	sent_at     TEXT
);
CREATE INDEX webhook_waiting ON webhook_deliveries (next_at, id) WHERE status IN ('queued', 'deferred');
`, postgres: `
CREATE TABLE recipients (
	id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	name         TEXT   NOT NULL UNIQUE,
	organization TEXT   NOT NULL,
	contact      TEXT   NOT NULL,
	emails       TEXT   NOT NULL,
	created_at   TEXT   NOT NULL
);
CREATE TABLE outbox (
	id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	message_key  TEXT   NOT NULL UNIQUE,
	message_id   TEXT   NOT NULL UNIQUE,
	letter_id    BIGINT NOT NULL REFERENCES letters (id),
	recipient_id BIGINT NOT NULL REFERENCES recipients (id),
	email        TEXT   NOT NULL,
	kind         TEXT   NOT NULL CHECK (kind IN ('letter', 'draft-copy', 'notice')),
	version_n    BIGINT NOT NULL,
	attachment   TEXT   NOT NULL,
	receipt_hash BYTEA UNIQUE,
	status       TEXT   NOT NULL CHECK (status IN ('queued', 'sent', 'deferred', 'failed')),
	attempts     BIGINT NOT NULL,
	next_at      TEXT   NOT NULL,
	reply        TEXT   NOT NULL,
	member_id    BIGINT REFERENCES members (id),
	created_at   TEXT   NOT NULL,
	sent_at      TEXT,
	received_at  TEXT
);
-- What waits, in the order it is due: the worker reads the first few without sorting the rest.
CREATE INDEX outbox_waiting ON outbox (next_at, id) WHERE status IN ('queued', 'deferred');
CREATE INDEX outbox_by_letter ON outbox (letter_id, id);
CREATE TABLE webhook_endpoints (
	id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	name         TEXT   NOT NULL UNIQUE,
	url          TEXT   NOT NULL,
	secret       TEXT   NOT NULL,
	recipient_id BIGINT REFERENCES recipients (id),
	created_at   TEXT   NOT NULL
);
CREATE TABLE webhook_deliveries (
	id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id),
	webhook_id  TEXT   NOT NULL UNIQUE,
	event       TEXT   NOT NULL,
	payload     BYTEA  NOT NULL,
	status      TEXT   NOT NULL CHECK (status IN ('queued', 'sent', 'deferred', 'failed')),
	attempts    BIGINT NOT NULL,
	next_at     TEXT   NOT NULL,
	reply       TEXT   NOT NULL,
	created_at  TEXT   NOT NULL,
	sent_at     TEXT
);
CREATE INDEX webhook_waiting ON webhook_deliveries (next_at, id) WHERE status IN ('queued', 'deferred');
`},
	// 13: the log sequencer's fencing epoch. On PostgreSQL several servers share the log; the
	// one holding the sequencer lease claims a new epoch in its first batch, and every batch
	// checks, under the writer lock, that the epoch is still its own (docs/design/log-sequencer.md).
	{sqlite: `
CREATE TABLE log_sequencer (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	epoch INTEGER NOT NULL
);
`, postgres: `
CREATE TABLE log_sequencer (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	epoch BIGINT  NOT NULL
);
`},
	// 14: stored seals. A released letter's seal is built once, against the first (cosigned)
	// checkpoint that includes it, and kept: it proves then what it proves forever, and a
	// lookup reads it instead of proving afresh. It holds the release's opening, so erasure
	// deletes it with the opening.
	{sqlite: `
CREATE TABLE seals (
	log_index INTEGER PRIMARY KEY,        -- the release entry's index
	seal      BLOB    NOT NULL            -- the seal file's bytes (docs/seal-format.md)
);
`, postgres: `
CREATE TABLE seals (
	log_index BIGINT PRIMARY KEY,
	seal      BYTEA  NOT NULL
);
`},
	// 15: kept seals are kept compact (issue 19 item 5): the checkpoint and the inclusion
	// proofs, without the entries and openings the store holds anyway (registry, keptseals.go).
	// Seals kept in the former form are dropped: a kept seal is only a cache of what the
	// store proves, and the next lookup of each letter builds and keeps it again.
	{sqlite: `
DELETE FROM seals;
`, postgres: `
DELETE FROM seals;
`},
	// 16: a kept seal's checkpoint and signer keys' proofs, the same for every release sealed
	// against that checkpoint, are kept once in seal_parts (issue 19 item 5; seals_migrate.go).
	{sqlite: sealPartsSQLite, postgres: sealPartsPostgres},
	// 17: the indexes of approvals and signatures are by letter only (issue 19 item 5).
	{sqlite: narrowIndexes, postgres: narrowIndexes},
	// 18: audit events stored compact: times as Unix nanoseconds, details with their digests
	// and key IDs in binary (issue 19 item 5; audit.go).
	{sqlite: compactAuditSQLite, postgres: compactAuditPostgres},
	// 19: the digests of approvals and signatures stored compact (issue 19 item 5; digest.go).
	{sqlite: compactDigestsSQLite, postgres: compactDigestsPostgres},
	// 20: the public answer about a released letter that stands, kept in one row keyed by its
	// file's digest (issue 19 item 1; lookup_answers.go).
	{sqlite: answersSQLite, postgres: answersPostgres},
	// 21: kept answers are built again in their packed form (issue 19 item 5; lookup_answers.go).
	{sqlite: repackAnswersSQLite, postgres: repackAnswersPostgres},
	// 22: files on PostgreSQL kept in rows of a page each instead of TOAST's chunks (issue 19
	// item 5; blobs.go).
	{sqlite: blobsSQLite, postgres: blobsPostgres},
	// 23: new files on SQLite in rows that fill their pages (issue 19 item 5; blobs.go).
	{sqlite: blobsFillSQLite, postgres: blobsFillPostgres},
	// 24: release entries kept without the envelope text every one repeats (issue 19 item 5;
	// entry_pack.go).
	{sqlite: packEntriesSQLite, postgres: packEntriesPostgres},
	// 25: fingerprints written from here on in identify's compact encoding (issue 19 item 5;
	// identify, encoding.go), which builds before it cannot read. No table changes: the step
	// makes those builds refuse the store ("upgrade chancery") instead of failing to load
	// its fingerprints. Fingerprints stored before stay in the full encoding, read as they are.
	{sqlite: fingerprintsCompact, postgres: fingerprintsCompact},
	// 26: a released letter's seal, when its answer is kept, is kept in that answer only
	// (issue 19 item 5; registry, keptseals.go): the answer row names the seal's shared part
	// and its body holds the seal's inclusion proof, and no seals row is written. No table
	// changes: the step makes builds before it, which read a letter's seal from seals only,
	// refuse the store instead of sealing such a letter afresh against another checkpoint.
	// Seals kept before stay in seals, read as they are.
	{sqlite: sealsInAnswers, postgres: sealsInAnswers},
	// 27: entry bundles (log_tiles at level -1, log_entry_chunks) and release entries
	// (releases.entry) written from here on with their release entries packed to their
	// fields (issue 19 item 5; bundle_pack.go, entry_pack.go), which builds before it cannot
	// read: the step makes them refuse the store. Rows stored before stay as they are; the
	// few that start as the new forms do are put behind the mark of a row kept as it is.
	{sqlite: packBundlesSQLite, postgres: packBundlesPostgres},
	// 28: audit events written from here on with the action, the remote address and the
	// phrases of a letter's life packed into the stored detail (issue 19 item 5; audit.go),
	// which builds before it cannot read: the step makes them refuse the store. Events stored before stay as they are; the few whose
	// detail starts as the new form does are put behind the mark of a detail kept as it is.
	{sqlite: wordsAuditSQLite, postgres: wordsAuditPostgres},
	// 29: files' digests kept as their 32 bytes in blobs, versions and releases (issue 19 item
	// 5; digest.go), which builds before it cannot read: they refuse the store. Rows stored
	// before are converted; a stored digest of another form fails the step.
	{sqlite: fileDigestsSQLite, postgres: fileDigestsPostgres},
	// 30: a member the office's OpenID provider created keeps the provider's issuer and its
	// user's subject, which its sign-ins match on; members it created before are found by
	// their audit trail and bound at their next sign-in (provider_members.go).
	{sqlite: providerMembersSQLite, postgres: providerMembersPostgres},
	// 31: erasing a letter rewrites what its audit events quote of its content; the
	// append-only trigger lets that update through, and no other (audit.go).
	{sqlite: eraseAuditSQLite, postgres: eraseAuditPostgres},
	// 32: the audit trail refuses what removes or overwrites events without its row triggers:
	// TRUNCATE on PostgreSQL, INSERT OR REPLACE on SQLite (audit.go).
	{sqlite: auditNoRemoveSQLite, postgres: auditNoRemovePostgres},
	// 33: a Word or OpenDocument version's conversion to PDF is made once and kept, so that
	// previews, draft copies and the release show the same pages (conversions.go).
	{sqlite: conversionsSQLite, postgres: conversionsPostgres},
	// 34: changes of members and policy one admin proposes and a second carries out, when
	// the policy in force asks for two admins (changes.go).
	{sqlite: changesSQLite, postgres: changesPostgres},
	// 35: a message that may have reached its recipient though no acceptance of it was
	// recorded keeps a mark through later replies and failure, so that a withdrawal gives
	// its recipient notice (dispatch.go).
	{sqlite: maybeDeliveredSQLite, postgres: maybeDeliveredPostgres},
	// 36: a recipient an admin retired from the directory keeps its row, which the messages
	// sent to it refer to (dispatch.go).
	{sqlite: retiredRecipientsSQLite, postgres: retiredRecipientsPostgres},
	// 37: the erased releases found without reading every release: a server records them
	// outside the database and erases them again after a restore of an older backup
	// (ErasedReleases).
	{sqlite: erasedReleasesIndex, postgres: erasedReleasesIndex},
	// 38: the fingerprints of Word and OpenDocument versions, and of their released files,
	// made again at the next start from the versions, as this build reads their text
	// (refingerprintDocuments).
	{sqlite: refingerprintDocuments, postgres: refingerprintDocuments},
	// 39: no table changes. The build that added it reads text otherwise (zero-width
	// characters no longer break words) and reads again the fingerprints stored before its
	// first start only (registry.RereadFingerprints): older builds refuse the store, so that
	// none goes on storing fingerprints of the older reading after that start.
	{sqlite: zeroWidthReading, postgres: zeroWidthReading},
	// 40: no table changes, as 39. The build that added it reads Arabic presentation forms
	// that draw letters apart as the letters kept apart, and reads again the fingerprints
	// stored before its first start only: older builds refuse the store.
	{sqlite: presentationFormsReading, postgres: presentationFormsReading},
	// 41: the audit events of a letter erased while a draft (a restored backup's, erased
	// again at a server's start) are rewritten by its erasure as a released letter's are;
	// the append-only trigger lets that update through, and no other (audit.go).
	{sqlite: eraseDraftAuditSQLite, postgres: eraseDraftAuditPostgres},
	// 42: no table changes, as 39. The build that added it folds Cherokee's small letters to
	// its capitals, reads U+0149 as an apostrophe and n and Arabic mathematical letters as
	// letters kept apart, and reads again the fingerprints stored before its first start
	// only: older builds refuse the store.
	{sqlite: refoldedReading, postgres: refoldedReading},
	// 43: a letter's draft copies found through an index rather than by reading every copy
	// the office ever made: a release, an erasure and an identification ask for them
	// (DraftExportsOf).
	{sqlite: draftExportsByLetter, postgres: draftExportsByLetter},
	// 44: the letters in progress (unreleased_letters) kept apart, withdrawals indexed by
	// kind and letters by class, so that the inbox's drafts and the listings of drafts,
	// retracted and superseded letters, and of a class, read those letters only rather than
	// every letter from the newest (letters_list.go). Existing letters are filled in; the
	// step can be run again.
	{sqlite: unreleasedLettersSQLite, postgres: unreleasedLettersPostgres},
	// 45: an endpoint given a new secret keeps its previous one for a while, and deliveries
	// are signed with both meanwhile (webhookPreviousSecrets); an office endpoint an earlier
	// build let be named "recipient:NAME" is bound to recipient NAME where it can be
	// (bindRecipientNamedEndpoints).
	{sqlite: webhookPreviousSecretsSQLite, postgres: webhookPreviousSecretsPostgres},
	// 46: letters indexed by class where 44 did not make the index: the first build of 44
	// (2feaa99) recorded stores at 44 without it. Elsewhere 44 made it; this changes nothing.
	{sqlite: lettersByClass, postgres: lettersByClass},
	// 47: the one-use values of the members page's forms that were posted (form_posts), so
	// that a form posted again (a reload without JavaScript) is refused rather than carried
	// out twice. Idempotent.
	{sqlite: formPosts, postgres: formPosts},
}

// formPosts is migration 47 (see migrations): the one-use value of each members page form
// posted, and when, forgotten once no session that could post it again is left.
const formPosts = `
CREATE TABLE IF NOT EXISTS form_posts (
	once    TEXT PRIMARY KEY,                  -- the form's one-use value (random)
	used_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS form_posts_by_time ON form_posts (used_at);
`

// refoldedReading is migration 42, which changes no table (see migrations).
const refoldedReading = `SELECT 1`

// zeroWidthReading is migration 39, which changes no table (see migrations).
const zeroWidthReading = `SELECT 1`

// presentationFormsReading is migration 40, which changes no table (see migrations).
const presentationFormsReading = `SELECT 1`

// refingerprintDocuments is migration 38. Builds before it read a Word or OpenDocument
// letter's text without marking what it draws struck through, raised or lowered, so the
// fingerprints they stored no longer match the text this build reads from the same file: the
// letter's own file answered unknown. Their rows go, and the start-up backfill
// (registry.LoadIdentification) makes them again, the released file's too, whose row may say
// it is the version's text. An erased letter's rows (no data left) stay.
const refingerprintDocuments = `DELETE FROM fingerprints WHERE (letter_id, version_n) IN (
	SELECT letter_id, n FROM versions WHERE media_type IN ('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.oasis.opendocument.text')
		OR media_type LIKE 'application/vnd.openxmlformats-officedocument.wordprocessingml.document;%' OR media_type LIKE 'application/vnd.oasis.opendocument.text;%')
	AND NOT EXISTS (SELECT 1 FROM releases r WHERE r.letter_id = fingerprints.letter_id AND r.erased_at IS NOT NULL);`

// packBundlesSQLite and packBundlesPostgres are migration 27 (see migrations).
const (
	packBundlesSQLite = `UPDATE log_tiles SET data = CAST(x'ff00' || data AS BLOB) WHERE level = -1 AND substr(CAST(data AS BLOB), 1, 1) = x'ff';
UPDATE log_entry_chunks SET data = CAST(x'ff00' || data AS BLOB) WHERE substr(CAST(data AS BLOB), 1, 1) = x'ff';
UPDATE releases SET entry = CAST(x'00' || entry AS BLOB) WHERE substr(CAST(entry AS BLOB), 1, 1) = x'02';
`
	packBundlesPostgres = `UPDATE log_tiles SET data = '\xff00'::bytea || data WHERE level = -1 AND substring(data FROM 1 FOR 1) = '\xff'::bytea;
UPDATE log_entry_chunks SET data = '\xff00'::bytea || data WHERE substring(data FROM 1 FOR 1) = '\xff'::bytea;
UPDATE releases SET entry = '\x00'::bytea || entry WHERE substring(entry FROM 1 FOR 1) = '\x02'::bytea;
`
)

// sealsInAnswers is migration 26, which changes no table (see migrations).
const sealsInAnswers = `SELECT 1`

// fingerprintsCompact is migration 25, which changes no table (see migrations).
const fingerprintsCompact = `SELECT 1`

// SchemaVersion is the schema version this build writes.
var SchemaVersion = len(migrations)

// migrationLoggerKey is the context key of WithMigrationLogger's logger.
type migrationLoggerKey struct{}

// WithMigrationLogger returns ctx carrying logger, to which a store opened with it (Open,
// OpenSQLite, OpenPostgres) logs the migrations it runs: the schema versions from and to
// before the first step, each step with its time, and the whole once committed. A step that
// rewrites large tables takes minutes on a large office (migration 29: 3 min 48 s at a
// million letters), before a server answers anything; its log says what it waits for. A
// store already at this build's schema, or new, logs nothing.
func WithMigrationLogger(ctx context.Context, logger *slog.Logger) context.Context {
	return context.WithValue(ctx, migrationLoggerKey{}, logger)
}

// migrationLogger is ctx's logger of WithMigrationLogger, or nil.
func migrationLogger(ctx context.Context) *slog.Logger {
	l, _ := ctx.Value(migrationLoggerKey{}).(*slog.Logger)
	return l
}

func (db *DB) migrate(ctx context.Context) error {
	logger := migrationLogger(ctx)
	start := time.Now()
	from := -1
	// On PostgreSQL the servers of an office started at once take turns on the writer lock,
	// which the migration's transaction holds until it commits: one migrates, and the others
	// wait for it, minutes on a large office, without a word but for this line, then find
	// the schema migrated. A server that finds the lock free (alone, or first) does not wait,
	// and says nothing of it.
	var waited atomic.Int64
	if logger != nil && db.dialect == Postgres {
		var v int
		if db.r.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v) == nil && v > 0 && v < len(migrations) {
			db.lockWait = func() {
				waited.Store(int64(v))
				logger.Info("waiting for the store's writer lock to migrate its schema: a server of the office that migrates it holds the lock until it commits",
					"from", v, "to", len(migrations))
			}
			defer func() { db.lockWait = nil }()
		}
	}
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		var v int
		err := tx.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
		if err != nil {
			return fmt.Errorf("migrate: read schema version: %w", err)
		}
		if v > len(migrations) {
			return fmt.Errorf("schema version %d is newer than this build's %d: upgrade chancery", v, len(migrations))
		}
		if v == 0 && db.dialect == SQLite && sqliteSchemaVersion() == len(migrations) {
			fresh, err := tx.onlySchemaVersion(ctx)
			if err != nil {
				return fmt.Errorf("migrate: %w", err)
			}
			if fresh {
				return tx.createSQLiteSchema(ctx)
			}
		}
		from = v
		if w := waited.Load(); logger != nil && w > 0 && v == len(migrations) {
			logger.Info("another server migrated the store's schema while this one waited", "from", w, "to", v)
		}
		if v == 0 {
			logger = nil // a new store: nothing of the office's is migrated
		}
		if logger != nil && v < len(migrations) {
			logger.Info("migrating the store's schema, every step in one transaction: a stop leaves it as it was, and the next start migrates it again",
				"from", v, "to", len(migrations))
		}
		for i := v; i < len(migrations); i++ {
			stepStart := time.Now()
			text := migrations[i].sqlite
			if db.dialect == Postgres {
				text = migrations[i].postgres
			}
			if text == "" {
				return fmt.Errorf("migrate to version %d: no %s text", i+1, db.dialect)
			}
			if logger != nil {
				logger.Info("applying store schema step", "version", i+1)
			}
			if _, err := tx.exec(ctx, text); err != nil {
				return fmt.Errorf("migrate to version %d: %w", i+1, err)
			}
			if _, err := tx.exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, i+1); err != nil {
				return fmt.Errorf("migrate to version %d: %w", i+1, err)
			}
			if logger != nil {
				logger.Info("store schema step applied, not yet committed", "version", i+1, "took", time.Since(stepStart).Round(time.Millisecond))
			}
		}
		return nil
	})
	err = classifyDiskFull(err)
	if err != nil && from > 0 && from < len(migrations) {
		return &MigrationError{From: from, To: len(migrations), Err: err}
	}
	if err == nil && from > 0 && from < len(migrations) {
		db.migratedFrom = from
	}
	if err == nil && logger != nil && from > 0 && from < len(migrations) {
		logger.Info("store's schema migrated and committed", "from", from, "to", len(migrations), "took", time.Since(start).Round(time.Millisecond))
	}
	return err
}

// MigrationError is the error of a store's opening that found an older build's schema and
// failed to migrate it: From and To are the schema versions. Its message names them, so that
// the operator knows that a migration, not the opening of a store of this build's schema,
// failed, and the command line's hints say so only then.
type MigrationError struct {
	From, To int
	Err      error
}

func (e *MigrationError) Error() string {
	return fmt.Sprintf("migrate from schema version %d to %d: %v", e.From, e.To, e.Err)
}

func (e *MigrationError) Unwrap() error { return e.Err }

// MigratedError is the error of a store's opening that migrated an older build's schema From
// to this build's To, and committed the migration, and then failed (SQLite's truncation of
// the write-ahead log, which copies the migrated tables into the database, on a full disk):
// builds before this one refuse the store from then on, as after an opening that succeeded
// (DB.MigratedFrom), and the command line says so.
type MigratedError struct {
	From, To int
	Err      error
}

func (e *MigratedError) Error() string {
	return fmt.Sprintf("schema migrated from version %d to %d and committed, then: %v", e.From, e.To, e.Err)
}

func (e *MigratedError) Unwrap() error { return e.Err }

// MigratedBy is the schema version an older build left the store at which the opening that
// returned db and err migrated to this build's: db.MigratedFrom when it succeeded, the
// MigratedError's From when it failed after the migration was committed; 0 when it migrated
// nothing.
func MigratedBy(db *DB, err error) int {
	var me *MigratedError
	switch {
	case err == nil && db != nil:
		return db.MigratedFrom()
	case errors.As(err, &me):
		return me.From
	}
	return 0
}

// ErrDiskFull means that the disk holding the SQLite database was full when the store opened:
// SQLite refused the opening's transaction, a migration's or that of a store of this build's
// schema (SQLITE_FULL), or could not make its shared-memory file to begin one
// (SQLITE_IOERR_SHMSIZE). The store is as it was, but when the error wraps ErrCommitUnknown
// too: SQLite wrote the commit to its write-ahead log, and the shared memory that indexes it
// could not grow.
var ErrDiskFull = errors.New("the disk holding the database is full")

// classifyDiskFull wraps err, a failed opening's transaction, in ErrDiskFull or
// ErrServerDiskFull when a full disk refused it.
func classifyDiskFull(err error) error {
	switch {
	case err != nil && diskFull(err):
		return fmt.Errorf("%w: %w", err, ErrDiskFull)
	case err != nil && serverDiskFull(err):
		return fmt.Errorf("%w: %w", err, ErrServerDiskFull)
	}
	return err
}

// ErrServerDiskFull is ErrDiskFull (errors.Is) on PostgreSQL: the disk of the database
// server's data directory was full (SQLSTATE 53100, disk_full: live, "could not extend file
// …: No space left on device" in a migration's step), and the transaction was rolled back.
var ErrServerDiskFull error = serverDiskFullError{}

type serverDiskFullError struct{}

func (serverDiskFullError) Error() string { return "the PostgreSQL server's disk is full" }

func (serverDiskFullError) Is(target error) bool { return target == ErrDiskFull }

// serverDiskFull reports whether err is PostgreSQL's disk_full (53100).
func serverDiskFull(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "53100"
}

// diskFull reports whether err is SQLite's SQLITE_FULL (13), of a statement or the commit,
// or SQLITE_IOERR_SHMSIZE (4874), the shared-memory file that could not grow.
func diskFull(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && (coded.Code()&0xff == 13 || coded.Code() == 4874)
}

// MigratedFrom is the schema version an older build left the store at, which its opening
// migrated to this build's; 0 when the opening migrated nothing (the store was new, or of
// this build's schema already). Builds before this one refuse the store from then on.
func (db *DB) MigratedFrom() int { return db.migratedFrom }

// sqliteSchema is what the migrations leave in a new SQLite database: the statements of its
// sqlite_master (tables, indexes, triggers), in the order they were made, written by
// TestSQLiteSchemaIsMigrations with -update-schema and checked by it against the steps on
// every test run. A new database is made from it in one go rather than step by step: the
// steps rebuild tables, each rebuild re-reads the whole schema, and the twenty-nine of them
// took 45 ms, 0.7 s under the race detector, which every test that opens a new store paid.
//
//go:embed schema_sqlite.sql
var sqliteSchema string

// sqliteSchemaVersion is the schema version sqliteSchema is of, from its first line
// ("-- schema version N"); 0 if it has none. Until the file is written again after a new
// migration, new databases are made step by step.
func sqliteSchemaVersion() int {
	var n int
	if _, err := fmt.Sscanf(sqliteSchema, "-- schema version %d\n", &n); err != nil {
		return 0
	}
	return n
}

// onlySchemaVersion reports whether the database holds no table, index or trigger but
// schema_version: a new store.
func (t *Tx) onlySchemaVersion(ctx context.Context) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT count(*) FROM sqlite_master WHERE name <> 'schema_version' AND name NOT LIKE 'sqlite_%'`).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("read the schema: %w", err)
	}
	return n == 0, nil
}

// createSQLiteSchema makes a new SQLite database what the migrations make it (sqliteSchema),
// and records every step as applied.
func (t *Tx) createSQLiteSchema(ctx context.Context) error {
	if _, err := t.exec(ctx, sqliteSchema); err != nil {
		return fmt.Errorf("migrate: create the schema of version %d: %w", len(migrations), err)
	}
	for i := range migrations {
		if _, err := t.exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, i+1); err != nil {
			return fmt.Errorf("migrate: create the schema of version %d: %w", len(migrations), err)
		}
	}
	return nil
}

// Version reports the schema version of the open database.
func (t *Tx) Version(ctx context.Context) (int, error) {
	var v int
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}
