-- schema version 47
-- The schema the migrations of migrate.go leave in a new SQLite database, as its
-- sqlite_master holds it. Written by: go test ./internal/store -run SQLiteSchemaIsMigrations -update-schema
CREATE TABLE log_head (
	id         INTEGER PRIMARY KEY CHECK (id = 1),
	origin     TEXT    NOT NULL,
	size       INTEGER NOT NULL,
	root       BLOB    NOT NULL,
	checkpoint BLOB    NOT NULL
);
CREATE TABLE log_tiles (
	level INTEGER NOT NULL,
	idx   INTEGER NOT NULL,
	width INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
	data  BLOB    NOT NULL,
	PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE members (
	id         INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL UNIQUE,
	roles      TEXT    NOT NULL,          -- comma-separated
	token_hash BLOB    NOT NULL UNIQUE,   -- SHA-256 of the bearer token
	created_at TEXT    NOT NULL
, disabled_at TEXT, oidc_issuer TEXT, oidc_subject TEXT);
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
CREATE TABLE log_entry_chunks (
	bundle INTEGER NOT NULL,
	start  INTEGER NOT NULL CHECK (start BETWEEN 0 AND 255),
	width  INTEGER NOT NULL CHECK (width BETWEEN 1 AND 256),
	data   BLOB    NOT NULL,
	PRIMARY KEY (bundle, start)
) WITHOUT ROWID;
CREATE TABLE policies (
	log_index  INTEGER PRIMARY KEY,
	digest     TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	source     BLOB    NOT NULL,
	adopted_by INTEGER NOT NULL REFERENCES members (id),
	adopted_at TEXT    NOT NULL
, approvals_before INTEGER NOT NULL DEFAULT 0, signatures_before INTEGER NOT NULL DEFAULT 0);
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
CREATE TABLE openings (
	log_index INTEGER PRIMARY KEY,
	salt      BLOB    NOT NULL,
	statement BLOB    NOT NULL
);
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
CREATE TABLE recipients (
	id           INTEGER PRIMARY KEY,
	name         TEXT    NOT NULL UNIQUE,
	organization TEXT    NOT NULL,
	contact      TEXT    NOT NULL,
	emails       TEXT    NOT NULL,        -- JSON array
	created_at   TEXT    NOT NULL
, retired_at TEXT NOT NULL DEFAULT '');
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
, maybe_delivered INTEGER NOT NULL DEFAULT 0 CHECK (maybe_delivered IN (0, 1)));
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
CREATE TABLE log_sequencer (
	id    INTEGER PRIMARY KEY CHECK (id = 1),
	epoch INTEGER NOT NULL
);
CREATE TABLE seal_parts (
	id            INTEGER PRIMARY KEY,
	hash          BLOB    UNIQUE,         -- SHA-256 of the part (store, seals.go); NULL if made by migration 16
	checkpoint    BLOB    NOT NULL,
	signer_proofs BLOB    NOT NULL        -- the signer keys' inclusion proofs (registry, keptseals.go)
);
CREATE TABLE "seals" (
	log_index INTEGER PRIMARY KEY,        -- the release entry's index
	part      INTEGER NOT NULL REFERENCES seal_parts (id),
	proof     BLOB    NOT NULL            -- the release entry's inclusion proof
);
CREATE TABLE "audit_events" (
	id        INTEGER PRIMARY KEY,
	time      INTEGER NOT NULL,           -- Unix nanoseconds
	actor     TEXT    NOT NULL,
	action    TEXT    NOT NULL,
	reference TEXT    NOT NULL,
	detail    BLOB    NOT NULL,           -- packed (store, audit.go)
	remote    TEXT    NOT NULL
);
CREATE INDEX audit_by_reference ON audit_events (reference, id);
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TABLE "approvals" (
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
CREATE INDEX approvals_by_letter ON approvals (letter_id);
CREATE TABLE "signatures" (
	id             INTEGER PRIMARY KEY,
	letter_id      INTEGER NOT NULL REFERENCES letters (id),
	version_digest BLOB    NOT NULL,      -- packed (store, digest.go)
	policy_digest  BLOB    NOT NULL,
	member_id      INTEGER NOT NULL REFERENCES members (id),
	keyid          TEXT    NOT NULL REFERENCES signer_keys (keyid),
	sig            BLOB    NOT NULL,
	created_at     TEXT    NOT NULL
);
CREATE INDEX signatures_by_letter ON signatures (letter_id);
CREATE TABLE "answers" (
	id     INTEGER PRIMARY KEY,
	digest BLOB    NOT NULL,
	part   INTEGER NOT NULL,
	body   BLOB    NOT NULL
);
CREATE INDEX answers_pending ON answers (id) WHERE part = 0;
CREATE TABLE "blob_chunks" (
	blob INTEGER NOT NULL,
	seq  INTEGER NOT NULL,
	data BLOB    NOT NULL,
	PRIMARY KEY (blob, seq)
) WITHOUT ROWID;
CREATE TABLE "blobs" (
	digest  BLOB    NOT NULL PRIMARY KEY CHECK (length(digest) = 32), -- SHA-256 of data (store, digest.go)
	data    BLOB    NOT NULL,
	chunked INTEGER                       -- blob_chunks.blob of a file kept in chunks
);
CREATE TABLE "versions" (
	letter_id  INTEGER NOT NULL REFERENCES letters (id),
	n          INTEGER NOT NULL,
	digest     BLOB    NOT NULL REFERENCES "blobs" (digest),
	media_type TEXT    NOT NULL,
	file_name  TEXT    NOT NULL,
	size       INTEGER NOT NULL,
	created_by INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL,
	PRIMARY KEY (letter_id, n)
);
CREATE TABLE "releases" (
	letter_id       INTEGER PRIMARY KEY REFERENCES letters (id),
	version_n       INTEGER NOT NULL,
	file_digest     BLOB    NOT NULL UNIQUE REFERENCES "blobs" (digest),
	file_name       TEXT    NOT NULL,
	media_type      TEXT    NOT NULL,
	log_index       INTEGER NOT NULL UNIQUE,
	entry           BLOB    NOT NULL,     -- the release log entry (store, entry_pack.go)
	released_by     INTEGER NOT NULL REFERENCES members (id),
	released_at     TEXT    NOT NULL,
	check_code_hash BLOB,
	erased_at       TEXT
);
CREATE TABLE "withdrawals" (
	letter_id  INTEGER PRIMARY KEY REFERENCES "releases" (letter_id),
	kind       TEXT    NOT NULL CHECK (kind IN ('retraction', 'supersession')),
	by_letter  INTEGER REFERENCES "releases" (letter_id),
	reason     TEXT    NOT NULL,
	log_index  INTEGER NOT NULL UNIQUE,
	entry      BLOB    NOT NULL,
	member_id  INTEGER NOT NULL REFERENCES members (id),
	created_at TEXT    NOT NULL
);
CREATE TABLE "fingerprints" (
	id        INTEGER PRIMARY KEY,
	letter_id INTEGER NOT NULL,
	version_n INTEGER NOT NULL,
	released  INTEGER NOT NULL DEFAULT 0,
	data      BLOB,
	UNIQUE (letter_id, version_n, released),
	FOREIGN KEY (letter_id, version_n) REFERENCES "versions" (letter_id, n)
);
CREATE INDEX versions_by_digest ON versions (digest);
CREATE UNIQUE INDEX members_by_subject ON members (oidc_issuer, oidc_subject);
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TABLE conversions (
	source     BLOB NOT NULL REFERENCES blobs (digest), -- the version's file
	media_type TEXT NOT NULL,                           -- the type it was converted as
	pdf        BLOB NOT NULL REFERENCES blobs (digest), -- the PDF made of it
	PRIMARY KEY (source, media_type)
) WITHOUT ROWID;
CREATE TABLE changes (
	id          INTEGER PRIMARY KEY,
	kind        TEXT    NOT NULL,                      -- member.add, member.roles, member.token, member.enable, policy.adopt
	subject     TEXT    NOT NULL,                      -- the member's name, or the policy's digest
	detail      BLOB    NOT NULL,                      -- what else the change carries out (JSON)
	proposed_by INTEGER NOT NULL REFERENCES members (id),
	proposed_at TEXT    NOT NULL,
	state       TEXT    NOT NULL,                      -- pending, done or refused
	decided_by  INTEGER REFERENCES members (id),
	decided_at  TEXT
);
CREATE INDEX releases_erased ON releases (log_index) WHERE erased_at IS NOT NULL;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN NOT (NEW.id = OLD.id AND NEW.time = OLD.time AND NEW.reference = OLD.reference AND OLD.reference <> ''
	AND EXISTS (SELECT 1 FROM letters l LEFT JOIN releases r ON r.letter_id = l.id WHERE l.reference = OLD.reference
		AND (r.erased_at IS NOT NULL OR (r.letter_id IS NULL AND l.subject = ''))))
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE INDEX draft_exports_by_letter ON draft_exports (letter_id, id);
CREATE TABLE unreleased_letters (
	letter_id INTEGER PRIMARY KEY REFERENCES letters (id)
);
CREATE INDEX withdrawals_by_kind ON withdrawals (kind, letter_id);
CREATE INDEX letters_by_class ON letters (class, id);
CREATE TABLE webhook_previous_secrets (
	endpoint_id INTEGER PRIMARY KEY REFERENCES webhook_endpoints (id),
	secret      TEXT    NOT NULL,
	valid_until TEXT    NOT NULL
);
CREATE TABLE form_posts (
	once    TEXT PRIMARY KEY,                  -- the form's one-use value (random)
	used_at TEXT NOT NULL
);
CREATE INDEX form_posts_by_time ON form_posts (used_at);
