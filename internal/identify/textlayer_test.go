package identify

import (
	"strings"
	"testing"
)

// TestReadsAsText: a PDF's text layer is identified by its words when it has enough of them
// and they are most of what it holds; the layer of glyph codes Ghostscript writes for a letter
// printed again to PDF (its Type 3 fonts without maps to Unicode) is read as a scan instead.
func TestReadsAsText(t *testing.T) {
	letter := strings.Repeat("In the coming weeks Task Force North will reposition several units, at a cost of €1,200,000 (-15%). ", 3)
	for _, c := range []struct {
		name, text string
		reads      bool
	}{
		{"a letter", letter, true},
		{"a letter in Arabic", strings.Repeat("تعلن قوة المهام الشمالية أنها ستعيد نشر عدة وحدات بين قواعدها. ", 4), true},
		{"a letter in Chinese", strings.Repeat("北方特遣部队将在未来几周内重新部署若干单位。", 3), true},
		{"a scanner's stamp", "Scanned by OfficeJet 2026-12-06", false},
		{"glyph codes (Ghostscript's re-save of a released letter)", strings.Repeat("!\"#$%&'()$*&'+,$-.(+/&0!12\n!\"!#!$%!&'()*+,-,.+-----/\n.'0!%!12!#',-,.\n(3&'45$567#8'3\"'0!\"!$%!9' !:;2<5%'3\"'=3#>?<5?\n", 3), false},
	} {
		if got := ReadsAsText(c.text); got != c.reads {
			t.Errorf("%s: ReadsAsText = %v, want %v", c.name, got, c.reads)
		}
	}
}
