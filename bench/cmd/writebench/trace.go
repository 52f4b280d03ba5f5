package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"golang.org/x/exp/trace"
)

// writerFunc is the function the store's one writer runs in: every write transaction of a
// server runs on that goroutine (store group commit).
const writerFunc = "github.com/chancery/chancery/internal/store.(*committer).run"

// fetchTrace saves a runtime trace of the server, taken in the same window as the CPU
// profile, and returns where its writer's time went.
func fetchTrace(ctx context.Context, c config) (*stateTimes, error) {
	if err := saveDebug(ctx, c, "trace", c.trace); err != nil {
		return nil, err
	}
	f, err := os.Open(c.trace)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := goroutineStates(f, writerFunc)
	if err != nil {
		return nil, fmt.Errorf("trace %s: %w", c.trace, err)
	}
	return st, nil
}

// stateTimes is where some goroutines' time went during a trace, by state: "running",
// "waiting for a processor" (runnable), "system call: NAME" (blocked in the system call NAME)
// and "waiting: REASON" (blocked, for the runtime's reason: "network", "select", "sync", …).
type stateTimes struct {
	span       time.Duration // the whole trace
	goroutines int           // how many goroutines matched
	by         map[string]time.Duration
}

// goroutineStates reads a runtime trace and sums, by state, the time of the goroutines seen
// running fn: those that, at some point in the trace, leave the running state with fn on
// their stack.
func goroutineStates(r io.Reader, fn string) (*stateTimes, error) {
	tr, err := trace.NewReader(r)
	if err != nil {
		return nil, err
	}
	type since struct {
		at    trace.Time
		state string
	}
	cur := map[trace.GoID]since{}
	times := map[trace.GoID]map[string]time.Duration{}
	match := map[trace.GoID]bool{}
	var first, last trace.Time
	for {
		ev, err := tr.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if first == 0 {
			first = ev.Time()
		}
		last = ev.Time()
		if ev.Kind() != trace.EventStateTransition {
			continue
		}
		st := ev.StateTransition()
		if st.Resource.Kind != trace.ResourceGoroutine {
			continue
		}
		id := st.Resource.Goroutine()
		from, to := st.Goroutine()
		if from == trace.GoRunning && onStack(ev.Stack(), fn) {
			match[id] = true
		}
		if s, ok := cur[id]; ok {
			if times[id] == nil {
				times[id] = map[string]time.Duration{}
			}
			times[id][s.state] += time.Duration(ev.Time() - s.at)
		}
		if to == trace.GoNotExist {
			delete(cur, id) // it ended
			continue
		}
		cur[id] = since{at: ev.Time(), state: stateName(to, st.Reason, ev.Stack())}
	}
	out := &stateTimes{span: time.Duration(last - first), by: map[string]time.Duration{}}
	for id := range match {
		out.goroutines++
		// A matched goroutine that has not ended stays in its last state until the trace ends.
		if s, ok := cur[id]; ok {
			out.by[s.state] += time.Duration(last - s.at)
		}
		for k, d := range times[id] {
			out.by[k] += d
		}
	}
	return out, nil
}

// onStack reports whether a frame of s runs fn.
func onStack(s trace.Stack, fn string) bool {
	for f := range s.Frames() {
		if f.Func == fn {
			return true
		}
	}
	return false
}

// stateName names the state a goroutine enters.
func stateName(s trace.GoState, reason string, stack trace.Stack) string {
	switch s {
	case trace.GoRunning:
		return "running"
	case trace.GoRunnable:
		return "waiting for a processor"
	case trace.GoSyscall:
		return "system call: " + syscallName(stack)
	case trace.GoWaiting:
		if reason == "" {
			reason = "other"
		}
		return "waiting: " + reason
	}
	return strings.ToLower(s.String())
}

// syscallName names the system call a stack entered: the pure-Go SQLite's C library call
// (modernc.org/libc.Xfsync is "fsync") or Go's own function for it (syscall.Fsync, syscall.write),
// above the generic entries (syscall.Syscall, syscall.RawSyscall6).
func syscallName(stack trace.Stack) string {
	for f := range stack.Frames() {
		if name, ok := strings.CutPrefix(f.Func, "modernc.org/libc.X"); ok && !strings.HasPrefix(name, "_") {
			return name
		}
		if name, ok := strings.CutPrefix(f.Func, "syscall."); ok && !strings.HasPrefix(strings.ToLower(name), "syscall") &&
			!strings.HasPrefix(strings.ToLower(name), "rawsyscall") {
			return strings.ToLower(name)
		}
	}
	return "other"
}

// print writes the states as a table, the longest first.
func (st *stateTimes) print(w io.Writer, what string) {
	fmt.Fprintf(w, "\n%s, over a %.1f s trace of the first server (%d goroutine(s)):\n\n", what, st.span.Seconds(), st.goroutines)
	fmt.Fprintln(w, "| state | time | share of the trace |")
	fmt.Fprintln(w, "|---|---:|---:|")
	keys := make([]string, 0, len(st.by))
	for k := range st.by {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		return cmp.Or(cmp.Compare(st.by[b], st.by[a]), strings.Compare(a, b))
	})
	for _, k := range keys {
		fmt.Fprintf(w, "| %s | %.0f ms | %.1f%% |\n", k, float64(st.by[k])/1e6, 100*float64(st.by[k])/float64(max(st.span, 1)))
	}
}
