package server

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/registry"
)

// TestCommittedAnswersOutlastTheWriteTimeout: a release, and a retraction, commit first and
// then wait up to --seal-wait for the witnesses before they answer. With a seal wait longer
// than the server's write timeout (60 s), the client got a closed connection ("registry
// unreachable") for a letter that was released, and its check code with it. Their answers
// are written under a deadline of their own. Here the server's write timeout has passed
// before any handler runs: other answers are cut, theirs arrive.
func TestCommittedAnswersOutlastTheWriteTimeout(t *testing.T) {
	ctx := context.Background()
	e := newAPIEnv(t, 1<<20)
	ref, keyID, key := e.signedLetter(t, "Release", "Sir, a letter.")
	reg := e.srv.Config.Handler.(*Server).cfg.Registry
	signer, err := reg.Authenticate(ctx, e.tokens["signer"])
	if err != nil {
		t.Fatal(err)
	}

	cut := httptest.NewUnstartedServer(e.srv.Config.Handler)
	cut.Config.WriteTimeout = time.Nanosecond
	cut.Start()
	defer cut.Close()
	send := func(who, path, body string) (*http.Response, []byte, error) {
		r, _ := http.NewRequest("POST", cut.URL+path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+e.tokens[who])
		r.Header.Set("Content-Type", "application/json")
		resp, err := cut.Client().Do(r)
		if err != nil {
			return nil, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, b, err
	}
	if _, _, err := send("drafter", "/api/v1/letters", `{}`); err == nil {
		t.Fatal("an answer arrived after the write timeout: the test shows nothing")
	}

	resp, b, err := send("release", "/api/v1/letters/"+ref+"/release", `{}`)
	if err != nil {
		t.Fatalf("the release committed, but its answer did not arrive: %v", err)
	}
	if resp.StatusCode != http.StatusCreated || !strings.Contains(string(b), `"check_code"`) {
		t.Fatalf("release: %d %s, want 201 with the check code", resp.StatusCode, b)
	}

	ws, pt, o, err := reg.WithdrawalStatement(ctx, registry.Actor{Member: signer}, ref, "", "sent too early")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"keyid": keyID, "statement": ws, "sig": ed25519.Sign(key, dsse.PAE(pt, ws)), "opening": o})
	resp, b, err = send("signer", "/api/v1/letters/"+ref+"/withdraw", string(body))
	if err != nil {
		t.Fatalf("the retraction committed, but its answer did not arrive: %v", err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("retraction: %d %s, want 201", resp.StatusCode, b)
	}
}
