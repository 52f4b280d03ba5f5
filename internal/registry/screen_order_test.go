package registry

import (
	"context"
	"strings"
	"testing"
)

// TestIdentifyPastedMixedArabicLines: the text of a letter whose paragraph mixes Arabic with
// figures and Latin words, copied with pdftotext from the released letter, identifies it as
// valid. pdftotext writes a line it takes for a left-to-right one in screen order (its runs
// from left to right, each Arabic run between U+202B and U+202C): such a text matched about
// half the letter's word sequences and was answered unknown.
func TestIdentifyPastedMixedArabicLines(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	for _, c := range []struct{ name, para string }{
		{"a left-to-right paragraph", "NATO SECRET: وصلتنا رسالتكم رقم 145 بتاريخ 28/11/2026 بشأن تنسيق تحركات القوات مع Liaison Cell North وسنرد عليها خلال 10 أيام، ونؤكد أن الكتيبة 3 لن تتحرك قبل 15 ديسمبر 2026 إلا بعد موافقة Joint Command في العاصمة، وأن الفريق Alpha سيبقى في القطاع 7 حتى نهاية التمرين Winter Shield."},
		{"a right-to-left paragraph", "2026/145 هو رقم الرسالة، والمبلغ المتفق عليه يدفع قبل 31 ديسمبر 2026 إلى Ministry of Defence في Freedonia حسب الاتفاق الموقع في 12 مارس 2025، على أن تسلم الدفعة الثانية وقدرها 250 ألف يورو إلى مكتب Procurement Office في موعد أقصاه 30 يونيو 2027، وترسل نسخة من الإيصال إلى خلية الاتصال."},
	} {
		t.Run(c.name, func(t *testing.T) {
			ref, _ := o.released(t, "معالي وزير الخارجية المحترم\n\n"+c.para+"\n\nوتفضلوا بقبول فائق الاحترام والتقدير\n")
			out := o.pdftotextOfReleased(t, ref)
			// What a reader selects: the body, from its first line to its last.
			text := out
			i, j := strings.Index(text, "معالي"), strings.Index(text, "والتقدير")
			if i < 0 || j < i {
				t.Fatalf("the released letter's text lacks its salutation or closing:\n%s", out)
			}
			text = text[i : j+len("والتقدير")]
			got, err := o.r.Identify(ctx, Actor{}, text)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Valid || got.Reference != ref {
				t.Errorf("%s %s, want valid %s\npasted:\n%s", got.Outcome, got.Reference, ref, text)
			}
		})
	}
}
