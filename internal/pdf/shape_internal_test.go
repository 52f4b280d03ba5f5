package pdf

import (
	"reflect"
	"testing"

	"github.com/go-text/typesetting/di"
)

// TestArabicJoined checks that an Arabic word is drawn with its joined forms: the shaped
// glyphs of "بيت" differ from the glyphs of its letters shaped one by one (isolated forms),
// and from the font's nominal glyphs for those characters.
func TestArabicJoined(t *testing.T) {
	s, err := getShaper()
	if err != nil {
		t.Fatal(err)
	}
	defer putShaper(s)
	word := "بيت"
	p := s.shape([]span{{word, regular}}, 11)
	if len(p.runs) != 1 || p.runs[0].Direction.Progression() != di.TowardTopLeft {
		t.Fatalf("runs %+v, want one right-to-left run", p.runs)
	}
	joined := map[uint32]bool{}
	for _, g := range p.runs[0].Glyphs {
		joined[uint32(g.GlyphID)] = true
	}
	face := p.runs[0].Face
	for _, r := range word {
		iso := s.shape([]span{{string(r), regular}}, 11).runs[0].Glyphs[0].GlyphID
		nominal, _ := face.NominalGlyph(r)
		if iso != nominal {
			t.Errorf("%c alone: glyph %d, want the nominal %d", r, iso, nominal)
		}
		// Initial, medial and final forms: the joined word shows none of the isolated forms.
		if joined[uint32(iso)] {
			t.Errorf("%c keeps its isolated form %d in the joined word", r, iso)
		}
	}
}

// TestShapeKept checks that a kept shaping is the shaping (in a right-to-left script and at a
// size that is not whole), that it is kept, and that changing what one caller was given
// changes nothing another is given.
func TestShapeKept(t *testing.T) {
	s, err := getShaper()
	if err != nil {
		t.Fatal(err)
	}
	defer putShaper(s)
	for _, sp := range []span{{"Official letter, released 3 December 2026", regular}, {"بيت الحكمة", bold}} {
		want := s.shape([]span{sp}, 8.5)
		first := s.shapeKept(sp, 8.5)
		if _, ok := s.kept[keptKey{sp.text, sp.st, 8.5}]; !ok {
			t.Fatalf("%q: not kept", sp.text)
		}
		if !reflect.DeepEqual(first, want) {
			t.Fatalf("%q: kept shaping differs from shaping", sp.text)
		}
		for i := range first.runs {
			for j := range first.runs[i].Glyphs {
				first.runs[i].Glyphs[j].GlyphID = 0
				first.runs[i].Glyphs[j].Advance = 0
			}
		}
		if again := s.shapeKept(sp, 8.5); !reflect.DeepEqual(again, want) {
			t.Fatalf("%q: a caller's change reached the kept shaping", sp.text)
		}
	}
}
