package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"runtime/trace"
	"strings"
	"testing"
	"time"
)

// A goroutine that spins, sleeps and syncs a file, traced in this process: its time is found
// under each state, the states add up to about its life, and goroutines that never run the
// function are left out.
func TestGoroutineStates(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "synced"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if err := trace.Start(&buf); err != nil {
		t.Fatal(err)
	}
	started := time.Now()
	done := make(chan struct{})
	go tracedWriter(f, done)
	<-done
	life := time.Since(started)
	// Another goroutine, busy too, that must not be counted.
	other := make(chan struct{})
	go func() {
		spin(30 * time.Millisecond)
		close(other)
	}()
	<-other
	trace.Stop()

	st, err := goroutineStates(&buf, "github.com/chancery/chancery/bench/cmd/writebench.tracedWriter")
	if err != nil {
		t.Fatal(err)
	}
	if st.goroutines != 1 {
		t.Fatalf("%d goroutines matched, want 1", st.goroutines)
	}
	var sum, syscalls time.Duration
	for k, d := range st.by {
		sum += d
		if strings.HasPrefix(k, "system call: ") {
			syscalls += d
		}
	}
	if st.by["running"] < 40*time.Millisecond {
		t.Errorf("running %v, want at least the 50 ms it spun: %v", st.by["running"], st.by)
	}
	if st.by["waiting: sleep"] < 40*time.Millisecond {
		t.Errorf("sleeping %v, want at least the 50 ms it slept: %v", st.by["waiting: sleep"], st.by)
	}
	if st.by["system call: fsync"] == 0 {
		t.Errorf("no time in fsync: %v", st.by)
	}
	if syscalls != st.by["system call: fsync"] && st.by["system call: write"] == 0 {
		t.Errorf("system calls other than its write and fsync: %v", st.by)
	}
	// Its life, from its start to its end, and not the trace's length.
	if sum < life-10*time.Millisecond || sum > life {
		t.Errorf("states sum to %v; the goroutine lived %v of a %v trace: %v", sum, life, st.span, st.by)
	}

	var out bytes.Buffer
	st.print(&out, "tracedWriter")
	if !strings.Contains(out.String(), "| running | ") || !strings.Contains(out.String(), "| waiting: sleep | ") {
		t.Errorf("table:\n%s", out.String())
	}
}

func tracedWriter(f *os.File, done chan struct{}) {
	spin(50 * time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	for range 5 {
		f.Write([]byte("x"))
		f.Sync()
	}
	runtime.Gosched()
	close(done)
}

func spin(d time.Duration) {
	for t := time.Now(); time.Since(t) < d; {
	}
}
