package server_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/ocr"
)

// bigPDF returns a one-page PDF letter showing text lines and a picture of side×side
// random grey pixels (about side² bytes, incompressible).
func bigPDF(lines []string, side int) []byte {
	var objs [][]byte
	add := func(b []byte) int { objs = append(objs, b); return len(objs) }
	pix := make([]byte, side*side)
	for i := range pix {
		pix[i] = byte(rand.IntN(256))
	}
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	zw.Write(pix)
	zw.Close()
	font := add([]byte("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
	img := add(append(append([]byte(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n", side, side, z.Len())), z.Bytes()...), "\nendstream"...))
	var cs strings.Builder
	cs.WriteString("q 100 0 0 100 450 650 cm /Im0 Do Q\nBT /F1 11 Tf 14 TL 60 780 Td\n")
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		cs.WriteString("(" + l + ") '\n")
	}
	cs.WriteString("ET")
	cont := add([]byte(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", cs.Len(), cs.String())))
	page := add([]byte(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>", len(objs)+2, font, img, cont)))
	pages := add([]byte(fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page)))
	cat := add([]byte(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pages)))
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n", i+1)
		out.Write(o)
		out.WriteString("\nendobj\n")
	}
	x := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, cat, x)
	return out.Bytes()
}

// TestIdentifyDoesNotCopyTheReleasedFile: every public identification that named a letter
// and went on to the file checks (a JSON text marked "scan", or with a "digest" or "pages";
// an uploaded scan or PDF) read the released file and the released version's file out of the
// database (registry.releasedFilesOf), a copy per request (found by audit, forty-ninth
// session; their texts are kept now, by digest, and the files read only on a miss), outside
// the upload and identification budgets (which count the request's own bytes): a ~3 KB
// request costs a copy of a released file of up to the upload limit (50 MB), 30 at once from
// one address (the rate limit's burst). Bound checked: a small request allocates less than
// the released file's size.
func TestIdentifyDoesNotCopyTheReleasedFile(t *testing.T) {
	o := cfNewOffice(t)
	o.srv = o.newServer(t)
	lines := []string{"Dear Minister,", "We confirm the transfer of the sum agreed for the repair of the northern bridge,",
		"to be paid in three parts over the coming year, the first on the first of March.",
		"The works will be supervised by the engineers of the province, who will report monthly",
		"to your office and to ours on the progress made and the sums spent.", "Yours faithfully,", "The Director"}
	const side = 3000 // a 9 MB picture
	l := o.create(t, "golf", ".pdf", "application/pdf", string(bigPDF(lines, side)))
	o.release(t, l)
	text, err := ocr.VisibleText(context.Background(), l.rel.File)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"text": text, "scan": true})
	scanBody := len(body)
	ask := func() string {
		resp, err := http.Post(o.srv.URL+"/api/v1/identify", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return fmt.Sprintf("%d %s", resp.StatusCode, answer)
	}
	if a := ask(); !strings.Contains(a, l.ref) { // warms the caches
		t.Fatalf("the letter's text was not identified: %s", a)
	}
	const asks = 5
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	for range asks {
		ask()
	}
	took := time.Since(start) / asks
	runtime.ReadMemStats(&after)
	per := int64(after.TotalAlloc-before.TotalAlloc) / asks
	// The rate limit's burst from one address, at once: the heap's peak.
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	done := make(chan struct{})
	peak := make(chan uint64)
	go func() {
		var m runtime.MemStats
		var top uint64
		for {
			runtime.ReadMemStats(&m)
			top = max(top, m.HeapInuse)
			select {
			case <-done:
				peak <- top
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	var wg sync.WaitGroup
	for range 30 {
		wg.Add(1)
		go func() { defer wg.Done(); ask() }()
	}
	wg.Wait()
	close(done)
	t.Logf("30 at once: heap in use rose from %d MB to a peak of %d MB", base.HeapInuse>>20, <-peak>>20)
	// Plain pasted text, one word changed (the web's /verify/text asks the same):
	// classed near, it is compared with what the released file shows (shownMatch), which
	// reads the files again.
	altered := strings.Replace(text, "northern", "southern", 1)
	body, _ = json.Marshal(map[string]any{"text": altered})
	if a := ask(); !strings.Contains(a, l.ref) || !strings.Contains(a, "altered") {
		t.Fatalf("the altered text: %s", a)
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range asks {
		ask()
	}
	runtime.ReadMemStats(&after)
	if p := int64(after.TotalAlloc-before.TotalAlloc) / asks; p > int64(len(l.rel.File)) {
		t.Errorf("each %d-byte identification of pasted text, one word changed, allocated %d MB; the released file is %d MB", len(body), p>>20, len(l.rel.File)>>20)
	}
	// The letter's own text, pasted whole (what most holders of a leaked letter send): its
	// signs are checked against the released files' texts (signsMatch), read again too.
	body, _ = json.Marshal(map[string]any{"text": strings.Join(lines, "\n")})
	if a := ask(); !strings.Contains(a, l.ref) || !strings.Contains(a, `"valid"`) {
		t.Fatalf("the letter's text: %s", a)
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range asks {
		ask()
	}
	runtime.ReadMemStats(&after)
	if p := int64(after.TotalAlloc-before.TotalAlloc) / asks; p > int64(len(l.rel.File)) {
		t.Errorf("each %d-byte identification of the letter's own text allocated %d MB; the released file is %d MB", len(body), p>>20, len(l.rel.File)>>20)
	}
	if per > int64(len(l.rel.File)) {
		t.Errorf("each %d-byte identification (scan) allocated %d MB (%v each); the released file is %d MB", scanBody, per>>20, took.Round(time.Millisecond), len(l.rel.File)>>20)
	}
}
