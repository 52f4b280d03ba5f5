package pdf_test

import (
	"testing"

	"github.com/chancery/chancery/internal/pdf"
)

// TestScreenOrderPutsLinesInLogicalOrder: lines pdftotext wrote in screen order (its runs
// from left to right, each Arabic run embedded) are put in logical order; its right-to-left
// lines, in logical order already, and lines without embedded runs are left as they are.
func TestScreenOrderPutsLinesInLogicalOrder(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"NATO SECRET: \u202b بشأن تنسيق تحركات القوات مع\u202c28/11/2026 \u202b بتاريخ\u202c145 \u202b وصلتنا رسالتكم رقم\u202cLiaison",
			"NATO SECRET: وصلتنا رسالتكم رقم 145 بتاريخ 28/11/2026 بشأن تنسيق تحركات القوات مع Liaison"},
		{"\f\u202b في\u202cMinistry of Defence \u202b إلى\u202c2026 \u202b ديسمبر\u202c31 \u202b يدفع قبل\u202c،\u202b هو رقم الرسالة\u202c2026/145",
			"\f2026/145 هو رقم الرسالة، يدفع قبل 31 ديسمبر 2026 إلى Ministry of Defence في"},
		{"\u202bتحية طيبة وبعد\u202a ،\u202cفقد تلقينا رسالتكم رقم \u202a 2026/145\u202cالمؤرخة\u202c",
			"\u202bتحية طيبة وبعد\u202a ،\u202cفقد تلقينا رسالتكم رقم \u202a 2026/145\u202cالمؤرخة\u202c"},
		{"\u202bمعالي وزير الخارجية المحترم\u202c", "\u202bمعالي وزير الخارجية المحترم\u202c"},
		{"Ministry of Defence 2026", "Ministry of Defence 2026"},
	} {
		if got := pdf.ScreenOrder(c.in); got != c.want {
			t.Errorf("ScreenOrder(%q)\n= %q\nwant %q", c.in, got, c.want)
		}
	}
}
