package public_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/monitor/public"
	"github.com/chancery/chancery/internal/seal"
	"github.com/rogpeppe/go-internal/txtar"
)

// vectorEntries returns the entries of a test vector file by name, without the file's
// last newline (docs/log-format.md).
func vectorEntries(t testing.TB, file, dir string) map[string][]byte {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "..", "..", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range a.Files {
		if strings.HasPrefix(f.Name, dir) && strings.HasSuffix(f.Name, ".entry") {
			out[f.Name] = bytes.TrimSuffix(f.Data, []byte("\n"))
		}
	}
	return out
}

func vectorFile(t testing.TB, file, name string) []byte {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "..", "..", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files {
		if f.Name == name {
			return bytes.TrimSuffix(f.Data, []byte("\n"))
		}
	}
	t.Fatalf("%s has no %s", file, name)
	return nil
}

// Every version 2 vector is described from its record alone: nothing its opening holds
// beyond the record (subject, addressees, names, reasons) appears, unless disclosed.
func TestDescribeV2Vectors(t *testing.T) {
	const file = "seal-vectors-v2.txtar"
	entries := vectorEntries(t, file, "entries/")
	if len(entries) != 7 {
		t.Fatalf("%d entries in %s", len(entries), file)
	}
	for name, data := range entries {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "entries/"), ".entry")
		d, err := public.Describe(42, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d.Index != 42 || d.Version != 2 || !strings.HasPrefix(base, d.Kind) || d.PayloadError != "" ||
			d.Office != "Task Force North" || d.Time.IsZero() || len(d.EntryKeys) == 0 {
			t.Fatalf("%s: %+v", name, d)
		}
		got, _ := json.Marshal(d)
		var o seal.Opening
		if err := json.Unmarshal(vectorFile(t, file, "openings/"+base+".json"), &o); err != nil {
			t.Fatal(err)
		}
		var st map[string]any
		if err := json.Unmarshal(o.Statement, &st); err != nil {
			t.Fatal(err)
		}
		disclosed := string(vectorFile(t, file, "records/"+base+".json"))
		for _, field := range []string{"subject", "addressees", "reason", "member", "released_by", "retracted_by", "superseded_by", "adopted_by", "reference", "by"} {
			v, ok := st[field]
			if !ok {
				continue
			}
			b, _ := json.Marshal(v)
			secret := strings.Trim(string(b), `[]"`)
			if secret != "" && strings.Contains(string(got), secret) && !strings.Contains(disclosed, secret) {
				t.Errorf("%s: the description reveals %s %q: %s", name, field, secret, got)
			}
		}
		switch base {
		case "retraction":
			if d.Release == nil || *d.Release != 4 {
				t.Errorf("%s: release %v", name, d.Release)
			}
		case "supersession":
			if d.Release == nil || *d.Release != 3 || d.ByRelease == nil || *d.ByRelease != 8 {
				t.Errorf("%s: %+v", name, d)
			}
		case "release":
			if len(d.SignerKeys) != 2 {
				t.Errorf("%s: signer keys %v", name, d.SignerKeys)
			}
		}
	}
}

// Version 1 vectors are described; the invalid ones are refused.
func TestDescribeV1Vectors(t *testing.T) {
	const file = "log-vectors.txtar"
	for name, data := range vectorEntries(t, file, "valid/") {
		d, err := public.Describe(0, data)
		if err != nil || d.Version != 1 {
			t.Fatalf("%s: %+v, %v", name, d, err)
		}
	}
	invalid := vectorEntries(t, file, "invalid/")
	if len(invalid) == 0 {
		t.Fatal("no invalid vectors")
	}
	for name, data := range invalid {
		if d, err := public.Describe(0, data); err == nil {
			t.Errorf("%s: described as %+v", name, d)
		}
	}
}

