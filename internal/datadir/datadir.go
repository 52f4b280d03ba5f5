// Package datadir is the layout of a Chancery data directory: the SQLite database, the log's
// checkpoint key and the registry's settings, created once by `chancery init`.
//
//	chancery.json   settings (office, reference prefix, origin, base URL), mode 0600
//	log.key         the log's note signing key, mode 0600, never written over another
//	office.key      the office's Ed25519 release key (PKCS#8 PEM), mode 0600, never written over another
//	dispatch.key    the secret behind message IDs and receipt tokens, mode 0600
//	chancery.db     the SQLite store (and its -wal and -shm files)
//
// With --office-key or --log-key (a pkcs11: URI) the key stays in its token: no key file is
// written, and chancery.json records the URI (never a pin-value).
package datadir

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // office time zones on machines without a zone database

	"golang.org/x/mod/sumdb/note"

	"github.com/chancery/chancery/internal/exclfile"
	"github.com/chancery/chancery/internal/hsm"
	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/smallfile"
)

// Default is the data directory used when none is given.
const Default = "chancery-data"

// SettingsFile is the name of the settings file, whose presence makes a directory a data
// directory (initialized, or an init's that has not finished).
const SettingsFile = settingsFile

const (
	settingsFile  = "chancery.json"
	logKeyFile    = "log.key"
	officeKeyFile = "office.key"
	dispatchFile  = "dispatch.key"
)

// ErrNotInitialized means the directory holds no registry yet.
var ErrNotInitialized = errors.New("data directory is not initialized")

// ErrInitialized means Init found the directory initialized already.
var ErrInitialized = errors.New("already initialized")

// ErrUnfinished is Open's refusal of a directory whose init stopped before its keys were in
// place: the same 'chancery init' run again finishes it.
var ErrUnfinished = errors.New("the init of this data directory did not finish: run the same 'chancery init' again")

// ErrNotOwner is wrapped by the refusal of a data directory, or of its settings, that belongs
// to a user other than the one running chancery and root (checkOwner).
var ErrNotOwner = errors.New("belongs to another user")

// ErrNotWritten is wrapped by the refusals of a file of the data directory that is not one
// chancery wrote there: not a regular file, or larger than any it writes (readSmall).
var ErrNotWritten = errors.New("not a file chancery wrote")

// ErrLocked is Lock's refusal of a data directory whose lock another process holds.
var ErrLocked = errors.New("another chancery serve is using the data directory")

// ErrZone is wrapped by the errors of a time zone that is not an IANA name this machine
// knows (LoadZone), whether given to init or time-zone or read from chancery.json.
var ErrZone = errors.New("not an IANA time zone name")

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
	// OfficeKey names the office's current release key when it is not office.key: a pkcs11:
	// URI (without pin-value), or after a rotation the key file in the data directory.
	OfficeKey string `json:"office_key,omitempty"`
	// OfficeKeyNext is the pkcs11: URI (without pin-value) of the key a rotation is moving
	// the office to, recorded before the rotation commits: a rotation stopped after its
	// commit, before SetOfficeKey, leaves a store whose current key is that one, and its
	// module is then trusted as the directory's own (OpenRecordedKey). SetOfficeKey clears it.
	OfficeKeyNext string `json:"office_key_next,omitempty"`
	// LogKey is the pkcs11: URI (without pin-value) of the log's checkpoint key when it is
	// held in a token rather than in log.key.
	LogKey string `json:"log_key,omitempty"`
	// StampLanguages are the languages of the stamps on the office's PDFs (the footer of
	// released letters, the marks of draft copies and previews), codes such as "en" or "ar"
	// in the order printed; empty: English alone. SetStampLanguages changes them.
	StampLanguages []string `json:"stamp_languages,omitempty"`
	// TimeZone is the office's time zone, an IANA name such as "Europe/Paris": its letters'
	// dates (letterhead, footer of released letters), its reference years and the release
	// dates of its answers are the dates there. Empty: UTC. SetTimeZone changes it.
	TimeZone string `json:"time_zone,omitempty"`
	// Unfinished marks a directory whose init has not finished: its office may lack its log
	// or its first admin, and only then may init run again on it (Reopen). Init sets it,
	// Finish clears it.
	Unfinished bool `json:"unfinished,omitempty"`
	// BegunBy is "serve" (BegunByServe) while the init of an unfinished directory is one serve
	// began, with its own settings and for its admin "admin", rather than an operator's
	// 'chancery init': the next serve finishes it itself. Finish clears it.
	BegunBy string `json:"begun_by,omitempty"`
}

// BegunByServe is Settings.BegunBy for a directory serve began initializing.
const BegunByServe = "serve"

// Dir is a data directory.
type Dir struct {
	Path      string
	Settings  Settings
	signer    note.Signer
	verifier  note.Verifier
	vkey      string
	officeKey crypto.Signer
	dispatch  []byte
	// closers release the tokens' sessions (Close).
	closers []func() error
}

