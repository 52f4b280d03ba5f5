package server

import (
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/seal"
)

// encodedStatuses keeps the JSON of the registry's shared public answers, so that the verify
// endpoint encodes each answer once: the registry returns the same *Status until the answer
// changes, and the pointer tells whether the bytes kept are still that answer's. An answer
// that is not shared (Status.Shared: not cached, as on PostgreSQL, or not yet) is encoded in a
// pooled buffer and not kept: keeping it would only fill the map with answers nobody asks for
// again (a lookup spread over many letters).
//
// An erasure empties it (forget, through the registry's OnForgetContent): the answers it
// made stale are given no more, but kept what it erased (a retracted letter's subject and
// reason) in memory until the map filled; an answer read before it is not kept after.
type encodedStatuses struct {
	mu  sync.Mutex
	m   map[*registry.Status][]byte
	gen atomic.Uint64 // moved by forget, under mu: read without it on the hot path
}

// generation returns the generation an answer is read in, to be taken before it is asked for.
func (c *encodedStatuses) generation() uint64 { return c.gen.Load() }

// forget drops the encodings kept, after an erasure.
func (c *encodedStatuses) forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
	c.gen.Add(1)
}

// maxEncoded bounds the kept encodings; when full, the map starts afresh.
const maxEncoded = 1 << 16

// answerBuffers are the buffers of answers that are not kept.
var answerBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// The verify answer's header values, set as they are rather than through Header.Set, which
// allocates a slice for each; net/http only reads them.
var (
	jsonContentType = []string{"application/json"}
	noStore         = []string{"no-store"}
)

// write writes the answer st, read in generation gen (generation), keeping its encoding.
func (c *encodedStatuses) write(w http.ResponseWriter, r *http.Request, st *registry.Status, gen uint64) {
	if !st.Shared() {
		bp := answerBuffers.Get().(*[]byte)
		body, err := encodeStatus((*bp)[:0], st)
		if err != nil {
			writeJSON(w, statusResponse(st))
			return
		}
		writeAnswer(w, r, body)
		// An answer carries one seal: a buffer that grew past any answer is not kept.
		if cap(body) <= 64<<10 {
			*bp = body[:0]
			answerBuffers.Put(bp)
		}
		return
	}
	c.mu.Lock()
	body, ok := c.m[st]
	c.mu.Unlock()
	if !ok {
		var err error
		if body, err = encodeStatus(nil, st); err != nil {
			writeJSON(w, statusResponse(st))
			return
		}
		c.mu.Lock()
		if gen == c.gen.Load() {
			if c.m == nil || len(c.m) >= maxEncoded {
				c.m = make(map[*registry.Status][]byte)
			}
			c.m[st] = body
		}
		c.mu.Unlock()
	}
	writeAnswer(w, r, body)
}

// writeAnswer writes an encoded answer in one Write, and on the connection in one write
// (sendWhole). Answers with a seal are over net/http's 2 KB chunking threshold: with the
// length known, the body goes out as it is, without chunk framing.
func writeAnswer(w http.ResponseWriter, r *http.Request, body []byte) {
	h := w.Header()
	h["Content-Type"] = jsonContentType
	h["Cache-Control"] = noStore
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	sendWhole(w, r, body)
}

// encodeStatus appends to b what statusResponse would encode (registry.AppendStatusJSON).
func encodeStatus(b []byte, st *registry.Status) ([]byte, error) {
	return registry.AppendStatusJSON(b, st)
}

// verifyPublic answers the public's verify request for digest: a kept answer is written as the
// registry gives it, in one Write; any other as before (write).
func (s *Server) verifyPublic(w http.ResponseWriter, r *http.Request, d seal.Digest) {
	bp := answerBuffers.Get().(*[]byte)
	defer answerBuffers.Put(bp) // the buffer as it was: an answer that outgrew it is rare
	gen := s.encoded.generation()
	st, body, err := s.cfg.Registry.PublicVerify(r.Context(), d, (*bp)[:0])
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if body != nil {
		writeAnswer(w, r, body)
		return
	}
	s.encoded.write(w, r, st, gen)
}
