package lookalike

import "testing"

func TestSkeleton(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"rita", "Rita", true},
		{"rita", "r\u0456ta", true},                // Cyrillic і
		{"rita", "\uff52\uff49\uff54\uff41", true}, // full width
		{"rita", "rita\ufe0f", true},               // variation selector
		{"rita", "ri\u200bta", true},               // zero-width space
		{"jos\u00e9", "jose\u0301", true},          // composed and decomposed
		{"force-posture", "force\u2010posture", true},
		{"force-posture", "force-posture ", true},
		{"force posture", "force\u00a0 posture", true},
		{"force-posture", "f\u043erce-posture", true}, // Cyrillic о
		{"modern", "modem", true},                     // rn and m
		{"rita", "rita\u2800", true},                  // blank Braille pattern
		{"force posture", "force\u2800posture", true},
		{"l0ckheed", "lockheed", true},
		{"rita", "rota", false},
		{"press", "pres", false},
		{"jose", "josé", false},
	} {
		if got := Skeleton(c.a) == Skeleton(c.b); got != c.same {
			t.Errorf("%q and %q read alike: %v, want %v (%q, %q)", c.a, c.b, got, c.same, Skeleton(c.a), Skeleton(c.b))
		}
	}
}

// TestSkeletonBlanks: every character drawn as an empty space reads as a space, at the ends
// of a name (nothing) as within it, whether Unicode calls it a space or not; every
// character drawn as nothing reads as nothing. The null notehead (U+1D159), drawn blank,
// was kept ("rita\U0001D159" did not read as "rita"), the Hangul fillers within a name read
// as nothing where they are drawn blank, and the object replacement character, drawn as
// nothing in DejaVu Sans, was kept.
func TestSkeletonBlanks(t *testing.T) {
	blanks := []rune{' ', '\u00a0', '\u1680', '\u2003', '\u3000', '\u2800', '\U0001D159', '\u115f', '\u1160', '\u3164', '\uffa0'}
	for _, c := range blanks {
		s := string(c)
		for _, p := range [][2]string{
			{"rita" + s, "rita"},
			{s + "rita", "rita"},
			{s + s + "rita" + s, "rita"},
			{"force" + s + "posture", "force posture"},
			{"force" + s + " " + s + "posture", "force posture"},
			{s, ""},
		} {
			if Skeleton(p[0]) != Skeleton(p[1]) {
				t.Errorf("%U: %q does not read as %q (%q)", c, p[0], p[1], Skeleton(p[0]))
			}
		}
	}
	for _, c := range []rune{'\u00ad', '\u034f', '\u180e', '\u200b', '\u2060', '\u2064', '\ufeff', '\ufffc', '\U0001D173', '\U000E0020'} {
		s := string(c)
		if got := Skeleton("ri" + s + "ta" + s); got != Skeleton("rita") {
			t.Errorf("%U: %q does not read as %q (%q)", c, "ri"+s+"ta"+s, "rita", got)
		}
	}
}
