package identify

import (
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
)

func TestComputeGolden(t *testing.T) {
	// Stored fingerprints depend on every detail of Compute and of the encoding: these
	// values may only change with Version.
	fp := Compute("I have the honour to inform you that the treaty of Valmont was ratified on 3 March 1961.")
	if got, want := hex.EncodeToString(fp.Hash[:]), "14b517e79e539e48280a3c5f2d1b5f7ef5e361c3ef75c75e44eed151ecfb11b3"; got != want {
		t.Errorf("hash %s, want %s", got, want)
	}
	if fp.Words != 18 || len(fp.Shingles) != 16 || len(fp.Marks) != 1 {
		t.Errorf("%d words, %d shingles, %d marks; want 18, 16, 1", fp.Words, len(fp.Shingles), len(fp.Marks))
	}
	b, err := fp.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if got, want := hex.EncodeToString(sum[:]), "ba9529531d9f242195d6406b4f5338651f882db3b11a53c5ea8ad66188f8df2a"; got != want || len(b) != 334 {
		t.Errorf("encoding: %d bytes, SHA-256 %s; want 334 bytes, %s", len(b), got, want)
	}
	// The full encoding, in which fingerprints were stored before the compact one.
	sum = sha256.Sum256(fp.marshalFull())
	if got, want := hex.EncodeToString(sum[:]), "b14646f41712ebd2bc673104001353d2be99b1bef8cf2bb54396588d29c79bef"; got != want {
		t.Errorf("full encoding: SHA-256 %s, want %s", got, want)
	}
}

func TestComputeNormalizes(t *testing.T) {
	a := Compute("The Ministry\u2019s re-\nport: 3 March.")
	b := Compute("the ministry's report 3 march")
	if a.Hash != b.Hash || !equalSets(a.Shingles, b.Shingles) || a.Signature != b.Signature {
		t.Fatal("texts equal after normalization have different fingerprints")
	}
	c := Compute("the ministry's report 3 april")
	if c.Hash == a.Hash {
		t.Fatal("different texts have the same hash")
	}
}

func TestComputeShort(t *testing.T) {
	if fp := Compute(" .,; "); fp.Words != 0 || len(fp.Shingles) != 0 || len(fp.Marks) != 0 {
		t.Fatalf("empty text: %+v", fp)
	}
	for _, s := range []string{"one", "one two", "one two three"} {
		fp := Compute(s)
		if len(fp.Shingles) != 1 || len(fp.Marks) != 1 {
			t.Errorf("%q: %d shingles, %d marks; want 1, 1", s, len(fp.Shingles), len(fp.Marks))
		}
	}
}

func TestComputeOCRTolerance(t *testing.T) {
	a := Compute("the modern signal of 10 battalions")
	b := Compute("the rnodem signa1 of l0 battalions")
	if !equalSets(a.Shingles, b.Shingles) {
		t.Fatal("OCR confusions change the shingles")
	}
	if a.Hash == b.Hash {
		t.Fatal("OCR folding reached the exact hash")
	}
}

// TestWinnowGuarantee checks winnowing's promise: any run of WinnowWindow+ShingleWords-1
// words of a letter holds at least one of the letter's marks among its shingles.
func TestWinnowGuarantee(t *testing.T) {
	c := synth.Corpus{Seed: 7, FamilySize: 3}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		text := c.Letter(i).Text()
		fp := Compute(text)
		words := strings.Fields(Normalize(text))
		n := WinnowWindow + ShingleWords - 1
		for range 20 {
			start := rng.IntN(len(words) - n + 1)
			q := Compute(strings.Join(words[start:start+n], " "))
			shared := 0
			intersect(q.Shingles, fp.Marks, func(int) { shared++ })
			if shared == 0 {
				t.Fatalf("letter %d, words %d..%d: no mark", i, start, start+n)
			}
		}
	}
}

func TestSignatureEstimatesJaccard(t *testing.T) {
	c := synth.Corpus{Seed: 3, FamilySize: 4}
	rng := rand.New(rand.NewPCG(3, 4))
	var sumErr float64
	const trials = 40
	for i := range trials {
		text := c.Letter(i).Text()
		a, b := Compute(text), Compute(synth.Edit(rng, text, 0.1))
		inter := 0
		intersect(a.Shingles, b.Shingles, func(int) { inter++ })
		j := float64(inter) / float64(len(a.Shingles)+len(b.Shingles)-inter)
		agree := 0
		for k := range a.Signature {
			if a.Signature[k] == b.Signature[k] {
				agree++
			}
		}
		sumErr += float64(agree)/SignatureSize - j
	}
	// The estimate is unbiased with a standard deviation of about 0.06 per pair.
	if bias := sumErr / trials; bias > 0.05 || bias < -0.05 {
		t.Fatalf("MinHash bias %.3f", bias)
	}
}

func equalSets(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
