package datadir

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestOpenOfAnUnfinishedInitSaysToRunItAgain: an init killed after it wrote the settings,
// before it moved its keys in, left office.key staged; serve and every other command said
// only "read office key: ... no such file or directory", which reads as a key to restore from
// a backup, where the same init run again finishes the directory. Open now says so
// (ErrUnfinished); a finished directory missing a key still says only that.
func TestOpenOfAnUnfinishedInitSaysToRunItAgain(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d")
	s := Settings{Office: "Unfinished Office", Prefix: "UNF", Origin: "unfinished.example/log", URL: "https://unfinished.example"}
	d, err := Init(dir, s)
	if err != nil {
		t.Fatal(err)
	}
	d.Close()
	if err := os.Rename(filepath.Join(dir, officeKeyFile), filepath.Join(dir, officeKeyFile+stagedSuffix)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); !errors.Is(err, ErrUnfinished) {
		t.Fatalf("open of an unfinished directory whose key is staged: %v, want %v", err, ErrUnfinished)
	}
	if err := d.changeSettings(func(s *Settings) error { s.Unfinished = false; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir); err == nil || errors.Is(err, ErrUnfinished) {
		t.Fatalf("open of a finished directory missing office.key: %v, want no mention of an unfinished init", err)
	}
	if err := d.changeSettings(func(s *Settings) error { s.Unfinished = true; return nil }); err != nil {
		t.Fatal(err)
	}
	r, err := Reopen(dir, s)
	if err != nil {
		t.Fatalf("reopen for init to finish: %v", err)
	}
	r.Close()
}
