package dsse

import (
	"crypto/ed25519"
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
