package office_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/datadir"
	"github.com/chancery/chancery/internal/office"
	"github.com/chancery/chancery/internal/registry"
)

// TestPublicIdentificationWaitsOutItsFloor: an office opened for serving answers the public's
// identification of a text no sooner than 20 ms after it was asked, whatever the text: the
// released letters a text shares a few words with are read from the store even when the
// answer names none, and the time that took told whether a sentence stood in one.
func TestPublicIdentificationWaitsOutItsFloor(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "office")
	d, _, err := office.Init(ctx, dir, datadir.Settings{Office: "Floor Office", Prefix: "FLO", Origin: "floor.example/log", URL: "https://floor.example"}, "admin", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := office.Open(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	const floor = 20 * time.Millisecond
	for _, text := range []string{
		"We will share the schedule with your liaison officers one week before each movement.",
		"The weather in the capital was mild for the season and the markets opened on time.",
	} {
		start := time.Now()
		id, err := st.Registry.Identify(ctx, registry.Actor{Remote: "192.0.2.1:1234"}, text)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if id.Outcome != registry.Unknown {
			t.Fatalf("%q: %s, want unknown", text, id.Outcome)
		}
		if took < floor {
			t.Errorf("%q answered to the public after %v, before the floor of %v", text, took, floor)
		}
	}
}
