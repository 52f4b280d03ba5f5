package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// TestServeWarnsOfLookAlikeNames checks that serve's start warns of member names already
// stored that read as one another's (added before such names were refused), without naming
// them (the server's log keeps members' names out; the members page shows them), and logs
// nothing for an office without any.
func TestServeWarnsOfLookAlikeNames(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const origin = "cli.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close() })
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	reg := registry.New(registry.Config{DB: db, Log: lg, Office: registry.Office{Name: "CLI Office", Prefix: "CLI", URL: "https://cli.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin})
	if _, err := reg.Bootstrap(ctx, "root"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	warnLookAlikes(ctx, reg, slog.New(slog.NewTextHandler(&b, nil)))
	if b.Len() != 0 {
		t.Errorf("an office without look-alike names: logged %q", b.String())
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		for _, name := range []string{"rita", "r\u0456ta"} {
			_, hash := registry.NewToken()
			if _, err := tx.AddMember(ctx, name, []string{registry.RoleReviewer}, hash, time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	warnLookAlikes(ctx, reg, slog.New(slog.NewTextHandler(&b, nil)))
	// The warning says how many names, not which: the server's log keeps members' names out.
	if got := b.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "kind=member names=2") || strings.Contains(got, "rita") || strings.Contains(got, "r\u0456ta") {
		t.Errorf("logged %q, want a warning of two member names that names neither", got)
	}
}

// TestServeWarnsOfARefusedOfficeName: an office made before init refused names with
// bidirectional controls or invisible characters is served as it was (its seals and trust
// root carry the name), and serve's start says that init would refuse its name today.
func TestServeWarnsOfARefusedOfficeName(t *testing.T) {
	var b bytes.Buffer
	warnOfficeName(datadir.Settings{Office: "Task Force North", Prefix: "TFN"}, slog.New(slog.NewTextHandler(&b, nil)))
	if b.Len() != 0 {
		t.Errorf("an office with an acceptable name: logged %q", b.String())
	}
	warnOfficeName(datadir.Settings{Office: "Task Force \u202eNorth", Prefix: "TFN"}, slog.New(slog.NewTextHandler(&b, nil)))
	if got := b.String(); !strings.Contains(got, "level=WARN") || !strings.Contains(got, "right-to-left override") {
		t.Errorf("logged %q, want a warning naming the right-to-left override", got)
	}
}
