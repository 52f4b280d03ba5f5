// Package seal defines Chancery's signed statements, the seal that travels beside a released
// letter, the trust root a verifier pins, and offline verification of a seal against a trust
// root. It imports no storage: everything it checks comes from the seal, the file and the
// trust root. The formats are specified in docs/seal-format.md.
package seal

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Payload types of the statements that are not log entries of their own. The statements that
// are log entries use entry.Kind.PayloadType().
const (
	// SigningPayloadType is the payload type of a SigningStatement: what a signer signs.
	SigningPayloadType = "application/vnd.chancery.signing.v1+json"
)

// Digest is a SHA-256 digest written "sha256:<64 lowercase hex digits>".
type Digest string

// DigestOf returns the digest of b.
func DigestOf(b []byte) Digest {
	h := sha256.Sum256(b)
	return Digest("sha256:" + hex.EncodeToString(h[:]))
}

// PrefixDigests returns the digests of the prefixes of b that end at ends, which must be in
// ascending order and within b, hashing b once.
func PrefixDigests(b []byte, ends []int) []Digest {
	h := sha256.New()
	out := make([]Digest, len(ends))
	at := 0
	for i, end := range ends {
		h.Write(b[at:end])
		at = end
		out[i] = Digest("sha256:" + hex.EncodeToString(h.Sum(nil)))
	}
	return out
}

// ParseDigest checks the form of a digest, also accepting 64 bare hex digits.
func ParseDigest(s string) (Digest, error) {
	if isCanonicalDigest(s) {
		// Already what the rest would return: no copy (a digest is parsed twice per seal).
		return Digest(s), nil
	}
	s = strings.ToLower(strings.TrimSpace(s))
	hexPart := strings.TrimPrefix(s, "sha256:")
	b, err := hex.DecodeString(hexPart)
	if err != nil || len(b) != sha256.Size {
		return "", fmt.Errorf("digest %q is not sha256:<64 hex digits>", truncate(s))
	}
	return Digest("sha256:" + hexPart), nil
}

