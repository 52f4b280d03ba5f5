// Package public describes a Chancery log entry by what the log shows anyone: for a version 2
// (confidential) entry its public record, for a version 1 entry the same fields taken from its
// statement. The monitor reports entries with it; it reads bytes a log serves, so it imports
// nothing of the log's storage and is fuzzed on its own.
package public

import (
	"crypto/ed25519"
	"fmt"
	"slices"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/seal"
)

// Entry is what a monitor says about one log entry: only what the log shows anyone. For a
// version 2 (confidential) entry that is its public record: the office, the time, the key IDs
// and the log index of a withdrawn release, and a reference only when the office chose to
// disclose it. For a version 1 entry the same fields, taken from its statement; subjects,
// addressees, names and reasons are never reported, though a version 1 entry holds them.
type Entry struct {
	Index   int64  `json:"index"`
	Kind    string `json:"kind"`
	Version int    `json:"version"`
	Office  string `json:"office,omitempty"`
	// Time is the time the statement gives: released, withdrawn, key or policy adopted.
	Time time.Time `json:"time,omitzero"`
	// EntryKeys are the key IDs of the signatures on the entry's envelope (the office's
	// release key, and for a withdrawal the signer's).
	EntryKeys []string `json:"entry_keys"`
	// SignerKeys are, for a release, the key IDs of the signers of the letter.
	SignerKeys []string `json:"signer_keys,omitempty"`
	// KeyID is, for a key-added or key-revoked entry, the key; for an office-key-rotated
	// entry, the office's new key.
	KeyID string `json:"keyid,omitempty"`
	// Release is, for a version 2 withdrawal, the log index of the release withdrawn;
	// ByRelease, for a supersession, the index of the release replacing it.
	Release   *int64 `json:"release,omitempty"`
	ByRelease *int64 `json:"by_release,omitempty"`
	// Reference is a version 1 statement's letter reference, or a version 2 release's
	// disclosed one; ByReference a version 1 supersession's replacing letter.
	Reference   string `json:"reference,omitempty"`
	ByReference string `json:"by_reference,omitempty"`
	// Policy is a version 1 policy adoption's policy digest.
	Policy string `json:"policy,omitempty"`
	// PayloadError says why the entry's payload could not be read: the entry has the form of
	// a Chancery entry, but not a statement or record the monitor knows.
	PayloadError string `json:"payload_error,omitempty"`
}

// Describe reads the entry at index i of a log. It fails only when data is not a Chancery
// entry at all (docs/log-format.md); a well-formed entry whose payload is not a statement or
// record of its kind is described with a PayloadError.
func Describe(i int64, data []byte) (*Entry, error) {
	e, err := entry.Decode(data)
	if err != nil {
		return nil, err
	}
	d := &Entry{Index: i, Kind: string(e.Kind), Version: e.V(), EntryKeys: []string{}}
	for _, s := range e.Envelope.Signatures {
		d.EntryKeys = append(d.EntryKeys, s.KeyID)
	}
	if e.V() == entry.V2 {
		rec, err := seal.Record(e)
		if err != nil {
			d.PayloadError = err.Error()
			return d, nil
		}
		describeRecord(d, rec)
		return d, nil
	}
	if e.Kind == entry.OfficeKeyRotated {
		describeRotation(d, e.Envelope.Payload)
		return d, nil
	}
	st, err := seal.Open(e, nil)
	if err != nil {
		d.PayloadError = err.Error()
		return d, nil
	}
	describeStatement(d, st)
	return d, nil
}

// describeRotation describes an office key rotation, which is logged as a version 1 entry
// only, by its office, its time and the new key; the reason it gives is not reported. A
// statement whose new key ID is not its new public key's is described with a PayloadError.
func describeRotation(d *Entry, payload []byte) {
	st := new(seal.RotationStatement)
	if err := seal.Unmarshal(payload, st); err != nil {
		d.PayloadError = fmt.Sprintf("%s statement: %v", entry.OfficeKeyRotated, err)
		return
	}
	if len(st.NewPublicKey) != ed25519.PublicKeySize || st.NewKeyID != dsse.KeyID(st.NewPublicKey) {
		d.PayloadError = fmt.Sprintf("%s statement: its new key ID is not the SHA-256 of its new public key", entry.OfficeKeyRotated)
		return
	}
	d.Office, d.Time, d.KeyID = st.Office, st.Time, st.NewKeyID
}

