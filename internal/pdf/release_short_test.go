package pdf_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/pdf"
)

// BenchmarkReleaseShortText is the PDF layer's part of the release of issue 19 item 4's
// letters (writebench): a text letter of 300 bytes laid out with its footer and signed, every
// letter with its own reference and verify address, all of one office on one day.
func BenchmarkReleaseShortText(b *testing.B) {
	s := releaseSigner(b)
	body := []byte(strings.Repeat("The letter of the write benchmark, with its words. ", 6)[:300])
	start := cpuTime(b)
	var each []time.Duration
	i := 0
	for b.Loop() {
		i++
		ref := fmt.Sprintf("TFN-2026-%06d", i)
		h, f := head, footer
		h.Reference, f.Reference = ref, ref
		f.VerifyURL = "https://registry.tfn.example/v/" + ref + "?c=" + fmt.Sprintf("%08X", i*2654435761%(1<<32))
		t := cpuTime(b)
		if _, err := pdf.RenderReleaseText("text/plain", body, h, f, s); err != nil {
			b.Fatal(err)
		}
		each = append(each, cpuTime(b)-t)
	}
	reportCPU(b, start)
	reportMedianCPU(b, each)
}
