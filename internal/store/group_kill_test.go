package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestGroupCommitKill9: a process whose 16 writers share group transactions is killed with
// SIGKILL while they write; every write its Update acknowledged must be in the database when
// it is opened again (the durability contract under group commit).
func TestGroupCommitKill9(t *testing.T) {
	if dir := os.Getenv("CHANCERY_GROUP_KILL_CHILD"); dir != "" {
		groupKillChild(dir)
		return
	}
	dir := t.TempDir()
	db := openSQLite(t, dir)
	if err := db.ExecForTest(t.Context(), `CREATE TABLE acked (k INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestGroupCommitKill9$")
	cmd.Env = append(os.Environ(), "CHANCERY_GROUP_KILL_CHILD="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Every key printed counts, also those printed between the kill and the child's death.
	var acked []int
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		k, err := strconv.Atoi(sc.Text())
		if err != nil {
			continue // the test framework's own lines
		}
		if acked = append(acked, k); len(acked) == 2000 {
			cmd.Process.Kill()
		}
	}
	cmd.Wait()
	if len(acked) < 2000 {
		t.Fatalf("the child acknowledged %d writes before it stopped", len(acked))
	}
	db = openSQLite(t, dir)
	defer db.Close()
	err = db.View(t.Context(), func(tx *store.Tx) error {
		have, err := store.IntsTx(t.Context(), tx, `SELECT k FROM acked`)
		if err != nil {
			return err
		}
		in := map[int]bool{}
		for _, k := range have {
			in[k] = true
		}
		for _, k := range acked {
			if !in[k] {
				t.Errorf("write %d was acknowledged but is not in the database after SIGKILL", k)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// groupKillChild writes for ever from 16 goroutines, printing each key once its Update has
// returned nil, until it is killed.
func groupKillChild(dir string) {
	db, err := store.OpenSQLite(context.Background(), dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := 0; ; i++ {
				k := i*16 + w
				err := db.Update(context.Background(), func(tx *store.Tx) error {
					return store.ExecTx(context.Background(), tx, `INSERT INTO acked (k) VALUES ($1)`, k)
				})
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Println(k)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}
