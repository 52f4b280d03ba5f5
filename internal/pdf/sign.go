package pdf

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"

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

// ErrCertificateNotValid means a certificate of the signer's chain is not valid at the signing
// time: PDF readers would report the signature as made with an expired (or not yet valid)
// certificate.
var ErrCertificateNotValid = errors.New("pdf signing certificate not valid")

// ValidAt returns nil if the signer's certificate and every certificate of its chain are valid
// at t, else an error wrapping ErrCertificateNotValid that names the first one that is not.
func (s *Signer) ValidAt(t time.Time) error {
	for i, c := range append([]*x509.Certificate{s.Cert}, s.Chain...) {
		which := "the office's PDF signing certificate"
		if i > 0 {
			which = fmt.Sprintf("the PDF signing certificate's issuer %q", c.Subject.CommonName)
		}
		switch {
		case t.After(c.NotAfter):
			return fmt.Errorf("%w: %s expired on %s", ErrCertificateNotValid, which, c.NotAfter.UTC().Format(time.DateTime+" UTC"))
		case t.Before(c.NotBefore):
			return fmt.Errorf("%w: %s is not valid before %s", ErrCertificateNotValid, which, c.NotBefore.UTC().Format(time.DateTime+" UTC"))
		}
	}
	return nil
}

// NotAfter is the end of the signer's validity: the earliest NotAfter of its certificate and
// chain.
func (s *Signer) NotAfter() time.Time {
	end := s.Cert.NotAfter
	for _, c := range s.Chain {
		if c.NotAfter.Before(end) {
			end = c.NotAfter
		}
	}
	return end
}

// Sign returns src with an embedded CMS signature by s (SHA-256, ESS signing-certificate-v2,
// certificate chain included), appended as an incremental update: the bytes of src are
// unchanged and covered by the signature. The signature dictionary claims the signing time at
// and names office (when the signing library can write its name: signatureString); it is a
// certification signature that allows further signatures only.
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
	// The signature claims at as its time: one outside the certificate's validity is one
	// readers report as made with an expired certificate, so none is made.
	if err := s.ValidAt(at); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	defer recoverAs(&out, &err, "sign")
	rdr, err := dpdf.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return nil, fmt.Errorf("sign: %w: %v", ErrInvalid, err)
	}
	chain := append([]*x509.Certificate{s.Cert}, s.Chain...)
	name, reason := office, "Official letter released by "+office
	if !signatureString(office) {
		name, reason = "", "Official letter released by the office that signed it"
	}
	var buf bytes.Buffer
	err = sign.Sign(bytes.NewReader(src), &buf, rdr, int64(len(src)), sign.SignData{
		Signature: sign.SignDataSignature{
			Info: sign.SignDataSignatureInfo{
				Name:        name,
				Location:    name,
				Reason:      reason,
				ContactInfo: name,
				Date:        at,
			},
			CertType: sign.CertificationSignature,
			// P=1: no change of any kind, later signatures included (a document timestamp or
			// validation data may still be added). With P=2 a signature field added later,
			// whose appearance covers the letter, left readers showing the certification valid
			// where chancery verify answers "altered" (the "sneaky signature" attacks on PDF
			// certification, Mladenov et al., 2021).
			DocMDPPerm: sign.DoNotAllowAnyChangesPerms,
		},
		Signer:            s.Key,
		DigestAlgorithm:   crypto.SHA256,
		Certificate:       s.Cert,
		CertificateChains: [][]*x509.Certificate{chain},
	})
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	if err := checkSigned(src, buf.Bytes()); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return buf.Bytes(), nil
}

// byteRange is a signature dictionary's /ByteRange as the signing library writes it; compiled
// on first use, not at every start of the command line.
var byteRange = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]`)
})

// checkSigned checks what the signing library made of src: src unchanged at its start, and one
// signature dictionary after it whose /ByteRange covers the whole file but its /Contents,
// which holds a signature. The library finds the placeholders it writes by searching the whole
// output, the letter's bytes first, so a letter holding a run of the characters of one (an
// uncompressed picture of samples 0x30, a title) had the signature written into the letter
// itself, after its approval; and a signature larger than its first estimate (an RSA key of
// 4096 bits) had the whole output written twice. Neither leaves the registry.
func checkSigned(src, out []byte) error {
	if !bytes.HasPrefix(out, src) {
		return fmt.Errorf("%w: the signing library changed the letter's own bytes (it holds a run of the characters of the library's placeholders): the letter cannot be signed", ErrInvalid)
	}
	ms := byteRange().FindAllSubmatchIndex(out[len(src):], -1)
	if len(ms) != 1 {
		return fmt.Errorf("%w: the signing library wrote %d signature dictionaries, not one", ErrInvalid, len(ms))
	}
	var r [4]int
	for i := range r {
		m := ms[0][2+2*i:]
		v, err := strconv.Atoi(string(out[len(src)+m[0] : len(src)+m[1]]))
		if err != nil {
			return fmt.Errorf("%w: the signature's byte range: %v", ErrInvalid, err)
		}
		r[i] = v
	}
	if r[0] != 0 || r[1] < len(src) || r[2] <= r[1]+1 || r[2]+r[3] != len(out) || out[r[1]] != '<' || out[r[2]-1] != '>' {
		return fmt.Errorf("%w: the signature's byte range %v does not cover the %d bytes of the file but its signature", ErrInvalid, r, len(out))
	}
	if contents := bytes.Trim(out[r[1]+1:r[2]-1], "0"); len(contents) == 0 {
		return fmt.Errorf("%w: the signature dictionary holds no signature", ErrInvalid)
	}
	return nil
}

// signatureString reports whether the signing library writes s into the signature
// dictionary as the string it is. It escapes an ASCII string, but writes any other as its
// UTF-16BE bytes between parentheses unescaped, so that a character with a byte '(', ')' or
// '\' there (Ĩ U+0128, 天 U+5929, 小 U+5C0F) ended or escaped the string early, and the
// dictionary went on with the bytes of the rest of the office's name; a line break's byte
// would change the string. Such a name is left out of the dictionary (Sign): readers show
// the signing certificate's name.
func signatureString(s string) bool {
	ascii := true
	for _, r := range s {
		ascii = ascii && r < utf8.RuneSelf
	}
	if ascii {
		return true
	}
	for _, u := range utf16.Encode([]rune(s)) {
		for _, b := range []byte{byte(u >> 8), byte(u)} {
			switch b {
			case '(', ')', '\\', '\r', '\n':
				return false
			}
		}
	}
	return true
}
