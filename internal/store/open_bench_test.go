package store

import (
	"context"
	"testing"
)

// BenchmarkOpenNewSQLite measures opening a new SQLite store, its schema made (every test
// that opens a store pays it, under the race detector in CI):
//
//	go test -run '^$' -bench OpenNewSQLite -benchtime 10x ./internal/store/
//	go test -race -run '^$' -bench OpenNewSQLite -benchtime 5x ./internal/store/
func BenchmarkOpenNewSQLite(b *testing.B) {
	for b.Loop() {
		db, err := OpenSQLite(context.Background(), b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
