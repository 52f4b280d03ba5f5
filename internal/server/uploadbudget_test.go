package server

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"testing"
)

// TestUploadBudget is issue 12 item 2: while uploads hold the whole memory budget, another
// upload is answered 503 with Retry-After instead of being read; once they end, it is read.
func TestUploadBudget(t *testing.T) {
	cfg := newRegistryConfig(t)
	cfg.MaxUpload, cfg.UploadMemory = 1000, 1
	s := New(cfg)
	identify := func() *httptest.ResponseRecorder {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "x.bin")
		fw.Write([]byte("not a letter"))
		mw.Close()
		r := httptest.NewRequest("POST", "/api/v1/identify", &body)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		w := httptest.NewRecorder()
		s.identify(w, r)
		return w
	}

	// An upload of undeclared length holds the largest size, the whole (minimum) budget.
	ctx, cancel := context.WithCancel(context.Background())
	held := httptest.NewRequest("POST", "/api/v1/identify", nil).WithContext(ctx)
	held.ContentLength = -1
	if err := s.uploads.reserve(held, s.cfg.MaxUpload+1<<20); err != nil {
		t.Fatal(err)
	}
	if w := identify(); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Fatalf("with the budget held: %d %q, want 503 with Retry-After", w.Code, w.Body)
	}
	cancel()
	for { // the release runs when the held request's context ends
		s.uploads.mu.Lock()
		left := s.uploads.left
		s.uploads.mu.Unlock()
		if left == s.cfg.MaxUpload+1<<20 {
			break
		}
		runtime.Gosched()
	}
	if w := identify(); w.Code != http.StatusBadRequest {
		t.Fatalf("after release: %d %q, want 400 (no text in the file)", w.Code, w.Body)
	}
}

// TestIdentifyTextTakesTheMemoryBudget: identifying a text takes memory many times its bytes
// (registry.IdentifyMemory), so a text to identify, sent to the API or pasted on the verify
// page, takes its room in the budget of identifications: while that budget is held, it is
// answered 503 with Retry-After instead of being worked on, as an upload is. Slow uploads,
// which hold the upload budget while they arrive, leave it free. A text that NFKC makes many
// times longer (U+FDFA: 3 bytes, 33 in NFKC) is refused before any work, whatever the budget.
func TestIdentifyTextTakesTheMemoryBudget(t *testing.T) {
	cfg := newRegistryConfig(t)
	cfg.MaxUpload, cfg.UploadMemory, cfg.RateLimit = 1000, 1, -1
	s := New(cfg)
	const text = "Dear Minister, I should be grateful if you would confirm the convention."
	api := func(text string) *httptest.ResponseRecorder {
		body, _ := json.Marshal(map[string]string{"text": text})
		r := httptest.NewRequest("POST", "/api/v1/identify", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	page := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/verify/text", strings.NewReader(url.Values{"text": {text}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Origin", "http://example.com")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	hold := func(b *uploadBudget) func() {
		ctx, cancel := context.WithCancel(context.Background())
		held := httptest.NewRequest("POST", "/api/v1/identify", nil).WithContext(ctx)
		if err := b.take(held, b.size); err != nil {
			t.Fatal(err)
		}
		return func() {
			cancel()
			for { // the release runs when the held request's context ends
				b.mu.Lock()
				left := b.left
				b.mu.Unlock()
				if left == b.size {
					return
				}
				runtime.Gosched()
			}
		}
	}

	release := hold(s.work)
	for name, w := range map[string]*httptest.ResponseRecorder{"API": api(text), "verify page": page()} {
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Errorf("%s, with the budget of identifications held: %d %.300q, want 503 with Retry-After", name, w.Code, w.Body)
		}
	}
	release()
	release = hold(s.uploads)
	for name, w := range map[string]*httptest.ResponseRecorder{"API": api(text), "verify page": page()} {
		if w.Code != http.StatusOK {
			t.Errorf("%s, with the upload budget held: %d %.300q, want 200", name, w.Code, w.Body)
		}
	}
	release()
	// 750 KB, within the JSON body's limit, and 8 MB in NFKC.
	if w := api(strings.Repeat("\uFDFA", 250_000)); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "too long to identify") {
		t.Errorf("a text NFKC makes 11 times longer: %d %.200q, want 400", w.Code, w.Body)
	}
}
