package identify

import (
	"strings"
	"testing"
)

// TestCompareScanNegation: a negation added to a scan, or put in the place of another short
// word, is material, however short: "no" ("has no objections"), and Arabic's "لا", "لن",
// "لم". Words of one or two letters inserted were all taken for specks read as letters, so a
// forged copy that negated a sentence with a word of two letters read as the letter.
func TestCompareScanNegation(t *testing.T) {
	const letter = "The ministry has objections to the plan and will reply before the end of the month. " +
		"وقد قررت الوزارة أن تصرف المبلغ في موعده، والوحدات ستتحرك بعد انتهاء التنسيق."
	if c := CompareScan(letter, letter, ""); !c.Same() {
		t.Fatalf("the letter read as printed: %+v", c.Runs)
	}
	for name, change := range map[string][2]string{
		"no added":  {"has objections", "has no objections"},
		"لا added":  {"أن تصرف", "أن لا تصرف"},
		"لن added":  {"والوحدات ستتحرك", "والوحدات لن ستتحرك"},
		"لن for أن": {"أن تصرف", "لن تصرف"},
	} {
		scan := strings.Replace(letter, change[0], change[1], 1)
		if scan == letter {
			t.Fatalf("%s: %q is not in the letter", name, change[0])
		}
		if c := CompareScan(letter, scan, ""); c.Same() {
			t.Errorf("%s: %q for %q is not material", name, change[1], change[0])
		}
	}
	// A speck read as a letter or two is still noise.
	if c := CompareScan(letter, strings.Replace(letter, "the plan", "the ee plan", 1), ""); !c.Same() {
		t.Errorf("a speck read as ee is material: %+v", c.Runs)
	}
}
