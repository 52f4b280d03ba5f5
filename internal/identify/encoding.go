package identify

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Version is the first byte of an encoded fingerprint. It names the encoding and every
// parameter of the fingerprint (normalization, ShingleWords, WinnowWindow, the hash
// functions): fingerprints of different versions must not be compared, so a registry that
// finds an older version recomputes the fingerprint from the letter's text.
const Version = 1

// maxSetSize bounds the shingle count accepted when decoding: a megabyte of text.
const maxSetSize = 1 << 20

// ErrVersion reports an encoded fingerprint of another version.
var ErrVersion = errors.New("unsupported fingerprint version")

// MarshalBinary encodes f as:
//
//	version   byte (1)
//	hash      32 bytes
//	words     uvarint
//	shingles  uvarint count, then each shingle as a uvarint delta from the previous one
//	          (the first from 0; every later delta is at least 1)
//	marks     the same, for the marks
//	signature SignatureSize × uint32, little-endian
//
// A 564-word letter (the synthetic average) takes about 2.7 KB.
func (f *Fingerprint) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, 1+32+5+5*(len(f.Shingles)+len(f.Marks))+10+4*SignatureSize)
	b = append(b, Version)
	b = append(b, f.Hash[:]...)
	b = binary.AppendUvarint(b, uint64(f.Words))
	b = appendSet(b, f.Shingles)
	b = appendSet(b, f.Marks)
	for _, v := range f.Signature {
		b = binary.LittleEndian.AppendUint32(b, v)
	}
	return b, nil
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

// UnmarshalBinary decodes a fingerprint encoded by MarshalBinary. It checks the structure
// (version, lengths, strictly increasing sets, marks among the shingles, no trailing bytes)
// but cannot check that the hash and signature belong to the shingles.
func (f *Fingerprint) UnmarshalBinary(data []byte) error {
	if len(data) == 0 {
		return errors.New("decode fingerprint: empty")
	}
	if data[0] != Version {
		return fmt.Errorf("decode fingerprint: version %d: %w", data[0], ErrVersion)
	}
	d := decoder{b: data[1:]}
	var g Fingerprint
	copy(g.Hash[:], d.next(32))
	words := d.uvarint()
	g.Shingles = d.set("shingles")
	g.Marks = d.set("marks")
	for i := range g.Signature {
		if s := d.next(4); s != nil {
			g.Signature[i] = binary.LittleEndian.Uint32(s)
		}
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
