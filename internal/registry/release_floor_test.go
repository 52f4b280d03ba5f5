package registry

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/officeca/officecatest"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/chancery/chancery/internal/seal"
)

// BenchmarkReleaseFloor measures, on one core, the work a letter's life cannot do without
// (issue 19 item 4): what bounds letters/s whatever the store and the HTTP layer cost.
// "pdf" is the release of a 300-byte text letter, laid out on the letterhead with its footer
// and QR code and signed with the office's PDF certificate (ECDSA P-256) in one pass
// (pdf.RenderRelease, as Release does). "crypto" is the SHA-256 of the upload and of the
// released file, the Ed25519 verification of the signer's signature (Sign), and the office's
// two Ed25519 signatures (the release entry, and a checkpoint, which a batch of releases
// shares, counted whole). "floor" is both. "text" is what every release also does for
// identification, reading the released file's text and fingerprinting it (pdf.ReleasedText),
// "text-laid" the same from the text the layout gathered (laidOutFingerprint, what Release
// does since), and "text-pdfcpu" the same through pdfcpu's read and rewrite, as before;
// "floor+text" is the floor and "text".
//
//	go test ./internal/registry -run '^$' -bench ReleaseFloor -benchtime 2000x -count 3 -cpu 1
func BenchmarkReleaseFloor(b *testing.B) {
	signer := officecatest.Signer(b, "Write Benchmark Office")
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	signerPub, signerKey, _ := ed25519.GenerateKey(rand.Reader)
	const line = "The arrangements of the meeting are confirmed.\n"
	body := []byte(strings.Repeat(line, 300/len(line)+1)[:300])
	statement := []byte(strings.Repeat("s", 700)) // a signing statement's size
	sig := ed25519.Sign(signerKey, dsse.PAE(seal.SigningPayloadType, statement))
	entry := []byte(strings.Repeat("e", 900)) // a release record's size
	checkpoint := []byte("Write Benchmark Office/log\n123456\n" + strings.Repeat("h", 44) + "\n")
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	release := func(i int) []byte {
		ref := fmt.Sprintf("WRB-2026-%06d", i)
		h := pdf.Letterhead{Office: "Write Benchmark Office", Reference: ref, Subject: fmt.Sprintf("Arrangements %d", i),
			Date: at, Addressees: []string{"Ministry of Logistics"}, Signatories: []string{"bench-signer"}}
		f := pdf.Footer{Office: h.Office, Reference: ref, Released: at,
			VerifyURL: "http://127.0.0.1:8383/v/" + ref + "/" + newCheckCode()}
		doc, err := pdf.RenderRelease("text/plain", body, h, f, signer)
		if err != nil {
			b.Fatal(err)
		}
		return doc
	}
	crypto := func(doc []byte) {
		sha256.Sum256(body)
		sha256.Sum256(doc)
		if !ed25519.Verify(signerPub, dsse.PAE(seal.SigningPayloadType, statement), sig) {
			b.Fatal("signature")
		}
		ed25519.Sign(officeKey, dsse.PAE("application/vnd.chancery.release.v2+json", entry))
		ed25519.Sign(officeKey, checkpoint)
	}
	doc := release(0)
	text, err := pdf.ReleasedText(doc)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("pdf", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			release(i)
		}
	})
	b.Run("crypto", func(b *testing.B) {
		for b.Loop() {
			crypto(doc)
		}
	})
	b.Run("floor", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			crypto(release(i))
		}
	})
	b.Run("text", func(b *testing.B) {
		for b.Loop() {
			releasedFingerprint("text/plain", "application/pdf", doc)
		}
	})
	b.Run("text-laid", func(b *testing.B) {
		rel := &pdf.Release{Doc: doc, Text: text, HasText: true}
		for b.Loop() {
			laidOutFingerprint("text/plain", "application/pdf", rel)
		}
	})
	b.Run("text-pdfcpu", func(b *testing.B) {
		for b.Loop() {
			fingerprint("application/pdf", doc)
		}
	})
	b.Run("floor+text", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			d := release(i)
			crypto(d)
			if _, _, err := releasedFingerprint("text/plain", "application/pdf", d); err != nil {
				b.Fatal(err)
			}
		}
	})
}
