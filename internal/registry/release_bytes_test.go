package registry

import (
	"context"
	"database/sql"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/store"
)

// TestReleaseRefusesBytesThatAreNotTheVersion: what reviewers approved and signers signed is
// the version's digest; a release whose stored bytes no longer hash to it (a damaged store, or
// an erasure that emptied a file another letter shared, security.md item 83) is refused
// rather than logged and stamped as that version.
func TestReleaseRefusesBytesThatAreNotTheVersion(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	ref := o.letter(t, "Dear Minister,\n\nThe convoy leaves at dawn.")
	o.approve(t, ref)
	if err := o.sign(t, ref); err != nil {
		t.Fatal(err)
	}
	var digest string
	err := o.r.cfg.DB.View(ctx, func(tx *store.Tx) error {
		vs, err := tx.Versions(ctx, mustLetter(t, tx, ref).ID)
		if err == nil {
			digest = vs[len(vs)-1].Digest
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(o.dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	key, err := hex.DecodeString(strings.TrimPrefix(digest, "sha256:"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.ExecContext(ctx, `UPDATE blobs SET data = ? WHERE digest = ?`, []byte("Dear Minister,\n\nThe convoy leaves at noon."), key)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("damage the stored version: %d rows", n)
	}
	if rel, err := o.r.Release(ctx, o.officer, ref); err == nil || !strings.Contains(err.Error(), "not the one approved and signed") {
		t.Fatalf("release of bytes that are not the version: %v, %v", rel, err)
	}
}
