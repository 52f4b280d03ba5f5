//go:build cgo

package hsm

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/miekg/pkcs11"
)

// PKCS#11 3.0 names that github.com/miekg/pkcs11 (written for 2.40) does not define.
const (
	ckmEDDSA        = 0x00001057 // CKM_EDDSA
	ckkECEdwards    = 0x00000040 // CKK_EC_EDWARDS
	ckkECMontgomery = 0x00000041 // CKK_EC_MONTGOMERY
)

// Key is an Ed25519 private key held in a PKCS#11 token. It implements crypto.Signer (with
// crypto.Hash(0), as ed25519.PrivateKey does) and is safe for concurrent use: signatures
// go through one session, one at a time.
type Key struct {
	uri *URI
	mod *module
	// pub is the public key found at Open, and nothing writes it afterwards: Public reads it
	// without the lock, and a key opened again must be this one.
	pub ed25519.PublicKey

	mu   sync.Mutex
	ctx  *pkcs11.Ctx
	sh   pkcs11.SessionHandle
	priv pkcs11.ObjectHandle
	// gen is the module's gen when sh and priv were opened: once the module was initialized
	// again they are stale, and the module may have given them since to another key's
	// session and objects.
	gen uint64
	// pinWrong is set once the token refused the PIN when the key was opened again.
	pinWrong bool

	// failed is why the last signature failed, and when; nil once one works.
	failed atomic.Pointer[failure]
	// probing is set while Unavailable signs a test message.
	probing atomic.Bool
}

// failure is a signature's failure: its error, and when it was made.
type failure struct {
	err error
	at  time.Time
}

// unavailableRetry is how long Unavailable waits after a failed signature before it tries one
// itself.
const unavailableRetry = time.Second

var _ crypto.Signer = (*Key)(nil)

// Open loads the module, logs in to the token, finds the key the URI names and signs a test
// message with it. Every failure is an error that says what is wrong (no module, no such
// token, a wrong PIN, no such key, a key that can leave the token or may not sign, private
// and public keys of two pairs), so that a server stops at start rather than at its first
// signature.
func Open(uri string) (*Key, error) {
	u, err := ParseURI(uri)
	if err != nil {
		return nil, err
	}
	if u.ModulePath == "" {
		return nil, fmt.Errorf("hsm: %s: the URI names no module (module-path=/usr/lib/…/libsofthsm2.so)", u)
	}
	pin, err := u.PIN()
	if err != nil {
		return nil, err
	}
	m, err := loadModule(u.ModulePath)
	if err != nil {
		return nil, fmt.Errorf("hsm: %s: %w", u, err)
	}
	k := &Key{uri: u, mod: m, ctx: m.ctx}
	m.calls.RLock()
	k.sh, k.priv, k.pub, err = k.open(pin)
	k.gen = m.gen
	m.calls.RUnlock()
	if err != nil {
		unloadModule(m)
		return nil, fmt.Errorf("hsm: %s: %w", u, err)
	}
	return k, nil
}

// modules are the loaded PKCS#11 modules, by path with links resolved: a module is
// initialized once per process, and the office key and the log key often live in the same
// token. The dynamic loader gives one library named by two paths (Debian's
// /usr/lib/softhsm/libsofthsm2.so is a link to /usr/lib/x86_64-linux-gnu/softhsm/…) once,
// whose second C_Initialize fails: two keys whose URIs spell the module differently share it.
var modules = struct {
	sync.Mutex
	m map[string]*module
}{m: map[string]*module{}}

type module struct {
	name string // its key in modules
	ctx  *pkcs11.Ctx
	refs int

	// calls is held shared by the keys' calls into the module, and exclusively by reinit,
	// which finalizes and initializes it again under them.
	calls sync.RWMutex
	// gen counts the times reinit initialized the module again; it is written with calls
	// held exclusively.
	gen uint64

	// login serialises the logins to the module's tokens, and pins holds, by token, a digest
	// of the PIN the user last logged in with (not the PIN itself, kept for the process's
	// life); refused, a digest of the last PIN the token refused, which no key presents to
	// it again.
	login   sync.Mutex
	pins    map[tokenID][sha256.Size]byte
	refused map[tokenID][sha256.Size]byte
}

