package pdf

import (
	"bytes"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// TestInlineImageDataEndsOnce: readers disagree on where an inline image's compressed data
// ends (at the first "EI" between spaces, or where their decoder stops), so a small picture
// could hide a large one in bytes that one reader takes for data and another for operators.
// After a copy's rewriting every inline image's data is hexadecimal, which ends at one '>'
// in every reader: the bytes of the hidden picture must be inside it, not operators.
func TestInlineImageDataEndsOnce(t *testing.T) {
	hidden := "Q q 400 0 0 520 50 150 cm BI /W 60 /H 60 /CS /G /BPC 8 /F /AHx ID " + strings.Repeat("80", 3600) + ">"
	content := []byte("q 20 0 0 20 0 0 cm BI /W 20 /H 20 /CS /G /BPC 8 /F /DCT ID \xff\xd8junk\xff\xd9\n" + hidden + "\nEI Q")
	var budget pixelBudget
	out, changed, err := rewriteInlineImages(nil, content, nil, Burned{Banner: "DRAFT", Line: "copy"}, &budget)
	if err != nil || !changed {
		t.Fatalf("rewrite: %v, changed %v", err, changed)
	}
	if n := bytes.Count(out, []byte("BI ")); n != 1 {
		t.Fatalf("%d inline images after the rewrite, want 1:\n%.300s", n, out)
	}
	if bytes.Contains(out, []byte("/W 60")) {
		t.Errorf("the hidden picture's dictionary is still read as operators:\n%.300s", out)
	}
	start := bytes.Index(out, []byte(" ID ")) + 4
	end := bytes.IndexByte(out[start:], '>')
	if end < 0 || strings.Trim(string(out[start:start+end]), "0123456789abcdef") != "" {
		t.Fatalf("the data is not hexadecimal up to its '>'")
	}
	if rest := string(out[start+end:]); rest != ">\nEI Q" {
		t.Errorf("after the data: %q", rest)
	}
}

// FuzzInlineImages: content streams are a drafter's bytes. The reader of inline images must
// not panic, and what it writes must read again.
func FuzzInlineImages(f *testing.F) {
	f.Add([]byte("q BI /W 20 /H 20 /CS /G /BPC 8 ID " + strings.Repeat("\x10", 400) + "\nEI Q"))
	f.Add([]byte("BI /W 2 /H 2 /CS /CS0 /BPC 8 ID abcd EI (BI) Tj <4249> Tj % BI\n"))
	f.Add([]byte("BI /W 50 /H 50 /IM true /F /AHx ID " + strings.Repeat("f0", 350) + "> EI"))
	f.Add([]byte("BI /W 3 /H 1 /CS [/I /RGB 1 <000000ffffff>] /BPC 1 /F [/AHx] /DP [null] ID 00> EI"))
	ctx := onePage(f)
	res := types.Dict{"ColorSpace": types.Dict{"CS0": types.Name("DeviceGray")}}
	b := Burned{Banner: "DRAFT", Line: "copy"}
	f.Fuzz(func(t *testing.T, content []byte) {
		var budget pixelBudget
		out, changed, err := rewriteInlineImages(ctx, content, res, b, &budget)
		if err != nil || !changed {
			return
		}
		var again pixelBudget
		if _, _, err := rewriteInlineImages(ctx, out, res, b, &again); err != nil {
			t.Fatalf("the rewritten content does not read again: %v\n%.300q", err, out)
		}
	})
}

// onePage is the context of a PDF of one empty page.
func onePage(t testing.TB) *model.Context {
	ctx, err := read(pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
	))
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}
