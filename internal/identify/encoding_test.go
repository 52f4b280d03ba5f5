package identify

import (
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
	for _, text := range []string{"", "one", c.Letter(0).Text(), c.Letter(1).Text()} {
		want := Compute(text)
		b, err := want.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got Fingerprint
		if err := got.UnmarshalBinary(b); err != nil {
			t.Fatalf("%.20q: %v", text, err)
		}
		if !reflect.DeepEqual(&got, want) {
			t.Fatalf("%.20q: round trip changed the fingerprint", text)
		}
	}
}

func TestEncodingRejects(t *testing.T) {
	good := encoded(t, synth.Corpus{Seed: 1, FamilySize: 1}.Letter(0).Text())
	var fp Fingerprint
	for n := range len(good) {
		if err := fp.UnmarshalBinary(good[:n]); err == nil {
			t.Fatalf("truncated to %d bytes: no error", n)
		}
	}
	if err := fp.UnmarshalBinary(append(good[:len(good):len(good)], 0)); err == nil {
		t.Fatal("trailing byte: no error")
	}
	bad := append([]byte{2}, good[1:]...)
	if err := fp.UnmarshalBinary(bad); !errors.Is(err, ErrVersion) {
		t.Fatalf("version 2: %v, want ErrVersion", err)
	}
	// A repeated shingle: the second delta (just after hash, words and count) set to 0.
	short := encoded(t, "alpha beta gamma delta epsilon")
	dup := append([]byte(nil), short...)
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
