package store

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"sync"
)

// Openings' statements are stored deflated against a preset dictionary (issue 19 item 5): a
// release statement is about 870 bytes of JSON, most of it field names, hex digests and
// base64 signatures, which deflate to about 60% of that. A stored statement that starts with
// packedStatement is deflated; one that starts with rawStatement is the rest of its bytes; any
// other is the statement itself (JSON starts with '{'), as openings stored before were
// written. Reading gives back the exact bytes, which the log entry's commitment covers.
const (
	rawStatement    = 0x00
	packedStatement = 0x01
)

// statementDict is what statements share, most frequent last (deflate reaches back 32 KB, and
// nearer matches cost fewer bits). It is part of the stored format: never change it; a new
// dictionary needs a new leading byte.
const statementDict = `{"office":"","keyid":"","public_key":"","member":"","reason":"","time":"Z"}` +
	`{"office":"","reference":"","file_digest":"sha256:","by":"","by_file_digest":"sha256:","reason":"","superseded_by":"","retracted_by":"","time":"Z"}` +
	`{"office":"","reference":"","subject":"","class":"routine","tags":[],"addressees":[""],"version":1,"version_digest":"sha256:",` +
	`"file_digest":"sha256:","media_type":"application/pdf","file_name":".pdf","policy":"sha256:",` +
	`"signatures":[{"signer":"","keyid":"","sig":""}],"approvals":[{"member":"","role":"reviewer","time":"T00:00:00Z"}],` +
	`"released_by":"","released_at":"T00:00:00Z"}`

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriterDict(nil, flate.BestCompression, []byte(statementDict))
	return w
}}

// inflaters holds flate readers for unpackStatement, reset for each statement.
var inflaters sync.Pool

// packStatement returns the stored form of a statement: deflated when that is shorter.
func packStatement(st []byte) []byte {
	if len(st) > 0 && (st[0] == rawStatement || st[0] == packedStatement) {
		return append([]byte{rawStatement}, st...) // so that it is not mistaken for a packed one
	}
	if len(st) == 0 || st[0] != '{' {
		return st
	}
	var b bytes.Buffer
	b.WriteByte(packedStatement)
	w := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(w)
	w.Reset(&b)
	w.Write(st)
	w.Close()
	if b.Len() >= len(st) {
		return st
	}
	return b.Bytes()
}

// unpackStatement returns the statement stored as b.
func unpackStatement(b []byte) ([]byte, error) {
	if len(b) > 0 && b[0] == rawStatement {
		return b[1:], nil
	}
	if len(b) == 0 || b[0] != packedStatement {
		return b, nil
	}
	// A new inflater allocates and clears its 32 KB window: over a third of what a public lookup
	// of a released letter allocated (docs/benchmarks.md, issue 19 item 1). Reset reuses it.
	src := bytes.NewReader(b[1:])
	r, _ := inflaters.Get().(io.ReadCloser)
	if r == nil {
		r = flate.NewReaderDict(src, []byte(statementDict))
	} else if err := r.(flate.Resetter).Reset(src, []byte(statementDict)); err != nil {
		return nil, fmt.Errorf("unpack statement: %w", err)
	}
	defer inflaters.Put(r)
	// A statement is a few kilobytes at most; the bound keeps a corrupt row from growing.
	st, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("unpack statement: %w", err)
	}
	return st, nil
}
