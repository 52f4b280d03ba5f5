package server

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/translog"
	"golang.org/x/mod/sumdb/note"
)

// newRegistryConfig returns the configuration of a server of a new registry on SQLite, in a
// temporary directory, closed when the test ends; each of with changes the registry's
// configuration first.
func newRegistryConfig(t testing.TB, with ...func(*registry.Config)) Config {
	t.Helper()
	return newRegistryConfigIn(t, t.TempDir(), with...)
}

// newRegistryConfigIn is newRegistryConfig with its SQLite database in dir.
func newRegistryConfigIn(t testing.TB, dir string, with ...func(*registry.Config)) Config {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	const origin = "api.example/log"
	skey, vkey, _ := note.GenerateKey(rand.Reader, origin)
	signer, _ := note.NewSigner(skey)
	lg, err := translog.Open(ctx, db, translog.Config{Origin: origin, Signer: signer, Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lg.Close(); db.Close() })
	_, officeKey, _ := ed25519.GenerateKey(rand.Reader)
	rc := registry.Config{DB: db, Log: lg, Office: registry.Office{Name: "API Office", Prefix: "API", URL: "http://api.example"},
		OfficeKey: officeKey, LogKey: vkey, LogOrigin: origin}
	for _, f := range with {
		f(&rc)
	}
	return Config{Log: lg, DB: db, VerifierKey: vkey, Origin: origin, Registry: registry.New(rc)}
}

// apiEnv is a server with a registry and one member per role.
type apiEnv struct {
	srv    *httptest.Server
	db     *store.DB
	tokens map[string]string
}

