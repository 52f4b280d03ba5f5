package server

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/ratelimit"
	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
	"github.com/chancery/chancery/internal/store"
	"golang.org/x/mod/sumdb/tlog"
)

func (s *Server) routesAPI() {
	const (
		drafter, reviewer, signer = registry.RoleDrafter, registry.RoleReviewer, registry.RoleSigner
		release, admin            = registry.RoleRelease, registry.RoleAdmin
	)
	m := s.mux
	m.HandleFunc("POST /api/v1/members", s.needs(s.addMember, admin))
	s.routesMembers()
	s.routesChanges()
	s.routesDispatch()
	s.routesWitnesses()
	m.HandleFunc("POST /api/v1/keys", s.needs(s.registerKey, signer))
	m.HandleFunc("GET /api/v1/keys", s.needs(s.ownKeys))
	m.HandleFunc("POST /api/v1/keys/{keyid}/revoke", s.withActor(s.revokeKey))
	m.HandleFunc("POST /api/v1/keys/{keyid}/rotate", s.needs(s.rotateKey, signer))
	m.HandleFunc("POST /api/v1/letters", s.needs(s.createLetter, drafter))
	m.HandleFunc("GET /api/v1/letters", s.needs(s.listLetters))
	m.HandleFunc("GET /api/v1/letters/{ref}", s.needs(s.showLetter))
	m.HandleFunc("POST /api/v1/letters/{ref}/versions", s.needs(s.reviseLetter, drafter))
	m.HandleFunc("POST /api/v1/letters/{ref}/approve", s.needs(s.decide(false), reviewer))
	m.HandleFunc("POST /api/v1/letters/{ref}/reject", s.needs(s.decide(true), reviewer))
	m.HandleFunc("GET /api/v1/letters/{ref}/signing-statement", s.needs(s.signingStatement, signer))
	m.HandleFunc("POST /api/v1/letters/{ref}/signatures", s.needs(s.addSignature, signer))
	m.HandleFunc("POST /api/v1/letters/{ref}/release", s.needs(s.release, release))
	// The released file, its seal and its status are the holder's too, with the check code.
	m.HandleFunc("GET /api/v1/letters/{ref}/file", s.withActor(s.releasedFile))
	m.HandleFunc("GET /api/v1/letters/{ref}/seal", s.withActor(s.letterSeal))
	m.HandleFunc("GET /api/v1/letters/{ref}/status", s.withActor(s.letterStatus))
	m.HandleFunc("POST /api/v1/letters/{ref}/withdrawal-statement", s.needs(s.withdrawalStatement, signer))
	m.HandleFunc("POST /api/v1/letters/{ref}/withdraw", s.needs(s.withdraw, signer))
	m.HandleFunc("POST /api/v1/letters/{ref}/drafts", s.needs(s.exportDraft, drafter, reviewer, signer))
	m.HandleFunc("GET /api/v1/letters/{ref}/preview", s.needs(s.preview, drafter, reviewer, signer, release))
	m.HandleFunc("GET /api/v1/letters/{ref}/audit", s.needs(s.audit))
	m.HandleFunc("GET /api/v1/audit", s.needs(s.officeAudit, registry.RoleAdmin))
	m.HandleFunc("POST /api/v1/letters/{ref}/erase", s.needs(s.erase, admin))
	m.HandleFunc("POST /api/v1/verify", s.withActor(s.verify))
	m.HandleFunc("POST /api/v1/identify", s.withActor(s.identify))
	m.HandleFunc("GET /api/v1/trust", s.trust)
	m.HandleFunc("POST /api/v1/policy", s.needs(s.adoptPolicy, admin))
	m.HandleFunc("GET /api/v1/policy", s.needs(s.currentPolicy))
}

