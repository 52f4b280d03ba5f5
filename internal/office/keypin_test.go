package office_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
)

// TestOfficeKeyPinnedBeforeItsFirstRotation: until its first rotation an office took
// whatever key its key file or token held as its own (found by audit, forty-ninth session:
// a second token under the office token's label made the office sign with another key,
// served in its trust root as if it had always been the office's). The key it first opened
// with is recorded, and another is refused until a rotation retires it.
func TestOfficeKeyPinnedBeforeItsFirstRotation(t *testing.T) {
	t.Setenv("CHANCERY_STATE_DIR", t.TempDir())
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	initOffice(t, a)
	initOffice(t, b)
	_, closeA := open(t, a)
	closeA()
	other, err := os.ReadFile(filepath.Join(b, "office.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(a, "office.key"), other, 0o600); err != nil {
		t.Fatal(err)
	}
	d, err := datadir.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	st, err := office.Open(context.Background(), d)
	if err == nil {
		st.Close()
		t.Fatal("the office opened with another office's key in its key file")
	}
	if !strings.Contains(err.Error(), "is not the office's key") {
		t.Errorf("the refusal: %v", err)
	}
	// The office's own key opens it, and a rotation goes on as before.
	code, _, errs := chancery(t, "key", "rotate", "office", "--data", b, "--reason", "yearly")
	if code != 0 {
		t.Fatalf("rotation: exit %d\n%s", code, errs)
	}
	_, closeB := open(t, b)
	closeB()
}
