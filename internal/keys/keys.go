// Package keys holds the signer keys of Chancery's members: Ed25519 keys kept in files
// encrypted with a passphrase (age, scrypt recipient), their one-line public key format, and
// the passphrase prompt. The formats are specified in docs/seal-format.md.
//
// The signing seam is crypto.Signer. Load returns an ed25519.PrivateKey, which is one; a key
// in a hardware module (PKCS#11) will be another. The contract a signer must keep:
//
//   - Public returns an ed25519.PublicKey, the same on every call.
//   - Sign(rand, message, crypto.Hash(0)) returns the 64-byte Ed25519 signature of message
//     itself (not of a digest of it), or an error; it may be called from several goroutines.
//
// seal.Sign calls a Signer that way and verifies what it returns.
package keys

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"filippo.io/age"
	"filippo.io/age/armor"

	"github.com/chancery/chancery/internal/exclfile"
)

// PublicKeyPrefix starts a public key line: "chancery-ed25519 <base64 key> [comment]".
const PublicKeyPrefix = "chancery-ed25519"

// seedPrefix starts the plaintext of a key file: "chancery-ed25519-seed <base64 seed>\n".
const seedPrefix = "chancery-ed25519-seed"

// maxKeyFileSize bounds the key files Load reads; a real one is about 400 bytes.
const maxKeyFileSize = 16 << 10

// maxPublicKeySize bounds the public key lines ParsePublic reads.
const maxPublicKeySize = 4 << 10

// ErrWrongPassphrase is returned by Load when the passphrase does not open the key file.
var ErrWrongPassphrase = errors.New("wrong passphrase")

// MinPassphraseLength is the fewest characters a new key file's passphrase may have: the
// same as a member's sign-in password (registry.MinPasswordLength), which guards less.
const MinPassphraseLength = 12

// ErrShortPassphrase is returned by WriteNew for a passphrase shorter than
// MinPassphraseLength.
var ErrShortPassphrase = fmt.Errorf("a key's passphrase needs at least %d characters", MinPassphraseLength)

// ErrWeakPassphrase is returned by WriteNew for a passphrase long enough but among the first
// that guessing tries (a character repeated, a short string repeated, a run of the alphabet,
// the digits or a keyboard row).
var ErrWeakPassphrase = errors.New("a key's passphrase that guessing tries first")

// CheckNewPassphrase returns ErrShortPassphrase if p is too short for a new key file, and
// ErrWeakPassphrase, saying why, if it is one of the patterns guessing tries first: whoever
// copies the key file tries passphrases offline, at their own pace. Key files written before
// these checks still open with theirs.
func CheckNewPassphrase(p string) error {
	if utf8.RuneCountInString(p) < MinPassphraseLength {
		return ErrShortPassphrase
	}
	if why := predictable(p); why != "" {
		return fmt.Errorf("%w: %s", ErrWeakPassphrase, why)
	}
	return nil
}

// minDistinct is the fewest different characters (case folded) a new passphrase may have.
const minDistinct = 5

// keyboardRows are the runs of keys that "qwertyuiop" and "1234567890" are made of, in the
// common layouts; a passphrase that is a stretch of one, either way, is refused.
var keyboardRows = []string{"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn", "qwertzuiop", "yxcvbnm",
	"1234567890qwertyuiopasdfghjklzxcvbnm", "qwertyuiopasdfghjklzxcvbnm", "azertyuiopqsdfghjklmwxcvbn", "qwertzuiopasdfghjklyxcvbnm"}

// Predictable says why p, case folded, is a passphrase or password that guessing tries
// first (CheckNewPassphrase), or "" if it is none of those patterns.
func Predictable(p string) string { return predictable(p) }

