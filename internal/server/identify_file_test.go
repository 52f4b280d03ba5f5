package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/registry"
)

// TestIdentifyFileSaysTextOnly: a file identified by its text is the letter's text, which
// proves nothing of the file (its text layer may differ from what its pages show): the
// answer says so, and points to the digest and the seal. Text sent as text needs no such
// word, and an altered file's answer says what differs instead.
func TestIdentifyFileSaysTextOnly(t *testing.T) {
	o := cfNewOffice(t)
	text := synth.Corpus{Seed: 32, FamilySize: 1}.Letter(0).Text() + "\n\nBODY\n"
	l := o.create(t, "hotel", ".txt", "text/plain", text)
	o.release(t, l)
	body := strings.ReplaceAll(text, "BODY", "mkrbodyhotel")
	ask := func(name string, file bool, data string) registry.Identification {
		t.Helper()
		var req bytes.Buffer
		ctype := "application/json"
		if file {
			mw := multipart.NewWriter(&req)
			fw, _ := mw.CreateFormFile("file", name)
			fw.Write([]byte(data))
			mw.Close()
			ctype = mw.FormDataContentType()
		} else {
			b, _ := json.Marshal(map[string]string{"text": data})
			req.Write(b)
		}
		resp, err := http.Post(o.srv.URL+"/api/v1/identify", ctype, &req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		answer, _ := io.ReadAll(resp.Body)
		var id registry.Identification
		if err := json.Unmarshal(answer, &id); resp.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %s", name, resp.StatusCode, answer)
		}
		return id
	}
	const caveat = "Only the file's text was compared"
	if id := ask("copy.txt", true, body); id.Outcome != registry.Valid || id.Reference != l.ref || !strings.Contains(id.Message, caveat) {
		t.Errorf("the letter's text as a file: %s %s: %s", id.Outcome, id.Reference, id.Message)
	}
	if id := ask("text", false, body); id.Outcome != registry.Valid || strings.Contains(id.Message, caveat) {
		t.Errorf("the letter's text as text: %s: %s", id.Outcome, id.Message)
	}
	if id := ask("forged.txt", true, strings.Replace(body, "mkrbodyhotel", "mkrbodyhotel 900", 1)); id.Outcome != registry.Altered || strings.Contains(id.Message, caveat) {
		t.Errorf("an altered file: %s: %s", id.Outcome, id.Message)
	}
}
