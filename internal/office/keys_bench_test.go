package office_test

import (
	"path/filepath"
	"testing"

	"github.com/chancery/chancery/internal/hsm/hsmtest"
)

// BenchmarkReleaseOfficeKey measures releases through the registry (the gate's checks, the
// office signature, the log's commit, the seal), with the office key (and the log key) in a
// key file and in a SoftHSM2 token, in the same run. Drafting, approval and signing happen
// outside the timer: only Registry.Release is timed, one release at a time.
//
//	go test ./internal/office -run '^$' -bench ReleaseOfficeKey -benchtime 200x -count 3
func BenchmarkReleaseOfficeKey(b *testing.B) {
	for _, where := range []string{"file", "softhsm"} {
		b.Run(where, func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "reg")
			var tok string
			if where == "softhsm" {
				pin := hsmtest.Token(b, "chancery", "office", "log")
				tok = initOffice(b, dir, "--office-key", hsmtest.URI("chancery", "office", pin), "--log-key", hsmtest.URI("chancery", "log", pin))
			} else {
				tok = initOffice(b, dir)
			}
			st, closeOffice := open(b, dir)
			defer closeOffice()
			l := newLetters(b, st, tok)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				ref := l.prepare(b, st.Registry)
				b.StartTimer()
				if _, err := st.Registry.Release(b.Context(), l.officer, ref); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "releases/s")
		})
	}
}
