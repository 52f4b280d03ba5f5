package cli_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/entry"
	"github.com/chancery/chancery/internal/keys"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// samKeyFile writes the office's registered signer key for sam to an encrypted key file and
// sets its passphrase.
func samKeyFile(t *testing.T, o *office) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sam.key")
	if err := keys.WriteNew(path, o.key, "sam's long passphrase", keys.WorkFactor(10)); err != nil {
		t.Fatal(err)
	}
	t.Setenv(keys.PassphraseEnv, "sam's long passphrase")
	return path
}

// TestSignSignsTheVersionShown: `chancery sign --version` signs only the version the signer
// read; a revision uploaded after they read it is refused and nothing is signed (the CLI's
// side of what the web's Sign button got in security.md item 79). Without --version the
// latest is signed, as before.
func TestSignSignsTheVersionShown(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination", "foreign-government", "# Coordination\n\nSir, version one.\n")
	v, err := o.reg.Letter(context.Background(), o.actors["sam"], ref)
	if err != nil {
		t.Fatal(err)
	}
	read := v.Versions[0].Digest
	if _, err := o.reg.Revise(context.Background(), o.actors["dana"], ref, registry.Upload{Name: "letter.md", MediaType: "text/markdown",
		Data: []byte("# Coordination\n\nSir, version two, which sam never read.\n")}); err != nil {
		t.Fatal(err)
	}
	key := samKeyFile(t, o)
	signatures := func() int {
		v, err := o.reg.Letter(context.Background(), o.actors["sam"], ref)
		if err != nil {
			t.Fatal(err)
		}
		return len(v.Signatures)
	}

	code, _, errs := o.run("sam", "sign", ref, "--key", key, "--version", read)
	if code != cli.ExitError || !strings.Contains(errs, "not the latest version") || signatures() != 0 {
		t.Fatalf("sign --version of version 1, version 2 latest: exit %d, %d signatures\n%s", code, signatures(), errs)
	}
	v, err = o.reg.Letter(context.Background(), o.actors["sam"], ref)
	if err != nil {
		t.Fatal(err)
	}
	latest := v.Versions[1].Digest
	code, _, errs = o.run("sam", "sign", ref, "--key", key, "--version", latest)
	if code != cli.ExitOK || signatures() != 1 || !strings.Contains(errs, "version 2 "+latest) {
		t.Fatalf("sign --version of the latest: exit %d, %d signatures\n%s", code, signatures(), errs)
	}
}

// TestSignChecksWhatTheRegistrySends: the statement comes from the registry, or from whoever
// answers in its place over plain HTTP. The CLI signs nothing but a signing statement (its
// payload type is part of what the key signs) of the letter and version asked for.
func TestSignChecksWhatTheRegistrySends(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination", "foreign-government", "# Coordination\n\nSir, version one.\n")
	genuine, _ := samStatement(t, o, ref)
	key := samKeyFile(t, o)
	const other = "sha256:1111111111111111111111111111111111111111111111111111111111111111"
	for _, tc := range []struct {
		name, payloadType string
		args              []string
	}{
		{"another payload type", entry.Retraction.PayloadTypeV(entry.V2), nil},
		{"another version than the one read", seal.SigningPayloadType, []string{"--version", other}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			posted := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == "GET" && r.URL.Path == "/api/v1/letters/"+ref+"/signing-statement":
					// This registry ignores the version asked for.
					json.NewEncoder(w).Encode(map[string]any{"payload_type": tc.payloadType, "statement": genuine})
				case r.Method == "POST" && r.URL.Path == "/api/v1/letters/"+ref+"/signatures":
					mu.Lock()
					posted++
					mu.Unlock()
					w.Write([]byte("{}"))
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			t.Setenv("CHANCERY_URL", srv.URL)
			t.Setenv("CHANCERY_TOKEN", o.tokens["sam"])
			var stdout, stderr strings.Builder
			code := cli.Main(append([]string{"sign", ref, "--key", key}, tc.args...), &stdout, &stderr)
			if code == cli.ExitOK || posted != 0 || !strings.Contains(stderr.String(), "nothing was signed") {
				t.Fatalf("exit %d, %d signatures posted\n%s", code, posted, stderr.String())
			}
		})
	}
}

// TestRetractChecksThePayloadType: `chancery retract` signs the withdrawal record only under
// the payload type of a retraction, whatever type the registry names.
func TestRetractChecksThePayloadType(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Press release on exercises", "press", "# Exercises\n\nThe exercise takes place in March.\n")
	o.ready(ref)
	if _, err := o.reg.Release(context.Background(), o.actors["otto"], ref); err != nil {
		t.Fatal(err)
	}
	const reason = "issued in error"
	record, _, opening, err := o.reg.WithdrawalStatement(context.Background(), o.actors["sam"], ref, "", reason)
	if err != nil {
		t.Fatal(err)
	}
	key := samKeyFile(t, o)
	code, stderr, posted := retractAgainst(t, o, ref, reason, key, seal.SigningPayloadType, record, opening)
	if code == cli.ExitOK || posted != 0 || !strings.Contains(stderr, "nothing was signed") {
		t.Fatalf("exit %d, %d withdrawals posted\n%s", code, posted, stderr)
	}
}

