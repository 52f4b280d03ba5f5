package store

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
)

// bundleRelease is a release entry as the registry writes it, with its payload's fields.
func bundleRelease(office string, keys int, at string) string {
	var ks []string
	for i := range keys {
		ks = append(ks, fmt.Sprintf(`"%064x"`, i+7))
	}
	payload := `{"office":"` + office + `","commitment":"qTypRlPb4sFYEkqnbwiIxWAGFbv+jbMysUQX1WrS2FM=","signer_keys":[` +
		strings.Join(ks, ",") + `],"disclosed":null,"released_at":"` + at + `"}`
	return entryHead + base64.StdEncoding.EncodeToString([]byte(payload)) + entryMid +
		"5465063fdf630cd012d60d092a59de9b0142a93e1ff0a60f841259977fa374ef" + entrySig +
		"1ooawUBr7ZZPvlk3prGbM8k4HHf7W97AhESN/0fxNMLB9vJL/3IITQUSdU+o0HGgYbCkI6mrqGou0fLrUAB3AQ==" + entryTail
}

// frames returns entries framed as in an entry bundle.
func frames(entries ...string) []byte {
	var b []byte
	for _, e := range entries {
		b = binary.BigEndian.AppendUint16(b, uint16(len(e)))
		b = append(b, e...)
	}
	return b
}

// bundleCases are bundle data and whether packBundle packs them.
var bundleCases = []struct {
	data   []byte
	packed bool
}{
	{frames(bundleRelease("Write Benchmark Office", 1, "2026-12-01T14:28:34Z")), true},
	{frames(bundleRelease("Write Benchmark Office", 1, "2026-12-01T14:28:34Z"), bundleRelease("Write Benchmark Office", 2, "2026-12-01T14:28:35Z"),
		bundleRelease("Other", 0, "2026-12-01T14:28:35Z"), releaseEntry, "chancery-entry v2 key-added\n{}",
		bundleRelease("Write Benchmark Office", 1, "2026-12-01T14:28:36Z")), true},
	{frames(releaseEntry, releaseEntry), true},
	{frames(bundleRelease("O", 1, "2026-12-01T14:28:34.5Z"), bundleRelease("O", 1, "1969-12-31T23:59:59Z"),
		bundleRelease(`O\"`, 1, "2026-12-01T14:28:34Z"), bundleRelease("O", 1, "2026-12-01T14:28:34+00:00")), true},
	{frames(strings.Replace(bundleRelease("O", 1, "2026-12-01T14:28:34Z"), "null", "{}", 1)), true},
	{frames(bundleRelease(`O\u00e9 é`, 1, "2026-12-01T14:28:34Z")), true},
	{frames(strings.Replace(bundleRelease("O", 1, "2026-12-01T14:28:34Z"), "AQ==", "AR==", 1)), false}, // not canonical base64
	{frames("entry", "another entry, long enough not to gain"), false},
	{[]byte("ab"), false},
	{[]byte("\xff\x01ab"), false},
	{[]byte{0xff}, false},
	{nil, false},
	{append(frames(releaseEntry), 0), false},
	{frames(releaseEntry)[:40], false},
}

func TestPackBundle(t *testing.T) {
	for i, c := range bundleCases {
		p := packBundle(c.data)
		got, err := unpackBundle(p)
		if err != nil || !bytes.Equal(got, c.data) {
			t.Errorf("case %d: unpacked %q, %v, want %q", i, got, err, c.data)
		}
		if packed := len(p) > 1 && p[0] == bundleMark && p[1] == bundlePacked; packed != c.packed {
			t.Errorf("case %d: stored as %q, packed %v", i, p, packed)
		}
	}
	// The registry's release entry: 134 bytes of envelope, a key ID in hex and base64 come down
	// to the fields; the second of a row refers to the first's key ID and office.
	e := bundleRelease("Write Benchmark Office", 1, "2026-12-01T14:28:34Z")
	one, two := packBundle(frames(e)), packBundle(frames(e, e))
	if len(one) != 2+1+33+23+32+1+32+5+1+64 || len(two)-len(one) != 1+1+1+32+1+32+5+1+64 {
		t.Errorf("%d bytes of entry packed into %d, two into %d", len(e), len(one), len(two))
	}
	for _, b := range [][]byte{{bundleMark}, {bundleMark, 2}, {bundleMark, bundlePacked, 9}, {bundleMark, bundlePacked, bundleEntryRaw, 5, 'a'},
		{bundleMark, bundlePacked, bundleEntryTemplate, 0}, one[:len(one)-1], one[:40], two[:len(one)+3]} {
		if got, err := unpackBundle(b); err == nil {
			t.Errorf("unpacked %q from %q", got, b)
		}
	}
}

func FuzzPackBundle(f *testing.F) {
	for _, c := range bundleCases {
		f.Add(c.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, err := unpackBundle(packBundle(data)); err != nil || !bytes.Equal(got, data) {
			t.Errorf("unpacked %q, %v, want %q", got, err, data)
		}
		unpackBundle(data)
	})
}

// fullBundle is a full entry bundle of the registry's release entries.
func fullBundle() []byte {
	var es []string
	for i := range 256 {
		es = append(es, bundleRelease("Write Benchmark Office", 1+i%2, fmt.Sprintf("2026-12-01T14:%02d:%02dZ", i/60, i%60)))
	}
	return frames(es...)
}

func BenchmarkPackBundle(b *testing.B) {
	data := fullBundle()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		packBundle(data)
	}
}

func BenchmarkUnpackBundle(b *testing.B) {
	data := fullBundle()
	p := packBundle(data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := unpackBundle(p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPackOtherBundle packs a bundle of 256 entries of 512 random-looking bytes, as
// appendbench appends: stored as it is.
func BenchmarkPackOtherBundle(b *testing.B) {
	var es []string
	for i := range 256 {
		es = append(es, strings.Repeat(fmt.Sprintf("%08x", i*2654435761), 64))
	}
	data := frames(es...)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		packBundle(data)
	}
}
