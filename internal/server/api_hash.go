package server

import (
	"crypto/sha256"
	"encoding/hex"
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
			n, err := io.Copy(h, io.LimitReader(p, s.cfg.MaxUpload+1))
			if err != nil {
				return "", uploadError("reading the file", err)
			}
			if n > s.cfg.MaxUpload {
				return "", errTooLarge
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
