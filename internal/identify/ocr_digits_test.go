package identify

import (
	"strings"
	"testing"
)

// TestCompareScanNonASCIIFigures: a figure written in other digits than ASCII's (an Arabic
// letter's Arabic-Indic digits, a Persian one's) is a figure: a scan with one of its digits
// changed is altered, as with "105" read "106", and so is one without the Arabic percent sign
// after a figure, as without "%". Only ASCII digits were figures, so a change of one digit in
// a figure of one, two, or five digits and more read as OCR noise.
func TestCompareScanNonASCIIFigures(t *testing.T) {
	const letter = "يصرف مبلغ ١٠٠٠٠٠ دينار إلى المقاول في ١٥ مارس، ويسلم ۱۲ شاحنة قبل نهاية الشهر، بزيادة ٤٪ عن العام الماضي."
	if c := CompareScan(letter, letter, ""); !c.Same() {
		t.Fatalf("the letter read as printed: %+v", c.Runs)
	}
	for name, change := range map[string][2]string{
		"an amount of six digits": {"١٠٠٠٠٠", "٩٠٠٠٠٠"},
		"a day of two digits":     {"١٥ مارس", "١٦ مارس"},
		"Persian digits":          {"۱۲ شاحنة", "۱۳ شاحنة"},
		"the Arabic percent sign": {"٤٪", "٤"},
	} {
		scan := strings.Replace(letter, change[0], change[1], 1)
		if scan == letter {
			t.Fatalf("%s: %q is not in the letter", name, change[0])
		}
		if c := CompareScan(letter, scan, ""); c.Same() {
			t.Errorf("%s: %q for %q is not material", name, change[1], change[0])
		}
	}
}