// TestSignShowsTheStatementEscaped: the line that tells the signer what they sign is made of
// the registry's answer; escape sequences and bidirectional overrides in it (from whoever
// answers in the registry's place: the registry itself refuses them in stored text) are shown
// escaped, so that they cannot erase the line or print another in its place.
func TestSignShowsTheStatementEscaped(t *testing.T) {
	o := newOffice(t)
	ref := o.letter("Coordination", "foreign-government", "# Coordination\n\nSir, version one.\n")
	_, ss := samStatement(t, o, ref)
	ss.Class = "press\x1b[2K\rsigning " + ref + " \"Harmless\" (press"
	ss.Addressees = []string{"Ministry of Defence\u202e1 noisrev"}
	forged := seal.Marshal(ss)
	key := samKeyFile(t, o)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "GET" && r.URL.Path == "/api/v1/letters/"+ref+"/signing-statement":
			json.NewEncoder(w).Encode(map[string]any{"payload_type": seal.SigningPayloadType, "statement": forged})
		case r.Method == "POST" && r.URL.Path == "/api/v1/letters/"+ref+"/signatures":
			w.Write([]byte("{}"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", o.tokens["sam"])
	var stdout, stderr strings.Builder
	cli.Main([]string{"sign", ref, "--key", key}, &stdout, &stderr)
	if strings.ContainsAny(stderr.String(), "\x1b\r\u202e") || !strings.Contains(stderr.String(), `\x1b[2K\r`) {
		t.Fatalf("the statement reached the terminal unescaped:\n%q", stderr.String())
	}
}

// TestRetractShowsTheRecordEscaped: the withdrawal record shown before it is signed is made of
// the registry's answer too, and is shown escaped.
func TestRetractShowsTheRecordEscaped(t *testing.T) {
	o := newOffice(t)
	const ref, reason = "CLI-2026-000001", "issued in error"
	st := seal.RetractionStatement{Office: "CLI Office", Reference: ref, FileDigest: seal.DigestOf([]byte("x")), Reason: reason,
		RetractedBy: "sam\u202e", Time: time.Now().UTC().Truncate(time.Second)}
	opening := seal.NewOpening(st)
	record := seal.Marshal(seal.RetractionRecord{Office: st.Office, Release: 3, Commitment: opening.Commitment(entry.Retraction), Time: st.Time})
	key := samKeyFile(t, o)
	code, stderr, _ := retractAgainst(t, o, ref, reason, key, entry.Retraction.PayloadTypeV(entry.V2), record, opening)
	if code != cli.ExitOK || strings.Contains(stderr, "\u202e") || !strings.Contains(stderr, `sam\u202e`) {
		t.Fatalf("exit %d, the record reached the terminal unescaped:\n%q", code, stderr)
	}
}

// TestKeyRevokeTakesTheShortKeyID: `chancery key new` and `chancery sign` print a key's ID in
// its short form, and the command's own example revokes by it; a signer whose laptop was
// stolen, with only that ID, must be able to revoke the key. A prefix that is not unique is
// refused, and nobody revokes another member's key by prefix unless an admin.
func TestKeyRevokeTakesTheShortKeyID(t *testing.T) {
	o := newOffice(t)
	short := o.keyID[:12]
	if code, _, errs := o.run("rita", "key", "revoke", short, "--reason", "not mine"); code == cli.ExitOK {
		t.Fatalf("another member revoked sam's key by its short ID:\n%s", errs)
	}
	code, out, errs := o.run("sam", "key", "revoke", short, "--reason", "laptop stolen")
	if code != cli.ExitOK {
		t.Fatalf("key revoke %s: exit %d\n%s%s", short, code, out, errs)
	}
	v, err := o.reg.Member(context.Background(), o.actors["root"], "sam")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Keys) != 1 || v.Keys[0].RevokedIndex == nil {
		t.Fatalf("sam's key not revoked: %+v", v.Keys)
	}
}

// samStatement is the registry's signing statement of ref's latest version for sam, as bytes
// and parsed.
func samStatement(t *testing.T, o *office, ref string) ([]byte, seal.SigningStatement) {
	t.Helper()
	genuine, err := o.reg.SigningStatement(context.Background(), o.actors["sam"], ref)
	if err != nil {
		t.Fatal(err)
	}
	var ss seal.SigningStatement
	if err := seal.Unmarshal(genuine, &ss); err != nil {
		t.Fatal(err)
	}
	return genuine, ss
}

// retractAgainst runs `chancery retract` as sam against a stand-in for the registry that answers
// the withdrawal statement with payloadType, record and opening, and accepts the withdrawal.
// It returns the exit status, the standard error and how many withdrawals were posted.
func retractAgainst(t *testing.T, o *office, ref, reason, key, payloadType string, record []byte, opening any) (int, string, int) {
	t.Helper()
	var mu sync.Mutex
	posted := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "POST" && r.URL.Path == "/api/v1/letters/"+ref+"/withdrawal-statement":
			json.NewEncoder(w).Encode(map[string]any{"payload_type": payloadType, "statement": record, "opening": opening})
		case r.Method == "POST" && r.URL.Path == "/api/v1/letters/"+ref+"/withdraw":
			mu.Lock()
			posted++
			mu.Unlock()
			w.Write([]byte(`{"outcome":"retracted"}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	t.Setenv("CHANCERY_URL", srv.URL)
	t.Setenv("CHANCERY_TOKEN", o.tokens["sam"])
	var stdout, stderr strings.Builder
	code := cli.Main([]string{"retract", ref, "--reason", reason, "--key", key}, &stdout, &stderr)
	mu.Lock()
	defer mu.Unlock()
	return code, stderr.String(), posted
}
