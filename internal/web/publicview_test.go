package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestMemberViewLeavesPublicAnswer is issue 12 item 1: a member's view of a reference (which
// tells the member which draft it is) must not change what the public is told, neither on
// the page nor through the API, however the views interleave with the public's.
func TestMemberViewLeavesPublicAnswer(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	draft := o.letter("Repositioning of forces mkrviewdraft", "# Repositioning\n\nUnits will leave.\n")
	released := o.letter("Coordination mkrviewreleased", "# Coordination\n\nSir, ...\n")
	o.release(released)
	public := func() map[string]string {
		out := map[string]string{}
		for _, p := range []string{"/v/" + draft, "/api/v1/letters/" + draft + "/status", "/v/" + released, "/api/v1/letters/" + released + "/status"} {
			resp, err := http.Get(o.srv.URL + p)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			buf := make([]byte, 32<<10)
			for {
				n, err := resp.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
			resp.Body.Close()
			if strings.Contains(b.String(), "mkrview") {
				t.Errorf("the public answer for %s names the letter:\n%s", p, b.String())
			}
			out[p] = b.String()
		}
		return out
	}
	before := public()
	c := o.client()
	c.signIn("rita")
	for _, p := range []string{"/v/" + draft, "/v/" + released, "/api/v1/letters/" + draft + "/status"} {
		if _, body := c.get(p); p == "/v/"+draft && !strings.Contains(body, `href="/letters/`+draft+`"`) {
			t.Fatalf("the member's view does not say which draft it is:\n%s", body)
		}
	}
	after := public()
	for p, b := range before {
		if after[p] != b {
			t.Errorf("the public answer for %s changed after a member's view:\nbefore %s\nafter %s", p, b, after[p])
		}
	}
}
