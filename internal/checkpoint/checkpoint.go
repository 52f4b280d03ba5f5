// Package checkpoint is the C2SP tlog-checkpoint format: the signed statement of a log's size
// and root hash that clients pin and witnesses cosign. The log writes checkpoints with it and
// verifiers read them with it; it imports nothing of Chancery's, so a verifier can use it
// without the storage the log needs.
package checkpoint

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint is the body of a C2SP tlog-checkpoint: the origin, the tree size and the root hash,
// and any extension lines.
type Checkpoint struct {
	Origin     string
	Size       int64
	Root       tlog.Hash
	Extensions []string
}

// MaxSize bounds the signed checkpoints this package parses.
const MaxSize = 1 << 16

// MaxTreeSize is the largest tree size this package parses, 2^62 − 1.
// golang.org/x/mod/sumdb/tlog, which computes the roots and proofs of the log, its monitor,
// its witnesses and its verifiers, never returns for a tree of 2^62 entries or more (its
// maxpow2 overflows): a checkpoint signed for such a size would hang whoever checks a proof
// against it. No log comes near it.
const MaxTreeSize = 1<<62 - 1

// Marshal returns the checkpoint body, each line ending in a newline.
func (c Checkpoint) Marshal() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%d\n%s\n", c.Origin, c.Size, base64.StdEncoding.EncodeToString(c.Root[:]))
	for _, e := range c.Extensions {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Parse parses a checkpoint body. It accepts only the canonical form: a non-empty
// origin, a decimal size without leading zeros of at most MaxTreeSize, a padded standard
// base64 32-byte root, and non-empty extension lines, every line ending in a newline.
func Parse(text []byte) (Checkpoint, error) {
	if len(text) > MaxSize {
		return Checkpoint{}, errors.New("checkpoint: too large")
	}
	s := string(text)
	if !strings.HasSuffix(s, "\n") {
		return Checkpoint{}, errors.New("checkpoint: does not end in a newline")
	}
	lines := strings.Split(s[:len(s)-1], "\n")
	if len(lines) < 3 {
		return Checkpoint{}, errors.New("checkpoint: fewer than three lines")
	}
	c := Checkpoint{Origin: lines[0]}
	if c.Origin == "" {
		return Checkpoint{}, errors.New("checkpoint: empty origin")
	}
	var err error
	if c.Size, err = treeSize(lines[1]); err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint: malformed tree size %q: %w", lines[1], err)
	}
	if c.Root, err = canonicalHash(lines[2]); err != nil {
		return Checkpoint{}, fmt.Errorf("checkpoint: malformed root hash %q", lines[2])
	}
	for _, e := range lines[3:] {
		if e == "" {
			return Checkpoint{}, errors.New("checkpoint: empty extension line")
		}
		c.Extensions = append(c.Extensions, e)
	}
	return c, nil
}

// canonicalInt parses a non-negative decimal number without leading zeros or sign.
func canonicalInt(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != s {
		return 0, errors.New("not a canonical number")
	}
	return n, nil
}

// treeSize parses a tree size: a canonical number of at most MaxTreeSize.
func treeSize(s string) (int64, error) {
	n, err := canonicalInt(s)
	if err != nil {
		return 0, err
	}
	if n > MaxTreeSize {
		return 0, fmt.Errorf("larger than %d", int64(MaxTreeSize))
	}
	return n, nil
}

// canonicalHash parses a hash as padded standard base64 of 32 bytes. The decoder skips \r and
// \n: the re-encoding is compared, so that only the canonical form passes.
func canonicalHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != tlog.HashSize || base64.StdEncoding.EncodeToString(b) != s {
		return h, errors.New("not a canonical hash")
	}
	copy(h[:], b)
	return h, nil
}

// Open verifies a signed checkpoint note against the log's verifier, whose name
// must be the origin, and parses it. Signatures by other keys (witness cosignatures) are kept
// in the returned note's UnverifiedSigs.
func Open(signed []byte, v note.Verifier) (Checkpoint, *note.Note, error) {
	if len(signed) > MaxSize {
		return Checkpoint{}, nil, errors.New("checkpoint: too large")
	}
	n, err := OpenNote(signed, note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("checkpoint: %w", err)
	}
	c, err := Parse([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, nil, err
	}
	if c.Origin != v.Name() {
		return Checkpoint{}, nil, fmt.Errorf("checkpoint: origin %q does not match the log key's name %q", c.Origin, v.Name())
	}
	return c, n, nil
}

// OpenNote is note.Open, except that it verifies every signature line of a known key, and
// reads each such line only in its canonical base64:
//
//   - note.Open verifies the first line of each key and skips that key's later lines unread,
//     where C2SP signed-note says that a signature whose key name and ID match a known key
//     MUST be verified. A note with a second line of a known key that does not verify is
//     refused, as note.Open refuses one whose first line does not
//     (*note.InvalidSignatureError); an identical line repeated is not verified again.
//   - note.Open decodes base64 leniently: a line whose last character before the padding has
//     its unused bits set decodes to the same signature, so one note has several spellings.
//     RFC 4648 (section 3.5), which signed-note's base64 is, lets a decoder refuse them, and
//     Chancery's formats give each value one encoding: a line of a known key that is not the
//     canonical encoding of its bytes is refused. Lines of unknown keys are ignored, as the
//     specification says, in whatever spelling.
func OpenNote(msg []byte, known note.Verifiers) (*note.Note, error) {
	n, err := note.Open(msg, known)
	if err != nil {
		return nil, err
	}
	type nameHash struct {
		name string
		hash uint32
	}
	verified := map[nameHash]string{}
	for _, s := range n.Sigs {
		verified[nameHash{s.Name, s.Hash}] = s.Base64
	}
	// note.Open checked the form of every line: the signature block follows the text and
	// its blank line, and each line is "— <name> <base64 of key hash and signature>".
	for _, line := range strings.SplitAfter(string(msg[len(n.Text)+1:]), "\n") {
		name, b64, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(line, "— "), "\n"), " ")
		if !ok {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(sig) < 5 {
			continue
		}
		k := nameHash{name, binary.BigEndian.Uint32(sig)}
		first, ok := verified[k]
		if !ok {
			continue
		}
		if base64.StdEncoding.EncodeToString(sig) != b64 {
			return nil, fmt.Errorf("signature line of %s+%08x is not in canonical base64 (its unused bits are not zero)", k.name, k.hash)
		}
		if b64 == first {
			continue
		}
		v, err := known.Verifier(k.name, k.hash)
		if err != nil || !v.Verify([]byte(n.Text), sig[4:]) {
			return nil, &note.InvalidSignatureError{Name: k.name, Hash: k.hash}
		}
	}
	return n, nil
}

// Size returns the tree size of a signed checkpoint, without verifying its signature: for a
// checkpoint the caller itself produced or has already verified.
func Size(signed []byte) (int64, error) {
	// The text ends at the last blank line, as C2SP signed-note and note.Open read it: a text
	// that holds a blank line is no checkpoint, and the first one would make it one.
	i := bytes.LastIndex(signed, []byte("\n\n"))
	if i < 0 {
		return 0, errors.New("checkpoint: no signature block")
	}
	body := signed[:i]
	// A full slice expression: append must copy, not write into signed, which callers share.
	c, err := Parse(append(body[:len(body):len(body)], '\n'))
	if err != nil {
		return 0, err
	}
	return c.Size, nil
}
