package seal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Seal format versions. Version 2 carries the openings of confidential (version 2) entries;
// a seal without openings is written as version 1. Both are read.
const (
	SealVersion1 = 1
	SealVersion2 = 2
	// SealVersion is the newest version this package writes and reads.
	SealVersion = SealVersion2
)

// MaxSealSize bounds the seals Parse accepts. A seal holds one release entry and one key entry
// per signer, each at most entry.MaxSize bytes, so a real seal is a few kilobytes; the bound
// only keeps a hostile file from costing more than a glance.
const MaxSealSize = 1 << 20

// Seal is the portable proof that travels beside a released letter: the release entry, a
// checkpoint of the office's log, and the proofs that the entry and the key entries of its
// signers are in the tree that checkpoint commits to. Witness cosignatures are signature
// lines of the checkpoint note. Its file form is specified in docs/seal-format.md.
type Seal struct {
	// Checkpoint is the signed checkpoint note, with any witness cosignatures.
	Checkpoint []byte
	// Release is the release entry and its inclusion proof in the checkpoint's tree.
	Release LoggedEntry
	// Keys are the key-added entries of the keys that signed the release, each with its
	// inclusion proof in the checkpoint's tree.
	Keys []LoggedEntry
}

// LoggedEntry is a log entry, its index, its inclusion proof in a checkpoint's tree and, for a
// confidential (version 2) entry shown to a holder, its opening.
type LoggedEntry struct {
	Index   int64            `json:"index"`
	Entry   []byte           `json:"entry"`
	Proof   tlog.RecordProof `json:"proof"`
	Opening *Opening         `json:"opening,omitempty"`
}

// sealFile is the seal's file form, version 1.
type sealFile struct {
	Version    int           `json:"chancery_seal"`
	Checkpoint string        `json:"checkpoint"`
	Release    LoggedEntry   `json:"release"`
	Keys       []LoggedEntry `json:"keys"`
}

// loggedV2 is a LoggedEntry in a version 2 seal: the opening is always written, null for a
// version 1 entry.
type loggedV2 struct {
	Index   int64            `json:"index"`
	Entry   []byte           `json:"entry"`
	Proof   tlog.RecordProof `json:"proof"`
	Opening *Opening         `json:"opening"`
}

// sealFileV2 is the seal's file form, version 2.
type sealFileV2 struct {
	Version    int        `json:"chancery_seal"`
	Checkpoint string     `json:"checkpoint"`
	Release    loggedV2   `json:"release"`
	Keys       []loggedV2 `json:"keys"`
}

// Version returns the version s is written in: 2 if any of its entries has an opening.
func (s *Seal) Version() int {
	if s.Release.Opening != nil {
		return SealVersion2
	}
	for _, k := range s.Keys {
		if k.Opening != nil {
			return SealVersion2
		}
	}
	return SealVersion1
}

// Marshal returns the seal's file form: compact JSON ending in a newline.
func (s *Seal) Marshal() []byte {
	if s.Version() == SealVersion1 {
		f := sealFile{Version: SealVersion1, Checkpoint: string(s.Checkpoint), Release: nonNil(s.Release),
			Keys: make([]LoggedEntry, len(s.Keys))}
		for i, k := range s.Keys {
			f.Keys[i] = nonNil(k)
		}
		return append(canonicalJSON(f), '\n')
	}
	f := sealFileV2{Version: SealVersion2, Checkpoint: string(s.Checkpoint), Release: v2(s.Release),
		Keys: make([]loggedV2, len(s.Keys))}
	for i, k := range s.Keys {
		f.Keys[i] = v2(k)
	}
	return append(canonicalJSON(f), '\n')
}

func v2(e LoggedEntry) loggedV2 { return loggedV2(nonNil(e)) }

// nonNil returns e with empty rather than nil bytes and proof, so that they are written as ""
// and [] (a record in a tree of one has an empty proof), the forms Parse reads, not null.
func nonNil(e LoggedEntry) LoggedEntry {
	if e.Entry == nil {
		e.Entry = []byte{}
	}
	if e.Proof == nil {
		e.Proof = tlog.RecordProof{}
	}
	if o := e.Opening; o != nil && (o.Salt == nil || o.Statement == nil) {
		c := *o
		if c.Salt == nil {
			c.Salt = []byte{}
		}
		if c.Statement == nil {
			c.Statement = []byte{}
		}
		e.Opening = &c
	}
	return e
}

// Parse parses a seal's file form. It is strict: a seal larger than MaxSealSize, a version
// other than 1 or 2, unknown, missing, repeated or reordered fields, and any encoding but the
// canonical one (white space between tokens aside) are refused with ErrMalformed. Parse checks
// the form only; Verifier.Verify checks what the seal proves.
func Parse(data []byte) (*Seal, error) {
	if len(data) > MaxSealSize {
		return nil, fmt.Errorf("seal: %w: larger than %d bytes", ErrMalformed, MaxSealSize)
	}
	s, err := parseCanonical(data)
	if err == nil {
		return s, nil
	}
	// Not the canonical bytes: perhaps the canonical form with white space added.
	var compact bytes.Buffer
	if json.Compact(&compact, data) != nil {
		var f sealFile
		return nil, fmt.Errorf("seal: %w: %w", ErrMalformed, strictDecode(data, &f))
	}
	if s, err = parseCanonical(compact.Bytes()); err == nil {
		return s, nil
	}
	if v, ok := probeVersion(data, "chancery_seal"); ok && v != SealVersion1 && v != SealVersion2 {
		return nil, fmt.Errorf("seal: %w %d", ErrUnsupportedVersion, v)
	}
	return nil, fmt.Errorf("seal: %w", err)
}

