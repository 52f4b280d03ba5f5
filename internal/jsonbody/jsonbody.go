// Package jsonbody reads the JSON bodies of API requests strictly: one reading of a body, the
// same for every reader. encoding/json alone keeps the last of two values given one name,
// matches names whatever their case, and passes over trailing data, so a body could be read
// one way by Chancery and another by a proxy, a log or a client that checks what it sent.
package jsonbody

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"unicode"
)

// Decode reads a strict JSON request body into v: of at most max bytes, with only v's fields,
// each named once and as spelt (checkNames), and nothing after the value. Every error it
// returns is the request's: the caller answers 400 Bad Request.
func Decode(w http.ResponseWriter, r *http.Request, max int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "application/json" {
			return fmt.Errorf("Content-Type must be application/json, not %q", mt)
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return fmt.Errorf("the JSON body is larger than %d bytes", max)
		}
		return fmt.Errorf("reading the JSON body: %w", err)
	}
	if err := checkNames(body, fieldNames(reflect.TypeOf(v))); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("malformed JSON body: %w", err)
	}
	// Only white space may follow the value. (Decoder.More is no test of that: it reports
	// false at "]" and "}" as at the end of the input.)
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("trailing data after the JSON body")
	}
	return nil
}

// checkNames refuses a JSON body whose objects give a name twice, or give a field's name
// otherwise than as spelt (names, the fields' names of the value decoded): encoding/json keeps
// the last of two values and matches names whatever their case, so {"version": A,
// "Version": ""} would be decoded as no version, while a reader that takes names as written,
// or keeps the first, sees version A. Names are compared as encoding/json matches them.
// Malformed JSON is left to the decoder to report.
func checkNames(body []byte, names map[string]bool) error {
	type object struct {
		names   map[string]bool // foldKey of each name given
		wantKey bool
	}
	var open []*object // nil for an array
	valueDone := func() {
		if n := len(open); n > 0 && open[n-1] != nil {
			open[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // the end, or malformed: the decoder says which
		}
		if n := len(open); n > 0 && open[n-1] != nil && open[n-1].wantKey {
			o := open[n-1]
			name, ok := tok.(string)
			if !ok { // the object's end
				open = open[:n-1]
				valueDone()
				continue
			}
			key := foldKey(name)
			if o.names[key] {
				return fmt.Errorf("the JSON body gives %q twice in one object", name)
			}
			if !names[name] {
				for known := range names {
					if strings.EqualFold(known, name) {
						return fmt.Errorf("the JSON body names %q, which is spelt %q", name, known)
					}
				}
			}
			o.names[key], o.wantKey = true, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			open = append(open, &object{names: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			open = append(open, nil)
		case json.Delim(']'):
			open = open[:len(open)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// foldKey returns s with each rune replaced by the least rune of its case-folding orbit
// (unicode.SimpleFold), so that foldKey(a) == foldKey(b) exactly when strings.EqualFold(a, b).
// checkNames looks names up by it: comparing each name with every earlier one took a body of
// a megabyte of distinct names about twenty seconds of processor time.
func foldKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}

// fieldNamesOf keeps fieldNames' answers, by type: the API decodes a few types, again and again.
var fieldNamesOf sync.Map

// fieldNames returns the JSON names of the fields of t's structs, at any depth (jsonNames).
func fieldNames(t reflect.Type) map[string]bool {
	if names, ok := fieldNamesOf.Load(t); ok {
		return names.(map[string]bool)
	}
	names, _ := fieldNamesOf.LoadOrStore(t, jsonNames(t, nil))
	return names.(map[string]bool)
}

// jsonNames adds to names (made when nil) the JSON names of the fields of t's structs, at any
// depth, and returns it.
func jsonNames(t reflect.Type, names map[string]bool) map[string]bool {
	if names == nil {
		names = map[string]bool{}
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return jsonNames(t.Elem(), names)
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			switch {
			case name == "-" || !f.IsExported() && !f.Anonymous:
				continue
			case f.Anonymous && name == "":
				jsonNames(f.Type, names)
				continue
			case name == "":
				name = f.Name
			}
			if !names[name] {
				names[name] = true
				jsonNames(f.Type, names)
			}
		}
	}
	return names
}
