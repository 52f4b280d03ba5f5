package server_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// The CSV a released (then superseded) letter enclosed, asked by its digest of the API and
// posted to the verify page, is unknown with the enclosing letter's reference and state, not
// a draft, and tells nothing else of the letter.
func TestAPIVerifyEnclosureOfReleasedLetter(t *testing.T) {
	o := cfNewOffice(t)
	srv := o.newServer(t)
	charlie := o.letters["charlie"]
	sum := sha256.Sum256([]byte("item,count\nmkrbodycharlie,1\n"))
	r := cfVerifyDigest(t, srv, hex.EncodeToString(sum[:]))
	var st struct {
		Outcome    string `json:"outcome"`
		Message    string `json:"message"`
		EnclosedBy *struct {
			Reference string `json:"reference"`
			State     string `json:"state"`
		} `json:"enclosed_by"`
	}
	if err := json.Unmarshal(r.body, &st); err != nil || r.status != http.StatusOK {
		t.Fatalf("%s: %s, %v", r, r.body, err)
	}
	if st.Outcome != "unknown" || st.EnclosedBy == nil || st.EnclosedBy.Reference != charlie.ref || st.EnclosedBy.State != "superseded" ||
		!strings.Contains(st.Message, "superseded") || !strings.Contains(st.Message, "seal") {
		t.Fatalf("the enclosure of a superseded letter: %s", r.body)
	}
	page := cfPostDigest(t, srv, "/verify", "sha256:"+hex.EncodeToString(sum[:]))
	if !strings.Contains(string(page.body), "A file a released letter encloses") || !strings.Contains(string(page.body), charlie.ref) ||
		!strings.Contains(string(page.body), "<strong>superseded</strong>") || strings.Contains(string(page.body), "NOT AN OFFICIAL DOCUMENT") {
		t.Fatalf("the verify page for the enclosure: %s", page.body)
	}
	for _, body := range [][]byte{r.body, page.body} {
		for _, m := range o.markers {
			if strings.Contains(string(body), m) {
				t.Errorf("the answer tells %q: %s", m, body)
			}
		}
	}
}
