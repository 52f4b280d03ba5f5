package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"

	"github.com/chancery/chancery/internal/registry"
)

// encodedStatuses keeps the JSON of the registry's shared public answers, so that the verify
// endpoint encodes each answer once: the registry returns the same *Status until the answer
// changes, and the pointer tells whether the bytes kept are still that answer's.
type encodedStatuses struct {
	mu sync.Mutex
	m  map[*registry.Status][]byte
}

// maxEncoded bounds the kept encodings; when full, the map starts afresh.
const maxEncoded = 1 << 16

func (c *encodedStatuses) write(w http.ResponseWriter, st *registry.Status) {
	c.mu.Lock()
	body, ok := c.m[st]
	c.mu.Unlock()
	if !ok {
		var b bytes.Buffer
		if err := json.NewEncoder(&b).Encode(statusResponse(st)); err != nil {
			writeJSON(w, statusResponse(st))
			return
		}
		body = b.Bytes()
		c.mu.Lock()
		if c.m == nil || len(c.m) >= maxEncoded {
			c.m = make(map[*registry.Status][]byte)
		}
		c.m[st] = body
		c.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}
