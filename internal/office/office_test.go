package office_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/store/storetest"
)

// Close may be called twice, as a deferred Close after an explicit one does: on PostgreSQL the
// second call closed the policy follower's channel again and panicked.
func TestCloseTwice(t *testing.T) {
	for name, database := range map[string]func(testing.TB) string{
		"sqlite":   func(testing.TB) string { return "" },
		"postgres": storetest.PostgresURL,
	} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			dir := filepath.Join(t.TempDir(), "office")
			opts := office.Options{Database: database(t)}
			d, _, err := office.Init(ctx, dir, datadir.Settings{Office: "Close Office", Prefix: "CLO", Origin: "close.example/log", URL: "https://close.example"}, "admin", nil, opts)
			if err != nil {
				t.Fatal(err)
			}
			st, err := office.Open(ctx, d, opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			if err := st.Close(); err != nil {
				t.Errorf("second Close: %v", err)
			}
		})
	}
}
