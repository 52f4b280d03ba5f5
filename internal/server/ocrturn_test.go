package server

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// countProcs counts the processes whose command line holds marker.
func countProcs(marker string) int {
	n := 0
	dirs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, d := range dirs {
		b, err := os.ReadFile(d)
		if err == nil && strings.Contains(strings.ReplaceAll(string(b), "\x00", " "), marker) {
			n++
		}
	}
	return n
}

// TestOneClientCannotHoldEveryOCRSlot: the OCR reader has Parallel (2) slots for the whole
// server, and there was no per-client share (found by audit, forty-ninth session): one client
// address sending two scans that keep Tesseract busy (a 359 KB PDF of 10 pages does, for the
// whole 45 s budget) held every slot, and a genuine holder's scan from another address waited
// its whole budget and was answered 422; the rate limit (2/s, burst 30) did not help. A client
// has one recognition at a time now: its second scan is answered 503 at once, and another
// client's scan gets a turn (its Tesseract starts).
func TestOneClientCannotHoldEveryOCRSlot(t *testing.T) {
	dir := t.TempDir()
	fake := filepath.Join(dir, "tesseract")
	// The attacker's scans (larger files) keep Tesseract busy; the holder's is read at once.
	script := "#!/bin/sh\nif [ \"$1\" = --list-langs ]; then printf 'List of available languages (1):\\neng\\n'; exit 0; fi\n" +
		"if [ $(wc -c < \"$1\") -gt 2000 ]; then exec sleep 31.7; fi\nexec sleep 3.3\n"
	if err := os.WriteFile(fake, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	srv := newIdentifyServer(t, Config{Tesseract: fake, OCRTime: 20 * time.Second,
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})

	noise := image.NewGray(image.Rect(0, 0, 200, 200))
	for i := range noise.Pix {
		noise.Pix[i] = uint8(rand.IntN(256))
	}
	var big, small bytes.Buffer
	png.Encode(&big, noise)
	png.Encode(&small, image.NewGray(image.Rect(0, 0, 40, 20)))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	post := func(client string, data []byte) int {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "scan.png")
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/identify", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	wg.Add(1)
	go func() { defer wg.Done(); post("192.0.2.7", big.Bytes()) }()
	deadline := time.Now().Add(10 * time.Second)
	for countProcs("sleep 31.7") < 1 {
		if time.Now().After(deadline) {
			t.Fatal("the first client's recognition did not start")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The same client's second scan is refused at once, and holds no slot.
	if code := post("192.0.2.7", big.Bytes()); code != http.StatusServiceUnavailable {
		t.Errorf("a second scan from the client whose scan is being read: %d, want 503", code)
	}
	if n := countProcs("sleep 31.7"); n != 1 {
		t.Errorf("one client address holds %d of the server's OCR slots", n)
	}
	wg.Add(1)
	go func() { defer wg.Done(); post("198.51.100.9", small.Bytes()) }()
	deadline = time.Now().Add(5 * time.Second)
	for countProcs("sleep 3.3") == 0 {
		if time.Now().After(deadline) {
			t.Error("another client's scan got no turn in 5 s")
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
