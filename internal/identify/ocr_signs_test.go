package identify

import (
	"slices"
	"strings"
	"testing"
)

// TestCompareScanSignsInPlace: a sign is judged where it stands among the figures, and a
// currency sign written after its figure ("1 500 000 €", as French and most of Europe write
// it) is judged as one written before. A sign moved from one figure to the next in a run
// ("Article 3 $250" read "Article $3 250", three thousand two hundred and fifty dollars)
// kept the run's signs the same and read as the letter; so did a currency sign after a
// figure changed ("€" for "$", "£") or removed, which was not judged at all.
func TestCompareScanSignsInPlace(t *testing.T) {
	const letter = "Le ministère versera 1 500 000 € à l'agent le 3 mars, au titre de l'article 3 $250, " +
		"pour les personnes de 18+ ans. Le reste, 200 €"
	for _, tc := range []struct {
		name, scan string
		same       bool
		changed    string // the scan's side of the material run
	}{
		{"the letter", letter, true, ""},
		{"spaces moved", strings.NewReplacer("000 €", "000€", "18+ ans", "18 + ans").Replace(letter), true, ""},
		{"a figure split", strings.Replace(letter, "1 500 000", "1 5 00 000", 1), true, ""},
		{"dollars for euros after", strings.Replace(letter, "000 €", "000 $", 1), false, "000$"},
		{"pounds for euros at the end", strings.TrimSuffix(letter, "€") + "£", false, "200£"},
		{"euros dropped", strings.Replace(letter, "000 €", "000", 1), false, "000"},
		{"a sign moved to the figure before", strings.Replace(letter, "3 $250", "$3 250", 1), false, "$3"},
		{"a sign moved into a figure", strings.Replace(letter, "1 500 000 €", "1 500 € 000", 1), false, "€000"},
		{"a plus dropped after a figure", strings.Replace(letter, "18+", "18", 1), false, "18"},
	} {
		c := CompareScan(letter, tc.scan, "")
		if c.Same() != tc.same {
			t.Errorf("%s: Same = %v, want %v: %q", tc.name, c.Same(), tc.same, materialRuns(c))
			continue
		}
		if m := materialRuns(c); !tc.same && (len(m) != 1 || !slices.Contains(m[0][1], tc.changed)) {
			t.Errorf("%s: material runs %q, want one that reads %q", tc.name, m, tc.changed)
		}
	}
}

// TestCompareScanSignsBesideTheCheckCode: a run that holds the letter's check code was not
// judged by its signs at all (OCR reads the code's "c" as "¢"), so a figure that the diff
// put in the same run, the first of the next page after the footer's code, could have its
// currency sign changed or a plus added when the code was misread (as OCR does, or as a
// forger prints it): "$1,500,000" read "€1,500,000" was the letter. The signs of the words
// outside the code's reading are judged; the code's reading still is by its characters.
func TestCompareScanSignsBesideTheCheckCode(t *testing.T) {
	const code = "4koxopx4eljphfzvffwdrlt57u"
	const letter = "The ministry confirms the convention of the battalion and its officers. " +
		"Verify at https://tfn.example/v/TFN-2026-000001/" + code + "\f$1,500,000 is paid to the agent " +
		"before the end of the month, as agreed with the ministry."
	misread := strings.NewReplacer(code, "4koxopx4eljphfzvffwdrlts zu")
	for _, tc := range []struct {
		name, scan string
		same       bool
	}{
		{"the code misread", misread.Replace(letter), true},
		{"the code misread with a cent sign", strings.Replace(letter, code, "4koxopx4eljphfzvff ¢24 wdrlt57u", 1), true},
		{"euros for dollars", misread.Replace(strings.Replace(letter, "$1,500,000", "€1,500,000", 1)), false},
		{"a plus added", misread.Replace(strings.Replace(letter, "$1,500,000", "+$1,500,000", 1)), false},
		{"the dollar dropped", misread.Replace(strings.Replace(letter, "$1,500,000", "1,500,000", 1)), false},
	} {
		if c := CompareScan(letter, tc.scan, code); c.Same() != tc.same {
			t.Errorf("%s: Same = %v, want %v: %q", tc.name, c.Same(), tc.same, materialRuns(c))
		}
	}
}
