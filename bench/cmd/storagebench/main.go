// Command storagebench measures what a Chancery database holds per released letter (issue 19
// item 5): the bytes of every table and index, divided by the number of released letters, and
// the overhead beyond the released files' own bytes. On SQLite the figures come from the
// dbstat virtual table (pages, payload and unused bytes); on PostgreSQL from the size of each
// table (heap with its free-space and visibility maps, and its TOAST table) and of each of its
// indexes: together, each table's pg_total_relation_size (run VACUUM ANALYZE first, so that
// dead rows are not counted). It only reads the database.
//
//	go run ./cmd/storagebench -db /tmp/verifybench-dir/registry/chancery.db
//	go run ./cmd/storagebench -database 'postgres://chancery@127.0.0.1:5432/office?sslmode=disable'
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

func main() {
	path := flag.String("db", "", "the chancery.db to measure (opened read-only)")
	database := flag.String("database", "", "or the postgres://… URL of the office's PostgreSQL database")
	flag.Parse()
	if (*path == "") == (*database == "") {
		fmt.Fprintln(os.Stderr, "storagebench: give one of -db and -database")
		os.Exit(2)
	}
	var err error
	if *path != "" {
		err = runSQLite(*path)
	} else {
		err = runPostgres(*database)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "storagebench: %v\n", err)
		os.Exit(1)
	}
}

// released counts the released letters and the bytes of their files, and the bytes of every
// stored file: since every release is a stamped PDF, an office keeps each letter's version
// beside its released file, and the overhead of the store is what it holds beyond both.
// A file kept in chunks (schema 22 on PostgreSQL) has its bytes in blob_chunks; an older
// database has no such table.
func released(db *sql.DB, name string) (letters, fileBytes, allFiles int64, err error) {
	size := `length(b.data)`
	if _, err := db.Exec(`SELECT 1 FROM blob_chunks WHERE 1 = 0`); err == nil {
		size = `(length(b.data) + coalesce((SELECT sum(length(c.data)) FROM blob_chunks c WHERE c.blob = b.chunked), 0))`
	}
	err = db.QueryRow(`SELECT count(*), coalesce(sum(`+size+`), 0), (SELECT coalesce(sum(`+size+`), 0) FROM blobs b)
		FROM releases r JOIN blobs b ON b.digest = r.file_digest`).Scan(&letters, &fileBytes, &allFiles)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("count released letters: %w", err)
	}
	if letters == 0 {
		return 0, 0, 0, fmt.Errorf("%s holds no released letter", name)
	}
	return letters, fileBytes, allFiles, nil
}

// summary prints the whole store's bytes per letter and what it holds beyond the files.
func summary(what string, total, letters, fileBytes, allFiles int64) {
	per := func(n int64) float64 { return float64(n) / float64(letters) }
	fmt.Printf("\n%s %.0f bytes per letter; beyond the released files' bytes: %.0f bytes per letter\n", what, per(total), per(total-fileBytes))
	fmt.Printf("stored files (versions and released files) %.0f bytes per letter; beyond them: %.0f bytes per letter\n", per(allFiles), per(total-allFiles))
}

func runSQLite(path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	letters, fileBytes, allFiles, err := released(db, path)
	if err != nil {
		return err
	}
	var pageSize, pages int64
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		return err
	}
	if err := db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		return err
	}
	rows, err := db.Query(`SELECT name, count(*), sum(pgsize), sum(payload), sum(unused) FROM dbstat GROUP BY name ORDER BY sum(pgsize) DESC`)
	if err != nil {
		return fmt.Errorf("dbstat (needs SQLITE_ENABLE_DBSTAT_VTAB): %w", err)
	}
	defer rows.Close()
	fmt.Printf("%s: %d released letters, %d bytes of released files (%.0f per letter), %d pages of %d bytes = %d bytes\n\n",
		path, letters, fileBytes, float64(fileBytes)/float64(letters), pages, pageSize, pages*pageSize)
	fmt.Println("| table or index | pages | bytes | bytes per letter | payload per letter | unused per letter |")
	fmt.Println("|---|---:|---:|---:|---:|---:|")
	for rows.Next() {
		var name string
		var n, size, payload, unused int64
		if err := rows.Scan(&name, &n, &size, &payload, &unused); err != nil {
			return err
		}
		fmt.Printf("| %s | %d | %d | %.0f | %.0f | %.0f |\n", name, n, size, float64(size)/float64(letters),
			float64(payload)/float64(letters), float64(unused)/float64(letters))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	summary("whole file", pages*pageSize, letters, fileBytes, allFiles)
	return nil
}

func runPostgres(url string) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer db.Close()
	letters, fileBytes, allFiles, err := released(db, "the database")
	if err != nil {
		return err
	}
	// Every table of the schema with its TOAST table, and every index on its own row.
	rows, err := db.Query(`SELECT name, main, toast FROM (
		SELECT c.relname AS name, pg_table_size(c.oid) - CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(c.reltoastrelid) END AS main,
			CASE WHEN c.reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(c.reltoastrelid) END AS toast
		FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
		UNION ALL
		SELECT i.relname, pg_total_relation_size(i.oid), 0
		FROM pg_class i WHERE i.relnamespace = current_schema()::regnamespace AND i.relkind = 'i'
	) s ORDER BY main + toast DESC, name`)
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Printf("%d released letters, %d bytes of released files (%.0f per letter)\n\n", letters, fileBytes, float64(fileBytes)/float64(letters))
	fmt.Println("| table or index | bytes | bytes per letter | of which TOAST |")
	fmt.Println("|---|---:|---:|---:|")
	var total int64
	for rows.Next() {
		var name string
		var main, toast int64
		if err := rows.Scan(&name, &main, &toast); err != nil {
			return err
		}
		total += main + toast
		fmt.Printf("| %s | %d | %.0f | %.0f |\n", name, main+toast, float64(main+toast)/float64(letters), float64(toast)/float64(letters))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	summary("all tables and indexes", total, letters, fileBytes, allFiles)
	return nil
}
