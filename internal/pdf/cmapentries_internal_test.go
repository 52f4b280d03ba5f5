package pdf

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// TestRealCMapsWithinEntryBounds: the entry bound refuses none of the maps of the letters
// Chancery renders, in every script it lays out, nor of pdfcpu's test corpus; the most
// entries of a page's maps, of both, are logged.
func TestRealCMapsWithinEntryBounds(t *testing.T) {
	docs := map[string][]byte{}
	for i, text := range []string{
		"The ministry pays 1,500,000 dollars to the contractor.\n",
		strings.Repeat("تدفع الوزارة مليون دينار للمقاول. ", 300),
		strings.Repeat("המשרד משלם למקבלן. ", 300),
		strings.Repeat("मंत्रालय ठेकेदार को भुगतान करता है। ", 300),
		cjkLetter(),
	} {
		letter, err := Render("text/markdown", []byte(text), Letterhead{Office: "Task Force North", Reference: "TFN-2026-000042"})
		if err != nil {
			t.Fatal(err)
		}
		docs[fmt.Sprint("letter ", i)] = letter
	}
	mod, _ := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pdfcpu/pdfcpu").Output()
	files, _ := filepath.Glob(filepath.Join(strings.TrimSpace(string(mod)), "pkg", "testdata", "*.pdf"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		docs[filepath.Base(f)] = data
	}
	most, mostMap, mostDoc := int64(0), int64(0), ""
	for name, data := range docs {
		ctx, err := read(data)
		if err != nil {
			continue
		}
		if err := checkTextStreams(ctx, nil); errors.Is(err, ErrTooLarge) && strings.Contains(err.Error(), "ToUnicode") {
			t.Errorf("%s: %v", name, err)
		}
		page, one := pageCMapEntries(t, ctx)
		if page > most {
			most, mostDoc = page, name
		}
		mostMap = max(mostMap, one)
	}
	t.Logf("%d documents; the most entries: %d for a page (%s), %d for a map", len(docs), most, mostDoc, mostMap)
	if most == 0 || most > maxPageCMapEntries/10 || mostMap > maxCMapEntries/10 {
		t.Errorf("%d entries for a page, %d for a map; bounds %d and %d", most, mostMap, maxPageCMapEntries, maxCMapEntries)
	}
}

// pageCMapEntries returns the most entries of the /ToUnicode maps of a page of ctx, and of
// one map.
func pageCMapEntries(t *testing.T, ctx *model.Context) (page, one int64) {
	for i := 1; i <= ctx.PageCount; i++ {
		d, _, inh, err := ctx.PageDict(i, false)
		if err != nil || d == nil {
			continue
		}
		sum := int64(0)
		for _, s := range toUnicodeStreams(ctx, d, inh) {
			var b strings.Builder
			if _, err := decodedSize(ctx, s, maxCMap, nil, &b); err != nil {
				t.Fatal(err)
			}
			n, err := cmapEntries([]byte(b.String()), 1<<62)
			if err != nil {
				t.Fatal(err)
			}
			sum, one = sum+n, max(one, n)
		}
		page = max(page, sum)
	}
	return page, one
}

// cjkLetter is a letter of many distinct CJK characters, so that its fonts' maps are large.
func cjkLetter() string {
	var b strings.Builder
	b.WriteString("部委向承包商支付款项。\n\n")
	for r := rune(0x4E00); r < 0x4E00+6000; r++ {
		b.WriteRune(r)
		if r%40 == 0 {
			b.WriteString("。\n\n")
		}
	}
	return b.String()
}
