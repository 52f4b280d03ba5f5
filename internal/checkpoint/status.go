package checkpoint

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// StatusHeader is the first line of a status note. A checkpoint's first line is its origin,
// which Open requires to be the log key's name, and its second a tree size: neither kind of
// note can be read as the other.
const StatusHeader = "chancery-status/v1"

// A Status is a log's signed word on a released letter's state at one tree: that the release
// whose entry is at log index Release had the outcome Outcome (valid, retracted, superseded)
// in the tree of size Size and root Root, and that the tree held Revocations key-revoked
// entries of the keys that signed it. A registry that answers with a seal proved against an
// older tree (a kept seal) adds it, so that the answer cannot be replayed after a withdrawal
// or a revocation: the tree it names is the latest one the answer claims to be current
// against (docs/seal-format.md, "Kept seals"). Its text, each line ending in a newline:
//
//	chancery-status/v1
//	<origin>
//	<tree size>
//	<root hash, base64>
//	<release index>
//	<outcome>
//	<revocations of its signers' keys>
type Status struct {
	Origin      string
	Size        int64
	Root        tlog.Hash
	Release     int64
	Outcome     string
	Revocations int64
}

// Marshal returns the status note's text.
func (s Status) Marshal() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%s\n%d\n%s\n%d\n%s\n%d\n", StatusHeader, s.Origin, s.Size, base64.StdEncoding.EncodeToString(s.Root[:]), s.Release, s.Outcome, s.Revocations)
	return b.Bytes()
}

// ParseStatus parses a status note's text. It accepts only the canonical form: the header, a
// non-empty origin, decimal numbers without leading zeros, a tree size of at most
// MaxTreeSize, a release index below the tree size, a padded standard base64 32-byte root,
// an outcome of lowercase letters, and fewer revocations than the tree has entries.
func ParseStatus(text []byte) (Status, error) {
	if len(text) > MaxSize {
		return Status{}, errors.New("status: too large")
	}
	s := string(text)
	if !strings.HasSuffix(s, "\n") {
		return Status{}, errors.New("status: does not end in a newline")
	}
	lines := strings.Split(s[:len(s)-1], "\n")
	if len(lines) != 7 || lines[0] != StatusHeader {
		return Status{}, fmt.Errorf("status: not a %s note of seven lines", StatusHeader)
	}
	st := Status{Origin: lines[1], Outcome: lines[5]}
	if st.Origin == "" {
		return Status{}, errors.New("status: empty origin")
	}
	var err error
	if st.Size, err = treeSize(lines[2]); err != nil {
		return Status{}, fmt.Errorf("status: malformed tree size %q: %w", lines[2], err)
	}
	if st.Root, err = canonicalHash(lines[3]); err != nil {
		return Status{}, fmt.Errorf("status: malformed root hash %q", lines[3])
	}
	if st.Release, err = canonicalInt(lines[4]); err != nil || st.Release >= st.Size {
		return Status{}, fmt.Errorf("status: malformed release index %q (tree size %d)", lines[4], st.Size)
	}
	if st.Outcome == "" || len(st.Outcome) > 32 || strings.Trim(st.Outcome, "abcdefghijklmnopqrstuvwxyz") != "" {
		return Status{}, fmt.Errorf("status: malformed outcome %q", st.Outcome)
	}
	if st.Revocations, err = canonicalInt(lines[6]); err != nil || st.Revocations >= st.Size {
		return Status{}, fmt.Errorf("status: malformed count of revocations %q (tree size %d)", lines[6], st.Size)
	}
	return st, nil
}

// OpenStatus verifies a signed status note against the log's verifier, whose name must be
// the status's origin, and parses it.
func OpenStatus(signed []byte, v note.Verifier) (Status, error) {
	if len(signed) > MaxSize {
		return Status{}, errors.New("status: too large")
	}
	n, err := OpenNote(signed, note.VerifierList(v))
	if err != nil {
		return Status{}, fmt.Errorf("status: %w", err)
	}
	st, err := ParseStatus([]byte(n.Text))
	if err != nil {
		return Status{}, err
	}
	if st.Origin != v.Name() {
		return Status{}, fmt.Errorf("status: origin %q does not match the log key's name %q", st.Origin, v.Name())
	}
	return st, nil
}
