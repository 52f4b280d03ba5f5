package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/chancery/chancery/internal/seal"
)

// Verifying many files (issue 19 item 2). The work a letter needs is a SHA-256 of its bytes
// and the Ed25519 checks of its seal; everything else is overhead, which this path keeps
// small: one worker per core (GOMAXPROCS), each with its own buffers for the file, the seal
// and the hash, so that a folder of letters allocates little more than the parsed seals; and
// files read with plain system calls (see readfile_unix.go) rather than through os.File,
// whose opening registers each file with the runtime's poller: on a virtual machine, where a
// system call is dear, that costs as much again as the reading itself. The checkpoint of a
// folder's seals and the key entries they share are verified once per run by the
// seal.Verifier's caches.

// fileChunk is how much of a letter a worker reads at a time: a letter-sized file in one
// read, a larger one in a few without holding it whole.
const fileChunk = 1 << 20

// verifyFiles verifies files with one worker per core and returns their results in the
// order of files. prog counts each file done.
func (vf *verifier) verifyFiles(files []string, prog *progress) []VerifyResult {
	results := make([]VerifyResult, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sc := newScratch()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(files) {
					return
				}
				results[i] = vf.verify(files[i], sc)
				prog.step()
			}
		}()
	}
	wg.Wait()
	return results
}

// scratch is what one worker reuses from file to file.
type scratch struct {
	buf  []byte    // chunks of the letter
	seal []byte    // the seal file
	h    hash.Hash // SHA-256 of the letter
	sum  [sha256.Size]byte
}

func newScratch() *scratch {
	return &scratch{h: sha256.New()}
}

// verify verifies one file: its digest, then its seal and (online) the registry's answer.
func (vf *verifier) verify(file string, sc *scratch) VerifyResult {
	res := VerifyResult{File: file}
	digest, err := sc.digest(file)
	if err != nil {
		res.Outcome, res.Error, res.Message = "error", err.Error(), "could not verify: "+err.Error()
		return res
	}
	res.Digest = string(digest)
	return vf.check(res, digest, sc)
}

// digest returns the SHA-256 digest of a file, read in chunks into the scratch buffer.
func (sc *scratch) digest(name string) (seal.Digest, error) {
	if sc.buf == nil {
		sc.buf = make([]byte, fileChunk)
	}
	sc.h.Reset()
	if err := readChunks(name, sc.buf, func(p []byte) { sc.h.Write(p) }); err != nil {
		return "", err
	}
	out := make([]byte, 0, len("sha256:")+2*sha256.Size)
	out = append(out, "sha256:"...)
	out = hex.AppendEncode(out, sc.h.Sum(sc.sum[:0]))
	return seal.Digest(out), nil
}

// readSeal returns the bytes of a seal file, in the scratch buffer: valid until the worker's
// next seal. seal.Parse copies what it keeps. A seal file larger than seal.MaxSealSize is
// read only one byte past the bound, which Parse refuses as it would the whole file.
func (sc *scratch) readSeal(name string) ([]byte, error) {
	if sc.seal == nil {
		sc.seal = make([]byte, 16<<10)
	}
	data, err := readUpTo(name, sc.seal, seal.MaxSealSize+1)
	if cap(data) > cap(sc.seal) {
		sc.seal = data[:cap(data)]
	}
	return data, err
}
