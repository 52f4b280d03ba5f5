package server

import (
	"io"
	"testing"

	"github.com/chancery/chancery/internal/accesslog"
)

// BenchmarkVerifyAPIAccessLog is BenchmarkVerifyAPI with the access log on, as serve runs it
// (JSON lines, here to io.Discard: the cost of formatting, not of the disk).
func BenchmarkVerifyAPIAccessLog(b *testing.B) {
	s, body := verifyBench(b)
	logger, err := accesslog.NewLogger(io.Discard, "json")
	if err != nil {
		b.Fatal(err)
	}
	s.cfg.AccessLog, s.cfg.Logger = true, logger
	benchVerify(b, s, body)
}
