package web_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestLettersPageLeadsToOlderLetters checks that the letters page, which shows the newest
// letters of a listing, links to the next ones: an office of more letters than a page holds
// could not reach its older letters from the page but by guessing words.
func TestLettersPageLeadsToOlderLetters(t *testing.T) {
	o := newOffice(t, server.Config{})
	var refs []string // oldest first
	for i := range registry.DefaultListed + 2 {
		refs = append(refs, o.letter(fmt.Sprintf("Routine note %d", i), "# Note\n\nSir, the arrangements are confirmed.\n"))
	}
	c := o.client()
	c.signIn("rita")
	older := regexp.MustCompile(`<a href="([^"]*)" rel="next">Older letters</a>`)
	seen := map[string]int{}
	for _, page := range []string{"/letters", "/letters?q=routine+note&state=draft"} {
		clear(seen)
		next := page
		for pages := 0; next != ""; pages++ {
			if pages > 3 {
				t.Fatalf("%s: more pages than letters call for", page)
			}
			resp, body := c.get(next)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: %s", next, resp.Status)
			}
			for _, ref := range refs {
				if strings.Contains(body, `href="/letters/`+ref+`"`) {
					seen[ref]++
				}
			}
			next = ""
			if m := older.FindStringSubmatch(body); m != nil {
				next = html.UnescapeString(m[1])
				if page != "/letters" && !strings.Contains(next, "q=routine+note") {
					t.Errorf("the link to older letters drops the search: %s", next)
				}
			}
		}
		for _, ref := range refs {
			if seen[ref] != 1 {
				t.Errorf("%s: %s listed %d times across the pages, want once", page, ref, seen[ref])
			}
		}
	}
}
