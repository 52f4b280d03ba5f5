// Package officeca manages the office's X.509 material for the signature embedded in released
// PDFs: a self-signed office CA, a document-signing certificate it issues, and their PEM files
// in a directory. The Ed25519 seal stays the primary proof of a release; this certificate lets
// ordinary PDF readers show who signed the file and that it is unchanged.
//
// The files are pdf-ca.crt, pdf-ca.key, pdf-signing.crt and pdf-signing.key (and, for an
// imported certificate, pdf-chain.crt). The registry needs only the signing pair; the CA key
// signs nothing after Create and should be moved offline.
package officeca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/pdf"
)

// File names inside the directory.
const (
	CACertFile      = "pdf-ca.crt"
	CAKeyFile       = "pdf-ca.key"
	SigningCertFile = "pdf-signing.crt"
	SigningKeyFile  = "pdf-signing.key"
	ChainFile       = "pdf-chain.crt"
)

var (
	// ErrNoCertificate means the directory holds no signing certificate: PDF signing is not
	// configured.
	ErrNoCertificate = errors.New("no pdf signing certificate configured")
	// ErrExists means Create or Import would overwrite existing material.
	ErrExists = errors.New("pdf signing material already exists")
)

// Validity periods of what Create issues.
const (
	caValidity      = 10 * 365 * 24 * time.Hour
	signingValidity = 3 * 365 * 24 * time.Hour
)

// oidDocumentSigning is id-kp-documentSigning (RFC 9336).
var oidDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}

