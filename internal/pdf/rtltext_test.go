package pdf_test

import (
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// TestTextReadsRightToLeftInLogicalOrder: the text of a letter written in Arabic, laid out
// on the letterhead, reads in the order it was written (what identification and reviewers'
// text views compare with the letter's own text), not in the left-to-right order its glyphs
// are drawn, which reverses every Arabic word.
func TestTextReadsRightToLeftInLogicalOrder(t *testing.T) {
	body := "# تنسيق تحركات القوات\n\nسعادة السفير المحترم،\n\n" +
		"نتشرف بإبلاغكم بأن وزارة الدفاع ستقوم بسحب ١٢٠٠ جندي اعتباراً من ١٥ مارس ٢٠٢٦.\n\n" +
		"يُرجى العلم بأن المبلغ هو 3,500,000 دولار (USD) ويُحوَّل إلى الحساب IBAN FR76 3000.\n"
	h := pdf.Letterhead{Office: "Bureau de l'Ambassade — سفارة", Reference: "TFN-2026-000001", Addressees: []string{"Ministère des Armées"}}
	out, err := pdf.Render("text/markdown", []byte(body), h)
	if err != nil {
		t.Fatal(err)
	}
	text, err := pdf.Text(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Bureau de l'Ambassade — سفارة",
		"تنسيق تحركات القوات",
		"سعادة السفير المحترم،",
		"نتشرف بإبلاغكم بأن وزارة الدفاع ستقوم بسحب ١٢٠٠ جندي اعتباراً من ١٥ مارس ٢٠٢٦.",
		"يُرجى العلم بأن المبلغ هو 3,500,000 دولار",
		"ويُحوَّل إلى الحساب IBAN FR76 3000.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
}
