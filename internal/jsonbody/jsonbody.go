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
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// ErrMediaType and ErrTooLarge are what Decode's errors wrap for a body that its Content-Type
// says is not JSON in UTF-8, and for one larger than its bound: an API answers them 415
// Unsupported Media Type and 413 Content Too Large.
var (
	ErrMediaType = errors.New("unsupported media type")
	ErrTooLarge  = errors.New("body too large")
)

// Status is the HTTP status that answers err, an error of Decode: 415 Unsupported Media Type,
// 413 Content Too Large, or 400 Bad Request.
func Status(err error) int {
	switch {
	case errors.Is(err, ErrMediaType):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusBadRequest
}

// kindError is an error whose text is msg and which wraps kind.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// Decode reads a strict JSON request body into v: of at most max bytes, in UTF-8 with no
// unpaired surrogate escaped (checkText), with only v's fields, each named once and as spelt
// (checkNames), and nothing after the value. Every error it returns is the request's: the
// caller answers 400 Bad Request, or 415 and 413 for those that wrap ErrMediaType and
// ErrTooLarge.
func Decode(w http.ResponseWriter, r *http.Request, max int64, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, params, _ := mime.ParseMediaType(ct)
		if mt != "application/json" {
			return &kindError{fmt.Sprintf("Content-Type must be application/json, not %q", mt), ErrMediaType}
		}
		if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
			return &kindError{fmt.Sprintf("a JSON body is read as UTF-8, not %q", cs), ErrMediaType}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &kindError{fmt.Sprintf("the JSON body is larger than %d bytes", max), ErrTooLarge}
		}
		return fmt.Errorf("reading the JSON body: %w", err)
	}
	if err := checkText(body); err != nil {
		return err
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

// checkText refuses a body that is not UTF-8, or whose strings escape half of a surrogate
// pair alone ("\ud800"): encoding/json reads both as U+FFFD, and silently, while other
// readers refuse the first (RFC 8259 asks for UTF-8) and keep the second, so a subject or a
// reason would be stored otherwise than the client that sent it, a proxy or a log reads it.
// Malformed JSON is left to the decoder to report.
func checkText(body []byte) error {
	if !utf8.Valid(body) {
		return errors.New("the JSON body is not valid UTF-8")
	}
	inString := false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '"':
			inString = !inString
		case c != '\\' || !inString || i+1 >= len(body):
		case body[i+1] != 'u':
			i++ // an escaped character: '"' and '\\' among them
		default:
			r, ok := escapedRune(body[i:])
			if !ok || !utf16.IsSurrogate(r) {
				i++
				continue
			}
			next, _ := escapedRune(body[i+6:])
			if r >= 0xdc00 || next < 0xdc00 || next > 0xdfff {
				return fmt.Errorf("the JSON body escapes half of a surrogate pair alone (%s)", body[i:i+6])
			}
			i += 11 // both halves
		}
	}
	return nil
}

// escapedRune reads the \uXXXX escape that b begins with.
func escapedRune(b []byte) (rune, bool) {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[2:6]), 16, 16)
	return rune(n), err == nil
}

// checkNames refuses a JSON body whose objects give a name twice, or give a field's name
// otherwise than as spelt (names, the fields' names of the value decoded): encoding/json keeps
// the last of two values and matches names whatever their case, so {"version": A,
// "Version": ""} would be decoded as no version, while a reader that takes names as written,
// or keeps the first, sees version A. Names are compared as encoding/json matches them.
// Malformed JSON is left to the decoder to report. The body is read byte by byte, once it is
// known to be valid JSON, rather than with json.Decoder.Token, which boxes every value in an
// interface and parses every number: a megabyte of numbers cost it a second of processor
// time.
func checkNames(body []byte, names map[string]bool) error {
	if !json.Valid(body) {
		return nil // the decoder says where
	}
	var levels []level // by depth, reused by the objects and arrays that open there
	depth, wantKey := 0, false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; c {
		case '{', '[':
			if depth == maxDepth {
				return fmt.Errorf("the JSON body nests objects and arrays deeper than %d", maxDepth)
			}
			if depth == len(levels) {
				levels = append(levels, level{})
			}
			levels[depth].open(c == '{')
			depth, wantKey = depth+1, c == '{'
		case '}', ']':
			depth, wantKey = depth-1, false
		case ',':
			wantKey = levels[depth-1].object
		case '"':
			end := stringEnd(body, i)
			if wantKey {
				name := string(body[i+1 : end])
				if bytes.IndexByte(body[i:end], '\\') >= 0 {
					if err := json.Unmarshal(body[i:end+1], &name); err != nil {
						return nil // cannot be: the body is valid
					}
				}
				if !levels[depth-1].add(name) {
					return fmt.Errorf("the JSON body gives %q twice in one object", name)
				}
				if !names[name] {
					for known := range names {
						if strings.EqualFold(known, name) {
							return fmt.Errorf("the JSON body names %q, which is spelt %q", name, known)
						}
					}
				}
				wantKey = false
			}
			i = end
		}
	}
	return nil
}

// level is the object or array open at one depth of a body, for checkNames: an object's
// names, compared one by one while they are few, then looked up by foldKey.
type level struct {
	object bool
	names  []string        // the names given, while few
	folded map[string]bool // foldKey of each name given, once many
	many   bool
}

// fewNames is how many names of an object are compared one by one.
const fewNames = 16

// open starts a new object (or an array) at l's depth.
func (l *level) open(object bool) {
	l.object, l.names, l.many = object, l.names[:0], false
	clear(l.folded)
}

// add adds name to l's object, and reports whether it was given there for the first time
// (compared as strings.EqualFold compares).
func (l *level) add(name string) bool {
	if !l.many {
		for _, n := range l.names {
			if strings.EqualFold(n, name) {
				return false
			}
		}
		if len(l.names) < fewNames {
			l.names = append(l.names, name)
			return true
		}
		if l.folded == nil {
			l.folded = map[string]bool{}
		}
		for _, n := range l.names {
			l.folded[foldKey(n)] = true
		}
		l.many = true
	}
	k := foldKey(name)
	if l.folded[k] {
		return false
	}
	l.folded[k] = true
	return true
}

// stringEnd returns the index of the quote that ends the JSON string that starts at
// body[start], in a valid body.
func stringEnd(body []byte, start int) int {
	for i := start + 1; i < len(body); i++ {
		switch body[i] {
		case '\\':
			i++
		case '"':
			return i
		}
	}
	return len(body) - 1
}

// maxDepth bounds the nesting of a body's objects and arrays. The API's bodies nest two or
// three deep; encoding/json refuses past 10,000 levels, but checkNames, which reads the body
// first, read 1 MiB of {"a": to its end (1.7 s of processor time and 95 MB) before the
// decoder refused it.
const maxDepth = 64

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
