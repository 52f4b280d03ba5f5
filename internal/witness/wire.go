package witness

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"

	"golang.org/x/mod/sumdb/tlog"
)

// MaxProofLines is the most consistency proof lines a request may carry (C2SP tlog-witness):
// a proof between trees of at most 2^63 leaves has no more.
const MaxProofLines = 63

// MaxRequestSize bounds the add-checkpoint request bodies the server reads. A full proof is
// under 3 KiB; the rest is the checkpoint and its signatures.
const MaxRequestSize = 16 << 10

// sizeContentType is the content type of a 409 answer, whose body is the witness's size.
const sizeContentType = "text/x.tlog.size"

// request is a parsed add-checkpoint request body.
type request struct {
	oldSize    int64
	proof      []tlog.Hash
	checkpoint []byte // the signed note, as sent
}

// formatRequest returns the add-checkpoint request body: the old size line, the proof lines,
// an empty line, then the signed checkpoint.
func formatRequest(oldSize int64, proof []tlog.Hash, checkpoint []byte) []byte {
	var b bytes.Buffer
	b.Grow(16 + len(proof)*45 + len(checkpoint))
	fmt.Fprintf(&b, "old %d\n", oldSize)
	for _, h := range proof {
		b.WriteString(base64.StdEncoding.EncodeToString(h[:]))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.Write(checkpoint)
	return b.Bytes()
}

// parseRequest parses an add-checkpoint request body. It accepts only the canonical form the
// spec describes: "old N" with N in decimal without leading zeros, at most MaxProofLines
// padded standard base64 hashes (none when N is zero), an empty line, then the checkpoint,
// which it returns unparsed.
func parseRequest(body []byte) (request, error) {
	if len(body) > MaxRequestSize {
		return request{}, fmt.Errorf("request larger than %d bytes", MaxRequestSize)
	}
	head, cp, ok := bytes.Cut(body, []byte("\n\n"))
	if !ok {
		return request{}, errors.New("no empty line before the checkpoint")
	}
	// At most one line more than a request may have: split whole, a request of short
	// lines allocated 12 times its size.
	lines := bytes.SplitN(head, []byte("\n"), 1+MaxProofLines+1)
	num, ok := bytes.CutPrefix(lines[0], []byte("old "))
	if !ok {
		return request{}, errors.New(`first line is not "old SIZE"`)
	}
	oldSize, err := parseSize(num)
	if err != nil {
		return request{}, fmt.Errorf("old size: %w", err)
	}
	r := request{oldSize: oldSize, checkpoint: cp}
	proof := lines[1:]
	if len(proof) > MaxProofLines {
		return request{}, fmt.Errorf("%d proof lines, more than %d", len(proof), MaxProofLines)
	}
	if oldSize == 0 && len(proof) > 0 {
		return request{}, errors.New("a proof from size 0")
	}
	for i, line := range proof {
		h, err := parseHash(line)
		if err != nil {
			return request{}, fmt.Errorf("proof line %d: %w", i+1, err)
		}
		r.proof = append(r.proof, h)
	}
	return r, nil
}

// parseSize parses a tree size: ASCII decimal, no sign, no leading zeros.
func parseSize(b []byte) (int64, error) {
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != string(b) {
		return 0, fmt.Errorf("malformed size %q", truncate(b))
	}
	return n, nil
}

// parseHash parses a padded standard base64 hash, in its one canonical spelling.
func parseHash(b []byte) (tlog.Hash, error) {
	var h tlog.Hash
	raw, err := base64.StdEncoding.Strict().DecodeString(string(b))
	if err != nil || len(raw) != tlog.HashSize || base64.StdEncoding.EncodeToString(raw) != string(b) {
		return h, fmt.Errorf("malformed hash %q", truncate(b))
	}
	copy(h[:], raw)
	return h, nil
}

// parseConflict parses a 409 answer's body: a size and a newline.
func parseConflict(body []byte) (int64, error) {
	num, ok := bytes.CutSuffix(body, []byte("\n"))
	if !ok {
		return 0, fmt.Errorf("malformed size answer %q", truncate(body))
	}
	return parseSize(num)
}

// splitNote returns the text of a signed note (up to and including the newline before the
// empty line) and its signature lines.
func splitNote(signed []byte) (text, sigs []byte, err error) {
	i := bytes.LastIndex(signed, []byte("\n\n"))
	if i < 0 {
		return nil, nil, errors.New("checkpoint has no signature block")
	}
	return signed[:i+1], signed[i+2:], nil
}

// truncate shortens untrusted bytes for error messages.
func truncate(b []byte) string {
	const max = 64
	if len(b) > max {
		return string(b[:max]) + "..."
	}
	return string(b)
}
