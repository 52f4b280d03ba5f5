package pdf_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
)

// TestReleaseSignedWithAnRSA4096Certificate: a document-signing certificate imported
// from another issuer (init --pdf-cert; officeca.Import takes any RSA size) with a 4096-bit
// RSA key makes a signature longer than the library's first estimate. Its retry
// ("Signature too long, retrying with increased buffer size", logged on standard error)
// signs again and writes the whole output, then the first attempt writes it a second time
// (digitorus/pdfsign#135): the release was the signed letter twice over, and pdfsig reported
// "Not total document signed" (found by audit, forty-ninth session). pdf.Sign refuses that
// output, and officeca.Import refuses such a key.
func TestReleaseSignedWithAnRSA4096Certificate(t *testing.T) {
	requireTool(t, "pdfsig")
	validity := func(tmpl *x509.Certificate) {
		tmpl.NotBefore, tmpl.NotAfter = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
		tmpl.BasicConstraintsValid = true
	}
	caKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	caT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Trust Services CA"}, IsCA: true, KeyUsage: x509.KeyUsageCertSign}
	validity(caT)
	caDER, err := x509.CreateCertificate(rand.Reader, caT, caT, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, err := rsa.GenerateKey(rand.Reader, 4096)
	if err != nil {
		t.Fatal(err)
	}
	leafT := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Task Force North", Organization: []string{"Task Force North"}},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}}
	validity(leafT)
	leafDER, err := x509.CreateCertificate(rand.Reader, leafT, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(leafDER)
	signedWholeOrRefused(t, mustStamp(t, letter(t, 1), footer), &pdf.Signer{Key: key, Cert: leaf, Chain: []*x509.Certificate{ca}})
}