func (s *Server) addMember(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name  string   `json:"name"`
		Roles []string `json:"roles"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, req.Name)
	tok, err := s.cfg.Registry.AddMember(r.Context(), actor(r), req.Name, req.Roles)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]any{"name": req.Name, "roles": req.Roles, "token": tok})
}

// ownKeys answers the caller's own signer keys, revoked ones included: [{keyid,
// added_index, revoked_index}].
func (s *Server) ownKeys(w http.ResponseWriter, r *http.Request) {
	ks, err := s.cfg.Registry.OwnKeys(r.Context(), actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, ks)
}

func (s *Server) registerKey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		PublicKey []byte `json:"public_key"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	id, idx, err := s.cfg.Registry.RegisterKey(r.Context(), actor(r), ed25519.PublicKey(req.PublicKey))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]any{"keyid": id, "log_index": idx})
}

// revokeKey revokes a signer key, for its owner (who may hold no signer role any more) or an
// admin: whoever else asks is refused before the body is read.
func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request) {
	if err := s.mayRevoke(r); err != nil {
		s.fail(w, r, err)
		return
	}
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	idx, err := s.cfg.Registry.RevokeKey(r.Context(), actor(r), r.PathValue("keyid"), req.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"keyid": r.PathValue("keyid"), "log_index": idx})
}

