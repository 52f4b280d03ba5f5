package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/registry"
)

// routesDispatch adds the recipients directory, dispatch and webhooks:
//
//	GET  /api/v1/recipients                   the directory, as registry.RecipientView
//	POST /api/v1/recipients                   {"name", "organization", "contact", "emails", "webhook"}: admins
//	PUT  /api/v1/recipients/{name}            {"emails": [...]}: the recipient's addresses replaced: admins
//	DELETE /api/v1/recipients/{name}          the recipient retired from the directory: admins
//	POST /api/v1/letters/{ref}/dispatch       {"recipients": [...]}: the letter's messages to them
//	POST /api/v1/letters/{ref}/dispatch/retry {}: the failed messages queued again (RetryDispatch)
//	GET  /api/v1/letters/{ref}/dispatches     every message about the letter, as registry.DispatchView
//	POST /api/v1/letters/{ref}/drafts/send    {"recipient", "version"}: a coordination copy by mail
//	GET  /api/v1/webhooks                     the endpoints: admins
//	POST /api/v1/webhooks                     {"name", "url"}: {"name", "secret"}, the secret shown once
//	GET  /api/v1/webhooks/deliveries?limit=N  the delivery log, newest first: admins
//	DELETE /api/v1/webhooks/{name}            the endpoint and its deliveries removed: admins
//	POST /api/v1/webhooks/{name}/secret       {"overlap_seconds"}: {"name", "secret", "previous_secret_until"}, a new
//	                                          secret shown once, the previous one signing too for overlap_seconds
//	                                          (86400 when not given; 0: none): admins
func (s *Server) routesDispatch() {
	m, admin := s.mux, registry.RoleAdmin
	m.HandleFunc("GET /api/v1/recipients", s.needs(s.listRecipients))
	m.HandleFunc("POST /api/v1/recipients", s.needs(s.addRecipient, admin))
	m.HandleFunc("PUT /api/v1/recipients/{name}", s.needs(s.setRecipientEmails, admin))
	m.HandleFunc("DELETE /api/v1/recipients/{name}", s.needs(s.retireRecipient, admin))
	m.HandleFunc("POST /api/v1/letters/{ref}/dispatch", s.needs(s.dispatchLetter, registry.RoleRelease))
	m.HandleFunc("POST /api/v1/letters/{ref}/dispatch/retry", s.needs(s.retryDispatch, registry.RoleRelease))
	m.HandleFunc("GET /api/v1/letters/{ref}/dispatches", s.needs(s.dispatches))
	m.HandleFunc("POST /api/v1/letters/{ref}/drafts/send", s.needs(s.sendDraft, registry.RoleDrafter, registry.RoleReviewer, registry.RoleSigner))
	m.HandleFunc("GET /api/v1/webhooks", s.needs(s.listWebhooks, admin))
	m.HandleFunc("POST /api/v1/webhooks", s.needs(s.addWebhook, admin))
	m.HandleFunc("GET /api/v1/webhooks/deliveries", s.needs(s.webhookLog, admin))
	m.HandleFunc("DELETE /api/v1/webhooks/{name}", s.needs(s.removeWebhook, admin))
	m.HandleFunc("POST /api/v1/webhooks/{name}/secret", s.needs(s.rekeyWebhook, admin))
	m.HandleFunc("POST /api/v1/webhooks/{name}/retry", s.needs(s.retryWebhook, admin))
}

func (s *Server) listRecipients(w http.ResponseWriter, r *http.Request) {
	out, err := s.cfg.Registry.Recipients(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, out)
}

func (s *Server) addRecipient(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name         string   `json:"name"`
		Organization string   `json:"organization"`
		Contact      string   `json:"contact"`
		Emails       []string `json:"emails"`
		Webhook      string   `json:"webhook"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, append([]string{req.Name, req.Organization, req.Contact, req.Webhook}, req.Emails...)...)
	v, secret, err := s.cfg.Registry.AddRecipient(r.Context(), actor(r), registry.NewRecipient{Name: req.Name, Organization: req.Organization,
		Contact: req.Contact, Emails: req.Emails, Webhook: req.Webhook})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]any{"recipient": v, "webhook_secret": secret})
}

func (s *Server) setRecipientEmails(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Emails []string `json:"emails"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, req.Emails...)
	v, err := s.cfg.Registry.SetRecipientEmails(r.Context(), actor(r), r.PathValue("name"), req.Emails)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, v)
}

