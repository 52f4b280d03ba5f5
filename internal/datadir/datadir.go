// Package datadir is the layout of a Chancery data directory: the SQLite database, the log's
// checkpoint key and the registry's settings, created once by `chancery init`.
//
//	chancery.json   settings (office, reference prefix, origin, base URL), mode 0600
//	log.key         the log's note signing key, mode 0600, created with O_EXCL
//	office.key      the office's Ed25519 release key (PKCS#8 PEM), mode 0600, created with O_EXCL
//	chancery.db     the SQLite store (and its -wal and -shm files)
package datadir

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/mod/sumdb/note"

	"github.com/chancery/chancery/internal/exclfile"
)

// Default is the data directory used when none is given.
const Default = "chancery-data"

const (
	settingsFile  = "chancery.json"
	logKeyFile    = "log.key"
	officeKeyFile = "office.key"
)

// ErrNotInitialized means the directory holds no registry yet.
var ErrNotInitialized = errors.New("data directory is not initialized")

// Settings are fixed at init.
type Settings struct {
	// Office is the issuing office's name, as statements spell it.
	Office string `json:"office"`
	// Prefix starts every letter reference, e.g. "TFN" in TFN-2026-000123.
	Prefix string `json:"prefix"`
	// Origin is the log's checkpoint origin, e.g. "registry.example.org/log".
	Origin string `json:"origin"`
	// URL is the registry's public base URL, used in links and verify URLs.
	URL string `json:"url"`
	// Converter is the LibreOffice program (soffice) that turns Word and OpenDocument letters
	// into PDF; empty: the first soffice on the PATH, if any.
	Converter string `json:"converter,omitempty"`
}

// Dir is a data directory.
type Dir struct {
	Path      string
	Settings  Settings
	signer    note.Signer
	verifier  note.Verifier
	vkey      string
	officeKey ed25519.PrivateKey
}

// OriginFor returns the default log origin for a base URL: its host and path, then "/log".
func OriginFor(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("base URL %q is not an http or https URL", base)
	}
	return strings.TrimSuffix(u.Host+u.Path, "/") + "/log", nil
}

// Init creates a data directory with a new log key. It refuses a directory that is already
// initialized, and leaves nothing behind if it fails.
func Init(path string, s Settings) (*Dir, error) {
	if err := checkOrigin(s.Origin); err != nil {
		return nil, err
	}
	if err := checkOffice(s); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if _, err := os.Stat(filepath.Join(path, settingsFile)); err == nil {
		return nil, fmt.Errorf("%s is already initialized", path)
	}
	skey, _, err := note.GenerateKey(nil, s.Origin)
	if err != nil {
		return nil, fmt.Errorf("generate log key: %w", err)
	}
	_, office, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate office key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(office)
	if err != nil {
		return nil, fmt.Errorf("encode office key: %w", err)
	}
	if err := writeExcl(filepath.Join(path, logKeyFile), []byte(skey+"\n")); err != nil {
		return nil, fmt.Errorf("write log key: %w", err)
	}
	if err := writeExcl(filepath.Join(path, officeKeyFile), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})); err != nil {
		os.Remove(filepath.Join(path, logKeyFile))
		return nil, fmt.Errorf("write office key: %w", err)
	}
	js, _ := json.MarshalIndent(s, "", "  ")
	// The settings file is written last: its presence marks a complete init.
	if err := writeExcl(filepath.Join(path, settingsFile), append(js, '\n')); err != nil {
		os.Remove(filepath.Join(path, logKeyFile))
		os.Remove(filepath.Join(path, officeKeyFile))
		return nil, fmt.Errorf("write settings: %w", err)
	}
	d, err := Open(path)
	if err != nil {
		// Leave nothing behind: a directory marked initialized that cannot open is worse
		// than none.
		for _, f := range []string{settingsFile, logKeyFile, officeKeyFile} {
			os.Remove(filepath.Join(path, f))
		}
		return nil, err
	}
	return d, nil
}

// checkOffice checks the office name and reference prefix.
func checkOffice(s Settings) error {
	if strings.TrimSpace(s.Office) == "" || len(s.Office) > 200 || strings.ContainsAny(s.Office, "\n\r\x00") {
		return fmt.Errorf("office name %q must be one non-empty line of at most 200 bytes", s.Office)
	}
	if len(s.Prefix) < 1 || len(s.Prefix) > 16 {
		return fmt.Errorf("reference prefix %q must be 1 to 16 capital letters or digits", s.Prefix)
	}
	for _, c := range s.Prefix {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return fmt.Errorf("reference prefix %q must be 1 to 16 capital letters or digits", s.Prefix)
		}
	}
	return nil
}

