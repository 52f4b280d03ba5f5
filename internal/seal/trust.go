package seal

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/edkey"
	"github.com/chancery/chancery/internal/keys"
	wnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
)

// TrustVersion is the version of the trust root format this package writes and reads.
const TrustVersion = 1

// MaxTrustRootSize bounds the trust roots Parse accepts.
const MaxTrustRootSize = 64 << 10

// TrustRoot is what a verifier pins for one office: the office's name and keys, its log's origin
// and key, and the witnesses whose cosignatures a checkpoint needs. Its file form is specified
// in docs/seal-format.md.
type TrustRoot struct {
	// Office is the office's name exactly as its statements spell it.
	Office string `json:"office"`
	// BaseURL is the registry's public address, for online checks and for people.
	BaseURL string `json:"base_url"`
	// LogOrigin is the origin of the office's log: the first line of its checkpoints.
	LogOrigin string `json:"log_origin"`
	// LogKey is the log's note verifier key, "<origin>+<hash>+<base64>".
	LogKey string `json:"log_key"`
	// OfficeKeys are the keys that sign the office's log entries: its key history, oldest
	// first. A rotated key stays listed, with the window of log entries it may sign, so that
	// seals it signed stay valid and nothing it signs after its retirement is.
	OfficeKeys []OfficeKey `json:"office_keys"`
	// Witnesses are the note verifier keys of the witnesses (C2SP tlog-cosignature, Ed25519
	// cosignature/v1 keys of type 0x04).
	Witnesses []string `json:"witnesses"`
	// WitnessQuorum is how many of Witnesses must have cosigned a checkpoint for it to be
	// accepted. Zero means the log's own signature is enough.
	WitnessQuorum int `json:"witness_quorum"`
}

// OfficeKey is an Ed25519 public key of the office, with the window of log entries it may
// sign: from FromIndex (0: the log's start) up to, not including, UntilIndex (nil: no end).
// A key rotation logs an office-key-rotated entry at index R, signed by both keys: the old
// key's UntilIndex and the new key's FromIndex are R. A key without a window signs anywhere
// in the log, as in trust roots written before rotations existed.
type OfficeKey struct {
	KeyID      string `json:"keyid"`                 // dsse.KeyID(PublicKey)
	PublicKey  []byte `json:"public_key"`            // raw 32-byte Ed25519 key
	FromIndex  int64  `json:"from_index,omitempty"`  // first log index it may sign
	UntilIndex *int64 `json:"until_index,omitempty"` // the rotation that retired it
}

// covers reports whether k may sign the log entry at index.
func (k *OfficeKey) covers(index int64) bool {
	return index >= k.FromIndex && (k.UntilIndex == nil || index < *k.UntilIndex)
}

// window describes k's window for messages: "log entries 0 to 41".
func (k *OfficeKey) window() string {
	if k.UntilIndex == nil {
		return fmt.Sprintf("log entries from %d", k.FromIndex)
	}
	return fmt.Sprintf("log entries %d to %d", k.FromIndex, *k.UntilIndex-1)
}

// NewOfficeKey returns the OfficeKey of pub.
func NewOfficeKey(pub ed25519.PublicKey) OfficeKey {
	return OfficeKey{KeyID: dsse.KeyID(pub), PublicKey: pub}
}

// trustFile is the trust root's file form: the version first, then the fields of TrustRoot.
type trustFile struct {
	Version int `json:"chancery_trust"`
	TrustRoot
}

// Marshal returns the trust root's file form: indented JSON ending in a newline. It refuses a
// trust root that Parse would refuse.
func (t *TrustRoot) Marshal() ([]byte, error) {
	if _, err := t.compile(); err != nil {
		return nil, err
	}
	c := *t
	// Empty lists are written as [] rather than null, the one form Parse accepts.
	if c.OfficeKeys == nil {
		c.OfficeKeys = []OfficeKey{}
	}
	if c.Witnesses == nil {
		c.Witnesses = []string{}
	}
	compact := canonicalJSON(trustFile{TrustVersion, c})
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		return nil, fmt.Errorf("trust root: %w", err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// TrustRootFingerprint is the fingerprint of a trust root file, for a person to compare by
// hand with the one the office publishes (docs/seal-format.md, "Fingerprint"): the SHA-256 of
// the file's exact bytes in lowercase hexadecimal, as a key ID is written (and as sha256sum
// prints it), in 16 groups of 4 digits separated by spaces.
func TrustRootFingerprint(file []byte) string {
	sum := sha256.Sum256(file)
	h := hex.EncodeToString(sum[:])
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i : i+4])
	}
	return b.String()
}

