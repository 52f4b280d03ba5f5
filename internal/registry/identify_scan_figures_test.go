package registry

import (
	"context"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/ocr"
)

// TestIdentifyScanArabicFigures: the text read from a scan of an Arabic letter whose amount
// or date was changed by one Arabic-Indic digit is an altered copy, not the letter. The scan
// comparison took only ASCII digits for figures, so such a change was OCR noise and the
// forged scan answered valid.
func TestIdentifyScanArabicFigures(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	letter := "معالي وزير المالية المحترم\n\n" +
		"تحية طيبة وبعد، فقد تلقينا رسالتكم المؤرخة في الثامن والعشرين من نوفمبر بشأن تمويل الأشغال في القطاع الشمالي، ونود أن نؤكد لكم أن الوزارة ستصرف مبلغ ١٠٠٠٠٠ دينار إلى المقاول في ١٥ مارس بعد انتهاء التنسيق مع خلية الاتصال في العاصمة.\n\n" +
		"كما نحيطكم علما بأن أي صرف لن يعلن قبل ذلك، وأن جميع الترتيبات ستتم بالتشاور مع مكتبكم، وسيتم إرسال جدول زمني مفصل خلال عشرة أيام من تاريخ استلام هذه الرسالة.\n\n" +
		"وتفضلوا بقبول فائق الاحترام والتقدير\n"
	ref, _ := o.released(t, letter)
	if got, err := o.r.IdentifyScan(ctx, Actor{}, ocr.Reading{Text: letter}); err != nil || got.Outcome != Valid || got.Reference != ref {
		t.Fatalf("the letter read from a scan: %+v, %v; want valid %s", got, err, ref)
	}
	for _, c := range [][2]string{{"١٠٠٠٠٠", "٩٠٠٠٠٠"}, {"١٥ مارس", "١٦ مارس"}} {
		forged := strings.Replace(letter, c[0], c[1], 1)
		for _, who := range []Actor{{}, o.reviewer} {
			got, err := o.r.IdentifyScan(ctx, who, ocr.Reading{Text: forged})
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Altered || got.Reference != ref {
				t.Errorf("%s for %s (member %v): %s %s (%s): %s; want altered %s", c[1], c[0], who.Member != nil, got.Outcome, got.Reference, got.Match, got.Message, ref)
			}
		}
	}
}