func checkOrigin(o string) error {
	if o == "" || strings.ContainsAny(o, " \t\n+") || strings.Contains(o, "://") {
		return fmt.Errorf("log origin %q must be a non-empty schema-less URL without spaces or '+', such as registry.example.org/log", o)
	}
	return nil
}

// writeExcl creates name with mode 0600, failing if it exists, and syncs it and its directory.
func writeExcl(name string, data []byte) error {
	if err := exclfile.Write(name, data, 0o600); err != nil {
		return err
	}
	return exclfile.SyncDir(filepath.Dir(name))
}

// Open opens an initialized data directory and loads its log key.
func Open(path string) (*Dir, error) {
	js, err := os.ReadFile(filepath.Join(path, settingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", path, ErrNotInitialized)
	}
	if err != nil {
		return nil, fmt.Errorf("read settings: %w", err)
	}
	d := &Dir{Path: path}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d.Settings); err != nil {
		return nil, fmt.Errorf("read settings %s: %w", filepath.Join(path, settingsFile), err)
	}
	if err := checkOrigin(d.Settings.Origin); err != nil {
		return nil, err
	}
	if err := checkOffice(d.Settings); err != nil {
		return nil, err
	}
	if d.officeKey, err = readOfficeKey(filepath.Join(path, officeKeyFile)); err != nil {
		return nil, err
	}
	kf := filepath.Join(path, logKeyFile)
	if fi, err := os.Stat(kf); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("log key %s is readable by others (mode %v): chmod 600 it", kf, fi.Mode().Perm())
	}
	skey, err := os.ReadFile(kf)
	if err != nil {
		return nil, fmt.Errorf("read log key: %w", err)
	}
	d.signer, err = note.NewSigner(strings.TrimSpace(string(skey)))
	if err != nil {
		return nil, fmt.Errorf("log key %s: %w", kf, err)
	}
	if d.signer.Name() != d.Settings.Origin {
		return nil, fmt.Errorf("log key %s is for %q, but the origin is %q", kf, d.signer.Name(), d.Settings.Origin)
	}
	d.vkey, err = verifierKey(strings.TrimSpace(string(skey)))
	if err != nil {
		return nil, fmt.Errorf("log key %s: %w", kf, err)
	}
	d.verifier, err = note.NewVerifier(d.vkey)
	if err != nil {
		return nil, fmt.Errorf("log key %s: %w", kf, err)
	}
	return d, nil
}

// verifierKey derives the verifier key "name+hash+base64(0x01||pub)" from a note signer key.
func verifierKey(skey string) (string, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return "", err
	}
	// The signer key is PRIVATE+KEY+name+hash+base64(alg||seed); note offers no way to get the
	// public key from a Signer, so derive it from the seed.
	// The key's base64 may itself contain '+': split off only the four fields before it.
	f := strings.SplitN(skey, "+", 5)
	if len(f) != 5 {
		return "", errors.New("not a note signer key")
	}
	raw, err := base64.StdEncoding.DecodeString(f[4])
	if err != nil || len(raw) != 33 || raw[0] != 1 {
		return "", errors.New("not an Ed25519 note key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return note.NewEd25519VerifierKey(s.Name(), pub)
}

// readOfficeKey reads the office's release key, refusing a file others can read.
func readOfficeKey(name string) (ed25519.PrivateKey, error) {
	if fi, err := os.Stat(name); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("office key %s is readable by others (mode %v): chmod 600 it", name, fi.Mode().Perm())
	}
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read office key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("office key %s: not a PEM private key", name)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("office key %s: %w", name, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("office key %s: not an Ed25519 key", name)
	}
	return ek, nil
}

// OfficeKey is the office's release key.
func (d *Dir) OfficeKey() ed25519.PrivateKey { return d.officeKey }

// Signer is the log's checkpoint signer.
func (d *Dir) Signer() note.Signer { return d.signer }

// Verifier is the log's checkpoint verifier.
func (d *Dir) Verifier() note.Verifier { return d.verifier }

// VerifierKey is the log's verifier key in note format ("origin+hash+base64").
func (d *Dir) VerifierKey() string { return d.vkey }

// Lock takes the data directory's server lock (an advisory lock on serve.lock), so that a
// second server on the same directory stops at once with a clear error instead of competing
// for the log. The lock is released when the process exits or unlock is called.
func (d *Dir) Lock() (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(d.Path, "serve.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", d.Path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another chancery serve is using %s", d.Path)
		}
		return nil, fmt.Errorf("lock %s: %w", d.Path, err)
	}
	return func() { f.Close() }, nil
}