// OriginFor returns the default log origin for a base URL: its host and path, then "/log".
func OriginFor(base string) (string, error) {
	u, err := parseURL(base)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(u.Host+u.Path, "/") + "/log", nil
}

// CheckURL refuses a base URL that released letters cannot carry: one not http or https,
// without a host, or with a user name or password (every letter's QR code and links would
// show it, for ever), a query or a fragment (the registry's paths, appended, would fall
// inside them).
func CheckURL(base string) error {
	_, err := parseURL(base)
	return err
}

func parseURL(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https"):
		return nil, fmt.Errorf("base URL %q is not an http or https URL", base)
	case u.User != nil:
		return nil, fmt.Errorf("base URL %q holds a user name or password: every released letter would show it", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(base, "#"):
		return nil, fmt.Errorf("base URL %q has a query or a fragment: the registry's paths go after it", base)
	}
	return u, nil
}

// Init creates a data directory with a new log key and office key, or with the keys that
// s.OfficeKey and s.LogKey name in a PKCS#11 token (pkcs11: URIs, opened and checked before
// anything is written: a wrong PIN or a missing token leaves no directory behind). It refuses
// a directory that is already initialized, and leaves nothing behind if it fails.
func Init(path string, s Settings) (_ *Dir, err error) {
	if err := checkOrigin(s.Origin); err != nil {
		return nil, err
	}
	if err := checkWritten(s); err != nil {
		return nil, err
	}
	// Empty for callers that serve no letters (tests, tools); 'chancery init' always sets it.
	if s.URL != "" {
		if err := CheckURL(s.URL); err != nil {
			return nil, err
		}
	}
	if _, err := os.Stat(filepath.Join(path, settingsFile)); err == nil {
		return nil, fmt.Errorf("%s is %w", path, ErrInitialized)
	}
	keys := &tokenKeys{}
	defer func() {
		if err != nil {
			keys.close()
		}
	}()
	if s.OfficeKey != "" {
		if keys.office, s.OfficeKey, err = openToken("office key", s.OfficeKey); err != nil {
			return nil, err
		}
	}
	if s.LogKey != "" {
		if keys.log, s.LogKey, err = openToken("log key", s.LogKey); err != nil {
			return nil, err
		}
	}
	if keys.office != nil && keys.log != nil && keys.office.Public().(ed25519.PublicKey).Equal(keys.log.Public()) {
		return nil, errors.New("the office key and the log key are the same key: give each its own")
	}
	var files []staged
	if keys.log == nil {
		skey, _, err := note.GenerateKey(nil, s.Origin)
		if err != nil {
			return nil, fmt.Errorf("generate log key: %w", err)
		}
		files = append(files, staged{logKeyFile, []byte(skey + "\n")})
	}
	if keys.office == nil {
		_, office, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("generate office key: %w", err)
		}
		pemKey, err := encodeKey(office)
		if err != nil {
			return nil, err
		}
		files = append(files, staged{officeKeyFile, pemKey})
	}
	secret := make([]byte, 32)
	rand.Read(secret)
	files = append(files, staged{dispatchFile, []byte(base64.StdEncoding.EncodeToString(secret) + "\n")})
	// Before looking inside: in another user's directory, which this user may not even
	// search, the refusal is the owner's, not a file that cannot be looked at.
	if err := checkOwner("data directory", path); err != nil {
		return nil, err
	}

	_, statErr := os.Stat(path)
	if err := os.MkdirAll(path, 0o700); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		// The new directory's name is in its parent: synced, so that a power loss after init
		// cannot lose the whole directory its keys and office were written in.
		if err := exclfile.SyncDir(filepath.Dir(filepath.Clean(path))); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	if err := checkUnchangeable("data directory", path, "700"); err != nil {
		return nil, err
	}
	if err := checkOwner("data directory", path); err != nil {
		return nil, err
	}
	if statErr == nil {
		if err := privateIfEmpty(path); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
	}
	// Two inits started at once on a fresh directory each removed and wrote the other's
	// staged keys, and the one refused then removed what it took for its own: the second
	// waits here, and finds the first's settings.
	unlock, err := lockDir(path)
	if err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	defer unlock()
	if _, err := os.Lstat(filepath.Join(path, settingsFile)); err == nil {
		return nil, fmt.Errorf("%s is %w", path, ErrInitialized)
	}
	for _, f := range files {
		if _, err := os.Lstat(filepath.Join(path, f.name)); !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("write %s: %w", f.name, errors.Join(fs.ErrExist, err))
		}
	}
	var written []string
	defer func() {
		if err == nil {
			return
		}
		// Leave nothing behind: a directory marked initialized that cannot open is worse
		// than none, and a directory init created goes again.
		for _, f := range written {
			os.Remove(filepath.Join(path, f))
		}
		if errors.Is(statErr, fs.ErrNotExist) {
			os.Remove(path)
		}
	}()
	// The keys are written under their staging names first, then the settings, then the keys
	// are moved to their names: killed at any point, init leaves staged files that the next
	// init replaces, or settings whose keys are whole, staged or in place (Reopen moves them
	// in). A key file under its own name without settings is never init's leftover: it is
	// refused, not overwritten.
	// Without settings, every staged file is a killed init's: one of a key that this init
	// takes from a token would otherwise be moved in beside it (moveInStaged).
	for _, name := range []string{logKeyFile, officeKeyFile, dispatchFile} {
		os.Remove(filepath.Join(path, name+stagedSuffix))
	}
	for _, f := range files {
		stage := f.name + stagedSuffix
		if err := exclfile.Write(filepath.Join(path, stage), f.data, 0o600); err != nil {
			return nil, fmt.Errorf("write %s: %w", f.name, err)
		}
		written = append(written, stage)
		initStep(stage)
	}
	if err := exclfile.SyncDir(path); err != nil {
		return nil, fmt.Errorf("write keys: %w", err)
	}
	// The settings mark a directory whose keys are made; their office is made next (Finish).
	s.Unfinished = true
	if err := exclfile.Create(filepath.Join(path, settingsFile), marshalSettings(s), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", settingsFile, err)
	}
	written = append(written, settingsFile)
	for _, f := range files {
		written = append(written, f.name)
	}
	initStep(settingsFile)
	if err := moveInStaged(path); err != nil {
		return nil, err
	}
	return open(path, keys)
}

