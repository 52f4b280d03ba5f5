package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/chancery/chancery/internal/registry"
)

// routesChanges adds the changes that wait for a second admin when the policy in force has
// two_admins (admins only):
//
//	GET  /api/v1/changes               pending changes, then the latest decided, as registry.ChangeView
//	GET  /api/v1/changes/{id}          one change
//	POST /api/v1/changes/{id}/approve  carries it out: registry.ChangeResult (a new token, shown once)
//	POST /api/v1/changes/{id}/refuse   the change after
//
// A request that proposes a change instead of making it (POST /api/v1/members, .../roles,
// .../token, .../enable, /api/v1/policy) is answered 202 Accepted with the change's address
// in Location and {"change": ChangeView, "message": "..."}.
func (s *Server) routesChanges() {
	m, admin := s.mux, registry.RoleAdmin
	m.HandleFunc("GET /api/v1/changes", s.needs(s.listChanges, admin))
	m.HandleFunc("GET /api/v1/changes/{id}", s.needs(s.showChange, admin))
	m.HandleFunc("POST /api/v1/changes/{id}/approve", s.needs(s.approveChange, admin))
	m.HandleFunc("POST /api/v1/changes/{id}/refuse", s.needs(s.refuseChange, admin))
}

// changeID reads the path's change ID.
func changeID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("%w: %q is not a change ID (a positive whole number)", errBadRequest, r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) listChanges(w http.ResponseWriter, r *http.Request) {
	cs, err := s.cfg.Registry.Changes(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, cs)
}

func (s *Server) showChange(w http.ResponseWriter, r *http.Request) {
	id, err := changeID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.cfg.Registry.Change(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, c)
}

func (s *Server) approveChange(w http.ResponseWriter, r *http.Request) {
	id, err := changeID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.cfg.Registry.ApproveChange(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, res)
}

func (s *Server) refuseChange(w http.ResponseWriter, r *http.Request) {
	id, err := changeID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.cfg.Registry.RefuseChange(r.Context(), actor(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, c)
}

// proposed answers a change proposed instead of made: 202 with its address.
func proposed(w http.ResponseWriter, err error, c *registry.ChangeView) {
	w.Header().Set("Location", fmt.Sprintf("/api/v1/changes/%d", c.ID))
	writeJSONStatus(w, http.StatusAccepted, map[string]any{"change": c, "message": err.Error()})
}
