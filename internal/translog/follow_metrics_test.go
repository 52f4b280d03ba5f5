package translog

import (
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/metrics"
)

// databaseErrors reads chancery_database_errors_total{op=op} from the metrics handler.
func databaseErrors(t *testing.T, op string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	for line := range strings.Lines(rec.Body.String()) {
		if v, ok := strings.CutPrefix(line, `chancery_database_errors_total{op="`+op+`"} `); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("no %s error series in /metrics", op)
	return 0
}

// A server of a PostgreSQL office that does not sequence and cannot read the stored head (the
// database is gone) counts its failed looks as log_follow, not as failed sequencer batches:
// before, each server counted ten log_batch errors a second through an outage with no append
// under way (live: 48 on each of three servers in a 5 s restart of PostgreSQL), as if
// releases had been rolled back.
func TestFollowerFailuresAreNotBatches(t *testing.T) {
	dbs, logs, _ := openShared(t, 1)
	if _, err := logs[0].Append(t.Context(), []byte("entry")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * followInterval) // the lease given up: the log follows
	batches, follows := databaseErrors(t, metrics.OpLogBatch), databaseErrors(t, metrics.OpLogFollow)
	dbs[0].Close()
	time.Sleep(5 * followInterval)
	if got := databaseErrors(t, metrics.OpLogBatch) - batches; got != 0 {
		t.Errorf("%v failed sequencer batches counted while no append was under way", got)
	}
	if got := databaseErrors(t, metrics.OpLogFollow) - follows; got < 2 {
		t.Errorf("%v failed looks at the head counted in %v without a database, want at least 2", got, 5*followInterval)
	}
}