// tokenID names a token of a module: the slot it is in and its serial number.
type tokenID struct {
	slot   uint
	serial string
}

func loadModule(path string) (*module, error) {
	modules.Lock()
	defer modules.Unlock()
	name := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		name = real
	}
	if m := modules.m[name]; m != nil {
		m.refs++
		return m, nil
	}
	if err := checkModule(path); err != nil {
		return nil, err
	}
	ctx := pkcs11.New(name)
	if ctx == nil {
		return nil, fmt.Errorf("cannot load the PKCS#11 module %s", path)
	}
	if err := ctx.Initialize(); err != nil {
		ctx.Destroy()
		var pe pkcs11.Error
		if errors.As(err, &pe) && pe == pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED {
			return nil, fmt.Errorf("initialize the module: %w (the library is loaded already under another path, a hard link or a bind mount: name it by one path in every URI)", err)
		}
		return nil, fmt.Errorf("initialize the module: %w", err)
	}
	m := &module{name: name, ctx: ctx, refs: 1, pins: map[tokenID][sha256.Size]byte{},
		refused: map[tokenID][sha256.Size]byte{}}
	modules.m[name] = m
	return m, nil
}

// checkModule refuses a PKCS#11 module that someone other than root or this process's user
// could have put in place: loading it runs its code in this process, beside the office's keys.
// The module (once its links are followed) must be a regular file, and it and every directory
// above it, as named and as resolved, owned by root or this user and writable by no one else
// (a directory with the sticky bit, as /tmp, excepted: others cannot replace what is in it).
// A module path in settings restored from someone's backup cannot then name a file another
// local account made.
func checkModule(path string) error {
	if !filepath.IsAbs(path) {
		return fmt.Errorf("the PKCS#11 module %s is not an absolute path", path)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return fmt.Errorf("the PKCS#11 module %s: %w", path, err)
	}
	fi, err := os.Stat(real)
	if err != nil {
		return fmt.Errorf("the PKCS#11 module %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("the PKCS#11 module %s is not a file", path)
	}
	if err := checkOwner(real, fi, false); err != nil {
		return fmt.Errorf("the PKCS#11 module %s: %w", path, err)
	}
	for _, p := range []string{filepath.Dir(filepath.Clean(path)), filepath.Dir(real)} {
		for ; ; p = filepath.Dir(p) {
			fi, err := os.Stat(p)
			if err != nil {
				return fmt.Errorf("the PKCS#11 module %s: %w", path, err)
			}
			if err := checkOwner(p, fi, true); err != nil {
				return fmt.Errorf("the PKCS#11 module %s: %w", path, err)
			}
			if p == filepath.Dir(p) {
				break
			}
		}
	}
	return nil
}

// checkOwner refuses name (fi) unless root or this process's user owns it and no one else can
// write it; a directory's sticky bit makes others' write access harmless.
func checkOwner(name string, fi os.FileInfo, dir bool) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if ok && st.Uid != 0 && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("%s belongs to another user (uid %d)", name, st.Uid)
	}
	if fi.Mode().Perm()&0o022 != 0 && !(dir && fi.Mode()&os.ModeSticky != 0) {
		return fmt.Errorf("%s can be changed by others (mode %v)", name, fi.Mode().Perm())
	}
	return nil
}

// reinit finalizes the module and initializes it again: a module that reads its slots once,
// at C_Initialize (SoftHSM), never sees a token again that went away while the process ran,
// and every signature failed, with the token back, until a restart. It ends every session
// and login of the module's keys, which each key opens again at its next signature. seen is
// the module's gen when the caller found no token: a module initialized again since then
// lists the slots of after that look, and is left as it is, so that keys that found no
// token at once do not end the sessions each opened after the first initialization.
func (m *module) reinit(seen uint64) error {
	m.calls.Lock()
	defer m.calls.Unlock()
	if m.gen != seen {
		return nil
	}
	m.ctx.Finalize()
	if err := m.ctx.Initialize(); err != nil {
		return fmt.Errorf("initialize the module again: %w", err)
	}
	m.gen++
	m.login.Lock()
	clear(m.pins)
	m.login.Unlock()
	return nil
}

