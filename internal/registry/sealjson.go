package registry

import (
	"encoding/base64"
	"strconv"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/seal"
	"golang.org/x/mod/sumdb/tlog"
)

// appendSealJSON appends s's file form to b: byte for byte what s.Marshal returns (tested
// against it, sealjson_test.go), without encoding/json. A lookup answers with the kept seal of
// the letter, put together from the store's parts at every uncached answer, and
// encoding/json's reflection and buffer growth were a tenth of that answer's time
// (docs/benchmarks.md, issue 19 item 1).
func appendSealJSON(b []byte, s *seal.Seal) []byte {
	v := s.Version()
	b = append(b, `{"chancery_seal":`...)
	b = strconv.AppendInt(b, int64(v), 10)
	b = append(b, `,"checkpoint":`...)
	b = appendJSONString(b, s.Checkpoint)
	b = append(b, `,"release":`...)
	b = appendLogged(b, &s.Release, v == seal.SealVersion2)
	b = append(b, `,"keys":[`...)
	for i := range s.Keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendLogged(b, &s.Keys[i], v == seal.SealVersion2)
	}
	return append(b, "]}\n"...)
}

// sealJSONSize is a size that the file form of s does not exceed, for one allocation.
func sealJSONSize(s *seal.Seal) int {
	n := 64 + 6*len(s.Checkpoint) + loggedSize(&s.Release)
	for i := range s.Keys {
		n += loggedSize(&s.Keys[i])
	}
	return n
}

func loggedSize(e *seal.LoggedEntry) int {
	n := 96 + base64.StdEncoding.EncodedLen(len(e.Entry)) + len(e.Proof)*(base64.StdEncoding.EncodedLen(tlog.HashSize)+3)
	if o := e.Opening; o != nil {
		n += base64.StdEncoding.EncodedLen(len(o.Salt)) + base64.StdEncoding.EncodedLen(len(o.Statement))
	}
	return n
}

// appendLogged appends a logged entry as a seal of version 2 (v2) or 1 writes it: a version 2
// seal writes every entry's opening, null for a version 1 entry; a version 1 seal has none.
func appendLogged(b []byte, e *seal.LoggedEntry, v2 bool) []byte {
	b = append(b, `{"index":`...)
	b = strconv.AppendInt(b, e.Index, 10)
	b = append(b, `,"entry":`...)
	b = appendBase64(b, e.Entry)
	b = append(b, `,"proof":[`...)
	for i := range e.Proof {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendBase64(b, e.Proof[i][:])
	}
	b = append(b, ']')
	switch {
	case e.Opening != nil:
		b = append(b, `,"opening":{"salt":`...)
		b = appendBase64(b, e.Opening.Salt)
		b = append(b, `,"statement":`...)
		b = appendBase64(b, e.Opening.Statement)
		b = append(b, '}')
	case v2:
		b = append(b, `,"opening":null`...)
	}
	return append(b, '}')
}

func appendBase64(b, data []byte) []byte {
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, data)
	return append(b, '"')
}

// appendJSONString appends s as encoding/json writes a string with HTML escaping off (as
// seals are written): quotes and backslashes escaped, control characters as \b, \f, \n, \r,
// \t or \u00XX, invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped.
func appendJSONString(b, s []byte) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
