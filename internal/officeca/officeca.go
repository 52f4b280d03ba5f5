// Package officeca manages the office's X.509 material for the signature embedded in released
// PDFs: a self-signed office CA, a document-signing certificate it issues, and their PEM files
// in a directory. The Ed25519 seal stays the primary proof of a release; this certificate lets
// ordinary PDF readers show who signed the file and that it is unchanged.
//
// The files are pdf-ca.crt, pdf-ca.key, pdf-signing.crt and pdf-signing.key (and, for an
// imported certificate, pdf-chain.crt). The registry needs only the signing pair; the CA key
// signs only the signing certificate's renewals (Renew), and should be kept offline.
package officeca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
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
	"slices"
	"time"

	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/smallfile"
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
	tmpl := signingTemplate(leafSerial, pkix.Name{CommonName: office, Organization: []string{office}}, now, now.Add(signingValidity))
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

// signingTemplate is the document-signing certificate Create and Renew issue for subject,
// valid from an hour before now (clocks differ) to notAfter.
func signingTemplate(serial *big.Int, subject pkix.Name, now, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber:          serial,
		Subject:               subject,
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidDocumentSigning},
		BasicConstraintsValid: true,
	}
}

// A renewal's new key and certificate are written whole under these names beside the files
// they replace, then renamed over them, the key first.
const (
	renewedKeyFile  = SigningKeyFile + ".new"
	renewedCertFile = SigningCertFile + ".new"
)

// ErrNotOfficeCA means the signing certificate in the directory was not issued by the
// office CA whose certificate is there (pdf-ca.crt): it was imported from another issuer,
// which alone can renew it.
var ErrNotOfficeCA = errors.New("the pdf signing certificate was not issued by the office CA")

// ErrNotCAKey means the key Renew was given is not the office CA's.
var ErrNotCAKey = errors.New("the key given is not the office CA's")

