package seal

import (
	"bytes"

	"golang.org/x/mod/sumdb/tlog"
)

// Decoder parses seals as Parse does, for a caller that parses many one after the other, such
// as the verification of a folder of letters (issue 19 item 2). Parsing a seal allocated
// about 8 KB, most of it copies of what every seal of a folder repeats: the same checkpoint
// and the same few key entries. A Decoder compares those parts of a seal with the raw bytes of
// the ones it decoded before, and on a match takes the decoded value again without parsing or
// allocating; the release entry, which differs from seal to seal, is decoded into buffers
// reused from one seal to the next. The result is the same as Parse's, for every input: a
// seal that is not in canonical form (white space added, an error of any kind) is handed to
// Parse itself. FuzzDecoderSameAsParse checks that on arbitrary input. Its Verify verifies
// the seals it parsed with less garbage than Verifier.Verify, with the same results.
//
// A Decoder is not safe for concurrent use: give each goroutine its own.
type Decoder struct {
	seal  Seal
	keys  []LoggedEntry
	arena []byte
	proof tlog.RecordProof
	// opening is the release entry's opening.
	opening Opening
	// checkpointRaw is the last checkpoint's JSON string, quotes included, and checkpoint
	// what it decoded to.
	checkpointRaw, checkpoint []byte
	// known are key entries decoded before, most recent first.
	known []knownEntry
	// strs are the strings of statements that repeat from letter to letter (see
	// parser.shared), each its own key.
	strs map[string]string
	// file is the digest of the file that Verify is verifying, whose string the statement's
	// file digest takes when it has the same bytes.
	file Digest
}

// knownEntry is a logged entry as it was written in a seal, and what it decoded to.
type knownEntry struct {
	raw         []byte
	withOpening bool
	e           LoggedEntry
}

// maxKnown bounds the key entries a Decoder remembers: a folder's seals are signed by a few
// keys, and a miss only costs a parse.
const maxKnown = 16

// Parse parses a seal's file form, with Parse's result for every input. The seal it returns
// is valid until the next call: its release entry, proof and opening are in the Decoder's
// buffers. Its checkpoint and key entries may be shared with the seals parsed before and
// after it. The caller must not modify any of it.
func (d *Decoder) Parse(data []byte) (*Seal, error) {
	if len(data) > MaxSealSize {
		return Parse(data)
	}
	d.arena = d.arena[:0]
	s, err := parseSeal(data, d)
	if err != nil {
		// The error Parse gives, after its general path.
		return Parse(data)
	}
	return s, nil
}

// alloc returns n bytes of the Decoder's arena, which is emptied at each Parse.
func (d *Decoder) alloc(n int) []byte {
	if d.arena == nil || cap(d.arena)-len(d.arena) < n {
		// A fresh array: what earlier calls returned stays where it is.
		d.arena = make([]byte, 0, max(2*cap(d.arena), n, 8<<10))
	}
	start := len(d.arena)
	d.arena = d.arena[:start+n]
	return d.arena[start : start+n : start+n]
}

// checkpoint reads the seal's checkpoint string. With a Decoder, a string of the same bytes
// as the last one's is the same checkpoint, whose decoding is taken again: the parse of a
// string depends on its bytes alone, and the closing quote ends it as it ended the last one.
func (p *parser) checkpoint() []byte {
	d := p.d
	if d != nil && d.checkpointRaw != nil && bytes.HasPrefix(p.data, d.checkpointRaw) {
		p.advance(len(d.checkpointRaw))
		return d.checkpoint
	}
	before := p.data
	cp := []byte(p.canonicalStr())
	if d != nil && p.err == nil {
		d.checkpointRaw = bytes.Clone(before[:len(before)-len(p.data)])
		d.checkpoint = cp
	}
	return cp
}

// keyEntry reads a key entry of a seal. With a Decoder, an entry of the same bytes as one
// decoded before, in a seal of the same version, is that entry: logged reads nothing past the
// entry's closing brace, and its reading depends on those bytes alone.
func (p *parser) keyEntry(withOpening bool) LoggedEntry {
	d := p.d
	if d == nil {
		return p.logged(withOpening)
	}
	for i, k := range d.known {
		if k.withOpening == withOpening && bytes.HasPrefix(p.data, k.raw) {
			p.advance(len(k.raw))
			if i > 0 {
				copy(d.known[1:i+1], d.known[:i])
				d.known[0] = k
			}
			return k.e
		}
	}
	before := p.data
	e := p.logged(withOpening)
	if p.err == nil {
		if len(d.known) < maxKnown {
			d.known = append(d.known, knownEntry{})
		}
		copy(d.known[1:], d.known[:len(d.known)-1])
		d.known[0] = knownEntry{raw: bytes.Clone(before[:len(before)-len(p.data)]), withOpening: withOpening, e: e}
	}
	return e
}

// Bounds of the strings a Decoder shares: a folder's statements repeat a few dozen (offices,
// signers, key IDs, tags); the table is emptied when full, so that a folder of unusual
// letters costs at most what it cost without it.
const (
	maxShared    = 256
	maxSharedLen = 128
)

// intern returns q as a string, the one returned before for the same bytes if there is one.
func (d *Decoder) intern(q []byte) string {
	if s, ok := d.strs[string(q)]; ok {
		return s
	}
	s := string(q)
	if len(q) <= maxSharedLen {
		if d.strs == nil || len(d.strs) >= maxShared {
			d.strs = make(map[string]string, maxShared)
		}
		d.strs[s] = s
	}
	return s
}

// Verify is v.Verify(s, file), for the seals of a folder one after the other: the strings of
// the release statement that repeat from letter to letter are shared with the statements d
// read before, and what the verification needs only while it runs is made in d's buffers.
// The result is Verify's for every seal, and nothing of it is in d's buffers: it stays valid
// after d's next calls. Like Parse, it is not for concurrent use of d.
func (d *Decoder) Verify(v *Verifier, s *Seal, file Digest) (*Result, error) {
	d.file = file
	defer func() { d.file = "" }()
	return v.verify(s, file, d)
}
