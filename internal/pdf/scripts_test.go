package pdf_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chancery/chancery/internal/pdf"
	"golang.org/x/text/unicode/norm"
)

// scriptLetters are letters whose subject and paragraphs are each in one script.
var scriptLetters = []struct {
	name, subject string
	paragraphs    []string
	rtl           bool
}{
	{"latin", "Réunion du 3 décembre — ordre du jour", []string{
		"Madame la Directrice, nous accusons réception de votre lettre du 28 novembre relative à la coordination des équipes.",
		"Straße, Ærøskøbing, Łódź, İstanbul, Đà Nẵng: les noms propres gardent leurs signes diacritiques.",
	}, false},
	{"greek", "Συνάντηση της 3ης Δεκεμβρίου", []string{
		"Αξιότιμε κύριε Υπουργέ, λάβαμε την επιστολή σας σχετικά με τον συντονισμό των ομάδων.",
		"Η απάντηση θα σταλεί μέσα σε δέκα ημέρες από την παραλαβή.",
	}, false},
	{"cyrillic", "Совещание 3 декабря", []string{
		"Уважаемый господин министр, мы получили ваше письмо о координации действий групп.",
		"Ответ будет направлен в течение десяти дней со дня получения.",
	}, false},
	{"hebrew", "פגישה בשלושה בדצמבר", []string{
		"כבוד השר, קיבלנו את מכתבך בנוגע לתיאום בין הצוותים",
		"התשובה תישלח בתוך עשרה ימים מיום הקבלה",
	}, true},
	{"arabic", "اجتماع الثالث من ديسمبر", []string{
		"معالي الوزير، تلقينا رسالتكم بشأن التنسيق بين الفرق",
		"سيتم إرسال الرد خلال عشرة أيام من تاريخ الاستلام",
	}, true},
	{"cjk", "关于十二月三日会议的通知", []string{
		"尊敬的部长先生：我们已收到您关于各小组协调工作的来函。",
		"会議の日程は追って連絡します。회의 일정은 추후 알려 드리겠습니다.",
	}, false},
	{"devanagari", "तीन दिसंबर की बैठक", []string{
		"माननीय मंत्री जी, हमें दलों के बीच समन्वय के विषय में आपका पत्र प्राप्त हुआ है।",
		"उत्तर प्राप्ति की तारीख से दस दिनों के भीतर भेजा जाएगा।",
	}, false},
}

// normalize makes extracted and expected text comparable: NFKC, no bidi controls (pdftotext
// wraps right-to-left runs in embeddings), white space collapsed.
func normalize(s string) string {
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func scriptLetter(t *testing.T, subject string, paragraphs []string) []byte {
	t.Helper()
	h := head
	h.Subject = subject
	doc, err := pdf.Render("text/markdown", []byte(strings.Join(paragraphs, "\n\n")+"\n"), h)
	if err != nil {
		t.Fatal(err)
	}
	f := footer
	f.Office = "وزارة الخارجية · Ministère · 外交部"
	return mustStamp(t, doc, f)
}

func TestScripts(t *testing.T) {
	for _, tc := range scriptLetters {
		t.Run(tc.name, func(t *testing.T) {
			released := scriptLetter(t, tc.subject, tc.paragraphs)
			file := writeTemp(t, tc.name+".pdf", released)
			got := normalize(run(t, "pdftotext", file, "-"))
			for _, want := range append([]string{tc.subject}, tc.paragraphs...) {
				want = normalize(want)
				if tc.rtl {
					// pdftotext puts right-to-left words back in logical order, but orders the
					// pieces of a line around neutral punctuation by the page's main
					// direction: each word must be there, punctuation aside.
					for _, w := range strings.FieldsFunc(want, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsMark(r) }) {
						if !strings.Contains(got, w) {
							t.Errorf("pdftotext lacks %q\ngot: %s", w, got)
						}
					}
					continue
				}
				if !strings.Contains(got, want) {
					t.Errorf("pdftotext lacks %q\ngot: %s", want, got)
				}
			}
			fonts := run(t, "pdffonts", file)
			lines := strings.Split(strings.TrimSpace(fonts), "\n")[2:]
			if len(lines) == 0 {
				t.Fatalf("no fonts:\n%s", fonts)
			}
			for _, l := range lines {
				f := strings.Fields(l)
				// name type... emb sub uni: every font embedded, with a ToUnicode map.
				if len(f) < 5 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
					t.Errorf("font not embedded with ToUnicode: %q", l)
				}
			}
			dir := t.TempDir()
			run(t, "pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", file, filepath.Join(dir, "p"))
			png, err := os.ReadFile(filepath.Join(dir, "p-1.png"))
			if err != nil || len(png) < 1000 {
				t.Fatalf("no rendering: %v", err)
			}
			if os.Getenv("CHANCERY_UPDATE_SCREENSHOTS") == "1" {
				run(t, "pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", file, "../../docs/screenshots/pdf-script-"+tc.name)
			}
		})
	}
}

