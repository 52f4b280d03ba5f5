package store

import "context"

// RunMigrationForTest runs the text of migration n (1-based) in one transaction, as migrate
// does, without recording it: a test puts back the tables it changes, in their former form
// and with rows of the former schema, first.
func (db *DB) RunMigrationForTest(ctx context.Context, n int) error {
	text := migrations[n-1].sqlite
	if db.dialect == Postgres {
		text = migrations[n-1].postgres
	}
	return db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, text)
		return err
	})
}
