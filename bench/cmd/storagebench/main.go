// Command storagebench measures what a Chancery SQLite database holds per released letter
// (issue 19 item 5): the bytes of every table and index, from SQLite's dbstat virtual table,
// divided by the number of released letters, and the overhead beyond the released files'
// own bytes. It only reads the database.
//
//	go run ./cmd/storagebench -db /tmp/verifybench-dir/registry/chancery.db
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"os"

	_ "modernc.org/sqlite"
)

func main() {
	path := flag.String("db", "", "the chancery.db to measure (opened read-only)")
	flag.Parse()
	if *path == "" {
		fmt.Fprintln(os.Stderr, "storagebench: -db is required")
		os.Exit(2)
	}
	if err := run(*path); err != nil {
		fmt.Fprintf(os.Stderr, "storagebench: %v\n", err)
		os.Exit(1)
	}
}

func run(path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var letters, fileBytes int64
	if err := db.QueryRow(`SELECT count(*), coalesce(sum(length(b.data)), 0) FROM releases r JOIN blobs b ON b.digest = r.file_digest`).Scan(&letters, &fileBytes); err != nil {
		return fmt.Errorf("count released letters: %w", err)
	}
	if letters == 0 {
		return fmt.Errorf("%s holds no released letter", path)
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
	total := pages * pageSize
	fmt.Printf("\nwhole file %.0f bytes per letter; beyond the released files' bytes: %.0f bytes per letter\n",
		float64(total)/float64(letters), float64(total-fileBytes)/float64(letters))
	return nil
}
