package seal

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/chancery/chancery/internal/entry"
)

// Confidential entries (entry version 2, docs/seal-format.md "Confidential entries").
//
// A version 2 entry carries a public record: what anyone may learn (the kind, the office, the
// time, the key IDs involved, the log index of the release a withdrawal points at) and a
// salted commitment to the version 1 statement of its kind, which stays with the office and
// the letter's holders. An Opening (the salt and the statement) proves the statement to
// whoever is given it; without it the commitment reveals nothing, not even a guessed subject,
// since the 256-bit salt is never logged.

// SaltSize is the size of an opening's salt.
const SaltSize = 32

// commitmentPrefix separates commitments from every other hash of the system.
const commitmentPrefix = "chancery-commitment v1\n"

// Opening reveals the statement that a version 2 entry commits to.
type Opening struct {
	// Salt is 32 random bytes, different for every entry.
	Salt []byte `json:"salt"`
	// Statement is the canonical JSON of the version 1 statement of the entry's kind.
	Statement []byte `json:"statement"`
}

// NewOpening makes an opening of statement with a fresh random salt.
func NewOpening(statement any) *Opening {
	salt := make([]byte, SaltSize)
	rand.Read(salt) // never fails (crypto/rand)
	return &Opening{Salt: salt, Statement: Marshal(statement)}
}

// Commitment returns the commitment of an opening for an entry of kind k:
// SHA-256("chancery-commitment v1\n" ‖ payload type of k's v1 statement ‖ "\n" ‖ salt ‖
// statement). The payload type keeps a statement of one kind from opening an entry of
// another.
func (o *Opening) Commitment(k entry.Kind) []byte {
	c := o.commitment(k)
	return c[:]
}

// commitment is Commitment without allocating, for the opening of every seal a folder's
// verification checks: the hashed bytes are laid out in a buffer on the stack when they fit,
// and the payload type is written in place rather than built as a string.
func (o *Opening) commitment(k entry.Kind) [sha256.Size]byte {
	var buf [2048]byte
	b := append(buf[:0], commitmentPrefix...)
	b = appendPayloadType(b, k)
	b = append(b, '\n')
	b = append(b, o.Salt...)
	b = append(b, o.Statement...)
	return sha256.Sum256(b)
}

// appendPayloadType appends k.PayloadType(), "application/vnd.chancery.<kind>.v1+json"
// (TestAppendPayloadType checks it against PayloadType for every kind).
func appendPayloadType(b []byte, k entry.Kind) []byte {
	b = append(b, "application/vnd.chancery."...)
	b = append(b, k...)
	return append(b, ".v1+json"...)
}

// check checks that o opens commitment for kind k.
func (o *Opening) check(k entry.Kind, commitment []byte) error {
	if o == nil {
		return fmt.Errorf("%w: a version 2 %s entry needs its opening", ErrMalformed, k)
	}
	if len(o.Salt) != SaltSize {
		return fmt.Errorf("%w: opening salt of %d bytes, want %d", ErrMalformed, len(o.Salt), SaltSize)
	}
	if c := o.commitment(k); len(commitment) != sha256.Size || subtle.ConstantTimeCompare(c[:], commitment) != 1 {
		return fmt.Errorf("%w: the opening is not the one this %s entry commits to", ErrBadOpening, k)
	}
	return nil
}

// ErrBadOpening: an opening does not open the commitment of the entry it is given with (a
// statement from another letter, or altered). It is reported as malformed.
var ErrBadOpening = fmt.Errorf("%w: opening does not match the commitment", ErrMalformed)

// Disclosure holds the fields of a release that the office's policy logs in the clear (a
// press release may be wholly public). An absent field is confidential.
type Disclosure struct {
	Reference  *string   `json:"reference,omitempty"`
	Subject    *string   `json:"subject,omitempty"`
	Class      *string   `json:"class,omitempty"`
	Tags       *[]string `json:"tags,omitempty"`
	Addressees *[]string `json:"addressees,omitempty"`
	Signers    *[]string `json:"signers,omitempty"`
	FileDigest *Digest   `json:"file_digest,omitempty"`
}

// Fields returns the names of the fields d discloses, in DisclosableFields' order; none for
// a nil d.
func (d *Disclosure) Fields() []string {
	if d == nil {
		return nil
	}
	var out []string
	for _, f := range []struct {
		name string
		set  bool
	}{{"reference", d.Reference != nil}, {"subject", d.Subject != nil}, {"class", d.Class != nil}, {"tags", d.Tags != nil},
		{"addressees", d.Addressees != nil}, {"signers", d.Signers != nil}, {"file_digest", d.FileDigest != nil}} {
		if f.set {
			out = append(out, f.name)
		}
	}
	return out
}

