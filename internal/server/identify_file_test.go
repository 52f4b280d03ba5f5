package server_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/registry"
)

// TestIdentifyFileSaysTextOnly: a file identified by its text is the letter's text, which
// proves nothing of the file (its text layer may differ from what its pages show): the
// answer says so, and points to the digest and the seal. Text sent as text needs no such
// word, and an altered file's answer says what differs instead. No altered text's answer
// (a changed figure, a changed sign, a changed quotation) tells the public the letters'
// subjects, addressees, tags, file names or comments.
func TestIdentifyFileSaysTextOnly(t *testing.T) {
	o := cfNewOffice(t)
	text := synth.Corpus{Seed: 32, FamilySize: 1}.Letter(0).Text() + "\n\nBODY\n"
	l := o.create(t, "hotel", ".txt", "text/plain", text)
	o.release(t, l)
	body := strings.ReplaceAll(text, "BODY", "mkrbodyhotel")
	// What the public may not learn from any of these answers: the letter's markers but its
	// body's, which the texts hold.
	secret := slices.DeleteFunc(slices.Clone(l.markers), func(m string) bool { return strings.HasPrefix(m, "mkrbody") })
	det := cfNewDetector(secret)
	ask := func(name string, file bool, data string) registry.Identification {
		t.Helper()
		if file {
			ctype, body := multipartFile(name, []byte(data))
			return askIdentify(t, o.srv.URL, det, name, ctype, body)
		}
		b, _ := json.Marshal(map[string]string{"text": data})
		return askIdentify(t, o.srv.URL, det, name, "application/json", b)
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
	// The letter's words with a sign changed, and a quotation with a figure changed: altered,
	// and no more told to the public than for any altered copy (checked in ask).
	other := synth.Corpus{Seed: 33, FamilySize: 1}
	body = other.Letter(0).Text() + "\n\nThe budget changes by -15% this year. BODY\n\n" + other.Letter(1).Text() + "\n"
	l2 := o.create(t, "india", ".txt", "text/plain", body)
	o.release(t, l2)
	body = strings.ReplaceAll(body, "BODY", "mkrbodyindia")
	secret = append(secret, slices.DeleteFunc(slices.Clone(l2.markers), func(m string) bool { return strings.HasPrefix(m, "mkrbody") })...)
	det = cfNewDetector(secret)
	if id := ask("signs", false, strings.Replace(body, "-15%", "+15%", 1)); id.Outcome != registry.Altered || id.Reference != l2.ref {
		t.Errorf("the letter's words with a sign changed: %s %s: %s", id.Outcome, id.Reference, id.Message)
	}
	ws := strings.Fields(body)
	quote := strings.Join(ws[len(ws)/2:len(ws)/2+40], " ")
	if id := ask("quote", false, quote); id.Outcome != registry.Valid {
		t.Errorf("a quotation: %s (%s): %s", id.Outcome, id.Match, id.Message)
	}
	misquote := strings.Join(append(append(slices.Clone(ws[len(ws)/2:len(ws)/2+20]), "9999"), ws[len(ws)/2+21:len(ws)/2+40]...), " ")
	// The public is given one answer for an altered quotation and an altered copy (match
	// near): which of the two a text is turns on how many words it shares with the letter.
	if id := ask("misquote", false, misquote); id.Outcome != registry.Altered || id.Match != "near" {
		t.Errorf("a quotation with a word changed: %s (%s): %s", id.Outcome, id.Match, id.Message)
	}
}

// multipartFile is a multipart/form-data body with data as its file part, and its content
// type.
func multipartFile(name string, data []byte) (string, []byte) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return mw.FormDataContentType(), body.Bytes()
}

// askIdentify posts body to the identify API of the server at url and returns its answer,
// failing the test on any status but 200, and on any marker det finds in an altered answer.
func askIdentify(t *testing.T, url string, det *cfDetector, name, ctype string, body []byte) registry.Identification {
	t.Helper()
	resp, err := http.Post(url+"/api/v1/identify", ctype, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	var id registry.Identification
	if err := json.Unmarshal(answer, &id); resp.StatusCode != http.StatusOK || err != nil {
		t.Fatalf("%s: %d %s", name, resp.StatusCode, answer)
	}
	if id.Outcome == registry.Altered {
		for m, how := range det.find(answer) {
			t.Errorf("LEAK: %s: the answer for an altered text reveals %q (%s): %s", name, m, how, answer)
		}
	}
	return id
}
