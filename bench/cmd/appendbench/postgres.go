package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// postgresURL is the -postgres flag: a PostgreSQL cluster in which each cell creates a
// database of its own.
var postgresURL string

// chanceryPostgres is Chancery's log on PostgreSQL, opened servers times on one database as
// that many servers would open it (each its own connections and sequencer lease), with the
// appends spread over them in turn. In one process, the servers share its CPUs, as they
// share the machine's in a one-machine deployment.
type chanceryPostgres struct {
	dbs  []*store.DB
	logs []*translog.Log
	next atomic.Uint64
	drop func() error
}

func openChanceryPostgres(servers int) func(ctx context.Context, dir string, signer note.Signer) (logUnderTest, error) {
	return func(ctx context.Context, _ string, signer note.Signer) (logUnderTest, error) {
		if postgresURL == "" {
			return nil, errors.New("pass -postgres URL (a cluster in which to create a database per cell)")
		}
		dbURL, drop, err := createDatabase(ctx, postgresURL)
		if err != nil {
			return nil, err
		}
		l := &chanceryPostgres{drop: drop}
		for range servers {
			db, err := store.OpenPostgres(ctx, dbURL)
			if err != nil {
				return nil, errors.Join(err, l.Close(ctx))
			}
			lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
			if err != nil {
				return nil, errors.Join(err, db.Close(), l.Close(ctx))
			}
			l.dbs, l.logs = append(l.dbs, db), append(l.logs, lg)
		}
		return l, nil
	}
}

// createDatabase creates a fresh database in the cluster at base and returns its URL and a
// function that drops it.
func createDatabase(ctx context.Context, base string) (string, func() error, error) {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	var b [6]byte
	rand.Read(b[:])
	name := "appendbench_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() error {
		defer admin.Close()
		_, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		return err
	}
	return u.String(), drop, nil
}

func (l *chanceryPostgres) Append(ctx context.Context, data []byte) (func(context.Context) (time.Time, error), error) {
	lg := l.logs[l.next.Add(1)%uint64(len(l.logs))]
	if _, err := lg.Append(ctx, data); err != nil {
		return nil, fmt.Errorf("append entry: %w", err)
	}
	published := time.Now()
	return func(context.Context) (time.Time, error) { return published, nil }, nil
}

func (l *chanceryPostgres) Close(context.Context) error {
	var errs []error
	for i := range l.logs {
		errs = append(errs, l.logs[i].Close(), l.dbs[i].Close())
	}
	if l.drop != nil {
		errs = append(errs, l.drop())
	}
	return errors.Join(errs...)
}
