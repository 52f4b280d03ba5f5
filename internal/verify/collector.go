package verify

import (
	"os"
	"runtime/debug"
	"sync"
)

// verifyGCPercent is the collector's headroom while verify runs, unless GOGC says otherwise.
// Each collection marks the globals of every package the binary links, which for chancery
// are the server's 280: over a folder of 1,000 letters of 100 KB (about 3 MB of garbage on
// the 2.4 MB that chancery's package initialisers leave), the one collection the default of
// 100 made cost 4 to 5 ms of a 130 ms run (docs/benchmarks.md, thirty-fifth session). At 200
// such a folder needs none, the heap stays under 10 MB, and larger folders need half as many.
const verifyGCPercent = 200

// collector counts the verify runs under way in this process, so that concurrent ones (tests
// calling Main in parallel) put the setting back only when the last one ends.
var collector struct {
	sync.Mutex
	runs int
	old  int
}

// RoomierCollector sets the collector's headroom to verifyGCPercent while verify runs, when
// GOGC is not set, and returns the function that puts it back. Call it first thing: a
// collection that has already started is not undone.
func RoomierCollector() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	collector.Lock()
	defer collector.Unlock()
	if collector.runs == 0 {
		collector.old = debug.SetGCPercent(verifyGCPercent)
	}
	collector.runs++
	return sync.OnceFunc(func() {
		collector.Lock()
		defer collector.Unlock()
		collector.runs--
		if collector.runs == 0 {
			debug.SetGCPercent(collector.old)
		}
	})
}
