package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/server"
)

// TestPasswordAPIRefusalsSayWhy: POST /api/v1/password answers a body that is not JSON 415
// and one over its bound 413, as the server's API routes do, and a malformed one 400.
func TestPasswordAPIRefusalsSayWhy(t *testing.T) {
	o := newOffice(t, server.Config{})
	tok, err := o.reg.AddMember(context.Background(), o.actors["root"], "lena", []string{registry.RoleReviewer})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		ctype, body string
		want        int
	}{
		{"text/plain", `{"password": "lena's long password"}`, http.StatusUnsupportedMediaType},
		{"application/x-www-form-urlencoded", `password=lena's+long+password`, http.StatusUnsupportedMediaType},
		{"application/json", `{"password": "` + strings.Repeat("a", 70<<10) + `"}`, http.StatusRequestEntityTooLarge},
		{"application/json", `{"password": `, http.StatusBadRequest},
	} {
		req, _ := http.NewRequest("POST", o.srv.URL+"/api/v1/password", strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", c.ctype)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s body of %d bytes: %d, want %d", c.ctype, len(c.body), resp.StatusCode, c.want)
		}
	}
}
