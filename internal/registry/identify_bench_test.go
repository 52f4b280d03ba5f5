package registry

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/identify/synth"
	"github.com/chancery/chancery/internal/ocr"
	"github.com/chancery/chancery/internal/ocr/ocrtest"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/textract"
)

// BenchmarkIdentify measures Identify through the registry: fingerprinting the query, the
// index's candidates, their fingerprints read from SQLite, scoring, and the matches' letters
// and states read from the store. It reports p50 and p99 over the queries run.
//
//	go test -run '^$' -bench Identify -benchtime 2000x ./internal/registry/
func BenchmarkIdentify(b *testing.B) {
	const letters = 3000
	ctx := context.Background()
	o := newOffice(b)
	corpus := synth.Corpus{Seed: 11, FamilySize: 6}
	start := time.Now()
	for i := range letters {
		if _, err := o.r.CreateLetter(ctx, o.drafter, NewLetter{Subject: "S", Class: "routine", Addressees: []string{"A"},
			File: Upload{Name: "letter.txt", Data: []byte(corpus.Letter(i).Text())}}); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d letters stored and indexed in %v", letters, time.Since(start))
	rng := rand.New(rand.NewPCG(1, 2))
	var lat []time.Duration
	for b.Loop() {
		l := corpus.Letter(rng.IntN(letters))
		q := synth.Edit(rng, l.Text(), 0.10)
		if rng.IntN(2) == 0 {
			q = synth.Excerpt(rng, l, 50)
		}
		t := time.Now()
		if _, err := o.r.Identify(ctx, o.reviewer, q); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkIdentifyReleased measures Identify of released letters' texts, the answers that
// are compared sign for sign with the letter's own texts (SameText, Quotes) before they say
// valid: half the queries a letter's whole text, half a quotation of its words.
//
//	go test -run '^$' -bench IdentifyReleased -benchtime 400x ./internal/registry/
func BenchmarkIdentifyReleased(b *testing.B) {
	const letters = 20
	ctx := context.Background()
	o := newOffice(b)
	corpus := synth.Corpus{Seed: 12, FamilySize: 1}
	texts := make([]string, letters)
	for i := range texts {
		// Three synthetic letters make one long enough for a quotation to be an excerpt.
		texts[i] = corpus.Letter(3*i).Text() + "\n\n" + corpus.Letter(3*i+1).Text() + "\n\n" + corpus.Letter(3*i+2).Text()
		o.released(b, texts[i])
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var lat []time.Duration
	for b.Loop() {
		q := texts[rng.IntN(letters)]
		if rng.IntN(2) == 0 {
			words := strings.Fields(q)
			at := rng.IntN(len(words) - 60)
			q = strings.Join(words[at:at+60], " ")
		}
		t := time.Now()
		id, err := o.r.Identify(ctx, Actor{}, q)
		if err != nil {
			b.Fatal(err)
		}
		if id.Outcome != Valid {
			b.Fatalf("%s (%s): %s", id.Outcome, id.Match, id.Message)
		}
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkIdentifyFile measures what a PDF upload costs to identify: its text layer alone
// (Identify, what was answered before its pages were read), the text its pages show as
// pdftotext reads it (Identify through shownMatch), the released file itself
// (IdentifyFile by its digest, not read), and a copy whose pages are read by OCR (IdentifyFile
// with ocr.Reader.ReadPages: pdftoppm and Tesseract, a page at a time).
func BenchmarkIdentifyFile(b *testing.B) {
	reader := ocrtest.Reader(b)
	ctx := context.Background()
	o := newOffice(b)
	_, rel := o.released(b, synth.Corpus{Seed: 31, FamilySize: 1}.Letter(0).Text())
	layer, err := textract.Text("application/pdf", rel.File)
	if err != nil {
		b.Fatal(err)
	}
	covered := ocrtest.CoveredPDF(b, ocrtest.Pages(b, rel.File, 150), 150, layer)
	shown, err := ocr.VisibleText(ctx, rel.File)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		ask   func() (*Identification, error)
		pages int
	}{
		{"text-layer", func() (*Identification, error) { return o.r.Identify(ctx, Actor{}, layer) }, 0},
		{"shown-text", func() (*Identification, error) { return o.r.Identify(ctx, Actor{}, shown) }, 0},
		{"released-file", func() (*Identification, error) {
			return o.r.IdentifyFile(ctx, Actor{}, layer, seal.DigestOf(rel.File), nil)
		}, 0},
		{"pages-read", func() (*Identification, error) {
			return o.r.IdentifyFile(ctx, Actor{}, layer, seal.DigestOf(covered), func(ctx context.Context) (ocr.Reading, error) { return reader.ReadPages(ctx, covered) })
		}, len(ocrtest.Pages(b, covered, 72))},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				id, err := c.ask()
				if err != nil || id.Outcome != Valid {
					b.Fatalf("%+v, %v", id, err)
				}
			}
			if c.pages > 0 {
				b.ReportMetric(float64(c.pages), "pages")
			}
		})
	}
}