// ParseTrustRoot parses and checks a trust root. It is strict: unknown, missing, repeated or
// reordered fields are refused, as is anything but version 1, so that a trust root means the
// same to every reader. White space between JSON tokens is free.
func ParseTrustRoot(data []byte) (*TrustRoot, error) {
	if len(data) > MaxTrustRootSize {
		return nil, fmt.Errorf("trust root: larger than %d bytes", MaxTrustRootSize)
	}
	var f trustFile
	if err := strictDecode(data, &f); err != nil {
		if v, ok := probeVersion(data, "chancery_trust"); ok && v != TrustVersion {
			return nil, fmt.Errorf("trust root: unsupported version %d", v)
		}
		return nil, fmt.Errorf("trust root: %w", err)
	}
	if f.Version != TrustVersion {
		return nil, fmt.Errorf("trust root: unsupported version %d", f.Version)
	}
	if err := sameJSON(data, canonicalJSON(f)); err != nil {
		return nil, fmt.Errorf("trust root: %w", err)
	}
	if _, err := f.TrustRoot.compile(); err != nil {
		return nil, err
	}
	return &f.TrustRoot, nil
}

// trust is a trust root checked and turned into the verifiers and keys that verification uses.
type trust struct {
	office     string
	log        note.Verifier
	notes      note.Verifiers // the log's key and every witness's
	witnesses  map[noteKey]bool
	quorum     int
	officeKeys []officeKey
}

// officeKey is an office key of the trust root with its key decoded once, for the signature
// of every entry it verifies.
type officeKey struct {
	OfficeKey
	key *edkey.Key
}

