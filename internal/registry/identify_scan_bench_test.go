package registry

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
)

// BenchmarkScanAnswers measures how often a scan is answered wrongly, over b.N letters
// released one after another (each with its own check code and QR code): the genuine letter
// printed and scanned (ocrtest.Scan: turned half a degree, specks, JPEG; at 150 dpi, and at
// 300 dpi, an office scanner's default, in the sub-benchmark 300dpi) must be
// valid, and a forger's copy of it with one figure changed (its first figure of three digits or
// more, a digit raised by one), laid out and stamped as the office did, then scanned the same
// way, must be altered; and the genuine letter whose QR code (on its first page) leads to
// another site, its footer unchanged, must be altered with that code named. It reports the
// share of genuine scans answered otherwise (false-altered), of forged ones not answered
// altered (forged-passed), of copies with the forger's QR code not answered so
// (phished-passed), of those answered valid without the warning that the scan's codes were
// not all read (phished-unwarned: the forger's code, unread, went unjudged and unflagged),
// and of genuine scans on which the letter's own QR code was not read (code-unread); seconds per letter are mostly Tesseract's.
//
//	go test -run '^$' -bench 'ScanAnswers$' -benchtime 30x ./internal/registry/
//	go test -run '^$' -bench 'ScanAnswers/300dpi' -benchtime 30x ./internal/registry/
//
// (The first command is the one this benchmark was first run with, before it had
// sub-benchmarks: it now runs both.)
func BenchmarkScanAnswers(b *testing.B) {
	for _, dpi := range []int{150, 300} {
		b.Run(fmt.Sprintf("%ddpi", dpi), func(b *testing.B) { scanAnswers(b, dpi) })
	}
}

func scanAnswers(b *testing.B, dpi int) {
	reader := ocrtest.Reader(b)
	ctx := context.Background()
	o := newOffice(b)
	figure := regexp.MustCompile(`\b[0-9]{3,}`)
	wrong, passed, phished, unwarned, unread, n := 0, 0, 0, 0, 0, 0
	for i := 0; b.Loop(); i++ {
		text := synth.Corpus{Seed: 24, FamilySize: 1}.Letter(i).Text()
		ref, rel := o.released(b, text)
		pages := ocrtest.Pages(b, rel.File, dpi)
		genuine := ocrtest.ReadImages(b, reader, pages, 0.5, uint64(i))
		got, err := o.r.IdentifyScan(ctx, Actor{}, genuine)
		if err != nil {
			b.Fatal(err)
		}
		if got.Outcome != Valid || got.Reference != ref {
			wrong++
		}
		if !slices.Contains(genuine.Codes, o.r.VerifyURL(ref, rel.CheckCode)) {
			unread++
		}
		phishing := "https://tfn-verify.example/v/" + ref + "/" + rel.CheckCode
		pages[0] = ocrtest.ReplaceQRCode(b, pages[0], phishing)
		if got, err = o.r.IdentifyScan(ctx, Actor{}, ocrtest.ReadImages(b, reader, pages, 0.5, uint64(i))); err != nil {
			b.Fatal(err)
		}
		if got.Outcome != Altered || !slices.Equal(got.ForeignCodes, []string{phishing}) {
			phished++
			if got.Outcome == Valid && !strings.Contains(got.Message, "follow none") {
				unwarned++
			}
		}
		at := figure.FindStringIndex(text)
		if at == nil {
			b.Fatalf("letter %d has no figure to change", i)
		}
		d := text[at[1]-1]
		changed := text[:at[1]-1] + string('0'+(d-'0'+1)%10) + text[at[1]:]
		forged := ocrtest.ReadAt(b, reader, o.forgedCopy(b, ref, rel, changed), dpi, 0.5, uint64(i))
		if got, err = o.r.IdentifyScan(ctx, Actor{}, forged); err != nil {
			b.Fatal(err)
		}
		if got.Outcome != Altered {
			passed++
		}
		n++
	}
	b.ReportMetric(float64(wrong)/float64(n), "false-altered")
	b.ReportMetric(float64(passed)/float64(n), "forged-passed")
	b.ReportMetric(float64(phished)/float64(n), "phished-passed")
	b.ReportMetric(float64(unwarned)/float64(n), "phished-unwarned")
	b.ReportMetric(float64(unread)/float64(n), "code-unread")
}
