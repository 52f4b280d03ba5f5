package pdf

import (
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