// Create makes an office CA (ECDSA P-256, self-signed) and a document-signing certificate it
// issues for office, and writes both pairs into dir (created if needed), each file whole and
// never over an existing one (exclfile.Create), keys with mode 0600. It refuses, with
// ErrExists, if any of the files exists. now is the start of validity.
func Create(dir, office string, now time.Time) error {
	if office == "" {
		return errors.New("create pdf ca: empty office name")
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("create pdf ca: %w", err)
	}
	caSerial, err := serial()
	if err != nil {
		return fmt.Errorf("create pdf ca: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          caSerial,
		Subject:               pkix.Name{CommonName: office + " PDF CA", Organization: []string{office}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(caValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return fmt.Errorf("create pdf ca: %w", err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return fmt.Errorf("create pdf ca: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("create pdf signing certificate: %w", err)
	}
	leafSerial, err := serial()
	if err != nil {
		return fmt.Errorf("create pdf signing certificate: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          leafSerial,
		Subject:               pkix.Name{CommonName: office, Organization: []string{office}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(signingValidity),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidDocumentSigning},
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return fmt.Errorf("create pdf signing certificate: %w", err)
	}

	// The signing certificate is written last: Load reads none of the others without it.
	files := []struct {
		name string
		data []byte
		mode fs.FileMode
	}{
		{CACertFile, certPEM(caDER), 0o644},
		{CAKeyFile, mustKeyPEM(caKey), 0o600},
		{SigningKeyFile, mustKeyPEM(key), 0o600},
		{SigningCertFile, certPEM(der), 0o644},
	}
	if err := checkAbsent(dir, CACertFile, CAKeyFile, SigningCertFile, SigningKeyFile, ChainFile); err != nil {
		return fmt.Errorf("create pdf ca: %w", err)
	}
	for _, f := range files {
		if f.data == nil {
			return fmt.Errorf("create pdf ca: encode %s", f.name)
		}
		if err := writeExcl(dir, f.name, f.data, f.mode); err != nil {
			return fmt.Errorf("create pdf ca: %w", err)
		}
	}
	return nil
}

// Import checks an existing document-signing certificate and key (PEM, with the issuing chain
// after the leaf in certPEM if any) and writes them into dir as pdf-signing.crt,
// pdf-signing.key and, with a chain, pdf-chain.crt. The key must match the certificate, and the
// certificate must be valid at now and allowed to sign documents (digitalSignature or
// contentCommitment, and no extended key usage that excludes it).
func Import(dir string, certPEMData, keyPEMData []byte, now time.Time) error {
	s, err := parse(certPEMData, keyPEMData, nil)
	if err != nil {
		return fmt.Errorf("import pdf signing certificate: %w", err)
	}
	if err := checkUsage(s.Cert, now); err != nil {
		return fmt.Errorf("import pdf signing certificate: %w", err)
	}
	if err := checkAbsent(dir, SigningCertFile, SigningKeyFile, ChainFile); err != nil {
		return fmt.Errorf("import pdf signing certificate: %w", err)
	}
	keyData := mustKeyPEM(s.Key)
	if keyData == nil {
		return errors.New("import pdf signing certificate: unsupported key type")
	}
	// The certificate is written last: Load reads none of the others without it.
	if err := writeExcl(dir, SigningKeyFile, keyData, 0o600); err != nil {
		return fmt.Errorf("import pdf signing certificate: %w", err)
	}
	if len(s.Chain) > 0 {
		var chain []byte
		for _, c := range s.Chain {
			chain = append(chain, certPEM(c.Raw)...)
		}
		if err := writeExcl(dir, ChainFile, chain, 0o644); err != nil {
			return fmt.Errorf("import pdf signing certificate: %w", err)
		}
	}
	if err := writeExcl(dir, SigningCertFile, certPEM(s.Cert.Raw), 0o644); err != nil {
		return fmt.Errorf("import pdf signing certificate: %w", err)
	}
	return nil
}

// Discard removes from dir the files of a Create or Import that stopped before it wrote the
// signing certificate (killed), which Load does not read and a new Create or Import would
// refuse to overwrite. It does nothing if dir holds the signing certificate: then the
// material is whole, and in use.
func Discard(dir string) error {
	if _, err := os.Lstat(filepath.Join(dir, SigningCertFile)); !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, n := range []string{CACertFile, CAKeyFile, SigningKeyFile, ChainFile} {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("discard pdf signing material: %w", err)
		}
	}
	return exclfile.SyncDir(dir)
}

// Load reads the signing certificate, key and chain from dir. It returns an error wrapping
// ErrNoCertificate if dir has no signing certificate. The chain is pdf-chain.crt if present,
// otherwise pdf-ca.crt if present.
func Load(dir string) (*pdf.Signer, error) {
	certData, err := os.ReadFile(filepath.Join(dir, SigningCertFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("load pdf signing certificate from %s: %w", dir, ErrNoCertificate)
	}
	if err != nil {
		return nil, fmt.Errorf("load pdf signing certificate: %w", err)
	}
	// The key signs what PDF readers show as the office's signature: as office.key and
	// log.key, it must be its owner's alone.
	if fi, err := os.Stat(filepath.Join(dir, SigningKeyFile)); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("pdf signing key %s is readable by others (mode %v): chmod 600 it", filepath.Join(dir, SigningKeyFile), fi.Mode().Perm())
	}
	keyData, err := os.ReadFile(filepath.Join(dir, SigningKeyFile))
	if err != nil {
		return nil, fmt.Errorf("load pdf signing key: %w", err)
	}
	var chainData []byte
	for _, name := range []string{ChainFile, CACertFile} {
		chainData, err = os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("load pdf certificate chain: %w", err)
		}
	}
	s, err := parse(certData, keyData, chainData)
	if err != nil {
		return nil, fmt.Errorf("load pdf signing certificate: %w", err)
	}
	return s, nil
}

// parse decodes a certificate (followed by its chain), a key, and optionally a separate chain,
// and checks that the key matches the certificate.
func parse(certData, keyData, chainData []byte) (*pdf.Signer, error) {
	certs, err := parseCerts(append(append([]byte{}, certData...), chainData...))
	if err != nil {
		return nil, err
	}
	if len(certs) == 0 {
		return nil, errors.New("no certificate in PEM data")
	}
	block, _ := pem.Decode(keyData)
	if block == nil {
		return nil, errors.New("no private key in PEM data")
	}
	var key any
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("unsupported private key PEM type %q", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("parse private key: %w", err)
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("private key of type %T cannot sign", key)
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(certs[0].PublicKey) {
		return nil, errors.New("private key does not match the certificate")
	}
	return &pdf.Signer{Key: signer, Cert: certs[0], Chain: certs[1:]}, nil
}

func parseCerts(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return certs, nil
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse certificate: %w", err)
		}
		certs = append(certs, c)
	}
}

// checkUsage refuses a certificate that PDF readers would not accept for signing documents.
func checkUsage(c *x509.Certificate, now time.Time) error {
	if now.Before(c.NotBefore) || now.After(c.NotAfter) {
		return fmt.Errorf("certificate is valid only from %s to %s", c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly))
	}
	if c.IsCA {
		return errors.New("certificate is a CA certificate, not a document-signing certificate")
	}
	if c.KeyUsage != 0 && c.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return errors.New("certificate key usage allows neither digitalSignature nor contentCommitment")
	}
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return nil
	}
	for _, u := range c.ExtKeyUsage {
		if u == x509.ExtKeyUsageAny || u == x509.ExtKeyUsageEmailProtection {
			return nil
		}
	}
	for _, u := range c.UnknownExtKeyUsage {
		if u.Equal(oidDocumentSigning) {
			return nil
		}
	}
	return errors.New("certificate extended key usage allows neither emailProtection nor documentSigning")
}

func checkAbsent(dir string, names ...string) error {
	for _, n := range names {
		if _, err := os.Lstat(filepath.Join(dir, n)); err == nil {
			return fmt.Errorf("%w: %s", ErrExists, filepath.Join(dir, n))
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

func writeExcl(dir, name string, data []byte, mode fs.FileMode) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	// Whole or not at all: a file a killed Create left half-written would stay in the way.
	err := exclfile.Create(filepath.Join(dir, name), data, mode)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%w: %s", ErrExists, filepath.Join(dir, name))
	}
	if err == nil {
		written(name)
	}
	return err
}

// written, set only by tests, is called with the name of each file once it is written:
// crash tests kill the process there.
var written = func(string) {}

func certPEM(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// mustKeyPEM encodes key as PKCS #8, or returns nil for a key type x509 cannot encode.
func mustKeyPEM(key any) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// serial returns a random positive 127-bit serial number.
func serial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	return n.Add(n, big.NewInt(1)), nil
}
