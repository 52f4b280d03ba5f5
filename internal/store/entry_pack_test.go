package store

import (
	"bytes"
	"strings"
	"testing"
)

// releaseEntry is a release entry as the registry writes it (keyid with zero bytes).
const releaseEntry = "chancery-entry v2 release\n" +
	`{"payload":"eyJvZmZpY2UiOiJXcml0ZSBCZW5jaG1hcmsgT2ZmaWNlIn0=","payloadType":"application/vnd.chancery.release.v2+json",` +
	`"signatures":[{"keyid":"00b3c75dc811d05543877153c28e72809b7511603096dd78920345c0f20ef500","sig":"lM4la6EWM45MFH68ggmDvMcKJzyOm+NFbHPqzkfy2kqvE5CcDuKDXkI6Fbodb3yLmXaengZpUAp71WPvSA3kCQ=="}]}`

// packCases are entries packed (the first two) and kept as they are (the rest).
var packCases = []string{
	releaseEntry,
	strings.Replace(releaseEntry, "eyJvZmZpY2UiOiJXcml0ZSBCZW5jaG1hcmsgT2ZmaWNlIn0=", "", 1),
	"entry",
	"",
	"\x01 a stored form",
	"\x00",
	strings.Replace(releaseEntry, "00b3c7", "00B3C7", 1),                               // upper-case hex
	strings.Replace(releaseEntry, "\"}]}", "\"},{\"keyid\":\"x\",\"sig\":\"y\"}]}", 1), // two signatures
	strings.Replace(releaseEntry, "eyJv", "ey\\u0022", 1),                              // an escape in the payload
	strings.Replace(releaseEntry, "lM4la6", "lM4l\u00e46", 1),                          // not ASCII
	strings.Replace(releaseEntry, "v2 release", "v2 withdrawal", 1),
	strings.Replace(releaseEntry, "f500\",\"sig", "f50\",\"sig", 1),
	releaseEntry[:len(releaseEntry)-1],
	releaseEntry + " ",
}

func TestPackEntry(t *testing.T) {
	for i, e := range packCases {
		p := packEntry([]byte(e))
		got, err := unpackEntry(p)
		if err != nil || string(got) != e {
			t.Errorf("case %d: unpacked %q, %v, want %q", i, got, err, e)
		}
		if packed := i < 2; packed != (len(p) > 0 && p[0] == packedEntry) {
			t.Errorf("case %d: stored as %q, packed %v", i, p, packed)
		}
	}
	// Since migration 27: a payload of the registry's shape is kept as its fields.
	for _, e := range []string{bundleRelease("Write Benchmark Office", 1, "2026-12-01T14:28:34Z"), bundleRelease("O", 0, "2026-12-01T14:28:34Z"),
		bundleRelease("O", 3, "2026-12-01T14:28:34Z"), "\x02 a stored form"} {
		p := packEntry([]byte(e))
		got, err := unpackEntry(p)
		if err != nil || string(got) != e {
			t.Errorf("unpacked %q, %v, want %q", got, err, e)
		}
		if template := e[0] != 2; template != (p[0] == templateEntry) {
			t.Errorf("%q stored as %q", e, p)
		}
	}
	if e := bundleRelease("Write Benchmark Office", 1, "2026-12-01T14:28:34Z"); len(packEntry([]byte(e))) != 1+33+23+32+1+32+5+64 {
		t.Errorf("packed %d bytes of entry into %d", len(e), len(packEntry([]byte(e))))
	}
	fixed := len(entryHead) + len(entryMid) + len(entrySig) + len(entryTail)
	if p := packEntry([]byte(releaseEntry)); len(p) != len(releaseEntry)-fixed-32+3 {
		t.Errorf("packed %d bytes into %d", len(releaseEntry), len(p))
	}
	long := append(append([]byte{packedEntry}, make([]byte, 32)...), 0xff, 0xff, 'a')
	template := packEntry([]byte(bundleRelease("O", 1, "2026-12-01T14:28:34Z")))
	for _, b := range [][]byte{{packedEntry}, long[:34], long, {templateEntry}, {templateEntry, 0}, template[:60]} {
		if got, err := unpackEntry(b); err == nil {
			t.Errorf("unpacked %q from %d bytes", got, len(b))
		}
	}
}

func FuzzPackEntry(f *testing.F) {
	for _, e := range packCases {
		f.Add([]byte(e))
	}
	f.Fuzz(func(t *testing.T, e []byte) {
		if got, err := unpackEntry(packEntry(e)); err != nil || !bytes.Equal(got, e) {
			t.Fatalf("%q: unpacked %q, %v", e, got, err)
		}
		unpackEntry(e) // no panic on any stored bytes
	})
}
