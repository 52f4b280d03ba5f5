package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
)

// One write per answer (issue 19 item 1). net/http writes a response through a 4 KiB buffer
// on the connection: a verify answer of about 5.3 KB with its headers left in two writes, two
// trips through the kernel's TCP stack and, for the client, two wake-ups for one answer. The
// connections of Listener can gather what a handler writes while it sends a whole response
// (sendWhole), and pass it on in one write.

// Listener returns ln, whose connections can send a whole response in one write. Serve it
// with ConnContext as the http.Server's ConnContext, so that handlers find the connection.
func Listener(ln net.Listener) net.Listener { return gatherListener{ln} }

type gatherListener struct{ net.Listener }

func (l gatherListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &gatherConn{Conn: c}, nil
}

type connKey struct{}

// ConnContext is the http.Server's ConnContext for the connections of Listener.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if g, ok := c.(*gatherConn); ok {
		return context.WithValue(ctx, connKey{}, g)
	}
	return ctx
}

// gatherConn is a connection that keeps what is written to it while gathering. Only the
// goroutine that serves the connection writes to it (net/http, HTTP/1), which is the one
// that gathers.
type gatherConn struct {
	net.Conn
	gathered *[]byte // nil when not gathering
}

var gatherBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

func (c *gatherConn) Write(p []byte) (int, error) {
	if c.gathered != nil {
		*c.gathered = append(*c.gathered, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// ReadFrom keeps the connection's own (sendfile for static files).
func (c *gatherConn) ReadFrom(r io.Reader) (int64, error) {
	if c.gathered != nil {
		return io.Copy(struct{ io.Writer }{c}, r)
	}
	return io.Copy(c.Conn, r)
}

// CloseWrite keeps the connection's own, which net/http calls before closing a connection
// whose client may still be sending.
func (c *gatherConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.ErrUnsupported
}

// sendWhole writes body as the whole response to r, with the headers set on w (and a
// Content-Length, which the caller sets), in one write to the connection when it is one of
// Listener's; else as any other response.
func sendWhole(w http.ResponseWriter, r *http.Request, body []byte) {
	c, _ := r.Context().Value(connKey{}).(*gatherConn)
	if c == nil || c.gathered != nil {
		w.Write(body)
		return
	}
	bp := gatherBuffers.Get().(*[]byte)
	*bp = (*bp)[:0]
	c.gathered = bp
	w.Write(body)
	// The status line, the headers and the body reach the connection now, gathered.
	http.NewResponseController(w).Flush()
	c.gathered = nil
	// A failed write is net/http's to see: its next read of the connection fails.
	c.Conn.Write(*bp)
	if cap(*bp) <= 64<<10 {
		gatherBuffers.Put(bp)
	}
}
