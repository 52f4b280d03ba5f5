package officeca_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/officeca"
)

// TestChainMustIssueTheCertificate: Import (and init's Check) took an issuing chain after the
// signing certificate without checking that it issued it, and Load took pdf-chain.crt beside
// whatever pdf-signing.crt was there (as RenewPDFCertificate tells an office with an imported
// certificate to replace it): every release then embedded a chain that did not lead to its
// certificate, and readers could not build the signer's path (found by audit, forty-ninth
// session). All three refuse it.
func TestChainMustIssueTheCertificate(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if err := officeca.Create(d, "Office", now); err != nil {
			t.Fatal(err)
		}
	}
	leaf, _ := os.ReadFile(filepath.Join(a, officeca.SigningCertFile))
	key, _ := os.ReadFile(filepath.Join(a, officeca.SigningKeyFile))
	otherCA, _ := os.ReadFile(filepath.Join(b, officeca.CACertFile))
	certs := append(append([]byte{}, leaf...), otherCA...)
	if err := officeca.Check(certs, key, now); err == nil {
		t.Errorf("Check accepts a signing certificate with another CA's certificate as its chain")
	}
	dst := t.TempDir()
	if err := officeca.Import(dst, certs, key, now); err == nil {
		t.Errorf("Import accepts a signing certificate with another CA's certificate as its chain")
		s, err := officeca.Load(dst)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		for _, c := range s.Chain {
			pool.AddCert(c)
		}
		_, verr := s.Cert.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: now, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		t.Logf("the loaded signer's certificate against its own chain: %v", verr)
	}
	// A renewal by hand (RenewPDFCertificate: put the new pair in place), the chain left.
	if err := os.WriteFile(filepath.Join(a, officeca.ChainFile), otherCA, 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := officeca.Load(a); err == nil {
		t.Errorf("Load takes %s, which did not issue %q, as its chain (%d certificates)", officeca.ChainFile, s.Cert.Subject.CommonName, len(s.Chain))
	}
}

// TestImportRefusesKeysReleasesCannotCarry: an Ed25519 certificate was imported, and every
// release it signed was shown unsigned (pdfsig: "Document isn't signed or corrupted data";
// openssl cms refuses it); an RSA key of 4096 bits made a signature the signing library
// wrote the release twice for (found by audit, forty-ninth session). Both are refused at
// import, and RSA of 2048 bits and ECDSA are taken.
func TestImportRefusesKeysReleasesCannotCarry(t *testing.T) {
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)
	rsa4096, err := rsa.GenerateKey(rand.Reader, 4096)
	if err != nil {
		t.Fatal(err)
	}
	rsa2048, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	for _, c := range []struct {
		name string
		pub  crypto.PublicKey
		key  crypto.Signer
		ok   bool
	}{{"Ed25519", edPub, edKey, false}, {"RSA 4096", &rsa4096.PublicKey, rsa4096, false}, {"RSA 2048", &rsa2048.PublicKey, rsa2048, true}, {"ECDSA P-384", &ec.PublicKey, ec, true}} {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Task Force North"},
			NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, c.pub, c.key)
		if err != nil {
			t.Fatal(err)
		}
		kd, err := x509.MarshalPKCS8PrivateKey(c.key)
		if err != nil {
			t.Fatal(err)
		}
		certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})
		err = officeca.Import(t.TempDir(), certPEM, keyPEM, now)
		if c.ok && err != nil || !c.ok && (err == nil || !strings.Contains(err.Error(), "PDF signatures take")) {
			t.Errorf("%s: import %v, want accepted %v", c.name, err, c.ok)
		}
	}
}
