package registry

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
)

// A kept answer's row is stored packed (issue 19 item 5): most of an answer is base64 (the
// release entry, its opening's salt and statement, its inclusion proof), and the entry and
// the statement are JSON whose own strings are base64 again (a DSSE envelope's payload and
// signature) or quote digests and key IDs in hex. The row keeps those strings' bytes, which
// packAnswer finds and unpackAnswer writes back; at a lookup that is a base64 and a hex
// encoding of a couple of kilobytes, a few microseconds.
//
// What is left is JSON whose keys and fixed values are the same in every row, and values that
// a row repeats (the office's name, the reference, the subject, the times, the file's digest
// are in the status, the release entry and the statement): an item copies earlier output, or
// packDict, whose bytes come before any output. Copying is a memmove; the general-purpose
// alternative, DEFLATE of the base64-decoded row, gave about 1.3 KB where this gives 1.1, and
// inflating cost about 28 µs a lookup against 3.5 µs for all of this (docs/benchmarks.md).
//
// A packed text is a sequence of items, each a uvarint header h, then:
//
//	h&3 == 0: h>>2 literal bytes, as they are
//	h&3 == 1: h>>2 bytes: a JSON string of standard base64 (with its quotes), whose decoded
//	          bytes are these, themselves packed (their copies may reach the output before
//	          the string's opening quote, and the decoded bytes before them)
//	h&3 == 2: h>>2 bytes: a run of lowercase hex digits, whose decoded bytes are these
//	h&3 == 3: a uvarint distance d ≥ 1: the h>>2 bytes that start d bytes before the end of
//	          the output so far (packDict then the output), copied one by one (they may
//	          overlap what they write)
//
// A string or run is packed only when writing back its bytes gives exactly its text, so that
// unpacking gives the text packed, byte for byte (and renderAnswer checks the whole answer).

const (
	packLiteral = 0
	packBase64  = 1
	packHex     = 2
	packCopy    = 3
)

// packDict is what every row's text is likely to repeat, in the order it comes. Rows refer
// to its bytes: it must never change (a new one needs a new version byte, answer.go).
const packDict = `{"outcome":"valid","reference":"","office":,"subject":"","class":"routine","signers":[""],` +
	`"released_at":"T00:00:00Z","log_index":,"file_digest":"sha256:","message":"valid: released by  on ` +
	` January February March April May June July August September October November December 20, signed by []",` +
	`"seal":{"chancery_seal":2,"checkpoint":,"release":{"index":,"entry":chancery-entry v2 release
{"payload":{"office":"","commitment":,"signer_keys":[""],"disclosed":null,"released_at":"Z"}` +
	`,"payloadType":"application/vnd.chancery.release.v2+json","signatures":[{"keyid":"","sig":""}]},"proof":[` +
	`],"opening":{"salt":,"statement":{"office":"","reference":"","subject":"","class":"routine","tags":[],` +
	`"addressees":[""],"version":1,"version_digest":"sha256:","file_digest":"sha256:","media_type":"application/pdf",` +
	`"file_name":".pdf","file_media_type":"application/pdf","policy":"sha256:","signatures":[{"signer":"","keyid":"",` +
	`"sig":""}],"approvals":[{"member":"","role":"reviewer","time":"T00:00:00Z"}],"released_by":"","released_at":"T00:00:00Z"}}},"keys":[`

// minPackCopy is the shortest copy worth an item: its header and distance take up to 4 bytes.
const minPackCopy = 6

// minPackBase64 and minPackHex are the shortest strings and runs worth packing: shorter ones
// save less than their item headers cost.
const (
	minPackBase64 = 16
	minPackHex    = 32
)

// maxPackDepth bounds how deep base64 is looked for inside base64 (an entry's payload is at
// depth 2).
const maxPackDepth = 3

// packAnswer appends the packed form of text to b.
func packAnswer(b, text []byte) []byte {
	p := packer{out: make([]byte, 0, len(packDict)+2*len(text))}
	p.emit([]byte(packDict)...)
	return p.pack(b, text, 0)
}

// packer follows the output as unpackText writes it, packDict first, with the last position
// (plus one) of every minPackCopy bytes in it, by their hash: a candidate is checked against
// the output (two runs may share a hash; positions past the output's end, or whose bytes
// changed since, are stale).
type packer struct {
	out []byte
	at  [1 << 12]int32
}

func copyKey(b []byte) uint32 {
	var k uint64
	for _, c := range b[:minPackCopy] {
		k = k<<8 | uint64(c)
	}
	return uint32(k * 0x9E3779B97F4A7C15 >> (64 - 12))
}

// emit appends bytes to the output, indexing the positions they complete.
func (p *packer) emit(bs ...byte) {
	for _, c := range bs {
		p.out = append(p.out, c)
		if n := len(p.out); n >= minPackCopy {
			p.at[copyKey(p.out[n-minPackCopy:])] = int32(n - minPackCopy + 1)
		}
	}
}

