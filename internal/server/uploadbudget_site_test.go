package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// TestUploadBudgetShareIsPerSite: the upload budget's per-client share (item 160) was keyed
// by ratelimit.Key, an IPv6 /64 (found by audit, forty-ninth session; ratelimit.SiteKey, a
// /48, now), while item 324 made a /48 one client
// for the rate limits (a tunnel broker gives anyone a /48). Six slow uploads (five declaring the
// largest body), from six /64s of one /48 (six requests: well within the rate limit), take
// the whole 256 MiB budget for as long as their bodies trickle in (30 s a connection with
// serve's ReadTimeout, then again); every other client's upload is answered 503. Bound
// checked: the /64s of one /48 together hold no more than a few shares, so a client of
// another network can still upload.
func TestUploadBudgetShareIsPerSite(t *testing.T) {
	srv := newIdentifyServer(t, Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	for i := range 6 {
		pr, pw := io.Pipe()
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/api/v1/identify", pr)
		req.ContentLength = DefaultMaxUpload + 1<<20 // the most one upload reserves
		if i == 5 {
			req.ContentLength = 1 << 20 // the rest of the 256 MiB
		}
		req.Header.Set("Content-Type", "multipart/form-data; boundary=xyz")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("2001:db8:77:%x::1", i+1))
		wg.Add(2)
		go func() {
			defer wg.Done()
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		go func() { // a first byte, then nothing until the test ends
			defer wg.Done()
			pw.Write([]byte("--xyz\r\n"))
			<-ctx.Done()
			pw.CloseWithError(ctx.Err())
		}()
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "letter.txt")
	fw.Write([]byte("Dear Minister, nothing of ours at all, thank you."))
	mw.Close()
	// Let the stalled uploads take their room first (a probe taken meanwhile could make one
	// of them refused, and the budget less than full).
	time.Sleep(time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		req, _ := http.NewRequest("POST", srv.URL+"/api/v1/identify", bytes.NewReader(body.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("X-Forwarded-For", "198.51.100.20")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			t.Fatalf("six stalled uploads from one IPv6 /48 (six /64s) hold the whole upload budget: another client's %d-byte upload is answered %d %s", body.Len(), resp.StatusCode, answer)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