// predictable says why p, case folded, is a passphrase guessing tries first, or "".
func predictable(p string) string {
	r := []rune(strings.ToLower(p))
	distinct := map[rune]bool{}
	for _, c := range r {
		distinct[c] = true
	}
	if len(distinct) < minDistinct {
		return fmt.Sprintf("fewer than %d different characters", minDistinct)
	}
	for period := 1; period <= len(r)/2; period++ {
		if slices.Equal(r[period:], r[:len(r)-period]) {
			return fmt.Sprintf("%q repeated", string(r[:period]))
		}
	}
	if run(r, 1) || run(r, -1) {
		return "a run of consecutive characters"
	}
	s := string(r)
	for _, row := range keyboardRows {
		for len(row) < 2*len(s) {
			row += row // a run that goes round, as "7890123456…"
		}
		back := []rune(row)
		slices.Reverse(back)
		if strings.Contains(row, s) || strings.Contains(string(back), s) {
			return "a run of keys of a keyboard row"
		}
	}
	return ""
}

// run reports whether each character of r follows the one before by step, the digits going
// round (9 then 0).
func run(r []rune, step rune) bool {
	digit := func(c rune) bool { return '0' <= c && c <= '9' }
	for i := 1; i < len(r); i++ {
		a, b := r[i-1], r[i]
		if b-a != step && !(digit(a) && digit(b) && (b-a-step)%10 == 0) {
			return false
		}
	}
	return true
}

// Generate returns a new Ed25519 private key from the operating system's random source.
func Generate() (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	return priv, nil
}

// Option configures WriteNew.
type Option func(*options)

type options struct {
	comment    string
	workFactor int
}

// Comment sets the comment of the public key line, usually the member's name. It must be
// printable and on one line.
func Comment(c string) Option { return func(o *options) { o.comment = c } }

// WorkFactor sets the scrypt work factor (log2 of N) of the key file's encryption. Without it
// age's default applies (18, about a second); lower factors are for tests.
func WorkFactor(logN int) Option { return func(o *options) { o.workFactor = logN } }

// WriteNew writes priv to a new file at path, encrypted with passphrase (armored age, scrypt
// recipient, mode 0600), and its public key line to path+".pub". The passphrase must pass
// CheckNewPassphrase. Neither file may exist. Both are created whole (exclfile.Create), the
// key file last, and synced, the directory too, before WriteNew returns; on failure neither
// is left, and a crash leaves at most the public key file.
func WriteNew(path string, priv ed25519.PrivateKey, passphrase string, opts ...Option) error {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if err := CheckNewPassphrase(passphrase); err != nil {
		return fmt.Errorf("write key %s: %w", path, err)
	}
	if len(priv) != ed25519.PrivateKeySize {
		return fmt.Errorf("write key %s: not an Ed25519 private key", path)
	}
	pub, err := FormatPublic(priv.Public().(ed25519.PublicKey), o.comment)
	if err != nil {
		return fmt.Errorf("write key %s: %w", path, err)
	}
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return fmt.Errorf("write key %s: %w", path, err)
	}
	if o.workFactor != 0 {
		r.SetWorkFactor(o.workFactor)
	}
	var sealed bytes.Buffer
	aw := armor.NewWriter(&sealed)
	w, err := age.Encrypt(aw, r)
	if err != nil {
		return fmt.Errorf("write key %s: %w", path, err)
	}
	fmt.Fprintf(w, "%s %s\n", seedPrefix, base64.StdEncoding.EncodeToString(priv.Seed()))
	if err := w.Close(); err != nil {
		return fmt.Errorf("write key %s: %w", path, err)
	}
	if err := aw.Close(); err != nil {
		return fmt.Errorf("write key %s: %w", path, err)
	}

	// Each file is created whole or not at all (exclfile.Create), the public key first: a
	// run killed in between leaves a public key file without its key, never a key file torn
	// or without its public key, and the key file, written last, marks the pair complete.
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("write key: %w", &fs.PathError{Op: "create", Path: path, Err: fs.ErrExist})
	}
	if err := exclfile.Create(path+".pub", pub, 0o644); err != nil {
		return fmt.Errorf("write key: %w", err)
	}
	if err := exclfile.Create(path, sealed.Bytes(), 0o600); err != nil {
		return fmt.Errorf("write key: %w", errors.Join(err, os.Remove(path+".pub")))
	}
	return nil
}

