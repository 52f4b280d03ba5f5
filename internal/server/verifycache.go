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
		var err error
		if body, err = encodeStatus(st); err != nil {
			writeJSON(w, statusResponse(st))
			return
		}
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

// encodeStatus writes what statusResponse would encode, with the seal's JSON spliced in as it
// is: encoding/json would validate and re-compact those kilobytes at every encoding.
func encodeStatus(st *registry.Status) ([]byte, error) {
	b, err := json.Marshal(st)
	if err != nil || st.Seal == nil {
		return append(b, '\n'), err
	}
	var out bytes.Buffer
	out.Write(b[:len(b)-1])
	out.WriteString(`,"seal":`)
	sl := st.SealJSON
	if sl == nil {
		sl = st.Seal.Marshal()
	}
	out.Write(bytes.TrimRight(sl, "\n"))
	out.WriteString("}\n")
	return out.Bytes(), nil
}
