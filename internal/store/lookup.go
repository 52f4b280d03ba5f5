package store

import (
	"context"
	"database/sql"
	"fmt"
)

// Lookups of released letters (issue 19 item 1). The public verify answer for a released
// file's digest needs the release, its opening, its withdrawal (with that entry's opening and,
// for a supersession, the superseding letter's reference), its kept seal and the state of its
// signers' keys. Read as six statements in a transaction, that was half of a lookup's cost,
// most of it in database/sql and the driver rather than in SQLite; LookupRelease reads it all
// in one statement, outside any transaction (a single statement sees one snapshot on both
// backends), and reads no table it does not need and stores nothing more per letter.
//
// Key states are read as a count: RevokedKeys counts the revoked signer keys, in the same
// snapshot as the rest. A key once revoked stays revoked (RevokeSignerKey) and key rows are
// never deleted, so the set of revoked keys only grows, and two snapshots with the same count
// have the same set: a cache of the set (RevokedKeys, below) read at that count is exactly
// the lookup's.

// ReleaseLookup is what LookupRelease reads about one released letter.
type ReleaseLookup struct {
	Release Release
	// Salt and Statement are the release entry's opening; nil for a version 1 entry and for
	// one whose opening was erased.
	Salt, Statement []byte
	// Withdrawal is the letter's retraction or supersession, nil while it stands.
	Withdrawal *Withdrawal
	// WithdrawalSalt and WithdrawalStatement are the withdrawal entry's opening, nil as above.
	WithdrawalSalt, WithdrawalStatement []byte
	// SupersededBy is the reference of the letter that superseded this one.
	SupersededBy string
	// Seal is the release's kept seal in seals, nil if none is kept there (a seal kept in the
	// letter's kept answer, PutSealAnswer, is the registry's to read).
	Seal *KeptSeal
	// RevokedKeys is how many signer keys are revoked, in the same snapshot.
	RevokedKeys int64
}

const lookupSelect = `SELECT r.letter_id, r.version_n, r.file_digest, r.file_name, r.media_type, r.log_index,
	r.entry, r.released_by, r.released_at, r.check_code_hash, r.erased_at,
	o.salt, o.statement,
	w.kind, w.by_letter, w.reason, w.log_index, w.entry, w.member_id, w.created_at,
	wo.salt, wo.statement, bl.reference,
	p.checkpoint, p.signer_proofs, s.proof,
	(SELECT COUNT(*) FROM signer_keys WHERE revoked_index IS NOT NULL)
FROM releases r
LEFT JOIN openings o ON o.log_index = r.log_index
LEFT JOIN withdrawals w ON w.letter_id = r.letter_id
LEFT JOIN openings wo ON wo.log_index = w.log_index
LEFT JOIN letters bl ON bl.id = w.by_letter
LEFT JOIN seals s ON s.log_index = r.log_index
LEFT JOIN seal_parts p ON p.id = s.part
`

const (
	lookupByDigest    = lookupSelect + `WHERE r.file_digest = $1`
	lookupByReference = lookupSelect + `WHERE r.letter_id = (SELECT id FROM letters WHERE reference = $1)`
	lookupByIndex     = lookupSelect + `WHERE r.log_index = $1`
)

// LookupRelease reads the released letter whose final file has this digest, in one statement;
// ErrNotFound if there is none.
func (db *DB) LookupRelease(ctx context.Context, digest string) (*ReleaseLookup, error) {
	return db.lookupOne(ctx, lookupByDigest, fileDigestKey(digest), "release "+digest)
}

// LookupReleaseOf reads the released letter with this reference, in one statement; ErrNotFound
// if no letter has it or it was not released.
func (db *DB) LookupReleaseOf(ctx context.Context, ref string) (*ReleaseLookup, error) {
	return db.lookupOne(ctx, lookupByReference, ref, "release of "+ref)
}

// lookupOne reads the one release query selects with arg, named what in its error.
func (db *DB) lookupOne(ctx context.Context, query string, arg any, what string) (*ReleaseLookup, error) {
	var l *ReleaseLookup
	err := db.readOne(ctx, func(row *sql.Row) (err error) {
		l, err = scanLookup(row, what)
		return err
	}, query, arg)
	return l, err
}

// LookupRelease is DB.LookupRelease in the transaction's snapshot.
func (t *Tx) LookupRelease(ctx context.Context, digest string) (*ReleaseLookup, error) {
	return scanLookup(t.queryRow(ctx, lookupByDigest, fileDigestKey(digest)), "release "+digest)
}

// LookupReleaseAt reads, in the transaction's snapshot, the released letter whose release entry
// is at index; ErrNotFound if there is none.
func (t *Tx) LookupReleaseAt(ctx context.Context, index int64) (*ReleaseLookup, error) {
	return scanLookup(t.queryRow(ctx, lookupByIndex, index), fmt.Sprintf("release at %d", index))
}

// LookupReleaseOf is DB.LookupReleaseOf in the transaction's snapshot.
func (t *Tx) LookupReleaseOf(ctx context.Context, ref string) (*ReleaseLookup, error) {
	return scanLookup(t.queryRow(ctx, lookupByReference, ref), "release of "+ref)
}

