package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/chancery/chancery/internal/policy"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// adoptPolicy takes the policy file as the body (application/yaml), compiles it and adopts it.
func (s *Server) adoptPolicy(w http.ResponseWriter, r *http.Request) {
	src, err := io.ReadAll(http.MaxBytesReader(w, r.Body, registry.MaxPolicySize))
	if err != nil {
		s.fail(w, r, fmt.Errorf("%w: the policy file is larger than %d bytes or unreadable", errBadRequest, registry.MaxPolicySize))
		return
	}
	p, err := policy.Parse(src)
	if err != nil {
		s.fail(w, r, fmt.Errorf("%w: the policy does not compile:\n%v", errBadRequest, err))
		return
	}
	idx, err := s.cfg.Registry.AdoptPolicy(r.Context(), actor(r), p, src)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]any{"name": p.Name, "digest": p.Digest, "log_index": idx})
}

// currentPolicy answers which policy is in force, with its file.
// The policy names the office's signer groups: members with a role only (routesAPI).
func (s *Server) currentPolicy(w http.ResponseWriter, r *http.Request) {
	cur, err := s.cfg.Registry.CurrentPolicy(r.Context())
	if errors.Is(err, store.ErrNotFound) {
		p := s.cfg.Registry.Policy()
		writeJSON(w, map[string]any{"name": p.Name, "digest": p.Digest, "builtin": true})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"name": cur.Name, "digest": cur.Digest, "source": string(cur.Source),
		"log_index": cur.LogIndex, "adopted_at": cur.AdoptedAt})
}
