package identify

import (
	"strings"
	"testing"
)

// TestCompareScanNegationInOtherLanguages: the short negations of other languages than
// English, French and Arabic were taken for specks: "не" added to a Russian letter, "לא" to a
// Hebrew one, "نه" to a Persian one, "안" to a Korean one, "μη" to a Greek one, "né" to an
// Italian one (the accent, which OCR loses, hid "ne"), and "न" dropped from a Hindi one, each
// read as the letter. Each is material; a speck is still noise.
func TestCompareScanNegationInOtherLanguages(t *testing.T) {
	for name, tc := range map[string]struct{ letter, from, to string }{
		"Russian не":   {"Министерство одобряет план и ответит до конца месяца.", "одобряет", "не одобряет"},
		"Russian ни":   {"Министерство выделит средства на проект до конца месяца.", "выделит", "ни выделит"},
		"Hebrew לא":    {"המשרד מאשר את התוכנית וישיב עד סוף החודש.", "מאשר", "לא מאשר"},
		"Persian نه":   {"وزارت این طرح را تأیید می\u200cکند و تا پایان ماه پاسخ می\u200cدهد.", "تأیید", "نه تأیید"},
		"Korean 안":     {"우리 부처는 이 계획에 동의합니다 그리고 이달 말까지 답변하겠습니다.", "동의합니다", "안 동의합니다"},
		"Greek μη":     {"Το υπουργείο εγκρίνει το σχέδιο και θα απαντήσει έως το τέλος του μήνα.", "εγκρίνει", "μη εγκρίνει"},
		"Italian né":   {"Il ministero approva il piano e risponderà entro la fine del mese.", "approva", "né approva"},
		"Hindi न lost": {"मंत्रालय इस योजना को न मानेगा और महीने के अंत तक उत्तर देगा।", "न मानेगा", "मानेगा"},
	} {
		if c := CompareScan(tc.letter, tc.letter, ""); !c.Same() {
			t.Fatalf("%s: the letter read as printed: %v", name, materialRuns(c))
		}
		scan := strings.Replace(tc.letter, tc.from, tc.to, 1)
		if scan == tc.letter {
			t.Fatalf("%s: %q is not in the letter", name, tc.from)
		}
		if c := CompareScan(tc.letter, scan, ""); c.Same() {
			t.Errorf("%s: %q for %q is not material", name, tc.to, tc.from)
		}
		if c := CompareScan(tc.letter, strings.Replace(tc.letter, tc.from, "ee "+tc.from, 1), ""); !c.Same() {
			t.Errorf("%s: a speck read as ee is material: %v", name, materialRuns(c))
		}
	}
}
