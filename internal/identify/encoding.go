package identify

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// Version names every parameter of the fingerprint (normalization, ShingleWords,
// WinnowWindow, the hash functions): fingerprints of different versions must not be compared,
// so a registry that finds an encoding of an older version recomputes the fingerprint from
// the letter's text. It is also the first byte of the first encoding of version 1.
const Version = 1

// The first byte of an encoded fingerprint names its encoding, and with it its Version:
// encodingFull and encodingCompact are both of Version 1. MarshalBinary writes the compact
// encoding (the full one when it is shorter); UnmarshalBinary reads both, so fingerprints
// stored before the compact one read as they were.
const (
	encodingFull    = Version
	encodingCompact = 2
)

// maxSetSize bounds the shingle count accepted when decoding: a megabyte of text.
const maxSetSize = 1 << 20

// ErrVersion reports an encoded fingerprint of another version.
var ErrVersion = errors.New("unsupported fingerprint version")

// MarshalBinary encodes f compactly (issue 19 item 5: 2,074 bytes on average for the
// synthetic letters, of 574 shingles, against 2,822 in the full encoding; 560 against 689 for
// a letter of 90 words), as:
//
//	encoding  byte (2)
//	hash      32 bytes
//	words     uvarint
//	shingles  uvarint count n
//	marks     uvarint count, then each mark's position among the shingles as a uvarint delta
//	          from the previous position (the first from 0, every later one less 1)
//	codes     if n is not 0: a byte ks and a byte kg (each 0 to 31), then bits: each
//	          shingle's delta from the previous one (the first from 0, every later one less
//	          1) as a Rice code of parameter ks, then each signature value as a Rice code of
//	          parameter kg; the bits fill bytes from their most significant bit, and the last
//	          byte is padded with 0 bits
//
// The Rice code of v with parameter k is v>>k in unary (that many 1 bits, then a 0), then
// the k lowest bits of v, most significant first; MarshalBinary picks the parameters that
// take the fewest bits. Sorted hashes of n shingles are apart by about 2³²/n, and a MinHash
// value is the least of n hashes: both are codes of about log2(2³²/n) + 1.5 bits instead of
// the full encoding's 32 bits and varints of 4 bytes. Without shingles the signature is all
// ones (Compute's) and is not stored. The full encoding is written instead when it is
// shorter (a text of a few words, whose MinHash values are not small), and for a fingerprint
// whose marks are not among its shingles, or without shingles but with another signature,
// which it keeps as it is (and which UnmarshalBinary rejects if its marks are not shingles).
func (f *Fingerprint) MarshalBinary() ([]byte, error) {
	full := f.marshalFull()
	if b, ok := f.marshalCompact(); ok && len(b) <= len(full) {
		return b, nil
	}
	return full, nil
}

// marshalCompact encodes f in the compact encoding, if it can hold f.
func (f *Fingerprint) marshalCompact() ([]byte, bool) {
	pos, ok := positions(f.Marks, f.Shingles)
	if !ok || (len(f.Shingles) == 0 && f.Signature != signature(nil)) {
		return nil, false
	}
	b := make([]byte, 0, 1+32+5+5+5+2*len(pos)+2+4*len(f.Shingles)+4*SignatureSize)
	b = append(b, encodingCompact)
	b = append(b, f.Hash[:]...)
	b = binary.AppendUvarint(b, uint64(f.Words))
	b = binary.AppendUvarint(b, uint64(len(f.Shingles)))
	b = binary.AppendUvarint(b, uint64(len(pos)))
	prev := -1
	for _, p := range pos {
		b = binary.AppendUvarint(b, uint64(p-prev-1))
		prev = p
	}
	if len(f.Shingles) == 0 {
		return b, true
	}
	deltas := make([]uint32, len(f.Shingles))
	last := uint32(0)
	for i, v := range f.Shingles {
		deltas[i] = v - last
		if i > 0 {
			deltas[i]--
		}
		last = v
	}
	ks, kg := riceParameter(deltas), riceParameter(f.Signature[:])
	b = append(b, byte(ks), byte(kg))
	w := bitWriter{b: b}
	for _, v := range deltas {
		w.rice(v, ks)
	}
	for _, v := range f.Signature {
		w.rice(v, kg)
	}
	return w.flush(), true
}

// positions returns the position of each of marks among shingles, or false if one is not
// there or marks are not increasing; shingles are.
func positions(marks, shingles []uint32) ([]int, bool) {
	pos := make([]int, 0, len(marks))
	j := 0
	for _, v := range marks {
		for j < len(shingles) && shingles[j] < v {
			j++
		}
		if j == len(shingles) || shingles[j] != v {
			return nil, false
		}
		pos = append(pos, j)
		j++
	}
	return pos, true
}