// parseCanonical parses the canonical form, Marshal's output, with or without its final
// newline. Verifying a seal of a 100 KB letter takes about as long as hashing the letter;
// encoding/json would double the cost of reading a seal and still need a re-encoding to
// check canonicity, while this parser reads each byte once and accepts nothing else.
func parseCanonical(data []byte) (*Seal, error) {
	return parseSeal(data, nil)
}

// parseSeal is parseCanonical, reusing d's memory and what it recognises if d is not nil.
func parseSeal(data []byte, d *Decoder) (*Seal, error) {
	p := &parser{data: bytes.TrimSuffix(data, []byte("\n")), d: d}
	p.lit(`{"chancery_seal":`)
	v := p.int()
	if p.err == nil && v != SealVersion1 && v != SealVersion2 {
		return nil, fmt.Errorf("%w %d", ErrUnsupportedVersion, v)
	}
	p.lit(`,"checkpoint":`)
	var s *Seal
	if d != nil {
		s = &d.seal
		*s = Seal{}
	} else {
		s = &Seal{}
	}
	s.Checkpoint = p.checkpoint()
	p.lit(`,"release":`)
	p.reuse = d != nil
	s.Release = p.logged(v == SealVersion2)
	p.reuse = false
	p.lit(`,"keys":[`)
	if d != nil {
		if d.keys == nil {
			d.keys = make([]LoggedEntry, 0, 4) // "keys":[] is an empty list, not nil
		}
		s.Keys = d.keys[:0]
	} else {
		s.Keys = []LoggedEntry{}
	}
	for p.err == nil && !p.next(']') {
		if len(s.Keys) > 0 {
			p.lit(",")
		}
		s.Keys = append(s.Keys, p.keyEntry(v == SealVersion2))
	}
	if d != nil {
		d.keys = s.Keys
	}
	p.lit("}")
	if p.err == nil && len(p.data) > 0 {
		p.fail("trailing data")
	}
	if p.err != nil {
		return nil, p.err
	}
	if len(s.Checkpoint) == 0 {
		return nil, fmt.Errorf("%w: no checkpoint", ErrMalformed)
	}
	// One encoding per seal: a version 2 seal has an opening somewhere, else it is written
	// as version 1.
	if int(v) != s.Version() {
		return nil, fmt.Errorf("%w: a version %d seal without openings (write it as version 1)", ErrMalformed, v)
	}
	return s, nil
}

// Errors of parsing and verification. Each failure wraps exactly one of ErrMalformed,
// ErrBadCheckpoint, ErrBadSignature, ErrUntrustedKey, ErrBadProof and ErrDigestMismatch, so
// that callers can branch with errors.Is; the message says what failed.
var (
	// ErrMalformed: the seal, an entry or a statement does not parse, or is not canonical.
	ErrMalformed = errors.New("malformed")
	// ErrUnsupportedVersion: a seal of another version. It wraps ErrMalformed.
	ErrUnsupportedVersion = fmt.Errorf("%w: unsupported version", ErrMalformed)
	// ErrBadCheckpoint: the checkpoint is not signed by the pinned log key, is for another
	// log, or does not parse.
	ErrBadCheckpoint = errors.New("bad checkpoint")
	// ErrWitnessQuorum: the checkpoint lacks cosignatures by the trust root's witnesses. It
	// wraps ErrBadCheckpoint.
	ErrWitnessQuorum = fmt.Errorf("%w: witness quorum not met", ErrBadCheckpoint)
	// ErrNotSignedByLog: the checkpoint bears no signature by the trust root's log key (a
	// seal of another office's log, a trust root of another office, or a forged
	// checkpoint). It wraps ErrBadCheckpoint.
	ErrNotSignedByLog = fmt.Errorf("%w: not signed by the log key", ErrBadCheckpoint)
	// ErrBadSignature: a signature by a trusted key (or a key the seal proves) does not verify:
	// the signed bytes were changed, or the signature was made for other bytes.
	ErrBadSignature = errors.New("bad signature")
	// ErrUntrustedKey: a signature by a key that is neither an office key of the trust root nor
	// a signer key proven by a key-added entry in the seal, or a statement for another office.
	ErrUntrustedKey = errors.New("untrusted key")
	// ErrBadProof: an inclusion proof fails, an index is outside the checkpoint's tree, or a
	// signer's key was added at or after the release.
	ErrBadProof = errors.New("bad inclusion proof")
	// ErrDigestMismatch: the seal is genuine, but the file is not the letter it seals.
	ErrDigestMismatch = errors.New("file is not the sealed letter")
	// ErrOutdatedTrustRoot: the entry is in the office's log (its inclusion proof holds
	// against a checkpoint the log key signed), but signed by an office key the trust root
	// does not list: the office rotated its key after the trust root was exported. The
	// trust root must be refreshed; the seal is not judged. It wraps ErrUntrustedKey.
	ErrOutdatedTrustRoot = fmt.Errorf("%w: the trust root is out of date", ErrUntrustedKey)
)
