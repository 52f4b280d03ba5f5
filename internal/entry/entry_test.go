package entry

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/dsse"
)

// testKey is a fixed statement key (Ed25519 seed 32 bytes of 0x05), so that encodings, and
// the committed fuzz corpus, are the same on every run.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{5}, ed25519.SeedSize))

func signed(k Kind, payload string) *Entry {
	return &Entry{Kind: k, Envelope: dsse.Sign(k.PayloadType(), []byte(payload), testKey)}
}

// signedV2 returns a version 2 entry of kind k: a record under the version 2 payload type.
func signedV2(k Kind, payload string) *Entry {
	return &Entry{Version: V2, Kind: k, Envelope: dsse.Sign(k.PayloadTypeV(V2), []byte(payload), testKey)}
}

func encode(t testing.TB, e *Entry) []byte {
	t.Helper()
	b, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	for _, k := range Kinds {
		t.Run(string(k), func(t *testing.T) {
			e := signed(k, fmt.Sprintf(`{"kind":%q}`, k))
			data := encode(t, e)
			if header := "chancery-entry v1 " + string(k) + "\n"; !bytes.HasPrefix(data, []byte(header)) {
				t.Fatalf("encoding %q does not start with %q", data, header)
			}
			got, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, e) {
				t.Fatalf("Decode(Encode(e)) = %+v, want %+v", got, e)
			}
			if again := encode(t, got); !bytes.Equal(again, data) {
				t.Fatalf("re-encoding gives %q, want %q", again, data)
			}
		})
	}
}

func TestRoundTripV2(t *testing.T) {
	for _, k := range Kinds {
		if k == OfficeKeyRotated {
			continue // version 1 only: TestRotationV1Only
		}
		t.Run(string(k), func(t *testing.T) {
			e := signedV2(k, fmt.Sprintf(`{"kind":%q,"commitment":"AA=="}`, k))
			data := encode(t, e)
			if header := "chancery-entry v2 " + string(k) + "\n"; !bytes.HasPrefix(data, []byte(header)) {
				t.Fatalf("encoding %q does not start with %q", data, header)
			}
			pt := "application/vnd.chancery." + string(k) + ".v2+json"
			if !bytes.Contains(data, []byte(`"payloadType":"`+pt+`"`)) || e.PayloadType() != pt || k.PayloadTypeV(V2) != pt {
				t.Fatalf("payload type: %q, %q", data, e.PayloadType())
			}
			if k.PayloadType() != "application/vnd.chancery."+string(k)+".v1+json" {
				t.Fatalf("version 1 payload type %q", k.PayloadType())
			}
			got, err := Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, e) || got.V() != V2 {
				t.Fatalf("Decode(Encode(e)) = %+v, want %+v", got, e)
			}
			if again := encode(t, got); !bytes.Equal(again, data) {
				t.Fatalf("re-encoding gives %q, want %q", again, data)
			}
		})
	}
	// Version 1 may be said as 0 or 1; it is decoded as 0.
	e := signed(Release, "{}")
	v0 := encode(t, e)
	e.Version = V1
	if v1 := encode(t, e); !bytes.Equal(v0, v1) || e.V() != V1 {
		t.Fatalf("version 1 as 1: %q, as 0: %q", v1, v0)
	}
	if got, err := Decode(v0); err != nil || got.Version != 0 || got.V() != V1 {
		t.Fatalf("decoded version 1: %+v, %v", got, err)
	}
}

// sized returns a release entry whose encoding is exactly n bytes long, padding a key ID: the
// one free-form string in an envelope whose JSON length grows one byte per character.
func sized(t *testing.T, n int) *Entry {
	e := signed(Release, "{}")
	e.Envelope.Signatures[0].KeyID = ""
	pad := n - len(encode(t, e))
	if pad < 0 {
		t.Fatalf("the smallest entry is already longer than %d bytes", n)
	}
	e.Envelope.Signatures[0].KeyID = strings.Repeat("k", pad)
	return e
}

