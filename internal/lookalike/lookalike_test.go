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
