package cli_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/dsse"
	officepkg "github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
)

// TestServeErasesAgainADraftRestoredAfterItsErasure: a letter backed up while it was a draft,
// then released and erased, came back as that draft, subject, addressees and file, once the
// backup was restored and its shorter log accepted (log accept-restore): the record of erased
// releases named a release that log does not hold. The server records the erased letters too,
// by reference, creation time and first version, and at its next start erases the draft
// again, which can then be neither revised nor released.
func TestServeErasesAgainADraftRestoredAfterItsErasure(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	o := openReleasingOffice(t, dir, "")
	if _, err := o.release(); err != nil {
		t.Fatal(err)
	}
	const marker = "Jane Marker-Doe"
	file := []byte("Dear " + marker + ",\n\nyour file.\n")
	r := o.st.Registry
	ref, err := r.CreateLetter(ctx, o.drafter, registry.NewLetter{Subject: "The case of " + marker, Class: "internal",
		Addressees: []string{marker}, File: registry.Upload{Name: "jane.bin", MediaType: "application/octet-stream", Data: file}})
	if err != nil {
		t.Fatal(err)
	}
	o.st.Close()
	// The backup: the database while the letter was a draft.
	backup, err := os.ReadFile(filepath.Join(dir, store.SQLiteFile))
	if err != nil {
		t.Fatal(err)
	}

	d, err := datadir.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := officepkg.Open(ctx, d, officepkg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r = st.Registry
	if err := r.Approve(ctx, o.reviewer, ref, "", "ok"); err != nil {
		t.Fatal(err)
	}
	stmt, err := r.SigningStatement(ctx, o.signer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Sign(ctx, o.signer, ref, o.keyID, stmt, ed25519.Sign(o.key, dsse.PAE(seal.SigningPayloadType, stmt))); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Release(ctx, o.officer, ref); err != nil {
		t.Fatal(err)
	}
	if err := r.Erase(ctx, o.admin, ref, "personal data"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	// A server records the erasure.
	if out := serveLogs(t, "dispatch: posting webhook events", "--data", dir, "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve exited: %s", out)
	}

	// The backup is put back, and its shorter log accepted.
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(filepath.Join(dir, store.SQLiteFile+suffix))
	}
	if err := os.WriteFile(filepath.Join(dir, store.SQLiteFile), backup, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := run("log", "accept-restore", "--data", dir); code != 0 {
		t.Fatalf("accept-restore: %d %s %s", code, out, errOut)
	}
	if out := serveLogs(t, "dispatch: posting webhook events", "--data", dir, "--listen", "127.0.0.1:0"); out != "" {
		t.Fatalf("serve exited: %s", out)
	}

	st, err = officepkg.Open(ctx, d, officepkg.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.DB.View(ctx, func(tx *store.Tx) error {
		l, err := tx.LetterByRef(ctx, ref)
		if err != nil {
			return err
		}
		if l.Subject != "" || len(l.Addressees) != 0 {
			t.Errorf("the restored draft kept its subject %q and addressees %q", l.Subject, l.Addressees)
		}
		vs, err := tx.Versions(ctx, l.ID)
		if err != nil {
			return err
		}
		for _, v := range vs {
			b, err := tx.Blob(ctx, v.Digest)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			if len(b) != 0 || v.FileName != "" {
				t.Errorf("version %d kept its file %q (%d bytes)", v.N, v.FileName, len(b))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Registry.Release(ctx, o.officer, ref); err == nil || !strings.Contains(err.Error(), "was erased") {
		t.Errorf("release of the erased draft: %v", err)
	}
	rec, err := os.ReadFile(filepath.Join(dir, datadir.ErasedLettersFile))
	if err != nil || !strings.HasPrefix(string(rec), ref+" ") {
		t.Errorf("record of erased letters: %q, %v", rec, err)
	}
}
