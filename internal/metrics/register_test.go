package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// The collectors are registered when Handler is first called rather than at start: every
// metric of every file of the package, the Go runtime's and the process's must be served, and
// the closed label sets' series must exist at zero.
func TestHandlerServesEveryCollector(t *testing.T) {
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, err := io.ReadAll(rec.Result().Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"chancery_log_entries ", "chancery_log_append_seconds_bucket", "chancery_log_leader ",
		"chancery_log_batch_entries_bucket", "chancery_log_checkpoints_published_total ",
		"chancery_log_append_to_checkpoint_seconds_bucket", "chancery_releases_total ",
		`chancery_withdrawals_total{kind="supersession"}`, `chancery_verify_answers_total{outcome="unknown"}`,
		`chancery_database_errors_total{op="log_batch"}`, `chancery_database_errors_total{op="log_follow"}`, "chancery_database_updates_total ",
		"chancery_database_commits_total ", "chancery_database_writer_busy_seconds_total ", "chancery_log_cosigned_size ",
		"go_goroutines ", "process_cpu_seconds_total ",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// A second handler serves the same registry: registering twice would panic.
	Handler()
}
