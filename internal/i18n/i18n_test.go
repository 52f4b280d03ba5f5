package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
)

// verbs lists the formatting verbs of a message in order, so that a translation that drops,
// adds or reorders an argument is caught.
var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

func verbs(s string) []string {
	var out []string
	for _, v := range verbRE.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v[len(v)-1:])
		}
	}
	return out
}

func sameVerbs(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	counts := map[string]int{}
	for _, v := range a {
		counts[v]++
	}
	for _, v := range b {
		counts[v]--
	}
	for _, n := range counts {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestEveryMessageTranslated(t *testing.T) {
	for _, en := range Messages() {
		fr, ar, _ := Lookup(en)
		if strings.TrimSpace(fr) == "" || strings.TrimSpace(ar) == "" {
			t.Errorf("message %q lacks a French or Arabic text", en)
			continue
		}
		if !sameVerbs(verbs(en), verbs(fr)) || !sameVerbs(verbs(en), verbs(ar)) {
			t.Errorf("message %q: the translations' formatting verbs differ (en %v, fr %v, ar %v)", en, verbs(en), verbs(fr), verbs(ar))
		}
	}
}

// usedRE finds the messages the interface uses: {{t "…"}} (and {{t "…" args}}) in templates,
// also as th (a message with markup) and nested as an argument ((t "…")), and in Go code
// calls of a printer's T method with a literal and the messages that packages below the
// interfaces build: i18n.Msg("…") and i18n.Errorf(sentinel, "…").
var (
	templateRE = regexp.MustCompile(`(?:\{\{-?|\()\s*(th?)\s+("(?:[^"\\]|\\.)*")`)
	// markupRE finds an element in a message: a template shows it as markup only through th.
	markupRE = regexp.MustCompile(`</?[a-z]+[ >]`)
	codeRE   = regexp.MustCompile(`(?:\.T\(|\bi18n\.Msg\(|\bi18n\.Errorf\(\s*[\w.]+\s*,)\s*("(?:[^"\\]|\\.)*"|` + "`[^`]*`" + `)`)
)

// TestCatalogueComplete fails when a template or a Go file of the module uses a message that
// the catalogue does not translate, or when a template shows a message with markup through t,
// which escapes it: the page showed "<bdi>…</bdi>" as text.
func TestCatalogueComplete(t *testing.T) {
	root := filepath.Join("..", "..")
	used := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "testdata", "node_modules", "bench":
				return filepath.SkipDir
			}
			return nil
		}
		var re *regexp.Regexp
		switch {
		case strings.HasSuffix(path, ".html") && strings.Contains(path, "templates"):
			re = templateRE
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") && !strings.Contains(path, filepath.Join("internal", "i18n")):
			re = codeRE
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			s := m[len(m)-1]
			if strings.HasPrefix(s, "`") {
				s = strings.Trim(s, "`")
			} else if s, err = strconv.Unquote(s); err != nil {
				t.Errorf("%s: cannot read message %s: %v", path, m[len(m)-1], err)
				continue
			}
			if re == templateRE && m[1] == "t" && markupRE.MatchString(s) {
				t.Errorf("%s shows %q, which holds markup, through t rather than th: the page shows the markup as text", path, s)
			}
			used[s] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := used["Language"]; !ok {
		used["Language"] = "i18n"
	}
	for en, where := range used {
		if _, _, ok := Lookup(en); !ok {
			t.Errorf("%s uses %q, which the catalogue lacks (add it with its French and Arabic texts)", where, en)
		}
	}
}

func TestNegotiate(t *testing.T) {
	for _, c := range []struct{ choice, accept, want string }{
		{"", "", "en"},
		{"", "fr-CH, fr;q=0.9, en;q=0.8", "fr"},
		{"", "ar-EG,ar;q=0.9", "ar"},
		{"", "de-DE", "en"},
		{"", "de-DE, ar;q=0.5", "ar"},
		{"fr", "ar", "fr"},
		{"xx-not-a-tag", "ar", "ar"},
		{"de", "fr", "fr"},
	} {
		if got := Negotiate(c.choice, c.accept).Lang(); got != c.want {
			t.Errorf("Negotiate(%q, %q) = %s, want %s", c.choice, c.accept, got, c.want)
		}
	}
	if For(language.Arabic).Dir() != "rtl" || For(language.French).Dir() != "ltr" {
		t.Error("writing directions are wrong")
	}
}

func TestTranslates(t *testing.T) {
	if got := For(language.French).T("Language"); got != "Langue" {
		t.Errorf("French of Language = %q", got)
	}
	if got := For(language.English).T("Language"); got != "Language" {
		t.Errorf("English of Language = %q", got)
	}
	// A message nobody registered reads as its English text, formatted.
	if got := For(language.French).T("no such message %d", 3); got != "no such message 3" {
		t.Errorf("unregistered message = %q", got)
	}
}

func TestVerbs(t *testing.T) {
	if !sameVerbs(verbs("%d letters by %s"), verbs("%s : %d lettres")) {
		t.Error("reordered verbs should count as the same")
	}
	if sameVerbs(verbs("%d letters"), verbs("lettres")) {
		t.Error("a dropped verb should be caught")
	}
}

func TestDateAndText(t *testing.T) {
	d := time.Date(2026, 11, 30, 10, 5, 0, 0, time.UTC)
	if got := For(language.French).Date(d); got != "30 novembre 2026, 10:05 UTC" {
		t.Errorf("French date = %q", got)
	}
	if got := For(language.English).Date(d); got != "30 November 2026, 10:05 UTC" {
		t.Errorf("English date = %q", got)
	}
	if got := For(language.French).Text("100% Language"); got != "100% Language" {
		t.Errorf("unregistered text changed: %q", got)
	}
	if got := For(language.Arabic).Text("Language"); got != "اللغة" {
		t.Errorf("Arabic text = %q", got)
	}
}

// FuzzNegotiate feeds the Accept-Language header and the language choice of anonymous
// visitors (every public page, the verify page among them) to Negotiate: it always answers a
// shipped language, and a choice naming one wins over any header.
func FuzzNegotiate(f *testing.F) {
	for _, c := range [][2]string{
		{"", "fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"}, {"", "ar-EG,ar;q=0.9"}, {"de", "de-DE, ar;q=0.5"},
		{"xx-not-a-tag", "ar"}, {" fr ", ""}, {"", "en-US-u-nu-arab-x-private"}, {"", "zh-Hant-TW;q=0.1,*"},
		{"", strings.Repeat("en-US-", 100)}, {"", strings.Repeat("a;q=0.9,", 200)}, {"", "x-" + strings.Repeat("a-", 300)},
	} {
		f.Add(c[0], c[1])
	}
	shipped := map[string]bool{}
	for _, l := range Languages {
		shipped[l.String()] = true
	}
	f.Fuzz(func(t *testing.T, choice, accept string) {
		p := Negotiate(choice, accept)
		if p == nil || !shipped[p.Lang()] {
			t.Fatalf("Negotiate(%q, %q) answered no shipped language", choice, accept)
		}
		if c, ok := Parse(choice); ok && p.Lang() != c.Lang() {
			t.Fatalf("Negotiate(%q, %q) = %s: the choice %s lost", choice, accept, p.Lang(), c.Lang())
		}
	})
}
