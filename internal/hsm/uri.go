// Package hsm holds Ed25519 keys in a PKCS#11 token (a hardware security module, or SoftHSM2
// in tests) and signs with them through the PKCS#11 3.0 mechanism CKM_EDDSA: the private key
// never leaves the token. Keys are named by RFC 7512 URIs. It is the seam for the office key
// and the log's checkpoint key; see docs/keys.md.
package hsm

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/chancery/chancery/internal/keys"
)

// URI is the part of an RFC 7512 PKCS#11 URI that Chancery uses.
type URI struct {
	// Path attributes: which token and which key in it.
	Token, Object, ID, Serial string
	// Query attributes: the module to load and the user PIN.
	ModulePath, PinValue, PinSource string
}

// ParseURI reads a PKCS#11 URI, "pkcs11:token=…;object=…?module-path=…&pin-source=…".
// Attribute values are percent-decoded. Unknown attributes are refused rather than ignored,
// so that a typo does not select another key.
func ParseURI(s string) (*URI, error) {
	rest, ok := strings.CutPrefix(s, "pkcs11:")
	if !ok {
		// Not the query: it may hold a pin-value, and messages go to terminals and logs.
		before, _, _ := strings.Cut(s, "?")
		return nil, fmt.Errorf("hsm: %q is not a pkcs11: URI", before)
	}
	path, query, _ := strings.Cut(rest, "?")
	u := &URI{}
	set := func(kind, attr string, fields map[string]*string) error {
		if attr == "" {
			return nil
		}
		// Messages name attributes, never their values, nor an attribute that is not a name:
		// either may be a PIN ("pin-value:1234" for "pin-value=1234").
		k, v, ok := strings.Cut(attr, "=")
		if !ok {
			if _, known := fields[attr]; known {
				return fmt.Errorf("hsm: %s attribute %q has no value", kind, attr)
			}
			return fmt.Errorf("hsm: a %s attribute is not NAME=VALUE", kind)
		}
		dv, err := url.PathUnescape(v)
		if err != nil {
			return fmt.Errorf("hsm: %s attribute %q: its value is not percent-encoded", kind, k)
		}
		p, known := fields[k]
		if !known {
			if strings.Trim(k, "abcdefghijklmnopqrstuvwxyz-") != "" {
				return fmt.Errorf("hsm: a %s attribute's name is not a name", kind)
			}
			return fmt.Errorf("hsm: unsupported %s attribute %q", kind, k)
		}
		if *p != "" {
			return fmt.Errorf("hsm: %s attribute %q given twice", kind, k)
		}
		*p = dv
		return nil
	}
	pathFields := map[string]*string{"token": &u.Token, "object": &u.Object, "id": &u.ID, "serial": &u.Serial,
		// Accepted so that URIs copied from p11tool work; the key is found by label and ID.
		"type": new(string), "manufacturer": new(string), "model": new(string), "library-manufacturer": new(string),
		"library-description": new(string), "library-version": new(string), "slot-id": new(string)}
	for _, a := range strings.Split(path, ";") {
		if err := set("path", a, pathFields); err != nil {
			return nil, err
		}
	}
	queryFields := map[string]*string{"module-path": &u.ModulePath, "pin-value": &u.PinValue, "pin-source": &u.PinSource}
	for _, a := range strings.Split(query, "&") {
		if err := set("query", a, queryFields); err != nil {
			return nil, err
		}
	}
	if u.Token == "" && u.Serial == "" {
		return nil, errors.New("hsm: the URI names no token (token= or serial=)")
	}
	if u.Object == "" && u.ID == "" {
		return nil, errors.New("hsm: the URI names no key (object= or id=)")
	}
	if u.PinValue != "" && u.PinSource != "" {
		return nil, errors.New("hsm: the URI gives both pin-value and pin-source")
	}
	return u, nil
}

// PIN returns the user PIN: pin-value, or the content of the file pin-source names (a path
// or a file: URI), or the environment variable CHANCERY_HSM_PIN, or the file
// CHANCERY_HSM_PIN_FILE names. A trailing newline in a file is dropped.
func (u *URI) PIN() (string, error) {
	if u.PinValue != "" {
		return u.PinValue, nil
	}
	src := u.PinSource
	if src == "" {
		if p := os.Getenv("CHANCERY_HSM_PIN"); p != "" {
			return p, nil
		}
		src = os.Getenv("CHANCERY_HSM_PIN_FILE")
	}
	if src == "" {
		return "", errors.New("hsm: no PIN: give pin-source or pin-value in the URI, or set CHANCERY_HSM_PIN_FILE")
	}
	src = strings.TrimPrefix(src, "file:")
	f, err := os.Open(src)
	if err != nil {
		return "", fmt.Errorf("hsm: read the PIN: %w", err)
	}
	defer f.Close()
	// Whoever reads the PIN signs in the token as the office (or the log) does: the file is
	// held to what the data directory's key files are (docs/keys.md: mode 0400 or 0600).
	if err := keys.CheckPrivate(f); err != nil {
		return "", fmt.Errorf("hsm: the PIN file %s %w", src, err)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxPINFileSize+1))
	if err != nil {
		return "", fmt.Errorf("hsm: read the PIN: %w", err)
	}
	if len(b) > maxPINFileSize {
		return "", fmt.Errorf("hsm: the PIN file %s is larger than %d bytes", src, maxPINFileSize)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// maxPINFileSize bounds the PIN files PIN reads; a PIN is a few characters.
const maxPINFileSize = 4 << 10

// String returns the URI without its PIN, for messages and logs.
func (u *URI) String() string {
	var path []string
	for _, kv := range [][2]string{{"token", u.Token}, {"serial", u.Serial}, {"object", u.Object}, {"id", u.ID}} {
		if kv[1] != "" {
			path = append(path, kv[0]+"="+url.PathEscape(kv[1]))
		}
	}
	s := "pkcs11:" + strings.Join(path, ";")
	if u.ModulePath != "" {
		s += "?module-path=" + url.PathEscape(u.ModulePath)
	}
	return s
}

// Recorded returns the URI as a data directory records it: String and pin-source, never
// pin-value, so that a PIN is kept in a file of its own (or the environment), not in the
// settings.
func (u *URI) Recorded() string {
	s := u.String()
	if u.PinSource != "" {
		sep := "?"
		if u.ModulePath != "" {
			sep = "&"
		}
		s += sep + "pin-source=" + url.PathEscape(u.PinSource)
	}
	return s
}
