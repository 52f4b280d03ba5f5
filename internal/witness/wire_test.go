package witness

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// The spec's example request parses, and formats back to itself.
func TestRequestRoundTrip(t *testing.T) {
	body := "old 20852014\n" +
		"PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n" +
		"jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n" +
		"5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n" +
		"/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n" +
		"\n" +
		"example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" +
		"— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"
	r, err := parseRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if r.oldSize != 20852014 || len(r.proof) != 4 || !strings.HasPrefix(string(r.checkpoint), "example.com/behind-the-sofa\n") {
		t.Fatalf("parsed %+v", r)
	}
	if got := formatRequest(r.oldSize, r.proof, r.checkpoint); string(got) != body {
		t.Fatalf("formatted back as %q", got)
	}
}

func FuzzParseRequest(f *testing.F) {
	cp := "example.org/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n— example.org/log AAAA\n"
	h := tlog.Hash{0xfb, 0xff, 0xbf, 31: 0xfe}.String()
	for _, s := range []string{
		"old 0\n\n" + cp,
		"old 3\n" + h + "\n" + h + "\n\n" + cp,
		"old 3\n\n" + cp,
		"old 03\n\n" + cp,
		"old -1\n\n" + cp,
		"old +1\n\n" + cp,
		"old 9223372036854775808\n\n" + cp,
		"old 0\n" + h + "\n\n" + cp,
		"old 1\n" + strings.TrimSuffix(h, "=") + "\n\n" + cp,
		"old 1\n" + strings.Repeat(h+"\n", 64) + "\n" + cp,
		"old 1\n\n",
		"old 1\n",
		"old  1\n\n" + cp,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseRequest(body)
		if err != nil {
			return
		}
		if len(r.proof) > MaxProofLines || r.oldSize < 0 || r.oldSize == 0 && len(r.proof) > 0 {
			t.Fatalf("parseRequest(%q) = %+v: out of bounds", body, r)
		}
		if got := formatRequest(r.oldSize, r.proof, r.checkpoint); !bytes.Equal(got, body) {
			t.Fatalf("parseRequest(%q) = %+v, which formats as %q: not canonical", body, r, got)
		}
	})
}

func FuzzParseConflict(f *testing.F) {
	for _, s := range []string{"0\n", "42\n", "042\n", "42", "-1\n", "1 \n", "9223372036854775807\n", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		n, err := parseConflict(body)
		if err != nil {
			return
		}
		if n < 0 || string(body) != strings.TrimSpace(string(body))+"\n" {
			t.Fatalf("parseConflict(%q) = %d", body, n)
		}
	})
}

// The whole add-checkpoint handler on arbitrary bodies: it answers one of the spec's statuses,
// never a server error, and cosigns only a checkpoint signed by the log's key.
func FuzzAddCheckpoint(f *testing.F) {
	k := newLogKey(f)
	lg := newTestLog(f, k, "main")
	lg.grow(3)
	_, cp := lg.Latest()
	w := startChanceryWitness(f, "", "", k.vkey)
	for _, s := range []string{
		"old 0\n\n" + string(cp),
		"old 3\n\n" + string(cp),
		"old 2\n" + tlog.Hash{}.String() + "\n\n" + string(cp),
		"old 0\n\n" + strings.Replace(string(cp), "\n3\n", "\n4\n", 1),
		"old 0\n\n" + strings.Replace(string(cp), testOrigin, "other.example/log", 1),
		"old 0\n\n",
	} {
		f.Add([]byte(s))
	}
	h := NewServer(w.st, w.key, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/add-checkpoint", bytes.NewReader(body)))
		switch rec.Code {
		case 200:
			r, err := parseRequest(body)
			if err != nil {
				t.Fatalf("cosigned an unparsable request %q", body)
			}
			v, _ := note.NewVerifier(k.vkey)
			if _, err := note.Open(r.checkpoint, note.VerifierList(v)); err != nil {
				t.Fatalf("cosigned %q, not signed by the log: %v", body, err)
			}
		case 400, 403, 404, 409, 413, 422:
		default:
			t.Fatalf("answer %d to %q: %s", rec.Code, body, rec.Body)
		}
	})
}

// TestLoadKeyRefusesKeyReadableByOthers: whoever reads witness.key can cosign any fork in
// the witness's name; a key file its group or others can read is refused, as the office's
// keys are.
func TestLoadKeyRefusesKeyReadableByOthers(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadKey(dir, "witness.example"); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, KeyFile), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKey(dir, "witness.example"); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("loaded a world-readable witness key: %v", err)
	}
}

// FuzzCosignature feeds arbitrary 200 answers of a witness to the client's check: a witness is
// another agency's server, so its answer is untrusted. Whatever the answer, the client never
// panics, and a cosignature it accepts is one line that the transparency-dev cosignature/v1
// verifier accepts over the checkpoint, by the witness's key, dated no later than the clock
// allows.
func FuzzCosignature(f *testing.F) {
	dir := f.TempDir()
	key, err := LoadKey(dir, "witness.test.example/chancery")
	if err != nil {
		f.Fatal(err)
	}
	k := newLogKey(f)
	cp, err := note.Sign(&note.Note{Text: testOrigin + "\n3\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"}, k.signer)
	if err != nil {
		f.Fatal(err)
	}
	text, logSig, err := splitNote(cp)
	if err != nil {
		f.Fatal(err)
	}
	cosigned, err := note.Sign(&note.Note{Text: string(text)}, key.signer)
	if err != nil {
		f.Fatal(err)
	}
	_, line, _ := splitNote(cosigned)
	other, err := LoadKey(f.TempDir(), "witness.test.example/chancery")
	if err != nil {
		f.Fatal(err)
	}
	forged, _ := note.Sign(&note.Note{Text: string(text)}, other.signer)
	_, forgedLine, _ := splitNote(forged)
	for _, b := range [][]byte{
		line,
		append(append([]byte{}, line...), line...),
		append(append([]byte{}, forgedLine...), line...),
		append(append([]byte{}, logSig...), line...),
		forgedLine,
		bytes.TrimSuffix(line, []byte("\n")),
		append([]byte("\n"), line...),
		[]byte("— witness.test.example/chancery AAAA\n"),
		{},
	} {
		f.Add(b)
	}
	c := newClient(f, "w", "http://witness.test.example", key.VerifierKey())
	f.Fuzz(func(t *testing.T, body []byte) {
		cos, err := c.cosignature(text, body)
		if err != nil {
			return
		}
		if err := checkCosignature(key.VerifierKey(), cp, cos.Line); err != nil {
			t.Fatalf("accepted %q: %v", body, err)
		}
		if bytes.Count(cos.Line, []byte("\n")) != 1 || !bytes.HasSuffix(cos.Line, []byte("\n")) {
			t.Fatalf("accepted %q as the line %q", body, cos.Line)
		}
		if v, _ := ParseVerifierKey(key.VerifierKey()); cos.KeyHash != v.KeyHash() {
			t.Fatalf("accepted %q with key hash %08x", body, cos.KeyHash)
		}
		if time.Until(cos.Time) > MaxClockSkew {
			t.Fatalf("accepted %q dated %s", body, cos.Time)
		}
	})
}
