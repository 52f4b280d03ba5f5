package registry

import (
	"context"
	"os"
	"testing"
)

// libreOfficeArabic is the text of ../pdf/testdata/libreoffice-arabic.pdf, as written.
const libreOfficeArabic = "معالي وزير الخارجية المحترم\n\n" +
	"تحية طيبة وبعد، فقد تلقينا رسالتكم المؤرخة في الثامن والعشرين من نوفمبر بشأن تنسيق تحركات القوات في القطاع الشمالي، ونود أن نؤكد لكم أن الوحدات لن تتحرك إلا بعد انتهاء التنسيق مع خلية الاتصال في العاصمة.\n\n" +
	"كما نحيطكم علما بأن أي تحرك لن يعلن قبل ذلك، وأن جميع الترتيبات اللوجستية ستتم بالتشاور مع مكتبكم، وسيتم إرسال جدول زمني مفصل خلال عشرة أيام من تاريخ استلام هذه الرسالة.\n\n" +
	"وتفضلوا بقبول فائق الاحترام والتقدير\n"

// TestIdentifyLibreOfficeArabicText: a letter whose version is an Arabic PDF made by
// LibreOffice is identified as valid by its text as written, and by the text pdftotext
// copies from its released file. LibreOffice maps its lam-alef ligature to lam, alef; read
// with the rest of the right-to-left line reversed, "إلا" was "إال", "الاتصال" "االتصال", and
// the text as written was answered altered.
func TestIdentifyLibreOfficeArabicText(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	doc, err := os.ReadFile("../pdf/testdata/libreoffice-arabic.pdf")
	if err != nil {
		t.Fatal(err)
	}
	ref := o.releasedPDF(t, doc)
	copied := o.pdftotextOfReleased(t, ref)
	for name, text := range map[string]string{"as written": libreOfficeArabic, "copied with pdftotext": copied} {
		got, err := o.r.Identify(ctx, Actor{}, text)
		if err != nil {
			t.Fatal(err)
		}
		if got.Outcome != Valid || got.Reference != ref {
			t.Errorf("%s: %s %s %s, want valid %s", name, got.Outcome, got.Reference, got.Match, ref)
		}
	}
}
