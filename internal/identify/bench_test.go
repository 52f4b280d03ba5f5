package identify_test

import (
	"strings"
	"testing"

	"github.com/chancery/chancery/internal/identify"
	"github.com/chancery/chancery/internal/identify/synth"
)

func BenchmarkCompute(b *testing.B) {
	c := synth.Corpus{Seed: 1, FamilySize: 6}
	texts := make([]string, 100)
	for i := range texts {
		texts[i] = c.Letter(i).Text()
	}
	for i := 0; b.Loop(); i++ {
		identify.Compute(texts[i%len(texts)])
	}
}

// BenchmarkComputePersian is Compute over a Persian letter of about 2,000 words whose words
// keep letters apart with zero-width non-joiners, as Persian is written (items 643 to 651).
func BenchmarkComputePersian(b *testing.B) {
	const para = "با سلام، به استحضار می\u200cرساند که نشست هماهنگی روز دوشنبه برگزار خواهد شد و گزارش\u200cها پیش از آن ارسال می\u200cشوند. " +
		"همکاران ما در سفارت آماده\u200cاند تا پرسش\u200cهای شما را پاسخ دهند و جدول زمانی را تا پایان ماه آینده تنظیم کنند.\n"
	text := strings.Repeat(para, 50)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		identify.Compute(text)
	}
}

// BenchmarkComputeFinding is Compute with the search for a draft's banner in the same pass
// (ComputeFinding), over BenchmarkCompute's letters, none of which carries one: against
// BenchmarkCompute, what the search adds to every identification.
func BenchmarkComputeFinding(b *testing.B) {
	c := synth.Corpus{Seed: 1, FamilySize: 6}
	texts := make([]string, 100)
	for i := range texts {
		texts[i] = c.Letter(i).Text()
	}
	banners := identify.NewPhrases("DRAFT — NOT AN OFFICIAL DOCUMENT", "DRAFT PREVIEW — NOT AN OFFICIAL DOCUMENT",
		"PROJET — DOCUMENT NON OFFICIEL", "APERÇU DE PROJET — DOCUMENT NON OFFICIEL", "مسودة — ليست وثيقة رسمية", "معاينة مسودة — ليست وثيقة رسمية")
	for i := 0; b.Loop(); i++ {
		if _, found := identify.ComputeFinding(texts[i%len(texts)], banners); found {
			b.Fatal("a banner found in a letter without one")
		}
	}
}

// BenchmarkIndexRead is the filling of an index with 100,000 letters, as a server's start
// reads them (Index.Load) against one at a time (Index.Add): 2,000 distinct synthetic
// letters, each indexed under 50 ids.
func BenchmarkIndexRead(b *testing.B) {
	c := synth.Corpus{Seed: 1, FamilySize: 6}
	fps := make([]*identify.Fingerprint, 2000)
	for i := range fps {
		fps[i] = identify.Compute(c.Letter(i).Text())
	}
	const letters = 100_000
	b.Run("Add", func(b *testing.B) {
		for b.Loop() {
			ix := identify.NewIndex()
			for i := range letters {
				if err := ix.Add(uint64(i+1), fps[i%len(fps)]); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("Load", func(b *testing.B) {
		for b.Loop() {
			ix := identify.NewIndex()
			l := ix.Load()
			for i := range letters {
				if err := l.Add(uint64(i+1), fps[i%len(fps)]); err != nil {
					b.Fatal(err)
				}
			}
			l.Done()
		}
	})
}
