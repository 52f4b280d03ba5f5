package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/fips140"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"

	"filippo.io/edwards25519"
)

type speccheckCase struct {
	Message   string `json:"message"`
	PubKey    string `json:"pub_key"`
	Signature string `json:"signature"`
}

func loadSpeccheck(t testing.TB) (pubs, msgs, sigs [][]byte) {
	b, err := os.ReadFile("testdata/speccheck.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []speccheckCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	unhex := func(s string) []byte {
		b, err := hex.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range cases {
		pubs, msgs, sigs = append(pubs, unhex(c.PubKey)), append(msgs, unhex(c.Message)), append(sigs, unhex(c.Signature))
	}
	return pubs, msgs, sigs
}

// agree fails the test when k and crypto/ed25519 judge (msg, sig) differently, and returns
// their common answer.
func agree(t testing.TB, pub, msg, sig []byte) bool {
	t.Helper()
	k, err := New(pub)
	if err != nil {
		t.Fatal(err)
	}
	want := ed25519.Verify(pub, msg, sig)
	if got := k.Verify(msg, sig); got != want {
		t.Fatalf("key %x, message %x, signature %x: edkey says %v, crypto/ed25519 %v", pub, msg, sig, got, want)
	}
	return want
}

// The edge cases of "Taming the many EdDSAs" (small-order and mixed-order keys and
// commitments, non-canonical S, non-canonical encodings of R and of A): every one is judged as
// crypto/ed25519 judges it, and those judgements are pinned, so that a Go release that changed
// its rules (a verifier of seals must know: two verifiers must not disagree) fails here rather
// than pass unseen through the differential check alone.
func TestSpeccheckCases(t *testing.T) {
	pubs, msgs, sigs := loadSpeccheck(t)
	var got []bool
	for i := range pubs {
		got = append(got, agree(t, pubs[i], msgs[i], sigs[i]))
	}
	want := goSpeccheck
	if len(got) != len(want) {
		t.Fatalf("%d cases, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("case %d: accepted %v, want %v", i, got[i], want[i])
		}
	}
}

// goSpeccheck is crypto/ed25519's verdict on each speccheck case (go1.26).
var goSpeccheck = []bool{false, true, false, true, false, true, true, false, false, false, false, false, false, false, true}

func TestValidAndMutatedSignatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	accepted, refused := 0, 0
	for range 200 {
		seed := make([]byte, ed25519.SeedSize)
		for i := range seed {
			seed[i] = byte(rng.Uint32())
		}
		priv := ed25519.NewKeyFromSeed(seed)
		pub := priv.Public().(ed25519.PublicKey)
		msg := make([]byte, rng.IntN(300))
		for i := range msg {
			msg[i] = byte(rng.Uint32())
		}
		sig := ed25519.Sign(priv, msg)
		if !agree(t, pub, msg, sig) {
			t.Fatal("a valid signature was refused")
		}
		accepted++
		// One flipped bit anywhere in the signature, the key or the message.
		for _, part := range [][]byte{sig, pub, msg} {
			if len(part) == 0 {
				continue
			}
			bit := rng.IntN(8 * len(part))
			part[bit/8] ^= 1 << (bit % 8)
			if agree(t, pub, msg, sig) {
				t.Fatal("a mutated signature was accepted")
			}
			refused++
			part[bit/8] ^= 1 << (bit % 8)
		}
		// S + L: the same point equation, a non-canonical S, which both must refuse.
		if agree(t, pub, msg, addL(sig)) {
			t.Fatal("a signature with S ≥ L was accepted")
		}
	}
	t.Logf("%d accepted, %d refused", accepted, refused)
}

// addL returns sig with L, the group's order, added to its S (little-endian).
func addL(sig []byte) []byte {
	l := [32]byte{0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10}
	out := bytes.Clone(sig)
	carry := 0
	for i := range 32 {
		v := int(out[32+i]) + int(l[i]) + carry
		out[32+i], carry = byte(v), v>>8
	}
	return out
}

// smallOrderEncodings returns every encoding of the eight points of small order: each point's
// canonical encoding, the same with the sign bit flipped (which decodes for x ≠ 0, and as "-0"
// for the points with x = 0), and the non-canonical encodings y + p of those whose y is 0 or 1.
// The points are found as the torsion parts P − [8⁻¹][8]P of random points, so that the list
// does not rest on constants copied from elsewhere.
func smallOrderEncodings(t *testing.T) [][]byte {
	t.Helper()
	var eight [32]byte
	eight[0] = 8
	inv8, err := new(edwards25519.Scalar).SetCanonicalBytes(eight[:])
	if err != nil {
		t.Fatal(err)
	}
	inv8.Invert(inv8)
	rng := rand.New(rand.NewPCG(3, 4))
	points := map[string]bool{}
	for tries := 0; len(points) < 8; tries++ {
		if tries > 10000 {
			t.Fatalf("found %d small-order points, want 8", len(points))
		}
		var b [32]byte
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		P, err := new(edwards25519.Point).SetBytes(b[:])
		if err != nil {
			continue
		}
		prime := new(edwards25519.Point).ScalarMult(inv8, new(edwards25519.Point).MultByCofactor(P))
		T := new(edwards25519.Point).Subtract(P, prime)
		points[string(T.Bytes())] = true
	}
	var out [][]byte
	for enc := range points {
		c := []byte(enc)
		flipped := bytes.Clone(c)
		flipped[31] ^= 0x80
		out = append(out, c, flipped)
		if c[31]&0x7f == 0 && bytes.Equal(c[1:31], make([]byte, 30)) && c[0] <= 1 {
			// y + p, with p = 2^255 − 19: y's low byte + 0xed, the rest all ones.
			nc := bytes.Repeat([]byte{0xff}, 32)
			nc[0], nc[31] = c[0]+0xed, 0x7f|c[31]&0x80
			out = append(out, nc, append(bytes.Clone(nc[:31]), nc[31]^0x80))
		}
	}
	return out
}

