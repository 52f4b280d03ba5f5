package web

import (
	"strings"
	"testing"
)

// TestComparePagesInLettersOCRDoesNotRead: a server whose OCR reads English and French
// (Tesseract's default languages here) reads an Arabic letter's pages as Latin letters: every
// word differed, and the letter page listed the whole letter as words its pages do not show,
// under an alert, for every Arabic PDF. Such pages are said not compared instead. Pages read
// in the text's own letters are compared as before, and a few words of another script in a
// letter do not stop the comparison of the rest.
func TestComparePagesInLettersOCRDoesNotRead(t *testing.T) {
	// A LibreOffice letter in Arabic, and what Tesseract read on its pages with eng+fra.
	const arabic = "وزارة المالية\nالسيد المدير المحترم،\nنحيطكم علماً بأن الوزارة قررت صرف مبلغ قدره مليون ومئتان وخمسون ألف دينار لتمويل برنامج التجهيز، على أن يتم الصرف على ثلاث دفعات خلال عام 2026.\nوتفضلوا بقبول فائق الاحترام."
	const readLatin = "wepirall pro seul colis jai lo all guess uliiog ugele 0425 dhe spo 1356 8 lisll ob lele shr 2026 ble jw less sw de spo od ul we hugall äuo oladl"
	if s := comparePages(arabic, readLatin); !s.Script || len(s.Runs) != 0 {
		t.Errorf("an Arabic letter read as Latin letters: %+v; want it not compared", s)
	}
	// Read with Arabic, a word its pages do not show is still listed.
	shown := strings.Replace(arabic, "مبلغ قدره مليون", "مبلغ مليون", 1)
	if s := comparePages(arabic, shown); s.Script || len(s.Runs) != 1 || s.Runs[0].Text != "قدره" {
		t.Errorf("an Arabic letter read in Arabic without a word: %+v; want the word listed", s)
	}
	// A Latin letter with an Arabic name OCR does not read: "not" is still listed.
	const latin = "The Ministry will not pay the sum agreed with the Treasury of الجمهورية to the contractor before the end of the month."
	if s := comparePages(latin, "The Ministry will pay the sum agreed with the Treasury of to the contractor before the end of the month."); s.Script || len(s.Runs) != 2 {
		t.Errorf("a Latin letter with an Arabic word: %+v; want not and the Arabic word listed", s)
	}
}
