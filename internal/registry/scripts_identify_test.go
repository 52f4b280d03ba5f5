package registry

import (
	"context"
	"strings"
	"testing"
)

// TestIdentifyPastedScripts: the text a reader copies out of a released Arabic or Chinese
// letter (pdftotext stands in for the PDF reader) identifies it as valid.
func TestIdentifyPastedScripts(t *testing.T) {
	ctx := context.Background()
	o := newOffice(t)
	for _, c := range []struct{ name, body string }{
		{"arabic", "معالي وزير الخارجية المحترم\n\n" +
			"تحية طيبة وبعد، فقد تلقينا رسالتكم المؤرخة في الثامن والعشرين من نوفمبر بشأن تنسيق تحركات القوات في القطاع الشمالي، ونود أن نؤكد لكم أن الوحدات لن تتحرك إلا بعد انتهاء التنسيق مع خلية الاتصال في العاصمة.\n\n" +
			"كما نحيطكم علما بأن أي تحرك لن يعلن قبل ذلك، وأن جميع الترتيبات اللوجستية ستتم بالتشاور مع مكتبكم، وسيتم إرسال جدول زمني مفصل خلال عشرة أيام من تاريخ استلام هذه الرسالة.\n\n" +
			"وتفضلوا بقبول فائق الاحترام والتقدير\n"},
		{"chinese", "尊敬的外交部长阁下：\n\n" +
			"我们已收到贵方十一月二十八日关于北部地区部队调动协调事宜的来函。我们谨此确认，各部队将在与首都联络小组的协调工作结束之后方可调动，在此之前不会宣布任何调动。\n\n" +
			"此外，所有后勤安排将与贵办公室协商进行，详细的时间表将在收到本函之日起十日内送达。请贵方对上述安排予以确认，并指定一名联络官员负责后续工作。\n\n" +
			"顺致崇高的敬意。\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ref, _ := o.released(t, c.body)
			out := o.pdftotextOfReleased(t, ref)
			// What a reader selects: the body, from its first line to its last.
			text := out
			lines := strings.Split(strings.TrimSpace(c.body), "\n")
			first, last := lines[0], lines[len(lines)-1]
			i, j := strings.Index(text, first), strings.Index(text, last)
			if i < 0 || j < i {
				t.Fatalf("the released letter's text lacks %q or %q:\n%s", first, last, out)
			}
			text = text[i : j+len(last)]
			got, err := o.r.Identify(ctx, Actor{}, text)
			if err != nil {
				t.Fatal(err)
			}
			if got.Outcome != Valid || got.Reference != ref {
				t.Errorf("%s %s (similarity %.2f, containment %.2f), want valid %s\npasted:\n%s", got.Outcome, got.Reference, got.Similarity, got.Containment, ref, text)
			}
		})
	}
}

// pdftotextOfReleased is what pdftotext reads of the released file of ref (pdftotext skips
// the test without the tool).
func (o *office) pdftotextOfReleased(t *testing.T, ref string) string {
	t.Helper()
	data, _, err := o.r.ReleasedFile(context.Background(), o.officer, ref, "")
	if err != nil {
		t.Fatal(err)
	}
	return pdftotext(t, data)
}
