package pdf_test

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/officeca"
	"github.com/chancery/chancery/internal/pdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// TestObjectStreams stamps a document that keeps its objects in compressed object streams
// and a cross-reference stream, as pdfcpu, Word and most modern producers write them.
func TestObjectStreams(t *testing.T) {
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.WriteObjectStream, conf.WriteXRefStream = true, true
	var packed bytes.Buffer
	if err := api.Optimize(bytes.NewReader(letter(t, 2)), &packed, conf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(packed.Bytes(), []byte("/ObjStm")) {
		t.Fatal("fixture has no object stream")
	}
	stamped := mustStamp(t, packed.Bytes(), footer)
	file := writeTemp(t, "s.pdf", stamped)
	for i := 1; i <= pageCount(t, stamped); i++ {
		txt := pageText(t, file, i)
		if !strings.Contains(txt, "Verify at "+footer.VerifyURL) || !strings.Contains(txt, "TFN-2026-0042") {
			t.Errorf("page %d:\n%s", i, txt)
		}
	}
}

// TestScreenshots writes the pictures of the documentation when
// CHANCERY_UPDATE_SCREENSHOTS=1: the first page of a draft copy and of a released letter.
func TestScreenshots(t *testing.T) {
	if os.Getenv("CHANCERY_UPDATE_SCREENSHOTS") != "1" {
		t.Skip("set CHANCERY_UPDATE_SCREENSHOTS=1 to update docs/screenshots")
	}
	src := letter(t, 2)
	draft, err := pdf.Watermark(src, mark)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"pdf-draft-copy": draft, "pdf-released-letter": mustStamp(t, src, footer)} {
		run(t, "pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "-png", writeTemp(t, name+".pdf", doc), filepath.Join(dir, name))
	}
}

// releaseSigner is the signer of a new office CA made at released, the benchmarks' release
// date, so that its certificates are valid when they sign.
func releaseSigner(b *testing.B) *pdf.Signer {
	b.Helper()
	dir := b.TempDir()
	if err := officeca.Create(dir, "Task Force North", released); err != nil {
		b.Fatal(err)
	}
	s, err := officeca.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkRelease10Pages measures what a release costs the PDF layer: Stamp and Sign of a
// ten-page letter.
func BenchmarkRelease10Pages(b *testing.B) {
	src := letter(b, 10)
	s := releaseSigner(b)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := cpuTime(b)
	for b.Loop() {
		stamped, err := pdf.Stamp(src, footer)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pdf.Sign(stamped, s, released, "Task Force North"); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportCPU(b, start)
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<20), "MiB/letter")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "letters/s")
}
