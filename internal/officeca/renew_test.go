package officeca_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca"
)

// TestRenew: Renew issues, with the office CA's key, a certificate for a new key and the same
// subject that chains to the same CA and ends three years on, and Load reads it.
func TestRenew(t *testing.T) {
	dir := t.TempDir()
	made := now.AddDate(-3, 0, 0)
	if err := officeca.Create(dir, "Task Force North", made); err != nil {
		t.Fatal(err)
	}
	old, err := officeca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	caKey, _ := os.ReadFile(filepath.Join(dir, officeca.CAKeyFile))
	cert, err := officeca.Renew(dir, caKey, now)
	if err != nil {
		t.Fatal(err)
	}
	s, err := officeca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Cert.Equal(cert) || s.Cert.Equal(old.Cert) {
		t.Fatal("Load does not read the renewed certificate")
	}
	if s.Cert.PublicKey.(*ecdsa.PublicKey).Equal(old.Cert.PublicKey) {
		t.Error("the renewed certificate is for the old key")
	}
	if s.Cert.Subject.String() != old.Cert.Subject.String() || !s.Chain[0].Equal(old.Chain[0]) {
		t.Errorf("renewed for %v under %v, want %v under the same CA", s.Cert.Subject, s.Chain[0].Subject, old.Cert.Subject)
	}
	roots := x509.NewCertPool()
	roots.AddCert(s.Chain[0])
	if _, err := s.Cert.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}); err != nil {
		t.Errorf("renewed certificate does not chain to the CA: %v", err)
	}
	if got, want := s.Cert.NotAfter, now.Add(3*365*24*time.Hour); !got.Equal(want) {
		t.Errorf("renewed until %v, want %v", got, want)
	}
	if fi, err := os.Stat(filepath.Join(dir, officeca.SigningKeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file after renewal: %v %v", fi.Mode(), err)
	}
	names, _ := os.ReadDir(dir)
	for _, n := range names {
		if strings.HasSuffix(n.Name(), ".new") || strings.HasSuffix(n.Name(), ".tmp") {
			t.Errorf("%s is left in the directory", n.Name())
		}
	}

	// Never beyond the CA's own end.
	late := now.AddDate(6, 0, 0)
	cert, err = officeca.Renew(dir, caKey, late)
	if err != nil {
		t.Fatal(err)
	}
	if !cert.NotAfter.Equal(s.Chain[0].NotAfter) {
		t.Errorf("renewed in the CA's last years until %v, want the CA's end %v", cert.NotAfter, s.Chain[0].NotAfter)
	}
	if _, err := officeca.Renew(dir, caKey, s.Chain[0].NotAfter.Add(time.Hour)); err == nil || !strings.Contains(err.Error(), "new CA") {
		t.Errorf("Renew after the CA's end = %v", err)
	}
}

// TestRenewRefuses: Renew refuses, leaving the pair in place, a key that is not the CA's,
// a certificate from another issuer (with or without its chain) and a directory without
// one.
func TestRenewRefuses(t *testing.T) {
	dir := t.TempDir()
	if err := officeca.Create(dir, "Office", now); err != nil {
		t.Fatal(err)
	}
	signingKey, _ := os.ReadFile(filepath.Join(dir, officeca.SigningKeyFile))
	before, _ := os.ReadFile(filepath.Join(dir, officeca.SigningCertFile))
	if _, err := officeca.Renew(dir, signingKey, now); !errors.Is(err, officeca.ErrNotCAKey) {
		t.Errorf("Renew with the signing key as the CA's = %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, officeca.SigningCertFile)); !bytes.Equal(before, after) {
		t.Error("a refused renewal changed the certificate")
	}

	key := newKey(t)
	good := issue(t, key, x509.KeyUsageDigitalSignature, nil, false)
	caKey, _ := os.ReadFile(filepath.Join(dir, officeca.CAKeyFile))
	imported := t.TempDir()
	if err := officeca.Import(imported, good, keyPEM(t, key), now); err != nil {
		t.Fatal(err)
	}
	if _, err := officeca.Renew(imported, caKey, now); !errors.Is(err, officeca.ErrNotOfficeCA) || !strings.Contains(err.Error(), `"Imported"`) {
		t.Errorf("Renew of an imported certificate = %v, want ErrNotOfficeCA naming its issuer", err)
	}
	// An imported certificate beside the office CA's files (pdf-ca.crt of an earlier
	// office CA) is not the CA's either.
	for _, n := range []string{officeca.CACertFile, officeca.CAKeyFile} {
		b, _ := os.ReadFile(filepath.Join(dir, n))
		os.WriteFile(filepath.Join(imported, n), b, 0o600)
	}
	if _, err := officeca.Renew(imported, caKey, now); !errors.Is(err, officeca.ErrNotOfficeCA) {
		t.Errorf("Renew of an imported certificate beside a CA = %v, want ErrNotOfficeCA", err)
	}
	chained := t.TempDir()
	ca, _ := os.ReadFile(filepath.Join(dir, officeca.CACertFile))
	if err := officeca.Import(chained, append(before, ca...), signingKey, now); err != nil {
		t.Fatal(err)
	}
	if _, err := officeca.Renew(chained, caKey, now); !errors.Is(err, officeca.ErrNotOfficeCA) {
		t.Errorf("Renew of an imported certificate with its chain = %v, want ErrNotOfficeCA", err)
	}
	if _, err := officeca.Renew(t.TempDir(), caKey, now); !errors.Is(err, officeca.ErrNoCertificate) {
		t.Errorf("Renew without a certificate = %v, want ErrNoCertificate", err)
	}
}