// isCanonicalDigest reports whether s is "sha256:" and 64 lowercase hex digits, the form
// ParseDigest returns.
func isCanonicalDigest(s string) bool {
	const prefix = "sha256:"
	if len(s) != len(prefix)+2*sha256.Size || s[:len(prefix)] != prefix {
		return false
	}
	for i := len(prefix); i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Bytes returns the raw 32 bytes of a well-formed digest.
func (d Digest) Bytes() ([]byte, error) {
	p, err := ParseDigest(string(d))
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(strings.TrimPrefix(string(p), "sha256:"))
}

// Letter is the metadata of a letter that statements bind.
type Letter struct {
	Reference  string   `json:"reference"`
	Subject    string   `json:"subject"`
	Class      string   `json:"class"`
	Tags       []string `json:"tags"`
	Addressees []string `json:"addressees"`
}

// SigningStatement is what a signer signs for one version of a letter: the version's digest,
// the letter's metadata and the policy in force, under one office. Binding all of them means a
// signature cannot be replayed onto another letter, another version or another policy.
type SigningStatement struct {
	Office    string `json:"office"`
	Letter           // reference, subject, class, tags, addressees
	Version   int    `json:"version"`
	Digest    Digest `json:"digest"`
	MediaType string `json:"media_type"`
	Policy    Digest `json:"policy"`
}

// Signature is a signer's Ed25519 signature over the DSSE PAE of a SigningStatement.
type Signature struct {
	Signer string `json:"signer"`
	KeyID  string `json:"keyid"`
	Sig    []byte `json:"sig"`
}

// Approval records a reviewer's decision in a release statement.
type Approval struct {
	Member string    `json:"member"`
	Role   string    `json:"role"`
	Time   time.Time `json:"time"`
}

// ReleaseStatement is what the office's release key signs when a letter passes the gate; its
// envelope is the log entry of kind release.
type ReleaseStatement struct {
	Office string `json:"office"`
	Letter
	Version       int    `json:"version"`
	VersionDigest Digest `json:"version_digest"`
	FileDigest    Digest `json:"file_digest"` // of the exact bytes released
	MediaType     string `json:"media_type"`
	FileName      string `json:"file_name"`
	// FileMediaType is the released file's type when it differs from the version's (a letter
	// written in Markdown is released as a PDF); empty means the same.
	FileMediaType string      `json:"file_media_type,omitempty"`
	Policy        Digest      `json:"policy"`
	Signatures    []Signature `json:"signatures"`
	Approvals     []Approval  `json:"approvals"`
	ReleasedBy    string      `json:"released_by"`
	ReleasedAt    time.Time   `json:"released_at"`
}

// ReleasedMediaType is the media type of the released file.
func (r *ReleaseStatement) ReleasedMediaType() string {
	if r.FileMediaType != "" {
		return r.FileMediaType
	}
	return r.MediaType
}

// Signing returns the statement the signers of this release signed.
func (r *ReleaseStatement) Signing() SigningStatement {
	return SigningStatement{Office: r.Office, Letter: r.Letter, Version: r.Version,
		Digest: r.VersionDigest, MediaType: r.MediaType, Policy: r.Policy}
}

// RetractionStatement withdraws a released letter, with the reason every verifier shows. It
// is signed by an authorized signer and by the office.
type RetractionStatement struct {
	Office      string    `json:"office"`
	Reference   string    `json:"reference"`
	FileDigest  Digest    `json:"file_digest"`
	Reason      string    `json:"reason"`
	RetractedBy string    `json:"retracted_by"`
	Time        time.Time `json:"time"`
}

// SupersessionStatement says that a released letter is replaced by another released letter.
type SupersessionStatement struct {
	Office       string    `json:"office"`
	Reference    string    `json:"reference"`
	FileDigest   Digest    `json:"file_digest"`
	By           string    `json:"by"`
	ByFileDigest Digest    `json:"by_file_digest"`
	Reason       string    `json:"reason"`
	SupersededBy string    `json:"superseded_by"`
	Time         time.Time `json:"time"`
}

// KeyStatement registers (kind key-added) or revokes (kind key-revoked) a signer key. It is
// signed by the office.
type KeyStatement struct {
	Office    string    `json:"office"`
	KeyID     string    `json:"keyid"`
	PublicKey []byte    `json:"public_key"` // raw Ed25519 public key
	Member    string    `json:"member"`
	Reason    string    `json:"reason,omitempty"` // for a revocation
	Time      time.Time `json:"time"`
}

// PolicyStatement adopts a release policy (kind policy-adopted). It is signed by the office and
// carries the policy file itself, so the log shows which rules every later release was held to.
type PolicyStatement struct {
	Office    string    `json:"office"`
	Digest    Digest    `json:"digest"` // of Source
	Name      string    `json:"name"`
	Source    []byte    `json:"source"`
	AdoptedBy string    `json:"adopted_by"`
	Time      time.Time `json:"time"`
}

// Marshal is the canonical JSON encoding of a statement: encoding/json of the struct, whose
// field order is fixed by its declaration.
func Marshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("seal: marshal statement: " + err.Error())
	}
	return b
}

// Unmarshal decodes a statement strictly: unknown fields are refused, and the input must be
// exactly Marshal's encoding of the result.
func Unmarshal(data []byte, v any) error {
	// Fast path, a quarter cheaper: the input decodes and is what Marshal writes for the
	// result, which also rules out unknown, repeated and trailing fields. The strict decoder
	// runs only to say what is wrong with an input that fails this.
	if json.Unmarshal(data, v) == nil && bytes.Equal(Marshal(v), data) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("statement: %w", err)
	}
	// Only the end of the input may follow the value (Decoder.More reports false at "]" and
	// "}" as at the end); white space after it is refused below, as not canonical.
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("statement: trailing data")
	}
	if string(Marshal(v)) != string(data) {
		return errors.New("statement: not in canonical form")
	}
	return nil
}

func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