// compile checks every field of t and returns its verifiers.
func (t *TrustRoot) compile() (*trust, error) {
	if !printable(t.Office) {
		return nil, errors.New("trust root: office name is empty or not printable")
	}
	u, err := url.Parse(t.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("trust root: base URL %q is not an http(s) URL", truncate(t.BaseURL))
	}
	logV, err := note.NewVerifier(t.LogKey)
	if err != nil {
		return nil, fmt.Errorf("trust root: log key: %w", err)
	}
	if !canonicalVerifierKey(t.LogKey, logV) {
		return nil, fmt.Errorf("trust root: log key %q is not written canonically (a lowercase key hash, the key in base64 without line breaks)", truncate(t.LogKey))
	}
	if t.LogOrigin == "" || logV.Name() != t.LogOrigin {
		return nil, fmt.Errorf("trust root: log key is named %q, not the log origin %q", logV.Name(), truncate(t.LogOrigin))
	}
	c := &trust{office: t.Office, log: logV, witnesses: map[noteKey]bool{}, quorum: t.WitnessQuorum}
	if len(t.OfficeKeys) == 0 {
		return nil, errors.New("trust root: no office keys")
	}
	seen := map[string]bool{}
	for i, k := range t.OfficeKeys {
		if len(k.PublicKey) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("trust root: office key %d: %d bytes, want %d", i, len(k.PublicKey), ed25519.PublicKeySize)
		}
		if err := keys.CheckPublicKey(k.PublicKey); err != nil {
			return nil, fmt.Errorf("trust root: office key %d: %w", i, err)
		}
		if id := dsse.KeyID(k.PublicKey); k.KeyID != id {
			return nil, fmt.Errorf("trust root: office key %d: keyid %q, want %s", i, truncate(k.KeyID), id)
		}
		if seen[k.KeyID] {
			return nil, fmt.Errorf("trust root: office key %s listed twice", k.KeyID)
		}
		if k.FromIndex < 0 || k.UntilIndex != nil && *k.UntilIndex <= k.FromIndex {
			return nil, fmt.Errorf("trust root: office key %s: empty or negative window %d..%v", k.KeyID, k.FromIndex, windowEnd(k.UntilIndex))
		}
		seen[k.KeyID] = true
		key, err := edkey.New(k.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("trust root: office key %d: %w", i, err)
		}
		c.officeKeys = append(c.officeKeys, officeKey{OfficeKey: k, key: key})
	}
	// A key history hands the log over from key to key: a rotation at R ends the old key's
	// window where the new key's begins. A window that reaches into another key's would let
	// a retired key sign entries logged after its rotation, so windows may not overlap. Keys
	// without a window, which trust roots listed together before rotations, cover the
	// whole log: only alongside each other.
	for i := range t.OfficeKeys {
		for j := range i {
			a, b := &t.OfficeKeys[j], &t.OfficeKeys[i]
			if (hasWindow(a) || hasWindow(b)) && overlap(a, b) {
				return nil, fmt.Errorf("trust root: office keys %s and %s: windows %s and %s overlap (a key history's windows follow one another)", a.KeyID, b.KeyID, a.window(), b.window())
			}
		}
	}
	vs := []note.Verifier{logV}
	// A cosignature/v1 signs neither the cosigner's name nor its key hash, so one Ed25519 key
	// under two names would let anyone copy one witness's cosignature line under the other's
	// name and count it twice toward the quorum (C2SP tlog-cosignature: a key must not be
	// used by more than one cosigner). Witnesses are told apart by their raw public keys.
	// Under a key of small order one signature verifies for every message: whoever holds the
	// trust root could sign checkpoints or cosignatures of their own.
	logPub, err := PublicKeyOf(t.LogKey)
	if err != nil {
		return nil, fmt.Errorf("trust root: log key: %w", err)
	}
	if err := keys.CheckPublicKey(logPub); err != nil {
		return nil, fmt.Errorf("trust root: log key: %w", err)
	}
	witnessKeys := map[string]string{} // raw public key → the witness's name
	for i, w := range t.Witnesses {
		v, err := witnessVerifier(w)
		if err != nil {
			return nil, fmt.Errorf("trust root: witness %d: %w", i, err)
		}
		id := noteKey{v.Name(), v.KeyHash()}
		if c.witnesses[id] || (id == noteKey{logV.Name(), logV.KeyHash()}) {
			return nil, fmt.Errorf("trust root: witness %d: key %s+%08x listed twice", i, id.name, id.hash)
		}
		pub, err := PublicKeyOf(w)
		if err != nil {
			return nil, fmt.Errorf("trust root: witness %d: %w", i, err)
		}
		if err := keys.CheckPublicKey(pub); err != nil {
			return nil, fmt.Errorf("trust root: witness %d: %w", i, err)
		}
		if other, ok := witnessKeys[string(pub)]; ok {
			return nil, fmt.Errorf("trust root: witness %d: witness %s has the same key as witness %s", i, truncate(v.Name()), truncate(other))
		}
		if pub.Equal(logPub) {
			return nil, fmt.Errorf("trust root: witness %d: witness %s has the same key as the log", i, truncate(v.Name()))
		}
		witnessKeys[string(pub)] = v.Name()
		c.witnesses[id] = true
		vs = append(vs, v)
	}
	if t.WitnessQuorum < 0 || t.WitnessQuorum > len(t.Witnesses) {
		return nil, fmt.Errorf("trust root: witness quorum %d out of range 0..%d", t.WitnessQuorum, len(t.Witnesses))
	}
	c.notes = note.VerifierList(vs...)
	return c, nil
}

// noteKey identifies a note verifier key as signature lines do: by name and key hash.
type noteKey struct {
	name string
	hash uint32
}

// algCosignatureV1 is the C2SP signed-note key type of Ed25519 tlog-cosignature/v1 keys.
const algCosignatureV1 = 0x04

// algEd25519 is the signed-note key type of plain Ed25519 keys, as logs sign with.
const algEd25519 = 0x01

// PublicKeyOf returns the raw Ed25519 public key of a note verifier key,
// "<name>+<hash>+<base64>", of type 0x01 (Ed25519) or 0x04 (Ed25519 cosignature/v1). It does
// not check the name or the key hash: use it on keys that note.NewVerifier or WitnessVerifier
// accepted, to tell whether two of them are one key under two names or types.
func PublicKeyOf(vkey string) (ed25519.PublicKey, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("malformed verifier key %q", truncate(vkey))
	}
	key, err := base64.StdEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(key) != 1+ed25519.PublicKeySize || (key[0] != algEd25519 && key[0] != algCosignatureV1) {
		return nil, fmt.Errorf("verifier key %q is not an Ed25519 key", truncate(vkey))
	}
	return ed25519.PublicKey(key[1:]), nil
}