func describeRecord(d *Entry, rec any) {
	switch r := rec.(type) {
	case *seal.ReleaseRecord:
		d.Office, d.Time, d.SignerKeys = r.Office, r.ReleasedAt, r.SignerKeys
		if r.Disclosed != nil && r.Disclosed.Reference != nil {
			d.Reference = *r.Disclosed.Reference
		}
	case *seal.RetractionRecord:
		d.Office, d.Time, d.Release = r.Office, r.Time, &r.Release
	case *seal.SupersessionRecord:
		d.Office, d.Time, d.Release, d.ByRelease = r.Office, r.Time, &r.Release, &r.ByRelease
	case *seal.KeyRecord:
		d.Office, d.Time, d.KeyID = r.Office, r.Time, r.KeyID
	case *seal.PolicyRecord:
		d.Office, d.Time = r.Office, r.Time
	default:
		d.PayloadError = fmt.Sprintf("unknown record %T", rec)
	}
}

func describeStatement(d *Entry, st any) {
	switch s := st.(type) {
	case *seal.ReleaseStatement:
		d.Office, d.Time, d.Reference = s.Office, s.ReleasedAt, s.Reference
		d.SignerKeys = []string{}
		for _, sg := range s.Signatures {
			d.SignerKeys = append(d.SignerKeys, sg.KeyID)
		}
	case *seal.RetractionStatement:
		d.Office, d.Time, d.Reference = s.Office, s.Time, s.Reference
	case *seal.SupersessionStatement:
		d.Office, d.Time, d.Reference, d.ByReference = s.Office, s.Time, s.Reference, s.By
	case *seal.KeyStatement:
		d.Office, d.Time, d.KeyID = s.Office, s.Time, s.KeyID
	case *seal.PolicyStatement:
		d.Office, d.Time, d.Policy = s.Office, s.Time, string(s.Digest)
	default:
		d.PayloadError = fmt.Sprintf("unknown statement %T", st)
	}
}

// Filter selects the entries a monitor reports. An empty field selects everything; the
// fields that are set must all match. Key revocations and policy adoptions are reported
// whatever the filter: they change what every later entry means.
type Filter struct {
	// Offices are office names, as entries give them.
	Offices []string
	// KeyIDs are key IDs (or prefixes of at least 8 hex digits) matched against the
	// entry's envelope keys, a release's signer keys and a key entry's key.
	KeyIDs []string
	// Kinds are "release", "retraction", "supersession", "key" (added or revoked, and the
	// office's own key rotated) and "policy".
	Kinds []string
}

// FilterKinds are the kinds a Filter names.
var FilterKinds = []string{"release", "retraction", "supersession", "key", "policy"}

// filterKind returns the Filter kind of an entry kind.
func filterKind(k entry.Kind) string {
	switch k {
	case entry.KeyAdded, entry.KeyRevoked, entry.OfficeKeyRotated:
		return "key"
	case entry.PolicyAdopted:
		return "policy"
	}
	return string(k)
}

// Match reports whether f selects d.
func (f Filter) Match(d *Entry) bool {
	k := entry.Kind(d.Kind)
	// A revocation, a new policy and a new office key change what every other entry means:
	// they are reported whatever the filter.
	if k == entry.KeyRevoked || k == entry.PolicyAdopted || k == entry.OfficeKeyRotated || d.PayloadError != "" {
		return true
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, filterKind(k)) {
		return false
	}
	if len(f.Offices) > 0 && !slices.Contains(f.Offices, d.Office) {
		return false
	}
	if len(f.KeyIDs) > 0 {
		keys := append(append(append([]string{}, d.EntryKeys...), d.SignerKeys...), d.KeyID)
		for _, want := range f.KeyIDs {
			for _, k := range keys {
				if k != "" && len(want) <= len(k) && k[:len(want)] == want {
					return true
				}
			}
		}
		return false
	}
	return true
}