func TestFilterMatch(t *testing.T) {
	release := &public.Entry{Kind: "release", Office: "A", EntryKeys: []string{"aaaa1111bbbb"}, SignerKeys: []string{"cccc2222dddd"}}
	added := &public.Entry{Kind: "key-added", Office: "B", KeyID: "eeee3333ffff"}
	revoked := &public.Entry{Kind: "key-revoked", Office: "B", KeyID: "eeee3333ffff"}
	policy := &public.Entry{Kind: "policy-adopted", Office: "B"}
	rotated := &public.Entry{Kind: "office-key-rotated", Office: "B"}
	odd := &public.Entry{Kind: "release", Office: "B", PayloadError: "not a record"}
	for _, tc := range []struct {
		f    public.Filter
		e    *public.Entry
		want bool
	}{
		{public.Filter{}, release, true},
		{public.Filter{Kinds: []string{"release"}}, release, true},
		{public.Filter{Kinds: []string{"key"}}, release, false},
		{public.Filter{Kinds: []string{"key"}}, added, true},
		{public.Filter{Offices: []string{"A"}}, release, true},
		{public.Filter{Offices: []string{"A"}}, added, false},
		{public.Filter{KeyIDs: []string{"cccc2222"}}, release, true},
		{public.Filter{KeyIDs: []string{"aaaa1111"}}, release, true},
		{public.Filter{KeyIDs: []string{"eeee3333"}}, release, false},
		{public.Filter{KeyIDs: []string{"eeee3333"}}, added, true},
		{public.Filter{KeyIDs: []string{"cccc2222dddd00"}}, release, false},
		// Always reported.
		{public.Filter{Kinds: []string{"release"}, Offices: []string{"A"}}, revoked, true},
		{public.Filter{Kinds: []string{"release"}, Offices: []string{"A"}}, policy, true},
		{public.Filter{Kinds: []string{"release"}, Offices: []string{"A"}}, rotated, true},
		{public.Filter{Offices: []string{"A"}}, odd, true},
	} {
		if got := tc.f.Match(tc.e); got != tc.want {
			t.Errorf("%+v.Match(%+v) = %v", tc.f, tc.e, got)
		}
	}
}

// An office key rotation, as 'chancery key rotate office' logs it, is described by its office,
// time and new key; its reason, like every reason, is not reported.
func TestDescribeOfficeKeyRotation(t *testing.T) {
	oldPub, oldKey, _ := ed25519.GenerateKey(nil)
	newPub, newKey, _ := ed25519.GenerateKey(nil)
	when := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	payload := seal.Marshal(seal.RotationStatement{Office: "Task Force North", OldKeyID: dsse.KeyID(oldPub),
		NewKeyID: dsse.KeyID(newPub), NewPublicKey: newPub, Reason: "key kept on a stolen laptop", Time: when})
	pt := entry.OfficeKeyRotated.PayloadType()
	sign := func(k ed25519.PrivateKey) dsse.Signature {
		return dsse.Signature{KeyID: dsse.KeyID(k.Public().(ed25519.PublicKey)), Sig: ed25519.Sign(k, dsse.PAE(pt, payload))}
	}
	data, err := (&entry.Entry{Kind: entry.OfficeKeyRotated, Envelope: &dsse.Envelope{Payload: payload, PayloadType: pt,
		Signatures: []dsse.Signature{sign(oldKey), sign(newKey)}}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	d, err := public.Describe(6, data)
	if err != nil {
		t.Fatal(err)
	}
	if d.PayloadError != "" || d.Kind != "office-key-rotated" || d.Version != 1 || d.Office != "Task Force North" ||
		!d.Time.Equal(when) || d.KeyID != dsse.KeyID(newPub) || len(d.EntryKeys) != 2 {
		t.Fatalf("described as %+v", d)
	}
	got, _ := json.Marshal(d)
	if strings.Contains(string(got), "stolen laptop") {
		t.Errorf("the description reveals the reason: %s", got)
	}
	if !(public.Filter{KeyIDs: []string{dsse.KeyID(newPub)[:12]}}).Match(d) {
		t.Error("a filter on the new key does not select the rotation")
	}

	// A rotation whose new key ID is not its new public key's is not read as one.
	payload = seal.Marshal(seal.RotationStatement{Office: "Task Force North", OldKeyID: dsse.KeyID(oldPub),
		NewKeyID: dsse.KeyID(oldPub), NewPublicKey: newPub, Time: when})
	data, err = (&entry.Entry{Kind: entry.OfficeKeyRotated, Envelope: &dsse.Envelope{Payload: payload, PayloadType: pt,
		Signatures: []dsse.Signature{sign(oldKey), sign(newKey)}}}).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if d, err := public.Describe(6, data); err != nil || d.PayloadError == "" || d.KeyID != "" {
		t.Errorf("a rotation naming another key described as %+v, %v", d, err)
	}
}
