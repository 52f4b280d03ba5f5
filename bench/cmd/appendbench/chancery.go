package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// chanceryLog is Chancery's transparency log on the embedded SQLite store.
//
// Append returns only once the entry is durable (its transaction is committed
// with the SQLite WAL fsynced) and covered by a published checkpoint, so the
// append-to-checkpoint latency is the duration of the Append call and a
// writer's throughput includes waiting for the checkpoint.
type chanceryLog struct {
	db  *store.DB
	log *translog.Log
}

func openChancery(ctx context.Context, dir string, signer note.Signer) (logUnderTest, error) {
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("open sqlite store: %w", err)
	}
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		if cErr := db.Close(); cErr != nil {
			err = errors.Join(err, fmt.Errorf("close store: %w", cErr))
		}
		return nil, fmt.Errorf("open transparency log: %w", err)
	}
	return &chanceryLog{db: db, log: lg}, nil
}

func (l *chanceryLog) Append(ctx context.Context, data []byte) (func(context.Context) (time.Time, error), error) {
	if _, err := l.log.Append(ctx, data); err != nil {
		return nil, fmt.Errorf("append entry: %w", err)
	}
	published := time.Now()
	return func(context.Context) (time.Time, error) { return published, nil }, nil
}

func (l *chanceryLog) Close(context.Context) error {
	var errs []error
	if err := l.log.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close transparency log: %w", err))
	}
	if err := l.db.Close(); err != nil {
		errs = append(errs, fmt.Errorf("close store: %w", err))
	}
	return errors.Join(errs...)
}
