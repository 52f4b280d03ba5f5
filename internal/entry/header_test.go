package entry

import (
	"strings"
	"testing"
)

// TestIsPayloadTypeV checks the comparison Decode makes without building the payload type
// against PayloadTypeV itself, for every kind and version and for types that differ in one
// part.
func TestIsPayloadTypeV(t *testing.T) {
	for _, k := range Kinds {
		for v := 1; v <= 3; v++ {
			for _, other := range Kinds {
				for w := 1; w <= 3; w++ {
					pt := other.PayloadTypeV(w)
					if got, want := k.isPayloadTypeV(pt, v), pt == k.PayloadTypeV(v); got != want {
						t.Errorf("%s.isPayloadTypeV(%q, %d) = %v, want %v", k, pt, v, got, want)
					}
				}
			}
			pt := k.PayloadTypeV(v)
			for _, bad := range []string{pt + " ", strings.TrimSuffix(pt, "+json"), strings.Replace(pt, "vnd.", "vnd", 1),
				strings.Replace(pt, ".v", ".v0", 1), strings.ToUpper(pt), ""} {
				if k.isPayloadTypeV(bad, v) {
					t.Errorf("%s.isPayloadTypeV(%q, %d) = true", k, bad, v)
				}
			}
		}
	}
}

// TestDecodeHeaderMessages checks that a header of more or fewer than three fields is named
// malformed, as it was when Decode split the header.
func TestDecodeHeaderMessages(t *testing.T) {
	for _, h := range []string{"chancery-entry v1 release x", "chancery-entry  v1 release", "chancery-entry v1", "chancery-entry", "chancery-entryv1 release"} {
		_, err := Decode([]byte(h + "\n{}"))
		if err == nil || !strings.Contains(err.Error(), "malformed header") {
			t.Errorf("Decode(%q) = %v, want a malformed header", h, err)
		}
	}
	if e, err := Decode([]byte("chancery-entry v1 promotion\n{}")); err == nil || !strings.Contains(err.Error(), `unknown entry kind: "promotion"`) {
		t.Errorf("Decode of an unknown kind = %v, %v", e, err)
	}
}
