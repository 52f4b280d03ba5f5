package pdf

import (
	"bytes"
	"strings"
	"testing"
)

// TestLongParagraphLaidOutInParts: a line longer than maxShaped characters, laid out a part
// at a time, gives the same letter as laid out whole, in Latin, Arabic and mixed text, in
// plain text and Markdown (its emphasis spans cut across parts, in a list item). A word
// longer than maxUnbroken across a part's end is cut at other places, and all its letters
// are still shown.
func TestLongParagraphLaidOutInParts(t *testing.T) {
	h := Letterhead{Office: "Task Force North", Reference: "TFN-2026-0042", Subject: "Parts"}
	for name, c := range map[string]struct{ mediaType, body string }{
		"Latin":    {"text/plain", strings.Repeat("The convoy leaves at dawn, 12 trucks. ", 900)},
		"Arabic":   {"text/plain", strings.Repeat("تغادر القافلة عند الفجر، ١٢ شاحنة. ", 900)},
		"mixed":    {"text/plain", strings.Repeat("Convoy القافلة 12 trucks شاحنة. ", 900)},
		"Markdown": {"text/markdown", "- " + strings.Repeat("The *convoy* leaves at **dawn**. ", 900) + "\n- next\n"},
	} {
		whole, err := Render(c.mediaType, []byte(c.body), h)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		maxShaped = 1000
		parts, err := Render(c.mediaType, []byte(c.body), h)
		maxShaped = 1 << 16
		if err != nil {
			t.Fatalf("%s in parts: %v", name, err)
		}
		if !bytes.Equal(whole, parts) {
			t.Errorf("%s: laid out in parts of 1,000 characters, the letter differs (%d bytes, %d whole)", name, len(parts), len(whole))
		}
	}
	body := strings.Repeat("word ", 300) + strings.Repeat("x", 9000) + strings.Repeat(" word", 300)
	maxShaped = 1000
	r, err := layOut("text/plain", []byte(body), h, true)
	maxShaped = 1 << 16
	if err != nil {
		t.Fatal(err)
	}
	text := r.d.text()
	r.output()
	if x, w := strings.Count(text, "x"), strings.Count(text, "word"); x != 9000 || w != 600 {
		t.Errorf("a long word across parts: the letter shows %d letters x of 9,000 and %d words of 600", x, w)
	}
}