// mayRevoke refuses a request to revoke key keyid from anyone but an admin or a member who
// holds a key whose ID is, or starts with, keyid (as registry.RevokeKey takes it). The
// registry judges the reason before it looks the key's owner up, and tells a key that exists
// from one that does not.
func (s *Server) mayRevoke(r *http.Request) error {
	a, keyID := actor(r), r.PathValue("keyid")
	if a.Member == nil {
		return registry.ErrUnauthenticated
	}
	if a.Member.HasRole(registry.RoleAdmin) {
		return nil
	}
	own := false
	err := s.cfg.DB.View(r.Context(), func(tx *store.Tx) error {
		ks, err := tx.SignerKeysOf(r.Context(), a.Member.ID)
		for _, k := range ks {
			own = own || keyID != "" && strings.HasPrefix(k.KeyID, keyID)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("revoke key %s: %w", keyID, err)
	}
	if !own {
		return fmt.Errorf("revoke key %s: %w: only its owner or an admin may revoke it", keyID, registry.ErrForbidden)
	}
	return nil
}

// rotateKey registers the caller's new key and revokes their key keyid in one transaction
// (registry.RotateSignerKey).
func (s *Server) rotateKey(w http.ResponseWriter, r *http.Request) {
	var req struct {
		PublicKey []byte `json:"public_key"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	rot, err := s.cfg.Registry.RotateSignerKey(r.Context(), actor(r), r.PathValue("keyid"), ed25519.PublicKey(req.PublicKey))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]any{"keyid": rot.KeyID, "log_index": rot.Added, "revoked_keyid": rot.RevokedKeyID, "revoked_index": rot.Revoked})
}

// createLetter takes multipart/form-data: subject, class, tag (repeatable), to (repeatable)
// and the file.
func (s *Server) createLetter(w http.ResponseWriter, r *http.Request) {
	u, err := s.fileUpload(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := letterFields(u.fields); err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, append(append([]string{u.one("subject"), u.file.Name}, u.fields["to"]...), u.fields["tag"]...)...)
	ref, err := s.cfg.Registry.CreateLetter(r.Context(), actor(r), registry.NewLetter{
		Subject: u.one("subject"), Class: u.one("class"), Tags: u.fields["tag"], Addressees: u.fields["to"], File: u.file})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]any{"reference": ref, "version": 1, "digest": seal.DigestOf(u.file.Data)})
}

// letterFields refuses a new letter's form that gives its subject or class more than once, or
// a field a letter does not have: one reading of a body, as for JSON (jsonbody). The first of
// two subjects was taken, while a proxy or a log that keeps the last read another letter.
func letterFields(fields map[string][]string) error {
	for name, v := range fields {
		switch name {
		case "tag", "to":
		case "subject", "class":
			if len(v) > 1 {
				return fmt.Errorf("%w: the form gives %s %d times: give it once", errBadRequest, name, len(v))
			}
		default:
			return fmt.Errorf("%w: the form has a field %q: a letter takes subject, class, tag and to, and its file", errBadRequest, name)
		}
	}
	return nil
}

func (s *Server) reviseLetter(w http.ResponseWriter, r *http.Request) {
	u, err := s.fileUpload(w, r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, u.file.Name)
	n, err := s.cfg.Registry.Revise(r.Context(), actor(r), r.PathValue("ref"), u.file)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, map[string]any{"reference": r.PathValue("ref"), "version": n, "digest": seal.DigestOf(u.file.Data)})
}

func (s *Server) showLetter(w http.ResponseWriter, r *http.Request) {
	v, err := s.cfg.Registry.Letter(r.Context(), actor(r), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, v)
}

type decisionRequest struct {
	Version string `json:"version"`
	Comment string `json:"comment"`
}

// decide handles approve and reject: {"version": digest read, "comment": "…"}.
func (s *Server) decide(reject bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req decisionRequest
		if err := decodeJSON(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
		if reject {
			if err := s.cfg.Registry.Reject(r.Context(), actor(r), r.PathValue("ref"), req.Version, req.Comment); err != nil {
				s.fail(w, r, err)
				return
			}
			s.showLetter(w, r)
			return
		}
		// The view is read in the approval's own transaction (one transaction, not two).
		v, err := s.cfg.Registry.ApproveView(r.Context(), actor(r), r.PathValue("ref"), req.Version, req.Comment)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, v)
	}
}

func (s *Server) signingStatement(w http.ResponseWriter, r *http.Request) {
	// version, if given, is the digest of the version the signer read: another latest is refused.
	st, err := s.cfg.Registry.SigningStatementOf(r.Context(), actor(r), r.PathValue("ref"), r.URL.Query().Get("version"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"payload_type": seal.SigningPayloadType, "statement": st})
}

type signedRequest struct {
	KeyID     string `json:"keyid"`
	Statement []byte `json:"statement"`
	Sig       []byte `json:"sig"`
	By        string `json:"by,omitempty"`
}

func (s *Server) addSignature(w http.ResponseWriter, r *http.Request) {
	var req signedRequest
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.cfg.Registry.SignView(r.Context(), actor(r), r.PathValue("ref"), req.KeyID, req.Statement, req.Sig)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, v)
}

// releaseRequest is the optional body of a release: {"version": digest read}. Without it,
// or without a version, the latest version is released.
type releaseRequest struct {
	Version string `json:"version"`
}

func (s *Server) release(w http.ResponseWriter, r *http.Request) {
	var req releaseRequest
	if err := decodeOptionalJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	outlastSealWait(w, s.cfg.Registry)
	rel, err := s.cfg.Registry.ReleaseVersion(r.Context(), actor(r), r.PathValue("ref"), req.Version)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := map[string]any{
		"reference": rel.Reference, "log_index": rel.LogIndex, "file_name": rel.FileName,
		"media_type": rel.MediaType, "file_digest": rel.FileDigest, "seal": nil,
		"check_code": rel.CheckCode, "verify_url": s.cfg.Registry.VerifyURL(rel.Reference, rel.CheckCode)}
	if rel.Seal != nil {
		out["seal"] = rawJSON(rel.Seal.Marshal())
	} else {
		// Released and logged; the witnesses have not cosigned a checkpoint covering it yet.
		out["seal_pending"] = rel.SealPending
	}
	writeJSONStatus(w, http.StatusCreated, out)
}

// codeRefused answers 429 to a client that has spent its wrong check codes, before its code
// is judged (so that the answer to a right code cannot be told from a wrong one's), and
// reports whether it did.
func (s *Server) codeRefused(w http.ResponseWriter, r *http.Request) bool {
	if !s.codeJudged(r) {
		return false
	}
	if ok, wait := s.codes.Check(ratelimit.Key(r)); !ok {
		tooMany(w, r, wait)
		return true
	}
	return false
}

// wrongCode charges a wrong check code to the client: a token of the check-code limiter.
func (s *Server) wrongCode(r *http.Request) {
	if s.codeJudged(r) {
		s.codes.Allow(ratelimit.Key(r))
	}
}

// codeJudged reports whether r's check code counts against the check-code limiter: it does
// when limited and given, except from a member with a role, who is answered without it
// (registry.ReleasedFile, Seal, MemberStatus): their code is never judged, and a member's
// mistake must neither cost the others at their address (an office behind one gateway) their
// codes nor leave the member refused.
func (s *Server) codeJudged(r *http.Request) bool {
	if s.codes == nil || r.URL.Query().Get("code") == "" {
		return false
	}
	a := actor(r)
	return a.Member == nil || len(a.Member.Roles) == 0
}

// releasedFile serves the released bytes, to members with a role and to whoever gives the
// letter's check code (?code=): released letters are confidential, not public.
func (s *Server) releasedFile(w http.ResponseWriter, r *http.Request) {
	if s.codeRefused(w, r) {
		return
	}
	data, rel, err := s.cfg.Registry.ReleasedFile(r.Context(), actor(r), r.PathValue("ref"), r.URL.Query().Get("code"))
	if errors.Is(err, registry.ErrNotFound) {
		s.wrongCode(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", rel.MediaType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rel.FileName}))
	w.Header().Set("X-Chancery-Digest", rel.FileDigest)
	// A holder's file: no shared cache keeps it, as the web's /v/REF/CODE/file says too.
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

func (s *Server) letterSeal(w http.ResponseWriter, r *http.Request) {
	if s.codeRefused(w, r) {
		return
	}
	sl, err := s.cfg.Registry.Seal(r.Context(), actor(r), r.PathValue("ref"), r.URL.Query().Get("code"))
	if errors.Is(err, registry.ErrNotFound) {
		s.wrongCode(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(sl.Marshal())
}

// StatusResponse is the JSON of the status and verify endpoints: the Status and its seal.
type StatusResponse struct {
	*registry.Status
	Seal   rawJSON      `json:"seal,omitempty"`
	Latest *LatestProof `json:"latest,omitempty"`
}

func statusResponse(st *registry.Status) StatusResponse {
	out := StatusResponse{Status: st, Seal: st.SealJSON}
	if st.Seal != nil && out.Seal == nil {
		out.Seal = st.Seal.Marshal()
	}
	return out
}

// letterStatus answers for a reference. The public learns only whether a released letter
// with it exists and stands; with the letter's check code (?code=), or as a member with a
// role, the answer is the holder's: details, seal and withdrawal.
func (s *Server) letterStatus(w http.ResponseWriter, r *http.Request) {
	ref, code := r.PathValue("ref"), r.URL.Query().Get("code")
	a := actor(r)
	var st *registry.Status
	var err error
	switch {
	case a.Member != nil && len(a.Member.Roles) > 0:
		st, err = s.cfg.Registry.MemberStatus(r.Context(), a, ref)
	case code != "":
		if s.codeRefused(w, r) {
			return
		}
		var ok bool
		st, ok, err = s.cfg.Registry.StatusWithCode(r.Context(), ref, code)
		if err == nil && !ok {
			s.wrongCode(r)
		}
	default:
		st, err = s.cfg.Registry.StatusOf(r.Context(), ref)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, statusResponse(st))
}

// sealedWriteTimeout is how long the answer of a change that waits for its seal may take
// to write beyond that wait: the server's own write timeout.
const sealedWriteTimeout = time.Minute

// outlastSealWait gives the answer written to w a deadline past reg's seal wait (--seal-wait):
// a release or a withdrawal commits, then waits up to that long for the witnesses, and the
// server's write timeout would otherwise close the connection of a client whose change was
// made, which it would take for a failure.
func outlastSealWait(w http.ResponseWriter, reg *registry.Registry) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(reg.SealWait() + sealedWriteTimeout))
}

// eraseWriteTimeout is how long an erasure's answer may take.
const eraseWriteTimeout = 10 * time.Minute

// erase erases a released letter's content (admins): {"reason": "…"}.
func (s *Server) erase(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	// An erasure zeros the free space of the whole SQLite file (store.Tx.ScrubFreeSpace): on
	// a large office, longer than the server's write timeout (docs/benchmarks.md).
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(eraseWriteTimeout))
	if err := s.cfg.Registry.Erase(r.Context(), actor(r), r.PathValue("ref"), req.Reason); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"reference": r.PathValue("ref"), "erased": true})
}

// verify answers for a digest ({"digest": "sha256:…"}) or for an uploaded file
// (multipart/form-data with a file part), whose digest is computed here.
func (s *Server) verify(w http.ResponseWriter, r *http.Request) {
	var d seal.Digest
	var latest bool
	if ct := r.Header.Get("Content-Type"); len(ct) >= 19 && ct[:19] == "multipart/form-data" {
		var err error
		// 1 or true, as the JSON request's "latest": true, 0 or false; anything else
		// refused, not read as false, which answered without the proof the caller asked for.
		switch v := r.URL.Query().Get("latest"); v {
		case "1", "true":
			latest = true
		case "", "0", "false":
		default:
			s.fail(w, r, fmt.Errorf("%w: latest=%.20q: give latest=1 (or true)", errBadRequest, v))
			return
		}
		if d, err = s.hashUpload(w, r); err != nil {
			s.fail(w, r, err)
			return
		}
	} else if d = plainDigestBody(r, ct); d != "" {
		// The common request, read without a JSON decoder: the same digest, not latest.
	} else {
		var req struct {
			Digest string `json:"digest"`
			Latest bool   `json:"latest"`
		}
		if err := decodeJSON(w, r, &req); err != nil {
			s.fail(w, r, err)
			return
		}
		var err error
		if d, err = seal.ParseDigest(req.Digest); err != nil {
			s.fail(w, r, fmt.Errorf("%w: %v", errBadRequest, err))
			return
		}
		latest = req.Latest
	}
	a := actor(r)
	if a.Member == nil && !latest {
		s.verifyPublic(w, r, d)
		return
	}
	var st *registry.Status
	var err error
	gen := s.encoded.generation()
	if latest {
		// The seal may be a kept one, against an older checkpoint: prove that the latest
		// extends it, and have the log sign the letter's state in it, so the client knows
		// the answer is the log's as it is now.
		var f *registry.Freshness
		if st, f, err = s.cfg.Registry.VerifyLatest(r.Context(), a, d); err != nil {
			s.fail(w, r, err)
			return
		}
		if f != nil {
			out := statusResponse(st)
			out.Latest = &LatestProof{Checkpoint: string(f.Checkpoint), Proof: f.Proof, Status: string(f.Status)}
			writeJSON(w, out)
			return
		}
	} else if st, err = s.cfg.Registry.VerifyDigest(r.Context(), a, d); err != nil {
		s.fail(w, r, err)
		return
	}
	if a.Member == nil {
		s.encoded.write(w, r, st, gen)
		return
	}
	writeJSON(w, statusResponse(st))
}

// LatestProof is what POST /api/v1/verify adds with "latest": true: the latest checkpoint the
// registry serves, the consistency proof from the seal's checkpoint to it, and the log's
// signed status of the letter in its tree (checkpoint.Status).
type LatestProof struct {
	Checkpoint string      `json:"checkpoint"`
	Proof      []tlog.Hash `json:"proof"`
	Status     string      `json:"status"`
}

func (s *Server) withdrawalStatement(w http.ResponseWriter, r *http.Request) {
	var req struct {
		By     string `json:"by"`
		Reason string `json:"reason"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	r = alsoRedact(r, req.By, req.Reason)
	st, pt, o, err := s.cfg.Registry.WithdrawalStatement(r.Context(), actor(r), r.PathValue("ref"), req.By, req.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, map[string]any{"payload_type": pt, "statement": st, "opening": o})
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request) {
	var req struct {
		signedRequest
		Opening *seal.Opening `json:"opening"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	outlastSealWait(w, s.cfg.Registry)
	if _, err := s.cfg.Registry.Withdraw(r.Context(), actor(r), r.PathValue("ref"), req.By, req.KeyID, req.Statement, req.Opening, req.Sig); err != nil {
		s.fail(w, r, err)
		return
	}
	st, err := s.cfg.Registry.MemberStatus(r.Context(), actor(r), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSONStatus(w, http.StatusCreated, statusResponse(st))
}

// exportDraft handles {"recipient", "version"}: version, if given, is the digest of the
// version the member read, refused if it is no longer the latest.
func (s *Server) exportDraft(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Recipient string `json:"recipient"`
		Version   string `json:"version"`
	}
	if err := decodeJSON(w, r, &req); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.cfg.Registry.ExportDraftVersion(r.Context(), actor(r), r.PathValue("ref"), req.Version, req.Recipient)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", c.MediaType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": c.FileName}))
	w.Header().Set("X-Chancery-Digest", c.Digest)
	w.Header().Set("X-Chancery-Version", strconv.Itoa(c.Version))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(c.Data)
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) {
	evs, err := s.cfg.Registry.Audit(r.Context(), actor(r), r.PathValue("ref"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, auditAnswer(evs, false))
}

// auditEvent is an audit event as the API answers it. ID is given in the office's trail
// only, which pages by it; a letter's trail has always been answered without it.
type auditEvent struct {
	ID     int64  `json:"id,omitempty"`
	Time   string `json:"time"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Detail string `json:"detail"`
	Remote string `json:"remote"`
}

// auditAnswer is evs as the API answers them, with their IDs if withID.
func auditAnswer(evs []store.AuditEvent, withID bool) []auditEvent {
	out := []auditEvent{}
	for _, e := range evs {
		a := auditEvent{Time: e.Time.Format("2006-01-02T15:04:05Z07:00"), Actor: e.Actor, Action: e.Action, Detail: e.Detail, Remote: e.Remote}
		if withID {
			a.ID = e.ID
		}
		out = append(out, a)
	}
	return out
}

// officeAudit answers GET /api/v1/audit?before=ID&limit=N (admins): the audit events that
// name no letter, newest first, N of them (100 when not given, at most 1000) before the event
// ID (from the newest when not given); a page resumes with the last event's id.
func (s *Server) officeAudit(w http.ResponseWriter, r *http.Request) {
	v, err := queryParams(r, "before", "limit")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := limitParam(v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if limit == 0 {
		limit = 100
	}
	var before int64
	if b := v.Get("before"); b != "" {
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before < 1 {
			s.fail(w, r, fmt.Errorf("%w: before %q: want an event's id", errBadRequest, b))
			return
		}
	}
	evs, err := s.cfg.Registry.OfficeAudit(r.Context(), actor(r), before, limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, auditAnswer(evs, true))
}

func (s *Server) trust(w http.ResponseWriter, r *http.Request) {
	b, _, err := s.cfg.Registry.TrustRootFile()
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	// Caches may keep the trust root but must ask at every use: one held for minutes after
	// a witness change or an office-key rotation judges seals by what the office no longer
	// has. The ETag makes asking cost a 304.
	sum := sha256.Sum256(b)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, no-cache")
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

// rawJSON is JSON embedded as is.
type rawJSON []byte

func (j rawJSON) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}

func writeJSONStatus(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// An error here is the client going away: there is no one left to tell.
	jsonEncode(w, v)
}
