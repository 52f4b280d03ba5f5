package registry

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/seal"
)

// BenchmarkVerifyDigestUncached measures the answer to a released file's digest as it is
// computed when the public cache does not hold it: the release row, the entry's opening, the
// statement, the seal with its inclusion proofs. 200 released letters, asked in turn.
//
//	go test ./internal/registry -run '^$' -bench VerifyDigestUncached -benchtime 20000x -count 5
func BenchmarkVerifyDigestUncached(b *testing.B) {
	ctx := context.Background()
	o := newOffice(b)
	digests := releasedDigests(b, o, 200)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		st, err := o.r.verifyDigest(ctx, Actor{}, digests[i%len(digests)])
		if err != nil || st.Outcome != Valid || st.Seal == nil {
			b.Fatalf("%+v, %v", st, err)
		}
	}
}

// BenchmarkVerifyLatest measures the answer `chancery verify` asks for (POST /api/v1/verify
// with "latest"), over the same 200 letters, the log grown past their kept seals: "proof" is
// what it was before the log's signed status (the public answer and the freshness proof),
// "status" what it is now (VerifyLatest: the same, the letter's state read again from the
// store, and the status signed).
//
//	go test ./internal/registry -run '^$' -bench VerifyLatest -benchtime 5000x -count 5
func BenchmarkVerifyLatest(b *testing.B) {
	ctx := context.Background()
	o := newOffice(b)
	digests := releasedDigests(b, o, 200)
	o.newKey(b, o.signer) // the log grows past the kept seals' tree
	b.Run("proof", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			st, err := o.r.VerifyDigest(ctx, Actor{}, digests[i%len(digests)])
			if err != nil || st.Seal == nil {
				b.Fatalf("%+v, %v", st, err)
			}
			if f, err := o.r.Freshness(ctx, st.Seal.Checkpoint); err != nil || len(f.Proof) == 0 {
				b.Fatalf("%+v, %v", f, err)
			}
		}
	})
	b.Run("status", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, f, err := o.r.VerifyLatest(ctx, Actor{}, digests[i%len(digests)]); err != nil || f == nil || len(f.Status) == 0 {
				b.Fatalf("%+v, %v", f, err)
			}
		}
	})
}

// releasedDigests releases n letters of a few bytes through the gate and returns their
// files' digests.
func releasedDigests(b *testing.B, o *office, n int) []seal.Digest {
	ctx := context.Background()
	var digests []seal.Digest
	for i := range n {
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: fmt.Sprintf("Letter %d", i), Class: "internal",
			Addressees: []string{"Registry"}, File: Upload{Name: "l.bin", MediaType: "application/octet-stream", Data: fmt.Appendf(nil, "letter %d", i)}})
		if err != nil {
			b.Fatal(err)
		}
		if err := o.r.Approve(ctx, o.reviewer, ref, "", ""); err != nil {
			b.Fatal(err)
		}
		st, err := o.r.SigningStatement(ctx, o.signer, ref)
		if err != nil {
			b.Fatal(err)
		}
		if err := o.r.Sign(ctx, o.signer, ref, o.keyID, st, ed25519.Sign(o.signerKey, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
			b.Fatal(err)
		}
		rel, err := o.r.Release(ctx, o.officer, ref)
		if err != nil {
			b.Fatal(err)
		}
		digests = append(digests, seal.DigestOf(rel.File))
	}
	return digests
}