// stagedSuffix ends the name under which Init writes a key file before the settings exist.
const stagedSuffix = ".init"

// staged is a file Init writes under its staging name, then moves to name.
type staged struct {
	name string
	data []byte
}

// moveInStaged moves the key files an init staged in the directory at path to their names,
// once the settings exist, and syncs the directory.
func moveInStaged(path string) error {
	moved := false
	for _, name := range []string{logKeyFile, officeKeyFile, dispatchFile} {
		stage := filepath.Join(path, name+stagedSuffix)
		if _, err := os.Lstat(stage); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err := os.Rename(stage, filepath.Join(path, name)); err != nil {
			return fmt.Errorf("move %s in: %w", name, err)
		}
		moved = true
		initStep(name)
	}
	if !moved {
		return nil
	}
	if err := exclfile.SyncDir(path); err != nil {
		return fmt.Errorf("move keys in: %w", err)
	}
	return nil
}

// initStep, set only by tests, is called with the name of each file Init writes once it is
// written: crash tests kill the process there.
var initStep = func(string) {}

// Reopen opens the directory at path whose init stopped after writing it (killed, or its
// database unreachable), for init to finish, if Init made it with s. The keys s names in a
// token are opened as Init opens them, so a PIN given only in the URI serves again. A
// finished directory, or one with other settings, is refused with ErrInitialized.
func Reopen(path string, s Settings) (_ *Dir, err error) {
	if r, err := readSettings(path); err != nil {
		return nil, err
	} else if !r.Unfinished {
		return nil, fmt.Errorf("%s is %w", path, ErrInitialized)
	}
	keys := &tokenKeys{}
	if s.OfficeKey != "" {
		if keys.office, s.OfficeKey, err = openToken("office key", s.OfficeKey); err != nil {
			return nil, err
		}
	}
	if s.LogKey != "" {
		if keys.log, s.LogKey, err = openToken("log key", s.LogKey); err != nil {
			keys.close()
			return nil, err
		}
	}
	// Killed after it wrote the settings, Init may have left its keys staged; or it is still
	// moving them in, holding the directory's lock: both renaming one file, the one refused
	// fails, and an Init that fails removes what it wrote, the keys the other moved in.
	unlock, err := lockDir(path)
	if err != nil {
		keys.close()
		return nil, err
	}
	err = moveInStaged(path)
	unlock()
	if err != nil {
		keys.close()
		return nil, err
	}
	d, err := open(path, keys)
	if err != nil {
		return nil, err
	}
	r := d.Settings
	if r.Office != s.Office || r.Prefix != s.Prefix || r.Origin != s.Origin || r.URL != s.URL || r.Converter != s.Converter ||
		r.OfficeKey != s.OfficeKey || r.LogKey != s.LogKey || strings.Join(r.StampLanguages, ",") != strings.Join(s.StampLanguages, ",") ||
		r.TimeZone != s.TimeZone {
		d.Close()
		return nil, fmt.Errorf("%s is %w, with other settings", path, ErrInitialized)
	}
	return d, nil
}

// tokenKeys are keys Init opened in a token, handed to open so that a PIN given only in the
// URI at init (pin-value, which is not recorded) still serves for init's own signatures.
type tokenKeys struct {
	office, log *hsm.Key
}

