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

// TestUploadBudgetShareOfOneClient: one client of the public routes holds at most a quarter
// of the upload budget at once, so that a few slow uploads from one address cannot shut every
// other holder of a letter out of identification; other clients, members (whom an office may
// all put behind one address) and the members' own routes are not held to it, and the share
// comes back when the client's requests end.
func TestUploadBudgetShareOfOneClient(t *testing.T) {
	cfg := newRegistryConfig(t)
	cfg.MaxUpload, cfg.UploadMemory = 1000, 4<<20
	s := New(cfg)
	admin, err := cfg.Registry.Bootstrap(context.Background(), "admin")
	if err != nil {
		t.Fatal(err)
	}
	upload := func(path, from string, size int64, token string) (*http.Request, context.CancelFunc) {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		r := httptest.NewRequest("POST", path, nil).WithContext(ctx)
		r.RemoteAddr, r.ContentLength = from+":4711", size
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
		return r, cancel
	}
	const mb = 1 << 20
	first, endFirst := upload("/api/v1/identify", "192.0.2.1", 900*1000, "")
	if err := s.uploads.take(first, 900*1000); err != nil {
		t.Fatalf("a client's first upload: %v", err)
	}
	second, _ := upload("/api/v1/identify", "192.0.2.1", 300*1000, "")
	if err := s.uploads.take(second, 300*1000); err != errBusy {
		t.Fatalf("the same client past a quarter of the budget: %v, want errBusy", err)
	}
	for name, r := range map[string]*http.Request{
		"another client":        func() *http.Request { r, _ := upload("/api/v1/identify", "198.51.100.7", mb, ""); return r }(),
		"a member, same client": func() *http.Request { r, _ := upload("/api/v1/identify", "192.0.2.1", mb, admin); return r }(),
		"a member's route":      func() *http.Request { r, _ := upload("/api/v1/letters", "192.0.2.1", mb, ""); return r }(),
	} {
		if err := s.uploads.take(r, r.ContentLength); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	endFirst()
	for {
		s.uploads.mu.Lock()
		held := s.uploads.held["192.0.2.1"]
		s.uploads.mu.Unlock()
		if held == 0 {
			break
		}
		runtime.Gosched()
	}
	again, _ := upload("/api/v1/identify", "192.0.2.1", 300*1000, "")
	if err := s.uploads.take(again, 300*1000); err != nil {
		t.Errorf("the client once its first upload ended: %v", err)
	}
}
