package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	"golang.org/x/text/unicode/runenames"
)

// ErrUnsupportedChar is wrapped by errors about text holding a character that none of the
// fonts can draw. It is checked before anything is stored: a released letter cannot be
// corrected, and a character printed as a box or a dot would change what it says.
var ErrUnsupportedChar = errors.New("character the fonts cannot draw")

// ErrNoFonts is wrapped by errors about missing font files.
var ErrNoFonts = errors.New("fonts not installed")

// FontDirsEnv names an environment variable with extra font directories (separated by the
// system's list separator), searched before the Debian locations.
const FontDirsEnv = "CHANCERY_FONT_DIRS"

// fontDirs are where Debian's fonts-noto-core, fonts-noto-mono and fonts-noto-cjk put their
// files.
var fontDirs = []string{
	"/usr/share/fonts/truetype/noto",
	"/usr/share/fonts/opentype/noto",
}

// fontSpec names one font file, with the Debian package that ships it and, for a collection,
// the family to take from it.
type fontSpec struct {
	file, family, pkg string
}

// A style is one of the text styles a letter uses; each has its own fallback chain.
type style uint8

const (
	regular style = iota
	bold
	italic
	boldItalic
	mono
	numStyles
)

// chains lists, per style, the fonts tried in order for each character. The Latin font comes
// first (Latin, Greek, Cyrillic), then one font per script; CJK comes last because its Latin
// letters are full-width-minded and would otherwise win. Italic styles fall back to upright
// fonts for scripts that have no italic.
var chains = [numStyles][]fontSpec{
	regular:    {notoSans("Regular"), notoArabic("Regular"), notoHebrew("Regular"), notoDevanagari("Regular"), notoCJK("Regular")},
	bold:       {notoSans("Bold"), notoArabic("Bold"), notoHebrew("Bold"), notoDevanagari("Bold"), notoCJK("Bold")},
	italic:     {notoSans("Italic"), notoArabic("Regular"), notoHebrew("Regular"), notoDevanagari("Regular"), notoCJK("Regular")},
	boldItalic: {notoSans("BoldItalic"), notoArabic("Bold"), notoHebrew("Bold"), notoDevanagari("Bold"), notoCJK("Bold")},
	mono:       {{file: "NotoMono-Regular.ttf", pkg: "fonts-noto-mono"}, notoSans("Regular"), notoArabic("Regular"), notoHebrew("Regular"), notoDevanagari("Regular"), notoCJK("Regular")},
}

func notoSans(w string) fontSpec {
	return fontSpec{file: "NotoSans-" + w + ".ttf", pkg: "fonts-noto-core"}
}
func notoArabic(w string) fontSpec {
	return fontSpec{file: "NotoSansArabic-" + w + ".ttf", pkg: "fonts-noto-core"}
}
func notoHebrew(w string) fontSpec {
	return fontSpec{file: "NotoSansHebrew-" + w + ".ttf", pkg: "fonts-noto-core"}
}
func notoDevanagari(w string) fontSpec {
	return fontSpec{file: "NotoSansDevanagari-" + w + ".ttf", pkg: "fonts-noto-core"}
}

// notoCJK is the Simplified Chinese face of the Noto Sans CJK collection: every face of the
// collection covers Han, kana and Hangul; they differ only in regional glyph forms.
func notoCJK(w string) fontSpec {
	return fontSpec{file: "NotoSansCJK-" + w + ".ttc", family: "Noto Sans CJK SC", pkg: "fonts-noto-cjk"}
}

// fontFile is a font, parsed when first used and then shared by every rendering: go-text's
// Font is safe for concurrent use, its Face is not, so each rendering makes its own faces of
// these fonts. A library finds every file when it is made; it parses each the first time a
// character is looked up in it (load): a letter in Latin script never parses the 40 MB of
// the CJK collections, which took most of a process's first check or layout (a third of a
// second on a 2-core machine, seven times that under the race detector) and most of its
// fonts' memory.
type fontFile struct {
	name   string // the file's name without its extension, a collection's with its family
	path   string
	family string // the face to take from a collection, or ""
	once   sync.Once
	err    error
	// font and upem are set by load.
	font *font.Font
	upem float64
}

type fontLibrary struct {
	chains [numStyles][]*fontFile
	// drawable has a bit set for each character of the Basic Multilingual Plane that check
	// found the fonts draw: a letter's text is checked character by character, and Han is
	// found only in the last font of a chain.
	drawable [0x10000 / 64]atomic.Uint64
}

var (
	libOnce sync.Once
	lib     *fontLibrary
	libErr  error
)

// LoadFonts finds the letter fonts and parses those every letter uses (the first of each
// style's chain: Noto Sans and Noto Mono) now rather than when the first letter is checked or
// laid out: a server calls it as it starts, so that it fails then when the fonts are not
// installed, with an error wrapping ErrNoFonts, and its first author does not wait. The fonts
// of other scripts are parsed when a letter first has one of their characters (the CJK
// collections in about a third of a second). Either way, each happens once per process.
func LoadFonts() error {
	l, err := fonts()
	if err != nil {
		return err
	}
	for _, chain := range l.chains {
		if err := chain[0].load(); err != nil {
			return err
		}
	}
	return nil
}

