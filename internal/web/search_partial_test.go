package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestLettersPageGoesOnWithAPartialSearch checks that a search that spent its time budget
// (registry.SearchBudget) says so on the letters page, rather than "No letter matches.", with
// the letter where it stopped in a bdi element (not its markup shown as text), and
// links to the rest of the search, which finds every matching letter once. The registry's
// clock moves three seconds at each reading once the letters are made, so the budget is spent
// at the third.
func TestLettersPageGoesOnWithAPartialSearch(t *testing.T) {
	var mu sync.Mutex
	var stepping bool
	var now time.Time
	o := newOffice(t, server.Config{}, func(c *registry.Config) {
		c.Now = func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			if !stepping {
				return time.Now()
			}
			now = now.Add(3 * time.Second)
			return now
		}
	})
	var want []string
	for i := range 6 {
		body := "# Note\n\nSir, the arrangements are confirmed.\n"
		if i%2 == 0 {
			body = "# Note\n\nSir, the zanzibarian arrangements are confirmed.\n"
		}
		ref := o.letter("Routine note", body)
		if i%2 == 0 {
			want = append(want, ref)
		}
	}
	c := o.client()
	c.signIn("rita")
	mu.Lock()
	stepping, now = true, time.Now()
	mu.Unlock()

	older := regexp.MustCompile(`<a href="([^"]*)" rel="next">Search older letters</a>`)
	seen := map[string]int{}
	next, partial := "/letters?q=zanzibarian", 0
	for pages := 0; next != ""; pages++ {
		if pages > 10 {
			t.Fatal("more pages than letters call for")
		}
		resp, body := c.get(next)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", next, resp.Status)
		}
		for _, ref := range want {
			if strings.Contains(body, `href="/letters/`+ref+`"`) {
				seen[ref]++
			}
		}
		next = ""
		if m := older.FindStringSubmatch(body); m != nil {
			partial++
			next = html.UnescapeString(m[1])
			if !strings.Contains(body, "The search stopped after letter <bdi>") || strings.Contains(body, "&lt;bdi&gt;") {
				t.Errorf("a partial answer does not say so, or shows its markup as text:\n%s", body)
			}
			if strings.Contains(body, "No letter matches.") {
				t.Errorf("a partial answer says no letter matches")
			}
			if !strings.Contains(next, "q=zanzibarian") {
				t.Errorf("the link to the rest drops the search: %s", next)
			}
		}
	}
	if partial == 0 {
		t.Error("no answer was partial: the budget was not spent")
	}
	for _, ref := range want {
		if seen[ref] != 1 {
			t.Errorf("%s listed %d times across the pages, want once", ref, seen[ref])
		}
	}
}
