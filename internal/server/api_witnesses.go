package server

import (
	"errors"
	"net/http"

	"github.com/chancery/chancery/internal/registry"
)

// routesWitnesses adds the administration of the office's witnesses (admins only):
//
//	GET    /api/v1/witnesses          registry.WitnessConfig: witnesses, quorum, served head
//	POST   /api/v1/witnesses          {"name", "url", "key"}: the configuration after
//	DELETE /api/v1/witnesses/{name}   the configuration after
//	PUT    /api/v1/witnesses/quorum   {"quorum": N}: the configuration after
func (s *Server) routesWitnesses() {
	m, admin := s.mux, registry.RoleAdmin
	m.HandleFunc("GET /api/v1/witnesses", s.needs(s.listWitnesses, admin))
	m.HandleFunc("POST /api/v1/witnesses", s.needs(s.addWitness, admin))
	m.HandleFunc("DELETE /api/v1/witnesses/{name}", s.needs(s.removeWitness, admin))
	m.HandleFunc("PUT /api/v1/witnesses/quorum", s.needs(s.setQuorum, admin))
}

func (s *Server) listWitnesses(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Registry.Witnesses(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, c)
}

func (s *Server) addWitness(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
		URL  string `json:"url"`
		Key  string `json:"key"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Registry.AddWitness(r.Context(), actor(r), req.Name, req.URL, req.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	s.listWitnesses(w, r)
}

func (s *Server) removeWitness(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Registry.RemoveWitness(r.Context(), actor(r), r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.listWitnesses(w, r)
}

func (s *Server) setQuorum(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Quorum *int `json:"quorum"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	if req.Quorum == nil {
		apiError(w, http.StatusBadRequest, errors.New("missing quorum"))
		return
	}
	if err := s.cfg.Registry.SetWitnessQuorum(r.Context(), actor(r), *req.Quorum); err != nil {
		s.fail(w, r, err)
		return
	}
	s.listWitnesses(w, r)
}
