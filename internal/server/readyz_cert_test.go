package server

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// /readyz stays ready when the PDF signing certificate has expired (verification goes on),
// and says on a line of its own that releases are refused and how to renew it.
func TestReadyzWarnsOfAnExpiredPDFCertificate(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	const origin = "ready.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close(); db.Close() })
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	now := time.Now()
	reg := registry.New(registry.Config{DB: db, Log: lg, Office: registry.Office{Name: "Ready Office", Prefix: "RDY", URL: "http://ready.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin,
		PDFSigner: officecatest.SignerValid(t, "Ready Office", now.AddDate(-3, 0, 0), now.Add(-time.Hour))})
	srv := httptest.NewServer(New(Config{Log: lg, DB: db, VerifierKey: vkey, Origin: origin, Registry: reg}))
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