// Every encoding of a small-order point, canonical or not, as the key and as R, with S of
// zero, one, L − 1 and a random value, over three messages: judged as crypto/ed25519 judges.
// This is where verifiers differ (small-order and non-canonical keys and commitments, the
// cofactorless equation), and where a signature with S = 0 and a small-order R and A can
// satisfy the equation for some messages.
func TestSmallOrderPointsAgree(t *testing.T) {
	encs := smallOrderEncodings(t)
	if len(encs) < 20 {
		t.Fatalf("%d encodings, want at least 20", len(encs))
	}
	lMinus1 := addL(make([]byte, 64))[32:]
	lMinus1[0]--
	rng := rand.New(rand.NewPCG(5, 6))
	random := make([]byte, 32)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	random[31] &= 0x0f
	one := make([]byte, 32)
	one[0] = 1
	accepted := 0
	for _, a := range encs {
		for _, r := range encs {
			for _, s := range [][]byte{make([]byte, 32), one, lMinus1, random} {
				for _, msg := range [][]byte{nil, []byte("a letter"), {0}} {
					if agree(t, a, msg, append(bytes.Clone(r), s...)) {
						accepted++
					}
				}
			}
		}
	}
	t.Logf("%d encodings, %d signatures accepted by both", len(encs), accepted)
	if accepted == 0 {
		t.Error("no signature accepted: the cases do not reach the equation")
	}
}

func TestBadLengths(t *testing.T) {
	for _, n := range []int{0, 31, 33, 64} {
		if _, err := New(make([]byte, n)); err == nil {
			t.Errorf("a public key of %d bytes was taken", n)
		}
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	k, err := New(pub)
	if err != nil {
		t.Fatal(err)
	}
	sig := ed25519.Sign(priv, []byte("m"))
	for _, s := range [][]byte{nil, sig[:63], append(bytes.Clone(sig), 0)} {
		if k.Verify([]byte("m"), s) {
			t.Errorf("a signature of %d bytes verified", len(s))
		}
	}
	if !bytes.Equal(k.Public(), pub) {
		t.Error("Public is not the key New was given")
	}
	// New keeps its own copy: the caller's slice may be reused.
	pub[0] ^= 1
	if !k.Verify([]byte("m"), sig) {
		t.Error("changing the caller's slice changed the key")
	}
}

// FuzzAgreesWithCryptoEd25519: for any key, message and signature, Verify answers as
// crypto/ed25519.Verify does.
func FuzzAgreesWithCryptoEd25519(f *testing.F) {
	pubs, msgs, sigs := loadSpeccheck(f)
	for i := range pubs {
		f.Add(pubs[i], msgs[i], sigs[i])
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	f.Add([]byte(pub), []byte("a letter"), ed25519.Sign(priv, []byte("a letter")))
	f.Fuzz(func(t *testing.T, pub, msg, sig []byte) {
		if len(pub) != ed25519.PublicKeySize {
			if _, err := New(pub); err == nil {
				t.Fatalf("a public key of %d bytes was taken", len(pub))
			}
			return
		}
		agree(t, pub, msg, sig)
	})
}

func BenchmarkVerify(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	msg := bytes.Repeat([]byte("x"), 600)
	sig := ed25519.Sign(priv, msg)
	b.Run("crypto/ed25519", func(b *testing.B) {
		for b.Loop() {
			ed25519.Verify(pub, msg, sig)
		}
	})
	b.Run("edkey", func(b *testing.B) {
		k, _ := New(pub)
		for b.Loop() {
			k.Verify(msg, sig)
		}
	})
}

// In FIPS 140 mode Verify is crypto/ed25519's, and judges every case the same.
func TestFIPSMode(t *testing.T) {
	if fips140.Enabled() {
		t.Skip("already in FIPS 140 mode: the other tests cover it")
	}
	if testing.Short() {
		t.Skip("runs the package's tests again in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^(TestSpeccheckCases|TestValidAndMutatedSignatures|TestBadLengths)$", "-test.v")
	cmd.Env = append(os.Environ(), "GODEBUG=fips140=on")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GODEBUG=fips140=on: %v\n%s", err, out)
	}
	if n := bytes.Count(out, []byte("--- PASS")); n != 3 {
		t.Fatalf("GODEBUG=fips140=on: %d tests passed, want 3\n%s", n, out)
	}
}