func unloadModule(m *module) {
	modules.Lock()
	defer modules.Unlock()
	if m.refs--; m.refs == 0 {
		m.ctx.Finalize()
		m.ctx.Destroy()
		delete(modules.m, m.name)
	}
}

// open opens a session of the token the URI names, logs in with pin, finds the key and checks
// it, and returns the session, the private key's object and the public key. It writes nothing
// of k's, and leaves no session open when it fails.
func (k *Key) open(pin string) (pkcs11.SessionHandle, pkcs11.ObjectHandle, ed25519.PublicKey, error) {
	tok, err := k.token()
	if err != nil {
		return 0, 0, nil, err
	}
	sh, err := k.ctx.OpenSession(tok.slot, pkcs11.CKF_SERIAL_SESSION)
	if err != nil {
		return 0, 0, nil, fmt.Errorf("open a session: %w", err)
	}
	priv, pub, err := k.openIn(sh, tok, pin)
	if err != nil {
		k.ctx.CloseSession(sh)
		return 0, 0, nil, err
	}
	return sh, priv, pub, nil
}

// openIn is open's work in the session sh of the token tok.
func (k *Key) openIn(sh pkcs11.SessionHandle, tok tokenID, pin string) (pkcs11.ObjectHandle, ed25519.PublicKey, error) {
	if err := k.mod.logIn(sh, tok, pin); err != nil {
		return 0, nil, err
	}
	priv, err := k.find(sh, pkcs11.CKO_PRIVATE_KEY)
	if err != nil {
		return 0, nil, err
	}
	if err := k.checkPrivate(sh, priv); err != nil {
		return 0, nil, err
	}
	pubh, err := k.find(sh, pkcs11.CKO_PUBLIC_KEY)
	if err != nil {
		return 0, nil, err
	}
	attrs, err := k.ctx.GetAttributeValue(sh, pubh, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_EC_POINT, nil)})
	if err != nil {
		return 0, nil, fmt.Errorf("read the public key: %w", err)
	}
	pub, err := ecPoint(attrs[0].Value)
	if err != nil {
		return 0, nil, err
	}
	// The private and public objects found are two searches: from two key pairs (a pair
	// relabelled, an object deleted and made again), every signature failed Sign's check,
	// and the server learnt it at its first release rather than at start.
	msg := make([]byte, len(testMessage)+32)
	copy(msg, testMessage)
	rand.Read(msg[len(testMessage):])
	sig, err := k.sign(sh, priv, msg)
	if err != nil {
		return 0, nil, fmt.Errorf("sign a test message: %w", err)
	}
	if !ed25519.Verify(pub, msg, sig) {
		return 0, nil, errors.New("the private and public keys under this URI are not one pair: a test signature does not verify with the public key")
	}
	return priv, pub, nil
}

// errPINDiffers refuses a PIN other than the one the token was logged in with.
var errPINDiffers = errors.New("the URI's PIN is not the one another key of this token logged in with: the URIs give two PINs for one token (the token did not check this one)")

