package registry

import (
	"sync"
	"unsafe"
	"weak"
)

// sharedFiles hands the requests that read one released file at once one copy of its bytes.
// Whoever holds a letter's check code (printed on it: every holder of a leaked letter) may
// fetch its released file, up to the upload limit (50 MB by default), as often as the rate
// limit allows, and a client that reads slowly keeps its request, and the bytes it is being
// sent, for as long as the server's write timeout: with one copy each, a few clients held
// gigabytes. The copy is held weakly: it goes once no request holds it, so nothing of a
// file stays in memory between downloads (erasure needs none to).
type sharedFiles struct {
	mu sync.Mutex
	m  map[string]sharedFile // by file digest
}

// sharedFile is a copy of a file's bytes, by a weak pointer to its first byte (a slice of
// the copy keeps the whole copy alive) and its length.
type sharedFile struct {
	first weak.Pointer[byte]
	n     int
}

// get returns the copy of the file with this digest that a request holds, or nil.
func (s *sharedFiles) get(digest string) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.m[digest]
	if !ok {
		return nil
	}
	p := f.first.Value()
	if p == nil {
		delete(s.m, digest)
		return nil
	}
	return unsafe.Slice(p, f.n)
}

// put makes data the copy of the file with this digest that later requests get while any
// holds it; data must not be changed by anyone from then on.
func (s *sharedFiles) put(digest string, data []byte) {
	if len(data) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = make(map[string]sharedFile)
	}
	s.m[digest] = sharedFile{first: weak.Make(&data[0]), n: len(data)}
}
