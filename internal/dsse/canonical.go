package dsse

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
)

// parseCanonical reads an envelope written as Marshal writes it, without encoding/json: an
// entry is decoded for every seal verified, and decoding it with encoding/json, then encoding
// it again to check its form, cost as much as an Ed25519 verification (issue 19). It accepts
// only an envelope that Parse accepts, with strings of printable ASCII that JSON writes as
// they are, and returns what Parse returns; for anything else ok is false and Parse takes its
// general path, which gives the answer for every input.
func parseCanonical(data []byte) (_ *Envelope, ok bool) {
	c := cursor(data)
	e := new(Envelope)
	if !c.lit(`{"payload":`) {
		return nil, false
	}
	if e.Payload, ok = c.base64(); !ok {
		return nil, false
	}
	if !c.lit(`,"payloadType":`) {
		return nil, false
	}
	if e.PayloadType, ok = c.plain(); !ok || e.PayloadType == "" {
		return nil, false
	}
	if !c.lit(`,"signatures":[`) {
		return nil, false
	}
	for {
		if len(e.Signatures) > 0 && !c.lit(",") {
			break
		}
		var s Signature
		if !c.lit(`{"keyid":`) {
			return nil, false
		}
		if s.KeyID, ok = c.plain(); !ok {
			return nil, false
		}
		if !c.lit(`,"sig":`) {
			return nil, false
		}
		if s.Sig, ok = c.base64(); !ok || len(s.Sig) != ed25519.SignatureSize {
			return nil, false
		}
		if !c.lit("}") {
			return nil, false
		}
		e.Signatures = append(e.Signatures, s)
	}
	if !c.lit("]}") || len(c) > 0 {
		return nil, false
	}
	return e, true
}

// cursor is what remains to be read of an envelope.
type cursor []byte

// lit consumes s if it comes next.
func (c *cursor) lit(s string) bool {
	if !bytes.HasPrefix(*c, []byte(s)) {
		return false
	}
	*c = (*c)[len(s):]
	return true
}

// quoted consumes a string that JSON writes unescaped (printable ASCII but for the quote, the
// backslash and the <, > and & that json.Marshal escapes) and returns its body.
func (c *cursor) quoted() ([]byte, bool) {
	if !c.lit(`"`) {
		return nil, false
	}
	for i, b := range *c {
		switch {
		case b == '"':
			q := (*c)[:i]
			*c = (*c)[i+1:]
			return q, true
		case b < 0x20 || b > 0x7e || b == '\\' || b == '<' || b == '>' || b == '&':
			return nil, false
		}
	}
	return nil, false
}

// plain consumes a string of quoted's kind.
func (c *cursor) plain() (string, bool) {
	q, ok := c.quoted()
	return string(q), ok
}

// base64 consumes a string of padded standard base64 that is the one encoding of its bytes,
// as json.Marshal writes a []byte.
func (c *cursor) base64() ([]byte, bool) {
	q, ok := c.quoted()
	if !ok {
		return nil, false
	}
	b := make([]byte, base64.StdEncoding.DecodedLen(len(q)))
	n, err := base64.StdEncoding.Strict().Decode(b, q)
	// The decoder skips line breaks: an input longer than the encoding of what it decoded to
	// held some.
	if err != nil || base64.StdEncoding.EncodedLen(n) != len(q) {
		return nil, false
	}
	return b[:n], true
}
