// Package entry defines the entries of Chancery's transparency log: versioned, kind-tagged,
// canonical byte strings, each a signed statement in a DSSE envelope. The format is specified
// in docs/log-format.md; testdata/entries.txtar holds its test vectors.
//
// An entry is one header line and the canonical JSON of a DSSE envelope:
//
//	chancery-entry v1 <kind>\n
//	{"payload":"…","payloadType":"application/vnd.chancery.<kind>.v1+json","signatures":[…]}
//
// Decode checks the form only; whether the signatures are by keys the verifier trusts is the
// verifier's business.
package entry

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/chancery/chancery/internal/dsse"
)

// Kind says what an entry records.
type Kind string

// The kinds of entry. No other kind is valid in version 1.
const (
	Release       Kind = "release"
	Retraction    Kind = "retraction"
	Supersession  Kind = "supersession"
	KeyAdded      Kind = "key-added"
	KeyRevoked    Kind = "key-revoked"
	PolicyAdopted Kind = "policy-adopted"
)

// Kinds lists every kind, in the order of the specification.
var Kinds = []Kind{Release, Retraction, Supersession, KeyAdded, KeyRevoked, PolicyAdopted}

// Valid reports whether k is a kind of version 1.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// PayloadType is the DSSE payload type of a statement of kind k.
func (k Kind) PayloadType() string { return "application/vnd.chancery." + string(k) + ".v1+json" }

// MaxSize is the largest entry: the log's limit (an entry bundle frames entries with a uint16).
const MaxSize = 1<<16 - 1

const magic = "chancery-entry"

// Entry is a decoded log entry.
type Entry struct {
	Kind     Kind
	Envelope *dsse.Envelope
}

// Errors that callers branch on.
var (
	ErrUnknownVersion = errors.New("unknown entry version")
	ErrUnknownKind    = errors.New("unknown entry kind")
	ErrTooLarge       = fmt.Errorf("entry larger than %d bytes", MaxSize)
)

// Encode returns the entry's canonical bytes.
func (e *Entry) Encode() ([]byte, error) {
	if !e.Kind.Valid() {
		return nil, fmt.Errorf("encode entry: %w: %q", ErrUnknownKind, e.Kind)
	}
	if e.Envelope == nil || e.Envelope.PayloadType != e.Kind.PayloadType() {
		return nil, fmt.Errorf("encode entry: a %s entry needs a %s envelope", e.Kind, e.Kind.PayloadType())
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s v1 %s\n", magic, e.Kind)
	b.Write(e.Envelope.Marshal())
	if b.Len() > MaxSize {
		return nil, fmt.Errorf("encode entry: %w: %d bytes", ErrTooLarge, b.Len())
	}
	return b.Bytes(), nil
}

// Decode parses an entry, refusing unknown versions and kinds and any non-canonical encoding.
func Decode(data []byte) (*Entry, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("decode entry: %w: %d bytes", ErrTooLarge, len(data))
	}
	header, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil, errors.New("decode entry: no header line")
	}
	f := strings.Split(string(header), " ")
	if len(f) != 3 || f[0] != magic {
		return nil, fmt.Errorf("decode entry: malformed header %q", truncate(header))
	}
	if f[1] != "v1" {
		return nil, fmt.Errorf("decode entry: %w: %q", ErrUnknownVersion, truncate([]byte(f[1])))
	}
	k := Kind(f[2])
	if !k.Valid() {
		return nil, fmt.Errorf("decode entry: %w: %q", ErrUnknownKind, truncate([]byte(f[2])))
	}
	env, err := dsse.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s entry: %w", k, err)
	}
	if env.PayloadType != k.PayloadType() {
		return nil, fmt.Errorf("decode %s entry: payload type %q, want %q", k, env.PayloadType, k.PayloadType())
	}
	return &Entry{Kind: k, Envelope: env}, nil
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