// riceParameter returns the Rice parameter that codes vs in the fewest bits.
func riceParameter(vs []uint32) int {
	k, best := 0, uint64(1<<63)
	for c := range 32 {
		var bits uint64
		for _, v := range vs {
			bits += uint64(v>>c) + 1 + uint64(c)
		}
		if bits < best {
			k, best = c, bits
		}
	}
	return k
}

// bitWriter appends bits to b, most significant first.
type bitWriter struct {
	b   []byte
	acc uint64 // the last n bits are not yet appended
	n   int
}

// put appends the n (at most 32) lowest bits of v.
func (w *bitWriter) put(v uint64, n int) {
	w.acc = w.acc<<n | v&(1<<n-1)
	for w.n += n; w.n >= 8; w.n -= 8 {
		w.b = append(w.b, byte(w.acc>>(w.n-8)))
	}
}

// rice appends the Rice code of v with parameter k.
func (w *bitWriter) rice(v uint32, k int) {
	for q := v >> k; q > 0; {
		c := min(q, 32)
		w.put(1<<c-1, int(c))
		q -= c
	}
	w.put(0, 1)
	w.put(uint64(v), k)
}

func (w *bitWriter) flush() []byte {
	if w.n > 0 {
		w.b = append(w.b, byte(w.acc<<(8-w.n)))
	}
	return w.b
}

// marshalFull encodes f in the full encoding (byte 1), which UnmarshalBinary still reads:
//
//	encoding  byte (1)
//	hash      32 bytes
//	words     uvarint
//	shingles  uvarint count, then each shingle as a uvarint delta from the previous one
//	          (the first from 0; every later delta is at least 1)
//	marks     the same, for the marks
//	signature SignatureSize × uint32, little-endian
func (f *Fingerprint) marshalFull() []byte {
	b := make([]byte, 0, 1+32+5+5*(len(f.Shingles)+len(f.Marks))+10+4*SignatureSize)
	b = append(b, encodingFull)
	b = append(b, f.Hash[:]...)
	b = binary.AppendUvarint(b, uint64(f.Words))
	b = appendSet(b, f.Shingles)
	b = appendSet(b, f.Marks)
	for _, v := range f.Signature {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b
}

func appendSet(b []byte, s []uint32) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	prev := uint32(0)
	for _, v := range s {
		b = binary.AppendUvarint(b, uint64(v-prev))
		prev = v
	}
	return b
}

// UnmarshalBinary decodes a fingerprint encoded by MarshalBinary, in either encoding. It
// checks the structure (encoding, lengths, strictly increasing sets, marks among the
// shingles, no trailing bytes) but cannot check that the hash belongs to the shingles, nor,
// in the full encoding, the signature.
func (f *Fingerprint) UnmarshalBinary(data []byte) error {
	if len(data) == 0 {
		return errors.New("decode fingerprint: empty")
	}
	if data[0] != encodingFull && data[0] != encodingCompact {
		return fmt.Errorf("decode fingerprint: version %d: %w", data[0], ErrVersion)
	}
	d := decoder{b: data[1:]}
	var g Fingerprint
	copy(g.Hash[:], d.next(32))
	words := d.uvarint()
	if data[0] == encodingFull {
		g.Shingles = d.set("shingles")
		g.Marks = d.set("marks")
		for i := range g.Signature {
			if s := d.next(4); s != nil {
				g.Signature[i] = binary.LittleEndian.Uint32(s)
			}
		}
	} else {
		d.compact(&g)
	}
	if d.err != nil {
		return fmt.Errorf("decode fingerprint: %w", d.err)
	}
	if len(d.b) != 0 {
		return fmt.Errorf("decode fingerprint: %d trailing bytes", len(d.b))
	}
	if words > maxSetSize {
		return fmt.Errorf("decode fingerprint: %d words", words)
	}
	g.Words = int(words)
	if (g.Words == 0) != (len(g.Shingles) == 0) || len(g.Shingles) > g.Words {
		return fmt.Errorf("decode fingerprint: %d shingles for %d words", len(g.Shingles), g.Words)
	}
	if (len(g.Marks) == 0) != (len(g.Shingles) == 0) || !subset(g.Marks, g.Shingles) {
		return errors.New("decode fingerprint: marks are not shingles")
	}
	*f = g
	return nil
}