func scanLookup(row *sql.Row, what string) (*ReleaseLookup, error) {
	var l ReleaseLookup
	r := &l.Release
	var at string
	var erased, wKind, wReason, wCreated, byRef sql.NullString
	var wBy, wIndex, wMember sql.NullInt64
	var wEntry []byte
	var k KeptSeal
	err := row.Scan(&r.LetterID, &r.VersionN, fileDigestText{&r.FileDigest}, &r.FileName, &r.MediaType, &r.LogIndex,
		&r.Entry, &r.ReleasedBy, &at, &r.CheckCodeHash, &erased,
		&l.Salt, &l.Statement,
		&wKind, &wBy, &wReason, &wIndex, &wEntry, &wMember, &wCreated,
		&l.WithdrawalSalt, &l.WithdrawalStatement, &byRef,
		&k.Checkpoint, &k.SignerProofs, &k.Proof,
		&l.RevokedKeys)
	if err != nil {
		return nil, notFound(err, what)
	}
	r.ReleasedAt = parseTS(at)
	if erased.Valid {
		r.ErasedAt = parseTS(erased.String)
	}
	if r.Entry, err = unpackEntry(r.Entry); err != nil {
		return nil, fmt.Errorf("%s: entry %d: %w", what, r.LogIndex, err)
	}
	if l.Statement != nil {
		if l.Statement, err = unpackStatement(l.Statement); err != nil {
			return nil, fmt.Errorf("%s: opening of %d: %w", what, r.LogIndex, err)
		}
	}
	if wKind.Valid {
		l.Withdrawal = &Withdrawal{LetterID: r.LetterID, Kind: wKind.String, ByLetter: wBy.Int64, Reason: wReason.String,
			LogIndex: wIndex.Int64, Entry: wEntry, MemberID: wMember.Int64, CreatedAt: parseTS(wCreated.String)}
		l.SupersededBy = byRef.String
		if l.WithdrawalStatement != nil {
			if l.WithdrawalStatement, err = unpackStatement(l.WithdrawalStatement); err != nil {
				return nil, fmt.Errorf("%s: opening of %d: %w", what, wIndex.Int64, err)
			}
		}
	}
	if k.Checkpoint != nil {
		l.Seal = &k
	}
	return &l, nil
}

// RevokedKey is a revoked signer key and the log indexes of its two entries. The opening of
// its key-revoked entry is not read: answers give the entry without it (its statement holds
// the revocation's reason, which is no holder's business; docs/seal-format.md).
type RevokedKey struct {
	KeyID      string
	AddedIndex int64 // the key's key-added entry
	Index      int64
}

// RevokedKeys returns every revoked signer key, in one statement: as many as
// ReleaseLookup.RevokedKeys counts in the same snapshot.
func (t *Tx) RevokedKeys(ctx context.Context) ([]RevokedKey, error) {
	rows, err := t.query(ctx, `SELECT keyid, added_index, revoked_index FROM signer_keys
WHERE revoked_index IS NOT NULL ORDER BY revoked_index`)
	if err != nil {
		return nil, fmt.Errorf("revoked keys: %w", err)
	}
	defer rows.Close()
	var out []RevokedKey
	for rows.Next() {
		var k RevokedKey
		if err := rows.Scan(&k.KeyID, &k.AddedIndex, &k.Index); err != nil {
			return nil, fmt.Errorf("revoked keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("revoked keys: %w", err)
	}
	return out, nil
}

// readOne runs a one-row query on the read pool outside any transaction (readRow) and scans
// its row with scan, admitted through readGate where there is one.
func (db *DB) readOne(ctx context.Context, scan func(*sql.Row) error, query string, args ...any) error {
	if db.readGate != nil {
		select {
		case db.readGate <- struct{}{}:
		case <-ctx.Done():
			return fmt.Errorf("store: read: %w", ctx.Err())
		}
		defer func() { <-db.readGate }()
	}
	return scan(db.readRow(ctx, query, args...))
}

// readRow runs a one-row query on the read pool outside any transaction, with the statement
// the pool keeps prepared: a transaction would add a BEGIN and a ROLLBACK to a read that one
// statement's own snapshot already makes consistent.
func (db *DB) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	if s := db.rs.prepared(query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return db.r.QueryRowContext(ctx, query, args...)
}

// prepared returns the pool's statement for query, or nil while it is not prepared yet: it is
// prepared in the background, because the caller may hold the pool's only connection
// (SQLite's writer).
func (c *stmtCache) prepared(query string) *sql.Stmt {
	if c.db == nil {
		return nil // the driver caches statements itself
	}
	v, loaded := c.m.LoadOrStore(query, pending)
	if !loaded {
		c.mu.Lock()
		if c.closed {
			c.mu.Unlock()
			return nil
		}
		if c.ctx == nil {
			c.ctx, c.cancel = context.WithCancel(context.Background())
		}
		ctx := c.ctx
		c.inflight.Add(1)
		c.mu.Unlock()
		go func() {
			defer c.inflight.Done()
			s, err := c.db.PrepareContext(ctx, query)
			if err != nil {
				c.m.Delete(query)
				return
			}
			c.m.Store(query, s)
		}()
	}
	s, _ := v.(*sql.Stmt)
	return s
}
