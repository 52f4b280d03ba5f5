package entry

import (
	"bytes"
	"errors"
	"testing"
)

// TestRotationV1Only: an office-key-rotated entry is public, a version 1 entry; its version 2
// form is neither written nor read.
func TestRotationV1Only(t *testing.T) {
	if _, err := signedV2(OfficeKeyRotated, `{"commitment":"AA=="}`).Encode(); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("encoded a version 2 office-key-rotated entry: %v", err)
	}
	v1 := encode(t, signed(OfficeKeyRotated, `{"office":"x"}`))
	if _, err := Decode(v1); err != nil {
		t.Fatal(err)
	}
	v2 := bytes.Replace(v1, []byte(" v1 "), []byte(" v2 "), 1)
	v2 = bytes.Replace(v2, []byte(".v1+json"), []byte(".v2+json"), 1)
	if _, err := Decode(v2); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("decoded a version 2 office-key-rotated entry: %v", err)
	}
}