// decoder reads from b, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) next(n int) []byte {
	if d.err != nil {
		return nil
	}
	if len(d.b) < n {
		d.err = errors.New("truncated")
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errors.New("bad varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) set(name string) []uint32 {
	n := d.uvarint()
	if d.err != nil {
		return nil
	}
	// Every element takes at least one byte, which bounds the allocation by the input.
	if n > maxSetSize || n > uint64(len(d.b)) {
		d.err = fmt.Errorf("%s: count %d exceeds the data", name, n)
		return nil
	}
	if n == 0 {
		return nil
	}
	s := make([]uint32, n)
	var v uint64
	for i := range s {
		delta := d.uvarint()
		if d.err != nil {
			return nil
		}
		if i > 0 && delta == 0 {
			d.err = fmt.Errorf("%s: not increasing", name)
			return nil
		}
		if delta > 1<<32-1-v {
			d.err = fmt.Errorf("%s: value overflows 32 bits", name)
			return nil
		}
		v += delta
		s[i] = uint32(v)
	}
	return s
}

// compact reads the shingles, marks and signature of the compact encoding into g.
func (d *decoder) compact(g *Fingerprint) {
	n := d.uvarint()
	m := d.uvarint()
	if d.err != nil {
		return
	}
	// Every shingle takes at least one bit, and every mark a byte, which bounds the
	// allocations by the input.
	if n > maxSetSize || n > 8*uint64(len(d.b)) || m > n || m > uint64(len(d.b)) {
		d.err = fmt.Errorf("%d shingles, %d marks: counts exceed the data", n, m)
		return
	}
	pos := make([]uint64, m)
	p := uint64(0)
	for i := range pos {
		delta := d.uvarint()
		if d.err != nil {
			return
		}
		if delta >= n-p {
			d.err = errors.New("marks: position past the shingles")
			return
		}
		p += delta
		pos[i] = p
		p++
	}
	if n == 0 {
		g.Signature = signature(nil)
		return
	}
	k := d.next(2)
	if k == nil {
		return
	}
	if k[0] > 31 || k[1] > 31 {
		d.err = fmt.Errorf("rice parameters %d, %d", k[0], k[1])
		return
	}
	r := bitReader{b: d.b}
	g.Shingles = make([]uint32, n)
	var v uint64
	for i := range g.Shingles {
		delta, ok := r.rice(int(k[0]))
		if !ok {
			d.err = errors.New("shingles: truncated")
			return
		}
		if i > 0 {
			delta++
		}
		if delta > 1<<32-1-v {
			d.err = errors.New("shingles: value overflows 32 bits")
			return
		}
		v += delta
		g.Shingles[i] = uint32(v)
	}
	for i := range g.Signature {
		s, ok := r.rice(int(k[1]))
		if !ok || s > 1<<32-1 {
			d.err = errors.New("signature: truncated or overflows 32 bits")
			return
		}
		g.Signature[i] = uint32(s)
	}
	d.b = d.b[(r.at+7)/8:]
	if m > 0 {
		g.Marks = make([]uint32, m)
		for i, p := range pos {
			g.Marks[i] = g.Shingles[p]
		}
	}
}

// bitReader reads bits from b, most significant first; at is the next bit's position.
type bitReader struct {
	b  []byte
	at int
}

// window returns the bits from at, left-aligned, and how many of them are in b (0 to 64).
func (r *bitReader) window() (uint64, int) {
	i, off := r.at>>3, r.at&7
	if i+8 <= len(r.b) {
		return binary.BigEndian.Uint64(r.b[i:]) << off, 64 - off
	}
	var w uint64
	for j := range 8 {
		w <<= 8
		if i+j < len(r.b) {
			w |= uint64(r.b[i+j])
		}
	}
	return w << off, max(8*(len(r.b)-i)-off, 0)
}

// rice reads a Rice code of parameter k; false if b ends first. The value read may exceed
// 32 bits, for the caller to reject.
func (r *bitReader) rice(k int) (uint64, bool) {
	var q uint64
	for {
		w, valid := r.window()
		ones := bits.LeadingZeros64(^w)
		if ones < valid {
			q += uint64(ones)
			r.at += ones + 1
			break
		}
		if valid == 0 || q > 1<<32 {
			return 0, false
		}
		q += uint64(valid)
		r.at += valid
	}
	if k == 0 {
		return q, true
	}
	w, valid := r.window()
	if valid < k {
		return 0, false
	}
	r.at += k
	return q<<k | w>>(64-k), true
}

// subset reports whether every element of a is in b; both are increasing.
func subset(a, b []uint32) bool {
	j := 0
	for _, v := range a {
		for j < len(b) && b[j] < v {
			j++
		}
		if j == len(b) || b[j] != v {
			return false
		}
	}
	return true
}
