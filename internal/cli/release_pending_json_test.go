package cli_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/seal"
)

// TestReleaseJSONWhenTheSealWaits: a release whose seal waits for the witnesses is logged,
// and its file written; 'release --json' then printed the human lines on stdout ("released
// … check code …") rather than its JSON object, so that a script reading stdout as JSON got
// neither the log index nor the check code the letter's holders need.
func TestReleaseJSONWhenTheSealWaits(t *testing.T) {
	const ref = "TFN-2026-000007"
	file := []byte("%PDF-1.7 released\n")
	digest := string(seal.DigestOf(file))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/letters/"+ref, func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"reference": ref, "state": "draft",
			"versions": []map[string]any{{"n": 1, "digest": "sha256:ab", "file_name": "letter.pdf", "media_type": "application/pdf"}}})
	})
	mux.HandleFunc("POST /api/v1/letters/"+ref+"/release", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"reference": ref, "log_index": 41, "file_name": "letter.pdf",
			"media_type": "application/pdf", "file_digest": digest, "seal": nil,
			"seal_pending": "the witnesses have not cosigned yet", "check_code": "CHECKCODE", "verify_url": "https://registry.example/v/x"})
	})
	mux.HandleFunc("GET /api/v1/letters/"+ref+"/file", func(w http.ResponseWriter, r *http.Request) {
		w.Write(file)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	t.Setenv("CHANCERY_TOKEN", "token")
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := cli.Main([]string{"release", ref, "--version", "sha256:ab", "--out", out, "--url", srv.URL, "--json"}, &stdout, &stderr)
	if code != cli.ExitError {
		t.Errorf("status %d, want %d (released, but no seal)", code, cli.ExitError)
	}
	var res map[string]any
	dec := json.NewDecoder(bytes.NewReader(stdout.Bytes()))
	if err := dec.Decode(&res); err != nil || dec.More() {
		t.Fatalf("stdout is not one JSON object (%v):\n%s", err, stdout.String())
	}
	if res["check_code"] != "CHECKCODE" || res["log_index"] != float64(41) || res["file"] != filepath.Join(out, ref+".pdf") {
		t.Errorf("stdout's object lacks what was released: %v", res)
	}
	if _, ok := res["seal"]; ok {
		t.Errorf("stdout names a seal that was not written: %v", res)
	}
	var e map[string]any
	if err := json.Unmarshal(stderr.Bytes(), &e); err != nil || e["error"] == nil {
		t.Errorf("stderr is not the JSON error (%v):\n%s", err, stderr.String())
	}
}