// logIn logs the user in to the token tok with pin, in its session sh. The sessions of one
// application share the login state: a second key of the token finds the user logged in
// already, and the token checks no PIN. That key's PIN is compared with the one the token was
// logged in with, and refused if it differs. It was accepted, and the token saw it only when
// the key had to log in again (the token forgot its sessions): it counted toward the PIN's
// lock, and the key signed nothing more until a restart.
func (m *module) logIn(sh pkcs11.SessionHandle, tok tokenID, pin string) error {
	m.login.Lock()
	defer m.login.Unlock()
	sum := sha256.Sum256([]byte(pin))
	// The office key and the log key of one token read one PIN file: a PIN the token refused
	// to one is not presented again by the other, each wrong one counting toward its lock.
	if was, ok := m.refused[tok]; ok && subtle.ConstantTimeCompare(was[:], sum[:]) == 1 {
		return fmt.Errorf("%w (the token refused it already: it is not presented again)", errPINWrong)
	}
	err := m.ctx.Login(sh, pkcs11.CKU_USER, pin)
	var pe pkcs11.Error
	switch {
	case err == nil:
		m.pins[tok] = sum
		delete(m.refused, tok)
	case errors.As(err, &pe) && (pe == pkcs11.CKR_PIN_INCORRECT || pe == pkcs11.CKR_PIN_LEN_RANGE):
		m.refused[tok] = sum
		return errPINWrong
	case errors.As(err, &pe) && pe == pkcs11.CKR_USER_ALREADY_LOGGED_IN:
		// Without a PIN remembered, the login is not this process's (a module whose login
		// state its applications share): there is nothing to compare with.
		if was, ok := m.pins[tok]; ok && subtle.ConstantTimeCompare(was[:], sum[:]) != 1 {
			return errPINDiffers
		}
	default:
		return fmt.Errorf("log in: %w", err)
	}
	return nil
}

// testMessage begins the message open signs to check the key pair, followed by random bytes:
// with its NUL it is neither a DSSE PAE ("DSSEv1 …") nor a note's text, the only messages the
// office and log keys sign for anyone to verify.
const testMessage = "chancery: hsm.Open: one key pair?\x00"

// checkPrivate refuses a private key that may not sign (CKA_SIGN false), which fails every
// signature, or that can leave the token (CKA_EXTRACTABLE true, or CKA_SENSITIVE false): a key
// that can be exported is a key file with extra steps, and a token is used so that the
// office's key cannot be copied. docs/keys.md has keys generated in the token, which
// pkcs11-tool makes sensitive and non-extractable unless told otherwise (--extractable).
func (k *Key) checkPrivate(sh pkcs11.SessionHandle, priv pkcs11.ObjectHandle) error {
	attrs, err := k.ctx.GetAttributeValue(sh, priv, []*pkcs11.Attribute{
		pkcs11.NewAttribute(pkcs11.CKA_SIGN, nil),
		pkcs11.NewAttribute(pkcs11.CKA_SENSITIVE, nil),
		pkcs11.NewAttribute(pkcs11.CKA_EXTRACTABLE, nil),
	})
	if err != nil {
		return fmt.Errorf("read the private key's attributes: %w", err)
	}
	set := map[uint]bool{}
	for _, a := range attrs {
		set[a.Type] = len(a.Value) == 1 && a.Value[0] != 0 // CK_BBOOL
	}
	switch {
	case !set[pkcs11.CKA_SIGN]:
		return errors.New("the private key may not sign (its CKA_SIGN is false)")
	case set[pkcs11.CKA_EXTRACTABLE]:
		return errors.New("the private key can be exported from the token (its CKA_EXTRACTABLE is true): use a key generated in the token as non-extractable")
	case !set[pkcs11.CKA_SENSITIVE]:
		return errors.New("the private key can be read from the token (its CKA_SENSITIVE is false): use a key generated in the token as sensitive")
	}
	return nil
}

