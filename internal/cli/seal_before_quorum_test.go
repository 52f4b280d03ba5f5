package cli_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
	"github.com/chancery/chancery/internal/cosigned"
	"github.com/chancery/chancery/internal/store"
	"github.com/chancery/chancery/internal/testbin"
	"github.com/chancery/chancery/internal/translog"
	"github.com/chancery/chancery/internal/witness"
)

// TestVerifySealFromBeforeTheQuorum: a letter released before the office set its witness
// quorum, verified with the seal 'release --out' wrote beside it (as dispatch also mails it)
// and the trust root exported once the quorum was set. The seal's checkpoint has no
// cosignature, which is no judgement of the letter: online, verify asks the registry, whose
// answer is proved against a cosigned checkpoint, and says valid, naming 'chancery seal
// refresh'. Offline it stays invalid, saying how the seal is mended; a seal that is not the
// file's stays invalid online.
func TestVerifySealFromBeforeTheQuorum(t *testing.T) {
	ctx := context.Background()
	o := newOfficeWith(t, func(db *store.DB, lg *translog.Log) *cosigned.Heads {
		h, err := cosigned.Open(ctx, db, lg)
		if err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); h.Run(runCtx, nil, nil) }()
		t.Cleanup(func() { stop(); <-done })
		return h
	})
	dir, ref, file, _, _ := o.releasedForReplay(t)
	// A second letter released before the quorum: its seal, beside the first one's file, is
	// sound but not that file's.
	other := o.letter("Another letter", "foreign-government", "# Another\n\nSir, ...\n")
	o.ready(other)
	if code, _, errs := o.run("otto", "release", other, "--out", filepath.Join(dir, "other")); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	mixed := filepath.Join(dir, "mixed", ref+".pdf")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	otherSeal, err := os.ReadFile(filepath.Join(dir, "other", other+".pdf.seal"))
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(os.Mkdir(filepath.Dir(mixed), 0o755), os.WriteFile(mixed, data, 0o644), os.WriteFile(mixed+".seal", otherSeal, 0o644)); err != nil {
		t.Fatal(err)
	}

	wdir := t.TempDir()
	st, err := witness.OpenStore(ctx, wdir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	key, err := witness.LoadKey(wdir, "witness.cli.example")
	if err != nil {
		t.Fatal(err)
	}
	trust := o.reg.TrustRoot()
	if _, err := st.AddLog(ctx, trust.LogOrigin, trust.LogKey); err != nil {
		t.Fatal(err)
	}
	ws := httptest.NewServer(witness.NewServer(st, key, nil))
	t.Cleanup(ws.Close)
	if err := o.reg.AddWitness(ctx, o.actors["root"], "cli-witness", ws.URL, key.VerifierKey()); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.SetWitnessQuorum(ctx, o.actors["root"], 1); err != nil {
		t.Fatal(err)
	}
	tb, err := o.reg.TrustRoot().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	witnessed := filepath.Join(dir, "witnessed-trust.json")
	if err := os.WriteFile(witnessed, tb, 0o644); err != nil {
		t.Fatal(err)
	}

	unrefreshed, err := os.ReadFile(file + ".seal")
	if err != nil {
		t.Fatal(err)
	}

	code, out, errs := verifyAt(t, o.url, "--trust", witnessed, file)
	if code != cli.ExitOK || !strings.HasPrefix(out, "valid: "+ref) || !strings.Contains(out, "seal refresh") {
		t.Errorf("online, with the seal from before the quorum: %d %q %q, want valid naming 'seal refresh'", code, out, errs)
	}
	// The command the line names runs as printed: with the trust root this run was given
	// (it said "no trust root" without CHANCERY_TRUST), and no --url, as CHANCERY_URL
	// carries over by itself.
	refresh := regexp.MustCompile(`'chancery (seal refresh [^']*)'`).FindStringSubmatch(out)
	if refresh == nil || refresh[1] != "seal refresh "+file+".seal --trust "+witnessed {
		t.Errorf("online: the line names %q, want 'chancery seal refresh %s.seal --trust %s'", refresh, file, witnessed)
	}
	code, out, errs = verifyAt(t, o.url, "--trust", witnessed, "--json", file)
	if code != cli.ExitOK || !strings.Contains(out, `"outcome":"valid"`) || !strings.Contains(out, `"checked":"seal+log"`) {
		t.Errorf("online, --json: %d %q %q", code, out, errs)
	}
	// Offline nothing vouches for the letter but the seal, which the quorum did not cosign.
	if code, out, errs := verifyAt(t, o.url, "--trust", witnessed, "--offline", file); code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") || !strings.Contains(out, "'chancery seal refresh "+file+".seal --trust "+witnessed+"'") {
		t.Errorf("offline, with the seal from before the quorum: %d %q %q, want invalid naming 'chancery seal refresh %s.seal --trust %s'", code, out, errs, file, witnessed)
	}
	// A seal sound but for its quorum that is another letter's sends verify to the registry
	// too, as a sound seal of another file does (TestVerifyAnotherLettersSealBeside): the
	// letter is valid, and the line says the seal is not its own, not how to refresh it.
	if code, out, errs := verifyAt(t, o.url, "--trust", witnessed, mixed); code != cli.ExitOK || !strings.HasPrefix(out, "valid: "+ref) || !strings.Contains(out, "is not this file's") || strings.Contains(out, "seal refresh") {
		t.Errorf("online, with another letter's seal from before the quorum: %d %q %q, want valid, the seal named as not the file's", code, out, errs)
	}
	// Offline the seal alone speaks: the quorum did not cosign it.
	if code, out, errs := verifyAt(t, o.url, "--trust", witnessed, "--offline", mixed); code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") {
		t.Errorf("offline, with another letter's seal from before the quorum: %d %q %q, want invalid", code, out, errs)
	}

	// The suggested command, run as printed, mends the seal: offline it is valid then.
	if refresh != nil {
		var stdout, stderr bytes.Buffer
		if code := cli.Main(strings.Fields(refresh[1]), &stdout, &stderr); code != cli.ExitOK {
			t.Errorf("chancery %s, as verify printed it: exit %d, %s%s", refresh[1], code, stdout.String(), stderr.String())
		}
		if code, out, errs := verifyAt(t, o.url, "--trust", witnessed, "--offline", file); code != cli.ExitOK || !strings.HasPrefix(out, "valid: "+ref) {
			t.Errorf("offline, after the printed seal refresh: %d %q %q, want valid", code, out, errs)
		}
	}

	// A holder's folder and trust root named with spaces and an apostrophe: the command was
	// printed with them bare, and a shell split it (found by review of 3b60d07, fifty-ninth
	// session). Each is one word of the printed command, which a shell runs as printed.
	spaced := filepath.Join(dir, "Courrier 2026", "Lettre d'excuses.pdf")
	spacedTrust := filepath.Join(dir, "Racines de confiance", "tfn trust.json")
	if err := errors.Join(os.MkdirAll(filepath.Dir(spaced), 0o755), os.MkdirAll(filepath.Dir(spacedTrust), 0o755),
		os.WriteFile(spaced, data, 0o644), os.WriteFile(spaced+".seal", unrefreshed, 0o644), os.WriteFile(spacedTrust, tb, 0o644)); err != nil {
		t.Fatal(err)
	}
	code, out, errs = verifyAt(t, o.url, "--trust", spacedTrust, spaced)
	printed := regexp.MustCompile(`'chancery (seal refresh .*?)' proves`).FindStringSubmatch(out)
	if code != cli.ExitOK || printed == nil {
		t.Fatalf("online, in a folder named with spaces: %d %q %q, want valid naming 'seal refresh'", code, out, errs)
	}
	sh := exec.Command("sh", "-c", testbin.Shared(t, "./cmd/chancery")+" "+printed[1])
	if shOut, err := sh.CombinedOutput(); err != nil {
		t.Errorf("chancery %s, as verify printed it, run by a shell: %v\n%s", printed[1], err, shOut)
	}
	if code, out, errs := verifyAt(t, o.url, "--trust", spacedTrust, "--offline", spaced); code != cli.ExitOK || !strings.HasPrefix(out, "valid: "+ref) {
		t.Errorf("offline, after the printed seal refresh in a folder named with spaces: %d %q %q, want valid", code, out, errs)
	}

	// A holder who reaches the registry by another address than the trust root's (a proxy,
	// an internal name) and gave it with --url: the printed command named no --url, and asked
	// the trust root's URL, which this holder cannot reach (fifty-ninth session's not-fixed
	// list, the lead's decision). It carries --url, online and offline, and runs as printed
	// without CHANCERY_URL.
	viaURL := filepath.Join(dir, "via-url", ref+".pdf")
	if err := errors.Join(os.Mkdir(filepath.Dir(viaURL), 0o755), os.WriteFile(viaURL, data, 0o644), os.WriteFile(viaURL+".seal", unrefreshed, 0o644)); err != nil {
		t.Fatal(err)
	}
	code, out, errs = verifyAt(t, "", "--url", o.url, "--offline", "--trust", witnessed, viaURL)
	if code != cli.ExitFailed || !strings.Contains(out, "'chancery seal refresh "+viaURL+".seal --trust "+witnessed+" --url "+o.url+"'") {
		t.Errorf("offline, --url given: %d %q %q, want the seal refresh with --url %s", code, out, errs, o.url)
	}
	code, out, errs = verifyAt(t, "", "--url", o.url, "--trust", witnessed, viaURL)
	printed = regexp.MustCompile(`'chancery (seal refresh .*?)' proves`).FindStringSubmatch(out)
	if code != cli.ExitOK || printed == nil || printed[1] != "seal refresh "+viaURL+".seal --trust "+witnessed+" --url "+o.url {
		t.Fatalf("online, --url given: %d %q %q, want valid naming 'chancery seal refresh %s.seal --trust %s --url %s'", code, out, errs, viaURL, witnessed, o.url)
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Main(strings.Fields(printed[1]), &stdout, &stderr); code != cli.ExitOK {
		t.Errorf("chancery %s, as verify printed it, without CHANCERY_URL: exit %d, %s%s", printed[1], code, stdout.String(), stderr.String())
	}
	if code, out, errs := verifyAt(t, "", "--offline", "--trust", witnessed, viaURL); code != cli.ExitOK || !strings.HasPrefix(out, "valid: "+ref) {
		t.Errorf("offline, after the printed seal refresh with --url: %d %q %q, want valid", code, out, errs)
	}

	// Retracted since: the registry's answer says so, whatever the old seal.
	o.retract(ref, "Sent by mistake")
	if code, out, errs := verifyAt(t, o.url, "--trust", witnessed, file); code != cli.ExitFailed || !strings.HasPrefix(out, "retracted: ") || strings.Contains(out, "seal refresh") {
		t.Errorf("retracted, with the seal from before the quorum: %d %q %q", code, out, errs)
	}

	// Erased since: the registry's answer comes without a seal, and the line said "a seal kept
	// beside the letter still verifies with --offline", of the seal from before the quorum,
	// which offline is invalid (found by audit, sixty-second session). It says that seal does
	// not verify offline either, in each language.
	erased := filepath.Join(dir, "erased", ref+".pdf")
	if err := errors.Join(os.Mkdir(filepath.Dir(erased), 0o755), os.WriteFile(erased, data, 0o644), os.WriteFile(erased+".seal", unrefreshed, 0o644)); err != nil {
		t.Fatal(err)
	}
	if err := o.reg.Erase(ctx, o.actors["root"], ref, "personal data"); err != nil {
		t.Fatal(err)
	}
	for l, want := range map[string]string{
		"en": "could not verify: the office erased this letter's content; the registry answers retracted but has no seal left to prove it (the seal beside it was made before the office had its witnesses, so it does not verify with --offline either)",
		"fr": "(le sceau à côté d'elle date d'avant les témoins du bureau : il ne se vérifie pas non plus avec --offline)",
		"ar": "(الختم الذي بجانبها صدر قبل أن يكون للمكتب شهوده، فلا يُتحقق منه بـ --offline أيضًا)",
	} {
		if code, out, errs := verifyAt(t, o.url, "--lang", l, "--trust", witnessed, erased); code != cli.ExitError || !strings.HasSuffix(strings.TrimSpace(out), want) {
			t.Errorf("--lang %s, erased, with the seal from before the quorum: %d %q %q, want %q", l, code, out, errs, want)
		}
	}
	if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", witnessed, erased); code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: ") {
		t.Errorf("offline, erased, with the seal from before the quorum: %d %q %q, want invalid", code, out, errs)
	}

	// Erased but not withdrawn: 'chancery seal refresh' proves that seal against a checkpoint
	// the witnesses cosigned (it refuses only a withdrawn letter's), offline it verifies then,
	// and for an erased letter it is the one proof left; the line said only that it does not
	// verify offline either (found by review of 4a1e9ed, sixty-second session). It names the
	// refresh, in each language, and the command runs as printed.
	otherFile := filepath.Join(dir, "other", other+".pdf")
	if err := o.reg.Erase(ctx, o.actors["root"], other, "personal data"); err != nil {
		t.Fatal(err)
	}
	args := otherFile + ".seal --trust " + witnessed
	for l, want := range map[string]string{
		"en": "could not verify: the office erased this letter's content; the registry answers valid but has no seal left to prove it (the seal beside it was made before the office had its witnesses, so it does not verify with --offline until 'chancery seal refresh " + args + "' proves it against a checkpoint they cosigned)",
		"fr": "(le sceau à côté d'elle date d'avant les témoins du bureau : il ne se vérifie avec --offline qu'une fois que « chancery seal refresh " + args + " » l'a prouvé sur un point de contrôle qu'ils ont cosigné)",
		"ar": "(الختم الذي بجانبها صدر قبل أن يكون للمكتب شهوده، فلا يُتحقق منه بـ --offline حتى يُثبته الأمر 'chancery seal refresh " + args + "' مقابل نقطة تحقق وقّعوها)",
	} {
		if code, out, errs := verifyAt(t, o.url, "--lang", l, "--trust", witnessed, otherFile); code != cli.ExitError || !strings.HasSuffix(strings.TrimSpace(out), want) {
			t.Errorf("--lang %s, erased but valid, with the seal from before the quorum: %d %q %q, want %q", l, code, out, errs, want)
		}
	}
	stdout.Reset()
	stderr.Reset()
	if code := cli.Main(strings.Fields("seal refresh "+args), &stdout, &stderr); code != cli.ExitOK {
		t.Errorf("chancery seal refresh %s, as verify printed it for an erased letter: exit %d, %s%s", args, code, stdout.String(), stderr.String())
	}
	if code, out, errs := verifyAt(t, o.url, "--offline", "--trust", witnessed, otherFile); code != cli.ExitOK || !strings.HasPrefix(out, "valid: "+other) {
		t.Errorf("offline, erased, after the printed seal refresh: %d %q %q, want valid", code, out, errs)
	}
}
