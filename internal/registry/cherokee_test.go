package registry

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf/pdftest"
)

// cherokeeLetter is a letter in Cherokee's capitals, with a line of Afrikaans whose article
// is typed as U+0149 (ŉ).
const cherokeeLetter = "\u13a3\u13cf\u13f2 \u13a0\u13a6\u13f4\u13b5\u13a8,\n\n" +
	"\u13e3\u13b3\u13a9 \u13a0\u13f0\u13b5 \u13a4\u13be\u13d3\u13e1\u13ac \u13a0\u13c2\u13f4\u13eb\u13ef \u13a6\u13d9\u13af " +
	"\u13a4\u13c2\u13e3\u13d8 \u13e7\u13c2\u13b8\u13eb\u13cd\u13d3\u13c1\u13d7 \u13a8\u13d2\u13a2 \u13a0\u13d3\u13c1\u13b8 " +
	"\u13d7\u13c2\u13f2\u13df \u13a0\u13c1\u13b2 \u13d7\u13a6\u13c3\u13e3\u13b3\u13c5 \u13a0\u13cd\u13a6\u13ef \u13a4\u13ec\u13da\u13af " +
	"\u13d7\u13aa\u13ea\u13b5 \u13e7\u13d3\u13b4\u13c5\u13d3 \u13eb\u13ac\u13e9\u13c2\u13f4\u13cd\u13d7 \u13da\u13d9\u13a5.\n\n" +
	"Dit is \u0149 brief van die kantoor.\n\n\u13a4\u13c1\u13b3\u13c5\u13af\n"

// cherokeePDF is a one-page PDF of cherokeeLetter: the office's fonts draw no Cherokee, so
// such a letter is a PDF made elsewhere. Its font F1 maps codes 0x30 to 0x85 to Cherokee's
// capitals and 0x86 to U+0149 (/ToUnicode), F2 is Helvetica for the rest.
func cherokeePDF() []byte {
	var content strings.Builder
	content.WriteString("BT 60 780 Td 16 TL\n")
	for _, line := range strings.Split(cherokeeLetter, "\n") {
		font, run := "", []byte{}
		flush := func() {
			if len(run) > 0 {
				fmt.Fprintf(&content, "/%s 11 Tf <%X> Tj\n", font, run)
			}
			run = run[:0]
		}
		for _, r := range line {
			f, c := "F2", byte(r)
			switch {
			case r >= 0x13a0 && r <= 0x13f5:
				f, c = "F1", byte(0x30+r-0x13a0)
			case r == 0x0149:
				f, c = "F1", 0x86
			case r == ' ' || r == ',' || r == '.':
				f = font
			}
			if f != font && font != "" {
				flush()
			}
			if font == "" || f != "" {
				font = f
			}
			run = append(run, c)
		}
		flush()
		content.WriteString("T*\n")
	}
	content.WriteString("ET\n")
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"/CMapName /Cherokee def 1 begincodespacerange <00> <FF> endcodespacerange\n" +
		"4 beginbfchar <20> <0020> <2C> <002C> <2E> <002E> <86> <0149> endbfchar\n" +
		"1 beginbfrange <30> <85> <13A0> endbfrange\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end\n"
	widths := strings.TrimSpace(strings.Repeat("600 ", 0x86-0x20+1))
	c := content.String()
	return pdftest.Build(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(c)), []byte(c)),
		fmt.Sprintf("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 /LastChar 134 /Widths [%s] /ToUnicode 7 0 R >>", widths),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		pdftest.Stream(fmt.Sprintf("<< /Length %d >>", len(cmap)), []byte(cmap)),
	)
}

// cherokeeSmall is text with Cherokee's capitals typed as its small letters.
func cherokeeSmall(text string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0x13a0 && r <= 0x13ef:
			return r - 0x13a0 + 0xab70
		case r >= 0x13f0 && r <= 0x13f5:
			return r + 8
		}
		return r
	}, text)
}

// afrikaansLetter is a letter in Afrikaans whose article is typed as U+0149 (ŉ).
const afrikaansLetter = "Geagte Minister,\n\nDie Taakmag stel die Ministerie in kennis dat \u0149 tweede brigade die " +
	"noordelike distrik binne die komende weke sal verlaat, in samewerking met die nasionale owerhede. " +
	"Elke fase sal vooraf aan die skakeloffisiere aangekondig word.\n\nDie uwe\n"

// TestRereadFingerprintsOfCherokee: the builds before this one folded Cherokee's capitals to
// its small letters and its small letters to its capitals, and read U+0149 as a modifier
// letter and n: the fingerprints of letters holding them, stored on an office that had read
// its fingerprints again (fingerprints_reread3_*), a plain-text version's too, are read
// again, and the letters are found by their text typed otherwise (Cherokee in small letters,
// "'n").
func TestRereadFingerprintsOfCherokee(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	cherokee := o.releasedPDF(t, cherokeePDF())
	afrikaans, _ := o.released(t, afrikaansLetter)
	// The fingerprints an earlier build stored, whose folding this build does not make: those
	// of the text without its Cherokee letters and U+0149 stand for them.
	stored := 0
	var last int64
	for _, ref := range []string{cherokee, afrikaans} {
		last = o.letterRow(t, ref).ID
		stored += storedAsBefore(t, o.r, last, func(text string) (string, error) {
			return strings.Map(func(r rune) rune {
				if r >= 0x13a0 && r <= 0x13ff || r == 0x0149 {
					return -1
				}
				return r
			}, text), nil
		})
	}
	readAgainThrough(t, o, last)
	small := cherokeeSmall(strings.ReplaceAll(cherokeeLetter, "\u0149", "'n"))
	typed := strings.ReplaceAll(afrikaansLetter, "\u0149", "'n")
	n := foundOnlyAfterReread(t, o.r, cherokee, small, map[string]string{"typed in small letters": small, "as released": cherokeeLetter})
	r := New(o.r.cfg)
	if err := r.LoadIdentification(ctx); err != nil {
		t.Fatal(err)
	}
	if got, err := r.Identify(ctx, Actor{}, typed); err != nil || got.Outcome != Valid || got.Reference != afrikaans {
		t.Errorf("the Afrikaans letter typed with 'n, after its fingerprints were read again: %+v, %v", got, err)
	}
	if n != stored {
		t.Errorf("%d fingerprints replaced, want %d", n, stored)
	}
}
