package officeca_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca"
)

var now = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

func TestCreateLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pdfca")
	if _, err := officeca.Load(dir); !errors.Is(err, officeca.ErrNoCertificate) {
		t.Fatalf("Load of an empty directory = %v, want ErrNoCertificate", err)
	}
	if err := officeca.Create(dir, "Task Force North", now); err != nil {
		t.Fatal(err)
	}
	for name, mode := range map[string]os.FileMode{
		officeca.CACertFile: 0o644, officeca.CAKeyFile: 0o600, officeca.SigningCertFile: 0o644, officeca.SigningKeyFile: 0o600,
	} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != mode {
			t.Errorf("%s has mode %v, want %v", name, fi.Mode().Perm(), mode)
		}
	}
	s, err := officeca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Cert.Subject.CommonName != "Task Force North" || len(s.Chain) != 1 || !s.Chain[0].IsCA {
		t.Fatalf("loaded %v with chain %d", s.Cert.Subject, len(s.Chain))
	}
	if s.Cert.KeyUsage&x509.KeyUsageDigitalSignature == 0 || s.Cert.KeyUsage&x509.KeyUsageContentCommitment == 0 {
		t.Errorf("key usage %b", s.Cert.KeyUsage)
	}
	roots := x509.NewCertPool()
	roots.AddCert(s.Chain[0])
	if _, err := s.Cert.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}); err != nil {
		t.Errorf("signing certificate does not chain to the CA: %v", err)
	}
	if err := officeca.Create(dir, "Task Force North", now); !errors.Is(err, officeca.ErrExists) {
		t.Errorf("second Create = %v, want ErrExists", err)
	}
}

// issue makes a certificate for key, issued by itself, with the given usages.
func issue(t *testing.T, key *ecdsa.PrivateKey, ku x509.KeyUsage, eku []x509.ExtKeyUsage, isCA bool) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Imported"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: ku, ExtKeyUsage: eku, BasicConstraintsValid: true, IsCA: isCA,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func keyPEM(t *testing.T, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestImport(t *testing.T) {
	key, other := newKey(t), newKey(t)
	good := issue(t, key, x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment, []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}, false)
	for name, c := range map[string]struct {
		cert, key []byte
		want      string
	}{
		"mismatched key":   {good, keyPEM(t, other), "does not match"},
		"server cert":      {issue(t, key, x509.KeyUsageDigitalSignature, []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, false), keyPEM(t, key), "extended key usage"},
		"encipherment":     {issue(t, key, x509.KeyUsageKeyEncipherment, nil, false), keyPEM(t, key), "key usage"},
		"ca cert":          {issue(t, key, x509.KeyUsageCertSign|x509.KeyUsageDigitalSignature, nil, true), keyPEM(t, key), "CA certificate"},
		"no certificate":   {nil, keyPEM(t, key), "no certificate"},
		"no key":           {good, nil, "no private key"},
		"garbage key data": {good, []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"), "parse private key"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			err := officeca.Import(dir, c.cert, c.key, now)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Import = %v, want an error about %q", err, c.want)
			}
			if _, err := officeca.Load(dir); !errors.Is(err, officeca.ErrNoCertificate) {
				t.Errorf("a refused import left material behind: %v", err)
			}
		})
	}
	if err := officeca.Import(t.TempDir(), good, keyPEM(t, key), now.Add(48*time.Hour)); err == nil || !strings.Contains(err.Error(), "valid only") {
		t.Errorf("Import of an expired certificate = %v", err)
	}

	dir := t.TempDir()
	if err := officeca.Import(dir, good, keyPEM(t, key), now); err != nil {
		t.Fatal(err)
	}
	s, err := officeca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Cert.Subject.CommonName != "Imported" || len(s.Chain) != 0 {
		t.Errorf("loaded %v, chain %d", s.Cert.Subject, len(s.Chain))
	}
	if fi, err := os.Stat(filepath.Join(dir, officeca.SigningKeyFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", fi.Mode(), err)
	}
	if err := officeca.Import(dir, good, keyPEM(t, key), now); !errors.Is(err, officeca.ErrExists) {
		t.Errorf("second Import = %v, want ErrExists", err)
	}
}

func TestImportChain(t *testing.T) {
	dir := t.TempDir()
	if err := officeca.Create(dir, "Office", now); err != nil {
		t.Fatal(err)
	}
	certs, _ := os.ReadFile(filepath.Join(dir, officeca.SigningCertFile))
	ca, _ := os.ReadFile(filepath.Join(dir, officeca.CACertFile))
	key, _ := os.ReadFile(filepath.Join(dir, officeca.SigningKeyFile))
	dst := t.TempDir()
	if err := officeca.Import(dst, append(certs, ca...), key, now); err != nil {
		t.Fatal(err)
	}
	s, err := officeca.Load(dst)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Chain) != 1 || !s.Chain[0].IsCA {
		t.Fatalf("chain of %d", len(s.Chain))
	}
}

func TestLoadMismatch(t *testing.T) {
	dir := t.TempDir()
	if err := officeca.Create(dir, "Office", now); err != nil {
		t.Fatal(err)
	}
	ca, _ := os.ReadFile(filepath.Join(dir, officeca.CAKeyFile))
	if err := os.WriteFile(filepath.Join(dir, officeca.SigningKeyFile), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := officeca.Load(dir); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("Load with the CA key as signing key = %v", err)
	}
}

// TestLoadRefusesKeyReadableByOthers: the PDF signing key signs what readers show as the
// office's signature; a key file others can read is refused, as office.key and log.key are.
func TestLoadRefusesKeyReadableByOthers(t *testing.T) {
	dir := t.TempDir()
	if err := officeca.Create(dir, "Test Office", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, officeca.SigningKeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := officeca.Load(dir); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("loaded a world-readable signing key: %v", err)
	}
}

// TestImportRefusesAChainOutsideItsValidity: a signing certificate imported with an issuing
// chain whose CA has expired was accepted, and every release was then refused (a release
// checks the whole chain: pdf.Signer.ValidAt). Import refuses it, naming the certificate.
func TestImportRefusesAChainOutsideItsValidity(t *testing.T) {
	caKey, key := newKey(t), newKey(t)
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Old CA"},
		NotBefore: now.Add(-10 * 24 * time.Hour), NotAfter: now.Add(-time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Imported"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	certs := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})...)
	dir := t.TempDir()
	err = officeca.Import(dir, certs, keyPEM(t, key), now)
	if err == nil || !strings.Contains(err.Error(), `"Old CA" is valid only`) {
		s, lerr := officeca.Load(dir)
		if lerr == nil {
			lerr = s.ValidAt(now)
		}
		t.Fatalf("Import = %v, want an error naming the expired CA (a release now: %v)", err, lerr)
	}
	if err := officeca.Check(certs, keyPEM(t, key), now); err == nil {
		t.Error("Check accepts the expired chain")
	}
	if _, err := officeca.Load(dir); !errors.Is(err, officeca.ErrNoCertificate) {
		t.Errorf("a refused import left material behind: %v", err)
	}
}
