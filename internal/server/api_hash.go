package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/chancery/chancery/internal/seal"
)

// hashUpload reads a multipart/form-data body that must hold one file part and returns the
// digest of that file, hashed as it arrives: verifying by file keeps nothing of it, so the
// memory of concurrent verifications does not grow with their uploads. Text fields are read
// and dropped, within the same bounds as readUpload.
func (s *Server) hashUpload(w http.ResponseWriter, r *http.Request) (seal.Digest, error) {
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return "", multipartError(err)
	}
	var digest seal.Digest
	fields := 0
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", uploadError("malformed multipart body", err)
		}
		if p.FileName() != "" || p.FormName() == "file" {
			if digest != "" {
				return "", fmt.Errorf("%w: more than one file", errBadRequest)
			}
			h := sha256.New()
			var sn sealSniffer
			n, err := io.Copy(io.MultiWriter(h, &sn), io.LimitReader(p, s.cfg.MaxUpload+1))
			if err != nil {
				return "", uploadError("reading the file", err)
			}
			if n > s.cfg.MaxUpload {
				return "", errTooLarge
			}
			if sn.seal() {
				// The command named is the offline one: 'chancery verify FILE' asks the
				// registry, and sends it the file's digest (and, for bytes it does not know,
				// its text), as the verify page says (docs/security.md, rows 788 and 791).
				return "", fmt.Errorf("%w: the file is a letter's seal, not a letter: send the letter's own file (its seal is checked beside it, offline, by 'chancery verify --offline FILE')", errBadRequest)
			}
			digest = seal.Digest("sha256:" + hex.EncodeToString(h.Sum(nil)))
			continue
		}
		if fields++; fields > 64*256 {
			return "", fmt.Errorf("%w: too many fields", errBadRequest)
		}
		if _, err := io.Copy(io.Discard, io.LimitReader(p, 64<<10)); err != nil {
			return "", uploadError("reading field "+p.FormName(), err)
		}
	}
	if digest == "" {
		return "", fmt.Errorf("%w: no file part", errBadRequest)
	}
	return digest, nil
}

// uploadError is errTooLarge when the body went over its limit, else a bad request.
func uploadError(what string, err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return errTooLarge
	}
	return fmt.Errorf("%w: %s: %v", errBadRequest, what, err)
}

// sealSniffer keeps the bytes written to it while they may be a seal file (a JSON object of at
// most seal.MaxSealSize bytes, docs/seal-format.md), and nothing once they cannot: a letter
// (a PDF starts with "%PDF") costs one look at its first bytes. A seal holds no letter, and
// the digest of a genuine one would be answered "unknown: it may be altered or forged".
type sealSniffer struct {
	buf []byte
	not bool
}

func (s *sealSniffer) Write(p []byte) (int, error) {
	if s.not {
		return len(p), nil
	}
	if t := bytes.TrimLeft(p, " \t\r\n"); len(s.buf) == 0 && len(t) > 0 && t[0] != '{' || len(s.buf)+len(p) > seal.MaxSealSize {
		s.not, s.buf = true, nil
		return len(p), nil
	}
	s.buf = append(s.buf, p...)
	return len(p), nil
}

// seal reports whether the bytes written are a JSON object with the member "chancery_seal",
// as the verify page's script and 'chancery verify' tell a seal.
func (s *sealSniffer) seal() bool {
	if s.not || len(bytes.TrimSpace(s.buf)) == 0 {
		return false
	}
	var v map[string]json.RawMessage
	if json.Unmarshal(s.buf, &v) != nil {
		return false
	}
	_, ok := v["chancery_seal"]
	return ok
}
