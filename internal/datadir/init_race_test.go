package datadir

import (
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestInitsStartedAtOnce: two inits started at once on a fresh directory raced before either
// took a lock: the second removed the first's staged keys and wrote its own, the first,
// refused at the settings, then removed the second's staged keys as its own, and neither
// init left a directory that opens. Init now holds a lock on the directory from before it
// looks for settings: the second waits, then finds the first's settings and is refused.
func TestInitsStartedAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d")
	first := Settings{Office: "First Office", Prefix: "FIR", Origin: "first.example/log"}
	second := Settings{Office: "Second Office", Prefix: "SEC", Origin: "second.example/log"}
	var calls atomic.Int32
	firstBlocked, secondAtSettings := make(chan struct{}), make(chan struct{})
	releaseFirst, releaseSecond := make(chan struct{}), make(chan struct{})
	initStep = func(string) {
		switch calls.Add(1) {
		case 1: // the first init, its first key staged
			close(firstBlocked)
			<-releaseFirst
		case 5: // before the fix, the second init, its settings written
			close(secondAtSettings)
			<-releaseSecond
		}
	}
	defer func() { initStep = func(string) {} }()

	var wg sync.WaitGroup
	var errFirst, errSecond error
	wg.Add(2)
	go func() {
		defer wg.Done()
		d, err := Init(path, first)
		if err == nil {
			d.Close()
		}
		errFirst = err
	}()
	<-firstBlocked
	go func() {
		defer wg.Done()
		d, err := Init(path, second)
		if err == nil {
			d.Close()
		}
		errSecond = err
	}()
	secondRan := false
	select {
	case <-secondAtSettings:
		secondRan = true
	case <-time.After(time.Second): // the second waits for the first
	}
	close(releaseFirst)
	if secondRan {
		time.Sleep(200 * time.Millisecond) // let the first finish before the second moves its keys in
	}
	close(releaseSecond)
	wg.Wait()

	d, err := Open(path)
	if err != nil {
		t.Fatalf("the directory does not open (%v); first init: %v; second: %v", err, errFirst, errSecond)
	}
	defer d.Close()
	if errFirst != nil || !errors.Is(errSecond, ErrInitialized) || d.Settings.Office != first.Office {
		t.Fatalf("first init: %v; second: %v; the directory is %q's, want the first's, the second refused", errFirst, errSecond, d.Settings.Office)
	}
}

// TestReopenWaitsForTheInitMovingItsKeysIn: a second init of the same office, started while
// the first moved its staged keys in, found the settings and resumed the directory
// (Reopen), moving the same staged keys in beside the first: the one whose rename was
// refused failed, and an Init that fails removes the keys it wrote, wherever the other had
// moved them. Reopen now moves them in under the directory's lock, once Init has finished.
func TestReopenWaitsForTheInitMovingItsKeysIn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d")
	s := Settings{Office: "First Office", Prefix: "FIR", Origin: "first.example/log"}
	blocked, release := make(chan struct{}), make(chan struct{})
	initStep = func(name string) {
		if name == settingsFile {
			close(blocked)
			<-release
		}
	}
	defer func() { initStep = func(string) {} }()
	initDone := make(chan error, 1)
	go func() {
		d, err := Init(path, s)
		if err == nil {
			d.Close()
		}
		initDone <- err
	}()
	<-blocked
	reopened := make(chan error, 1)
	go func() {
		d, err := Reopen(path, s)
		if err == nil {
			d.Close()
		}
		reopened <- err
	}()
	select {
	case err := <-reopened:
		close(release)
		t.Fatalf("Reopen returned (%v) while Init was moving its keys in; Init: %v", err, <-initDone)
	case <-time.After(500 * time.Millisecond):
	}
	close(release)
	if err := <-initDone; err != nil {
		t.Fatalf("Init: %v", err)
	}
	if err := <-reopened; err != nil {
		t.Fatalf("Reopen after Init: %v", err)
	}
}
