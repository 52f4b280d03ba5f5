package registry

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/seal"
)

// BenchmarkReleaseOctetStream100KB measures Release of an approved and signed letter whose file
// is 100 KB of no known type (application/octet-stream): its release is the cover letter with
// the file attached, stamped (issue 13), and signed with the office's PDF certificate in
// pdf-signed. Creating, approving and signing are outside the timer.
//
//	go test ./internal/registry -run '^$' -bench ReleaseOctetStream100KB -benchtime 20x -count 3
func BenchmarkReleaseOctetStream100KB(b *testing.B) {
	b.Run("unsigned", func(b *testing.B) { benchRelease100KB(b, false) })
	b.Run("pdf-signed", func(b *testing.B) { benchRelease100KB(b, true) })
}

func benchRelease100KB(b *testing.B, pdfSigned bool) {
	ctx := context.Background()
	o := newOffice(b)
	if pdfSigned {
		s := officecatest.Signer(b, "Task Force North")
		o.r.cfg.PDFSigner = s
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		data := blob(100 << 10)
		data[1] = byte(i) // no two letters share bytes
		data[2] = byte(i >> 8)
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: fmt.Sprintf("Letter %d", i), Class: "internal",
			Addressees: []string{"Registry"}, File: Upload{Name: "data.bin", MediaType: "application/octet-stream", Data: data}})
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
		b.StartTimer()
		if _, err := o.r.Release(ctx, o.officer, ref); err != nil {
			b.Fatal(err)
		}
	}
}
