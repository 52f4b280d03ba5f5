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
	"strconv"
	"strings"
	"syscall"

	"github.com/chancery/chancery/internal/keys"
)

// ErrUnavailable is wrapped by the errors of a key's signatures that its token or module
// failed (the token gone, its session lost and not opened again, a signature that does not
// verify): the key may sign again once its token is back.
var ErrUnavailable = errors.New("the key's token cannot sign")

// Unavailable returns why s, a key of this package or a NoteSigner of one, could not sign
// its last message, nil when it could or when s is any other signer.
func Unavailable(s any) error {
	if u, ok := s.(interface{ Unavailable() error }); ok {
		return u.Unavailable()
	}
	return nil
}

// URI is the part of an RFC 7512 PKCS#11 URI that Chancery uses.
type URI struct {
	// Path attributes: which token and which key in it. SlotID is a decimal CK_SLOT_ID.
	Token, Object, ID, Serial, Manufacturer, Model, SlotID string
	// Query attributes: the module to load and the user PIN.
	ModulePath, PinValue, PinSource string
}

const scheme = "pkcs11:"

// IsURI reports whether s starts with the scheme of a PKCS#11 URI, "pkcs11:" in any case: RFC
// 7512 URIs are URIs, whose scheme is case-insensitive (RFC 3986, section 3.1). Attribute
// names are not: they are matched as RFC 7512 spells them.
func IsURI(s string) bool {
	return len(s) >= len(scheme) && strings.EqualFold(s[:len(scheme)], scheme)
}

// ParseURI reads a PKCS#11 URI, "pkcs11:token=…;object=…?module-path=…&pin-source=…".
// Attribute values are percent-decoded. Unknown attributes are refused rather than ignored,
// so that a typo does not select another key.
func ParseURI(s string) (*URI, error) {
	if !IsURI(s) {
		// Nothing of s: a pin-value may be anywhere in it (in the path, when the scheme is
		// mistyped or missing), and messages go to terminals and logs.
		return nil, errors.New(`hsm: not a pkcs11: URI (it must start with "pkcs11:")`)
	}
	rest := s[len(scheme):]
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
		"manufacturer": &u.Manufacturer, "model": &u.Model, "slot-id": &u.SlotID,
		// Accepted so that URIs copied from p11tool work, and ignored: they select no other
		// token (module-path names the library), and the key is found by label and ID.
		"type": new(string), "library-manufacturer": new(string), "library-description": new(string), "library-version": new(string)}
	for _, a := range strings.Split(path, ";") {
		if err := set("path", a, pathFields); err != nil {
			return nil, err
		}
	}
	if u.SlotID != "" {
		// RFC 7512: a decimal number. Kept in one spelling, which the slot's ID is compared with.
		id, err := strconv.ParseUint(u.SlotID, 10, 64)
		if err != nil {
			return nil, errors.New(`hsm: path attribute "slot-id" is not a decimal number`)
		}
		u.SlotID = strconv.FormatUint(id, 10)
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
// CHANCERY_HSM_PIN_FILE names (readPINFile says which files it reads). A trailing newline in
// a file is dropped.
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
	b, err := readPINFile(src)
	if err != nil {
		return "", err
	}
	pin := strings.TrimRight(string(b), "\r\n")
	// A PIN is one line of text: a file with more lines, or control characters, is some
	// other file (a private key, /proc/self/environ) that a URI restored into the database
	// may name, and is not sent to the module.
	if strings.ContainsFunc(pin, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", fmt.Errorf("hsm: the PIN file %s is not a PIN: not one line of text", src)
	}
	return pin, nil
}

// ReadablePINFileError is readPINFile's refusal of a PIN file that others than its owner can
// read or change: a caller may say whose the file is and what to do (another user's file is
// not this user's to chmod).
type ReadablePINFileError struct {
	Path string // the PIN file
	Err  error  // keys.CheckPrivate's refusal, which names the mode
}

func (e *ReadablePINFileError) Error() string {
	return fmt.Sprintf("hsm: the PIN file %s %v", e.Path, e.Err)
}

func (e *ReadablePINFileError) Unwrap() error { return e.Err }

// maxPINFileSize bounds the PIN files PIN reads; a PIN is a few characters.
const maxPINFileSize = 4 << 10

// euid is os.Geteuid, replaced by tests.
var euid = os.Geteuid

// readPINFile reads the PIN file name. Whoever reads the PIN signs in the token as the office
// (or the log) does, and a URI's pin-source may come from the database (a recorded office
// key): the file, once its links are followed, must be a regular file (not a device or a FIFO,
// which is not even opened), of at most maxPINFileSize bytes, that only its owner can read
// (docs/keys.md: mode 0400 or 0600, as the data directory's key files), and its owner root or
// this user, unless this user is root (the data directory's rule): another owner knows the
// PIN.
func readPINFile(name string) ([]byte, error) {
	regular := func(fi os.FileInfo) error {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("hsm: the PIN file %s is not a regular file (%v)", name, fi.Mode().Type())
		}
		return nil
	}
	fi, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("hsm: read the PIN: %w", err)
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	// Non-blocking: a FIFO put in place of the file since Stat does not hang the open.
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("hsm: read the PIN: %w", err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("hsm: read the PIN: %w", err)
	}
	if err := regular(fi); err != nil {
		return nil, err
	}
	if err := keys.CheckPrivate(f); err != nil {
		return nil, &ReadablePINFileError{Path: name, Err: err}
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && euid() != 0 && st.Uid != 0 && int(st.Uid) != euid() {
		return nil, fmt.Errorf("hsm: the PIN file %s belongs to another user (uid %d), who can read it", name, st.Uid)
	}
	if fi.Size() > maxPINFileSize {
		return nil, fmt.Errorf("hsm: the PIN file %s is larger than %d bytes", name, maxPINFileSize)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxPINFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("hsm: read the PIN: %w", err)
	}
	if len(b) > maxPINFileSize {
		return nil, fmt.Errorf("hsm: the PIN file %s is larger than %d bytes", name, maxPINFileSize)
	}
	return b, nil
}

// String returns the URI without its PIN, for messages and logs.
func (u *URI) String() string {
	var path []string
	for _, kv := range [][2]string{{"token", u.Token}, {"serial", u.Serial}, {"manufacturer", u.Manufacturer}, {"model", u.Model},
		{"slot-id", u.SlotID}, {"object", u.Object}, {"id", u.ID}} {
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