func TestSizeLimit(t *testing.T) {
	largest := encode(t, sized(t, MaxSize))
	if len(largest) != MaxSize {
		t.Fatalf("largest entry is %d bytes, want %d", len(largest), MaxSize)
	}
	if _, err := Decode(largest); err != nil {
		t.Fatalf("entry of MaxSize bytes: %v", err)
	}
	over := sized(t, MaxSize+1)
	if _, err := over.Encode(); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Encode of %d bytes: %v, want ErrTooLarge", MaxSize+1, err)
	}
	// Decode refuses by length before parsing, so even a well-formed entry is refused.
	data := append([]byte("chancery-entry v1 release\n"), over.Envelope.Marshal()...)
	if len(data) != MaxSize+1 {
		t.Fatalf("test entry is %d bytes, want %d", len(data), MaxSize+1)
	}
	if _, err := Decode(data); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Decode of %d bytes: %v, want ErrTooLarge", len(data), err)
	}
}

func TestDecodeRefuses(t *testing.T) {
	e := signed(Release, `{"reference":"X-1"}`)
	valid := encode(t, e)
	body := valid[bytes.IndexByte(valid, '\n')+1:]
	withHeader := func(h string) []byte { return append([]byte(h+"\n"), body...) }
	withBody := func(b []byte) []byte { return append([]byte("chancery-entry v1 release\n"), b...) }
	sigs, err := json.Marshal(e.Envelope.Signatures)
	if err != nil {
		t.Fatal(err)
	}
	reordered := fmt.Sprintf(`{"payloadType":%q,"payload":%q,"signatures":%s}`,
		e.Envelope.PayloadType, base64.StdEncoding.EncodeToString(e.Envelope.Payload), sigs)
	unsigned := &dsse.Envelope{Payload: []byte("{}"), PayloadType: Release.PayloadType()}
	v2 := encode(t, signedV2(Release, `{"reference":"X-1"}`))
	v2Body := v2[bytes.IndexByte(v2, '\n')+1:]
	for _, tc := range []struct {
		name string
		data []byte
		want error // the sentinel the error must wrap, if there is one
	}{
		{"unknown version", withHeader("chancery-entry v3 release"), ErrUnknownVersion},
		{"version before kind", withHeader("chancery-entry v3 promotion"), ErrUnknownVersion},
		{"unknown kind", withHeader("chancery-entry v1 promotion"), ErrUnknownKind},
		{"kind in another case", withHeader("chancery-entry v1 Release"), ErrUnknownKind},
		{"carriage return", withHeader("chancery-entry v1 release\r"), ErrUnknownKind},
		{"mismatched payload type", withHeader("chancery-entry v1 retraction"), nil},
		{"version 1 payload type under a version 2 header", withHeader("chancery-entry v2 release"), nil},
		{"version 2 payload type under a version 1 header", withBody(v2Body), nil},
		{"version 2 payload type of another kind", append([]byte("chancery-entry v2 retraction\n"), v2Body...), nil},
		{"version 3 payload type under a version 2 header", append([]byte("chancery-entry v2 release\n"),
			bytes.Replace(v2Body, []byte(".v2+json"), []byte(".v3+json"), 1)...), nil},
		{"version 2 header spelled v02", append([]byte("chancery-entry v02 release\n"), v2Body...), ErrUnknownVersion},
		{"version 2 header spelled V2", append([]byte("chancery-entry V2 release\n"), v2Body...), ErrUnknownVersion},
		{"no header", body, nil},
		{"no newline", []byte("chancery-entry v1 release"), nil},
		{"other magic", withHeader("chancery-entri v1 release"), nil},
		{"double space", withHeader("chancery-entry  v1 release"), nil},
		{"extra field", withHeader("chancery-entry v1 release x"), nil},
		{"space in JSON", withBody(bytes.Replace(body, []byte(`","`), []byte(`", "`), 1)), nil},
		{"reordered keys", withBody([]byte(reordered)), nil},
		{"escaped character", withBody(bytes.Replace(body, []byte(`"keyid"`), []byte(`"k\u0065yid"`), 1)), nil},
		{"trailing newline", append(bytes.Clone(valid), '\n'), nil},
		{"no signatures", withBody(unsigned.Marshal()), nil},
		{"empty", nil, nil},
		{"too large", make([]byte, MaxSize+1), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := Decode(tc.data)
			if err == nil {
				t.Fatalf("Decode(%q) = %+v, want an error", tc.data, e)
			}
			if e != nil {
				t.Errorf("Decode returned an entry with its error %v", err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Decode error %v does not wrap %v", err, tc.want)
			}
		})
	}
}

func TestEncodeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    *Entry
		want error
	}{
		{"unknown kind", &Entry{Kind: "promotion", Envelope: dsse.Sign(Kind("promotion").PayloadType(), []byte("{}"), testKey)}, ErrUnknownKind},
		{"empty kind", &Entry{Envelope: dsse.Sign(Release.PayloadType(), []byte("{}"), testKey)}, ErrUnknownKind},
		{"no envelope", &Entry{Kind: Release}, nil},
		{"mismatched payload type", &Entry{Kind: Release, Envelope: dsse.Sign(Retraction.PayloadType(), []byte("{}"), testKey)}, nil},
		{"version 2 with the version 1 payload type", &Entry{Version: V2, Kind: Release, Envelope: dsse.Sign(Release.PayloadType(), []byte("{}"), testKey)}, nil},
		{"version 1 with the version 2 payload type", &Entry{Kind: Release, Envelope: dsse.Sign(Release.PayloadTypeV(V2), []byte("{}"), testKey)}, nil},
		{"version 3", &Entry{Version: 3, Kind: Release, Envelope: dsse.Sign(Release.PayloadTypeV(3), []byte("{}"), testKey)}, ErrUnknownVersion},
		{"negative version", &Entry{Version: -1, Kind: Release, Envelope: dsse.Sign(Release.PayloadTypeV(-1), []byte("{}"), testKey)}, ErrUnknownVersion},
		{"too large", signed(Release, strings.Repeat("x", MaxSize)), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.e.Encode()
			if err == nil {
				t.Fatalf("Encode = %q, want an error", b)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("Encode error %v does not wrap %v", err, tc.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	for _, k := range Kinds {
		f.Add(encode(f, signed(k, fmt.Sprintf(`{"kind":%q}`, k))))
	}
	twoSigs := &Entry{Kind: Release, Envelope: dsse.Sign(Release.PayloadType(), []byte(`{"a":"<&>"}`), testKey, testKey)}
	valid := encode(f, twoSigs)
	f.Add(valid)
	f.Add(bytes.Replace(valid, []byte(" v1 "), []byte(" v2 "), 1))
	for _, k := range Kinds {
		if k != OfficeKeyRotated {
			f.Add(encode(f, signedV2(k, fmt.Sprintf(`{"kind":%q}`, k))))
		}
	}
	v2 := encode(f, signedV2(Release, `{"commitment":"AA=="}`))
	f.Add(bytes.Replace(v2, []byte(" v2 "), []byte(" v1 "), 1))
	f.Add(bytes.Replace(v2, []byte(" v2 "), []byte(" v3 "), 1))
	f.Add(bytes.Replace(valid, []byte(" release\n"), []byte(" retraction\n"), 1))
	f.Add(bytes.Replace(valid, []byte(`","`), []byte(`", "`), 1))
	f.Add([]byte("chancery-entry v1 release\n{}"))
	f.Add([]byte("chancery-entry v1 release\n"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Decode(data)
		if err != nil {
			return
		}
		if v := e.V(); !e.Kind.Valid() || (v != V1 && v != V2) || e.Envelope.PayloadType != e.Kind.PayloadTypeV(v) {
			t.Fatalf("Decode(%q) = version %d, kind %q with payload type %q", data, e.V(), e.Kind, e.Envelope.PayloadType)
		}
		if header := fmt.Sprintf("chancery-entry v%d %s\n", e.V(), e.Kind); !bytes.HasPrefix(data, []byte(header)) {
			t.Fatalf("Decode(%q) = version %d, kind %q", data, e.V(), e.Kind)
		}
		got, err := e.Encode()
		if err != nil {
			t.Fatalf("Decode(%q) succeeded, but Encode fails: %v", data, err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("Decode(%q) re-encodes to %q: not canonical", data, got)
		}
	})
}