func newAPIEnv(t testing.TB, maxUpload int64, with ...func(*Config)) *apiEnv {
	t.Helper()
	ctx := context.Background()
	cfg := newRegistryConfig(t)
	cfg.MaxUpload = maxUpload
	for _, f := range with {
		f(&cfg)
	}
	s := New(cfg)
	env := &apiEnv{srv: httptest.NewServer(s), db: cfg.DB, tokens: map[string]string{}}
	t.Cleanup(env.srv.Close)
	reg := cfg.Registry
	admin, err := reg.Bootstrap(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	env.tokens["admin"] = admin
	for _, role := range []string{"drafter", "reviewer", "signer", "release"} {
		var out struct{ Token string }
		env.do(t, "admin", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"`+role+`","roles":["`+role+`"]}`), http.StatusCreated, &out)
		env.tokens[role] = out.Token
	}
	return env
}

// do sends a request as the member who, and checks the status.
func (e *apiEnv) do(t testing.TB, who, method, path, ctype string, body *strings.Reader, want int, out any) *http.Response {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = body
	}
	resp, b := e.send(t, who, method, path, ctype, r)
	if resp.StatusCode != want {
		t.Fatalf("%s %s as %q: %d %s, want %d", method, path, who, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
	return resp
}

// send sends a request as the member who (no one if who is empty) and returns the answer
// with its body read.
func (e *apiEnv) send(t testing.TB, who, method, path, ctype string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	r, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		r.Header.Set("Content-Type", ctype)
	}
	if who != "" {
		r.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func letterForm(t testing.TB, size int) (*strings.Reader, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("subject", "A subject")
	w.WriteField("class", "internal")
	w.WriteField("to", "Someone")
	p, _ := w.CreateFormFile("file", "letter.txt")
	p.Write(bytes.Repeat([]byte("x"), size))
	w.Close()
	return strings.NewReader(b.String()), w.FormDataContentType()
}

func TestAPIAccessControl(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	body, ct := letterForm(t, 100)
	e.do(t, "", "POST", "/api/v1/letters", ct, body, http.StatusUnauthorized, nil)
	body, ct = letterForm(t, 100)
	e.do(t, "reviewer", "POST", "/api/v1/letters", ct, body, http.StatusForbidden, nil)
	e.tokens["forged"] = "chy_forged"
	body, ct = letterForm(t, 100)
	e.do(t, "forged", "POST", "/api/v1/letters", ct, body, http.StatusUnauthorized, nil)
	var created struct{ Reference string }
	body, ct = letterForm(t, 100)
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, &created)
	ref := created.Reference
	e.do(t, "drafter", "POST", "/api/v1/letters/"+ref+"/approve", "application/json", strings.NewReader(`{}`), http.StatusForbidden, nil)
	e.do(t, "reviewer", "POST", "/api/v1/letters/"+ref+"/release", "", nil, http.StatusForbidden, nil)
	e.do(t, "signer", "POST", "/api/v1/members", "application/json", strings.NewReader(`{"name":"x","roles":["admin"]}`), http.StatusForbidden, nil)
	// The gate answers 422 with the decision.
	var gate struct {
		Error    string
		Decision struct{ Allowed bool }
	}
	e.do(t, "release", "POST", "/api/v1/letters/"+ref+"/release", "", nil, http.StatusUnprocessableEntity, &gate)
	if gate.Decision.Allowed || !strings.Contains(gate.Error, "missing 1 approval by a reviewer") {
		t.Fatalf("gate answer: %+v", gate)
	}
	// Drafts are not public.
	e.do(t, "", "GET", "/api/v1/letters/"+ref, "", nil, http.StatusUnauthorized, nil)
	var st struct{ Outcome string }
	e.do(t, "", "GET", "/api/v1/letters/"+ref+"/status", "", nil, http.StatusOK, &st)
	if st.Outcome != "unknown" {
		t.Fatalf("public status of a draft: %q", st.Outcome)
	}
	// Bad bodies are 400 (413 too large, 415 not JSON), never 500.
	for _, b := range []string{`{`, `{"comment":1}`, `{"unknown":true}`, `{} {}`} {
		e.do(t, "reviewer", "POST", "/api/v1/letters/"+ref+"/approve", "application/json", strings.NewReader(b), http.StatusBadRequest, nil)
	}
	e.do(t, "reviewer", "POST", "/api/v1/letters/"+ref+"/approve", "application/json", strings.NewReader(strings.Repeat(" ", 2<<20)), http.StatusRequestEntityTooLarge, nil)
	e.do(t, "reviewer", "POST", "/api/v1/letters/"+ref+"/approve", "text/plain", strings.NewReader(`{}`), http.StatusUnsupportedMediaType, nil)
	e.do(t, "", "POST", "/api/v1/verify", "application/json", strings.NewReader(`{"digest":"nope"}`), http.StatusBadRequest, nil)
	e.do(t, "", "POST", "/api/v1/identify", "application/json", strings.NewReader(`{"text":"..."}`), http.StatusBadRequest, nil)
	e.do(t, "", "POST", "/api/v1/identify", "application/json", strings.NewReader(`{"txt":"a"}`), http.StatusBadRequest, nil)
	// Identification by file: the text is extracted here; the public sees no draft.
	idBody, idType := letterForm(t, 10)
	var id struct{ Outcome, Message string }
	e.do(t, "", "POST", "/api/v1/identify", idType, idBody, http.StatusOK, &id)
	if id.Outcome != "unknown" || !strings.Contains(id.Message, "not an official letter") {
		t.Fatalf("public identification of a draft's file: %+v", id)
	}
	e.do(t, "", "GET", "/api/v1/letters/NOPE-1/seal", "", nil, http.StatusNotFound, nil)
}

// TestAPIUploadLimit: a file over the limit is refused with 413 and leaves nothing behind.
func TestAPIUploadLimit(t *testing.T) {
	e := newAPIEnv(t, 1000)
	body, ct := letterForm(t, 1001)
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusRequestEntityTooLarge, nil)
	body, ct = letterForm(t, 5<<20)
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusRequestEntityTooLarge, nil)
	e.db.View(context.Background(), func(tx *store.Tx) error {
		if _, err := tx.LetterByRef(context.Background(), "API-"+"2026"+"-000001"); err == nil {
			t.Error("a refused upload left a letter behind")
		}
		return nil
	})
	body, ct = letterForm(t, 1000)
	var created struct{ Reference string }
	e.do(t, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, &created)
}

// FuzzAPIBodies sends arbitrary bodies to every JSON endpoint: the answer is never a 5xx.
func FuzzAPIBodies(f *testing.F) {
	for _, s := range []string{`{}`, `{"name":"a","roles":["drafter"]}`, `{"digest":"sha256:00"}`, `{"version":"x","comment":"y"}`,
		`{"keyid":"k","statement":"AAAA","sig":"AAAA"}`, `{"public_key":"AAAA"}`, `{"recipient":"r"}`, `{"by":"X","reason":"r"}`, `{"text":"t","scan":true,"qr_codes":["https://x.example/v/R/c"],"qr_codes_unread":true}`,
		`{"text":"t","pages":"p","qr_codes":[""]}`, `[]`, `null`, "\x00"} {
		f.Add(s)
	}
	for _, s := range trailingDataBodies {
		f.Add(s)
	}
	e := newAPIEnv(f, 1<<20)
	body, ct := letterForm(f, 10)
	var created struct{ Reference string }
	e.do(f, "drafter", "POST", "/api/v1/letters", ct, body, http.StatusCreated, &created)
	ref := created.Reference
	paths := []string{"/api/v1/members", "/api/v1/keys", "/api/v1/keys/abc/revoke", "/api/v1/keys/abc/rotate", "/api/v1/verify", "/api/v1/identify",
		"/api/v1/letters/" + ref + "/approve", "/api/v1/letters/" + ref + "/reject", "/api/v1/letters/" + ref + "/signatures",
		"/api/v1/letters/" + ref + "/withdrawal-statement", "/api/v1/letters/" + ref + "/withdraw", "/api/v1/letters/" + ref + "/drafts",
		"/api/v1/letters/" + ref + "/release"}
	f.Fuzz(func(t *testing.T, b string) {
		for _, p := range paths {
			for _, who := range []string{"admin", "signer"} {
				r, _ := http.NewRequest("POST", e.srv.URL+p, strings.NewReader(b))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Authorization", "Bearer "+e.tokens[who])
				resp, err := http.DefaultClient.Do(r)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode >= 500 {
					t.Fatalf("POST %s as %s with %q: %d", p, who, b, resp.StatusCode)
				}
			}
		}
	})
}

// TestDecodeJSONTrailingData guards the API's strict JSON bodies (audit, twenty-second
// session): json.Decoder.More reports false at "]", "}" and the end of input alike, so a
// check with it let `{"quorum":1}}` and `{"quorum":1} ] garbage` through. Anything but white
// space after the value is a 400; trailing white space is not.
func TestDecodeJSONTrailingData(t *testing.T) {
	decode := func(body string) (*int, error) {
		var v struct {
			Quorum *int `json:"quorum"`
		}
		r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		err := decodeJSON(httptest.NewRecorder(), r, &v)
		return v.Quorum, err
	}
	for _, body := range trailingDataBodies {
		if q, err := decode(body); err == nil {
			t.Errorf("%q accepted (quorum %d)", body, *q)
		} else if !errors.Is(err, errBadRequest) || !strings.Contains(err.Error(), "trailing data") {
			t.Errorf("%q: %v, want a bad request for trailing data", body, err)
		}
	}
	for _, body := range []string{`{"quorum":1}`, "{\"quorum\":1}\n", " {\"quorum\":1} \r\n\t "} {
		if q, err := decode(body); err != nil || q == nil || *q != 1 {
			t.Errorf("%q: quorum %v, %v", body, q, err)
		}
	}
}

// trailingDataBodies are JSON values followed by something other than white space.
var trailingDataBodies = []string{`{"quorum":1}}`, `{"quorum":1}]`, `{"quorum":1}]]]}}}`, `{"quorum":1} ] garbage`, `{"quorum":1} {}`, `{"quorum":1},`}

// TestAPIPolicy: a policy that does not compile is refused with its positions and nothing
// changes; one that compiles is adopted by an admin only, and served.
func TestAPIPolicy(t *testing.T) {
	e := newAPIEnv(t, 1<<20)
	var cur struct {
		Name    string
		Digest  string
		Builtin bool
	}
	// The policy names the office's signer groups: not for the public.
	e.do(t, "", "GET", "/api/v1/policy", "", nil, http.StatusUnauthorized, nil)
	e.do(t, "signer", "GET", "/api/v1/policy", "", nil, http.StatusOK, &cur)
	if !cur.Builtin {
		t.Fatalf("a new registry's policy: %+v", cur)
	}
	bad := "version: 1\nname: x\nrules:\n  - name: d\n    default: true\n    require:\n      approvals:\n        - role: reviewer\n          count: 0\n"
	var refused struct{ Error string }
	e.do(t, "admin", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(bad), http.StatusBadRequest, &refused)
	if !strings.Contains(refused.Error, "9:18: count 0 must be at least 1") {
		t.Fatalf("refusal without the position: %q", refused.Error)
	}
	good := strings.Replace(bad, "count: 0", "count: 1", 1)
	e.do(t, "signer", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(good), http.StatusForbidden, nil)
	var adopted struct {
		Digest   string
		LogIndex int64 `json:"log_index"`
	}
	e.do(t, "admin", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(good), http.StatusCreated, &adopted)
	cur.Builtin = false
	// The policy names the office's signer groups: not for the public.
	e.do(t, "", "GET", "/api/v1/policy", "", nil, http.StatusUnauthorized, nil)
	e.do(t, "signer", "GET", "/api/v1/policy", "", nil, http.StatusOK, &cur)
	if cur.Builtin || cur.Digest != adopted.Digest || cur.Name != "x" {
		t.Fatalf("policy in force after adoption: %+v, adopted %+v", cur, adopted)
	}
	e.do(t, "admin", "POST", "/api/v1/policy", "application/yaml", strings.NewReader(good), http.StatusConflict, nil)
}

// TestEncodeStatus: the spliced encoding of the verify endpoint is the encoding of
// statusResponse, byte for byte.
func TestEncodeStatus(t *testing.T) {
	for _, st := range []*registry.Status{
		{Outcome: registry.Unknown, Office: "O", Message: "unknown"},
		{Outcome: registry.Valid, Office: "O", Reference: "R", Seal: &seal.Seal{Checkpoint: []byte("c\n")}},
	} {
		want, _ := json.Marshal(statusResponse(st))
		// Fresh, and in a used buffer (an answer that is not kept).
		for _, b := range [][]byte{nil, []byte("an earlier answer")[:0]} {
			got, err := encodeStatus(b, st)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want)+"\n" {
				t.Errorf("encodeStatus:\n%s\nwant\n%s", got, want)
			}
		}
	}
}

// signedLetter creates a text letter through e's registry, approved and signed with a signer
// key registered for it, and returns its reference, the key's ID and the key.
func (e *apiEnv) signedLetter(t testing.TB, subject, text string) (string, string, ed25519.PrivateKey) {
	t.Helper()
	ctx := context.Background()
	reg := e.srv.Config.Handler.(*Server).cfg.Registry
	actor := func(who string) registry.Actor {
		m, err := reg.Authenticate(ctx, e.tokens[who])
		if err != nil {
			t.Fatal(err)
		}
		return registry.Actor{Member: m}
	}
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	keyID, _, err := reg.RegisterKey(ctx, actor("signer"), key.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := reg.CreateLetter(ctx, actor("drafter"), registry.NewLetter{Subject: subject, Class: "internal",
		Addressees: []string{"Registry"}, File: registry.Upload{Name: "l.txt", Data: []byte(text)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Approve(ctx, actor("reviewer"), ref, "", ""); err != nil {
		t.Fatal(err)
	}
	st, err := reg.SigningStatement(ctx, actor("signer"), ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Sign(ctx, actor("signer"), ref, keyID, st, ed25519.Sign(key, dsse.PAE(seal.SigningPayloadType, st))); err != nil {
		t.Fatal(err)
	}
	return ref, keyID, key
}
