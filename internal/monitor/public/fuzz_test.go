package public_test

import (
	"encoding/json"
	"testing"

	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/monitor/public"
)

// FuzzDescribe reads entries as a log serves them, to anyone: Describe must not panic, and
// what it accepts is an entry of a known kind and version, with a JSON report.
func FuzzDescribe(f *testing.F) {
	for _, file := range []struct{ name, dir string }{{"seal-vectors-v2.txtar", "entries/"}, {"log-vectors.txtar", "valid/"}, {"log-vectors.txtar", "invalid/"}} {
		for _, e := range vectorEntries(f, file.name, file.dir) {
			f.Add(e)
		}
	}
	f.Add([]byte("chancery-entry v2 release\n{}"))
	f.Add([]byte(nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := public.Describe(7, data)
		if err != nil {
			if d != nil {
				t.Fatalf("Describe failed (%v) with a description", err)
			}
			return
		}
		if _, err := entry.Decode(data); err != nil {
			t.Fatalf("Describe accepted what entry.Decode refuses: %v", err)
		}
		if d.Index != 7 || !entry.Kind(d.Kind).Valid() || (d.Version != entry.V1 && d.Version != entry.V2) || d.EntryKeys == nil {
			t.Fatalf("Describe(%q) = %+v", data, d)
		}
		if _, err := json.Marshal(d); err != nil {
			t.Fatal(err)
		}
	})
}
