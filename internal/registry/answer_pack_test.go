package registry

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"
)

// packSamples are texts with what packAnswer looks for: base64 in base64, hex runs of odd and
// even length, upper-case hex, base64 that does not re-encode the same (non-zero padding
// bits), strings that only look like base64, and repeats, some overlapping what they copy.
func packSamples() [][]byte {
	statement := `{"office":"Büro für Straßen","reference":"R-1","file_digest":"sha256:` + strings.Repeat("ab", 32) + `"}`
	payload := base64.StdEncoding.EncodeToString([]byte(statement))
	entry := "chancery-entry v2 release\n" + `{"payload":"` + payload + `","signatures":[{"keyid":"` + strings.Repeat("0f", 32) + `","sig":"` + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0xff, 1}, 32)) + `"}]}`
	return [][]byte{
		nil,
		[]byte(`"`),
		[]byte(`""`),
		[]byte(`{"entry":"` + base64.StdEncoding.EncodeToString([]byte(entry)) + `","statement":"` + payload + `"}`),
		[]byte(strings.Repeat("a", 33) + " " + strings.Repeat("0123456789abcdef", 4) + "g" + strings.Repeat("ABCDEF0123456789", 4)),
		[]byte(`"QUJDREVGR0hJSktMTU5PUB=="` + `"QUJDREVGR0hJSktMTU5PUA=="` + `"QUJD+/=="` + `"QUJDREVGR0hJSktMTU5PUA==`),
		[]byte(strings.Repeat("Write Benchmark Office, ", 20)),
		[]byte(packDict + packDict[:100]),
		[]byte("\x00\x01\x80\xff\"\"\"abc"),
	}
}

func TestPackAnswer(t *testing.T) {
	for _, text := range packSamples() {
		p := packAnswer(nil, text)
		got, err := unpackAnswer([]byte("prefix"), p)
		if err != nil || string(got) != "prefix"+string(text) {
			t.Fatalf("unpack(pack(%q)) = %q, %v", text, got, err)
		}
	}
	// Packing must pay: the base64 in base64, the hex and the repeats come out smaller.
	text := packSamples()[3]
	if p := packAnswer(nil, text); len(p) > len(text)*3/5 {
		t.Errorf("packed %d bytes into %d", len(text), len(p))
	}
}

func TestUnpackAnswerRefusesMalformed(t *testing.T) {
	for _, p := range [][]byte{
		{0x80},                    // a header cut short
		{4<<2 | packLiteral, 'a'}, // an item longer than the text
		{1<<2 | packCopy},         // a copy without its distance
		{1<<2 | packCopy, 0},      // a copy from distance 0
		append([]byte{1<<2 | packCopy}, 0xff, 0xff, 0xff, 0x7f), // before packDict
	} {
		if _, err := unpackAnswer(nil, p); err == nil {
			t.Errorf("unpackAnswer(%x) gave no error", p)
		}
	}
	// Base64 nested deeper than packAnswer writes it.
	p := []byte{0}
	for range maxPackDepth + 1 {
		p = append([]byte{byte(len(p)<<2 | packBase64)}, p...)
	}
	if _, err := unpackAnswer(nil, p); err == nil {
		t.Error("unpackAnswer took base64 nested too deep")
	}
}

func FuzzPackAnswer(f *testing.F) {
	for _, s := range packSamples() {
		f.Add(s)
		f.Add(packAnswer(nil, s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := unpackAnswer(nil, packAnswer(nil, data))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("unpack(pack(%q)) = %q, %v", data, got, err)
		}
		unpackAnswer(nil, data) // any bytes: an error, never a panic
	})
}

// TestUnpackCopies checks each way a copy is read (from the output, from packDict, across
// both, overlapping what it writes) against copying byte by byte, for every distance and
// length around the output's start.
func TestUnpackCopies(t *testing.T) {
	lit := []byte("0123456789")
	for d := 1; d <= len(lit)+40; d++ {
		for n := 1; n <= 30; n++ {
			p := binary.AppendUvarint(nil, uint64(len(lit))<<2|packLiteral)
			p = append(p, lit...)
			p = binary.AppendUvarint(p, uint64(n)<<2|packCopy)
			p = binary.AppendUvarint(p, uint64(d))
			got, err := unpackAnswer([]byte("prefix"), p)
			if err != nil {
				t.Fatalf("distance %d, length %d: %v", d, n, err)
			}
			// The same, byte by byte: the output as the copy sees it is packDict then lit.
			want := append([]byte(packDict), lit...)
			for range n {
				want = append(want, want[len(want)-d])
			}
			if !bytes.Equal(got, append([]byte("prefix"), want[len(packDict):]...)) {
				t.Fatalf("distance %d, length %d: %q, want %q", d, n, got[6:], want[len(packDict):])
			}
		}
	}
}
