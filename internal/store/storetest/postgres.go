package storetest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// PostgresEnv names the environment variable that holds the URL of a PostgreSQL cluster for
// tests, connecting as a role that may create databases. scripts/test starts a throwaway
// cluster and sets it.
const PostgresEnv = "CHANCERY_TEST_POSTGRES"

// PostgresURL creates a fresh, empty database for the test in the cluster that
// CHANCERY_TEST_POSTGRES names, drops it when the test ends, and returns its URL. Each test
// gets its own database, so that packages and tests can run in parallel. Without the variable
// it skips the test, unless CHANCERY_REQUIRE_TOOLS=1 (the test script), where that is a failure.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return postgresURL(t, "")
}

// PostgresURLCollated is PostgresURL for a database whose text sorts by the ICU collation of
// locale (such as "en"), as an office's database created under a language's locale does,
// rather than by bytes as the test cluster's default does.
func PostgresURLCollated(t testing.TB, locale string) string {
	t.Helper()
	return postgresURL(t, ` TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE '`+locale+`' LOCALE 'C.utf8'`)
}

// postgresURL creates the test's database with the options of CREATE DATABASE opts.
func postgresURL(t testing.TB, opts string) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		if os.Getenv("CHANCERY_REQUIRE_TOOLS") == "1" {
			t.Fatalf("PostgreSQL is required: set %s to a cluster's URL (scripts/test starts one)", PostgresEnv)
		}
		t.Skipf("%s is not set: skipping the PostgreSQL test", PostgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", PostgresEnv, err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("connect to %s: %v", PostgresEnv, err)
	}
	defer admin.Close()
	var b [8]byte
	rand.Read(b[:])
	name := "chancery_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec(`CREATE DATABASE ` + name + opts); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("drop test database: %v", err)
			return
		}
		defer admin.Close()
		// FORCE: a server process the test killed may have left sessions behind.
		if _, err := admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// PostgresSchemas returns a function that creates a fresh, empty schema in a database of the
// test's own (see PostgresURL) and returns a URL whose sessions work in it. The store refuses
// a database that holds an office in another schema (store.ErrSharedDatabase): a store opened
// on a second schema of it is refused once one was opened on the first.
func PostgresSchemas(t testing.TB) func() string {
	t.Helper()
	base := PostgresURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("connect to the test database: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	n := 0
	return func() string {
		n++
		schema := fmt.Sprintf("case%d", n)
		if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
}

// PostgresEmptied returns a function that returns the URL of one schema of a database of the
// test's own (see PostgresSchemas), empty each time: the first call returns a new schema, for
// the store opened on it to make its tables; each later call empties every table in it but
// schema_version (TRUNCATE, its triggers off) and restarts its sequences, so that
// the next store opened on it starts as a new one does, its tables made and no row in them.
// It is for property tests, which open an empty store for every case: a new schema each is
// half a second of DDL on PostgreSQL, the tables and indexes made. The store opened on the
// previous URL must be closed before the next call.
func PostgresEmptied(t testing.TB) func() string {
	t.Helper()
	url := PostgresSchemas(t)()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatalf("connect to the test schema: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	made := false
	return func() string {
		if made {
			if err := emptySchema(db); err != nil {
				t.Fatalf("empty the test schema: %v", err)
			}
		}
		made = true
		return url
	}
}

// emptySchema empties every table of the session's schema but schema_version, and restarts
// its sequences, in one transaction. It deletes the rows rather than truncating the tables:
// TRUNCATE gives each table and index a new file, about 0.3 s of the server's processor
// time for the store's tables, where a case of a property test leaves a few rows in each;
// and it sets the sequences back with setval, where ALTER SEQUENCE RESTART gives each a new
// file too.
func emptySchema(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var tables, sequences sql.NullString
	err = tx.QueryRow(`SELECT
		(SELECT string_agg(format('DELETE FROM %I', tablename), '; ') FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_version'),
		(SELECT string_agg(format('SELECT setval(%L, %s, false)', format('%I', sequencename), start_value), '; ') FROM pg_sequences WHERE schemaname = current_schema())`).Scan(&tables, &sequences)
	if err != nil {
		return fmt.Errorf("list the tables: %w", err)
	}
	if !tables.Valid {
		return fmt.Errorf("no table in the schema: no store was opened on it")
	}
	// The store's own triggers refuse to empty the audit trail, and its foreign keys the
	// order of the deletes; a session in replica mode fires none of them (the test cluster's
	// role is its superuser).
	if _, err := tx.Exec(`SET LOCAL session_replication_role = replica`); err != nil {
		return fmt.Errorf("leave the triggers out: %w", err)
	}
	if _, err := tx.Exec(tables.String); err != nil {
		return fmt.Errorf("delete the rows: %w", err)
	}
	if sequences.Valid {
		if _, err := tx.Exec(sequences.String); err != nil {
			return fmt.Errorf("restart the sequences: %w", err)
		}
	}
	return tx.Commit()
}