// token finds the one token the URI names (by token=, serial=, manufacturer=, model= and
// slot-id=). Two tokens that match are refused, as find refuses two keys: the first one was
// taken, and whoever could make a token of the office token's label in the module (a
// SoftHSM token directory, a partition of a shared HSM, a smart card plugged in) decided, by
// the slot order, which key the office signed with.
func (k *Key) token() (tokenID, error) {
	slots, err := k.ctx.GetSlotList(true)
	if err != nil {
		return tokenID{}, fmt.Errorf("list the slots: %w", err)
	}
	u := k.uri
	var found []tokenID
	for _, s := range slots {
		if u.SlotID != "" && strconv.FormatUint(uint64(s), 10) != u.SlotID {
			continue
		}
		ti, err := k.ctx.GetTokenInfo(s)
		if err != nil {
			continue
		}
		if (u.Token == "" || ti.Label == u.Token) && (u.Serial == "" || ti.SerialNumber == u.Serial) &&
			(u.Manufacturer == "" || ti.ManufacturerID == u.Manufacturer) && (u.Model == "" || ti.Model == u.Model) {
			found = append(found, tokenID{slot: s, serial: ti.SerialNumber})
		}
	}
	switch {
	case len(found) == 0:
		return tokenID{}, errNoToken
	case len(found) > 1 && u.Serial == "":
		serials := make([]string, len(found))
		for i, t := range found {
			serials[i] = strconv.Quote(t.serial)
		}
		return tokenID{}, fmt.Errorf("more than one token is labelled %q (serials %s): add serial= to the URI", u.Token, strings.Join(serials, ", "))
	case len(found) > 1:
		ids := make([]string, len(found))
		for i, t := range found {
			ids[i] = strconv.FormatUint(uint64(t.slot), 10)
		}
		return tokenID{}, fmt.Errorf("more than one token has the serial %q (slot-ids %s): add slot-id= to the URI", u.Serial, strings.Join(ids, ", "))
	}
	return found[0], nil
}

// find returns the one Ed25519 object of class the URI names.
func (k *Key) find(sh pkcs11.SessionHandle, class uint) (pkcs11.ObjectHandle, error) {
	tmpl := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, class), pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, ckkECEdwards)}
	if k.uri.Object != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_LABEL, k.uri.Object))
	}
	if k.uri.ID != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_ID, []byte(k.uri.ID)))
	}
	if err := k.ctx.FindObjectsInit(sh, tmpl); err != nil {
		return 0, fmt.Errorf("find the key: %w", err)
	}
	hs, _, err := k.ctx.FindObjects(sh, 2)
	if ferr := k.ctx.FindObjectsFinal(sh); err == nil {
		err = ferr
	}
	kind := map[uint]string{pkcs11.CKO_PRIVATE_KEY: "private", pkcs11.CKO_PUBLIC_KEY: "public"}[class]
	switch {
	case err != nil:
		return 0, fmt.Errorf("find the key: %w", err)
	case len(hs) == 0:
		if other := k.otherType(sh, class); other != "" {
			return 0, fmt.Errorf("the %s key with this object/id is %s, not Ed25519: Chancery signs with Ed25519 keys only", kind, other)
		}
		return 0, fmt.Errorf("no Ed25519 %s key with this object/id in the token", kind)
	case len(hs) > 1:
		return 0, fmt.Errorf("more than one Ed25519 %s key matches: add id= to the URI", kind)
	}
	return hs[0], nil
}

// otherType names the type of a key of class that the URI's object and id select when it is
// not Ed25519 ("an RSA key"), and is "" when they select no key of another type: a URI
// naming the token's RSA or ECDSA key was refused as naming no key, with a hint to fix the
// label that was right.
func (k *Key) otherType(sh pkcs11.SessionHandle, class uint) string {
	if k.uri.Object == "" && k.uri.ID == "" {
		return ""
	}
	tmpl := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, class)}
	if k.uri.Object != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_LABEL, k.uri.Object))
	}
	if k.uri.ID != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_ID, []byte(k.uri.ID)))
	}
	if err := k.ctx.FindObjectsInit(sh, tmpl); err != nil {
		return ""
	}
	hs, _, err := k.ctx.FindObjects(sh, 1)
	k.ctx.FindObjectsFinal(sh)
	if err != nil || len(hs) == 0 {
		return ""
	}
	attrs, err := k.ctx.GetAttributeValue(sh, hs[0], []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, nil)})
	if err != nil || len(attrs) == 0 {
		return "a key of another type"
	}
	var t uint64 // a CK_ULONG, in the host's byte order
	switch v := attrs[0].Value; len(v) {
	case 8:
		t = binary.NativeEndian.Uint64(v)
	case 4:
		t = uint64(binary.NativeEndian.Uint32(v))
	default:
		return "a key of another type"
	}
	switch t {
	case pkcs11.CKK_RSA:
		return "an RSA key"
	case pkcs11.CKK_EC:
		return "an ECDSA key"
	case pkcs11.CKK_DSA:
		return "a DSA key"
	case ckkECMontgomery:
		return "an X25519 or X448 key (for key agreement)"
	}
	return fmt.Sprintf("a key of type %#x", t)
}

