package registry

import (
	"context"
	"errors"
	"testing"

	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/store/storetest"
)

// postgresOffice is newOffice on a fresh PostgreSQL database.
func postgresOffice(t *testing.T) *office {
	t.Helper()
	db, err := store.OpenPostgres(context.Background(), storetest.PostgresSchemas(t)())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return officeOn(t, db)
}

// invalidUTF8NamesRefused checks that names that are not valid UTF-8 are refused as invalid
// before they reach the store: SQLite stored them, PostgreSQL refused them with an internal
// error, so the same request had two outcomes and an office on SQLite could not be migrated.
func invalidUTF8NamesRefused(t *testing.T, o *office) {
	ctx := context.Background()
	_, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "Repositioning of forces", Class: "internal",
		Addressees: []string{"Ministry"}, File: Upload{Name: "letter\xff.txt", Data: []byte("Dear Minister.")}})
	if !errors.Is(err, ErrInvalid) {
		t.Errorf("file name with invalid UTF-8: %v, want ErrInvalid", err)
	}
	if _, _, err := o.r.AddRecipient(ctx, o.admin, NewRecipient{Name: "embassy\xff", Emails: []string{"registry@embassy.example"}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("recipient name with invalid UTF-8: %v, want ErrInvalid", err)
	}
	if _, err := o.r.AddWebhook(ctx, o.admin, "hook\xff", "https://hooks.example/in"); !errors.Is(err, ErrInvalid) {
		t.Errorf("webhook name with invalid UTF-8: %v, want ErrInvalid", err)
	}
	if _, err := o.r.AddMember(ctx, o.admin, "ri\xffta", []string{RoleReviewer}); !errors.Is(err, ErrInvalid) {
		t.Errorf("member name with invalid UTF-8: %v, want ErrInvalid", err)
	}
}

func TestInvalidUTF8NamesRefused(t *testing.T) { invalidUTF8NamesRefused(t, newOffice(t)) }

func TestInvalidUTF8NamesRefusedPostgres(t *testing.T) { invalidUTF8NamesRefused(t, postgresOffice(t)) }
