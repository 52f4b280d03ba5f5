package cli_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"github.com/chancery/chancery/internal/cli"
	"golang.org/x/mod/sumdb/tlog"
)

// TestOnlineVerifyComparesASealOfAnotherFileWithTheKept: online, a seal sound but for the
// file beside it (the file edited) has its checkpoint compared with the one kept, as a valid
// seal's is and as offline does: a tree of its size with another root, both signed by the log
// key, is the split view offline says, and a kept tree the registry's proof does not extend
// to the seal's is a fork too; the registry's answer for the file ("altered") does not hide
// either. (Fifty-ninth session's not-fixed list, the lead's decision: online, the checkpoint
// was given to no comparison but the run's, and the edited file was "altered".)
func TestOnlineVerifyComparesASealOfAnotherFileWithTheKept(t *testing.T) {
	o := newOffice(t)
	dir, _, file, _, trust := o.releasedForReplay(t)
	kept := o.keptAfterVerifying(t, dir, trust, file)
	sc := sealCheckpointOf(t, o, file)
	appendTo(t, file)
	// Alone, with its own tree kept, the edited file is what the registry says of its text.
	if code, out, errs := verifyAt(t, o.url, "--trust", trust, file); code != cli.ExitFailed || !strings.HasPrefix(out, "altered: ") {
		t.Fatalf("online, an edited file: %d %q %q, want altered", code, out, errs)
	}

	// The kept tree of the seal's size with another root, signed by the log key.
	other := sc
	other.Root[0] ^= 1
	o.keepSigned(t, kept, other)
	want := forkedLine(sc, other, kept)
	code, out, errs := verifyAt(t, o.url, "--trust", trust, file)
	if code != cli.ExitFailed || out != want {
		t.Errorf("online, an edited file whose seal's tree the kept checkpoint has with another root: %d %q %q, want %q", code, out, errs, want)
	}
	code, out, errs = verifyAt(t, o.url, "--trust", trust, "--json", file)
	var r cli.VerifyResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != cli.ExitFailed || r.Outcome != "invalid" || r.Message+"\n" != want || r.Digest == "" {
		t.Errorf("online --json, the same: %d %q %q (%v)", code, out, errs, err)
	}
	// Offline says the same, with the same line.
	if code, offline, errs := verifyAt(t, o.url, "--offline", "--trust", trust, file); code != cli.ExitFailed || offline != want {
		t.Errorf("offline, the same: %d %q %q, want %q", code, offline, errs, want)
	}

	// A kept tree one smaller than the seal's, which the log's proof does not extend to it.
	if sc.Size < 2 {
		t.Fatalf("the seal's tree has size %d", sc.Size)
	}
	smaller := checkpoint.Checkpoint{Origin: sc.Origin, Size: sc.Size - 1, Root: tlog.Hash{1}}
	forked := o.keepSigned(t, kept, smaller)
	code, out, errs = verifyAt(t, o.url, "--trust", trust, file)
	if code != cli.ExitFailed || !strings.HasPrefix(out, "invalid: the registry's log is not an extension of the log it showed before") ||
		!strings.Contains(out, "does not check") {
		t.Errorf("online, an edited file whose seal's tree does not extend the kept one: %d %q %q, want invalid, a fork", code, out, errs)
	}
	if b, err := os.ReadFile(kept); err != nil || string(b) != string(forked) {
		t.Errorf("the kept checkpoint changed: %q %v", b, err)
	}
}

