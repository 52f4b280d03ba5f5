//go:build cgo

package hsm

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/miekg/pkcs11"
)

// PKCS#11 3.0 names that github.com/miekg/pkcs11 (written for 2.40) does not define.
const (
	ckmEDDSA     = 0x00001057 // CKM_EDDSA
	ckkECEdwards = 0x00000040 // CKK_EC_EDWARDS
)

// Key is an Ed25519 private key held in a PKCS#11 token. It implements crypto.Signer (with
// crypto.Hash(0), as ed25519.PrivateKey does) and is safe for concurrent use: signatures
// go through one session, one at a time.
type Key struct {
	uri  *URI
	mu   sync.Mutex
	ctx  *pkcs11.Ctx
	sh   pkcs11.SessionHandle
	priv pkcs11.ObjectHandle
	pub  ed25519.PublicKey
	// pinWrong is set once the token refused the PIN when the key was opened again.
	pinWrong bool
}

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
	ctx, err := loadModule(u.ModulePath)
	if err != nil {
		return nil, fmt.Errorf("hsm: %s: %w", u, err)
	}
	k := &Key{uri: u, ctx: ctx}
	if err := k.open(pin); err != nil {
		k.Close()
		return nil, fmt.Errorf("hsm: %s: %w", u, err)
	}
	return k, nil
}

// modules are the loaded PKCS#11 modules, by path: a module is initialized once per process,
// and the office key and the log key often live in the same token.
var modules = struct {
	sync.Mutex
	m map[string]*module
}{m: map[string]*module{}}

type module struct {
	ctx  *pkcs11.Ctx
	refs int
}

