package jsonbody

import (
	"net/http/httptest"
	"strings"
	"testing"
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