func (k *tokenKeys) close() {
	if k == nil {
		return
	}
	for _, key := range []*hsm.Key{k.office, k.log} {
		if key != nil {
			key.Close()
		}
	}
}

// openToken opens the key a pkcs11: URI names and returns it with the URI to record: the
// same without pin-value.
func openToken(what, uri string) (*hsm.Key, string, error) {
	u, err := hsm.ParseURI(uri)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", what, err)
	}
	k, err := hsm.Open(uri)
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w", what, err)
	}
	return k, u.Recorded(), nil
}

// encodeKey encodes an office key file: PKCS#8 PEM.
func encodeKey(k ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, fmt.Errorf("encode office key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
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
	if _, ok := i18n.StampLanguages(strings.Join(s.StampLanguages, ",")); !ok {
		return fmt.Errorf("stamp languages %q must be distinct codes among en, fr and ar", strings.Join(s.StampLanguages, ","))
	}
	return nil
}

// checkWritten is checkOffice with the time zone, for settings about to be written. Settings
// read are not refused for their zone, so that 'chancery time-zone' can open a directory
// whose chancery.json names a zone this machine does not know (edited by hand, or from a
// newer zone database) and set another; a server opening it refuses to start (Zone).
func checkWritten(s Settings) error {
	if err := checkOffice(s); err != nil {
		return err
	}
	_, err := s.Zone()
	return err
}

// Zone is the office's time zone (TimeZone loaded; UTC when empty). The zone database is
// the system's, or the one built into chancery where the system has none.
func (s Settings) Zone() (*time.Location, error) {
	return LoadZone(s.TimeZone)
}

// LoadZone loads an office time zone by its IANA name: "Europe/Paris", "UTC"; empty is UTC.
// "Local", which would be whatever zone the machine at hand is set to, is refused, and so is
// any name that is not written as IANA names are (zoneName).
func LoadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if !zoneName(name) {
		return nil, fmt.Errorf("time zone %q is %w such as Europe/Paris or UTC", name, ErrZone)
	}
	z, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q is %w such as Europe/Paris or UTC", name, ErrZone)
	}
	return z, nil
}

// zoneName reports whether name is written as IANA zone names are: components of ASCII
// letters, digits, "_", "-" and "+", each starting with a letter, joined by single slashes
// ("Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+12"). The system's lookup
// takes any path under its zone directory, which holds more than zones: "localtime" is the
// machine's own zone ("Local" by another name), "posixrules" a template, "right/…" zones
// counted with leap seconds that Go reads wrongly, and "posix/…", "Europe//Paris" or "./UTC"
// are spellings the database built into chancery does not know, so that the same
// chancery.json would not open on a machine without a system database.
func zoneName(name string) bool {
	if name == "Local" || name == "localtime" || name == "posixrules" ||
		strings.HasPrefix(name, "posix/") || strings.HasPrefix(name, "right/") {
		return false
	}
	for _, part := range strings.Split(name, "/") {
		if part == "" || !('A' <= part[0] && part[0] <= 'Z' || 'a' <= part[0] && part[0] <= 'z') {
			return false
		}
		for _, c := range []byte(part) {
			if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '+') {
				return false
			}
		}
	}
	return true
}

// SetTimeZone records the office's time zone in chancery.json (replaced atomically); a
// server reads it when it starts. Empty is UTC.
func (d *Dir) SetTimeZone(name string) error {
	return d.changeSettings(func(s *Settings) error {
		s.TimeZone = name
		return checkWritten(*s)
	})
}

// SetStampLanguages records the office's stamp languages in chancery.json (replaced
// atomically); a server reads them when it starts. Empty is English alone.
func (d *Dir) SetStampLanguages(langs []string) error {
	return d.changeSettings(func(s *Settings) error {
		s.StampLanguages = langs
		return checkWritten(*s)
	})
}

// Finish records that the office's init has finished: its log and its first admin are
// made, and init no longer runs on this directory.
func (d *Dir) Finish() error {
	return d.changeSettings(func(s *Settings) error {
		s.Unfinished, s.BegunBy = false, ""
		return nil
	})
}

// changeSettings applies change to the settings as chancery.json holds them now and replaces
// the file with the result whole (exclfile.ReplaceKeepingOwner), so that a crash leaves the
// old settings or the new. It holds an exclusive lock on the data directory meanwhile and
// reads the file again under it: two commands run at once (time-zone beside key rotate
// office), each with the settings it read when it opened the directory, each rewrote the
// whole file, and the second undid the first's change.
func (d *Dir) changeSettings(change func(*Settings) error) error {
	unlock, err := lockDir(d.Path)
	if err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	defer unlock()
	s, err := readSettings(d.Path)
	if err != nil {
		return err
	}
	if err := change(&s); err != nil {
		return err
	}
	if err := exclfile.ReplaceKeepingOwner(filepath.Join(d.Path, settingsFile), marshalSettings(s), 0o600); err != nil {
		return fmt.Errorf("write settings: %w", err)
	}
	d.Settings = s
	return nil
}

