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
	var digests []seal.Digest
	for i := range 200 {
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
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		st, err := o.r.verifyDigest(ctx, Actor{}, digests[i%len(digests)])
		if err != nil || st.Outcome != Valid || st.Seal == nil {
			b.Fatalf("%+v, %v", st, err)
		}
	}
}
