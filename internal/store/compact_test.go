package store

import (
	"bytes"
	"testing"
)

const releaseStatement = `{"office":"Ministry of Examples","reference":"MOE-2026-000123","subject":"Arrangements","class":"routine","tags":[],"addressees":["Ministry of Logistics"],"version":1,"version_digest":"sha256:7cb8492ce11ff07df8cab6174554faf212832e40309223b2c3352c1668c34a0b","file_digest":"sha256:7cb8492ce11ff07df8cab6174554faf212832e40309223b2c3352c1668c34a0b","media_type":"application/pdf","file_name":"letter.pdf","policy":"sha256:c537b6116e9b1781f31cbb92b7dd68eaa558fcf5a9ed4dc15522990196ce57e0","signatures":[{"signer":"sam","keyid":"ad0e228d8a7d6065cdc5a45fcccc9117a44f729baaea9427e2ffda576e9aff5e","sig":"xadleDUafT+98N08HftBYydd/20RwdpXrmb2qNd2uwPDpx80CuoE7iiq7fcyAzRhA5pjq2KqAn0Ce5iLTCu0BA=="}],"approvals":[{"member":"rita","role":"reviewer","time":"2026-11-30T11:09:21Z"}],"released_by":"olga","released_at":"2026-11-30T11:09:22Z"}`

// TestPackStatement: a release statement is stored shorter, and read back byte for byte; what
// is not JSON, or does not get shorter, is stored as it is.
func TestPackStatement(t *testing.T) {
	p := packStatement([]byte(releaseStatement))
	if p[0] != packedStatement || len(p) > len(releaseStatement)*3/4 {
		t.Errorf("a release statement of %d bytes packs to %d", len(releaseStatement), len(p))
	}
	for _, st := range []string{releaseStatement, "{}", "statement", "", "\x01not packed", "\x00"} {
		p := packStatement([]byte(st))
		got, err := unpackStatement(p)
		if err != nil || string(got) != st {
			t.Errorf("%q: read back %q, %v", st, got, err)
		}
	}
	if _, err := unpackStatement([]byte{packedStatement, 0xff, 0xff}); err == nil {
		t.Error("a corrupt packed statement reads without error")
	}
	// Inflaters are reused: one that has just failed reads the next statement right.
	for range 3 {
		unpackStatement([]byte{packedStatement, 0x05, 0xff})
		if got, err := unpackStatement(p); err != nil || string(got) != releaseStatement {
			t.Errorf("after a corrupt statement: read back %q, %v", got, err)
		}
	}
}

// FuzzPackStatement: every statement reads back as it was stored, and no stored bytes make
// unpacking panic.
func FuzzPackStatement(f *testing.F) {
	f.Add([]byte(releaseStatement))
	f.Add([]byte(`{"office":"o","keyid":"k","public_key":"AAAA","member":"m","time":"2026-01-01T00:00:00Z"}`))
	f.Add([]byte{packedStatement})
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := unpackStatement(packStatement(b))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%q: read back %q, %v", b, got, err)
		}
		unpackStatement(b)
	})
}

// BenchmarkUnpackStatement: reading back a stored release statement, as every public lookup
// of a released letter does with its opening.
func BenchmarkUnpackStatement(b *testing.B) {
	p := packStatement([]byte(releaseStatement))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := unpackStatement(p); err != nil {
			b.Fatal(err)
		}
	}
}
