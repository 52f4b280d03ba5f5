package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/server"
	"github.com/chancery/chancery/internal/web"
)

// TestSignButtonSignsTheVersionShown: the letter page's Sign button (static/sign.js) signs
// the statement the page carries, and names the version the page shows. The page reads the
// letter, then the statement; a revision uploaded between the two reads must not leave a
// button labelled "Sign version 1" over version 1's text carrying the statement of version 2,
// which the registry would accept as the latest: the signer would sign text they never saw.
func TestSignButtonSignsTheVersionShown(t *testing.T) {
	o := newOffice(t, server.Config{RateLimit: -1})
	ref := o.letter("Overflight clearance", "Sir,\n\nWe request clearance for two flights.\n")
	c := o.client()
	c.signIn("sam")
	var once sync.Once
	defer web.SetSigningStatementRead(func() {
		once.Do(func() {
			if _, err := o.reg.Revise(context.Background(), o.actors["dana"], ref, registry.Upload{Name: "letter.md",
				Data: []byte("Sir,\n\nWe request clearance for two flights, armed.\n")}); err != nil {
				t.Error(err)
			}
		})
	})()
	for _, load := range []string{"revised while the page was read", "read again"} {
		_, page := c.get("/letters/" + ref)
		button := regexp.MustCompile(`Sign version (\d+) in this browser`).FindStringSubmatch(page)
		statement := regexp.MustCompile(`data-statement="([^"]*)"`).FindStringSubmatch(page)
		if statement == nil {
			if load == "read again" {
				t.Fatalf("the page read again offers no Sign button:\n%s", page)
			}
			continue // no Sign button: the signer reloads and sees the revision first
		}
		if button == nil {
			t.Fatalf("%s: the page carries a statement but no Sign button names a version:\n%s", load, page)
		}
		if v := statementVersion(t, statement[1]); strconv.Itoa(v) != button[1] {
			t.Errorf("%s: the button says %q but the statement it signs is of version %d", load, button[0], v)
		}
	}
}

func statementVersion(t *testing.T, attr string) int {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(html.UnescapeString(attr))
	if err != nil {
		t.Fatal(err)
	}
	var st seal.SigningStatement
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatal(err)
	}
	return st.Version
}