func TestUnsupportedCharacterRefused(t *testing.T) {
	for _, c := range []struct {
		text, want string
	}{
		{"Linear B: \U00010000", "U+10000 LINEAR B SYLLABLE B008 A"},
		{"private \uE000 use", "U+E000"},
		{"bell \a", "U+0007"},
	} {
		_, err := pdf.Render("text/plain", []byte(c.text), head)
		if !errors.Is(err, pdf.ErrUnsupportedChar) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Render(%q) = %v, want ErrUnsupportedChar naming %s", c.text, err, c.want)
		}
		if err := pdf.CheckText("subject", c.text); !errors.Is(err, pdf.ErrUnsupportedChar) {
			t.Errorf("CheckText(%q) = %v", c.text, err)
		}
	}
	h := head
	h.Subject = "Cuneiform 𒀀"
	if _, err := pdf.Render("text/plain", []byte("x"), h); !errors.Is(err, pdf.ErrUnsupportedChar) || !strings.Contains(err.Error(), "U+12000 CUNEIFORM SIGN A") {
		t.Errorf("subject: %v", err)
	}
	if err := pdf.CheckText("body", "ok: é ж λ ש ع 中 क \u200d\u200c\ufe0f"); err != nil {
		t.Errorf("CheckText refused drawable text: %v", err)
	}
}

// scriptBody returns a Markdown letter of n paragraphs, each the two paragraphs of a script's
// letter.
func scriptBody(paragraphs []string, n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Join(paragraphs, " ") + " " + strings.Join(paragraphs, " ") + "\n\n")
	}
	return []byte(b.String())
}

// BenchmarkReleaseLaidOut10Pages is the release of a 10-page letter laid out by Chancery:
// RenderRelease (shaping included, the footer drawn with the letter) with its signature, per
// script, as the registry releases a text letter.
func BenchmarkReleaseLaidOut10Pages(b *testing.B) {
	s := releaseSigner(b)
	for _, tc := range scriptLetters {
		if tc.name != "latin" && tc.name != "arabic" && tc.name != "cjk" {
			continue
		}
		h := head
		h.Subject = tc.subject
		// The letter is sized when a sub-benchmark of its script runs, not for all of them
		// whichever is chosen: sizing renders it a few dozen times.
		var body []byte
		sized := func(b *testing.B) []byte {
			for n := 10; body == nil; n += 2 {
				text := scriptBody(tc.paragraphs, n)
				doc, err := pdf.Render("text/markdown", text, h)
				if err != nil {
					b.Fatal(err)
				}
				if info, _ := pdf.Check(doc); info.Pages >= 10 {
					body = text
				}
			}
			return body
		}
		b.Run(tc.name, func(b *testing.B) {
			body := sized(b)
			start := cpuTime(b)
			var each []time.Duration
			for b.Loop() {
				t := cpuTime(b)
				if _, err := pdf.RenderRelease("text/markdown", body, h, footer, s); err != nil {
					b.Fatal(err)
				}
				each = append(each, cpuTime(b)-t)
			}
			reportCPU(b, start)
			reportMedianCPU(b, each)
		})
		// The letter above repeats two paragraphs: its words are those of a real letter, its
		// glyphs few, and its page streams compress well. Here every letter is new words:
		// random words of the script's letters, as long and as many as the letter above, a
		// different text for every letter. There is no cache of shaped words (one was measured
		// 1.4 times slower on this variant and not kept), so both shape every paragraph in
		// full; what differs is the text itself: random letters make more glyph forms and
		// contextual substitutions for HarfBuzz, more distinct glyphs to embed, more
		// runs where scripts alternate (Han, kana, Hangul), and page content that compresses
		// worse. The text is generated inside the timed loop (0.3 to 0.5 ms of a letter).
		b.Run(tc.name+"-fresh-words", func(b *testing.B) {
			body := sized(b)
			letters := []rune(strings.Join(strings.Fields(strings.Join(tc.paragraphs, "")), ""))
			rng := rand.New(rand.NewPCG(1, 2))
			fresh := func() []byte {
				var t strings.Builder
				for t.Len() < len(body) {
					for range 2 + rng.IntN(8) {
						t.WriteRune(letters[rng.IntN(len(letters))])
					}
					t.WriteString(" ")
					if rng.IntN(60) == 0 {
						t.WriteString("\n\n")
					}
				}
				return []byte(t.String())
			}
			start := cpuTime(b)
			var each []time.Duration
			for b.Loop() {
				t := cpuTime(b)
				if _, err := pdf.RenderRelease("text/markdown", fresh(), h, footer, s); err != nil {
					b.Fatal(err)
				}
				each = append(each, cpuTime(b)-t)
			}
			reportCPU(b, start)
			reportMedianCPU(b, each)
		})
	}
}

// reportMedianCPU reports the median of the CPU times of single letters: on a machine that
// other work shares, a letter that ran beside it takes longer, and the median of many
// letters is steadier than their mean. The mean (cpu-ms/op) stays the figure: it counts all
// the garbage collection, which falls on some letters only.
func reportMedianCPU(b *testing.B, each []time.Duration) {
	if len(each) == 0 {
		return
	}
	slices.Sort(each)
	b.ReportMetric(float64(each[len(each)/2])/1e6, "med-cpu-ms/op")
}

// TestLineBreaks: every Unicode line break, alone or in pairs, starts a new line; none reaches
// the line wrapper (a lone carriage return once made it fail).
func TestLineBreaks(t *testing.T) {
	for _, s := range []string{"1:\r?", "a\rb", "a\r\n\rb", "a\fb", "a\u2028b\u2029c", "\r", "\n\r\n", "x\u0085y"} {
		if _, err := pdf.Render("text/plain", []byte(s), head); err != nil && !errors.Is(err, pdf.ErrUnsupportedChar) {
			t.Errorf("Render(%q): %v", s, err)
		}
		if _, err := pdf.Render("text/markdown", []byte(s), head); err != nil && !errors.Is(err, pdf.ErrUnsupportedChar) {
			t.Errorf("Render markdown (%q): %v", s, err)
		}
	}
}