// Renew replaces the document-signing certificate in dir, issued by the office CA (Create's
// pdf-ca.crt, whose private key caKeyPEM is), with a new one for a new key: same subject,
// valid from now for three years or until the CA's end if sooner. It returns the new
// certificate. It refuses, with ErrNotOfficeCA, a certificate imported from another issuer,
// and a CA that is not valid at now.
//
// The new key and certificate are written whole beside the old ones, then renamed over them,
// key first, each rename synced. A Renew killed after the key's rename leaves a key that does
// not match the certificate (Load fails and says so); Renew run again first finishes that
// renewal, or removes the files of one killed before it renamed anything.
func Renew(dir string, caKeyPEM []byte, now time.Time) (*x509.Certificate, error) {
	if err := finishRenewal(dir); err != nil {
		return nil, fmt.Errorf("renew pdf signing certificate: %w", err)
	}
	old, ca, err := renewable(dir)
	if err != nil {
		return nil, err
	}
	caKey, err := parseKey(caKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("renew pdf signing certificate: office CA key: %w", err)
	}
	if pub, ok := caKey.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(ca.PublicKey) {
		return nil, fmt.Errorf("renew pdf signing certificate: %w (%s)", ErrNotCAKey, CACertFile)
	}
	if now.Before(ca.NotBefore) || !now.Before(ca.NotAfter) {
		return nil, fmt.Errorf("renew pdf signing certificate: the office CA (%s) is valid only from %s to %s: a new CA is needed, whose certificate readers must be given",
			CACertFile, ca.NotBefore.UTC().Format(time.DateOnly), ca.NotAfter.UTC().Format(time.DateOnly))
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("renew pdf signing certificate: %w", err)
	}
	leafSerial, err := serial()
	if err != nil {
		return nil, fmt.Errorf("renew pdf signing certificate: %w", err)
	}
	end := now.Add(signingValidity)
	if ca.NotAfter.Before(end) {
		end = ca.NotAfter
	}
	der, err := x509.CreateCertificate(rand.Reader, signingTemplate(leafSerial, old.Subject, now, end), ca, key.Public(), caKey)
	if err != nil {
		return nil, fmt.Errorf("renew pdf signing certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("renew pdf signing certificate: %w", err)
	}
	keyData := mustKeyPEM(key)
	if keyData == nil {
		return nil, errors.New("renew pdf signing certificate: encode the key")
	}
	for _, f := range []struct {
		name string
		data []byte
		mode fs.FileMode
	}{{renewedKeyFile, keyData, 0o600}, {renewedCertFile, certPEM(der), 0o644}} {
		if err := writeExcl(dir, f.name, f.data, f.mode); err != nil {
			return nil, fmt.Errorf("renew pdf signing certificate: %w", errors.Join(err, removeRenewal(dir)))
		}
	}
	for _, n := range []string{SigningKeyFile, SigningCertFile} {
		if err := os.Rename(filepath.Join(dir, n+".new"), filepath.Join(dir, n)); err != nil {
			return nil, fmt.Errorf("renew pdf signing certificate: %w", err)
		}
		// Synced before the next rename: a crash must not keep the certificate's rename
		// without the key's.
		if err := exclfile.SyncDir(dir); err != nil {
			return nil, fmt.Errorf("renew pdf signing certificate: %w", err)
		}
		written(n)
	}
	return cert, nil
}

// Renewable reports whether Renew can renew the signing certificate in dir with the office
// CA's key: ErrNoCertificate when dir has none (init --no-pdf-ca), ErrNotOfficeCA when the
// office CA did not issue it (imported with init --pdf-cert). It needs no key, so that a
// renewal no CA key can make is refused before the key is asked for.
func Renewable(dir string) error {
	_, _, err := renewable(dir)
	return err
}

// renewable returns the signing certificate in dir and the office CA that issued it.
func renewable(dir string) (leaf, ca *x509.Certificate, err error) {
	certData, err := smallfile.Read(filepath.Join(dir, SigningCertFile), maxFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("renew pdf signing certificate in %s: %w", dir, ErrNoCertificate)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("renew pdf signing certificate: %w", err)
	}
	certs, err := parseCerts(certData)
	if err != nil || len(certs) == 0 {
		return nil, nil, fmt.Errorf("renew pdf signing certificate: %s holds no certificate (%v)", SigningCertFile, err)
	}
	ca, err = officeCA(dir, certs[0])
	if err != nil {
		return nil, nil, fmt.Errorf("renew pdf signing certificate: %w", err)
	}
	return certs[0], ca, nil
}

// officeCA returns the office CA's certificate in dir if it issued leaf, else an error
// wrapping ErrNotOfficeCA that names leaf's issuer.
func officeCA(dir string, leaf *x509.Certificate) (*x509.Certificate, error) {
	notOurs := fmt.Errorf("%w but by %q", ErrNotOfficeCA, leaf.Issuer.CommonName)
	if _, err := os.Lstat(filepath.Join(dir, ChainFile)); err == nil {
		return nil, notOurs
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	data, err := smallfile.Read(filepath.Join(dir, CACertFile), maxFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notOurs
	}
	if err != nil {
		return nil, err
	}
	certs, err := parseCerts(data)
	if err != nil {
		return nil, err
	}
	if len(certs) == 0 || leaf.CheckSignatureFrom(certs[0]) != nil {
		return nil, notOurs
	}
	return certs[0], nil
}

// finishRenewal finishes a Renew killed after it renamed the new key (the new certificate,
// still staged, matches the key in place: it is renamed over the old one), or removes what
// a Renew killed before it renamed anything staged.
func finishRenewal(dir string) error {
	certData, err := smallfile.Read(filepath.Join(dir, renewedCertFile), maxFile)
	if errors.Is(err, fs.ErrNotExist) {
		return removeRenewal(dir)
	}
	if err != nil {
		return err
	}
	keyData, err := smallfile.Read(filepath.Join(dir, SigningKeyFile), maxFile)
	if err != nil {
		return err
	}
	if _, err := parse(certData, keyData, nil); err != nil {
		return removeRenewal(dir)
	}
	if err := os.Rename(filepath.Join(dir, renewedCertFile), filepath.Join(dir, SigningCertFile)); err != nil {
		return err
	}
	return exclfile.SyncDir(dir)
}

// removeRenewal removes a renewal's staged files, if any.
func removeRenewal(dir string) error {
	for _, n := range []string{renewedKeyFile, renewedCertFile} {
		if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return exclfile.SyncDir(dir)
}

// Import checks an existing document-signing certificate and key (PEM, with the issuing chain
// after the leaf in certPEM if any) and writes them into dir as pdf-signing.crt,
// pdf-signing.key and, with a chain, pdf-chain.crt. The key must match the certificate, and the
// certificate must be valid at now and allowed to sign documents (digitalSignature or
// contentCommitment, and no extended key usage that excludes it).
func Import(dir string, certPEMData, keyPEMData []byte, now time.Time) error {
	s, keyData, err := check(certPEMData, keyPEMData, now)
	if err != nil {
		return err
	}
	if err := checkAbsent(dir, SigningCertFile, SigningKeyFile, ChainFile); err != nil {
		return fmt.Errorf("import pdf signing certificate: %w", err)
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

// Check refuses what Import would refuse in the certificate and key, writing nothing: init
// checks them before its data directory exists, and a copy of the key written elsewhere for
// the check would outlive a process killed before removing it.
func Check(certPEMData, keyPEMData []byte, now time.Time) error {
	_, _, err := check(certPEMData, keyPEMData, now)
	return err
}

// check parses and checks a certificate and key to import, and returns the key as Import
// writes it.
func check(certPEMData, keyPEMData []byte, now time.Time) (*pdf.Signer, []byte, error) {
	s, err := parse(certPEMData, keyPEMData, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("import pdf signing certificate: %w", err)
	}
	if err := checkUsage(s.Cert, now); err != nil {
		return nil, nil, fmt.Errorf("import pdf signing certificate: %w", err)
	}
	if err := checkChain(s); err != nil {
		return nil, nil, fmt.Errorf("import pdf signing certificate: %w", err)
	}
	// Every release checks the whole chain's validity (pdf.Signer.ValidAt): a certificate of
	// it that is not valid now, accepted here, would have every release refused.
	for _, c := range s.Chain {
		if now.Before(c.NotBefore) || now.After(c.NotAfter) {
			return nil, nil, fmt.Errorf("import pdf signing certificate: the chain's certificate %q is valid only from %s to %s",
				c.Subject.CommonName, c.NotBefore.UTC().Format(time.DateOnly), c.NotAfter.UTC().Format(time.DateOnly))
		}
	}
	keyData := mustKeyPEM(s.Key)
	if keyData == nil {
		return nil, nil, errors.New("import pdf signing certificate: unsupported key type")
	}
	return s, keyData, nil
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
	certData, err := smallfile.Read(filepath.Join(dir, SigningCertFile), maxFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("load pdf signing certificate from %s: %w", dir, ErrNoCertificate)
	}
	if err != nil {
		return nil, fmt.Errorf("load pdf signing certificate: %w", err)
	}
	// The key signs what PDF readers show as the office's signature: as office.key and
	// log.key, it must be its owner's alone.
	if err := smallfile.CheckPrivate("pdf signing key", filepath.Join(dir, SigningKeyFile)); err != nil {
		return nil, err
	}
	keyData, err := smallfile.Read(filepath.Join(dir, SigningKeyFile), maxFile)
	if err != nil {
		return nil, fmt.Errorf("load pdf signing key: %w", err)
	}
	var chainData []byte
	for _, name := range []string{ChainFile, CACertFile} {
		chainData, err = smallfile.Read(filepath.Join(dir, name), maxFile)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("load pdf certificate chain: %w", err)
		}
	}
	s, err := parse(certData, keyData, chainData)
	if err != nil {
		if _, serr := os.Lstat(filepath.Join(dir, renewedCertFile)); serr == nil {
			return nil, fmt.Errorf("load pdf signing certificate: %w (a renewal was interrupted, leaving %s: run 'chancery key rotate pdf-cert' again to finish it)", err, renewedCertFile)
		}
		return nil, fmt.Errorf("load pdf signing certificate: %w", err)
	}
	// A certificate put in place by hand (a renewal of an imported one) beside the chain of
	// the one before: every release would embed a chain that does not lead to it.
	if err := checkChain(s); err != nil {
		return nil, fmt.Errorf("load pdf signing certificate: %w (put the certificates that issued %s in %s)", err, SigningCertFile, ChainFile)
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
	signer, err := parseKey(keyData)
	if err != nil {
		return nil, err
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(certs[0].PublicKey) {
		return nil, errors.New("private key does not match the certificate")
	}
	if err := signingKeyType(signer); err != nil {
		return nil, err
	}
	return &pdf.Signer{Key: signer, Cert: certs[0], Chain: certs[1:]}, nil
}

// signingKeyType refuses a key whose signatures the releases' PDF signatures cannot carry: an
// Ed25519 key, whose CMS signature no PDF reader (nor openssl cms) accepts, so that every
// release was shown unsigned; an RSA key over 3072 bits, whose signature outgrows the
// signing library's first estimate of its size, after which it wrote the whole release twice
// (pdf.Sign refuses such an output); one under 2048 bits, which readers refuse.
func signingKeyType(k crypto.Signer) error {
	switch k := k.(type) {
	case *ecdsa.PrivateKey:
		return nil
	case *rsa.PrivateKey:
		if n := k.N.BitLen(); n < 2048 || n > 3072 {
			return fmt.Errorf("the key is RSA of %d bits: PDF signatures take RSA of 2048 to 3072 bits, or ECDSA", n)
		}
		return nil
	}
	return fmt.Errorf("the key is %T: PDF signatures take RSA of 2048 to 3072 bits, or ECDSA (P-256, P-384, P-521)", k)
}

// checkChain refuses a chain that does not lead from the signing certificate up, in whatever
// order its certificates are (a bundle may list the root first): each must have issued the
// signing certificate or another of the chain, and the signing certificate's issuer must be
// among them. Readers would otherwise show the release signed by a certificate no chain
// leads to. It puts s.Chain in order, from the signing certificate's issuer up.
func checkChain(s *pdf.Signer) error {
	left := slices.Clone(s.Chain)
	ordered := make([]*x509.Certificate, 0, len(left))
	for cur := s.Cert; len(left) > 0; {
		i := slices.IndexFunc(left, func(c *x509.Certificate) bool { return cur.CheckSignatureFrom(c) == nil })
		if i < 0 {
			return fmt.Errorf("no certificate of the chain issued %q (the chain holds %d that issued none of the others or it)", cur.Subject.CommonName, len(left))
		}
		cur = left[i]
		ordered = append(ordered, cur)
		left = slices.Delete(left, i, i+1)
	}
	s.Chain = ordered
	return nil
}

// parseKey decodes a PEM private key.
func parseKey(keyData []byte) (crypto.Signer, error) {
	block, _ := pem.Decode(keyData)
	if block == nil {
		return nil, errors.New("no private key in PEM data")
	}
	var key any
	var err error
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
	return signer, nil
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
	// Run as root in a data directory of the service's user (a renewal), the file is that
	// user's, or the service could not read it.
	err := exclfile.CreateForDirOwner(filepath.Join(dir, name), data, mode)
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

// maxFile bounds the files Load and Renew read: a certificate chain and a key are a few KiB.
const maxFile = 1 << 20
