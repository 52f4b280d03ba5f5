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
// test's own (see PostgresURL) and returns a URL whose sessions work in it: for tests that
// open many empty stores, such as property tests, where a database each would be slow.
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
