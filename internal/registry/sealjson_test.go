package registry

import (
	"bytes"
	"context"
	"encoding/binary"
	"testing"

	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/tlog"
)

// TestSealJSONOfKeptSeals checks that a lookup's kept seal, put together from the store's
// parts and written by appendSealJSON, is the seal the release handed out, byte for byte.
func TestSealJSONOfKeptSeals(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	// Two signer keys, so that the seal carries two key entries.
	key2, id2 := o.newKey(t, o.signer)
	for i, body := range []string{"Sir, one signer.\n", "Sir, two keys.\n"} {
		ref := o.letter(t, body)
		o.approve(t, ref)
		if err := o.sign(t, ref); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if err := o.signAs(t, o.signer, key2, id2, ref); err != nil {
				t.Fatal(err)
			}
		}
		rel, err := o.r.Release(ctx, o.officer, ref)
		if err != nil {
			t.Fatal(err)
		}
		want := rel.Seal.Marshal()
		if got := appendSealJSON(nil, rel.Seal); !bytes.Equal(got, want) {
			t.Fatalf("letter %d: appendSealJSON:\n%s\nMarshal:\n%s", i, got, want)
		}
		o.r.public.changed()
		st, err := o.r.VerifyDigest(ctx, Actor{}, seal.DigestOf(rel.File))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(st.SealJSON, want) || len(st.Seal.Keys) != i+1 {
			t.Fatalf("letter %d: the answer's kept seal (%d keys):\n%s\nwant:\n%s", i, len(st.Seal.Keys), st.SealJSON, want)
		}
		if size := sealJSONSize(st.Seal); size < len(want) {
			t.Errorf("letter %d: sealJSONSize %d for a seal of %d bytes", i, size, len(want))
		}
	}
	// Seals kept before openings (version 1 entries) have no openings: a version 1 seal.
	v1 := &seal.Seal{Checkpoint: []byte("o\n1\nroot\n\n— o sig\n"), Release: seal.LoggedEntry{Index: 0, Entry: []byte("e")},
		Keys: []seal.LoggedEntry{{Index: 1, Entry: []byte("k"), Proof: tlog.RecordProof{{1}}}}}
	if got, want := appendSealJSON(nil, v1), v1.Marshal(); !bytes.Equal(got, want) {
		t.Fatalf("version 1 seal: appendSealJSON:\n%s\nMarshal:\n%s", got, want)
	}
}

// FuzzSealJSON checks that appendSealJSON writes what seal.Marshal writes, for any checkpoint
// text (escapes, invalid UTF-8, U+2028), entries, proofs and openings.
func FuzzSealJSON(f *testing.F) {
	f.Add([]byte("example.org/log\n42\nroot\n\n— example.org/log sig\n"), []byte("entry"), uint8(3), uint8(0b101), uint8(2))
	f.Add([]byte("a\"b\\c\x00\x1f\x7f<&>\u2028\u2029\xff\xfe\b\f\r\t"), []byte{}, uint8(0), uint8(0), uint8(0))
	f.Add([]byte(""), []byte{0xff}, uint8(1), uint8(0b11), uint8(1))
	f.Fuzz(func(t *testing.T, checkpoint, entry []byte, proofs, openings, keys uint8) {
		proof := func(n uint8) tlog.RecordProof {
			p := make(tlog.RecordProof, n%20)
			for i := range p {
				binary.BigEndian.PutUint64(p[i][:], uint64(i)*0x9e3779b97f4a7c15)
			}
			return p
		}
		opening := func(bit int) *seal.Opening {
			if openings>>bit&1 == 0 {
				return nil
			}
			return &seal.Opening{Salt: bytes.Repeat([]byte{byte(bit)}, 32), Statement: append([]byte(`{"x":"`), entry...)}
		}
		s := &seal.Seal{Checkpoint: checkpoint, Release: seal.LoggedEntry{Index: int64(len(entry)), Entry: entry, Proof: proof(proofs), Opening: opening(0)}}
		if proofs&1 == 1 {
			s.Release.Entry = nil
		}
		for i := range int(keys % 4) {
			s.Keys = append(s.Keys, seal.LoggedEntry{Index: int64(i) << 40, Entry: checkpoint, Proof: proof(proofs + uint8(i)), Opening: opening(i + 1)})
		}
		want := s.Marshal()
		got := appendSealJSON(nil, s)
		if !bytes.Equal(got, want) {
			t.Fatalf("appendSealJSON:\n%q\nMarshal:\n%q", got, want)
		}
		if size := sealJSONSize(s); size < len(want) {
			t.Fatalf("sealJSONSize %d for a seal of %d bytes", size, len(want))
		}
	})
}
