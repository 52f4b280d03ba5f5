package store

import (
	"strings"
	"testing"
)

func TestPackEvent(t *testing.T) {
	const local = "127.0.0.1:45358"
	for _, c := range []struct {
		action, remote, detail string
		action2, remote2       string // the action and remote columns as stored
		size                   int    // the detail as stored
	}{
		// A letter's life, as writebench's offices store it: 67, 55, 79 and 62 bytes instead of
		// 91 + 13 + 15, 61 + 14 + 15, 94 + 11 + 15 and 90 + 14 + 15.
		{"letter.create", local, "version 1 sha256:" + testHex + " (application/octet-stream, 102411 bytes)", "", "", 3 + 6 + 3 + 33 + 1 + 20 + 1},
		{"letter.approve", local, "version 1 sha256:" + testHex + ": reviewed", "", "", 3 + 6 + 3 + 33 + 10},
		{"letter.sign", local, "version 1 sha256:" + testHex + " with key " + testHex, "", "", 3 + 6 + 3 + 33 + 1 + 33},
		{"letter.release", local, "version 1 sha256:" + testHex + ", log entry 502, signed by bench-signer", "", "", 3 + 6 + 3 + 33 + 1 + 3 + 1 + 12},
		{"letter.erase", "[2001:db8::1]:443", "content erased (log entry 7 kept): asked by the addressee", "", "", 3 + 18 + 1 + 1 + 1 + 1 + 22},
		{"letter.erase", "[::ffff:192.0.2.1]:443", "", "", "", 3 + 18},
		{"dispatch.sent", "worker", "letter to Ada <ada@example.org>", "", "worker", 3 + 31},
		{"letter.create", "[fe80::1%eth0]:80", "version 1", "", "[fe80::1%eth0]:80", 3 + 2},
		{"letter.create", "127.000.0.1:80", "", "", "127.000.0.1:80", 3},
		{"letter.create", "192.0.2.1", "", "", "192.0.2.1", 3},
		{"member.add", local, "admin (admin)", "member.add", "", 3 + 6 + 13},
		{"member.add", "cli", "admin (admin)", "member.add", "cli", 13},
		{"member.add", "", "version 2 of admin", "member.add", "", 3 + 1 + 10},
		{"letter.create", "", "", "", "", 3},
		{"letter.sign", local, "\x03 starts as the new form", "letter.sign", local, 25},
		{"letter.sign", local, "a tab\tversion 1 sha256:" + testHex, "letter.sign", local, 1 + 23 + 33},
		{"x", "", "", "x", "", 0},
		{"", "", "version 1 sha256:" + testHex, "", "", 3 + 3 + 33},
		{"letter.create", "", "Rücknahme " + testHex[:63] + "G, version 3 — خطاب", "", "", 3 + 11 + 63 + 3 + 1 + 1 + 13},
	} {
		action, remote, b := packEvent(c.action, c.remote, c.detail)
		if action != c.action2 || remote != c.remote2 || len(b) != c.size {
			t.Errorf("%q %q %q stored as %q %q and %d bytes, want %q %q and %d", c.action, c.remote, c.detail, action, remote, len(b), c.action2, c.remote2, c.size)
		}
		if a, r, d, err := unpackEvent(action, remote, b); err != nil || a != c.action || r != c.remote || d != c.detail {
			t.Errorf("%q %q %q read back as %q %q %q, %v", c.action, c.remote, c.detail, a, r, d, err)
		}
	}
	for _, c := range []struct {
		action, remote string
		b              []byte
	}{
		{"", "", []byte{detailWords}},
		{"", "", []byte{detailWords, 0}},
		{"", "", []byte{detailWords, byte(len(auditActions) + 1), 0}},
		{"letter.sign", "", []byte{detailWords, 1, 0}},
		{"", "", []byte{detailWords, 0, 5, 1, 2, 3, 4, 0, 80}},
		{"", "", []byte{detailWords, 0, remoteIPv4, 1, 2, 3, 4, 0}},
		{"", "", []byte{detailWords, 0, remoteIPv6, 1, 2, 3, 4, 0, 80}},
		{"", "x", []byte{detailWords, 0, remoteIPv4, 1, 2, 3, 4, 0, 80}},
		{"", "", []byte{detailWords, 0, 0, detailHex, 1, 2}},
		{"", "", []byte{detailWords, 0, 0, 'a', 0x1f}},
		{"", "", []byte{detailWords, 0, 0, 'a', 0x01}},
	} {
		if a, r, d, err := unpackEvent(c.action, c.remote, c.b); err == nil {
			t.Errorf("%q %q %x read as %q %q %q, want an error", c.action, c.remote, c.b, a, r, d)
		}
	}
}

// TestAuditPhrases: each phrase has its byte below 0x20, and none is empty or repeated.
func TestAuditPhrases(t *testing.T) {
	if wordBase+len(auditPhrases) > 0x20 {
		t.Errorf("%d phrases do not fit below 0x20", len(auditPhrases))
	}
	seen := map[string]bool{}
	for _, p := range auditPhrases {
		if p == "" || seen[p] || strings.ContainsAny(p, "\x00\x01\x02\x03") {
			t.Errorf("phrase %q", p)
		}
		seen[p] = true
	}
}

// FuzzPackEvent: every event reads back exactly, in no more bytes than packDetail's form and
// the columns as they are, and stored bytes of any kind either read as an event or fail,
// without panicking.
func FuzzPackEvent(f *testing.F) {
	for _, s := range []string{"", "admin (admin)", "version 1 sha256:" + testHex + " (application/pdf, 3 bytes)",
		testHex + testHex[:10], "\x00\x01\x02", "\x03" + testHex, "log entry 5, signed by x, log entry "} {
		f.Add("letter.create", "127.0.0.1:1", s)
		f.Add("member.add", "[::1]:80", s)
		f.Add("", "worker", s)
	}
	f.Fuzz(func(t *testing.T, action, remote, s string) {
		a, r, b := packEvent(action, remote, s)
		got, gotRemote, d, err := unpackEvent(a, r, b)
		if err != nil || got != action || gotRemote != remote || d != s {
			t.Fatalf("%q %q %q stored as %q %q %x read back as %q %q %q, %v", action, remote, s, a, r, b, got, gotRemote, d, err)
		}
		if len(a)+len(r)+len(b) > len(action)+len(remote)+len(packDetail(s)) {
			t.Fatalf("%q %q %q stored in %d bytes", action, remote, s, len(a)+len(r)+len(b))
		}
		if got, gotRemote, d, err := unpackEvent(action, remote, []byte(s)); err == nil {
			if a2, r2, d2, err := unpackEvent(packEvent(got, gotRemote, d)); err != nil || a2 != got || r2 != gotRemote || d2 != d {
				t.Fatalf("%q %q %q: %q %q %q, %v", got, gotRemote, d, a2, r2, d2, err)
			}
		}
	})
}
