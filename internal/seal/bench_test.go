package seal

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/dsse"
	"github.com/chancery/chancery/internal/entry"
)

// BenchmarkVerify measures offline verification of a seal with two signers, from the seal's
// bytes and the file's bytes to the result, as a verifier does for each file, and
// compares it with the physical limit: hashing the same bytes with SHA-256 plus the three
// Ed25519 verifications a seal needs once its checkpoint and key entries are cached (the
// office's signature of the release and the two signers'). Each iteration does the limit's
// work and then the verification, timed apart, so that both share the machine's load; it
// reports seals/s, limit-seals/s and pct-of-limit (its ns/op counts both). "cold" verifies
// each seal with a new Verifier, which checks the checkpoint, the cosignature and the key
// entries every time.
//
// Seals of both formats are measured in the same run: v1 (statements in the clear) and v2
// (confidential entries, whose openings the verifier also checks: two more SHA-256 of small
// statements and their decoding).
//
//	go test ./internal/seal -run '^$' -bench BenchmarkVerify -benchtime 2000x
func BenchmarkVerify(b *testing.B) {
	for _, size := range []int{100 << 10, 5 << 20} {
		for _, format := range []string{"v1", "v2"} {
			benchmarkVerify(b, size, format)
		}
	}
}

func benchmarkVerify(b *testing.B, size int, format string) {
	{
		name := fmt.Sprintf("%dKB", size>>10)
		if size >= 1<<20 {
			name = fmt.Sprintf("%dMB", size>>20)
		}
		name += "/" + format
		file := make([]byte, size)
		rng := rand.NewChaCha8([32]byte{})
		rng.Read(file)

		o, rs, i := releasedInLog(b, format, file)
		sl := o.seal(b, i, true)
		data := sl.Marshal()
		b.Logf("%s: seal of %d bytes, release entry of %d bytes", name, len(data), len(sl.Release.Entry))
		tr := o.trustRoot(1)

		// The limit checks the very signatures the seal carries: the office's over the
		// release entry and the signers' over the signing statement.
		type check struct {
			pub      ed25519.PublicKey
			msg, sig []byte
		}
		e, err := entry.Decode(o.entries[i])
		if err != nil {
			b.Fatal(err)
		}
		st := *rs
		checks := []check{{o.office.Public().(ed25519.PublicKey), dsse.PAE(e.Envelope.PayloadType, e.Envelope.Payload), e.Envelope.Signatures[0].Sig}}
		for _, sig := range st.Signatures {
			checks = append(checks, check{o.members[sig.Signer].Public().(ed25519.PublicKey), SigningMessage(st.Signing()), sig.Sig})
		}
		b.Run(name+"/seal", func(b *testing.B) {
			v := newTestVerifier(b, tr)
			var limit, verify time.Duration
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				sha256.Sum256(file)
				for _, c := range checks {
					if !ed25519.Verify(c.pub, c.msg, c.sig) {
						b.Fatal("verify failed")
					}
				}
				t1 := time.Now()
				verifyOnce(b, v, data, file)
				limit += t1.Sub(t0)
				verify += time.Since(t1)
			}
			b.ReportMetric(float64(b.N)/verify.Seconds(), "seals/s")
			b.ReportMetric(float64(b.N)/limit.Seconds(), "limit-seals/s")
			b.ReportMetric(100*limit.Seconds()/verify.Seconds(), "pct-of-limit")
		})
		b.Run(name+"/cold", func(b *testing.B) {
			b.SetBytes(int64(size))
			for b.Loop() {
				verifyOnce(b, newTestVerifier(b, tr), data, file)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "seals/s")
		})
	}
}

func verifyOnce(b *testing.B, v *Verifier, data, file []byte) {
	s, err := Parse(data)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := v.VerifyBytes(s, file); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkFolderSeal measures what a folder's verification does for each letter in this
// package, as `chancery verify` does it: one Decoder and one warm Verifier, a seal parsed and
// verified (Decoder.Verify) against the file's digest, already computed. Its allocs/op and
// B/op are the seal's share of the garbage a letter makes (issue 19 item 2); they do not
// depend on the machine. TestDecoderVerifyAllocations bounds them.
//
//	go test ./internal/seal -run '^$' -bench BenchmarkFolderSeal -benchmem
func BenchmarkFolderSeal(b *testing.B) {
	for _, format := range []string{"v1", "v2"} {
		b.Run(format, func(b *testing.B) {
			data, file, tr := folderSeal(b, format)
			v := newTestVerifier(b, tr)
			digest := DigestOf(file)
			var d Decoder
			b.ReportAllocs()
			for b.Loop() {
				s, err := d.Parse(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := d.Verify(v, s, digest); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// folderSeal returns a seal as the registry issues it for a folder's letter: two signers, a
// cosigned checkpoint over a log of some size, in the given format; the file it seals; and
// the trust root.
func folderSeal(b testing.TB, format string) (data, file []byte, tr *TrustRoot) {
	file = make([]byte, 100<<10)
	rand.NewChaCha8([32]byte{}).Read(file)
	o, _, i := releasedInLog(b, format, file)
	return o.seal(b, i, true).Marshal(), file, o.trustRoot(1)
}

// releasedInLog releases file, signed by two members, in a test office's log of the given
// format, followed by 5,000 more entries so that proofs have realistic lengths (13 hashes);
// it returns the office, the release statement and the release's index.
func releasedInLog(b testing.TB, format string, file []byte) (*testOffice, *ReleaseStatement, int64) {
	o := newTestOffice(b, "Task Force North", "letters.example.org/log", 0x10)
	rs := o.releaseStatement(b, "TFN-2026-000200", file, releasedAt, "alice", "bob")
	var i int64
	if format == "v1" {
		o.addKey(b, "alice", keysAddedAt)
		o.addKey(b, "bob", keysAddedAt)
		i = o.logStatement(b, entry.Release, rs, o.office)
	} else {
		o.addKeyV2(b, "alice", keysAddedAt)
		o.addKeyV2(b, "bob", keysAddedAt)
		i = o.logRelease(b, rs, nil)
	}
	for range 5000 {
		o.append(b, []byte("filler"))
	}
	return o, rs, i
}
