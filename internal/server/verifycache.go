package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
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
	// Answers with a seal are over net/http's 2 KB chunking threshold: with the length known,
	// the body goes out as it is, without chunk framing.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

// encodeStatus writes what statusResponse would encode, with the seal's JSON spliced in as it
// is: encoding/json would validate and re-compact those kilobytes at every encoding.
func encodeStatus(st *registry.Status) ([]byte, error) {
	b, err := json.Marshal(st)
	if err != nil || st.Seal == nil {
		return append(b, '\n'), err
	}
	sl := st.SealJSON
	if sl == nil {
		sl = st.Seal.Marshal()
	}
	sl = bytes.TrimRight(sl, "\n")
	var out bytes.Buffer
	out.Grow(len(b) + len(`,"seal":`) + len(sl) + len("}\n"))
	out.Write(b[:len(b)-1])
	out.WriteString(`,"seal":`)
	out.Write(sl)
	out.WriteString("}\n")
	return out.Bytes(), nil
}