// DisclosableFields are the names of the fields a policy may log in the clear.
var DisclosableFields = []string{"reference", "subject", "class", "tags", "addressees", "signers", "file_digest"}

// Disclose returns the disclosure of the named fields of st, or nil for none.
func Disclose(st *ReleaseStatement, fields []string) (*Disclosure, error) {
	if len(fields) == 0 {
		return nil, nil
	}
	d := &Disclosure{}
	for _, f := range fields {
		switch f {
		case "reference":
			d.Reference = &st.Reference
		case "subject":
			d.Subject = &st.Subject
		case "class":
			d.Class = &st.Class
		case "tags":
			t := nonNilStrings(st.Tags)
			d.Tags = &t
		case "addressees":
			a := nonNilStrings(st.Addressees)
			d.Addressees = &a
		case "signers":
			s := []string{}
			for _, sg := range st.Signatures {
				s = append(s, sg.Signer)
			}
			d.Signers = &s
		case "file_digest":
			d.FileDigest = &st.FileDigest
		default:
			return nil, fmt.Errorf("disclose: unknown field %q (known: %v)", f, DisclosableFields)
		}
	}
	return d, nil
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ReleaseRecord is the public statement of a version 2 release entry.
type ReleaseRecord struct {
	Office string `json:"office"`
	// Commitment commits to the release statement (kind release).
	Commitment []byte `json:"commitment"`
	// SignerKeys are the key IDs of the signatures of the statement, each once, in order.
	SignerKeys []string    `json:"signer_keys"`
	Disclosed  *Disclosure `json:"disclosed"`
	ReleasedAt time.Time   `json:"released_at"`
}

// RetractionRecord is the public statement of a version 2 retraction entry.
type RetractionRecord struct {
	Office string `json:"office"`
	// Release is the log index of the release entry retracted.
	Release    int64     `json:"release"`
	Commitment []byte    `json:"commitment"`
	Time       time.Time `json:"time"`
}

// SupersessionRecord is the public statement of a version 2 supersession entry.
type SupersessionRecord struct {
	Office string `json:"office"`
	// Release and ByRelease are the log indexes of the release entries of the letter replaced
	// and of the letter replacing it.
	Release    int64     `json:"release"`
	ByRelease  int64     `json:"by_release"`
	Commitment []byte    `json:"commitment"`
	Time       time.Time `json:"time"`
}

// KeyRecord is the public statement of a version 2 key-added or key-revoked entry: the key
// is public, the member it belongs to (and a revocation's reason) are committed.
type KeyRecord struct {
	Office     string    `json:"office"`
	KeyID      string    `json:"keyid"`
	PublicKey  []byte    `json:"public_key"`
	Commitment []byte    `json:"commitment"`
	Time       time.Time `json:"time"`
}

// PolicyRecord is the public statement of a version 2 policy-adopted entry.
type PolicyRecord struct {
	Office     string    `json:"office"`
	Commitment []byte    `json:"commitment"`
	Time       time.Time `json:"time"`
}

// record is what every public record has: the office it is of and its commitment.
type record interface {
	parts() (office string, commitment []byte)
}

func (r *ReleaseRecord) parts() (string, []byte)      { return r.Office, r.Commitment }
func (r *RetractionRecord) parts() (string, []byte)   { return r.Office, r.Commitment }
func (r *SupersessionRecord) parts() (string, []byte) { return r.Office, r.Commitment }
func (r *KeyRecord) parts() (string, []byte)          { return r.Office, r.Commitment }
func (r *PolicyRecord) parts() (string, []byte)       { return r.Office, r.Commitment }

// NewReleaseRecord returns the record committing to st through o, disclosing the fields d.
func NewReleaseRecord(st *ReleaseStatement, o *Opening, d *Disclosure) *ReleaseRecord {
	return &ReleaseRecord{Office: st.Office, Commitment: o.Commitment(entry.Release), SignerKeys: SignerKeys(st),
		Disclosed: d, ReleasedAt: st.ReleasedAt}
}

// SignerKeys returns the distinct key IDs of st's signatures, in order.
func SignerKeys(st *ReleaseStatement) []string {
	out := []string{}
	for _, s := range st.Signatures {
		if !slices.Contains(out, s.KeyID) {
			out = append(out, s.KeyID)
		}
	}
	return out
}

// OpenRelease checks that o opens the release record rec and agrees with it, and returns the
// release statement. The error wraps ErrMalformed.
func OpenRelease(rec *ReleaseRecord, o *Opening) (*ReleaseStatement, error) {
	return openRelease(rec, o, nil)
}

// openRelease is OpenRelease, with the Decoder whose strings the statement may share (see
// decodeRelease), if d is not nil.
func openRelease(rec *ReleaseRecord, o *Opening, d *Decoder) (*ReleaseStatement, error) {
	if err := validRecord(rec); err != nil {
		return nil, fmt.Errorf("%w: release record: %w", ErrMalformed, err)
	}
	if err := o.check(entry.Release, rec.Commitment); err != nil {
		return nil, err
	}
	st, err := decodeRelease(o.Statement, d)
	if err != nil {
		return nil, fmt.Errorf("%w: opened release statement: %w", ErrMalformed, err)
	}
	if st.Office != rec.Office || !sameTime(st.ReleasedAt, rec.ReleasedAt) || !slices.Equal(SignerKeys(st), rec.SignerKeys) {
		return nil, fmt.Errorf("%w: opened release statement disagrees with the record (office, time or signer keys)", ErrBadOpening)
	}
	if rec.Disclosed != nil {
		fields := disclosedFields(rec.Disclosed)
		want, err := Disclose(st, fields)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		if len(fields) == 0 || !bytes.Equal(Marshal(want), Marshal(rec.Disclosed)) {
			return nil, fmt.Errorf("%w: a disclosed field differs from the opened statement", ErrBadOpening)
		}
	}
	return st, nil
}

// disclosedFields lists the fields d discloses.
func disclosedFields(d *Disclosure) []string {
	var out []string
	add := func(ok bool, name string) {
		if ok {
			out = append(out, name)
		}
	}
	add(d.Reference != nil, "reference")
	add(d.Subject != nil, "subject")
	add(d.Class != nil, "class")
	add(d.Tags != nil, "tags")
	add(d.Addressees != nil, "addressees")
	add(d.Signers != nil, "signers")
	add(d.FileDigest != nil, "file_digest")
	return out
}

// OpenRetraction checks that o opens rec and agrees with it, and returns the retraction.
func OpenRetraction(rec *RetractionRecord, o *Opening) (*RetractionStatement, error) {
	st := new(RetractionStatement)
	if err := open(entry.Retraction, rec.Commitment, o, st); err != nil {
		return nil, err
	}
	if st.Office != rec.Office || !sameTime(st.Time, rec.Time) {
		return nil, fmt.Errorf("%w: opened retraction disagrees with the record (office or time)", ErrBadOpening)
	}
	return st, nil
}

// OpenSupersession checks that o opens rec and agrees with it, and returns the supersession.
func OpenSupersession(rec *SupersessionRecord, o *Opening) (*SupersessionStatement, error) {
	st := new(SupersessionStatement)
	if err := open(entry.Supersession, rec.Commitment, o, st); err != nil {
		return nil, err
	}
	if st.Office != rec.Office || !sameTime(st.Time, rec.Time) {
		return nil, fmt.Errorf("%w: opened supersession disagrees with the record (office or time)", ErrBadOpening)
	}
	return st, nil
}

// OpenKey checks that o opens the key record rec of kind k (key-added or key-revoked) and
// agrees with it, and returns the key statement.
func OpenKey(k entry.Kind, rec *KeyRecord, o *Opening) (*KeyStatement, error) {
	st := new(KeyStatement)
	if err := open(k, rec.Commitment, o, st); err != nil {
		return nil, err
	}
	if st.Office != rec.Office || st.KeyID != rec.KeyID || !bytes.Equal(st.PublicKey, rec.PublicKey) || !sameTime(st.Time, rec.Time) {
		return nil, fmt.Errorf("%w: opened key statement disagrees with the record", ErrBadOpening)
	}
	return st, nil
}

// OpenPolicy checks that o opens rec and agrees with it, and returns the policy statement.
func OpenPolicy(rec *PolicyRecord, o *Opening) (*PolicyStatement, error) {
	st := new(PolicyStatement)
	if err := open(entry.PolicyAdopted, rec.Commitment, o, st); err != nil {
		return nil, err
	}
	if st.Office != rec.Office || !sameTime(st.Time, rec.Time) {
		return nil, fmt.Errorf("%w: opened policy statement disagrees with the record", ErrBadOpening)
	}
	return st, nil
}

func open(k entry.Kind, commitment []byte, o *Opening, st any) error {
	if err := o.check(k, commitment); err != nil {
		return err
	}
	if err := Unmarshal(o.Statement, st); err != nil {
		return fmt.Errorf("%w: opened %s statement: %w", ErrMalformed, k, err)
	}
	return nil
}

// sameTime compares two times as their canonical encodings do.
func sameTime(a, b time.Time) bool {
	// AppendText writes what MarshalJSON writes between its quotes, and fails where it
	// fails; into buffers on the stack, as this runs for every version 2 seal verified.
	var ba, bb [64]byte
	ma, err1 := a.AppendText(ba[:0])
	mb, err2 := b.AppendText(bb[:0])
	return err1 == nil && err2 == nil && bytes.Equal(ma, mb)
}

// Record decodes the public record of a version 2 entry: a *ReleaseRecord,
// *RetractionRecord, *SupersessionRecord, *KeyRecord or *PolicyRecord.
func Record(e *entry.Entry) (any, error) {
	if e.V() != entry.V2 {
		return nil, errors.New("record: not a version 2 entry")
	}
	var rec record
	switch e.Kind {
	case entry.Release:
		rec = new(ReleaseRecord)
	case entry.Retraction:
		rec = new(RetractionRecord)
	case entry.Supersession:
		rec = new(SupersessionRecord)
	case entry.KeyAdded, entry.KeyRevoked:
		rec = new(KeyRecord)
	case entry.PolicyAdopted:
		rec = new(PolicyRecord)
	default:
		// An office-key-rotated entry is written in version 1 only: one that claims
		// version 2 is malformed, like any bytes that are not a record.
		return nil, fmt.Errorf("%w: record: no version 2 record of kind %q", ErrMalformed, e.Kind)
	}
	if err := Unmarshal(e.Envelope.Payload, rec); err != nil {
		return nil, fmt.Errorf("%w: %s record: %w", ErrMalformed, e.Kind, err)
	}
	if err := validRecord(rec); err != nil {
		return nil, fmt.Errorf("%w: %s record: %w", ErrMalformed, e.Kind, err)
	}
	return rec, nil
}

// validRecord checks what the canonical encoding alone does not: a 32-byte commitment, a
// release's signer keys as a list (never null, so that a record has one encoding) and a
// disclosure that discloses something, or null.
func validRecord(rec record) error {
	if r, ok := rec.(*ReleaseRecord); ok {
		if r.SignerKeys == nil {
			return errors.New("signer_keys is null, not a list")
		}
		if r.Disclosed != nil && len(disclosedFields(r.Disclosed)) == 0 {
			return errors.New("an empty disclosure (write null)")
		}
	}
	if _, c := rec.parts(); len(c) != sha256.Size {
		return fmt.Errorf("a commitment of %d bytes, not %d", len(c), sha256.Size)
	}
	return nil
}

// Open returns the statement of entry e: its payload for a version 1 entry, the statement o
// opens for a version 2 entry. It checks the opening against the record; it checks no
// signature. The statement is a *ReleaseStatement, *RetractionStatement,
// *SupersessionStatement, *KeyStatement or *PolicyStatement.
func Open(e *entry.Entry, o *Opening) (any, error) {
	if e.V() == entry.V1 {
		var st any
		switch e.Kind {
		case entry.Release:
			st = new(ReleaseStatement)
		case entry.Retraction:
			st = new(RetractionStatement)
		case entry.Supersession:
			st = new(SupersessionStatement)
		case entry.KeyAdded, entry.KeyRevoked:
			st = new(KeyStatement)
		case entry.PolicyAdopted:
			st = new(PolicyStatement)
		default:
			return nil, fmt.Errorf("%w: open: no statement of kind %q", ErrMalformed, e.Kind)
		}
		if err := Unmarshal(e.Envelope.Payload, st); err != nil {
			return nil, fmt.Errorf("%w: %s statement: %w", ErrMalformed, e.Kind, err)
		}
		return st, nil
	}
	rec, err := Record(e)
	if err != nil {
		return nil, err
	}
	// Each case returns a nil interface, not a typed nil pointer, on failure.
	var st any
	switch rec := rec.(type) {
	case *ReleaseRecord:
		st, err = opened(OpenRelease(rec, o))
	case *RetractionRecord:
		st, err = opened(OpenRetraction(rec, o))
	case *SupersessionRecord:
		st, err = opened(OpenSupersession(rec, o))
	case *KeyRecord:
		st, err = opened(OpenKey(e.Kind, rec, o))
	case *PolicyRecord:
		st, err = opened(OpenPolicy(rec, o))
	default:
		err = fmt.Errorf("open: unknown record %T", rec)
	}
	return st, err
}

// opened turns a statement and its error into an interface that is nil on failure.
func opened[T any](st *T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return st, nil
}
