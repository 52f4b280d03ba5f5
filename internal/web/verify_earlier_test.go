package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/server"
)

// TestVerifyEarlierRevisions: the verify page takes, with an unknown file's digest, the
// digests of its earlier revisions (earlier, separated by commas): a malformed one is a bad
// request, and more than the page's script sends are not looked up.
func TestVerifyEarlierRevisions(t *testing.T) {
	o := newOffice(t, server.Config{})
	c := o.client()
	unknown := "sha256:" + strings.Repeat("ab", 32)
	if resp, _ := c.get("/verify?digest=" + unknown + "&earlier=sha256:xyz"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a malformed earlier digest: %s, want 400", resp.Status)
	}
	many := strings.TrimSuffix(strings.Repeat("sha256:xyz,", 17), ",")
	if resp, page := c.get("/verify?digest=" + unknown + "&earlier=" + many); resp.StatusCode != http.StatusOK || !strings.Contains(page, "Unknown to this registry") {
		t.Errorf("17 earlier digests: %s, want the unknown file's page", resp.Status)
	}
}
