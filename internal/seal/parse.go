package seal

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/tlog"
)

// parser reads JSON in the canonical form of canonicalJSON and Marshal: no white space, fields
// in a fixed order. It serves the hot path of verification, where encoding/json costs as much
// as hashing a 100 KB letter. After the first error it reads nothing more.
type parser struct {
	data []byte
	off  int // bytes consumed, for error messages
	err  error
	// html says that strings are encoded as Marshal encodes them, with <, > and & escaped.
	html bool
	// general is set when a string was decoded by encoding/json rather than unquoteSimple: its
	// encoding is then for the caller to check.
	general bool
	// d, if set, is the Decoder whose memory the parse may reuse: with reuse set, bytes and
	// the release's proof and opening go into d's buffers rather than fresh allocations.
	d     *Decoder
	reuse bool
}

func (p *parser) fail(what string) {
	if p.err == nil {
		p.err = fmt.Errorf("%w: not in canonical form at byte %d: %s", ErrMalformed, p.off, what)
	}
	p.data = nil
}

func (p *parser) advance(n int) {
	p.data = p.data[n:]
	p.off += n
}

// next consumes c if it comes next.
func (p *parser) next(c byte) bool {
	if len(p.data) > 0 && p.data[0] == c {
		p.advance(1)
		return true
	}
	return false
}

func (p *parser) lit(s string) {
	if !bytes.HasPrefix(p.data, []byte(s)) {
		p.fail("want " + s)
		return
	}
	p.advance(len(s))
}

// int reads a non-negative decimal integer without leading zeros.
func (p *parser) int() int64 {
	n := 0
	for n < len(p.data) && p.data[n] >= '0' && p.data[n] <= '9' {
		n++
	}
	v, err := strconv.ParseInt(string(p.data[:n]), 10, 64)
	if n == 0 || err != nil || (n > 1 && p.data[0] == '0') {
		p.fail("want a non-negative integer")
		return 0
	}
	p.advance(n)
	return v
}

// quoted returns the bytes between a pair of quotes, escapes left as they are.
func (p *parser) quoted() []byte {
	if !p.next('"') {
		p.fail("want a string")
		return nil
	}
	// A string without a backslash ends at the next quote, which IndexByte finds far faster
	// than the loop below (a seal is mostly such strings, read once per letter of a folder).
	if i := bytes.IndexByte(p.data, '"'); i >= 0 && bytes.IndexByte(p.data[:i], '\\') < 0 {
		s := p.data[:i]
		p.advance(i + 1)
		return s
	}
	for i := 0; i < len(p.data); i++ {
		switch p.data[i] {
		case '\\':
			i++
		case '"':
			s := p.data[:i]
			p.advance(i + 1)
			return s
		}
	}
	p.fail("unterminated string")
	return nil
}

// str reads a string. It does not check that the string is canonically encoded: the
// callers check the whole document or the string.
func (p *parser) str() string {
	s, _ := p.strSimple()
	return s
}

// strSimple reads a string and reports whether unquoteSimple could decode it.
func (p *parser) strSimple() (string, bool) {
	q := p.quoted()
	if p.err != nil {
		return "", false
	}
	return p.unquote(q)
}

// shared reads a string that repeats from seal to seal of a folder: an office, a class, a
// signer, a key ID, a policy. With a Decoder, a string of plain ASCII — decoded as a copy of
// its bytes — is taken from those the Decoder read before, without allocating; otherwise it is
// read as str reads it, with the same result.
func (p *parser) shared() string {
	q := p.quoted()
	if p.err != nil {
		return ""
	}
	if p.d != nil && plainASCII(q, p.html) {
		return p.d.intern(q)
	}
	s, _ := p.unquote(q)
	return s
}

// fileDigest reads a statement's file digest: with a Decoder verifying a file whose digest
// has the same bytes, which decode to themselves, that digest's string, without allocating;
// otherwise as str reads it.
func (p *parser) fileDigest() string {
	if p.d == nil || p.d.file == "" {
		return p.str()
	}
	q := p.quoted()
	if p.err != nil {
		return ""
	}
	if string(q) == string(p.d.file) && plainASCII(q, p.html) {
		return string(p.d.file)
	}
	s, _ := p.unquote(q)
	return s
}

