package jsonbody

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"
)

// TestDecodeNames: Decode refuses a name given twice in one object (at any depth,
// compared as encoding/json matches names: regardless of case) and a field named otherwise
// than its tag spells it; names given once, as spelt, pass.
func TestDecodeNames(t *testing.T) {
	type inner struct {
		Salt string `json:"salt"`
	}
	decode := func(body string) error {
		var v struct {
			By      string   `json:"by"`
			Opening *inner   `json:"opening"`
			Tags    []string `json:"tags"`
		}
		r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		return Decode(httptest.NewRecorder(), r, 1<<20, &v)
	}
	for _, body := range []string{
		`{"by":"a","by":"b"}`,
		`{"by":"a","BY":"b"}`,
		`{"By":"a"}`,
		`{"opening":{"salt":"a","salt":"b"}}`,
		`{"opening":{"Salt":"a"}}`,
		`{"tags":["x"],"opening":{"salt":"a"},"tags":[]}`,
		`{"by":"a","opening":{"salt":"a"},"by":"b"}`,
	} {
		if err := decode(body); err == nil {
			t.Errorf("%s: accepted, want a bad request", body)
		}
	}
	for _, body := range []string{
		`{}`, `{"by":"a"}`, `{"by":"a","opening":{"salt":"x"},"tags":["by","by"]}`, `{"opening":null,"tags":[]}`,
		`{"by":"salt","opening":{"salt":"by"}}`,
	} {
		if err := decode(body); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// TestFoldKeyIsEqualFold: two names have one foldKey exactly when strings.EqualFold takes them
// for one, over every pair of runes of one folding orbit and its neighbours (Kelvin sign,
// long s, Greek sigmas and the like included), and over invalid UTF-8.
func TestFoldKeyIsEqualFold(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		others := []rune{r + 1, unicode.ToUpper(r), unicode.ToLower(r), unicode.ToTitle(r)}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			others = append(others, f)
		}
		for _, o := range others {
			a, b := "x"+string(r), "X"+string(o)
			if (foldKey(a) == foldKey(b)) != strings.EqualFold(a, b) {
				t.Fatalf("%U and %U: foldKey equal %v, EqualFold %v", r, o, foldKey(a) == foldKey(b), strings.EqualFold(a, b))
			}
		}
	}
	if foldKey("a\xff") != foldKey("A\xfe") || !strings.EqualFold("a\xff", "A\xfe") {
		t.Error("invalid UTF-8: foldKey and EqualFold disagree")
	}
}

// manyNames is a JSON object of distinct names, about size bytes long.
func manyNames(size int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; b.Len() < size-32; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"n%x":1`, i)
	}
	b.WriteString(`,"N0":1}`)
	return b.String()
}

// TestManyNamesOneRepeated: the last of a hundred thousand names repeats the first in
// another case, and is found.
func TestManyNamesOneRepeated(t *testing.T) {
	err := checkNames([]byte(manyNames(1<<20)), map[string]bool{})
	if err == nil || !strings.Contains(err.Error(), `"N0" twice`) {
		t.Fatalf("got %v, want the repeated N0 refused", err)
	}
}

// BenchmarkCheckNamesMegabyte: a body of the API's largest size, every name distinct but
// the last. Comparing each name with every earlier one took 18.8 s of processor time for it
// (thirty-eighth session); looked up by foldKey it takes a few tens of milliseconds.
func BenchmarkCheckNamesMegabyte(b *testing.B) {
	body := []byte(manyNames(1 << 20))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if checkNames(body, map[string]bool{}) == nil {
			b.Fatal("the repeated name was not found")
		}
	}
}
