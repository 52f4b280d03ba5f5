package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/cli"
)

// TestVerifyDamagedSealAdviceFollowsTheAnswer: the note of a file beside a damaged seal always
// ended "ask the office for the letter's seal again", also where that cannot help: after a
// draft or an altered answer (no sealed letter is this file), for an erased letter (the
// office has no seal left to give), for a file the registry does not know, and for a seal of
// a newer format than this chancery reads, whose remedy is a newer chancery. The advice now
// follows the answer (the lead's decision, sixtieth session): a valid or withdrawn letter's
// seal is asked for again; a seal of a newer format names a newer chancery, whatever the
// answer; after any other answer the line says only that the seal was not checked. Offline,
// where the seal is all there is, a damaged seal keeps the advice. English, French, Arabic.
func TestVerifyDamagedSealAdviceFollowsTheAnswer(t *testing.T) {
	o := newOffice(t)
	dir, ref, file, _, trust := o.releasedForReplay(t)
	release := func(subject, body string) (string, string) {
		t.Helper()
		r := o.letter(subject, "foreign-government", body)
		o.ready(r)
		if code, _, errs := o.run("otto", "release", r, "--out", dir); code != cli.ExitOK {
			t.Fatalf("release: %s", errs)
		}
		return r, filepath.Join(dir, r+".pdf")
	}
	retractedRef, retracted := release("Press release on exercises", "# Exercises\n\nThe exercises start on Monday.\n")
	o.retract(retractedRef, "sent in error")
	erasedRef, erased := release("Visit of the delegation", "# Visit\n\nThe delegation arrives on Tuesday with four advisers.\n")
	if err := o.reg.Erase(context.Background(), o.actors["root"], erasedRef, "personal data"); err != nil {
		t.Fatal(err)
	}
	draftBody := "# Withdrawal\n\nSir, the troop withdrawal is postponed.\n"
	o.letter("Postponed withdrawal", "foreign-government", draftBody)

	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sealed := read(file + ".seal")
	cut := sealed[:len(sealed)/2]
	// The same seal but for its format's number, one this chancery does not read.
	head := []byte(`{"chancery_seal":`)
	rest, ok := bytes.CutPrefix(sealed, head)
	if !ok || len(rest) == 0 || rest[0] < '1' || rest[0] > '8' || rest[1] != ',' {
		t.Fatalf("the seal does not start with its format's number: %.40q", sealed)
	}
	newer := append(append(append([]byte{}, head...), '9'), rest[1:]...)
	held := filepath.Join(dir, "held")
	put := func(name string, data, seal []byte) string {
		t.Helper()
		p := filepath.Join(held, name)
		write(t, p, data)
		write(t, p+".seal", seal)
		return p
	}
	letter := read(file)
	edited := append(append([]byte{}, letter...), "\n% edited\n"...)
	files := map[string]string{
		"valid":     put("valid.pdf", letter, cut),
		"retracted": put("retracted.pdf", read(retracted), cut),
		"erased":    put("erased.pdf", read(erased), cut),
		"draft":     put("draft.md", []byte(draftBody), cut),
		"altered":   put("altered.pdf", edited, cut),
		"unknown":   put("unknown.txt", []byte("Nothing this office ever wrote: a shopping list of apples, pears, plums and quinces.\n"), cut),
		"newer":     put("newer.pdf", letter, newer),
		"newer-unknown": put("newer-unknown.txt",
			[]byte("Nothing this office ever wrote either: a list of the trains to the coast on Saturday.\n"), newer),
	}

	type words struct{ advice, advice2, notChecked, newerFormat string }
	lang := map[string]words{
		"en": {"ask the office for the letter's seal again", "ask the office for the letter's seal again",
			"is damaged, so it was not checked)", "a newer version of chancery checks it"},
		"fr": {"redemandez au service le sceau de la lettre", "demandez de nouveau au service le sceau de la lettre",
			"est endommagé et n'a donc pas été vérifié)", "une version plus récente de chancery le vérifie"},
		"ar": {"اطلب ختم الرسالة من الجهة مرة أخرى", "اطلب من الجهة ختم الرسالة مجددًا",
			"تالف، فلم يُتحقَّق منه)", "يتحقق منه إصدار أحدث من chancery"},
	}
	const (
		advice = iota
		noAdvice
		newerFormat
	)
	down := closedURL(t)
	for _, c := range []struct {
		name, file, url, prefix string
		code, want              int
		offline                 bool
	}{
		{"valid", files["valid"], o.url, "valid: " + ref, cli.ExitOK, advice, false},
		{"retracted", files["retracted"], o.url, "retracted: " + retractedRef, cli.ExitFailed, advice, false},
		{"erased", files["erased"], o.url, "could not verify: ", cli.ExitError, noAdvice, false},
		{"draft", files["draft"], o.url, "draft: ", cli.ExitFailed, noAdvice, false},
		{"altered", files["altered"], o.url, "altered: ", cli.ExitFailed, noAdvice, false},
		{"unknown", files["unknown"], o.url, "invalid: ", cli.ExitFailed, noAdvice, false},
		{"unreachable", files["valid"], down, "could not verify: ", cli.ExitError, noAdvice, false},
		{"newer", files["newer"], o.url, "valid: " + ref, cli.ExitOK, newerFormat, false},
		{"newer, unknown", files["newer-unknown"], o.url, "invalid: ", cli.ExitFailed, newerFormat, false},
		{"newer, unreachable", files["newer"], down, "could not verify: ", cli.ExitError, newerFormat, false},
		{"offline, damaged", files["unknown"], o.url, "invalid: ", cli.ExitFailed, advice, true},
		{"offline, newer", files["newer"], o.url, "invalid: ", cli.ExitFailed, newerFormat, true},
	} {
		for _, l := range []string{"en", "fr", "ar"} {
			args := []string{"--trust", trust, "--lang", l, c.file}
			if c.offline {
				args = append([]string{"--offline"}, args...)
			}
			code, out, errs := verifyAt(t, c.url, args...)
			name := c.name + " " + l
			if code != c.code || l == "en" && !strings.HasPrefix(out, c.prefix) {
				t.Errorf("%s: exit %d %q %q, want %d, %q", name, code, out, errs, c.code, c.prefix)
				continue
			}
			w := lang[l]
			hasAdvice := strings.Contains(out, w.advice) || strings.Contains(out, w.advice2)
			switch c.want {
			case advice:
				if !hasAdvice {
					t.Errorf("%s: %q, want the advice to ask the office for the seal again", name, out)
				}
			case noAdvice:
				if hasAdvice || strings.Contains(out, w.newerFormat) {
					t.Errorf("%s: %q, want no advice about the seal", name, out)
				}
				if !c.offline && c.name != "unknown" && !strings.Contains(out, w.notChecked) {
					t.Errorf("%s: %q, want the note that the seal is damaged and was not checked", name, out)
				}
			case newerFormat:
				if !strings.Contains(out, w.newerFormat) || hasAdvice {
					t.Errorf("%s: %q, want a newer chancery named, not another seal", name, out)
				}
			}
		}
	}
}
