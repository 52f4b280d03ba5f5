package cli_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
)

// TestDamagedPublishedRecordIsSetAside: a published.checkpoint that is no file chancery
// wrote (a link to a large file, a FIFO) is refused as unreadable, as a record that is not a
// checkpoint is, and 'log accept-restore' sets it aside, reading at most 64 KiB of it. Read
// with os.ReadFile it took 256 MiB of memory for a 256 MiB file, and a FIFO kept the command
// waiting for a writer.
func TestDamagedPublishedRecordIsSetAside(t *testing.T) {
	tmp := t.TempDir()
	big := sparse(t, filepath.Join(tmp, "big"), 256<<20)
	for _, kind := range []string{"large", "fifo"} {
		t.Run(kind, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "office")
			if code, _, errs := run("init", "--data", dir, "--office", "Record Office", "--prefix", "REC", "--url", "https://record.example", "--no-pdf-ca"); code != 0 {
				t.Fatalf("init: status %d\n%s", code, errs)
			}
			record := filepath.Join(dir, datadir.PublishedFile)
			os.Remove(record)
			if kind == "fifo" {
				if err := syscall.Mkfifo(record, 0o600); err != nil {
					t.Fatal(err)
				}
			} else if err := os.Symlink(big, record); err != nil {
				t.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			code, out, errs := run("log", "accept-restore", "--data", dir)
			runtime.ReadMemStats(&after)
			if code != 0 || !strings.Contains(out+errs, "superseded") {
				t.Fatalf("accept-restore of a damaged record (%s): status %d\n%s%s", kind, code, out, errs)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 16<<20 {
				t.Errorf("accept-restore of a damaged record (%s) allocated %d MiB", kind, n>>20)
			}
			if _, err := os.Lstat(record); err != nil {
				t.Errorf("no record after accept-restore: %v", err)
			}
		})
	}
}
