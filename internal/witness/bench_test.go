package witness

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/chancery/chancery/internal/checkpoint"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// chain is a log's history, precomputed: the signed checkpoint of every size from 1 to n and
// the consistency proof from each size to the next.
type chain struct {
	vkey   string
	cps    [][]byte      // cps[i] is the checkpoint of size i+1
	proofs [][]tlog.Hash // proofs[i] proves size i+1 from size i
}

var benchLogs atomic.Int64

func newChain(b *testing.B, n int) chain {
	b.Helper()
	origin := fmt.Sprintf("bench%d.test.example/log", benchLogs.Add(1))
	skey, vkey, err := note.GenerateKey(nil, origin)
	if err != nil {
		b.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		b.Fatal(err)
	}
	var hashes []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	c := chain{vkey: vkey}
	for i := range int64(n) {
		hs, err := tlog.StoredHashes(i, fmt.Appendf(nil, "entry %d", i), r)
		if err != nil {
			b.Fatal(err)
		}
		hashes = append(hashes, hs...)
		root, err := tlog.TreeHash(i+1, r)
		if err != nil {
			b.Fatal(err)
		}
		cp, err := note.Sign(&note.Note{Text: string(checkpoint.Checkpoint{Origin: origin, Size: i + 1, Root: root}.Marshal())}, s)
		if err != nil {
			b.Fatal(err)
		}
		var p tlog.TreeProof
		if i > 0 {
			if p, err = tlog.ProveTree(i+1, i, r); err != nil {
				b.Fatal(err)
			}
		}
		c.cps = append(c.cps, cp)
		c.proofs = append(c.proofs, p)
	}
	return c
}

// BenchmarkCosign measures cosignatures per second of Chancery's witness and of litewitness
// (v0.6.1, its key in an ssh-agent), each on loopback, each request growing one log by one
// entry with a consistency proof, through Chancery's client. Run with:
//
//	go test -run XXX -bench Cosign -benchtime 2000x ./internal/witness/
func BenchmarkCosign(b *testing.B) {
	cw := startChanceryWitness(b, "", "")
	lw := startLitewitness(b)
	for _, name := range []string{"chancery", "litewitness"} {
		b.Run(name, func(b *testing.B) {
			ch := newChain(b, b.N)
			var c *Client
			switch name {
			case "chancery":
				if _, err := cw.st.AddLog(context.Background(), originOf(ch), ch.vkey); err != nil {
					b.Fatal(err)
				}
				c = newClient(b, name, cw.url, cw.key.VerifierKey())
			case "litewitness":
				lw.addLog(originOf(ch), ch.vkey)
				c = newClient(b, name, lw.url, lw.vkey)
			}
			ctx := context.Background()
			b.ResetTimer()
			for i := range b.N {
				if _, err := c.AddCheckpoint(ctx, int64(i), ch.proofs[i], ch.cps[i]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cosignatures/s")
		})
	}
}

func originOf(c chain) string {
	v, err := note.NewVerifier(c.vkey)
	if err != nil {
		panic(err)
	}
	return v.Name()
}