// lockDir takes an exclusive lock on the directory path itself, waiting for it, for Init and
// the changes of the settings; the server's lock is another (Lock). unlock releases it.
func lockDir(path string) (unlock func(), err error) {
	dir, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(dir.Fd()), syscall.LOCK_EX); err != nil {
		dir.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { dir.Close() }, nil
}

func checkOrigin(o string) error {
	if o == "" || strings.ContainsAny(o, " \t\n+") || strings.Contains(o, "://") {
		return fmt.Errorf("log origin %q must be a non-empty schema-less URL without spaces or '+', such as registry.example.org/log", o)
	}
	return nil
}

// writeExcl creates name with mode 0600, whole (exclfile.Create), failing if it exists: a
// process killed while it writes leaves no file rather than a torn one that open would refuse
// (dispatch.key, written before a rotation). Run as root in a data directory of the service's
// user, the file is that user's (exclfile.CreateForDirOwner).
func writeExcl(name string, data []byte) error {
	return exclfile.CreateForDirOwner(name, data, 0o600)
}

// Open opens an initialized data directory and loads its keys: from their files, or from
// their tokens (with the PIN that the recorded URI's pin-source, CHANCERY_HSM_PIN or
// CHANCERY_HSM_PIN_FILE gives). Close releases the tokens' sessions.
func Open(path string) (*Dir, error) { return open(path, nil) }

// ReadSettings returns the settings the data directory at path records, without opening its
// keys: those of a directory whose init stopped before its keys were in place too. It checks
// the directory and the file as Open does, and returns ErrNotInitialized without settings.
func ReadSettings(path string) (Settings, error) { return readSettings(path) }

func open(path string, keys *tokenKeys) (_ *Dir, err error) {
	settings, err := readSettings(path)
	if err != nil {
		keys.close()
		return nil, err
	}
	d := &Dir{Path: path, Settings: settings}
	if keys != nil {
		for _, k := range []*hsm.Key{keys.office, keys.log} {
			if k != nil {
				d.closers = append(d.closers, k.Close)
			}
		}
	}
	defer func() {
		if err != nil {
			d.Close()
			// Killed after it wrote the settings, an init may have left its keys staged
			// (Reopen moves them in): the command to run is that init, not a restore.
			if settings.Unfinished && keys == nil && errors.Is(err, fs.ErrNotExist) {
				err = fmt.Errorf("%w: %w", ErrUnfinished, err)
			}
		}
	}()
	if keys != nil && keys.office != nil {
		d.officeKey = keys.office
	} else if d.officeKey, err = d.OpenKey(d.OfficeKeyRef()); err != nil {
		return nil, err
	}
	if d.dispatch, err = d.readDispatch(); err != nil {
		return nil, err
	}
	if d.Settings.LogKey != "" {
		var lk *hsm.Key
		if keys != nil && keys.log != nil {
			lk = keys.log
		} else if lk, err = hsm.Open(d.Settings.LogKey); err != nil {
			return nil, fmt.Errorf("log key: %w", err)
		} else {
			d.closers = append(d.closers, lk.Close)
		}
		if d.signer, err = hsm.NoteSigner(d.Settings.Origin, lk); err != nil {
			return nil, fmt.Errorf("log key: %w", err)
		}
		if d.vkey, err = note.NewEd25519VerifierKey(d.Settings.Origin, lk.Public().(ed25519.PublicKey)); err != nil {
			return nil, fmt.Errorf("log key: %w", err)
		}
	} else if err := d.readLogKey(); err != nil {
		return nil, err
	}
	d.verifier, err = note.NewVerifier(d.vkey)
	if err != nil {
		return nil, fmt.Errorf("log key: %w", err)
	}
	return d, nil
}

