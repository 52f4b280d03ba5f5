// Package entry defines the entries of Chancery's transparency log: versioned, kind-tagged,
// canonical byte strings, each a signed statement in a DSSE envelope. The format is specified
// in docs/log-format.md; testdata/entries.txtar holds its test vectors.
//
// An entry is one header line and the canonical JSON of a DSSE envelope:
//
//	chancery-entry v<n> <kind>\n
//	{"payload":"…","payloadType":"application/vnd.chancery.<kind>.v<n>+json","signatures":[…]}
//
// Version 1 entries disclose their statement; version 2 entries (confidential by default)
// carry a public record that commits to it, opened only for those who hold the letter.
//
// Decode checks the form only; whether the signatures are by keys the verifier trusts is the
// verifier's business.
package entry

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
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
	// OfficeKeyRotated records that the office moved to a new release key; it is signed by
	// both keys, and is a version 1 entry only (office keys are public).
	OfficeKeyRotated Kind = "office-key-rotated"
)

// Kinds lists every kind, in the order of the specification.
var Kinds = []Kind{Release, Retraction, Supersession, KeyAdded, KeyRevoked, PolicyAdopted, OfficeKeyRotated}

// Valid reports whether k is a kind of version 1.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// PayloadType is the DSSE payload type of a version 1 statement of kind k: the statement
// that a version 1 entry discloses and a version 2 entry commits to.
func (k Kind) PayloadType() string { return k.PayloadTypeV(1) }

// PayloadTypeV is the DSSE payload type of an entry of kind k and version v.
func (k Kind) PayloadTypeV(v int) string {
	return "application/vnd.chancery." + string(k) + ".v" + strconv.Itoa(v) + "+json"
}

// isPayloadTypeV reports whether pt is k.PayloadTypeV(v), without building that string.
func (k Kind) isPayloadTypeV(pt string, v int) bool {
	rest, ok := strings.CutPrefix(pt, "application/vnd.chancery.")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, string(k))
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(rest, ".v")
	return ok && rest == strconv.Itoa(v)+"+json"
}

// kindOf returns the kind named b, as one of the constants (so that the name is not copied),
// and whether there is one.
func kindOf(b []byte) (Kind, bool) {
	for _, k := range Kinds {
		if string(b) == string(k) {
			return k, true
		}
	}
	return "", false
}

// Versions of the entry format. Version 2 is what the registry writes; readers read both.
const (
	V1 = 1
	V2 = 2
)

// MaxSize is the largest entry: the log's limit (an entry bundle frames entries with a uint16).
const MaxSize = 1<<16 - 1

const magic = "chancery-entry"

// Entry is a decoded log entry.
type Entry struct {
	// Version is V1 or V2; zero means V1.
	Version  int
	Kind     Kind
	Envelope *dsse.Envelope
}

// version returns e's version, V1 for zero.
func (e *Entry) version() int {
	if e.Version == 0 {
		return V1
	}
	return e.Version
}

// V returns the entry's version.
func (e *Entry) V() int { return e.version() }

// PayloadType is the payload type of e's envelope: that of its kind and version.
func (e *Entry) PayloadType() string { return e.Kind.PayloadTypeV(e.version()) }

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
	if v := e.version(); v != V1 && v != V2 {
		return nil, fmt.Errorf("encode entry: %w: %d", ErrUnknownVersion, v)
	}
	if e.Kind == OfficeKeyRotated && e.version() != V1 {
		return nil, fmt.Errorf("encode entry: %w: %s is a version 1 kind", ErrUnknownKind, e.Kind)
	}
	if e.Envelope == nil || e.Envelope.PayloadType != e.PayloadType() {
		return nil, fmt.Errorf("encode entry: a %s entry needs a %s envelope", e.Kind, e.PayloadType())
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s v%d %s\n", magic, e.version(), e.Kind)
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
	// The header is three fields separated by single spaces, read without copying it: a
	// verifier decodes an entry per letter of a folder (issue 19 item 2).
	rest, ok := bytes.CutPrefix(header, []byte(magic+" "))
	ver, kind, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok || !ok2 || bytes.IndexByte(kind, ' ') >= 0 {
		return nil, fmt.Errorf("decode entry: malformed header %q", truncate(header))
	}
	var v int
	switch string(ver) {
	case "v1":
		v = V1
	case "v2":
		v = V2
	default:
		return nil, fmt.Errorf("decode entry: %w: %q", ErrUnknownVersion, truncate(ver))
	}
	k, ok := kindOf(kind)
	if !ok || k == OfficeKeyRotated && v != V1 {
		return nil, fmt.Errorf("decode entry: %w: %q", ErrUnknownKind, truncate(kind))
	}
	env, err := dsse.Parse(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s entry: %w", k, err)
	}
	if !k.isPayloadTypeV(env.PayloadType, v) {
		return nil, fmt.Errorf("decode %s entry: payload type %q, want %q", k, env.PayloadType, k.PayloadTypeV(v))
	}
	e := &Entry{Kind: k, Envelope: env}
	if v != V1 {
		e.Version = v
	}
	return e, nil
}

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}
