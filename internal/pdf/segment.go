package pdf

import (
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/harfbuzz"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/text/unicode/bidi"
)

// split cuts in into the runs that are shaped apart: of one direction, script and face. It
// returns what go-text's Segmenter.Split returns, and calls it for text in which the
// bidirectional algorithm has work to do. Most paragraphs are in one direction throughout
// (a French or an Arabic letter), where the algorithm, which go-text runs in full for
// every right-to-left paragraph and for any left-to-right one with a dash in it, only finds
// that all of the text keeps the paragraph's direction: that took a tenth of an Arabic
// letter's time. For such text, and without the paired brackets that Split's script step
// matches, split does Split's other steps itself, as Split does them (go-text v0.3.5);
// TestSplitAsSegmenter compares the two.
//
// The slice returned is the shaper's until its next call.
func (s *shaper) split(in shaping.Input, fm *fontmap) []shaping.Input {
	if in.RunStart >= in.RunEnd || in.Direction.IsVertical() || in.Language != "" || !s.kinds.plain(in.Text[in.RunStart:in.RunEnd], in.Direction) {
		return s.seg.Split(in, fm)
	}
	s.scripts = splitByScript(s.scripts[:0], in)
	lang, _ := language.NewLangID("en") // what Split assumes when the input names no language
	for i, run := range s.scripts {
		s.scripts[i].Language = languageFor(lang, run.Script).Language()
	}
	s.runs = s.runs[:0]
	noFace := -1
	for i, run := range s.scripts {
		n := len(s.runs)
		s.runs = splitByFace(s.runs, run, fm, i == len(s.scripts)-1)
		if face := s.runs[n].Face; face != nil {
			// Runs of white space alone take the face of the run after them.
			if noFace != -1 {
				for k := noFace; k < n; k++ {
					s.runs[k].Face = face
				}
				noFace = -1
			}
		} else if noFace == -1 {
			noFace = n
		}
	}
	return s.runs
}

// What a character is to split's shortcut.
const (
	kindKnown uint8 = 1 << iota // the entry is filled
	keepsLTR                    // in a left-to-right paragraph, it takes the paragraph's level
	keepsRTL                    // and in a right-to-left one
)

// charKinds remembers the kinds of the characters of the Basic Multilingual Plane met, in
// blocks of 256: two table searches a character are not to be made for every paragraph.
type charKinds struct {
	blocks [0x100]*[0x100]uint8
}

// plain reports whether the bidirectional algorithm (UAX #9) gives all of text the level
// of a paragraph in direction dir, so that it is one run, and whether text has no paired
// bracket.
func (k *charKinds) plain(text []rune, dir di.Direction) bool {
	want := keepsLTR
	if dir.Progression() == di.TowardTopLeft {
		want = keepsRTL
	}
	for _, r := range text {
		var kind uint8
		if r >= 0 && r < 0x10000 {
			b := k.blocks[r>>8]
			if b == nil {
				b = new([0x100]uint8)
				k.blocks[r>>8] = b
			}
			if kind = b[r&0xff]; kind == 0 {
				kind = kindOf(r) | kindKnown
				b[r&0xff] = kind
			}
		} else {
			kind = kindOf(r)
		}
		if kind&want == 0 {
			return false
		}
	}
	return true
}

// kindOf tells in which paragraphs r keeps the paragraph's level: in a left-to-right
// paragraph with no right-to-left character, Arabic number or explicit direction mark,
// all of it does; so does all of a right-to-left paragraph with no left-to-right character
// and no number. Neutral characters between characters of the paragraph's direction, or
// at its ends, take that direction; weak ones (separators, terminators) do too when no
// number is near. A paired bracket (which Split's script step matches) has neither kind.
func kindOf(r rune) uint8 {
	if r == '<' || r == '>' || unicode.In(r, unicode.Ps, unicode.Pe, unicode.Pi, unicode.Pf) {
		return 0
	}
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.WS, bidi.ON, bidi.CS, bidi.ES, bidi.ET, bidi.NSM, bidi.BN, bidi.S:
		return keepsLTR | keepsRTL
	case bidi.L, bidi.EN:
		return keepsLTR
	case bidi.R, bidi.AL:
		return keepsRTL
	}
	return 0 // AN, B, and the explicit embeddings, overrides and isolates
}

// splitByScript appends to runs the runs of in that are in one script, as Segmenter.Split's
// script step does for text without paired brackets (which it gives the script of the text
// they enclose): characters common to scripts, or inheriting theirs, belong to the run
// they are in, the first run taking the script of its first characters of a script.
func splitByScript(runs []shaping.Input, in shaping.Input) []shaping.Input {
	cur := in
	cur.Script = language.Common
	for i := in.RunStart; i < in.RunEnd; i++ {
		sc := language.LookupScript(in.Text[i])
		switch {
		case !sc.Strong() || sc == cur.Script:
		case cur.Script == language.Common:
			cur.Script = sc
		default:
			if i != in.RunStart {
				cur.RunEnd = i
				runs = append(runs, cur)
			}
			cur.RunStart = i
			cur.Script = sc
		}
	}
	cur.RunEnd = in.RunEnd
	return append(runs, cur)
}

// languageFor is lang if it is written in script sc, else the language of the script (Arabic
// for the Arabic script), as Segmenter.Split resolves a run's language for shaping.
func languageFor(lang language.LangID, sc language.Script) language.LangID {
	if lang.UseScript(sc) {
		return lang
	}
	if l := language.ScriptToLang[sc]; l != 0 {
		return l
	}
	return lang
}

// splitByFace appends to runs the runs of in that fm draws with one face, as go-text's
// splitByFace does: white space and invisible characters take the face of the run they are
// in, and choose none unless they end the text.
func splitByFace(runs []shaping.Input, in shaping.Input, fm *fontmap, last bool) []shaping.Input {
	cur := in
	for i := in.RunStart; i < in.RunEnd; i++ {
		r := in.Text[i]
		if ignoreFaceChange(r) && (cur.Face != nil || !last || i < in.RunEnd-1) {
			continue
		}
		face := fm.ResolveFace(r)
		if cur.Face == nil {
			cur.Face = face
		}
		if cur.Face == face {
			continue
		}
		if i != in.RunStart {
			cur.RunEnd = i
			runs = append(runs, cur)
		}
		cur = in
		cur.RunStart = i
		cur.Face = face
	}
	cur.RunEnd = in.RunEnd
	return append(runs, cur)
}

// ignoreFaceChange is go-text's test of the characters that choose no face: controls, line
// and paragraph separators, spaces (but the Ogham space mark, which is visible) and the
// characters HarfBuzz does not draw. The categories tested have not changed since Unicode
// 6.3, so Go's tables and go-text's agree on them.
func ignoreFaceChange(r rune) bool {
	return r == ' ' || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cs, r) || r == 0x2028 || r == 0x2029 ||
		unicode.Is(unicode.Zs, r) && r != 0x1680 || harfbuzz.IsDefaultIgnorable(r)
}
