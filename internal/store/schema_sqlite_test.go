package store

import (
	"context"
	"database/sql"
	goflag "flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var updateSchema = goflag.Bool("update-schema", false, "write schema_sqlite.sql from the migrations")

// schemaObject is a row of sqlite_master.
type schemaObject struct{ kind, name, table, sql string }

// dumpSchema returns the tables, indexes and triggers of the SQLite database in dir, but
// schema_version and SQLite's own, in the order they were made.
func dumpSchema(t *testing.T, dir string) []schemaObject {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, SQLiteFile)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT type, name, tbl_name, sql FROM sqlite_master
		WHERE sql IS NOT NULL AND name <> 'schema_version' AND name NOT LIKE 'sqlite_%' AND name <> 'not_fresh' ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []schemaObject
	for rows.Next() {
		var o schemaObject
		if err := rows.Scan(&o.kind, &o.name, &o.table, &o.sql); err != nil {
			t.Fatal(err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func versions(t *testing.T, db *DB) []int {
	t.Helper()
	var vs []int
	err := db.View(context.Background(), func(tx *Tx) error {
		rows, err := tx.query(context.Background(), `SELECT version FROM schema_version ORDER BY version`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				return err
			}
			vs = append(vs, v)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return vs
}

// TestSQLiteSchemaIsMigrations: a new SQLite store, made from schema_sqlite.sql in one go,
// has the tables, indexes and triggers, statement for statement, and the schema_version rows
// that the migrations make step by step (in a database that is not new, so that they run).
// After a new migration, go test ./internal/store -run SQLiteSchemaIsMigrations -update-schema
// writes the file again.
func TestSQLiteSchemaIsMigrations(t *testing.T) {
	ctx := context.Background()
	steps := t.TempDir()
	if err := createSQLite(filepath.Join(steps, SQLiteFile)); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(steps, SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`CREATE TABLE not_fresh (x)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	byStep, err := OpenSQLite(ctx, steps)
	if err != nil {
		t.Fatal(err)
	}
	stepVersions := versions(t, byStep)
	byStep.Close()
	want := dumpSchema(t, steps)
	if *updateSchema {
		var b strings.Builder
		fmt.Fprintf(&b, "-- schema version %d\n", SchemaVersion)
		b.WriteString("-- The schema the migrations of migrate.go leave in a new SQLite database, as its\n")
		b.WriteString("-- sqlite_master holds it. Written by: go test ./internal/store -run SQLiteSchemaIsMigrations -update-schema\n")
		for _, o := range want {
			b.WriteString(o.sql + ";\n")
		}
		if err := os.WriteFile("schema_sqlite.sql", []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Skip("schema_sqlite.sql written: run the test again to check it")
	}

	fresh := t.TempDir()
	db, err := OpenSQLite(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	freshVersions := versions(t, db)
	db.Close()
	got := dumpSchema(t, fresh)
	byName := func(a, b schemaObject) int { return strings.Compare(a.kind+" "+a.name, b.kind+" "+b.name) }
	slices.SortFunc(want, byName)
	slices.SortFunc(got, byName)
	if !slices.Equal(got, want) {
		for _, o := range want {
			if !slices.Contains(got, o) {
				t.Errorf("missing from a new store, or different: %s %s: %s", o.kind, o.name, o.sql)
			}
		}
		for _, o := range got {
			if !slices.Contains(want, o) {
				t.Errorf("in a new store, not after the migrations: %s %s: %s", o.kind, o.name, o.sql)
			}
		}
		t.Log("after a new migration: go test ./internal/store -run SQLiteSchemaIsMigrations -update-schema")
	}
	if sqliteSchemaVersion() != SchemaVersion {
		t.Errorf("schema_sqlite.sql is of schema version %d, this build's is %d", sqliteSchemaVersion(), SchemaVersion)
	}
	if !slices.Equal(freshVersions, stepVersions) || len(freshVersions) != SchemaVersion {
		t.Errorf("schema_version of a new store %v, after the steps %v; want 1 to %d", freshVersions, stepVersions, SchemaVersion)
	}
}