// ecPoint reads CKA_EC_POINT of an Ed25519 key: the 32 bytes, DER-wrapped in an OCTET
// STRING as PKCS#11 3.0 says, or bare as some modules return them.
func ecPoint(v []byte) (ed25519.PublicKey, error) {
	switch {
	case len(v) == ed25519.PublicKeySize+2 && v[0] == 0x04 && v[1] == ed25519.PublicKeySize:
		return ed25519.PublicKey(v[2:]), nil
	case len(v) == ed25519.PublicKeySize:
		return ed25519.PublicKey(v), nil
	}
	return nil, fmt.Errorf("the token's public key is not an Ed25519 point (%d bytes)", len(v))
}

// Public returns the ed25519.PublicKey found at Open.
func (k *Key) Public() crypto.PublicKey { return k.pub }

// Sign signs msg itself (pure Ed25519: opts must be crypto.Hash(0)) in the token.
func (k *Key) Sign(_ io.Reader, msg []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts != nil && opts.HashFunc() != 0 {
		return nil, errors.New("hsm: Ed25519 signs the message itself, not a digest")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	// Close leaves no session: signing with it dereferenced a nil module and crashed the
	// process, whichever goroutine (a request, the log's checkpoint) signed after it.
	if k.ctx == nil {
		return nil, fmt.Errorf("hsm: %s: sign: the key is closed", k.uri)
	}
	sig, err := k.signShared(msg)
	// The token forgot the session (a network HSM restarted, a token was reinserted):
	// without a new one every later signature failed until the server restarted. A session
	// opened again may be lost once more before it signs, to another key that initialized
	// the module again: it is opened again once more.
	for tries := 0; sessionLost(err) && tries < 2; tries++ {
		if err = k.reopen(); err != nil {
			break
		}
		sig, err = k.signShared(msg)
	}
	if err == nil && !ed25519.Verify(k.pub, msg, sig) {
		err = errors.New("the token's signature does not verify with its public key")
	}
	if err != nil {
		err = fmt.Errorf("hsm: %s: sign: %w: %w", k.uri, ErrUnavailable, err)
		k.failed.Store(&failure{err: err, at: time.Now()})
		return nil, err
	}
	k.failed.Store(nil)
	return sig, nil
}

// Unavailable returns why the key's last signature failed, nil once one works. While it
// fails, Unavailable signs a test message itself (at most once every unavailableRetry), so
// that a server that nothing asks to sign (its /readyz saying it cannot) learns that the
// token is back.
func (k *Key) Unavailable() error {
	f := k.failed.Load()
	if f == nil {
		return nil
	}
	if time.Since(f.at) >= unavailableRetry && k.probing.CompareAndSwap(false, true) {
		defer k.probing.Store(false)
		msg := make([]byte, len(testMessage)+32)
		copy(msg, testMessage)
		rand.Read(msg[len(testMessage):])
		if _, err := k.Sign(nil, msg, crypto.Hash(0)); err == nil {
			return nil
		}
		f = k.failed.Load()
	}
	if f == nil {
		return nil
	}
	return f.err
}

// errNoToken says that the module lists no token the URI names.
var errNoToken = errors.New("no such token in the module (check token=, serial=, slot-id= and that the token is present)")

// errPINWrong is the token's refusal of the PIN.
var errPINWrong = errors.New("the PIN is wrong")

// errStale says that the key's session and object handles are of before the module was
// initialized again.
var errStale = errors.New("the module was initialized again since the key's session was opened")

// signShared signs msg in the key's session, with the module's calls held shared; it
// signs nothing with handles of before the module was initialized again (errStale).
func (k *Key) signShared(msg []byte) ([]byte, error) {
	k.mod.calls.RLock()
	defer k.mod.calls.RUnlock()
	if k.gen != k.mod.gen {
		return nil, errStale
	}
	return k.sign(k.sh, k.priv, msg)
}

// sign signs msg with the private key priv in the session sh.
func (k *Key) sign(sh pkcs11.SessionHandle, priv pkcs11.ObjectHandle, msg []byte) ([]byte, error) {
	if err := k.ctx.SignInit(sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(ckmEDDSA, nil)}, priv); err != nil {
		return nil, err
	}
	return k.ctx.Sign(sh, msg)
}

