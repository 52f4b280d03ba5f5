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
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := pdf.Text(data)
		if err != nil && s != "" {
			t.Fatal("text with an error")
		}
	})
}
