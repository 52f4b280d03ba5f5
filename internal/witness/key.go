package witness

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	wnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/chancery/chancery/internal/smallfile"
)

// KeyFile is the witness key's file name in the witness's directory.
const KeyFile = "witness.key"

// algCosignatureV1 is the C2SP signed-note key type of Ed25519 tlog-cosignature/v1 keys.
const algCosignatureV1 = 0x04

// ParseVerifierKey parses a witness's note verifier key. Only Ed25519 cosignature/v1 keys
// (type 0x04) are accepted, with the key hash that C2SP tlog-cosignature defines: the
// transparency-dev library would also read a plain Ed25519 key (type 0x01) as a cosignature
// key, under another key hash, which would let one string name two keys.
func ParseVerifierKey(vkey string) (note.Verifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("malformed verifier key %q", truncate([]byte(vkey)))
	}
	key, err := base64.StdEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(key) == 0 || base64.StdEncoding.EncodeToString(key) != parts[2] {
		return nil, fmt.Errorf("malformed verifier key %q", truncate([]byte(vkey)))
	}
	if key[0] != algCosignatureV1 {
		return nil, fmt.Errorf("verifier key %q: key type 0x%02x is not an Ed25519 cosignature/v1 key (0x04)", truncate([]byte(vkey)), key[0])
	}
	v, err := wnote.NewVerifierForCosignatureV1(vkey)
	if err != nil {
		return nil, fmt.Errorf("verifier key %q: %w", truncate([]byte(vkey)), err)
	}
	if fmt.Sprintf("%s+%08x+%s", v.Name(), v.KeyHash(), parts[2]) != vkey {
		return nil, fmt.Errorf("verifier key %q: wrong key hash", truncate([]byte(vkey)))
	}
	return v, nil
}

// Key is a witness's signing key: an Ed25519 key that signs C2SP tlog-cosignature/v1
// cosignatures under the witness's name.
type Key struct {
	signer note.Signer
	vkey   string
}

// Name returns the witness's name, the key name on its cosignature lines.
func (k *Key) Name() string { return k.signer.Name() }

// VerifierKey returns the witness's verifier key, for logs to configure.
func (k *Key) VerifierKey() string { return k.vkey }

// LoadKey reads the witness key in dir, creating it with the given name if there is none yet.
// A key is bound to its name: Ed25519 cosignatures do not commit to the name, so one key
// must not sign under two names (C2SP tlog-cosignature), and a name other than the key's is
// refused.
func LoadKey(dir, name string) (*Key, error) {
	k, err := readKey(dir)
	if errors.Is(err, fs.ErrNotExist) {
		cerr := createKey(dir, name)
		// Another process may have created the key first, and removed this one's temporary
		// file (removeKeyTemps): its key is the witness's.
		k, err = readKey(dir)
		if cerr != nil && errors.Is(err, fs.ErrNotExist) {
			return nil, cerr
		}
	}
	if err != nil {
		return nil, err
	}
	if err := removeKeyTemps(dir); err != nil {
		return nil, err
	}
	if k.Name() != name {
		return nil, fmt.Errorf("witness: key %s is named %q, not %q", filepath.Join(dir, KeyFile), k.Name(), name)
	}
	return k, nil
}

// ReadVerifierKey returns the verifier key of the witness key in dir.
func ReadVerifierKey(dir string) (string, error) {
	k, err := readKey(dir)
	if err != nil {
		return "", err
	}
	return k.vkey, nil
}

// readKey reads and checks the key file: one line, the note signer key
// "PRIVATE+KEY+<name>+<hash>+<base64(0x04 || seed)>".
func readKey(dir string) (*Key, error) {
	path := filepath.Join(dir, KeyFile)
	// Whoever reads the key can cosign any fork in the witness's name.
	if err := smallfile.CheckPrivate("witness: key", path); err != nil {
		return nil, err
	}
	b, err := smallfile.Read(path, maxKeyFile)
	if err != nil {
		return nil, fmt.Errorf("witness: read key: %w", err)
	}
	skey := strings.TrimSuffix(string(b), "\n")
	parts := strings.SplitN(skey, "+", 5)
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return nil, fmt.Errorf("witness: key %s: not a note signer key", path)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != algCosignatureV1 {
		return nil, fmt.Errorf("witness: key %s: not an Ed25519 cosignature/v1 key", path)
	}
	s, err := wnote.NewSignerForCosignatureV1(skey)
	if err != nil {
		return nil, fmt.Errorf("witness: key %s: %w", path, err)
	}
	if fmt.Sprintf("%08x", s.KeyHash()) != parts[3] {
		return nil, fmt.Errorf("witness: key %s: wrong key hash", path)
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	return &Key{signer: s, vkey: verifierKey(parts[2], pub)}, nil
}

// maxKeyFile bounds the key file: one line of about a hundred bytes.
const maxKeyFile = 4 << 10

// verifierKey is the cosignature/v1 verifier key of an Ed25519 public key under name.
func verifierKey(name string, pub ed25519.PublicKey) string {
	key := append([]byte{algCosignatureV1}, pub...)
	return fmt.Sprintf("%s+%08x+%s", name, keyHash(name, key), base64.StdEncoding.EncodeToString(key))
}

// keyHash is a signed-note key hash: SHA-256(name || "\n" || type || key)[:4].
func keyHash(name string, typedKey []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name + "\n"))
	h.Write(typedKey)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// keyTempPrefix begins the names of createKey's temporary files.
const keyTempPrefix = ".witness-key-"

// createKey writes a new key file, mode 0600, without ever replacing an existing one: the
// key is written and synced under a temporary name, then linked to its name, which fails if
// another process created it first. A crash leaves either no key or a whole one, and perhaps
// the temporary file, which LoadKey removes once the key exists (removeKeyTemps).
func createKey(dir, name string) error {
	if !validName(name) {
		return fmt.Errorf("witness: name %q is not a valid note key name", name)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("witness: create key: %w", err)
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return fmt.Errorf("witness: create key: %w", err)
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	key := append([]byte{algCosignatureV1}, pub...)
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s\n", name, keyHash(name, key),
		base64.StdEncoding.EncodeToString(append([]byte{algCosignatureV1}, seed...)))
	f, err := os.CreateTemp(dir, keyTempPrefix+"*")
	if err != nil {
		return fmt.Errorf("witness: create key: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return fmt.Errorf("witness: create key: %w", err)
	}
	if _, err := f.WriteString(skey); err != nil {
		f.Close()
		return fmt.Errorf("witness: create key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("witness: create key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("witness: create key: %w", err)
	}
	if err := os.Link(tmp, filepath.Join(dir, KeyFile)); err != nil {
		return fmt.Errorf("witness: create key: %w", err)
	}
	return syncDir(dir)
}

// removeKeyTemps removes the temporary files of key creations that a crash left in dir (a
// private key never used, or a copy of the key). It is called once the key exists: every
// creation fails from then on, so none of their temporary files is of any use, even one of a
// creation still running.
func removeKeyTemps(dir string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("witness: remove temporary key files: %w", err)
	}
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), keyTempPrefix) || !e.Type().IsRegular() {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("witness: remove temporary key file: %w", err)
		}
	}
	return nil
}

// validName reports whether name is a note key name: non-empty printable UTF-8 without
// spaces or plus signs (C2SP signed-note).
func validName(name string) bool {
	for _, r := range name {
		if r <= ' ' || r == '+' || r == 0x7f {
			return false
		}
	}
	return name != ""
}

// syncDir fsyncs a directory, so that a file created in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("witness: sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("witness: sync %s: %w", dir, err)
	}
	return nil
}
