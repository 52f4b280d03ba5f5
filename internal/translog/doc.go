// Package translog is Chancery's transparency log: an append-only Merkle tree with RFC 6962
// hashing, stored as C2SP tlog-tiles in the store, with a C2SP tlog-checkpoint signed as a C2SP
// signed-note after every committed batch.
//
// The tree maths and proofs are golang.org/x/mod/sumdb/tlog's; the checkpoint signatures are
// golang.org/x/mod/sumdb/note's. This package adds the sequencer, which group-commits
// concurrent appends (one fsync per batch, not per entry) in the same store transaction as the
// registry changes they record, and the tile and proof reads that the server and the verifier
// need. The byte formats are specified in docs/log-format.md.
package translog