// WitnessVerifier parses a witness's verifier key as trust roots accept it: an Ed25519
// cosignature/v1 key (type 0x04) with the right key hash.
func WitnessVerifier(vkey string) (note.Verifier, error) { return witnessVerifier(vkey) }

// witnessVerifier parses a witness's verifier key. Only cosignature/v1 keys are accepted: the
// library would also read a plain Ed25519 key (type 0x01) as a cosignature key, with another
// key hash, which would make one string mean two keys.
func witnessVerifier(vkey string) (note.Verifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("malformed verifier key %q", truncate(vkey))
	}
	key, err := base64.StdEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("malformed verifier key %q", truncate(vkey))
	}
	if key[0] != algCosignatureV1 {
		return nil, fmt.Errorf("key type 0x%02x is not an Ed25519 cosignature/v1 key (0x04)", key[0])
	}
	v, err := wnote.NewVerifierForCosignatureV1(vkey)
	if err != nil {
		return nil, fmt.Errorf("verifier key %q: %w", truncate(vkey), err)
	}
	if !canonicalVerifierKey(vkey, v) {
		return nil, fmt.Errorf("verifier key %q: wrong key hash, or not written canonically (a lowercase key hash, the key in base64 without line breaks)", truncate(vkey))
	}
	return v, nil
}

// canonicalVerifierKey reports whether vkey, a verifier key that v was made from, is written
// as note.NewEd25519VerifierKey writes keys: its name, its key hash in lowercase hexadecimal,
// and the key in base64 with no line break. The parsers read a key hash in capitals and skip
// line breaks, so one key had several spellings, and what is kept per key (a verifier's
// newest checkpoint of a log, a monitor's logs) is kept by its spelling.
func canonicalVerifierKey(vkey string, v note.Verifier) bool {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return false
	}
	key, err := base64.StdEncoding.Strict().DecodeString(parts[2])
	return err == nil && vkey == fmt.Sprintf("%s+%08x+%s", v.Name(), v.KeyHash(), base64.StdEncoding.EncodeToString(key))
}

func printable(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// canonicalJSON is the compact JSON of v, without the HTML escaping that encoding/json adds
// by default, so that a URL with "&" is written as itself.
func canonicalJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("seal: marshal: " + err.Error()) // strings, numbers and bytes only: cannot fail
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// strictDecode decodes one JSON value into v, refusing unknown fields and trailing data.
func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) != 0 {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// sameJSON reports whether data is canonical once white space between tokens is removed. It
// catches what strict decoding lets through: repeated keys (the last would win), keys spelled
// in another case, missing fields, and escapes or base64 that decode to the same value.
func sameJSON(data, canonical []byte) error {
	d := bytes.TrimSuffix(data, []byte("\n"))
	if bytes.Equal(d, canonical) {
		return nil
	}
	var b bytes.Buffer
	if err := json.Compact(&b, data); err == nil && bytes.Equal(b.Bytes(), canonical) {
		return nil
	}
	return errors.New("not in canonical form (fields missing, repeated, reordered, or differently escaped)")
}

// probeVersion reads the version field of a document that strict decoding refused, so that a
// newer version is reported as such rather than as unknown fields.
func probeVersion(data []byte, field string) (int, bool) {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return 0, false
	}
	var v int
	if json.Unmarshal(m[field], &v) != nil {
		return 0, false
	}
	return v, true
}

// hasWindow reports whether k carries a window rather than covering the whole log.
func hasWindow(k *OfficeKey) bool { return k.FromIndex != 0 || k.UntilIndex != nil }

// overlap reports whether the windows of a and b share a log index.
func overlap(a, b *OfficeKey) bool {
	return (a.UntilIndex == nil || b.FromIndex < *a.UntilIndex) && (b.UntilIndex == nil || a.FromIndex < *b.UntilIndex)
}

func windowEnd(p *int64) any {
	if p == nil {
		return "∞"
	}
	return *p
}