// TestOnlineVerifyWarnsOfASealCheckpointNotCompared: online, the checkpoint of a seal sound
// but for the file beside it, newer than the kept one, needs a consistency proof to be
// compared with it. A proof that cannot be fetched (the registry answering 5xx, or its
// connection dropped) judges neither the seal nor the file: the registry's answer for the
// file stands (altered for an edited copy, valid for a corrected letter beside the old
// letter's seal), and a warning line, on stderr as verify's others (with --json too), says
// the seal's checkpoint could not be compared. (The lead's decision, sixtieth session: a
// failed fetch was not to turn those answers into "could not verify".) The warning says that
// the result printed for the file does not rest on that comparison, true whatever it is: it
// said that line was the registry's answer, which a file the registry knows neither by its
// bytes nor by its text does not get (its own "invalid"). In English, French and Arabic.
func TestOnlineVerifyWarnsOfASealCheckpointNotCompared(t *testing.T) {
	o := newOffice(t)
	dir, _, _, bare, trust := o.releasedForReplay(t)
	// This client holds the tree of the first letter's day.
	kept := o.keptAfterVerifying(t, dir, trust, bare)
	held, err := os.ReadFile(kept)
	if err != nil {
		t.Fatal(err)
	}
	body := "# Coordination of force movements\n\nSir,\n\nIn the coming weeks the task force will reposition several of its units between its bases in the northern province, in coordination with the joint staff. These movements are routine and serve the mission of the force.\n\nWe will share the schedule with your liaison officers one week before each movement.\n"
	old := o.letter("Coordination of force movements", "foreign-government", body)
	o.ready(old)
	if code, _, errs := o.run("otto", "release", old, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	oldPDF := filepath.Join(dir, old+".pdf")
	sc := sealCheckpointOf(t, o, oldPDF)
	corrected := o.letter("Coordination of force movements (corrected)", "foreign-government", strings.Replace(body, "one week", "two weeks", 1))
	o.ready(corrected)
	if code, _, errs := o.run("otto", "release", corrected, "--out", dir); code != cli.ExitOK {
		t.Fatalf("release: %s", errs)
	}
	oldSeal, err := os.ReadFile(oldPDF + ".seal")
	if err != nil {
		t.Fatal(err)
	}
	edited, letter := filepath.Join(dir, "held", "edited.pdf"), filepath.Join(dir, "held", "letter.pdf")
	data, err := os.ReadFile(oldPDF)
	if err != nil {
		t.Fatal(err)
	}
	write(t, edited, data)
	appendTo(t, edited)
	if data, err = os.ReadFile(filepath.Join(dir, corrected+".pdf")); err != nil {
		t.Fatal(err)
	}
	write(t, letter, data)
	write(t, edited+".seal", oldSeal)
	write(t, letter+".seal", oldSeal)
	// Bytes the registry knows neither by digest nor by text: the line printed is the file's
	// own "invalid", not the registry's answer, which the warning must not say it is.
	stranger := filepath.Join(dir, "held", "stranger.bin")
	write(t, stranger, []byte("\x00\x01\x02 not a letter of any office \xff\xfe"))
	write(t, stranger+".seal", oldSeal)

	proxy := proxyTo(t, o.url)
	for _, fail := range []string{"502", "dropped"} {
		// The proof from the kept tree to the old seal's cannot be had; any other can.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/log/proof/consistency" && r.URL.Query().Get("size") == strconv.FormatInt(sc.Size, 10) {
				if fail == "502" {
					http.Error(w, "bad gateway", http.StatusBadGateway)
					return
				}
				c, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					c.Close()
				}
				return
			}
			proxy.ServeHTTP(w, r)
		}))
		for _, c := range []struct {
			file, prefix string
			code         int
		}{
			{edited, "altered: ", cli.ExitFailed},
			{letter, "valid: " + corrected, cli.ExitOK},
			{stranger, "invalid: ", cli.ExitFailed},
		} {
			warning := "chancery: warning: " + c.file + ": the checkpoint of the seal " + c.file + ".seal, which is not this file's, could not be compared with the newest one kept of the log: consistency proof from tree size "
			// What the warning says of the line printed holds whatever that line is (the
			// registry's answer, or the file's own invalid): it said "the line printed for the
			// file is the registry's answer".
			const tail = "; the result printed for this file does not rest on that comparison\n"
			for _, args := range [][]string{{}, {"--json"}, {"--lang", "fr"}, {"--lang", "ar"}} {
				// Each run starts from the tree of the first letter's day.
				if err := os.WriteFile(kept, held, 0o600); err != nil {
					t.Fatal(err)
				}
				code, out, errs := verifyAt(t, srv.URL, append(append([]string{"--trust", trust}, args...), c.file)...)
				name := fail + " " + filepath.Base(c.file) + " " + strings.Join(args, " ")
				if code != c.code {
					t.Errorf("%s: exit %d %q %q, want %d", name, code, out, errs, c.code)
				}
				switch {
				case len(args) == 0:
					if !strings.HasPrefix(out, c.prefix) || !strings.Contains(errs, warning) || !strings.HasSuffix(errs, tail) {
						t.Errorf("%s: %q %q, want %q and the warning %q…%q", name, out, errs, c.prefix, warning, tail)
					}
				case args[0] == "--json":
					var r cli.VerifyResult
					if err := json.Unmarshal([]byte(out), &r); err != nil || !strings.HasPrefix(r.Message, c.prefix) || !strings.Contains(errs, warning) || !strings.HasSuffix(errs, tail) {
						t.Errorf("%s: %q %q (%v), want %q and the warning", name, out, errs, err, c.prefix)
					}
				case args[1] == "fr":
					if !strings.Contains(errs, "chancery: avertissement : "+c.file+" : le point de contrôle du sceau") ||
						!strings.HasSuffix(errs, " ; le résultat affiché pour ce fichier ne repose pas sur cette comparaison\n") {
						t.Errorf("%s: %q %q, want the warning in French", name, out, errs)
					}
				default:
					if !strings.Contains(errs, "chancery: تحذير: "+c.file+": تعذّرت مقارنة نقطة التحقق الخاصة بالختم") ||
						!strings.HasSuffix(errs, "؛ النتيجة المطبوعة لهذا الملف لا تستند إلى هذه المقارنة\n") {
						t.Errorf("%s: %q %q, want the warning in Arabic", name, out, errs)
					}
				}
			}
		}
		srv.Close()
	}
}
