package cli_test

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
)

// TestLetterListPutsAPartialSearchTogether: a search that the registry answers in parts (each
// spent its time budget, registry.SearchBudget) is put together by `letter list`, whose list
// is whole, as it was before searches had a budget, in text and in JSON. The registry's clock
// moves three seconds at each reading once the letters are made.
func TestLetterListPutsAPartialSearchTogether(t *testing.T) {
	o := newOffice(t)
	var want []string
	for i := range 6 {
		body := "# Note\n\nSir, the arrangements are confirmed.\n"
		if i%2 == 0 {
			body = "# Note\n\nSir, the zanzibarian arrangements are confirmed.\n"
		}
		ref := o.letter("Routine note", "internal", body)
		if i%2 == 0 {
			want = append([]string{ref}, want...)
		}
	}
	var mu sync.Mutex
	now, readings := time.Now(), 0
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		readings++
		now = now.Add(3 * time.Second)
		return now
	}
	o.clock.Store(&clock)

	code, out, errs := o.run("rita", "letter", "list", "--search", "zanzibarian", "--json")
	if code != cli.ExitOK {
		t.Fatalf("letter list: %d\n%s", code, errs)
	}
	var l struct {
		Letters []struct {
			Reference string `json:"reference"`
		} `json:"letters"`
		Truncated bool `json:"truncated"`
		Partial   bool `json:"partial"`
	}
	if err := json.Unmarshal([]byte(out), &l); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, x := range l.Letters {
		got = append(got, x.Reference)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || l.Truncated || l.Partial {
		t.Errorf("letter list --json: %v truncated %v partial %v, want %v whole", got, l.Truncated, l.Partial, want)
	}
	mu.Lock()
	if readings < 6 {
		t.Errorf("the clock was read %d times: the search was not answered in parts", readings)
	}
	mu.Unlock()

	code, out, errs = o.run("rita", "letter", "list", "--search", "zanzibarian")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); code != cli.ExitOK || len(lines) != len(want)+1 || strings.Contains(errs, "showing the newest") {
		t.Errorf("letter list: %d\n%s\n%s", code, out, errs)
	}
}
