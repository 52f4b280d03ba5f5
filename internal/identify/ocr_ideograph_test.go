package identify

import (
	"strings"
	"testing"
)

// TestCompareScanIdeographs: Chinese and Japanese are compared an ideograph or a kana at a
// time (Normalize), and every change of one was judged as OCR's misreading of a word of one
// or two letters, or a speck read as a letter: a forged copy that dropped the negation of
// "不同意", added "不" before "同意", made 三百万 五百万, or turned "します" into "しません",
// read as the letter. An ideograph or a kana changed, added or removed is material; OCR's
// noise on the Latin words of such a letter is still forgiven.
func TestCompareScanIdeographs(t *testing.T) {
	const letter = "参考编号 TFN-2026-000001。我国政府不同意贵方关于北部地区部队调动的提议。" +
		"拨款金额为三百万元，于三月一日支付。会議は予定どおり開催します。Verify at https://tfn.example/v/x"
	if c := CompareScan(letter, letter, ""); !c.Same() {
		t.Fatalf("the letter read as printed: %v", materialRuns(c))
	}
	for name, change := range map[string][2]string{
		"negation dropped": {"不同意", "同意"},
		"negation added":   {"于三月一日支付", "于三月一日不支付"},
		"numeral":          {"三百万", "五百万"},
		"date":             {"三月一日", "四月一日"},
		"word":             {"北部", "南部"},
		"kana negated":     {"開催します", "開催しません"},
		"appended":         {"https://tfn.example/v/x", "https://tfn.example/v/x 不批准"},
	} {
		scan := strings.Replace(letter, change[0], change[1], 1)
		if scan == letter {
			t.Fatalf("%s: %q is not in the letter", name, change[0])
		}
		if c := CompareScan(letter, scan, ""); c.Same() {
			t.Errorf("%s: %q for %q is not material", name, change[1], change[0])
		}
	}
	if c := CompareScan(letter, strings.NewReplacer("Verify", "Verlfy", "TFN", "TFN ii").Replace(letter), ""); !c.Same() {
		t.Errorf("OCR noise on the Latin words is material: %v", materialRuns(c))
	}
}
