package seal

import (
	"errors"
	"testing"
)

// TestKeyEntryProofCheckedByAWarmVerifier: a seal whose key entry carries a damaged inclusion
// proof is bad-proof (docs/seal-format.md, step 7), also for a verifier that proved the same
// key entry at the same index in the same checkpoint before, as the verifier of a folder
// has: a folder's run and a run on the one file must judge the seal alike. Found by
// FuzzVerifiersAgree (thirty-sixth session).
func TestKeyEntryProofCheckedByAWarmVerifier(t *testing.T) {
	files, err := readVectors(vectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ParseTrustRoot(files["trust.json"])
	if err != nil {
		t.Fatal(err)
	}
	letter := files["letter.txt"]
	warm := newTestVerifier(t, tr)
	genuine, err := Parse(files["seals/valid.json"])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := warm.VerifyBytes(genuine, letter); err != nil {
		t.Fatalf("the genuine seal: %v", err)
	}

	damaged, err := Parse(files["seals/valid.json"])
	if err != nil {
		t.Fatal(err)
	}
	if len(damaged.Keys) == 0 || len(damaged.Keys[0].Proof) == 0 {
		t.Fatal("the vector's seal has no key entry with a proof to damage")
	}
	damaged.Keys[0].Proof[0][0] ^= 1
	if _, err := newTestVerifier(t, tr).VerifyBytes(damaged, letter); !errors.Is(err, ErrBadProof) {
		t.Fatalf("fresh verifier: %v, want %v", err, ErrBadProof)
	}
	if _, err := warm.VerifyBytes(damaged, letter); !errors.Is(err, ErrBadProof) {
		t.Fatalf("verifier that proved the key entry before: %v, want %v", err, ErrBadProof)
	}
	// The genuine seal still verifies with the cache in place.
	if _, err := warm.VerifyBytes(genuine, letter); err != nil {
		t.Fatalf("the genuine seal again: %v", err)
	}
}