// readSettings reads and checks the settings of the data directory at path.
func readSettings(path string) (Settings, error) {
	var s Settings
	if err := checkUnchangeable("data directory", path, "700"); err != nil {
		return s, err
	}
	if err := checkUnchangeable("settings", filepath.Join(path, settingsFile), "600"); err != nil {
		return s, err
	}
	for _, f := range []struct{ what, name string }{{"data directory", path}, {"settings", filepath.Join(path, settingsFile)}} {
		if err := checkOwner(f.what, f.name); err != nil {
			return s, err
		}
	}
	js, err := readSmall(filepath.Join(path, settingsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return s, fmt.Errorf("%s: %w", path, ErrNotInitialized)
	}
	if err != nil {
		return s, fmt.Errorf("read settings: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return s, fmt.Errorf("read settings %s: %w", filepath.Join(path, settingsFile), err)
	}
	if err := checkOrigin(s.Origin); err != nil {
		return s, err
	}
	return s, checkOffice(s)
}

// readSmall reads the data directory's file name (smallfile.Read, at most maxSmallFile
// bytes): one that is not a regular file, or is too large, was not written by chancery.
func readSmall(name string) ([]byte, error) {
	b, err := smallfile.Read(name, maxSmallFile)
	if errors.Is(err, smallfile.ErrNotRegular) || errors.Is(err, smallfile.ErrTooLarge) {
		return nil, fmt.Errorf("%w: %w", err, ErrNotWritten)
	}
	return b, err
}

// maxSmallFile bounds the files of the data directory read whole: the settings, the key
// files and the published checkpoint are each at most a few KiB.
const maxSmallFile = 64 << 10

// readLogKey reads log.key.
func (d *Dir) readLogKey() error {
	kf := filepath.Join(d.Path, logKeyFile)
	if err := checkPrivate("log key", kf); err != nil {
		return err
	}
	skey, err := readSmall(kf)
	if err != nil {
		return fmt.Errorf("read log key: %w", err)
	}
	d.signer, err = note.NewSigner(strings.TrimSpace(string(skey)))
	if err != nil {
		return fmt.Errorf("log key %s: %w", kf, err)
	}
	if d.signer.Name() != d.Settings.Origin {
		return fmt.Errorf("log key %s is for %q, but the origin is %q", kf, d.signer.Name(), d.Settings.Origin)
	}
	d.vkey, err = verifierKey(strings.TrimSpace(string(skey)))
	if err != nil {
		return fmt.Errorf("log key %s: %w", kf, err)
	}
	return nil
}

// readDispatch reads the dispatch secret. A data directory made before dispatch.key existed
// derived it from office.key's seed: that seed stays the secret, so that message IDs and
// receipt tokens already sent keep working (WriteDispatchSecret records it before a rotation).
func (d *Dir) readDispatch() ([]byte, error) {
	if err := checkPrivate("dispatch secret", filepath.Join(d.Path, dispatchFile)); err != nil {
		return nil, err
	}
	b, err := readSmall(filepath.Join(d.Path, dispatchFile))
	if errors.Is(err, fs.ErrNotExist) {
		if k, ok := d.officeKey.(ed25519.PrivateKey); ok && d.Settings.OfficeKey == "" {
			return k.Seed(), nil
		}
		return nil, fmt.Errorf("%s is missing: restore it from a backup of the data directory", filepath.Join(d.Path, dispatchFile))
	}
	if err != nil {
		return nil, fmt.Errorf("read dispatch secret: %w", err)
	}
	secret, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(secret) < 32 {
		return nil, fmt.Errorf("%s: not a base64 secret of at least 32 bytes", filepath.Join(d.Path, dispatchFile))
	}
	return secret, nil
}

// WriteDispatchSecret records the dispatch secret in dispatch.key if the directory has none
// yet (one made before it existed), so that it no longer depends on office.key.
func (d *Dir) WriteDispatchSecret() error {
	err := writeExcl(filepath.Join(d.Path, dispatchFile), []byte(base64.StdEncoding.EncodeToString(d.dispatch)+"\n"))
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	return err
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

// checkPrivate refuses a secret file (what names it) that its group or others can read
// (smallfile.ReadableError); a missing file is for the reader to report.
func checkPrivate(what, name string) error {
	return smallfile.CheckPrivate(what, name)
}

// checkUnchangeable refuses a file or directory (what names it) that its group or others can
// write: in the data directory they could put a key of theirs in place of the office's, and
// in the settings name a PKCS#11 module that the server loads. A missing one is for the
// reader to report.
func checkUnchangeable(what, name, chmod string) error {
	if fi, err := os.Stat(name); err == nil && fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("%s %s can be changed by others (mode %v): chmod %s it", what, name, fi.Mode().Perm(), chmod)
	}
	return nil
}

// euid is os.Geteuid, replaced by tests.
var euid = os.Geteuid

// checkOwner refuses a file or directory (what names it) that belongs to neither the user
// running chancery nor root: its owner could put a key of theirs in place of the office's,
// or name in the settings a PKCS#11 module that this user's process then loads. Root may
// use any user's directory (a restore or a migration in a service user's directory, which
// that user runs). A missing one is for the reader to report.
func checkOwner(what, name string) error {
	fi, err := os.Stat(name)
	if err != nil {
		return nil
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	me := euid()
	if !ok || me == 0 || int(st.Uid) == me || st.Uid == 0 {
		return nil
	}
	return fmt.Errorf("%s %s %w (%s), not to you (%s)", what, name, ErrNotOwner, userName(int(st.Uid)), userName(me))
}

// userName is the name of the user uid, with its uid, or its uid alone if it has none.
func userName(uid int) string {
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil {
		return fmt.Sprintf("%s, uid %d", u.Username, uid)
	}
	return fmt.Sprintf("uid %d", uid)
}

// readOfficeKey reads an office key file, refusing a file others can read.
func readOfficeKey(name string) (ed25519.PrivateKey, error) {
	if err := checkPrivate("office key", name); err != nil {
		return nil, err
	}
	b, err := readSmall(name)
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

// OfficeKeyRef names the office's current release key: a pkcs11: URI, or a key file in the
// data directory (office.key unless a rotation moved to another).
func (d *Dir) OfficeKeyRef() string {
	if d.Settings.OfficeKey != "" {
		return d.Settings.OfficeKey
	}
	return officeKeyFile
}

// OpenKey opens the office key ref names (as OfficeKeyRef does). A key in a token is closed
// with the data directory (Close). The signer is an Ed25519 crypto.Signer (registry.Config
// says what the registry expects of it).
func (d *Dir) OpenKey(ref string) (crypto.Signer, error) {
	if hsm.IsURI(ref) {
		k, err := hsm.Open(ref)
		if err != nil {
			return nil, fmt.Errorf("office key: %w", err)
		}
		d.closers = append(d.closers, k.Close)
		return k, nil
	}
	// A URI with a mistyped or missing scheme is no key file (NewKeyFile's names have none of
	// these characters), and is not named: a pin-value may be anywhere in it, and messages go
	// to terminals and logs.
	if strings.ContainsAny(ref, ":;?&=") {
		return nil, errors.New("office key: not a pkcs11: URI or a file in the data directory")
	}
	if ref == "" || ref != filepath.Base(ref) {
		return nil, fmt.Errorf("office key %q: not a pkcs11: URI or a file in the data directory", ref)
	}
	return readOfficeKey(filepath.Join(d.Path, ref))
}

// HSMModulesEnv names the PKCS#11 modules, besides those of the directory's own key URIs, that
// OpenRecordedKey may load: paths separated by colons, as in PATH.
const HSMModulesEnv = "CHANCERY_HSM_MODULES"

// ErrUntrustedModule is OpenRecordedKey's refusal of a key whose PKCS#11 module neither the
// directory's settings nor CHANCERY_HSM_MODULES name.
var ErrUntrustedModule = errors.New("its PKCS#11 module is not one this data directory uses (" + HSMModulesEnv + ")")

// OpenRecordedKey opens an office key that the store's key history names (refs as OpenKey
// takes them). That history lives in the database, which on PostgreSQL is often in other
// hands than the servers' hosts, and loading a PKCS#11 module runs its code in the server,
// beside the token's keys: a pkcs11: URI from there is opened only if its module is one this
// directory's own key URIs load, or one CHANCERY_HSM_MODULES names. A key file must be in the
// data directory (OpenKey), whoever names it.
func (d *Dir) OpenRecordedKey(ref string) (crypto.Signer, error) {
	if hsm.IsURI(ref) {
		u, err := hsm.ParseURI(ref)
		if err != nil {
			return nil, fmt.Errorf("office key: %w", err)
		}
		if u.ModulePath != "" && !d.trustsModule(u.ModulePath) {
			return nil, fmt.Errorf("office key %s: %w", u, ErrUntrustedModule)
		}
	}
	return d.OpenKey(ref)
}

// trustsModule reports whether the PKCS#11 module at path is one the directory's own office
// or log key URI names (or the key a rotation is moving to: Settings.OfficeKeyNext), or one
// CHANCERY_HSM_MODULES lists.
func (d *Dir) trustsModule(path string) bool {
	trusted := filepath.SplitList(os.Getenv(HSMModulesEnv))
	for _, ref := range []string{d.Settings.OfficeKey, d.Settings.OfficeKeyNext, d.Settings.LogKey} {
		if u, err := hsm.ParseURI(ref); err == nil {
			trusted = append(trusted, u.ModulePath)
		}
	}
	for _, t := range trusted {
		if t != "" && filepath.Clean(t) == filepath.Clean(path) {
			return true
		}
	}
	return false
}

// NewKeyFile writes a new office key to a new file in the data directory (mode 0600,
// created with O_EXCL) and returns it with its name, for a rotation.
func (d *Dir) NewKeyFile() (ed25519.PrivateKey, string, error) {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", fmt.Errorf("generate office key: %w", err)
	}
	b, err := encodeKey(k)
	if err != nil {
		return nil, "", err
	}
	name := "office-" + hex.EncodeToString(k.Public().(ed25519.PublicKey)[:6]) + ".key"
	if err := writeExcl(filepath.Join(d.Path, name), b); err != nil {
		return nil, "", fmt.Errorf("write office key: %w", err)
	}
	return k, name, nil
}

// RemoveUnusedKeyFiles removes the key files NewKeyFile wrote (office-<id>.key) that neither
// keep nor the settings name: each is the new key of a rotation killed before it was logged,
// a private key that never signed anything logged. The caller holds the directory's lock
// (Lock) and passes every key file the store's key history names, read under it.
func (d *Dir) RemoveUnusedKeyFiles(keep []string) error {
	names, err := filepath.Glob(filepath.Join(d.Path, "office-*.key"))
	if err != nil {
		return err
	}
	removed := false
	for _, p := range names {
		name := filepath.Base(p)
		id, ok := strings.CutSuffix(strings.TrimPrefix(name, "office-"), ".key")
		if b, err := hex.DecodeString(id); !ok || err != nil || len(b) != 6 ||
			name == d.Settings.OfficeKey || slices.Contains(keep, name) {
			continue
		}
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("remove unused office key: %w", err)
		}
		removed = true
	}
	if removed {
		return exclfile.SyncDir(d.Path)
	}
	return nil
}

// SetNextOfficeKey records ref, a key in a token, as the key a rotation is moving the office
// to (Settings.OfficeKeyNext), in chancery.json (replaced atomically), before the rotation
// commits.
func (d *Dir) SetNextOfficeKey(ref string) error {
	return d.changeSettings(func(s *Settings) error {
		s.OfficeKeyNext = ref
		return nil
	})
}

// SetOfficeKey records ref as the office's current release key in chancery.json (replaced
// atomically), after a rotation, and forgets the next key (SetNextOfficeKey).
func (d *Dir) SetOfficeKey(ref string) error {
	return d.changeSettings(func(s *Settings) error {
		s.OfficeKey, s.OfficeKeyNext = ref, ""
		if ref == officeKeyFile {
			s.OfficeKey = ""
		}
		return nil
	})
}

// marshalSettings is the settings file: indented JSON, with a URI's "&" written as itself.
func marshalSettings(s Settings) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(s) // strings only: cannot fail
	return b.Bytes()
}

// OfficeKey is the office's release key as the settings name it (OfficeKeyRef).
func (d *Dir) OfficeKey() crypto.Signer { return d.officeKey }

// DispatchSecret is the office's secret for message IDs and receipt tokens.
func (d *Dir) DispatchSecret() []byte { return d.dispatch }

// Close releases the sessions of keys held in tokens.
func (d *Dir) Close() error {
	var errs []error
	for _, c := range d.closers {
		errs = append(errs, c())
	}
	d.closers = nil
	return errors.Join(errs...)
}

// Signer is the log's checkpoint signer.
func (d *Dir) Signer() note.Signer { return d.signer }

// Verifier is the log's checkpoint verifier.
func (d *Dir) Verifier() note.Verifier { return d.verifier }

// VerifierKey is the log's verifier key in note format ("origin+hash+base64").
func (d *Dir) VerifierKey() string { return d.vkey }

// LockFile and KeptLockFile are the files of the data directory that Lock takes its advisory
// locks on. Servers of older builds lock LockFile alone.
const (
	LockFile     = "serve.lock"
	KeptLockFile = ".serve.lock"
)

// lockFiles are the files Lock locks, in that order.
var lockFiles = [...]string{LockFile, KeptLockFile}

// Lock takes the data directory's server lock, so that a second server on the same directory
// stops at once with a clear error instead of competing for the log. The lock is an advisory
// lock on serve.lock (LockFile), which servers of older builds take too, and one on
// .serve.lock (KeptLockFile), taken without waiting, as serve.lock's: serve.lock removed by
// hand under a server, a second Lock makes a new one and locks it, and is refused by the
// other. Neither is the directory itself, which the settings' writes lock, waiting
// (lockDir), by the server too. The locks are released when the process exits or unlock is
// called. A lock file, made by root (a restore, a migration) in a data directory of a
// service's user, is that user's: one of root's would keep the service from opening it.
func (d *Dir) Lock() (unlock func(), err error) {
	var held []*os.File
	release := func() {
		for _, f := range held {
			f.Close()
		}
	}
	for _, name := range lockFiles {
		f, err := lockFile(d.Path, name)
		if err != nil {
			release()
			return nil, err
		}
		held = append(held, f)
	}
	return release, nil
}

// privateIfEmpty makes the empty directory path, which init was given rather than made,
// accessible to its owner alone (0700), as init makes a new one and restore an empty target:
// it is to hold the office's keys, and a directory made with mkdir is often 0755. A
// directory that holds something already is left as it is.
func privateIfEmpty(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	names, err := f.Readdirnames(1)
	f.Close()
	if len(names) > 0 {
		return nil
	}
	if !errors.Is(err, io.EOF) {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 == 0 {
		return nil
	}
	return os.Chmod(path, 0o700)
}

// lockFile takes an exclusive advisory lock on the file name of the data directory dir,
// without waiting, making the file if there is none; closing the file releases it.
func lockFile(dir, name string) (*os.File, error) {
	path := filepath.Join(dir, name)
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		if err := exclfile.CreateForDirOwner(path, nil, 0o600); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w %s", ErrLocked, dir)
		}
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	return f, nil
}
