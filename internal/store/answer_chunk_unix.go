//go:build unix

package store

import "syscall"

// newAnswerChunk returns an empty slice with room for n bytes, mapped outside the Go heap.
//
// A million held answers are about 1.6 GB. Inside the heap they counted towards the
// collector's goal, which is twice the live heap by default: the server then took fresh,
// never-touched pages for its request garbage until the heap reached 3.7 GB, and it faulted
// them in, 10,000–15,000 times a second under load, in the tail of its latency
// (docs/benchmarks.md, issue 19 item 1). Outside the heap the goal follows the server's own
// live data, and its garbage reuses pages it has already touched.
//
// The mapping is never unmapped: a lookup's slices stay valid after it lets go of the
// mirror's lock, also while its DB is being closed, and a server holds its answers for its
// whole life. If the mapping fails, the chunk is made on the heap.
func newAnswerChunk(n int) []byte {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return make([]byte, 0, n)
	}
	return b[:0]
}
