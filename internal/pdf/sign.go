package pdf

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	dpdf "github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
)

// Signer holds the office's X.509 document-signing certificate and its key; Chain holds the
// issuing certificates, from the one that issued Cert up to the root.
type Signer struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate
}

// Sign returns src with an embedded CMS signature by s (SHA-256, ESS signing-certificate-v2,
// certificate chain included), appended as an incremental update: the bytes of src are
// unchanged and covered by the signature. The signature dictionary claims the signing time at
// and names office; it is a certification signature that allows further signatures only.
func Sign(src []byte, s *Signer, at time.Time, office string) (out []byte, err error) {
	if s == nil || s.Key == nil || s.Cert == nil {
		return nil, errors.New("sign: no signing certificate")
	}
	if _, err := read(src); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return signChecked(src, s, at, office)
}

// signChecked is Sign of a document already read and checked, or written by this package.
func signChecked(src []byte, s *Signer, at time.Time, office string) (out []byte, err error) {
	if s == nil || s.Key == nil || s.Cert == nil {
		return nil, errors.New("sign: no signing certificate")
	}
	defer recoverAs(&out, &err, "sign")
	rdr, err := dpdf.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return nil, fmt.Errorf("sign: %w: %v", ErrInvalid, err)
	}
	chain := append([]*x509.Certificate{s.Cert}, s.Chain...)
	var buf bytes.Buffer
	err = sign.Sign(bytes.NewReader(src), &buf, rdr, int64(len(src)), sign.SignData{
		Signature: sign.SignDataSignature{
			Info: sign.SignDataSignatureInfo{
				Name:        office,
				Location:    office,
				Reason:      "Official letter released by " + office,
				ContactInfo: office,
				Date:        at,
			},
			CertType:   sign.CertificationSignature,
			DocMDPPerm: sign.AllowFillingExistingFormFieldsAndSignaturesPerms,
		},
		Signer:            s.Key,
		DigestAlgorithm:   crypto.SHA256,
		Certificate:       s.Cert,
		CertificateChains: [][]*x509.Certificate{chain},
	})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return buf.Bytes(), nil
}
