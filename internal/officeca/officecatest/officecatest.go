// Package officecatest gives tests an office CA's signer without ceremony.
package officecatest

import (
	"testing"
	"time"

	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/pdf"
)

// Signer returns the signer of a new CA for office, made in a temporary directory that the
// test removes when it ends.
func Signer(t testing.TB, office string) *pdf.Signer {
	t.Helper()
	dir := t.TempDir()
	if err := officeca.Create(dir, office, time.Now()); err != nil {
		t.Fatal(err)
	}
	s, err := officeca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
