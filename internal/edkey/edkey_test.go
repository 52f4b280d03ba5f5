package edkey

import (
	"bytes"
	"crypto/ed25519"
	"crypto/fips140"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"

	"filippo.io/edwards25519"
	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
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

// smallOrderPoints returns the eight points of small order, sorted by their encodings. They
// are found as the torsion parts P − [8⁻¹][8]P of random points, so that the list does not
// rest on constants copied from elsewhere.
func smallOrderPoints(t testing.TB) []*edwards25519.Point {
	t.Helper()
	var eight [32]byte
	eight[0] = 8
	inv8, err := new(edwards25519.Scalar).SetCanonicalBytes(eight[:])
	if err != nil {
		t.Fatal(err)
	}
	inv8.Invert(inv8)
	rng := rand.New(rand.NewPCG(3, 4))
	points := map[string]*edwards25519.Point{}
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
		points[string(T.Bytes())] = T
	}
	var out []*edwards25519.Point
	for _, enc := range slices.Sorted(maps.Keys(points)) {
		out = append(out, points[enc])
	}
	return out
}

// smallOrderEncodings returns every encoding of the eight points of small order: each point's
// canonical encoding, the same with the sign bit flipped (which decodes for x ≠ 0, and as "-0"
// for the points with x = 0), and the non-canonical encodings y + p of those whose y is 0 or 1.
// Flipping the sign of a point with x ≠ 0 gives its opposite's canonical encoding, which is
// listed once: 14 encodings in all (8 canonical, 2 "-0", 4 with y ≥ p).
func smallOrderEncodings(t testing.TB) [][]byte {
	t.Helper()
	var out [][]byte
	add := func(encs ...[]byte) {
		for _, e := range encs {
			if !slices.ContainsFunc(out, func(o []byte) bool { return bytes.Equal(o, e) }) {
				out = append(out, e)
			}
		}
	}
	for _, T := range smallOrderPoints(t) {
		c := T.Bytes()
		flipped := bytes.Clone(c)
		flipped[31] ^= 0x80
		add(c, flipped)
		if c[31]&0x7f == 0 && bytes.Equal(c[1:31], make([]byte, 30)) && c[0] <= 1 {
			// y + p, with p = 2^255 − 19: y's low byte + 0xed, the rest all ones.
			nc := bytes.Repeat([]byte{0xff}, 32)
			nc[0], nc[31] = c[0]+0xed, 0x7f|c[31]&0x80
			add(nc, append(bytes.Clone(nc[:31]), nc[31]^0x80))
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
	if len(encs) != 14 {
		t.Fatalf("%d encodings, want 14", len(encs))
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

// S at the bounds of crypto/ed25519's checks (its top three bits, then S < L, which
// curve25519-voi checks in one function), under a valid signature's key and R and under the
// identity as both (accepted with S = 0 alone): every one judged as crypto/ed25519 judges.
func TestSBoundsAgree(t *testing.T) {
	pow2 := func(n int) []byte {
		b := make([]byte, 32)
		b[n/8] = 1 << (n % 8)
		return b
	}
	minus1 := func(b []byte) []byte {
		b = bytes.Clone(b)
		for i := range b {
			b[i]--
			if b[i] != 0xff {
				break
			}
		}
		return b
	}
	l := addL(make([]byte, 64))[32:]
	lPlus1 := bytes.Clone(l)
	lPlus1[0]++
	bounds := [][]byte{make([]byte, 32), pow2(0), minus1(l), l, lPlus1, minus1(pow2(252)), pow2(252),
		minus1(pow2(253)), pow2(253), pow2(254), pow2(255), bytes.Repeat([]byte{0xff}, 32)}
	pub, priv, _ := ed25519.GenerateKey(nil)
	valid := ed25519.Sign(priv, []byte("a letter"))
	identity := make([]byte, 32)
	identity[0] = 1
	accepted := 0
	for _, S := range bounds {
		if agree(t, pub, []byte("a letter"), append(bytes.Clone(valid[:32]), S...)) {
			t.Errorf("S %x accepted under another signature's R", S)
		}
		if agree(t, identity, []byte("a letter"), append(bytes.Clone(identity), S...)) {
			accepted++
		}
	}
	if accepted != 1 {
		t.Errorf("%d values of S accepted under the identity, want 1 (S = 0)", accepted)
	}
	if !agree(t, pub, []byte("a letter"), valid) || agree(t, pub, []byte("a letter"), addL(valid)) {
		t.Error("the valid signature refused, or accepted with S + L")
	}
}

// Modes of torsioned: bits of its mode argument.
const (
	pureTorsionA   = 1 << iota // a = 0: the key is a small-order point
	otherEncodingA             // with pureTorsionA, the key is any encoding of a small-order point
	pureTorsionR               // r = 0: R is a small-order point
	otherEncodingR             // with pureTorsionR, R is any encoding of a small-order point
	sPlusL                     // S + L: non-canonical, which both must refuse
)

// torsioned returns a key A = [a]B + T and a signature (R, S) of msg with R = [r]B + T', a and
// r derived from seed, T and T' the small-order points tA and tR, and S = r + H(R, A, msg)·a,
// so that the equation holds but for the torsion: [S]B − [k]A = R − T' − [k]T. The
// cofactorless equation, crypto/ed25519's, accepts when T' = −[k]T (one time in eight or so),
// the cofactored one always: this is where single verifiers differ, and where random keys and
// signatures (which are refused but for small-order keys) never reach. mode's bits make a or r
// zero and pick another encoding of a small-order key or R, canonical or not.
func torsioned(points []*edwards25519.Point, encs [][]byte, seed []byte, tA, tR, mode uint8, msg []byte) (pub, sig []byte) {
	scalar := func(label string) *edwards25519.Scalar {
		h := sha512.Sum512(append([]byte(label), seed...))
		s, err := new(edwards25519.Scalar).SetUniformBytes(h[:])
		if err != nil {
			panic(err)
		}
		return s
	}
	a, r := scalar("a"), scalar("r")
	if mode&pureTorsionA != 0 {
		a = edwards25519.NewScalar()
	}
	if mode&pureTorsionR != 0 {
		r = edwards25519.NewScalar()
	}
	pub = new(edwards25519.Point).Add(new(edwards25519.Point).ScalarBaseMult(a), points[tA%8]).Bytes()
	if mode&(pureTorsionA|otherEncodingA) == pureTorsionA|otherEncodingA {
		pub = encs[int(tA)%len(encs)]
	}
	R := new(edwards25519.Point).Add(new(edwards25519.Point).ScalarBaseMult(r), points[tR%8]).Bytes()
	if mode&(pureTorsionR|otherEncodingR) == pureTorsionR|otherEncodingR {
		R = encs[int(tR)%len(encs)]
	}
	h := sha512.New()
	h.Write(R)
	h.Write(pub)
	h.Write(msg)
	k, err := new(edwards25519.Scalar).SetUniformBytes(h.Sum(nil))
	if err != nil {
		panic(err)
	}
	S := new(edwards25519.Scalar).MultiplyAdd(k, a, r)
	sig = append(bytes.Clone(R), S.Bytes()...)
	if mode&sPlusL != 0 {
		sig = addL(sig)
	}
	return bytes.Clone(pub), sig
}

// Keys and commitments with every torsion part, and the small-order points' every encoding as
// the key and as R with a valid S: judged as crypto/ed25519 judges, and both answers reached
// under mixed-order keys (where the cofactored equation accepts every one).
func TestTorsionedKeysAgree(t *testing.T) {
	points, encs := smallOrderPoints(t), smallOrderEncodings(t)
	accepted, mixedAccepted, refused := 0, 0, 0
	for _, mode := range []uint8{0, pureTorsionA, pureTorsionA | otherEncodingA, pureTorsionR, pureTorsionR | otherEncodingR,
		pureTorsionA | otherEncodingA | pureTorsionR | otherEncodingR, sPlusL} {
		// Every torsion part, or every encoding where mode picks among them.
		n := uint8(len(points))
		if mode&(otherEncodingA|otherEncodingR) != 0 {
			n = uint8(len(encs))
		}
		for seed := range 2 {
			for tA := range n {
				for tR := range n {
					msg := []byte{byte(seed), tA, tR}
					pub, sig := torsioned(points, encs, []byte{byte(seed)}, tA, tR, mode, msg)
					if !agree(t, pub, msg, sig) {
						refused++
						continue
					}
					accepted++
					if mode&pureTorsionA == 0 && points[tA%8].Equal(edwards25519.NewIdentityPoint()) == 0 {
						mixedAccepted++
					}
				}
			}
		}
	}
	t.Logf("%d accepted (%d under a mixed-order key), %d refused", accepted, mixedAccepted, refused)
	if mixedAccepted == 0 || refused == 0 {
		t.Error("the cases do not reach both answers of the equation under mixed-order keys")
	}
}

// FuzzTorsionedKeysAgree: for keys and signatures built by torsioned, whose equation holds but
// for small-order parts, Verify answers as crypto/ed25519.Verify does.
func FuzzTorsionedKeysAgree(f *testing.F) {
	points, encs := smallOrderPoints(f), smallOrderEncodings(f)
	for mode := range uint8(1 << 5) {
		f.Add([]byte("a letter"), mode, mode/2, mode, []byte("a letter"))
	}
	f.Fuzz(func(t *testing.T, seed []byte, tA, tR, mode uint8, msg []byte) {
		pub, sig := torsioned(points, encs, seed, tA, tR, mode, msg)
		agree(t, pub, msg, sig)
	})
}

// edkey's options are curve25519-voi's VerifyOptionsStdLib, and Verify keeps crypto/ed25519's
// rules when that preset, an exported variable any package of the binary can write, is
// changed: to the cofactored equation (ZIP-215's rules), under which a verifier would accept
// what crypto/ed25519 refuses, or to options the library refuses by panicking on every
// verification.
func TestStdLibPresetChangedElsewhere(t *testing.T) {
	saved := *voi.VerifyOptionsStdLib
	if *stdlib.Verify != saved {
		t.Fatalf("edkey's options %+v are not the library's VerifyOptionsStdLib %+v", *stdlib.Verify, saved)
	}
	t.Cleanup(func() { *voi.VerifyOptionsStdLib = saved })
	pubs, msgs, sigs := loadSpeccheck(t)
	encs := smallOrderEncodings(t)
	for _, c := range []struct {
		name   string
		preset voi.VerifyOptions
	}{
		{"ZIP-215", *voi.VerifyOptionsZIP_215},
		{"incompatible", voi.VerifyOptions{AllowNonCanonicalR: true, CofactorlessVerify: true}},
	} {
		t.Run(c.name, func(t *testing.T) {
			*voi.VerifyOptionsStdLib = c.preset
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("Verify panicked: %v", p)
				}
			}()
			for i := range pubs {
				agree(t, pubs[i], msgs[i], sigs[i])
			}
			for _, a := range encs {
				for _, r := range encs {
					agree(t, a, nil, append(bytes.Clone(r), make([]byte, 32)...))
				}
			}
		})
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

// A Key is shared by a verifier's workers: Verify only reads it (go test -race; the AVX2
// backend's assembly, which the race detector does not see, writes only to its result and its
// stack). The keys have every torsion part, none (prime order) included; the signatures are
// valid, refused by the cofactorless equation alone, or mutated.
func TestConcurrentVerify(t *testing.T) {
	points, encs := smallOrderPoints(t), smallOrderEncodings(t)
	type check struct {
		key       *Key
		msg, sig  []byte
		wantValid bool
	}
	var checks []check
	for i := range 64 {
		msg := []byte{byte(i)}
		pub, sig := torsioned(points, encs, msg, uint8(i%8), uint8(i/8), 0, msg)
		if i%3 == 0 {
			sig[5] ^= 1
		}
		k, err := New(pub)
		if err != nil {
			t.Fatal(err)
		}
		checks = append(checks, check{k, msg, sig, ed25519.Verify(pub, msg, sig)})
	}
	accepted := func(c check) bool { return c.wantValid }
	refused := func(c check) bool { return !c.wantValid }
	if !slices.ContainsFunc(checks, accepted) || !slices.ContainsFunc(checks, refused) {
		t.Fatal("the checks are not both accepted and refused ones")
	}
	// Every goroutine verifies with every key, so that they share keys.
	var wg sync.WaitGroup
	wrong := make(chan string, 8*len(checks))
	for range 8 {
		wg.Go(func() {
			for _, c := range checks {
				if c.key.Verify(c.msg, c.sig) != c.wantValid {
					wrong <- fmt.Sprintf("key %x, message %x, signature %x", c.key.Public(), c.msg, c.sig)
				}
			}
		})
	}
	wg.Wait()
	close(wrong)
	for w := range wrong {
		t.Errorf("judged unlike crypto/ed25519 when shared: %s", w)
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

// In FIPS 140 mode Verify is crypto/ed25519's (TestFIPSModeCallsCryptoEd25519), and judges
// every case the same.
func TestFIPSMode(t *testing.T) {
	if fips140.Enabled() {
		t.Skip("already in FIPS 140 mode: the other tests cover it")
	}
	if testing.Short() {
		t.Skip("runs the package's tests again in a child process")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^(TestSpeccheckCases|TestValidAndMutatedSignatures|TestBadLengths|TestFIPSModeCallsCryptoEd25519)$", "-test.v")
	cmd.Env = append(os.Environ(), "GODEBUG=fips140=on")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GODEBUG=fips140=on: %v\n%s", err, out)
	}
	if n := bytes.Count(out, []byte("--- PASS")); n != 4 {
		t.Fatalf("GODEBUG=fips140=on: %d tests passed, want 4\n%s", n, out)
	}
}

// In FIPS 140 mode Verify is crypto/ed25519's call, not curve25519-voi's: with the expanded
// key taken away, a valid signature still verifies. (Both answer alike on every input, so
// comparing their answers cannot tell which one ran.) TestFIPSMode runs it in that mode.
func TestFIPSModeCallsCryptoEd25519(t *testing.T) {
	if !fips140.Enabled() {
		t.Skip("FIPS 140 mode only: TestFIPSMode runs it so")
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	k, err := New(pub)
	if err != nil {
		t.Fatal(err)
	}
	k.expanded = nil
	if !k.Verify([]byte("a letter"), ed25519.Sign(priv, []byte("a letter"))) {
		t.Fatal("in FIPS 140 mode, Verify did not call crypto/ed25519")
	}
}
