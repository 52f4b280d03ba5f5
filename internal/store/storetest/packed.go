package storetest

import (
	"context"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// testPackedOpenings checks that statements of every shape, stored deflated or as they are
// (issue 19 item 5), read back byte for byte: the log entry's commitment covers those bytes.
func testPackedOpenings(t *testing.T, db *store.DB) {
	statements := []string{
		`{"office":"Ministry of Examples","reference":"MOE-2026-000123","subject":"Arrangements","class":"routine","tags":[],"addressees":["Ministry of Logistics"],"version":1,"version_digest":"sha256:7cb8492ce11ff07df8cab6174554faf212832e40309223b2c3352c1668c34a0b","file_digest":"sha256:7cb8492ce11ff07df8cab6174554faf212832e40309223b2c3352c1668c34a0b","media_type":"application/pdf","file_name":"letter.pdf","policy":"sha256:c537b6116e9b1781f31cbb92b7dd68eaa558fcf5a9ed4dc15522990196ce57e0","signatures":[{"signer":"sam","keyid":"ad0e228d8a7d6065cdc5a45fcccc9117a44f729baaea9427e2ffda576e9aff5e","sig":"xadleDUafT+98N08HftBYydd/20RwdpXrmb2qNd2uwPDpx80CuoE7iiq7fcyAzRhA5pjq2KqAn0Ce5iLTCu0BA=="}],"approvals":[{"member":"rita","role":"reviewer","time":"2026-11-30T11:09:21Z"}],"released_by":"olga","released_at":"2026-11-30T11:09:22Z"}`,
		`{}`, "not json", "\x00", "\x01\x02",
	}
	update(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, st := range statements {
			if err := tx.PutOpening(ctx, int64(100+i), []byte("salt"), []byte(st)); err != nil {
				return err
			}
		}
		return nil
	})
	view(t, db, func(ctx context.Context, tx *store.Tx) error {
		for i, want := range statements {
			salt, st, err := tx.Opening(ctx, int64(100+i))
			if err != nil || string(salt) != "salt" || string(st) != want {
				t.Errorf("opening %d: %q %q %v, want %q", 100+i, salt, st, err, want)
			}
		}
		return nil
	})
}