// fonts finds the fonts once per process.
func fonts() (*fontLibrary, error) {
	libOnce.Do(func() { lib, libErr = findFonts() })
	return lib, libErr
}

func findFonts() (*fontLibrary, error) {
	dirs := fontDirs
	if env := os.Getenv(FontDirsEnv); env != "" {
		dirs = append(filepath.SplitList(env), dirs...)
	}
	found := map[fontSpec]*fontFile{}
	var missing []string
	l := &fontLibrary{}
	for s, chain := range chains {
		for _, spec := range chain {
			ff, ok := found[spec]
			if !ok {
				ff = findFont(dirs, spec)
				if ff == nil {
					missing = append(missing, fmt.Sprintf("%s (Debian package %s) not found", spec.file, spec.pkg))
				}
				found[spec] = ff
			}
			if ff != nil {
				l.chains[s] = append(l.chains[s], ff)
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s (install Debian's fonts-noto-core, fonts-noto-mono and fonts-noto-cjk, or set %s)",
			ErrNoFonts, strings.Join(missing, "; "), FontDirsEnv)
	}
	return l, nil
}

// findFont returns the font of spec in the first of dirs that has its file, not yet parsed,
// or nil.
func findFont(dirs []string, spec fontSpec) *fontFile {
	for _, dir := range dirs {
		path := filepath.Join(dir, spec.file)
		if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		name := strings.TrimSuffix(strings.TrimSuffix(spec.file, ".ttf"), ".ttc")
		if spec.family != "" {
			name = strings.ReplaceAll(spec.family, " ", "") + "-" + strings.TrimPrefix(name, "NotoSansCJK-")
		}
		return &fontFile{name: name, path: path, family: spec.family}
	}
	return nil
}

// load parses ff's file the first time it is called, and returns the error it met, which
// wraps ErrNoFonts: a font file found but unreadable or not a font is no font.
func (ff *fontFile) load() error {
	ff.once.Do(func() {
		f, err := parseFont(ff.path, ff.family)
		if err != nil {
			ff.err = fmt.Errorf("%w: %s: %v", ErrNoFonts, filepath.Base(ff.path), err)
			return
		}
		ff.font, ff.upem = f, float64(f.Upem())
	})
	return ff.err
}

// parseFont parses the font file at path, or the face of family in the collection at path.
func parseFont(path, family string) (*font.Font, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lds, err := ot.NewLoaders(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	ld := lds[0]
	if family != "" {
		ld = nil
		for _, cand := range lds {
			if d, _ := font.Describe(cand, nil); d.Family == family {
				ld = cand
				break
			}
		}
		if ld == nil {
			return nil, fmt.Errorf("no face %q", family)
		}
	}
	return font.NewFont(ld)
}

// has reports whether ff, loaded, maps r to a glyph.
func (ff *fontFile) has(r rune) bool {
	_, ok := ff.font.Cmap.Lookup(r)
	return ok
}

// invisible reports whether r needs no glyph: layout controls that the shaper hides
// (joiners, variation selectors, bidi marks) and the whitespace the layout handles.
func invisible(r rune) bool {
	switch r {
	case '\n', '\r', '\t', '\f':
		return true
	}
	return unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) ||
		unicode.In(r, unicode.Variation_Selector, unicode.Join_Control, unicode.Bidi_Control) ||
		r == 0x00AD || r == 0xFEFF || r == 0x200B
}

// CheckText returns an error wrapping ErrUnsupportedChar, naming the first character of s that
// the letter fonts cannot draw (as U+XXXX and its Unicode name), or ErrNoFonts when the fonts
// are not installed. what says where the text comes from ("subject", "body").
func CheckText(what, s string) error {
	l, err := fonts()
	if err != nil {
		return err
	}
	for _, r := range s {
		if err := l.check(r); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	return nil
}

func (l *fontLibrary) check(r rune) error {
	if r >= 0 && r < 0x10000 && l.drawable[r/64].Load()&(1<<(r%64)) != 0 {
		return nil
	}
	if r == unicode.ReplacementChar || unicode.IsControl(r) && !invisible(r) || unicode.Is(unicode.Co, r) || unicode.Is(unicode.Cs, r) {
		return unsupported(r)
	}
	if invisible(r) || r == ' ' {
		return nil
	}
	// Every style a paragraph may use must draw it: the regular and bold chains cover the
	// others, which fall back to them.
	for _, s := range []style{regular, bold} {
		found := false
		for _, ff := range l.chains[s] {
			if err := ff.load(); err != nil {
				return err
			}
			if ff.has(r) {
				found = true
				break
			}
		}
		if !found {
			return unsupported(r)
		}
	}
	if r < 0x10000 {
		l.drawable[r/64].Or(1 << (r % 64))
	}
	return nil
}

func unsupported(r rune) error {
	name := runenames.Name(r)
	switch {
	case unicode.IsControl(r):
		name = "control character"
	case unicode.Is(unicode.Co, r):
		name = "private-use character"
	case name == "" || strings.HasPrefix(name, "<"):
		name = "unnamed character"
	}
	return fmt.Errorf("%w: U+%04X %s", ErrUnsupportedChar, r, name)
}