// unquote decodes the body of a string as strSimple does.
func (p *parser) unquote(q []byte) (string, bool) {
	if s, ok := unquoteSimple(q, p.html); ok {
		return s, true
	}
	p.general = true
	raw := make([]byte, 0, len(q)+2)
	raw = append(append(append(raw, '"'), q...), '"')
	var s string
	if json.Unmarshal(raw, &s) != nil {
		p.fail("malformed string")
	}
	return s, false
}

// canonicalStr reads a string encoded as canonicalJSON encodes it.
func (p *parser) canonicalStr() string {
	start, before := p.off, p.data
	s, simple := p.strSimple()
	if p.err == nil && !simple && !bytes.Equal(canonicalJSON(s), before[:p.off-start]) {
		p.off = start
		p.fail("string not in canonical encoding")
	}
	return s
}

// unquoteSimple decodes the body of a JSON string made of what checkpoints and statements
// hold: UTF-8 text and the escapes \n, \" and \\. For anything else it returns false, and the
// caller takes the general path. What it accepts is the canonical encoding: canonicalJSON's,
// or, if html, Marshal's, which escapes <, > and &.
func unquoteSimple(q []byte, html bool) (string, bool) {
	if plainASCII(q, html) {
		return string(q), true
	}
	var b strings.Builder
	b.Grow(len(q))
	for len(q) > 0 {
		c := q[0]
		switch {
		case c == '\\':
			if len(q) < 2 {
				return "", false
			}
			switch q[1] {
			case 'n':
				b.WriteByte('\n')
			case '"', '\\':
				b.WriteByte(q[1])
			default:
				return "", false
			}
			q = q[2:]
		case c < 0x20 || c == '"' || html && (c == '<' || c == '>' || c == '&'):
			return "", false
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			q = q[1:]
		default:
			r, n := utf8.DecodeRune(q)
			// canonicalJSON escapes U+2028 and U+2029.
			if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
				return "", false
			}
			b.Write(q[:n])
			q = q[n:]
		}
	}
	return b.String(), true
}

// plainASCII reports whether q is ASCII that unquoteSimple copies byte for byte: no escape,
// control character or (if html) <, > or &. Most strings of a seal are (references, offices,
// digests, times), and one copy of them costs less than the loop's byte-by-byte writes, which
// took about 1% of the processor time of verifying a folder (issue 19 item 2).
func plainASCII(q []byte, html bool) bool {
	for _, c := range q {
		if c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || html && (c == '<' || c == '>' || c == '&') {
			return false
		}
	}
	return true
}

// b64 returns the body of a quoted base64 string. Base64 has neither quotes nor escapes, so
// the string ends at the next quote (found far faster than by quoted's loop); an escape
// before it fails the base64 decoding.
func (p *parser) b64() []byte {
	if !p.next('"') {
		p.fail("want a string")
		return nil
	}
	i := bytes.IndexByte(p.data, '"')
	if i < 0 {
		p.fail("unterminated string")
		return nil
	}
	q := p.data[:i]
	p.advance(i + 1)
	return q
}

// bytes reads padded standard base64, the only encoding of bytes canonicalJSON writes.
func (p *parser) bytes() []byte {
	q := p.b64()
	if p.err != nil {
		return nil
	}
	var b []byte
	if n := base64.StdEncoding.DecodedLen(len(q)); p.reuse {
		b = p.d.alloc(n)
	} else {
		b = make([]byte, n)
	}
	n, err := base64.StdEncoding.Strict().Decode(b, q)
	// The decoder skips line breaks, which JSON does not allow raw in a string: refuse
	// input longer than the encoding of what it decoded to.
	if err != nil || base64.StdEncoding.EncodedLen(n) != len(q) {
		p.fail("want padded standard base64")
		return nil
	}
	return b[:n]
}

// hash reads a hash, without the allocation of bytes: a seal holds dozens.
func (p *parser) hash() (h tlog.Hash) {
	q := p.b64()
	if p.err != nil {
		return h
	}
	var b [tlog.HashSize + 1]byte // DecodedLen of 44 characters; Decode panics on a longer q
	if len(q) != 44 {
		p.fail("want a 32-byte hash in padded standard base64")
		return h
	}
	if n, err := base64.StdEncoding.Strict().Decode(b[:], q); err != nil || n != tlog.HashSize {
		p.fail("want a 32-byte hash in padded standard base64")
	}
	copy(h[:], b[:])
	return h
}