func loadModule(path string) (*pkcs11.Ctx, error) {
	modules.Lock()
	defer modules.Unlock()
	if m := modules.m[path]; m != nil {
		m.refs++
		return m.ctx, nil
	}
	if err := checkModule(path); err != nil {
		return nil, err
	}
	ctx := pkcs11.New(path)
	if ctx == nil {
		return nil, fmt.Errorf("cannot load the PKCS#11 module %s", path)
	}
	if err := ctx.Initialize(); err != nil {
		ctx.Destroy()
		return nil, fmt.Errorf("initialize the module: %w", err)
	}
	modules.m[path] = &module{ctx: ctx, refs: 1}
	return ctx, nil
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

func unloadModule(path string) {
	modules.Lock()
	defer modules.Unlock()
	m := modules.m[path]
	if m == nil {
		return
	}
	if m.refs--; m.refs == 0 {
		m.ctx.Finalize()
		m.ctx.Destroy()
		delete(modules.m, path)
	}
}

func (k *Key) open(pin string) error {
	slot, err := k.slot()
	if err != nil {
		return err
	}
	if k.sh, err = k.ctx.OpenSession(slot, pkcs11.CKF_SERIAL_SESSION); err != nil {
		return fmt.Errorf("open a session: %w", err)
	}
	// Sessions of one application share the login state: a second key in the same token
	// finds the user logged in already.
	if err := k.ctx.Login(k.sh, pkcs11.CKU_USER, pin); err != nil {
		var pe pkcs11.Error
		switch {
		case errors.As(err, &pe) && (pe == pkcs11.CKR_PIN_INCORRECT || pe == pkcs11.CKR_PIN_LEN_RANGE):
			return errPINWrong
		case errors.As(err, &pe) && pe == pkcs11.CKR_USER_ALREADY_LOGGED_IN:
		default:
			return fmt.Errorf("log in: %w", err)
		}
	}
	if k.priv, err = k.find(pkcs11.CKO_PRIVATE_KEY); err != nil {
		return err
	}
	if err := k.checkPrivate(); err != nil {
		return err
	}
	pubh, err := k.find(pkcs11.CKO_PUBLIC_KEY)
	if err != nil {
		return err
	}
	attrs, err := k.ctx.GetAttributeValue(k.sh, pubh, []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_EC_POINT, nil)})
	if err != nil {
		return fmt.Errorf("read the public key: %w", err)
	}
	if k.pub, err = ecPoint(attrs[0].Value); err != nil {
		return err
	}
	// The private and public objects found are two searches: from two key pairs (a pair
	// relabelled, an object deleted and made again), every signature failed Sign's check,
	// and the server learnt it at its first release rather than at start.
	msg := make([]byte, len(testMessage)+32)
	copy(msg, testMessage)
	rand.Read(msg[len(testMessage):])
	sig, err := k.sign(msg)
	if err != nil {
		return fmt.Errorf("sign a test message: %w", err)
	}
	if !ed25519.Verify(k.pub, msg, sig) {
		return errors.New("the private and public keys under this URI are not one pair: a test signature does not verify with the public key")
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
func (k *Key) checkPrivate() error {
	attrs, err := k.ctx.GetAttributeValue(k.sh, k.priv, []*pkcs11.Attribute{
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

// slot finds the slot holding the token the URI names.
func (k *Key) slot() (uint, error) {
	slots, err := k.ctx.GetSlotList(true)
	if err != nil {
		return 0, fmt.Errorf("list the slots: %w", err)
	}
	for _, s := range slots {
		ti, err := k.ctx.GetTokenInfo(s)
		if err != nil {
			continue
		}
		if (k.uri.Token == "" || ti.Label == k.uri.Token) && (k.uri.Serial == "" || ti.SerialNumber == k.uri.Serial) {
			return s, nil
		}
	}
	return 0, errors.New("no such token in the module (check token= and that the token is present)")
}

// find returns the one Ed25519 object of class the URI names.
func (k *Key) find(class uint) (pkcs11.ObjectHandle, error) {
	tmpl := []*pkcs11.Attribute{pkcs11.NewAttribute(pkcs11.CKA_CLASS, class), pkcs11.NewAttribute(pkcs11.CKA_KEY_TYPE, ckkECEdwards)}
	if k.uri.Object != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_LABEL, k.uri.Object))
	}
	if k.uri.ID != "" {
		tmpl = append(tmpl, pkcs11.NewAttribute(pkcs11.CKA_ID, []byte(k.uri.ID)))
	}
	if err := k.ctx.FindObjectsInit(k.sh, tmpl); err != nil {
		return 0, fmt.Errorf("find the key: %w", err)
	}
	hs, _, err := k.ctx.FindObjects(k.sh, 2)
	if ferr := k.ctx.FindObjectsFinal(k.sh); err == nil {
		err = ferr
	}
	kind := map[uint]string{pkcs11.CKO_PRIVATE_KEY: "private", pkcs11.CKO_PUBLIC_KEY: "public"}[class]
	switch {
	case err != nil:
		return 0, fmt.Errorf("find the key: %w", err)
	case len(hs) == 0:
		return 0, fmt.Errorf("no Ed25519 %s key with this object/id in the token", kind)
	case len(hs) > 1:
		return 0, fmt.Errorf("more than one Ed25519 %s key matches: add id= to the URI", kind)
	}
	return hs[0], nil
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

// Public returns the ed25519.PublicKey.
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
	sig, err := k.sign(msg)
	if sessionLost(err) {
		// The token forgot the session (a network HSM restarted, a token was reinserted):
		// without a new one every later signature failed until the server restarted.
		if err = k.reopen(); err == nil {
			sig, err = k.sign(msg)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("hsm: %s: sign: %w", k.uri, err)
	}
	if !ed25519.Verify(k.pub, msg, sig) {
		return nil, fmt.Errorf("hsm: %s: the token's signature does not verify with its public key", k.uri)
	}
	return sig, nil
}

// errPINWrong is the token's refusal of the PIN.
var errPINWrong = errors.New("the PIN is wrong")

// sign signs msg in the key's session.
func (k *Key) sign(msg []byte) ([]byte, error) {
	if err := k.ctx.SignInit(k.sh, []*pkcs11.Mechanism{pkcs11.NewMechanism(ckmEDDSA, nil)}, k.priv); err != nil {
		return nil, err
	}
	return k.ctx.Sign(k.sh, msg)
}

// sessionLost reports whether err says that the session, or its login, is gone.
func sessionLost(err error) bool {
	var pe pkcs11.Error
	if !errors.As(err, &pe) {
		return false
	}
	switch pe {
	case pkcs11.CKR_SESSION_HANDLE_INVALID, pkcs11.CKR_SESSION_CLOSED, pkcs11.CKR_USER_NOT_LOGGED_IN,
		pkcs11.CKR_OBJECT_HANDLE_INVALID, pkcs11.CKR_KEY_HANDLE_INVALID:
		return true
	}
	return false
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
	k.ctx.CloseSession(k.sh)
	k.sh = 0
	pub := k.pub
	err = k.open(pin)
	if err == nil && !k.pub.Equal(pub) {
		err = errors.New("the token now holds another key under this URI")
	}
	if err != nil {
		k.pinWrong = errors.Is(err, errPINWrong)
		// No session is left to another key: the next signature tries again.
		if k.sh != 0 {
			k.ctx.CloseSession(k.sh)
			k.sh = 0
		}
		k.pub = pub
		return fmt.Errorf("open the key again: %w", err)
	}
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
		k.ctx.CloseSession(k.sh)
	}
	unloadModule(k.uri.ModulePath)
	k.ctx = nil
	return nil
}