// match returns the distance and length of the earlier output that text starts with, if at
// least minPackCopy bytes long.
func (p *packer) match(text []byte) (dist, n int) {
	if len(text) < minPackCopy {
		return 0, 0
	}
	pos := p.at[copyKey(text)] - 1
	if pos < 0 || int(pos) >= len(p.out) {
		return 0, 0
	}
	for n < len(text) && int(pos)+n < len(p.out) && p.out[int(pos)+n] == text[n] {
		n++
	}
	if n < minPackCopy {
		return 0, 0
	}
	return len(p.out) - int(pos), n
}

func (p *packer) pack(b, text []byte, depth int) []byte {
	lit := 0 // start of the pending literal bytes
	flush := func(end int) {
		if end > lit {
			b = binary.AppendUvarint(b, uint64(end-lit)<<2|packLiteral)
			b = append(b, text[lit:end]...)
		}
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c == '"' && depth < maxPackDepth {
			if n := base64Run(text[i+1:]); n >= minPackBase64 && i+1+n < len(text) && text[i+1+n] == '"' {
				if raw, err := base64.StdEncoding.DecodeString(string(text[i+1 : i+1+n])); err == nil &&
					base64.StdEncoding.EncodedLen(len(raw)) == n && base64.StdEncoding.EncodeToString(raw) == string(text[i+1:i+1+n]) {
					flush(i)
					mark := len(p.out)
					inner := p.pack(nil, raw, depth+1)
					b = binary.AppendUvarint(b, uint64(len(inner))<<2|packBase64)
					b = append(b, inner...)
					// The decoded bytes give way to the string, as in unpackText.
					p.out = p.out[:mark]
					p.emit(text[i : i+n+2]...)
					i += n + 2
					lit = i
					continue
				}
			}
		}
		if isLowerHex(c) && (i == 0 || !isLowerHex(text[i-1])) {
			n := 0
			for i+n < len(text) && isLowerHex(text[i+n]) {
				n++
			}
			if n >= minPackHex {
				n &^= 1 // an odd run keeps its last digit as a literal
				flush(i)
				b = binary.AppendUvarint(b, uint64(n/2)<<2|packHex)
				b, _ = hex.AppendDecode(b, text[i:i+n]) // lowercase hex digits only
				p.emit(text[i : i+n]...)
				i += n
				lit = i
				continue
			}
		}
		if dist, n := p.match(text[i:]); n > 0 {
			flush(i)
			b = binary.AppendUvarint(b, uint64(n)<<2|packCopy)
			b = binary.AppendUvarint(b, uint64(dist))
			p.emit(text[i : i+n]...)
			i += n
			lit = i
			continue
		}
		p.emit(c)
		i++
	}
	flush(len(text))
	return b
}

func isLowerHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

// base64Run is the length of the run of standard base64 characters (padding included) that
// starts b.
func base64Run(b []byte) int {
	n := 0
	for n < len(b) {
		c := b[n]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			break
		}
		n++
	}
	return n
}

var errPacked = errors.New("malformed packed answer")

// unpackAnswer appends to b the text packed in p.
func unpackAnswer(b, p []byte) ([]byte, error) { return unpackText(b, len(b), p, 0) }

// unpackText appends to b the text packed in p; the output began at b[base].
func unpackText(b []byte, base int, p []byte, depth int) ([]byte, error) {
	for len(p) > 0 {
		h, w := binary.Uvarint(p)
		if w <= 0 {
			return b, errPacked
		}
		p = p[w:]
		if h&3 == packCopy {
			d, w := binary.Uvarint(p)
			n := h >> 2
			if w <= 0 || d == 0 || d > uint64(len(b)-base+len(packDict)) || n > 1<<20 {
				return b, errPacked
			}
			p = p[w:]
			from := len(b) - int(d) // below base: in packDict
			switch {
			case from >= base && d >= n: // within the output, not overlapping what it writes
				b = append(b, b[from:from+int(n)]...)
			case from+int(n) <= base: // within the dictionary
				at := len(packDict) - (base - from)
				b = append(b, packDict[at:at+int(n)]...)
			default: // across both, or overlapping: byte by byte, in order
				for k := range int(n) {
					if at := from + k; at < base {
						b = append(b, packDict[len(packDict)-(base-at)])
					} else {
						b = append(b, b[at])
					}
				}
			}
			continue
		}
		if h>>2 > uint64(len(p)) {
			return b, errPacked
		}
		item := p[:h>>2]
		p = p[h>>2:]
		switch h & 3 {
		case packLiteral:
			b = append(b, item...)
		case packBase64:
			if depth >= maxPackDepth {
				return b, errPacked
			}
			// The decoded bytes are written at the end of b, moved past the room their
			// encoding takes, and encoded into that room: no other buffer.
			start := len(b)
			var err error
			if b, err = unpackText(b, base, item, depth+1); err != nil {
				return b, err
			}
			n := len(b) - start
			enc := base64.StdEncoding.EncodedLen(n)
			need := start + 2 + enc + n
			if cap(b) < need {
				b = append(b[:cap(b)], make([]byte, need-cap(b))...)
			}
			b = b[:need]
			copy(b[start+2+enc:], b[start:start+n])
			b[start] = '"'
			base64.StdEncoding.Encode(b[start+1:start+1+enc], b[start+2+enc:])
			b[start+1+enc] = '"'
			b = b[:start+2+enc]
		default: // packHex
			b = hex.AppendEncode(b, item)
		}
	}
	return b, nil
}
