package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
)

// TestSearchKeepsTheContractOfOlderClients: GET /api/v1/letters without partial=1 (a client
// or a script from before partial answers, which go on from the last letter listed while the
// answer is truncated) never answers a search truncated with no letter, which such a
// `letter list` printed as "no letters match" and which left such a script no letter to go on
// from; with partial=1 (the letter list of today, the web page) the answer may list none. The
// three newest letters do not match, and the registry's clock moves three seconds at each
// reading once the letters are made.
func TestSearchKeepsTheContractOfOlderClients(t *testing.T) {
	o := newOffice(t)
	var want []string
	for i := range 6 {
		body := "# Note\n\nSir, the arrangements are confirmed.\n"
		if i < 3 {
			body = "# Note\n\nSir, the zanzibarian arrangements are confirmed.\n"
		}
		ref := o.letter("Routine note", "internal", body)
		if i < 3 {
			want = append([]string{ref}, want...)
		}
	}
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(3 * time.Second)
		return now
	}
	o.clock.Store(&clock)

	type answer struct {
		Letters []struct {
			Reference string `json:"reference"`
		} `json:"letters"`
		Truncated bool   `json:"truncated"`
		Partial   bool   `json:"partial"`
		Next      string `json:"next_before"`
	}
	get := func(q url.Values) answer {
		t.Helper()
		req, err := http.NewRequest("GET", o.url+"/api/v1/letters?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+o.tokens["rita"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var a answer
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %s", q.Encode(), resp.Status)
		}
		if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
		return a
	}

	if a := get(url.Values{"q": {"zanzibarian"}, "partial": {"1"}}); !a.Partial || len(a.Letters) != 0 || a.Next == "" {
		t.Errorf("partial=1: %+v, want a partial answer without letters", a)
	}

	var got []string
	q, partial := url.Values{"q": {"zanzibarian"}}, 0
	for answers := 1; ; answers++ {
		a := get(q)
		if a.Truncated && len(a.Letters) == 0 || answers > 10 {
			t.Fatalf("answer %d without partial=1 is truncated with no letter: %+v", answers, a)
		}
		for _, l := range a.Letters {
			got = append(got, l.Reference)
		}
		if !a.Truncated {
			break
		}
		if a.Partial {
			partial++
		}
		q.Set("before", a.Letters[len(a.Letters)-1].Reference)
	}
	if !slices.Equal(got, want) || partial == 0 {
		t.Errorf("paged as before partial answers: %v (%d partial answers), want %v", got, partial, want)
	}

	// letter list takes partial answers, each within the budget, and puts them together.
	var asked []string
	o.before = func(r *http.Request) {
		if r.URL.Path == "/api/v1/letters" {
			mu.Lock()
			asked = append(asked, r.URL.Query().Get("partial"))
			mu.Unlock()
		}
	}
	code, out, errs := o.run("rita", "letter", "list", "--search", "zanzibarian", "--json")
	var l answer
	if err := json.Unmarshal([]byte(out), &l); code != 0 || err != nil {
		t.Fatalf("letter list: %d %v\n%s%s", code, err, out, errs)
	}
	got = nil
	for _, x := range l.Letters {
		got = append(got, x.Reference)
	}
	mu.Lock()
	if !slices.Equal(got, want) || l.Truncated || len(asked) < 2 || slices.ContainsFunc(asked, func(p string) bool { return p != "1" }) {
		t.Errorf("letter list: %v truncated %v, asked partial=%q, want %v in parts taken with partial=1", got, l.Truncated, asked, want)
	}
	mu.Unlock()

	req, _ := http.NewRequest("GET", o.url+"/api/v1/letters?q=zanzibarian&partial=maybe", nil)
	req.Header.Set("Authorization", "Bearer "+o.tokens["rita"])
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("partial=maybe: %v %v, want 400", resp.Status, err)
	} else {
		resp.Body.Close()
	}
}

// TestLetterListAsksARegistryFromBeforePartialAnswers: `letter list` asks with partial=1,
// which a registry from before partial answers refuses, as it refuses every query parameter it
// does not read ("unknown query parameter"): the command asks it again without, rather than
// failing every search against such a registry.
func TestLetterListAsksARegistryFromBeforePartialAnswers(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	older := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.RawQuery)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Has("partial") {
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"bad request: unknown query parameter \"partial\" (this endpoint takes state, class, q, limit, before)"}`))
			return
		}
		w.Write([]byte(`{"letters":[{"reference":"TFN-2026-000008","state":"draft","class":"internal","subject":"Note","addressees":[],"tags":[],` +
			`"created_at":"2026-12-07T10:00:00Z","updated_at":"2026-12-07T10:00:00Z","released_at":null,"log_index":null}],"truncated":false}`))
	}))
	t.Cleanup(older.Close)
	t.Setenv("CHANCERY_URL", older.URL)
	t.Setenv("CHANCERY_TOKEN", "chy_test")
	var stdout, stderr strings.Builder
	if code := cli.Main([]string{"letter", "list", "--search", "note"}, &stdout, &stderr); code != cli.ExitOK || !strings.Contains(stdout.String(), "TFN-2026-000008") {
		t.Fatalf("letter list against a registry from before partial answers: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) != 2 || !strings.Contains(asked[0], "partial=1") || strings.Contains(asked[1], "partial") {
		t.Errorf("asked %q, want with partial=1 then without", asked)
	}
}
