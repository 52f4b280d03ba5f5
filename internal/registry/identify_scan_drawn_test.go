package registry

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
)

// TestIdentifyScanDrawnOver: a scanner's PDF was read from its pictures, so what a forger
// drew over a picture went unseen: the genuine letter's scan with a white box over its
// figure 277,200 and 877,200 written in its place read as the letter, valid, while every
// reader of the file sees 877,200. A page that shows more than its picture is read as it
// shows (rendered): the copy is altered, and its difference names the figure.
func TestIdentifyScanDrawnOver(t *testing.T) {
	t.Parallel() // as TestIdentifyScan
	reader := ocrtest.Reader(t)
	ctx := context.Background()
	o := newOffice(t)
	o.fixedCheckCodes()
	body := "The ministry pays 277,200 to the contractor.\n\n" + synth.Corpus{Seed: 40, FamilySize: 1}.Letter(0).Text()
	ref, rel := o.released(t, body)
	pages := ocrtest.Pages(t, rel.File, 150)
	height := float64(pages[0].Bounds().Dy()) * 72 / 150
	x0, y0, x1, y1 := wordBox(t, rel.File, "277,200")
	// 877,200 in Helvetica is 3.614 em wide: scaled across to the width of the figure it
	// replaces, over a white box that hides it.
	size := y1 - y0
	over := fmt.Sprintf("q 1 g %.2f %.2f %.2f %.2f re f Q BT 0 g /F0 %.2f Tf %.2f Tz %.2f %.2f Td (877,200) Tj ET\n",
		x0-0.5, height-y1-0.5, x1-x0+1, y1-y0+1, size, 100*(x1-x0)/(3.614*size), x0, height-y1+0.2*size)

	for _, drawn := range []bool{false, true} {
		var doc []byte
		if drawn {
			doc = ocrtest.PicturesPDF(t, pages, 150, map[int]ocrtest.Over{0: {Draw: over}})
		} else {
			doc = ocrtest.PicturesPDF(t, pages, 150, nil)
		}
		scan, err := reader.Read(ctx, doc)
		if err != nil {
			t.Fatal(err)
		}
		got, err := o.r.IdentifyScan(ctx, o.reviewer, scan)
		if err != nil {
			t.Fatal(err)
		}
		if !drawn {
			if got.Outcome != Valid || got.Reference != ref {
				t.Errorf("the scan as scanned: %s %s (%s): %s", got.Outcome, got.Reference, got.Match, got.Message)
			}
			continue
		}
		if got.Outcome != Altered || got.Reference != ref || !strings.Contains(fmt.Sprint(got.Diff), "877") {
			t.Errorf("the scan with a figure drawn over its picture: %s %s (%s): %s\ndiff: %+v", got.Outcome, got.Reference, got.Match, got.Message, got.Diff)
		}
	}
}

// wordBox returns where the first page of doc shows word, in points from its top left
// corner, as pdftotext -bbox reads it.
func wordBox(t *testing.T, doc []byte, word string) (x0, y0, x1, y1 float64) {
	t.Helper()
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", "-f", "1", "-l", "1", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	m := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">` + regexp.QuoteMeta(word) + `</word>`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("%q is not on the first page", word)
	}
	var v [4]float64
	for i := range v {
		v[i], _ = strconv.ParseFloat(string(m[i+1]), 64)
	}
	return v[0], v[1], v[2], v[3]
}
