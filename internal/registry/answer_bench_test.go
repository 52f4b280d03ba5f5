package registry

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/seal"
)

// BenchmarkKeptAnswerUncached measures the public answer to a released file's digest from its
// kept row, as PublicVerify gives it when no answer is held in memory: the row with its seal's
// part, and the concatenation. The same 200 letters as BenchmarkVerifyDigestUncached, whose
// answer it replaces for letters that stand; BenchmarkVerifyDigestEncoded is that answer
// encoded, as the server wrote it.
//
//	go test ./internal/registry -run '^$' -bench 'KeptAnswerUncached|VerifyDigestEncoded' -benchtime 5000x
func BenchmarkKeptAnswerUncached(b *testing.B) {
	ctx := context.Background()
	o, digests := releasedForBench(b)
	benchKeptAnswers(ctx, b, o, digests)
}

// benchKeptAnswers reads and renders the kept answers of digests in turn, as the server does.
func benchKeptAnswers(ctx context.Context, b *testing.B, o *office, digests []seal.Digest) {
	office := o.r.officeJSON()
	buf := make([]byte, 0, 8<<10)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		a, err := o.r.cfg.DB.Answer(ctx, string(digests[i%len(digests)]))
		if err != nil {
			b.Fatal(err)
		}
		keys := o.r.keysAt(ctx, a.RevokedKeys)
		if buf, err = o.r.appendAnswer(ctx, buf[:0], a.Body, office, a.Checkpoint, a.KeyProofs, keys.added); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDigestEncoded(b *testing.B) {
	ctx := context.Background()
	o, digests := releasedForBench(b)
	buf := make([]byte, 0, 8<<10)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		st, err := o.r.verifyDigest(ctx, Actor{}, digests[i%len(digests)])
		if err != nil {
			b.Fatal(err)
		}
		if buf, err = AppendStatusJSON(buf[:0], st); err != nil {
			b.Fatal(err)
		}
	}
}

// releasedForBench releases 200 letters and returns their files' digests.
func releasedForBench(b *testing.B) (*office, []seal.Digest) {
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
	return o, digests
}