// sessionLost reports whether err says that the session, or its login, is gone.
func sessionLost(err error) bool {
	if errors.Is(err, errStale) {
		return true
	}
	var pe pkcs11.Error
	if !errors.As(err, &pe) {
		return false
	}
	switch pe {
	case pkcs11.CKR_SESSION_HANDLE_INVALID, pkcs11.CKR_SESSION_CLOSED, pkcs11.CKR_USER_NOT_LOGGED_IN,
		pkcs11.CKR_OBJECT_HANDLE_INVALID, pkcs11.CKR_KEY_HANDLE_INVALID,
		pkcs11.CKR_TOKEN_NOT_PRESENT, pkcs11.CKR_DEVICE_REMOVED, pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED:
		return true
	}
	return false
}

// notInitialized reports whether err is the module's refusal of a call before C_Initialize.
func notInitialized(err error) bool {
	var pe pkcs11.Error
	return errors.As(err, &pe) && pe == pkcs11.CKR_CRYPTOKI_NOT_INITIALIZED
}

// reopen opens a new session, logs in and finds the key again, as Open did; the key found
// must be the one opened, or nothing is signed with it.
func (k *Key) reopen() error {
	// A token locks its PIN after a few wrong ones: a PIN file changed since the key was
	// opened is tried once, not at every signature.
	if k.pinWrong {
		return fmt.Errorf("open the key again: %w (already refused once: restart with the right PIN)", errPINWrong)
	}
	pin, err := k.uri.PIN()
	if err != nil {
		return fmt.Errorf("open the key again: %w", err)
	}
	k.mod.calls.RLock()
	if k.sh != 0 && k.gen == k.mod.gen {
		k.ctx.CloseSession(k.sh)
	}
	k.sh = 0
	sh, priv, pub, err := k.open(pin)
	gen := k.mod.gen
	k.mod.calls.RUnlock()
	if errors.Is(err, errNoToken) || notInitialized(err) {
		// The token may be back in a module that does not look for it again (or a
		// reinit before failed): initialize the module again, and look once more.
		if rerr := k.mod.reinit(gen); rerr != nil {
			err = fmt.Errorf("%w: %v", errNoToken, rerr)
		} else {
			k.mod.calls.RLock()
			sh, priv, pub, err = k.open(pin)
			gen = k.mod.gen
			k.mod.calls.RUnlock()
		}
	}
	if err == nil && !pub.Equal(k.pub) {
		k.mod.calls.RLock()
		if gen == k.mod.gen {
			k.ctx.CloseSession(sh)
		}
		k.mod.calls.RUnlock()
		err = errors.New("the token now holds another key under this URI")
	}
	if err != nil {
		// No session is left to another key: the next signature tries again.
		k.pinWrong = errors.Is(err, errPINWrong)
		return fmt.Errorf("open the key again: %w", err)
	}
	k.sh, k.priv, k.gen = sh, priv, gen
	return nil
}

// Close closes the key's session, and unloads the module when no other key uses it.
func (k *Key) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.ctx == nil {
		return nil
	}
	if k.sh != 0 {
		k.mod.calls.RLock()
		if k.gen == k.mod.gen {
			k.ctx.CloseSession(k.sh)
		}
		k.mod.calls.RUnlock()
	}
	unloadModule(k.mod)
	k.ctx = nil
	return nil
}
