package pdf

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"
)

// TestNum: num formats as strconv does the number rounded to three decimals, without "-0".
func TestNum(t *testing.T) {
	want := func(v float64) string {
		s := strconv.FormatFloat(math.Round(v*1000)/1000, 'f', -1, 64)
		if s == "-0" {
			return "0"
		}
		return s
	}
	vals := []float64{0, -0.0001, 0.0005, -0.0005, 1, -1, 0.1, 0.01, 0.001, 1.2345, 841.89, -12.5, 595.276, 999.9995, 1e15, -3e17}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		vals = append(vals, (rng.Float64()-0.5)*2000, (rng.Float64()-0.5)*2e6)
	}
	for _, v := range vals {
		if got := num(v); got != want(v) {
			t.Fatalf("num(%v) = %q, want %q", v, got, want(v))
		}
	}
}

// TestFooterFits: in any order of one to three stamp languages, the footer stays below the
// text of a letter laid out by Chancery (above the bottom margin of its pages).
func TestFooterFits(t *testing.T) {
	sh, err := getShaper()
	if err != nil {
		t.Fatal(err)
	}
	defer putShaper(sh)
	released := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC) // the longest month names
	var orders [][]string
	codes := []string{"en", "fr", "ar"}
	for _, a := range codes {
		orders = append(orders, []string{a})
		for _, b := range codes {
			if b == a {
				continue
			}
			orders = append(orders, []string{a, b})
			for _, c := range codes {
				if c != a && c != b {
					orders = append(orders, []string{a, b, c})
				}
			}
		}
	}
	for _, langs := range orders {
		lay, err := layFooter(sh, Footer{Office: "Task Force North", Reference: "TFN-2026-000042", Released: released,
			VerifyURL: "https://registry.tfn.example/v/TFN-2026-000042/ABCD-EFGH", Languages: langs})
		if err != nil {
			t.Fatal(err)
		}
		if top := footerRise + lay.h*ptPerMM; top > marginBottom*ptPerMM {
			t.Errorf("%v: the footer reaches %.1f pt up the page, into the text above %.1f pt", langs, top, marginBottom*ptPerMM)
		}
		t.Logf("%v: %.1f mm", langs, lay.h)
	}
}