// hashLen is the length of a hash in a proof: 44 base64 characters, quotes and a comma.
const hashLen = 44 + 3

// MaxProofHashes bounds an inclusion proof in a seal: one hash per level of a tree of 2^63
// leaves, more than any tree a checkpoint may have (checkpoint.MaxTreeSize), so that no seal
// that could verify is refused. A longer proof is malformed, refused as it is read.
const MaxProofHashes = 63

func (p *parser) logged(withOpening bool) LoggedEntry {
	var e LoggedEntry
	p.lit(`{"index":`)
	e.Index = p.int()
	p.lit(`,"entry":`)
	e.Entry = p.bytes()
	p.lit(`,"proof":[`)
	// Size the proof for the hashes up to the next ']', for one allocation.
	if n := min((bytes.IndexByte(p.data, ']')+1)/hashLen, MaxProofHashes); p.reuse {
		if p.d.proof == nil {
			p.d.proof = make(tlog.RecordProof, 0, 32) // "proof":[] is an empty list, not nil
		}
		e.Proof = slices.Grow(p.d.proof[:0], n)
	} else {
		e.Proof = make(tlog.RecordProof, 0, n)
	}
	for p.err == nil && !p.next(']') {
		if len(e.Proof) > 0 {
			p.lit(",")
		}
		if len(e.Proof) == MaxProofHashes {
			p.fail(fmt.Sprintf("a proof of more than %d hashes", MaxProofHashes))
			break
		}
		e.Proof = append(e.Proof, p.hash())
	}
	if p.reuse {
		p.d.proof = e.Proof
	}
	if withOpening {
		p.lit(`,"opening":`)
		if !p.null() {
			var o *Opening
			if p.reuse {
				o = &p.d.opening
				*o = Opening{}
			} else {
				o = &Opening{}
			}
			p.lit(`{"salt":`)
			o.Salt = p.bytes()
			p.lit(`,"statement":`)
			o.Statement = p.bytes()
			p.lit("}")
			e.Opening = o
		}
	}
	p.lit("}")
	return e
}

// strs reads a list of strings, or null. Its strings are read as shared reads them: a
// folder's letters carry the same tags, addressees and signer keys.
func (p *parser) strs() []string {
	if p.null() {
		return nil
	}
	p.lit("[")
	l := []string{}
	for p.err == nil && !p.next(']') {
		if len(l) > 0 {
			p.lit(",")
		}
		l = append(l, p.shared())
	}
	return l
}

// null consumes a null if it comes next.
func (p *parser) null() bool {
	if bytes.HasPrefix(p.data, []byte("null")) {
		p.advance(4)
		return true
	}
	return false
}

// time reads a time in the encoding of time.Time's MarshalJSON.
func (p *parser) time() time.Time {
	var t time.Time
	start, before := p.off, p.data
	p.quoted()
	if p.err != nil {
		return t
	}
	raw := before[:p.off-start]
	if t, ok := utcSeconds(raw); ok {
		return t
	}
	if t.UnmarshalJSON(raw) != nil {
		p.fail("malformed time")
	} else if m, err := t.MarshalJSON(); err != nil || !bytes.Equal(m, raw) {
		p.fail("time not in canonical encoding")
	}
	return t
}

// utcSeconds reads a time in the one form MarshalJSON gives a UTC time of whole seconds,
// "2006-01-02T15:04:05Z", the form of every time the registry writes, without encoding/json
// and without allocating. It reports false for anything else, which the general path judges:
// a value that time.Date would normalise (a 13th month, a 31st of February) is not written
// back as it was read, and is left to that path too.
func utcSeconds(raw []byte) (time.Time, bool) {
	const form = `"0000-00-00T00:00:00Z"`
	if len(raw) != len(form) {
		return time.Time{}, false
	}
	var v [6]int // year, month, day, hour, minute, second
	field := 0
	for i := 1; i < len(form)-1; i++ {
		c := raw[i]
		if form[i] != '0' {
			if c != form[i] {
				return time.Time{}, false
			}
			field++
			continue
		}
		if c < '0' || c > '9' {
			return time.Time{}, false
		}
		v[field] = v[field]*10 + int(c-'0')
	}
	if raw[0] != '"' || raw[len(raw)-1] != '"' {
		return time.Time{}, false
	}
	t := time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], v[5], 0, time.UTC)
	var buf [len(form)]byte
	back := append(t.AppendFormat(append(buf[:0], '"'), time.RFC3339), '"')
	if !bytes.Equal(back, raw) {
		return time.Time{}, false
	}
	return t, true
}

