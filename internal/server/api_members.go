package server

import (
	"net/http"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/web"
)

// routesMembers adds the administration of members (admins only):
//
//	GET  /api/v1/members                 every member, as registry.MemberView
//	GET  /api/v1/members/{name}          one member
//	POST /api/v1/members/{name}/roles    {"add": [...], "remove": [...]}: the member after,
//	                                     "superseded", the pending role changes about them
//	                                     it refused, and "refused", the pending changes they
//	                                     proposed that it refused as they lost the admin role
//	                                     (registry.ChangeView; each absent when none)
//	POST /api/v1/members/{name}/disable  the member after, and "refused", the pending changes
//	                                     they proposed that it refused (absent when none)
//	POST /api/v1/members/{name}/enable   {"name", "token", "superseded", "refused"}: as
//	                                     .../token, and "refused", the pending changes the
//	                                     member proposed that it refused (an older build left
//	                                     them pending; absent when none)
//	POST /api/v1/members/{name}/token    {"name", "token", "superseded"}: a new token, shown
//	                                     once, and the other pending new tokens for the member
//	                                     it refused as superseded (registry.ChangeView; absent
//	                                     when none)
//	DELETE /api/v1/session               ends the caller's 'chancery login' token (204)
func (s *Server) routesMembers() {
	m, admin := s.mux, registry.RoleAdmin
	m.HandleFunc("GET /api/v1/members", s.needs(s.listMembers, admin))
	m.HandleFunc("GET /api/v1/members/{name}", s.needs(s.showMember, admin))
	m.HandleFunc("POST /api/v1/members/{name}/roles", s.needs(s.setRoles, admin))
	m.HandleFunc("POST /api/v1/members/{name}/disable", s.needs(s.disableMember, admin))
	m.HandleFunc("POST /api/v1/members/{name}/enable", s.needs(s.enableMember, admin))
	m.HandleFunc("POST /api/v1/members/{name}/token", s.needs(s.issueToken, admin))
	m.HandleFunc("DELETE /api/v1/session", s.needs(s.endSession))
}

// endSession ends the 'chancery login' token the request carries ('chancery logout').
func (s *Server) endSession(w http.ResponseWriter, r *http.Request) {
	tok, _ := web.BearerToken(r)
	if err := s.cfg.Registry.EndCLISession(r.Context(), actor(r), tok); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) {
	ms, err := s.cfg.Registry.Members(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, ms)
}

func (s *Server) showMember(w http.ResponseWriter, r *http.Request) {
	v, err := s.cfg.Registry.Member(r.Context(), actor(r), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, v)
}

func (s *Server) setRoles(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Add    []string `json:"add"`
		Remove []string `json:"remove"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.cfg.Registry.SetRolesSuperseding(r.Context(), actor(r), r.PathValue("name"), req.Add, req.Remove)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, v)
}

func (s *Server) disableMember(w http.ResponseWriter, r *http.Request) {
	v, err := s.cfg.Registry.DisableMemberRefusing(r.Context(), actor(r), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, v)
}

func (s *Server) enableMember(w http.ResponseWriter, r *http.Request) {
	res, err := s.cfg.Registry.EnableMemberSuperseding(r.Context(), actor(r), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeIssued(w, r.PathValue("name"), res)
}

// writeIssued answers a new token given a member: {"name", "token"}, "superseded", the
// other pending new tokens for them it refused, and "refused", the changes they had proposed
// that their enabling refused (an older build left them pending), each when there are any.
func writeIssued(w http.ResponseWriter, name string, res *registry.IssuedToken) {
	answer := map[string]any{"name": name, "token": res.Token}
	if len(res.Superseded) > 0 {
		answer["superseded"] = res.Superseded
	}
	if len(res.Refused) > 0 {
		answer["refused"] = res.Refused
	}
	writeJSON(w, answer)
}

func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	res, err := s.cfg.Registry.IssueTokenSuperseding(r.Context(), actor(r), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeIssued(w, r.PathValue("name"), res)
}
