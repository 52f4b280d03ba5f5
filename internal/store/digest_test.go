package store

import (
	"strings"
	"testing"
)

const testHex = "9960d119171b13b8cc0c0b07b889d2f078e94be868a507a3dd1f7a4471a487a2"

func TestPackDigest(t *testing.T) {
	for _, c := range []struct {
		d    string
		size int
	}{
		{"sha256:" + testHex, 33},
		{"sha256:" + strings.ToUpper(testHex), 72},
		{"sha256:aa", 10},
		{"", 1},
		{"sha512:" + testHex + testHex, 136},
	} {
		b := packDigest(c.d)
		if len(b) != c.size {
			t.Errorf("%q stored in %d bytes, want %d", c.d, len(b), c.size)
		}
		if got, err := unpackDigest(b); err != nil || got != c.d {
			t.Errorf("%q read back as %q, %v", c.d, got, err)
		}
	}
	for _, b := range [][]byte{nil, {digestSHA256}, {digestSHA256, 1, 2}, {0x02, 'x'}} {
		if d, err := unpackDigest(b); err == nil {
			t.Errorf("%x read as the digest %q, want an error", b, d)
		}
	}
}

func TestPackDetail(t *testing.T) {
	for _, c := range []struct {
		detail string
		size   int
	}{
		{"", 0},
		{"admin (admin)", 13},
		{"version 1 sha256:" + testHex + " with key " + testHex, 17 + 33 + 10 + 33 + 1},
		{testHex + testHex, 67},
		{testHex[:63], 63},
		{"\x01" + testHex[:63], 65},
		{"\x02" + testHex, 65},
	} {
		b := packDetail(c.detail)
		if len(b) != c.size {
			t.Errorf("%q stored in %d bytes, want %d", c.detail, len(b), c.size)
		}
		if got, err := unpackDetail(b); err != nil || got != c.detail {
			t.Errorf("%q read back as %q, %v", c.detail, got, err)
		}
	}
	if _, err := unpackDetail([]byte{detailPacked, 'a', detailHex, 1, 2}); err == nil {
		t.Error("a packed detail cut short read without an error")
	}
}

// FuzzPackDetail: every detail reads back exactly, and stored bytes of any kind either read
// as a detail that packs to a form reading the same, or fail, without panicking.
func FuzzPackDetail(f *testing.F) {
	for _, s := range []string{"", "admin (admin)", "version 1 sha256:" + testHex + " (application/pdf, 3 bytes)",
		testHex + testHex[:10], "\x00\x01\x02", "\x01" + testHex} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := packDetail(s)
		got, err := unpackDetail(b)
		if err != nil || got != s {
			t.Fatalf("%q stored as %x read back as %q, %v", s, b, got, err)
		}
		if len(b) > len(s)+1 {
			t.Fatalf("%q stored in %d bytes", s, len(b))
		}
		if d, err := unpackDetail([]byte(s)); err == nil {
			if again, err := unpackDetail(packDetail(d)); err != nil || again != d {
				t.Fatalf("%q: %q, %v", d, again, err)
			}
		}
	})
}

// FuzzPackDigest: every string reads back exactly from its stored form.
func FuzzPackDigest(f *testing.F) {
	for _, s := range []string{"", "sha256:" + testHex, "sha256:aa", "sha256:" + strings.ToUpper(testHex)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := unpackDigest(packDigest(s))
		if err != nil || got != s {
			t.Fatalf("%q read back as %q, %v", s, got, err)
		}
		unpackDigest([]byte(s))
	})
}
