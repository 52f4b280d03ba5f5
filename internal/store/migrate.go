package store

import (
	"context"
	"fmt"
)

// migration is one step of the schema, applied in order and recorded in schema_version.
// Steps are never edited once released: a change is a new step.
type migration struct {
	sqlite string
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
`},
}

// SchemaVersion is the schema version this build writes.
var SchemaVersion = len(migrations)

func (db *DB) migrate(ctx context.Context) error {
	return db.Update(ctx, func(tx *Tx) error {
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
		for i := v; i < len(migrations); i++ {
			if _, err := tx.exec(ctx, migrations[i].sqlite); err != nil {
				return fmt.Errorf("migrate to version %d: %w", i+1, err)
			}
			if _, err := tx.exec(ctx, `INSERT INTO schema_version (version) VALUES ($1)`, i+1); err != nil {
				return fmt.Errorf("migrate to version %d: %w", i+1, err)
			}
		}
		return nil
	})
}

// Version reports the schema version of the open database.
func (t *Tx) Version(ctx context.Context) (int, error) {
	var v int
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}
