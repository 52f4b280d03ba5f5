package jsonbody

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
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
			Items   []inner  `json:"items"`
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
		`{"items":[{"salt":"a"},{"salt":"a","SALT":"b"}]}`,
		`{"items":[{"salt":"a"}],"opening":{"salt":"b"},"items":[]}`,
		`{"items":[{"salt":"a"}],"by":"x","By":"y"}`,
	} {
		if err := decode(body); err == nil {
			t.Errorf("%s: accepted, want a bad request", body)
		}
	}
	for _, body := range []string{
		`{}`, `{"by":"a"}`, `{"by":"a","opening":{"salt":"x"},"tags":["by","by"]}`, `{"opening":null,"tags":[]}`,
		`{"by":"salt","opening":{"salt":"by"}}`,
		`{"items":[{"salt":"a"},{"salt":"b"},{}],"opening":{"salt":"c"},"by":"d"}`,
	} {
		if err := decode(body); err != nil {
			t.Errorf("%s: %v", body, err)
		}
	}
}

// TestDecodeText: encoding/json reads invalid UTF-8 and an escaped half of a surrogate pair
// alone as U+FFFD, without a word, where other readers refuse the first and keep the second,
// and a body declared in another charset was read as UTF-8: a subject, a reason or a comment
// was stored otherwise than the client that sent it read it. Such bodies are refused; a
// whole pair, and what only looks like an escape, pass as they are.
func TestDecodeText(t *testing.T) {
	decode := func(body, ctype string) (string, error) {
		var v struct {
			Reason string `json:"reason"`
		}
		r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
		r.Header.Set("Content-Type", ctype)
		err := Decode(httptest.NewRecorder(), r, 1<<20, &v)
		return v.Reason, err
	}
	for _, c := range []struct{ body, ctype string }{
		{"{\"reason\":\"caf\xe9\"}", "application/json"},
		{"{\"reason\":\"a\xff\"}", ""},
		{"{\"reason\xc3\":\"a\"}", "application/json"},
		{`{"reason":"\ud800"}`, "application/json"},
		{`{"reason":"\uDC00"}`, "application/json"},
		{`{"reason":"\ud83d x"}`, "application/json"},
		{`{"reason":"\ud83d\u0041"}`, "application/json"},
		{`{"reason":"\ud83d\ud83d\ude00"}`, "application/json"},
		{`{"reason":"\"\ud800"}`, "application/json"},
		{`{"reason":"\\\ud800"}`, "application/json"},
		{`{"reason":"x"}`, "application/json; charset=iso-8859-1"},
		{`{"reason":"x"}`, "application/json; charset=utf-16"},
	} {
		if got, err := decode(c.body, c.ctype); err == nil {
			t.Errorf("%q (%s): accepted as %q, want a bad request", c.body, c.ctype, got)
		}
	}
	for body, want := range map[string]string{
		`{"reason":"\ud83d\ude00"}`:             "\U0001F600",
		`{"reason":"\uD83D\uDE00!"}`:            "\U0001F600!",
		`{"reason":"\\ud800"}`:                  `\ud800`,
		`{"reason":"\u00e9\u0041"}`:             "éA",
		"{\"reason\":\"café\"}":                 "café",
		`{"reason":"\"\\"}`:                     `"\`,
		`{"reason":"\ud83d\ude00\ud83d\ude00"}`: "\U0001F600\U0001F600",
	} {
		for _, ctype := range []string{"application/json", "application/json; charset=UTF-8", ""} {
			if got, err := decode(body, ctype); err != nil || got != want {
				t.Errorf("%s (%s): %q, %v; want %q", body, ctype, got, err, want)
			}
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

// TestDecodeCostOfAMegabyte: bodies of the API's largest size that a decoder refuses or reads
// cheaply cost the strict reader a second of processor time and up to 95 MB each: checkNames
// read them token by token (json.Decoder.Token boxes every value and parses every number),
// and nesting had no bound of its own, so 1 MiB of {"a": was read to its end before the
// decoder refused it at 10,000 levels. Each is now read in a few megabytes; nesting past 64
// levels is refused.
func TestDecodeCostOfAMegabyte(t *testing.T) {
	const size = 1 << 20
	for name, body := range map[string]string{
		"open objects":   strings.Repeat(`{"a":`, size/5-10),
		"closed objects": strings.Repeat(`{"a":`, 100) + "1" + strings.Repeat("}", 100),
		"numbers":        `{"digest":[` + strings.Repeat(`1,`, size/2-10) + `1]}`,
		"empty objects":  `{"digest":[` + strings.Repeat(`{},`, size/3-10) + `1]}`,
		"names":          `{"digest":[` + strings.Repeat(`{"a":1},`, size/8-10) + `1]}`,
	} {
		var v struct {
			Digest string `json:"digest"`
		}
		r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := Decode(httptest.NewRecorder(), r, size, &v)
		runtime.ReadMemStats(&after)
		allocs := after.TotalAlloc - before.TotalAlloc
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if allocs > 16<<20 {
			t.Errorf("%s: %d MB allocated to refuse %d bytes (%v)", name, allocs>>20, len(body), err)
		}
		if name == "closed objects" && (err == nil || !strings.Contains(err.Error(), "deeper than 64")) {
			t.Errorf("%s: %v, want nesting refused past 64 levels", name, err)
		}
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

// fuzzBody is a value of the API's kind: strings, numbers, flags, a nested object and a list.
type fuzzBody struct {
	Version string   `json:"version"`
	N       int64    `json:"n"`
	Latest  bool     `json:"latest"`
	Tags    []string `json:"tags"`
	Opening *struct {
		Salt string `json:"salt"`
	} `json:"opening"`
}

// FuzzDecode: whatever the body, Decode neither panics nor accepts what a strict reader would
// read otherwise: an accepted body is valid JSON in UTF-8, gives no name twice in one object
// (compared pairwise, as strings.EqualFold does), escapes no half of a surrogate pair alone
// (every string decoded is the same in UTF-16 and back), and what it decoded, written again,
// is read back as the same value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"version":"a","n":1,"latest":true,"tags":["x"],"opening":{"salt":"s"}}`,
		`{"version":"a","Version":"b"}`, `{"tags":["\ud83d\ude00"]}`, `{"version":"\ud800"}`, "{\"version\":\"\xff\"}",
		`{"n":1e400}`, `{"opening":{"salt":"a","salt":"b"}}`, `[]`, `null`, `{"version":"a"} x`, `{"version":"\\\ud800"}`} {
		f.Add(s)
	}
	decode := func(body string) (fuzzBody, error) {
		var v fuzzBody
		r := httptest.NewRequest("POST", "/x", strings.NewReader(body))
		return v, Decode(httptest.NewRecorder(), r, 1<<20, &v)
	}
	f.Fuzz(func(t *testing.T, body string) {
		v, err := decode(body)
		if err != nil {
			return
		}
		if !json.Valid([]byte(body)) || !utf8.ValidString(body) {
			t.Fatalf("%q accepted: not valid JSON in UTF-8", body)
		}
		dec := json.NewDecoder(strings.NewReader(body))
		var names [][]string // per open object, its names; nil for an array
		wantName := false
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			if s, ok := tok.(string); ok {
				if string(utf16.Decode(utf16.Encode([]rune(s)))) != s || strings.ContainsRune(s, utf8.RuneError) && !strings.Contains(strings.ToLower(body), `\ufffd`) && !strings.ContainsRune(body, utf8.RuneError) {
					t.Fatalf("%q accepted: the string %q was not in the body", body, s)
				}
			}
			n := len(names)
			if d, ok := tok.(json.Delim); ok {
				switch d {
				case '{':
					names, wantName = append(names, []string{}), true
				case '[':
					names, wantName = append(names, nil), false
				default:
					names = names[:n-1]
					wantName = len(names) > 0 && names[len(names)-1] != nil
				}
				continue
			}
			if n > 0 && names[n-1] != nil && wantName {
				name := tok.(string)
				for _, earlier := range names[n-1] {
					if strings.EqualFold(earlier, name) {
						t.Fatalf("%q accepted: %q and %q in one object", body, earlier, name)
					}
				}
				names[n-1] = append(names[n-1], name)
				wantName = false
				continue
			}
			wantName = n > 0 && names[n-1] != nil
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		w, err := decode(string(again))
		if err != nil || !reflect.DeepEqual(v, w) {
			t.Fatalf("%q accepted as %+v; written again as %s it reads %+v, %v", body, v, again, w, err)
		}
	})
}

// TestNamesPastFew: an object's names are compared one by one while few, then by foldKey; a
// name repeated (in another case) is found on either side of the change, and sibling objects
// at one depth, which share their level's memory, each start with no names.
func TestNamesPastFew(t *testing.T) {
	for n := 1; n <= 2*fewNames+2; n++ {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf(`"n%d":1`, i))
		}
		object := "{" + strings.Join(parts, ",") + "}"
		if err := checkNames([]byte("["+object+","+object+"]"), map[string]bool{}); err != nil {
			t.Fatalf("two objects of %d names: %v", n, err)
		}
		for rep := range n {
			body := "{" + strings.Join(parts, ",") + fmt.Sprintf(`,"N%d":2}`, rep)
			if err := checkNames([]byte(body), map[string]bool{}); err == nil {
				t.Fatalf("%d names, then the %dth again: accepted", n, rep+1)
			}
		}
	}
}
