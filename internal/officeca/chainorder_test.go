package officeca_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/officeca"
)

// TestChainInBundleOrderStillLoads: an office that imported a certificate with its chain, whose
// pdf-chain.crt holds the root before the intermediate (the order of many CA bundles), loaded
// before item 559; that item's first form refused it, and with it office.Open (found by the
// session's review). The chain is checked in any order, and put in order.
func TestChainInBundleOrderStillLoads(t *testing.T) {
	mk := func(tmpl, parent *x509.Certificate, pub, signer any) (*x509.Certificate, []byte) {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return c, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	rootKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	interKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	leafKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ca := func(n int64, cn string) *x509.Certificate {
		return &x509.Certificate{SerialNumber: big.NewInt(n), Subject: pkix.Name{CommonName: cn}, NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	}
	rootT := ca(1, "Root")
	root, rootPEM := mk(rootT, rootT, &rootKey.PublicKey, rootKey)
	inter, interPEM := mk(ca(2, "Intermediate"), root, &interKey.PublicKey, rootKey)
	_, leafPEM := mk(&x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "Task Force North"},
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}, inter, &leafKey.PublicKey, interKey)
	kd, _ := x509.MarshalPKCS8PrivateKey(leafKey)
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kd})
	dir := t.TempDir()
	if err := officeca.Import(dir, append(append(append([]byte{}, leafPEM...), interPEM...), rootPEM...), keyPEM, now); err != nil {
		t.Fatalf("import leaf, intermediate, root: %v", err)
	}
	// The chain as a CA bundle gives it: root first.
	if err := os.WriteFile(filepath.Join(dir, officeca.ChainFile), append(append([]byte{}, rootPEM...), interPEM...), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := officeca.Load(dir); err != nil {
		t.Errorf("an office whose chain file holds its root first no longer loads: %v", err)
	}
}
