package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"iter"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/chancery/chancery/internal/i18n"
	"github.com/chancery/chancery/internal/seal"
)

// Verifying many files (issue 19 item 2). The work a letter needs is a SHA-256 of its bytes
// and the Ed25519 checks of its seal; everything else is overhead, which this path keeps
// small: one worker per core (GOMAXPROCS), each with its own buffers for the file, the seal
// and the hash, so that a folder of letters allocates little more than the parsed seals; and
// files read with plain system calls (see read_unix.go) rather than through os.File,
// whose opening registers each file with the runtime's poller: on a virtual machine, where a
// system call is dear, that costs as much again as the reading itself. The checkpoint of a
// folder's seals and the key entries they share are verified once per run by the
// seal.Verifier's caches, which also keep each key decoded (internal/edkey) for the two
// signatures every letter carries. Results are printed as they come, in order, so that the heap holds
// a window of them rather than the whole folder's; and the collector keeps its default pace:
// in a fresh process every page the heap grows into is a page fault, dear on a virtual
// machine (20 µs each on the benchmark's), and a small heap collected often costs less than a
// large one collected seldom (GOGC 400 was tried: 4,100 page faults for 1,000 letters, against
// 3,000 at 100, and more processor time).

// fileChunk is how much of a letter a worker reads at a time: a letter-sized file in one
// read, a larger one in a few without holding it whole. A chunk this size stays in the
// processor's cache between the copy from the kernel and the hashing, and its pages are few
// to fault in.
const fileChunk = 256 << 10

// resultWindow is how many results, per worker, may wait to be printed for a file before
// them: enough that a slow file does not idle the other workers, few enough that a folder
// of any size holds only a handful of results in memory.
const resultWindow = 64

// verifyFiles verifies files with one worker per core and yields their results in the order
// of files, each as soon as it and those before it are known, so that a folder of any size
// keeps no more than a window of them in memory. prog counts each file done.
func (vf *Verifier) verifyFiles(files []string, prog *progress) iter.Seq[Result] {
	return func(yield func(Result) bool) {
		workers := min(runtime.GOMAXPROCS(0), len(files))
		window := min(resultWindow*workers, len(files))
		// A worker takes a token before it takes a file, and the token comes back once that
		// file's result is printed: no worker runs more than the window ahead of the printer,
		// so the files not yet printed are fewer than window, and file i's result has slot
		// i % window of a ring made once, rather than a result allocated for every file.
		results := make([]Result, window)
		tokens := make(chan struct{}, window)
		done := make(chan int, window)
		quit := make(chan struct{})
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sc := newScratch()
				for {
					select {
					case <-quit: // the printer stopped: take no more files
						return
					default:
					}
					select {
					case tokens <- struct{}{}:
					case <-quit:
						return
					}
					i := int(next.Add(1) - 1)
					if i >= len(files) {
						return
					}
					results[i%window] = vf.verify(files[i], sc)
					prog.step()
					done <- i
				}
			}()
		}
		defer wg.Wait()
		defer close(quit)
		ready := make([]bool, len(files))
		var sv splitViews
		// The folders whose seals without a letter a line named: once each, in the line of the
		// first of its letters found without a seal.
		var hinted map[string]bool
		for printed := 0; printed < len(files); {
			ready[<-done] = true
			for ; printed < len(files) && ready[printed]; printed++ {
				r := results[printed%window]
				results[printed%window] = Result{}
				<-tokens
				r, late := sv.see(vf, files, printed, r)
				if printed == 0 {
					r.SealsWithoutLetter = vf.orphans
				}
				if r.noSeal && len(vf.orphans) > 0 {
					if dir := filepath.Dir(r.File); !hinted[dir] && vf.orphanHint(&r) {
						if hinted == nil {
							hinted = map[string]bool{}
						}
						hinted[dir] = true
					}
				}
				if !yield(r) {
					return
				}
				for _, l := range late {
					if !yield(l) {
						return
					}
				}
			}
		}
	}
}

