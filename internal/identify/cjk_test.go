package identify

import "testing"

// TestNormalizeIdeographs: Chinese and Japanese text, which has no spaces, is compared
// character by character, so a line broken anywhere by a PDF reader's copy still agrees.
func TestNormalizeIdeographs(t *testing.T) {
	for in, want := range map[string]string{
		"我们已收到\n贵方来函。":   "我 们 已 收 到 贵 方 来 函",
		"会議の日程は追って連絡します": "会 議 の 日 程 は 追 っ て 連 絡 し ま す",
		"ABC中文 test":     "abc 中 文 test",
		"회의 일정은":         "회의 일정은",
		"معالي الوزير،":  "معالي الوزير",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	a, b := Compute("我们已收到贵方十一月二十八日关于北部地区部队调动协调事宜的来函"), Compute("我们已收到贵方十一月二十八\n日关于北部地区部队调动协调事宜的来函")
	if a.Hash != b.Hash {
		t.Error("a line break inside Chinese text changes its fingerprint")
	}
}
