package pdf

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// TestSplitAsSegmenter checks that split cuts text into the runs go-text's Segmenter.Split
// gives, for the paragraphs of every script's test letter and for random text mixing
// scripts, directions, numbers, brackets, marks and invisible characters, in paragraphs of
// either direction; and that its shortcut is taken for text in one direction.
func TestSplitAsSegmenter(t *testing.T) {
	s, err := getShaper()
	if err != nil {
		t.Fatal(err)
	}
	defer putShaper(s)
	var seg shaping.Segmenter // not the shaper's: split may call that one
	texts := []string{
		"Madame la Directrice, nous accusons réception de votre lettre du 28 novembre — relative à la coordination.",
		"معالي الوزير، تلقينا رسالتكم بشأن التنسيق بين الفرق",
		"尊敬的部长先生：我们已收到您关于各小组协调工作的来函。会議の日程は追って連絡します。회의 일정은 추후 알려 드리겠습니다.",
		"माननीय मंत्री जी, हमें दलों के बीच समन्वय के विषय में आपका पत्र प्राप्त हुआ है।",
		"כבוד השר, קיבלנו את מכתבך בנוגע לתיאום בין הצוותים",
		"Αξιότιμε κύριε Υπουργέ, λάβαμε την επιστολή σας · Уважаемый господин министр",
		"Mixed: The word كتاب (book) and שלום and 123 numbers ١٢٣ in one line «guillemets».",
		" ", "\t", "\u200d", "a", "ع", "1", "(", " ع ", "  x  ",
	}
	pools := [][]rune{
		[]rune("abcxyzÉéàçßøŁ ,.;:—-–'’!?%$#+/*=0123456789\t\u00a0\u00ad\u0301\u200b"),
		[]rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ،؛؟.:-%\u064b\u0650\u0651\u200d\u200c\u0640"),
		[]rune("אבגדהוזחטיכלמנסעפצקרשת ,.:-\u05b0\u05b4"),
		[]rune("的部长先生我们已收到您会議の日程は追って連絡しま회의일정은추후 ：。、，　"),
		[]rune("कखगघचछजझटठडढणतथदधनपफबभमयरलवशसह ािीुूेैोौ्ंः।, "),
		[]rune("()[]{}<>«»“”‘’‹›"),
		[]rune("٠١٢٣٤٥٦٧٨٩۰۱۲\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069\u061c"),
		[]rune("αβγδεζηθ абвгдежз ΑΒΓ АБВ"),
	}
	rng := rand.New(rand.NewPCG(13, 7))
	for range 1500 {
		var pool []rune
		for _, p := range pools {
			if rng.IntN(3) == 0 {
				pool = append(pool, p...)
			}
		}
		if len(pool) == 0 {
			pool = pools[rng.IntN(2)]
		}
		var b strings.Builder
		for range 1 + rng.IntN(40) {
			b.WriteRune(pool[rng.IntN(len(pool))])
		}
		texts = append(texts, b.String())
	}
	short := 0
	for _, text := range texts {
		runes := []rune(text)
		for _, dir := range []di.Direction{direction(runes), di.DirectionLTR, di.DirectionRTL} {
			start, end := 0, len(runes)
			if len(runes) > 2 && rng.IntN(4) == 0 {
				start = rng.IntN(len(runes) / 2)
				end = start + 1 + rng.IntN(len(runes)-start)
			}
			for _, st := range []style{regular, mono} {
				in := shaping.Input{Text: runes, RunStart: start, RunEnd: end, Direction: dir, Size: fixed.I(11)}
				got := slices.Clone(s.split(in, &s.maps[st]))
				want := seg.Split(in, &s.maps[st])
				if !slices.EqualFunc(got, want, sameInput) {
					t.Fatalf("split(%q [%d:%d], %v, style %d):\n got %v\nwant %v", text, start, end, dir, st, describe(got), describe(want))
				}
				if s.kinds.plain(runes[start:end], dir) {
					short++
				}
			}
		}
	}
	if short < len(texts) {
		t.Errorf("split's shortcut taken %d times for %d texts", short, len(texts))
	}
}

func sameInput(a, b shaping.Input) bool {
	return &a.Text[0] == &b.Text[0] && a.RunStart == b.RunStart && a.RunEnd == b.RunEnd && a.Direction == b.Direction &&
		a.Face == b.Face && a.Size == b.Size && a.Script == b.Script && a.Language == b.Language && len(a.FontFeatures) == len(b.FontFeatures)
}

func describe(runs []shaping.Input) []string {
	var out []string
	for _, r := range runs {
		out = append(out, string(r.Text[r.RunStart:r.RunEnd])+"|"+r.Script.String()+"|"+string(r.Language)+"|"+fmt.Sprint(r.Direction, " ", r.Face != nil))
	}
	return out
}
