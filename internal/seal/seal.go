package seal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// SealVersion is the version of the seal format this package writes and reads.
const SealVersion = 1

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

// LoggedEntry is a log entry, its index, and its inclusion proof in a checkpoint's tree.
type LoggedEntry struct {
	Index int64            `json:"index"`
	Entry []byte           `json:"entry"`
	Proof tlog.RecordProof `json:"proof"`
}

// sealFile is the seal's file form.
type sealFile struct {
	Version    int           `json:"chancery_seal"`
	Checkpoint string        `json:"checkpoint"`
	Release    LoggedEntry   `json:"release"`
	Keys       []LoggedEntry `json:"keys"`
}

// Marshal returns the seal's file form: compact JSON ending in a newline.
func (s *Seal) Marshal() []byte {
	f := sealFile{Version: SealVersion, Checkpoint: string(s.Checkpoint), Release: nonNil(s.Release),
		Keys: make([]LoggedEntry, len(s.Keys))}
	for i, k := range s.Keys {
		f.Keys[i] = nonNil(k)
	}
	return append(canonicalJSON(f), '\n')
}

// nonNil returns e with empty rather than nil bytes and proof, so that they are written as ""
// and [] (a record in a tree of one has an empty proof), the forms Parse reads, not null.
func nonNil(e LoggedEntry) LoggedEntry {
	if e.Entry == nil {
		e.Entry = []byte{}
	}
	if e.Proof == nil {
		e.Proof = tlog.RecordProof{}
	}
	return e
}

// Parse parses a seal's file form. It is strict: a seal larger than MaxSealSize, a version
// other than 1, unknown, missing, repeated or reordered fields, and any encoding but the
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
	if v, ok := probeVersion(data, "chancery_seal"); ok && v != SealVersion {
		return nil, fmt.Errorf("seal: %w %d", ErrUnsupportedVersion, v)
	}
	return nil, fmt.Errorf("seal: %w", err)
}

// parseCanonical parses the canonical form, Marshal's output, with or without its final
// newline. Verifying a seal of a 100 KB letter takes about as long as hashing the letter;
// encoding/json would double the cost of reading a seal and still need a re-encoding to
// check canonicity, while this parser reads each byte once and accepts nothing else.
func parseCanonical(data []byte) (*Seal, error) {
	p := &parser{data: bytes.TrimSuffix(data, []byte("\n"))}
	p.lit(`{"chancery_seal":`)
	if v := p.int(); p.err == nil && v != SealVersion {
		return nil, fmt.Errorf("%w %d", ErrUnsupportedVersion, v)
	}
	p.lit(`,"checkpoint":`)
	s := &Seal{Checkpoint: []byte(p.canonicalStr())}
	p.lit(`,"release":`)
	s.Release = p.logged()
	p.lit(`,"keys":[`)
	s.Keys = []LoggedEntry{}
	for p.err == nil && !p.next(']') {
		if len(s.Keys) > 0 {
			p.lit(",")
		}
		s.Keys = append(s.Keys, p.logged())
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
)
