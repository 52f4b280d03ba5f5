package server_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestEraseNotRecordedIsAnsweredErased: an erasure that committed but whose record outside
// the database could not be written is answered as such, not as a bare internal error, which
// told the admin that nothing had happened.
func TestEraseNotRecordedIsAnsweredErased(t *testing.T) {
	o := cfNewOffice(t)
	o.reg.SetOnErased(func() error { return errors.New("write /data/erased-letters: no space left on device") })
	defer o.reg.SetOnErased(nil)
	ref := o.letters["alpha"].ref
	r, _ := http.NewRequest("POST", o.srv.URL+"/api/v1/letters/"+ref+"/erase", strings.NewReader(`{"reason":"erasure request"}`))
	r.Header.Set("Authorization", "Bearer "+o.tokens[cfAdmin])
	r.Header.Set("Content-Type", "application/json")
	resp, err := o.srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK || !strings.Contains(string(body), "erased, but not recorded") {
		t.Errorf("erasure whose record failed: %d %s, want it said erased but not recorded", resp.StatusCode, body)
	}
	if strings.Contains(string(body), "no space left") {
		t.Errorf("the answer quotes the server's error: %s", body)
	}
}
