package server

import (
	"bytes"
	"io"
	"net/http"

	"github.com/chancery/chancery/internal/seal"
)

// plainDigestBody returns the digest of a verify request whose JSON body (of Content-Type ct)
// is exactly {"digest":"sha256:<64 lowercase hex digits>"}, as clients send it, read without
// a JSON decoder, which costs more than the rest of the lookup (a decoder, its buffer and a
// MaxBytesReader per request). For any other body it returns "" and leaves r.Body as it
// was, the bytes it read put back in front, for decodeJSON: other forms (spaces, other
// fields, "latest", errors) get decodeJSON's answers.
func plainDigestBody(r *http.Request, ct string) seal.Digest {
	const pre, post = `{"digest":"`, `"}`
	const size = len(pre) + len("sha256:") + 64 + len(post)
	if ct != "" && ct != "application/json" {
		return ""
	}
	// One byte more than the form takes: a longer body is not the form.
	var buf [size + 1]byte
	n, err := io.ReadFull(r.Body, buf[:])
	if n == size && err == io.ErrUnexpectedEOF {
		b := buf[:n]
		if d := b[len(pre) : size-len(post)]; bytes.HasPrefix(b, []byte(pre)) && bytes.HasSuffix(b, []byte(post)) {
			if d, err := seal.ParseDigest(string(d)); err == nil && string(d) == string(b[len(pre):size-len(post)]) {
				return d
			}
		}
	}
	r.Body = prefixedBody{io.MultiReader(bytes.NewReader(bytes.Clone(buf[:n])), r.Body), r.Body}
	return ""
}

// prefixedBody is a request body with bytes already read put back in front.
type prefixedBody struct {
	io.Reader
	io.Closer
}
