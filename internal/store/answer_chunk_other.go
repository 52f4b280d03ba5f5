//go:build !unix

package store

// newAnswerChunk returns an empty slice with room for n bytes, on the heap where mapping
// memory outside it is not done (see answer_chunk_unix.go).
func newAnswerChunk(n int) []byte { return make([]byte, 0, n) }
