package pdf_test

import (
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// The seed corpus is in testdata/fuzz/FuzzCheck and testdata/fuzz/FuzzText: small real PDFs
// (rendered, stamped, a draft copy, hand-written, with object streams, encrypted).

func FuzzCheck(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := pdf.Check(data)
		if err == nil && (info == nil || info.Pages < 1 || info.Pages > pdf.MaxPages) {
			t.Fatalf("Check accepted with %+v", info)
		}
	})
}

func FuzzText(f *testing.F) {
	// Decompression bombs (issue 12 item 2), small enough to run with every test.
	f.Add(contentArrayBomb(5<<20, 8))
	f.Add(toUnicodeBomb(3 << 20))
	f.Add(nestedFlateBomb())
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := pdf.Text(data)
		if err != nil && s != "" {
			t.Fatal("text with an error")
		}
	})
}
