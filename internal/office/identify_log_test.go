package office_test

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
)

// TestOpenLogsTheIdentificationIndex checks that a server's log says when it reads the
// identification index and how long that took: at 100,000 letters serve logged nothing for
// the 8–11 s it read it, before it served anything.
func TestOpenLogsTheIdentificationIndex(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	d, _, err := office.Init(ctx, dir, datadir.Settings{Office: "Log Office", Prefix: "LOG", Origin: "log.example/log", URL: "https://log.example"}, "admin", nil, office.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	st, err := office.Open(ctx, d, office.Options{Logger: slog.New(slog.NewTextHandler(&buf, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	before := strings.Index(buf.String(), "reading the identification index")
	after := strings.Index(buf.String(), "identification index read")
	if before < 0 || after < before || !strings.Contains(buf.String()[after:], "took=") {
		t.Errorf("the log does not say when the identification index is read, and how long it took:\n%s", buf.String())
	}
}
