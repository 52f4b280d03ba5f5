package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/registry"
)

// /readyz stays ready when the PDF signing certificate has expired (verification goes on),
// and says on a line of its own that releases are refused and how to renew it.
func TestReadyzWarnsOfAnExpiredPDFCertificate(t *testing.T) {
	now := time.Now()
	cfg := newRegistryConfig(t, func(c *registry.Config) {
		c.PDFSigner = officecatest.SignerValid(t, "Ready Office", now.AddDate(-3, 0, 0), now.Add(-time.Hour))
	})
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "ready\n") ||
		!strings.Contains(string(body), "\nwarning: ") || !strings.Contains(string(body), "expired on") || !strings.Contains(string(body), "pdf-signing.crt") {
		t.Errorf("/readyz with an expired PDF certificate: %d %q", resp.StatusCode, body)
	}
}