// decodeRelease decodes a release statement as Unmarshal does, three times as fast. It reads
// only the canonical form, field by field, and leaves anything unusual (a negative version, an
// escaped character) to Unmarshal. Where a string needed encoding/json it checks, as Unmarshal
// does, that Marshal gives back the input; otherwise every token was read in its one canonical
// encoding, and the check would only cost time.
//
// With a Decoder d, the strings that repeat from letter to letter are shared with the
// statements d decoded before (see parser.shared); the statement is otherwise the caller's.
func decodeRelease(data []byte, d *Decoder) (*ReleaseStatement, error) {
	p := &parser{data: data, html: true, d: d}
	st := new(ReleaseStatement)
	p.lit(`{"office":`)
	st.Office = p.shared()
	p.lit(`,"reference":`)
	st.Reference = p.str()
	p.lit(`,"subject":`)
	st.Subject = p.str()
	p.lit(`,"class":`)
	st.Class = p.shared()
	p.lit(`,"tags":`)
	st.Tags = p.strs()
	p.lit(`,"addressees":`)
	st.Addressees = p.strs()
	p.lit(`,"version":`)
	st.Version = int(p.int())
	p.lit(`,"version_digest":`)
	st.VersionDigest = Digest(p.str())
	p.lit(`,"file_digest":`)
	st.FileDigest = Digest(p.fileDigest())
	p.lit(`,"media_type":`)
	st.MediaType = p.shared()
	p.lit(`,"file_name":`)
	st.FileName = p.str()
	// Written only when the released file's type differs from the version's (omitempty): an
	// empty one is not canonical, and the general path says so.
	if bytes.HasPrefix(p.data, []byte(`,"file_media_type":`)) {
		p.lit(`,"file_media_type":`)
		if st.FileMediaType = p.shared(); st.FileMediaType == "" {
			p.fail("an empty file_media_type is omitted")
		}
	}
	p.lit(`,"policy":`)
	st.Policy = Digest(p.shared())
	p.lit(`,"signatures":`)
	if !p.null() {
		p.lit("[")
		st.Signatures = make([]Signature, 0, count(p.data, `{"signer":`))
		for p.err == nil && !p.next(']') {
			if len(st.Signatures) > 0 {
				p.lit(",")
			}
			var s Signature
			p.lit(`{"signer":`)
			s.Signer = p.shared()
			p.lit(`,"keyid":`)
			s.KeyID = p.shared()
			p.lit(`,"sig":`)
			s.Sig = p.bytes()
			p.lit("}")
			st.Signatures = append(st.Signatures, s)
		}
	}
	p.lit(`,"approvals":`)
	if !p.null() {
		p.lit("[")
		st.Approvals = make([]Approval, 0, count(p.data, `{"member":`))
		for p.err == nil && !p.next(']') {
			if len(st.Approvals) > 0 {
				p.lit(",")
			}
			var a Approval
			p.lit(`{"member":`)
			a.Member = p.shared()
			p.lit(`,"role":`)
			a.Role = p.shared()
			p.lit(`,"time":`)
			a.Time = p.time()
			p.lit("}")
			st.Approvals = append(st.Approvals, a)
		}
	}
	p.lit(`,"released_by":`)
	st.ReleasedBy = p.shared()
	p.lit(`,"released_at":`)
	st.ReleasedAt = p.time()
	p.lit("}")
	if p.err != nil || len(p.data) > 0 || (p.general && !bytes.Equal(Marshal(st), data)) {
		st = new(ReleaseStatement)
		if err := Unmarshal(data, st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// count returns how many times obj occurs in a list of objects at the start of data, up to the
// first ']': the capacity that spares a list its growth. It is a hint; the list is read as it
// comes, whatever count says.
func count(data []byte, obj string) int {
	return bytes.Count(data[:bytes.IndexByte(data, ']')+1], []byte(obj))
}
