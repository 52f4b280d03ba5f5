package keys

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"testing"

	"filippo.io/edwards25519"
)

// smallOrder are encodings of Ed25519 points of order 1, 2, 4 and 8, canonical and not.
var smallOrder = []string{
	"0100000000000000000000000000000000000000000000000000000000000000", // the identity
	"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // order 2
	"0000000000000000000000000000000000000000000000000000000000000000", // order 4
	"0000000000000000000000000000000000000000000000000000000000000080", // order 4
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", // order 8
	"26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85", // order 8
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", // order 8
	"c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa", // order 8
	"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // the identity, y = p+1
}

// TestCheckPublicKeyRefusesSmallOrder: under a public key of small order, one signature
// verifies for every message, so anyone can sign as the key's owner and the owner can deny
// any signature; such keys are refused. Genuine keys pass.
func TestCheckPublicKeyRefusesSmallOrder(t *testing.T) {
	identity, _ := hex.DecodeString(smallOrder[0])
	forged := append(append([]byte{}, identity...), make([]byte, 32)...)
	for _, msg := range []string{"release TFN-2026-000123", "anything at all"} {
		if !ed25519.Verify(identity, []byte(msg), forged) {
			t.Fatalf("the forgery premise does not hold for %q", msg)
		}
	}
	for _, h := range smallOrder {
		pub, _ := hex.DecodeString(h)
		if err := CheckPublicKey(pub); !errors.Is(err, ErrWeakKey) {
			t.Errorf("CheckPublicKey(%s) = %v, want ErrWeakKey", h, err)
		}
	}
	for range 200 {
		pub, _, err := ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPublicKey(pub); err != nil {
			t.Fatalf("CheckPublicKey(%x) = %v", pub, err)
		}
	}
	// y + p for the small y that are points of large order: not as RFC 8032 writes them;
	// crypto/ed25519 takes each as the key written with y.
	found := 0
	for y := range byte(19) {
		b := bytes.Repeat([]byte{0xff}, 32)
		b[0], b[31] = 0xed+y, 0x7f
		p, err := new(edwards25519.Point).SetBytes(b)
		if err != nil || new(edwards25519.Point).MultByCofactor(p).Equal(edwards25519.NewIdentityPoint()) == 1 {
			continue
		}
		found++
		if err := CheckPublicKey(p.Bytes()); err != nil {
			t.Errorf("the canonical encoding %x: %v", p.Bytes(), err)
		}
		if err := CheckPublicKey(b); !errors.Is(err, ErrNotCanonical) {
			t.Errorf("CheckPublicKey(%x), y = p + %d = %v, want ErrNotCanonical", b, y, err)
		}
	}
	if found == 0 {
		t.Fatal("no point of large order has a y below 19")
	}
	if err := CheckPublicKey(make([]byte, 31)); err == nil {
		t.Error("a 31-byte key passed")
	}
	line := "chancery-ed25519 AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	if _, _, err := ParsePublic([]byte(line)); !errors.Is(err, ErrWeakKey) {
		t.Errorf("ParsePublic of the identity point: %v", err)
	}
}

// Mixed-order keys (a genuine key plus a point of small order) sign only what their holder
// signs, and pass, as they did under the X25519 check this one replaced; 32 bytes that decode
// to no point are refused, since nothing verifies under them.
func TestCheckPublicKeyMixedOrderAndNonPoints(t *testing.T) {
	for range 50 {
		pub, _, err := ed25519.GenerateKey(nil)
		if err != nil {
			t.Fatal(err)
		}
		A, err := new(edwards25519.Point).SetBytes(pub)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range smallOrder[1:] {
			tb, _ := hex.DecodeString(h)
			T, err := new(edwards25519.Point).SetBytes(tb)
			if err != nil {
				t.Fatal(err)
			}
			mixed := new(edwards25519.Point).Add(A, T).Bytes()
			if err := CheckPublicKey(mixed); err != nil {
				t.Fatalf("mixed-order key %x: %v", mixed, err)
			}
		}
	}
	// y = 2 is not the y of any point: (y²-1)/(dy²+1) is not a square.
	notPoint := make([]byte, 32)
	notPoint[0] = 2
	if _, err := new(edwards25519.Point).SetBytes(notPoint); err == nil {
		t.Fatal("the premise does not hold: y = 2 decodes")
	}
	if err := CheckPublicKey(notPoint); !errors.Is(err, ErrNotAPoint) {
		t.Errorf("CheckPublicKey(y = 2) = %v, want ErrNotAPoint", err)
	}
}

func BenchmarkCheckPublicKey(b *testing.B) {
	pub, _, err := ed25519.GenerateKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := CheckPublicKey(pub); err != nil {
			b.Fatal(err)
		}
	}
}