func (s *Server) retireRecipient(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Registry.RetireRecipient(r.Context(), actor(r), r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]string{"retired": r.PathValue("name")})
}

func (s *Server) dispatchLetter(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Recipients []string `json:"recipients"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, req.Recipients...)
	out, err := s.cfg.Registry.Dispatch(r.Context(), actor(r), r.PathValue("ref"), req.Recipients)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusAccepted, out)
}

func (s *Server) retryDispatch(w http.ResponseWriter, r *http.Request) {
	var req struct{}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := s.cfg.Registry.RetryDispatch(r.Context(), actor(r), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusAccepted, out)
}

func (s *Server) dispatches(w http.ResponseWriter, r *http.Request) {
	out, err := s.cfg.Registry.Dispatches(r.Context(), actor(r), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, out)
}

func (s *Server) sendDraft(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Recipient string `json:"recipient"`
		Version   string `json:"version"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, req.Recipient)
	out, err := s.cfg.Registry.SendDraftVersion(r.Context(), actor(r), r.PathValue("ref"), req.Recipient, req.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusAccepted, out)
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) {
	out, err := s.cfg.Registry.Webhooks(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, out)
}

func (s *Server) removeWebhook(w http.ResponseWriter, r *http.Request) {
	if err := s.cfg.Registry.RemoveWebhook(r.Context(), actor(r), r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]string{"removed": r.PathValue("name")})
}

// rekeyWebhook answers POST /api/v1/webhooks/{name}/secret {"overlap_seconds"}: how long the
// previous secret still signs, 24 hours when not given, 0 for none.
func (s *Server) rekeyWebhook(w http.ResponseWriter, r *http.Request) {
	var req struct {
		OverlapSeconds *int64 `json:"overlap_seconds"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	overlap := registry.DefaultWebhookOverlap
	if req.OverlapSeconds != nil {
		if *req.OverlapSeconds < 0 || *req.OverlapSeconds > int64(registry.MaxWebhookOverlap/time.Second) {
			s.fail(w, r, i18n.Errorf(registry.ErrInvalid, "the previous secret may sign for 0 to 720 hours (%s asked)", fmt.Sprintf("%d s", *req.OverlapSeconds)))
			return
		}
		overlap = time.Duration(*req.OverlapSeconds) * time.Second
	}
	secret, until, err := s.cfg.Registry.RekeyWebhook(r.Context(), actor(r), r.PathValue("name"), overlap)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := map[string]any{"name": r.PathValue("name"), "secret": secret}
	if !until.IsZero() {
		out["previous_secret_until"] = until
	}
	writeJSON(w, out)
}

func (s *Server) retryWebhook(w http.ResponseWriter, r *http.Request) {
	var req struct{}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := s.cfg.Registry.RetryWebhook(r.Context(), actor(r), r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusAccepted, map[string]any{"name": r.PathValue("name"), "queued": n})
}

func (s *Server) addWebhook(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, req.Name, req.URL)
	secret, err := s.cfg.Registry.AddWebhook(r.Context(), actor(r), req.Name, req.URL)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]string{"name": req.Name, "secret": secret})
}

// webhookLog answers GET /api/v1/webhooks/deliveries?limit=N (1 to 1000, default 100).
func (s *Server) webhookLog(w http.ResponseWriter, r *http.Request) {
	v, err := queryParams(r, "limit")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := limitParam(v)
	switch {
	case err != nil:
		s.fail(w, r, err)
		return
	case limit < 0 || limit > 1000:
		s.fail(w, r, fmt.Errorf("%w: limit %d: want 1 to 1000", errBadRequest, limit))
		return
	case limit == 0:
		limit = 100
	}
	out, err := s.cfg.Registry.WebhookLog(r.Context(), actor(r), limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, out)
}
