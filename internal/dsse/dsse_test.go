package dsse

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The PAE example from the DSSE protocol specification.
func TestPAESpecVector(t *testing.T) {
	got := string(PAE("http://example.com/HelloWorld", []byte("hello world")))
	want := "DSSEv1 29 http://example.com/HelloWorld 11 hello world"
	if got != want {
		t.Fatalf("PAE = %q, want %q", got, want)
	}
}

func TestSignParseVerify(t *testing.T) {
	seed := make([]byte, ed25519.SeedSize)
	k := ed25519.NewKeyFromSeed(seed)
	e := Sign("application/vnd.example+json", []byte(`{"a":1}`), k)
	data := e.Marshal()
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(k.Public().(ed25519.PublicKey)); err != nil {
		t.Fatal(err)
	}
	// Another payload type under the same signature must fail: domain separation.
	p.PayloadType = "application/vnd.other+json"
	if err := p.Verify(k.Public().(ed25519.PublicKey)); err == nil {
		t.Fatal("signature verified under another payload type")
	}
	// Non-canonical spellings of the same envelope are refused.
	for _, bad := range []string{
		" " + string(data),
		strings.Replace(string(data), `"payload":`, `"payload" :`, 1),
		strings.Replace(string(data), `{"payload"`, `{"extra":1,"payload"`, 1),
	} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("parsed non-canonical %q", bad)
		}
	}
}

func FuzzParse(f *testing.F) {
	k := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	f.Add(Sign("t", []byte("p"), k).Marshal())
	f.Add([]byte(`{"payload":"","payloadType":"","signatures":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Parse(data)
		if err != nil {
			return
		}
		if string(e.Marshal()) != string(data) {
			t.Fatal("parsed envelope does not re-encode to its input")
		}
	})
}

// FuzzParseCanonical checks that the fast path accepts only what the general path accepts,
// and returns the same envelope.
func FuzzParseCanonical(f *testing.F) {
	k := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	f.Add(Sign("t", []byte("p"), k).Marshal())
	f.Add(Sign("application/vnd.chancery.release+json", []byte(`{"office":"<&>"}`), k, k).Marshal())
	f.Add(Sign("t", nil, k).Marshal())
	f.Add([]byte(`{"payload":"","payloadType":"","signatures":[]}`))
	f.Add([]byte(`{"payload":"cA==","payloadType":"t\u00e9","signatures":[{"keyid":"\u003c","sig":"` + strings.Repeat("A", 86) + `=="}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := parseCanonical(data)
		if !ok {
			return
		}
		// The general path, as Parse had it before the fast path.
		var slow Envelope
		if err := json.Unmarshal(data, &slow); err != nil {
			t.Fatalf("fast path accepted what encoding/json refuses: %v", err)
		}
		if !reflect.DeepEqual(*fast, slow) {
			t.Fatalf("fast path read %+v, encoding/json %+v", *fast, slow)
		}
		if string(slow.Marshal()) != string(data) || slow.PayloadType == "" || len(slow.Signatures) == 0 {
			t.Fatal("fast path accepted a non-canonical envelope")
		}
	})
}

func TestParseCanonicalFastPath(t *testing.T) {
	k := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	for _, e := range []*Envelope{
		Sign("application/vnd.chancery.release+json", []byte(`{"a":1}`), k),
		Sign("t", []byte{}, k, k),
	} {
		got, ok := parseCanonical(e.Marshal())
		if !ok {
			t.Fatalf("fast path refused a canonical envelope %s", e.Marshal())
		}
		if !reflect.DeepEqual(got.Signatures, e.Signatures) || string(got.Payload) != string(e.Payload) || got.PayloadType != e.PayloadType {
			t.Fatalf("fast path read %+v, want %+v", got, e)
		}
	}
	// Strings JSON escapes are left to the general path, which still accepts them.
	e := Sign("a<b", []byte("p"), k)
	if _, ok := parseCanonical(e.Marshal()); ok {
		t.Fatal("fast path took a string with an escape")
	}
	if _, err := Parse(e.Marshal()); err != nil {
		t.Fatalf("Parse refused a canonical envelope with an escaped payload type: %v", err)
	}
}

// FuzzAppendPAE checks AppendPAE, and PAE through it, against the encoding as the DSSE
// specification writes it: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in
// ASCII decimal. What was in the buffer before stays as it was.
//
//	go test ./internal/dsse -run '^$' -fuzz '^FuzzAppendPAE$' -fuzztime 30s
func FuzzAppendPAE(f *testing.F) {
	f.Add([]byte{}, "application/vnd.chancery.release.v2+json", []byte(`{"office":"x"}`))
	f.Add([]byte("prefix"), "", []byte{})
	f.Add([]byte{0}, "t y\npe", bytes.Repeat([]byte{0xff}, 1000))
	f.Fuzz(func(t *testing.T, prefix []byte, payloadType string, payload []byte) {
		want := fmt.Appendf(nil, "DSSEv1 %d %s %d %s", len(payloadType), payloadType, len(payload), payload)
		got := AppendPAE(bytes.Clone(prefix), payloadType, payload)
		if !bytes.HasPrefix(got, prefix) || !bytes.Equal(got[len(prefix):], want) {
			t.Fatalf("AppendPAE = %q, want %q after %q", got, want, prefix)
		}
		if p := PAE(payloadType, payload); !bytes.Equal(p, want) {
			t.Fatalf("PAE = %q, want %q", p, want)
		}
	})
}
