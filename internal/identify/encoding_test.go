package identify

import (
	"encoding/binary"
	"errors"
	"reflect"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

func encoded(t testing.TB, text string) []byte {
	b, err := Compute(text).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEncodingRoundTrip(t *testing.T) {
	c := synth.Corpus{Seed: 1, FamilySize: 2}
	for _, text := range []string{"", "one", "one two three", c.Letter(0).Text(), c.Letter(1).Text(), c.Letter(2).Text()} {
		want := Compute(text)
		b, err := want.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		// Fingerprints stored before the compact encoding read as they were.
		full := want.marshalFull()
		if long := len(want.Shingles) > 10; long && (b[0] != encodingCompact || len(b) >= len(full)) || !long && len(b) > len(full) {
			t.Errorf("%.20q: encoding %d of %d bytes, full %d", text, b[0], len(b), len(full))
		}
		for _, enc := range [][]byte{b, full} {
			var got Fingerprint
			if err := got.UnmarshalBinary(enc); err != nil {
				t.Fatalf("%.20q, encoding %d: %v", text, enc[0], err)
			}
			if !reflect.DeepEqual(&got, want) {
				t.Fatalf("%.20q, encoding %d: round trip changed the fingerprint", text, enc[0])
			}
		}
	}
}

// TestEncodingRiceParameters round-trips sets whose deltas need every Rice parameter, from
// dense sets (k = 0) to a single large value.
func TestEncodingRiceParameters(t *testing.T) {
	seen := map[byte]bool{}
	for _, step := range []uint32{1, 2, 3, 5, 100, 1 << 10, 1<<16 + 3, 1 << 24, 1 << 28, 1<<31 + 1} {
		for _, n := range []int{1, 2, 7, 8, 9, 300} {
			var fp Fingerprint
			for i := range n {
				v := uint64(step)*uint64(i) + uint64(i%2)*uint64(step/2)
				if v > 1<<32-1 {
					break
				}
				fp.Shingles = append(fp.Shingles, uint32(v))
			}
			fp.Words = len(fp.Shingles) + 2
			fp.Marks = []uint32{fp.Shingles[len(fp.Shingles)-1]}
			fp.Signature = signature(fp.Shingles)
			b, ok := fp.marshalCompact()
			if !ok {
				t.Fatalf("step %d, %d shingles: no compact encoding", step, n)
			}
			seen[b[1+32+1+binary.PutUvarint(make([]byte, 10), uint64(len(fp.Shingles)))+1+1]] = true
			var got Fingerprint
			if err := got.UnmarshalBinary(b); err != nil {
				t.Fatalf("step %d, %d shingles: %v", step, n, err)
			}
			if !reflect.DeepEqual(got, fp) {
				t.Fatalf("step %d, %d shingles: round trip changed the fingerprint", step, n)
			}
		}
	}
	if !seen[0] || len(seen) < 8 {
		t.Fatalf("Rice parameters used: %v", seen)
	}
}

// TestEncodingKeepsOthers checks that fingerprints not made by Compute read back as they
// were: a signature that is not the shingles' in the compact encoding, and a signature
// without shingles in the full one.
func TestEncodingKeepsOthers(t *testing.T) {
	fp := Compute("I have the honour to inform you that the treaty was ratified.")
	fp.Signature[3]++
	empty := Compute("")
	empty.Signature[0] = 7
	// Marks not increasing: kept in the full encoding, which does not decode.
	dup := Compute("I have the honour to inform you that the treaty was ratified.")
	dup.Marks = append(dup.Marks, dup.Marks[len(dup.Marks)-1])
	if b, err := dup.MarshalBinary(); err != nil || b[0] != encodingFull {
		t.Fatalf("repeated mark: encoding %d, %v; want the full one", b[0], err)
	}
	for _, c := range []struct {
		fp       *Fingerprint
		encoding byte
	}{{fp, encodingCompact}, {empty, encodingFull}} {
		b, err := c.fp.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if b[0] != c.encoding {
			t.Fatalf("encoding %d, want %d", b[0], c.encoding)
		}
		var got Fingerprint
		if err := got.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(&got, c.fp) {
			t.Fatalf("encoding %d: round trip changed the fingerprint", b[0])
		}
	}
}

func TestEncodingRejects(t *testing.T) {
	letter := Compute(synth.Corpus{Seed: 1, FamilySize: 1}.Letter(0).Text())
	compact := encoded(t, synth.Corpus{Seed: 1, FamilySize: 1}.Letter(0).Text())
	var fp Fingerprint
	for _, good := range [][]byte{compact, letter.marshalFull()} {
		for n := range len(good) {
			if err := fp.UnmarshalBinary(good[:n]); err == nil {
				t.Fatalf("encoding %d truncated to %d bytes: no error", good[0], n)
			}
		}
		if err := fp.UnmarshalBinary(append(good[:len(good):len(good)], 0)); err == nil {
			t.Fatalf("encoding %d, trailing byte: no error", good[0])
		}
		for _, v := range []byte{0, 3} {
			bad := append([]byte{v}, good[1:]...)
			if err := fp.UnmarshalBinary(bad); !errors.Is(err, ErrVersion) {
				t.Fatalf("version %d: %v, want ErrVersion", v, err)
			}
		}
	}
	// The compact encoding: a mark's position past the last shingle (after encoding, hash,
	// words 5, 3 shingles and 1 mark).
	short := encoded(t, "alpha beta gamma delta epsilon")
	past := append([]byte(nil), short...)
	if i := 1 + 32 + 1; past[i] != 3 || past[i+1] != 1 {
		t.Fatalf("%d shingles, %d marks; want 3 and 1", past[i], past[i+1])
	}
	past[1+32+1+1+1] = 3
	if err := fp.UnmarshalBinary(past); err == nil {
		t.Fatal("mark past the shingles: no error")
	}
	// The full encoding: a repeated shingle, the second delta (just after hash, words and
	// count) set to 0.
	dup := Compute("alpha beta gamma delta epsilon").marshalFull()
	i := 1 + 32 + 1 + 1 // version, hash, words (5), count (3)
	for dup[i]&0x80 != 0 {
		i++
	}
	dup[i+1] = 0
	if err := fp.UnmarshalBinary(dup); err == nil {
		t.Fatal("repeated shingle: no error")
	}
}

// FuzzUnmarshal checks that decoding arbitrary bytes returns an error or a fingerprint that
// encodes and decodes to itself, and never panics.
func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{Version})
	f.Add(encoded(f, ""))
	f.Add(encoded(f, "one two"))
	f.Add(encoded(f, "I have the honour to inform you that the treaty was ratified."))
	f.Add(encoded(f, synth.Corpus{Seed: 1, FamilySize: 1}.Letter(0).Text()))
	f.Add(Compute("one two").marshalFull())
	f.Add(Compute(synth.Corpus{Seed: 1, FamilySize: 1}.Letter(0).Text()).marshalFull())
	f.Fuzz(func(t *testing.T, data []byte) {
		var fp Fingerprint
		if err := fp.UnmarshalBinary(data); err != nil {
			return
		}
		b, err := fp.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var again Fingerprint
		if err := again.UnmarshalBinary(b); err != nil {
			t.Fatalf("re-encoded fingerprint does not decode: %v", err)
		}
		if !reflect.DeepEqual(fp, again) {
			t.Fatal("re-encoding changed the fingerprint")
		}
	})
}
