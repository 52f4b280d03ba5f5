package pdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/chancery/chancery/internal/pdf"
)

// words are the letters-and-marks words of s, normalised: right-to-left text comes back from
// pdftotext in logical order word by word, but with neutral punctuation placed by the page's
// direction, so it is compared word by word.
func words(s string) []string {
	return strings.FieldsFunc(normalize(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsDigit(r) })
}

// requireWords fails unless every word of want is in got. pdftotext gives the words of a line
// that mixes directions in visual order, and places neutral punctuation by the page's
// direction, so spaces are ignored (TestMixedLineWords checks that no word is cut).
func requireWords(t *testing.T, got, want, where string) {
	t.Helper()
	joined := strings.Join(strings.Fields(got), "")
	for _, w := range words(want) {
		if !strings.Contains(joined, w) {
			t.Errorf("%s lacks %q (of %q)\ngot: %s", where, w, want, got)
		}
	}
}

// TestStampLanguages: a footer in English and Arabic side by side, one in all three
// languages, and one in French, give back their texts through pdftotext on every page, and
// the QR code still reads.
func TestStampLanguages(t *testing.T) {
	requireTool(t, "zbarimg")
	src := letter(t, 2)
	for _, c := range []struct {
		langs []string
		want  []string
		not   string
	}{
		{[]string{"en", "ar"}, []string{"Official letter, released 2 March 2026", "رسالة رسمية، صدرت بتاريخ 2 مارس 2026",
			"امسح الرمز أو افتح العنوان أعلاه للتحقق من هذه الرسالة في السجل العلني للجهة"}, "Lettre officielle"},
		{[]string{"en", "fr", "ar"}, []string{"Official letter, released 2 March 2026", "Lettre officielle, émise le 2 mars 2026",
			"رسالة رسمية، صدرت بتاريخ 2 مارس 2026", "Scan the code or open the address above to check this letter against the office's public log.",
			"Scannez le code ou ouvrez l'adresse ci-dessus", "امسح الرمز أو افتح العنوان أعلاه للتحقق من هذه الرسالة في السجل العلني للجهة"}, "Verify at"},
		{[]string{"fr"}, []string{"Lettre officielle, émise le 2 mars 2026", "Vérifier sur " + footer.VerifyURL,
			"Scannez le code ou ouvrez l'adresse pour vérifier cette lettre dans le journal public du service."}, "Official letter"},
	} {
		t.Run(strings.Join(c.langs, ","), func(t *testing.T) {
			f := footer
			f.Languages = c.langs
			stamped := mustStamp(t, src, f)
			if bytes.Equal(stamped, mustStamp(t, src, footer)) {
				t.Fatal("the languages did not change the stamp")
			}
			file := writeTemp(t, "stamped.pdf", stamped)
			for i := 1; i <= pageCount(t, stamped); i++ {
				got := normalize(pageText(t, file, i))
				for _, w := range append(c.want, "Task Force North · TFN-2026-0042", footer.VerifyURL) {
					requireWords(t, got, w, "page")
				}
				if strings.Contains(got, c.not) {
					t.Errorf("page %d has %q, a language the office did not choose", i, c.not)
				}
			}
			prefix := filepath.Join(t.TempDir(), "page")
			run(t, "pdftoppm", "-r", "150", "-png", file, prefix)
			pngs, _ := filepath.Glob(prefix + "*.png")
			for _, p := range pngs {
				out, err := exec.Command("zbarimg", "--quiet", "--raw", p).Output()
				if err != nil || strings.TrimSpace(string(out)) != footer.VerifyURL {
					t.Errorf("%s: QR code reads %q (%v), want %q", filepath.Base(p), out, err, footer.VerifyURL)
				}
			}
			if os.Getenv("CHANCERY_UPDATE_SCREENSHOTS") == "1" {
				run(t, "pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-y", "1080", "-H", "200", "-W", "910", "-singlefile", file,
					"../../docs/screenshots/pdf-footer-"+strings.Join(c.langs, "-"))
			}
		})
	}
	f := footer
	f.Languages = []string{"de"}
	if _, err := pdf.Stamp(src, f); err == nil {
		t.Error("a stamp language Chancery does not ship was accepted")
	}
	f.Languages = []string{"en", "fr", "ar", "en"}
	if _, err := pdf.Stamp(src, f); err == nil {
		t.Error("four stamp languages were accepted")
	}
}

// TestWatermarkLanguages: a coordination copy and a preview marked in French and Arabic carry
// the banner and the line in each language on every page.
func TestWatermarkLanguages(t *testing.T) {
	src := letter(t, 2)
	m := mark
	m.Languages = []string{"fr", "ar"}
	draft, err := pdf.Watermark(src, m)
	if err != nil {
		t.Fatal(err)
	}
	file := writeTemp(t, "draft.pdf", draft)
	for i := 1; i <= pageCount(t, draft); i++ {
		got := normalize(pageText(t, file, i))
		for _, w := range []string{"PROJET — DOCUMENT NON OFFICIEL", "Copie de coordination pour Liaison cell · TFN-2026-0042 v2 · exportée le 2 mars 2026 14:30 UTC par dana",
			"مسودة — ليست وثيقة رسمية", "نسخة تنسيق إلى"} {
			requireWords(t, got, w, "draft page")
		}
		if strings.Contains(got, "DRAFT") {
			t.Errorf("page %d of a French and Arabic copy is marked in English:\n%s", i, got)
		}
	}
	if strings.Contains(string(draft), "/OC ") {
		t.Error("draft marks are optional content, which a viewer can hide")
	}
	p := pdf.PreviewMark{Reference: "TFN-2026-0042", Version: 3, Member: "rita", At: released, Languages: []string{"ar"}}
	prev, err := pdf.Preview(src, p)
	if err != nil {
		t.Fatal(err)
	}
	got := normalize(pageText(t, writeTemp(t, "preview.pdf", prev), 1))
	requireWords(t, got, "معاينة مسودة — ليست وثيقة رسمية", "preview")
	requireWords(t, got, "مسجّلة كنسخة مسودة", "preview")
	p.Languages = []string{"en", "fr", "ar"}
	if prev, err = pdf.Preview(src, p); err != nil {
		t.Fatal(err)
	}
	got = normalize(pageText(t, writeTemp(t, "preview3.pdf", prev), 1))
	for _, w := range []string{"DRAFT PREVIEW — NOT AN OFFICIAL DOCUMENT", "APERÇU DE PROJET", "معاينة مسودة — ليست وثيقة رسمية", "Preview of TFN-2026-0042 v3 for rita"} {
		requireWords(t, got, w, "three-language preview")
	}
	if os.Getenv("CHANCERY_UPDATE_SCREENSHOTS") == "1" {
		run(t, "pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", file, "../../docs/screenshots/pdf-draft-fr-ar")
	}
}
