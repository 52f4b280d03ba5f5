package cli_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// TestRotatePDFCertLetsReleasesGoOn: no command renewed the PDF signing certificate, and
// once it ended every release was refused (503) until an operator issued a new one with
// openssl. 'key rotate pdf-cert' renews it with the office CA; after a restart the office
// releases again, signed with the new certificate, warns no more, and the audit trail
// records the renewal.
func TestRotatePDFCertLetsReleasesGoOn(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	// An office made three years and a day ago: its signing certificate ended yesterday.
	o := openReleasingOfficeWith(t, dir, "", func(dir string) error {
		return officeca.Create(dir, "Backup Office", time.Now().AddDate(-3, 0, -1))
	})
	if _, err := o.release(); !errors.Is(err, registry.ErrPDFCertificate) {
		t.Fatalf("release with an expired certificate: %v, want ErrPDFCertificate", err)
	}
	if w := o.st.Registry.PDFCertificateWarning(); !strings.Contains(w, "key rotate pdf-cert") {
		t.Errorf("the warning does not say how to renew: %q", w)
	}
	o.st.Close()

	code, stdout, errs := run("key", "rotate", "pdf-cert", "--data", dir)
	if code != 0 || !strings.Contains(stdout, "renewed") || !strings.Contains(errs, "start the server again") {
		t.Fatalf("key rotate pdf-cert: status %d\n%s%s", code, stdout, errs)
	}
	renewed, err := officeca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if end := renewed.Cert.NotAfter; end.Before(time.Now().AddDate(2, 11, 0)) {
		t.Errorf("renewed until %v, want about three years", end)
	}

	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	st, err := officepkg.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	o.st = st
	rel, err := o.release()
	if err != nil {
		t.Fatalf("release after the renewal: %v", err)
	}
	// The signature's CMS, with its certificates, is written in hex.
	if doc := bytes.ToLower(rel.File); !bytes.Contains(doc, []byte(hex.EncodeToString(renewed.Cert.Raw))) {
		t.Error("the released PDF does not carry the renewed certificate")
	}
	if w := st.Registry.PDFCertificateWarning(); w != "" {
		t.Errorf("a warning after the renewal: %q", w)
	}
	var events []store.AuditEvent
	err = st.DB.View(ctx, func(tx *store.Tx) error {
		events, err = tx.AuditEvents(ctx, "")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var recorded bool
	for _, e := range events {
		recorded = recorded || e.Action == "pdf-cert.renew" && strings.Contains(e.Detail, renewed.Cert.NotAfter.UTC().Format(time.DateOnly))
	}
	if !recorded {
		t.Errorf("no pdf-cert.renew audit event: %+v", events)
	}
}

// TestRotatePDFCertRefusesAnImportedCertificate: a certificate imported from another issuer
// is not renewed with the office CA; the hint says to ask that issuer.
func TestRotatePDFCertRefusesAnImportedCertificate(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	src := t.TempDir()
	if err := officeca.Create(src, "Other Issuer", time.Now()); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "office")
	code, _, errs := run("init", "--data", dir, "--office", "Imported Office", "--prefix", "IMP", "--url", "https://imported.example",
		"--pdf-cert", filepath.Join(src, officeca.SigningCertFile), "--pdf-key", filepath.Join(src, officeca.SigningKeyFile))
	if code != 0 {
		t.Fatalf("init --pdf-cert: status %d\n%s", code, errs)
	}
	code, _, errs = run("key", "rotate", "pdf-cert", "--data", dir, "--ca-key", filepath.Join(src, officeca.CAKeyFile))
	if code == 0 || !strings.Contains(errs, "not issued by the office CA") || !strings.Contains(errs, "hint: only its issuer can renew it") {
		t.Fatalf("key rotate pdf-cert of an imported certificate: status %d\n%s", code, errs)
	}

	// The office CA's own office, its CA key kept offline, is told to name it with --ca-key.
	own := filepath.Join(t.TempDir(), "own")
	if code, _, errs := run("init", "--data", own, "--office", "Own Office", "--prefix", "OWN", "--url", "https://own.example"); code != 0 {
		t.Fatalf("init: status %d\n%s", code, errs)
	}
	if err := os.Rename(filepath.Join(own, officeca.CAKeyFile), filepath.Join(t.TempDir(), officeca.CAKeyFile)); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run("key", "rotate", "pdf-cert", "--data", own)
	if code == 0 || !strings.Contains(errs, "--ca-key") {
		t.Fatalf("key rotate pdf-cert without the CA's key: status %d\n%s", code, errs)
	}
}

// TestRotatePDFCertWithoutAnOfficeCA: 'key rotate pdf-cert' run as docs/operations.md writes
// it, on an office that has no office CA (a certificate imported at init with --pdf-cert, or
// none with --no-pdf-ca), says so, rather than ask for an office CA key that does not exist.
func TestRotatePDFCertWithoutAnOfficeCA(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	src := t.TempDir()
	if err := officeca.Create(src, "Other Issuer", time.Now()); err != nil {
		t.Fatal(err)
	}
	imported := filepath.Join(t.TempDir(), "imported")
	if code, _, errs := run("init", "--data", imported, "--office", "Imported Office", "--prefix", "IMP", "--url", "https://imported.example",
		"--pdf-cert", filepath.Join(src, officeca.SigningCertFile), "--pdf-key", filepath.Join(src, officeca.SigningKeyFile)); code != 0 {
		t.Fatalf("init --pdf-cert: status %d\n%s", code, errs)
	}
	code, _, errs := run("key", "rotate", "pdf-cert", "--data", imported)
	if code != 2 || !strings.Contains(errs, "not issued by the office CA") || !strings.Contains(errs, "hint: only its issuer can renew it") || strings.Contains(errs, "--ca-key") {
		t.Errorf("key rotate pdf-cert of an imported certificate, without --ca-key: status %d\n%s", code, errs)
	}

	none := filepath.Join(t.TempDir(), "none")
	if code, _, errs := run("init", "--data", none, "--office", "Unsigned Office", "--prefix", "UNS", "--url", "https://unsigned.example", "--no-pdf-ca"); code != 0 {
		t.Fatalf("init --no-pdf-ca: status %d\n%s", code, errs)
	}
	code, _, errs = run("key", "rotate", "pdf-cert", "--data", none)
	if code != 2 || !strings.Contains(errs, "nothing to renew") || strings.Contains(errs, "--ca-key") {
		t.Errorf("key rotate pdf-cert of an office without a certificate: status %d\n%s", code, errs)
	}
}