// errNotFile: a seal read beside its letter is not a regular file, nor a link to one.
var errNotFile = errors.New("not a regular file")

// notFileError is errNotFile with what the seal is instead, for its line (notASeal).
type notFileError struct{ kind int }

// The kinds of a notFileError.
const (
	kindOther = iota
	kindDirectory
	kindPipe
	kindDevice
)

func (e notFileError) Error() string        { return errNotFile.Error() }
func (e notFileError) Is(target error) bool { return target == errNotFile }

// errDevice: a letter is a device, or a link to one, which is not read (it may never end).
var errDevice = errors.New("a device, not a file")

// scratch is what one worker reuses from file to file.
type scratch struct {
	buf  []byte    // chunks of the letter
	seal []byte    // the seal file
	h    hash.Hash // SHA-256 of the letter
	sum  [sha256.Size]byte
	// dec parses the seals: it recognises the checkpoint and key entries a folder's seals
	// repeat, and reuses its memory for the rest.
	dec seal.Decoder
}

func newScratch() *scratch {
	return &scratch{h: sha256.New()}
}

// verify verifies one file: its digest, then its seal and (online) the registry's answer.
func (vf *Verifier) verify(file string, sc *scratch) Result {
	res := Result{File: file}
	if target, ok := vf.away[file]; ok && vf.Online != nil {
		// Not read at all: its digest would tell the registry about a file of this computer.
		return vf.Fail(res, i18n.Errorf(nil, "%s is a link to %s, outside its folder: the registry is not asked about it, lest a folder of leaked files make verify send the registry the digest and text of this computer's files; verify %s by its own path if it is a letter",
			file, target, target))
	}
	digest, err := sc.digest(file)
	if err != nil {
		return vf.Fail(res, err)
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
	// The digest's text is the result's one allocation here: the hex is made in the scratch
	// space and copied once into the string.
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], sc.h.Sum(sc.sum[:0]))
	var b strings.Builder
	b.Grow(len("sha256:") + len(hexSum))
	b.WriteString("sha256:")
	b.Write(hexSum[:])
	return seal.Digest(b.String()), nil
}

// readSeal returns the bytes of a seal file, in the scratch buffer: valid until the worker's
// next seal. The Decoder copies what it keeps. A seal file larger than seal.MaxSealSize is
// read only one byte past the bound, which Parse refuses as it would the whole file. A seal
// read beside its letter (beside, not named with --seal) must be a regular file: a named
// pipe there, which a folder of leaked files can hold, would be waited on for ever.
func (sc *scratch) readSeal(name string, beside bool) ([]byte, error) {
	if sc.seal == nil {
		sc.seal = make([]byte, 16<<10)
	}
	data, err := readUpTo(name, sc.seal, seal.MaxSealSize+1, beside)
	if cap(data) > cap(sc.seal) {
		sc.seal = data[:cap(data)]
	}
	return data, err
}

// orphanHint adds to the line of r, a letter without its seal offline, the seals of its
// folder that have no letter beside them, if there are any: the letter may have been renamed
// after its seal was saved. It reports whether it added them.
func (vf *Verifier) orphanHint(r *Result) bool {
	dir := filepath.Dir(r.File)
	var near []string
	for _, o := range vf.orphans {
		if filepath.Dir(o) == dir {
			near = append(near, o)
		}
	}
	switch {
	case len(near) == 0:
		return false
	case len(near) == 1:
		r.Add(vf.T(" (%s has no letter beside it: if this letter was renamed, give its seal with --seal %s)", Printable(near[0]), shellWord(Printable(near[0]))))
	default:
		names := make([]string, 0, 3)
		for _, o := range near[:min(len(near), 3)] {
			names = append(names, Printable(o))
		}
		list := strings.Join(names, ", ")
		if len(near) > 3 {
			list += ", …"
		}
		r.Add(vf.T(" (%s have no letter beside them: if this letter was renamed, give its seal with --seal SEALFILE)", list))
	}
	return true
}
