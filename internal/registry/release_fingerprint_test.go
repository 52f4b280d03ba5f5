package registry

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// TestReleasedFingerprintIsThePDFs checks that the fingerprint stored for a released text
// letter and for a released enclosure, now read from the laid-out release as it stands, is
// the one fingerprint computes from the released PDF through pdfcpu, as before:
// identification of the released file, of its text or of a copy is unchanged.
func TestReleasedFingerprintIsThePDFs(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	body := strings.Repeat("Dear Minister, the repositioning of forces in sector four follows the agreed plan. ", 12)
	for _, up := range []Upload{
		{Name: "letter.txt", MediaType: "text/plain", Data: []byte(body)},
		{Name: "data.bin", MediaType: "application/octet-stream", Data: bytes.Repeat([]byte{0, 1, 2, 3, 250}, 60)},
	} {
		ref, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "internal",
			Addressees: []string{"Registry"}, File: up})
		if err != nil {
			t.Fatal(err)
		}
		if err := o.r.Approve(ctx, o.reviewer, ref, "", ""); err != nil {
			t.Fatal(err)
		}
		st, err := o.r.SigningStatement(ctx, o.signer, ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := o.r.Sign(ctx, o.signer, ref, o.keyID, st, ed25519.Sign(o.signerKey, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
			t.Fatal(err)
		}
		rel, err := o.r.Release(ctx, o.officer, ref)
		if err != nil {
			t.Fatal(err)
		}
		_, want, err := fingerprint(rel.MediaType, rel.File)
		if err != nil || want == nil {
			t.Fatalf("%s: the release's own fingerprint: %v, %d bytes", up.MediaType, err, len(want))
		}
		l := o.letterRow(t, ref)
		var got []byte
		err = o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
			ids, err := tx.FingerprintIDs(ctx, l.ID)
			if err != nil {
				return err
			}
			rows, err := tx.FingerprintsByID(ctx, ids)
			for _, f := range rows {
				if f.Released {
					got = f.Data
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: stored released fingerprint (%d bytes) is not the released PDF's (%d bytes)", up.MediaType, len(got), len(want))
		}
	}
}
