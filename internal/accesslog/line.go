package accesslog

import (
	"io"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// lines writes access log lines without log/slog, for the loggers NewLogger makes: the same
// bytes as slog's TextHandler or JSONHandler (with no options) followed by the request ID that
// Handler adds, checked against them by FuzzLine, but with no allocation and no reflection.
// Through slog the line was a tenth of the server's time for a cached verify answer
// (docs/benchmarks.md, issue 19 item 1).
type lines struct {
	json bool
	w    *lockedWriter
}

// lockedWriter serializes the writes of slog's handler and of lines, so that their lines
// never interleave. Access log lines (buffer) are kept in memory and written together, at most
// flushDelay after the first of them, when flushSize bytes are waiting, before any other
// record, and by Flush: one write system call per request was 4-15% of the server's time under
// a load of public verify lookups (docs/benchmarks.md, issue 19 item 1). The price: the access
// lines of the last flushDelay are lost if the process crashes or is killed without Flush.
// Other records (errors, the server's own messages) are written at once, after the access
// lines before them.
type lockedWriter struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	timer *time.Timer // armed while buf holds lines
}

// flushDelay is the longest an access line waits in memory: short enough that someone
// following the log sees each request at once, long enough for a busy server to write many
// lines in one call.
const flushDelay = 50 * time.Millisecond

// flushSize is how many waiting bytes are written at once, without waiting for the timer.
const flushSize = 32 << 10

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushLocked()
	return l.w.Write(p)
}

// buffer keeps an access line to be written with the next flush.
func (l *lockedWriter) buffer(p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	switch {
	case len(l.buf) >= flushSize:
		l.flushLocked()
	case l.timer == nil:
		l.timer = time.AfterFunc(flushDelay, l.flush)
	}
}

func (l *lockedWriter) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushLocked()
}

// flushLocked writes what is waiting and disarms the timer. An error is dropped, as slog's
// handlers drop theirs: a log that cannot be written must not stop the server.
func (l *lockedWriter) flushLocked() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	if len(l.buf) == 0 {
		return
	}
	l.w.Write(l.buf)
	if cap(l.buf) > 4*flushSize {
		l.buf = nil // one burst of long lines does not keep its buffer
		return
	}
	l.buf = l.buf[:0]
}

// lineBuffers are the buffers lines are formatted in.
var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// accessLine is what an access log line says.
type accessLine struct {
	at                  time.Time
	method, route, path string
	status              int
	bytes               int64
	durationMS          float64
	requestID           string
}

func (l *lines) write(a *accessLine) {
	bp := lineBuffers.Get().(*[]byte)
	b := l.append((*bp)[:0], a)
	l.w.buffer(b)
	// A path is cut to 256 bytes, so lines stay small; an unusually long one is not kept.
	if cap(b) <= 4096 {
		*bp = b
		lineBuffers.Put(bp)
	}
}

// append appends a's line as slog's handler writes the record
// LogAttrs(ctx, LevelInfo, "request", method, route, path, status, bytes, duration_ms) with the
// request_id that idHandler adds.
func (l *lines) append(b []byte, a *accessLine) []byte {
	if l.json {
		b = append(b, `{"time":"`...)
		b = a.at.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `","level":"INFO","msg":"request","method":`...)
		b = appendJSONString(b, a.method)
		b = append(b, `,"route":`...)
		b = appendJSONString(b, a.route)
		b = append(b, `,"path":`...)
		b = appendJSONString(b, a.path)
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(a.status), 10)
		b = append(b, `,"bytes":`...)
		b = strconv.AppendInt(b, a.bytes, 10)
		b = append(b, `,"duration_ms":`...)
		b = appendJSONFloat(b, a.durationMS)
		if a.requestID != "" {
			b = append(b, `,"request_id":`...)
			b = appendJSONString(b, a.requestID)
		}
		return append(b, "}\n"...)
	}
	b = append(b, "time="...)
	b = appendRFC3339Millis(b, a.at)
	b = append(b, " level=INFO msg=request method="...)
	b = appendTextString(b, a.method)
	b = append(b, " route="...)
	b = appendTextString(b, a.route)
	b = append(b, " path="...)
	b = appendTextString(b, a.path)
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(a.status), 10)
	b = append(b, " bytes="...)
	b = strconv.AppendInt(b, a.bytes, 10)
	b = append(b, " duration_ms="...)
	b = strconv.AppendFloat(b, a.durationMS, 'g', -1, 64)
	if a.requestID != "" {
		b = append(b, " request_id="...)
		b = appendTextString(b, a.requestID)
	}
	return append(b, '\n')
}

// appendRFC3339Millis is slog's time in text lines: RFC 3339 with exactly three digits of
// milliseconds, truncated.
func appendRFC3339Millis(b []byte, t time.Time) []byte {
	const prefixLen = len("2006-01-02T15:04:05.000")
	n := len(b)
	t = t.Truncate(time.Millisecond).Add(time.Millisecond / 10)
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b[:n+prefixLen], b[n+prefixLen+1:]...)
}

// appendJSONFloat writes f, finite, as encoding/json does, which slog's JSON handler calls
// for floats.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendTextString writes s as slog's text handler does: as it is, or quoted when it is empty
// or holds a space, '=', '"', a control character, or a rune that is not printable.
func appendTextString(b []byte, s string) []byte {
	if needsQuoting(s) {
		return strconv.AppendQuote(b, s)
	}
	return append(b, s...)
}

func needsQuoting(s string) bool {
	if len(s) == 0 {
		return true
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c != '\\' && (c == ' ' || c == '=' || !jsonSafe(c)) {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			return true
		}
		i += size
	}
	return false
}

// jsonSafe reports whether the ASCII byte c goes into a JSON string as it is.
func jsonSafe(c byte) bool { return c >= 0x20 && c != '"' && c != '\\' }

// appendJSONString writes s quoted as slog's JSON handler does: \n, \r and \t, other control
// characters as \u00XX, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped, no HTML escaping.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe(c) {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
