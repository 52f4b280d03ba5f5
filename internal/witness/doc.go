// Package witness is Chancery's side of C2SP tlog-witness (https://c2sp.org/tlog-witness) in
// both directions.
//
// As a log, Chancery sends its checkpoints to witnesses: a Client talks to one witness (one
// add-checkpoint request, its cosignature checked against the witness's key and the checkpoint),
// and a Pool keeps every configured witness up to date with the log, one goroutine per
// witness, learning a witness's size from its 409 answers and retrying a witness that is down.
//
// As a witness, Chancery cosigns other logs' checkpoints: a Server is the add-checkpoint
// handler, backed by a Store (its own SQLite file) that records, per log origin, the log's
// keys and the latest size and root it cosigned, and by a Key, the witness's Ed25519
// cosignature/v1 key (C2SP tlog-cosignature).
//
// The wire format is specified by C2SP tlog-witness; docs/witnesses.md describes how
// operators use both sides.
package witness