// Load reads the key file at path and decrypts it with passphrase. A passphrase that does not
// open it fails with ErrWrongPassphrase.
func Load(path, passphrase string) (ed25519.PrivateKey, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load key: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("load key %s: %w", path, err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("load key %s: larger than %d bytes, not a key file", path, maxKeyFileSize)
	}
	priv, err := Decrypt(data, passphrase)
	if err != nil {
		return nil, fmt.Errorf("load key %s: %w", path, err)
	}
	return priv, nil
}

// Decrypt decrypts the contents of a key file with passphrase. A passphrase that does not open
// it fails with ErrWrongPassphrase.
func Decrypt(data []byte, passphrase string) (ed25519.PrivateKey, error) {
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, err
	}
	r, err := age.Decrypt(armor.NewReader(bytes.NewReader(data)), id)
	if err != nil {
		if _, ok := errors.AsType[*age.NoIdentityMatchError](err); ok {
			return nil, ErrWrongPassphrase
		}
		return nil, fmt.Errorf("not a Chancery key file: %w", err)
	}
	plain, err := io.ReadAll(io.LimitReader(r, maxKeyFileSize))
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	b64, ok := strings.CutPrefix(string(plain), seedPrefix+" ")
	b64, nl := strings.CutSuffix(b64, "\n")
	seed, err := decodeBase64(b64)
	if !ok || !nl || err != nil || len(seed) != ed25519.SeedSize {
		return nil, errors.New("decrypted, but not a Chancery Ed25519 key")
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

// FormatPublic returns the public key line of pub: "chancery-ed25519 <base64 key> <comment>"
// and a newline, without the space and comment if comment is empty.
func FormatPublic(pub ed25519.PublicKey, comment string) ([]byte, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, errors.New("public key: not an Ed25519 key")
	}
	if !validComment(comment) {
		return nil, fmt.Errorf("public key: comment %q is not printable text on one line", comment)
	}
	line := PublicKeyPrefix + " " + base64.StdEncoding.EncodeToString(pub)
	if comment != "" {
		line += " " + comment
	}
	return []byte(line + "\n"), nil
}

// ParsePublic parses a public key line as FormatPublic writes it, with or without its final
// newline, and returns the key and the comment.
func ParsePublic(data []byte) (ed25519.PublicKey, string, error) {
	if len(data) > maxPublicKeySize {
		return nil, "", fmt.Errorf("public key: larger than %d bytes", maxPublicKeySize)
	}
	line := strings.TrimSuffix(string(data), "\n")
	prefix, rest, _ := strings.Cut(line, " ")
	if prefix != PublicKeyPrefix {
		return nil, "", fmt.Errorf("public key: does not start with %q", PublicKeyPrefix)
	}
	b64, comment, _ := strings.Cut(rest, " ")
	key, err := decodeBase64(b64)
	if err != nil || len(key) != ed25519.PublicKeySize {
		return nil, "", errors.New("public key: key is not 32 bytes in padded standard base64")
	}
	if err := CheckPublicKey(key); err != nil {
		return nil, "", fmt.Errorf("public key: %w", err)
	}
	if !validComment(comment) || (comment == "" && strings.HasSuffix(rest, " ")) {
		return nil, "", errors.New("public key: comment is not printable text on one line")
	}
	return ed25519.PublicKey(key), comment, nil
}

// decodeBase64 decodes padded standard base64 with canonical padding bits, refusing the line
// breaks that the base64 package skips, so that a key has one encoding.
func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("line break in base64")
	}
	return base64.StdEncoding.Strict().DecodeString(s)
}

// validComment reports whether c can be a comment: printable, with no leading or trailing
// space (which would not survive a round trip).
func validComment(c string) bool {
	for _, r := range c {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return strings.TrimSpace(c) == c
}
