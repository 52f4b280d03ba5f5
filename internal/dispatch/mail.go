package dispatch

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	mail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// SMTP is a parsed --smtp URL: smtp://host:port (plain, STARTTLS when the server offers it),
// smtp://host:port?starttls=required (no message unless STARTTLS succeeds, the certificate
// checked), smtps://user:pass@host:port (TLS from the first byte), with optional credentials.
type SMTP struct {
	Host     string
	Port     int
	TLS      bool // implicit TLS (smtps)
	User     string
	Password string
	// RequireSTARTTLS (smtp only) refuses a session the server does not take to TLS by
	// STARTTLS: without it, whoever sits on the path can strip the server's STARTTLS offer
	// and read the letters, which then go in clear.
	RequireSTARTTLS bool
	// timeout bounds the connection with its greeting, each command's exchange, and the wait
	// between two writes of a message's data and for the answer after the last (30 s when
	// zero); a message's whole exchange is bounded by its claim (Dispatcher.send).
	timeout time.Duration
	// roots, if set, replaces the system's certificate authorities (tests).
	roots *x509.CertPool
	// helo is the name the client greets the server with (New sets the office's
	// registry.MailHost); empty, go-mail's default, the machine's host name, which the
	// server writes into each message's Received header for every recipient to read, and
	// which servers that ask for a fully qualified name (Postfix's
	// reject_non_fqdn_helo_hostname) refuse when it is a container's or a machine's short
	// name.
	helo string
	// fromUTF8 (New sets it) tells that the office's mail-from address has letters outside
	// ASCII before its @, which only a server offering SMTPUTF8 takes.
	fromUTF8 bool
}

// The query parameter of an smtp:// URL: STARTTLS required, or taken when offered (the default).
const (
	queryRequired      = "starttls=required"
	queryOpportunistic = "starttls=opportunistic"
)

// ParseSMTP parses an SMTP URL.
func ParseSMTP(s string) (*SMTP, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("dispatch: SMTP URL %q must be smtp://host:port, smtp://host:port?%s or smtps://user@host:port", redact(s), queryRequired)
	}
	c := &SMTP{Host: u.Hostname(), TLS: u.Scheme == "smtps", Port: 25}
	switch {
	case u.RawQuery == "":
	case c.TLS:
		return nil, fmt.Errorf("dispatch: SMTP URL %q: smtps:// takes no query (its TLS begins with the first byte; ?%s is for smtp://)", redact(s), queryRequired)
	case u.RawQuery == queryRequired:
		c.RequireSTARTTLS = true
	case u.RawQuery != queryOpportunistic:
		return nil, fmt.Errorf("dispatch: SMTP URL %q: the query may only be ?%s (or ?%s, the default)", redact(s), queryRequired, queryOpportunistic)
	}
	if c.TLS {
		c.Port = 465
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return nil, fmt.Errorf("dispatch: SMTP URL %q has a bad port", redact(s))
		}
	}
	if u.User != nil {
		c.User = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	return c, nil
}

// redact hides a password in an SMTP URL, for error messages and logs. A string whose '@'
// does not end parsed user information is not shown at all: a password with '#', '/', '?'
// or a stray '%' in it breaks the parse, or leaves its end in the path, and would otherwise
// be printed.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil && strings.Contains(s, "@") {
		return "(not shown: it does not parse as user:password@host)"
	}
	if u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// String is the URL without its password.
func (c *SMTP) String() string {
	scheme := "smtp"
	if c.TLS {
		scheme = "smtps"
	}
	u := url.URL{Scheme: scheme, Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.User != "" {
		u.User = url.UserPassword(c.User, "xxxxx")
	}
	if c.startTLSRequired() {
		u.RawQuery = queryRequired
	}
	return u.String()
}

// startTLSRequired reports whether sessions must be taken to TLS by STARTTLS (smtp only).
func (c *SMTP) startTLSRequired() bool { return c.RequireSTARTTLS && !c.TLS }

// timeoutOrDefault is c.timeout, or 30 s when it is zero.
func (c *SMTP) timeoutOrDefault() time.Duration {
	if c.timeout <= 0 {
		return 30 * time.Second
	}
	return c.timeout
}

// address is the server's scheme, host, port and STARTTLS policy: what a failed connection is
// recorded with. The user is left out: recorded replies are shown to every member with a role
// in dispatch status, and the user is often a real mailbox's address.
func (c *SMTP) address() string {
	scheme, query := "smtp", ""
	if c.TLS {
		scheme = "smtps"
	}
	if c.startTLSRequired() {
		query = "?" + queryRequired
	}
	return scheme + "://" + net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) + query
}

// NewClient returns a go-mail client for the server (not yet connected). Its connections are
// made by dial, which bounds what the server may send at once.
func (c *SMTP) NewClient() (*mail.Client, error) { return c.newClient(nil) }

// newClient is NewClient, calling dialled with each connection it makes.
func (c *SMTP) newClient(dialled func(*boundedConn)) (*mail.Client, error) {
	timeout := c.timeoutOrDefault()
	// For smtps, dial makes the TLS. Told WithSSL, go-mail would take such a connection for
	// unencrypted (it knows only the TLS it makes itself) and refuse to send a password by
	// PLAIN or LOGIN; under its opportunistic TLS policy it looks at the connection and finds
	// the *tls.Conn. (It would also ask for STARTTLS inside smtps if the server offered it.)
	// Under the mandatory policy go-mail fails the connection, before any command of a
	// message, when the server offers no STARTTLS or the handshake fails.
	policy := mail.TLSOpportunistic
	if c.startTLSRequired() {
		policy = mail.TLSMandatory
	}
	opts := []mail.Option{mail.WithPort(c.Port), mail.WithTimeout(timeout), mail.WithDialContextFunc(func(ctx context.Context, network, address string) (net.Conn, error) {
		return c.dial(ctx, network, address, dialled)
	}),
		mail.WithTLSPolicy(policy), mail.WithTLSConfig(c.tlsConfig())}
	if c.helo != "" {
		opts = append(opts, mail.WithHELO(c.helo))
	}
	if c.User != "" {
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover), mail.WithUsername(c.User), mail.WithPassword(c.Password))
	}
	cl, err := mail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("dispatch: smtp client: %w", err)
	}
	return cl, nil
}

// heloName is the greeting's name for the office's mail host: the host, or its address literal
// as RFC 5321 writes it, "[IPv6:…]" for an IPv6 address (a Message-ID's right side has it in
// plain brackets), which servers that check the greeting refuse otherwise.
func heloName(host string) string {
	if strings.HasPrefix(host, "[") && strings.Contains(host, ":") {
		return "[IPv6:" + strings.TrimPrefix(host, "[")
	}
	return host
}

// tlsConfig is the TLS configuration of connections to the server, go-mail's default with
// c.roots.
func (c *SMTP) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12, RootCAs: c.roots}
}

// dial connects to the server for go-mail: through a boundedConn, given to dialled (if not
// nil) before anything is exchanged, and for smtps with TLS from the first byte.
func (c *SMTP) dial(ctx context.Context, network, address string, dialled func(*boundedConn)) (net.Conn, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, address)
	if err != nil {
		return nil, err
	}
	limitUnsent(conn)
	bc := &boundedConn{Conn: conn}
	bc.left.Store(maxAnswer)
	if dialled != nil {
		dialled(bc)
	}
	if !c.TLS {
		return bc, nil
	}
	tc := tls.Client(bc, c.tlsConfig())
	if err := tc.HandshakeContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return tc, nil
}

// maxAnswer bounds what the mail server may send between two writes of the client: its
// greeting, or its answer to a command. net/textproto keeps every line of an answer, so a
// server that never ends one (a hostile one, or whoever sits on the path to a server reached
// without TLS) would otherwise fill the memory until the timeout: a gigabyte in 3 seconds on
// loopback.
const maxAnswer = 1 << 20

// errAnswerTooLong is the read of an answer past maxAnswer.
var errAnswerTooLong = errors.New("the mail server's answer runs past 1 MiB")

// maxUnsent is the most a connection to the mail server keeps in its buffer unsent
// (limitUnsent).
const maxUnsent = 128 << 10

// writeChunk is the most a write hands the connection at once: each chunk moves the deadline.
const writeChunk = 32 << 10

// boundedConn is a connection whose reads fail once maxAnswer bytes came after the last write,
// and whose deadline moves while the message's data moves. go-mail sets one deadline, its
// timeout ahead, when a message begins (and another at the end of its data, for the reset):
// the whole exchange, data included, had to fit in it, and a letter of tens of megabytes over
// a link slower than about 2 MB/s timed out at every attempt. Here the deadline go-mail sets
// is taken as a window that each chunk written moves ahead, so the data may take as long as
// it keeps moving; limit, set per message by the sender, is what no deadline passes.
type boundedConn struct {
	net.Conn
	left atomic.Int64

	mu       sync.Mutex
	window   time.Duration // go-mail's timeout, from its last SetDeadline; 0: no deadline
	deadline time.Time     // the deadline as go-mail and the writes set it; zero: none
	limit    time.Time     // no deadline goes past it; zero: none
}

// SetDeadline takes t as a window that writes move ahead, kept before the limit.
func (c *boundedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.window, c.deadline = 0, t
	if !t.IsZero() {
		c.window = max(time.Until(t), time.Nanosecond)
	}
	return c.Conn.SetDeadline(c.bounded(t))
}

// setLimit sets the time no deadline passes (zero: none), and keeps the current deadline
// before it.
func (c *boundedConn) setLimit(limit time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.limit = limit
	return c.Conn.SetDeadline(c.bounded(c.deadline))
}

// moveDeadline sets the deadline a window from now, before the limit; c.mu is held.
func (c *boundedConn) moveDeadline() error {
	if c.window <= 0 {
		return nil
	}
	c.deadline = time.Now().Add(c.window)
	return c.Conn.SetDeadline(c.bounded(c.deadline))
}

// bounded is t, or the limit if t is past it (a zero t is no deadline).
func (c *boundedConn) bounded(t time.Time) time.Time {
	if !c.limit.IsZero() && (t.IsZero() || t.After(c.limit)) {
		return c.limit
	}
	return t
}

func (c *boundedConn) Read(p []byte) (int, error) {
	left := c.left.Load()
	if left <= 0 {
		return 0, errAnswerTooLong
	}
	if int64(len(p)) > left {
		p = p[:left]
	}
	n, err := c.Conn.Read(p)
	c.left.Add(-int64(n))
	return n, err
}

func (c *boundedConn) Write(p []byte) (int, error) {
	c.left.Store(maxAnswer)
	written := 0
	for len(p) > 0 {
		chunk := p[:min(len(p), writeChunk)]
		c.mu.Lock()
		err := c.moveDeadline()
		c.mu.Unlock()
		if err != nil {
			return written, err
		}
		n, err := c.Conn.Write(chunk)
		written += n
		if err != nil {
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// Message builds the MIME message of out, from from. go-mail encodes the subject, refuses an
// address that does not parse and replaces control characters in file names. It writes a
// media type as given, so that is parsed and written again here.
func Message(from string, out *registry.Outgoing) (*mail.Msg, error) {
	// No User-Agent or X-Mailer: go-mail would name itself and its version to every
	// recipient and every server on the way, telling them which of its flaws to try.
	m := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := m.From(from); err != nil {
		return nil, fmt.Errorf("dispatch: from %q: %w", from, err)
	}
	if err := m.To(out.To); err != nil {
		return nil, fmt.Errorf("dispatch: to %q: %w", out.To, err)
	}
	m.Subject(out.Subject)
	m.SetMessageIDWithValue(out.MessageID)
	m.SetDate()
	// Auto-Submitted keeps vacation responders from answering the office's outbox.
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(mail.TypeTextPlain, out.Text)
	for _, a := range out.Attachments {
		// go-mail writes the media type into the part's header as it is given, where a line
		// break would end the header and begin another: it is parsed and written again.
		mt, params, err := mime.ParseMediaType(a.MediaType)
		delete(params, "name") // go-mail names the part after the file
		ct := mime.FormatMediaType(mt, params)
		if err != nil || ct == "" {
			return nil, fmt.Errorf("dispatch: attach %s: %q is not a media type", a.Name, a.MediaType)
		}
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), mail.WithFileContentType(mail.ContentType(ct))); err != nil {
			return nil, fmt.Errorf("dispatch: attach %s: %w", a.Name, err)
		}
	}
	return m, nil
}

// sender is one SMTP connection, opened when needed and kept for the next message.
type sender struct {
	cfg       *SMTP
	cl        *mail.Client
	smc       *smtp.Client // the session, kept here to ask what the server offers
	connected bool
	conn      *boundedConn // the connection last dialled
	limit     time.Time    // the end of the message being sent
}

// send hands m to the server, within limit if it is not zero: the exchange, connection
// included, is cut off then. It returns the reply to record and whether the server accepted
// the message. With smtputf8, an address of m has letters outside ASCII in its local part, which
// only a server offering SMTPUTF8 (RFC 6531) takes: through another, m fails at once
// (registry.ErrUndeliverable) with a reason a member can act on, where the server's refusal
// of each attempt failed it only after the last, or a server taking the address as it came
// mangled it.
func (s *sender) send(ctx context.Context, m *mail.Msg, limit time.Time, smtputf8 bool) (string, error) {
	s.limit = limit
	if !limit.IsZero() {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, limit)
		defer cancel()
	}
	if s.connected {
		if err := s.conn.setLimit(limit); err != nil {
			s.close()
		}
	}
	kept := s.connected
	if err := s.connect(ctx); err != nil {
		return "", err
	}
	if err := s.takesUTF8(smtputf8); err != nil {
		return "", err
	}
	err := s.cl.SendWithSMTPClient(s.smc, m)
	var se *mail.SendError
	if kept && errors.As(err, &se) && se.Reason == mail.ErrConnCheck {
		// The kept connection is gone: the server hung up while it waited, or its deadline
		// (set at its last use) passed. go-mail found it out before the message began, so
		// the message goes on a fresh connection, not as a failed attempt.
		s.close()
		if err := s.connect(ctx); err != nil {
			return "", err
		}
		if err := s.takesUTF8(smtputf8); err != nil {
			return "", err
		}
		err = s.cl.SendWithSMTPClient(s.smc, m)
	}
	if err != nil {
		// After a refusal the session's state is unclear: the next message starts afresh.
		s.close()
		// go-mail resets the session after the server's answer to the data; a reset that
		// fails (the server hung up) is reported as the send's error, though the server
		// accepted the message. Accepted is what is recorded: sent again, it would arrive
		// once more at each attempt, and recorded unsent, its recipient would get no notice
		// of a withdrawal.
		if m.IsDelivered() {
			return "250 accepted by " + s.cfg.Host + " (the session ended after)", nil
		}
		// The server had the whole message and its answer never came: it may have accepted it.
		if errors.As(err, &se) && se.Reason == mail.ErrSMTPDataClose && se.ErrorCode() == 0 {
			return "", fmt.Errorf("%w: %w", errOutcomeUnknown, err)
		}
		return "", err
	}
	return "250 accepted by " + s.cfg.Host, nil
}

// connect opens the connection unless it is open.
func (s *sender) connect(ctx context.Context) error {
	if s.cl == nil {
		cl, err := s.cfg.newClient(func(c *boundedConn) {
			c.limit = s.limit
			s.conn = c
		})
		if err != nil {
			return err
		}
		s.cl = cl
	}
	if !s.connected {
		smc, err := s.cl.DialToSMTPClientWithContext(ctx)
		if err != nil {
			s.close() // what was dialled for the failed connection, whatever go-mail left of it
			return fmt.Errorf("connect to %s: %w", s.cfg.address(), err)
		}
		s.smc, s.connected = smc, true
	}
	return nil
}

// takesUTF8 refuses, when smtputf8 is set (the recipient's address needs it) or the office's
// mail-from address needs it, a server that does not offer SMTPUTF8 in its answer to the
// greeting (go-mail asks for it only when offered). The recipient's address fails the message
// at once (registry.ErrUndeliverable); the office's is the office's to change, and the message
// is tried again with the backoff, to go once the server runs with an address in ASCII.
func (s *sender) takesUTF8(smtputf8 bool) error {
	if !smtputf8 && !s.cfg.fromUTF8 {
		return nil
	}
	if ok, _ := s.smc.Extension("SMTPUTF8"); ok {
		return nil
	}
	if s.cfg.fromUTF8 {
		return fmt.Errorf("the mail server %s does not offer SMTPUTF8, which the office's mail-from address needs, with letters outside ASCII before its @: start the server with a --mail-from address in ASCII, or send through a server that offers it", s.cfg.Host)
	}
	return fmt.Errorf("%w: the mail server %s does not offer SMTPUTF8, which an address with letters outside ASCII before its @ needs: give the recipient an address in ASCII, or send through a server that offers it", registry.ErrUndeliverable, s.cfg.Host)
}

// needsUTF8 tells whether one of the addresses has letters outside ASCII in its local part:
// a domain is sent as its A-labels (registry.MailAddress), a local part cannot be converted.
func needsUTF8(addrs ...string) bool {
	for _, a := range addrs {
		if i := strings.LastIndexByte(a, '@'); i > 0 && !isASCII(a[:i]) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// errOutcomeUnknown wraps a failure after the end of a message's data and before the server's
// answer to it (a connection lost, a timeout): the server may hold the message. Its text
// begins the reply recorded, which marks the message as maybe delivered (store.ReplyNoAnswer).
var errOutcomeUnknown = errors.New(store.ReplyNoAnswer)

// close ends the session. go-mail closes the connection only after the server's answer to
// QUIT: after a timeout or a lost connection the socket would stay open until the garbage
// collector found it.
func (s *sender) close() {
	if s.cl != nil && s.connected {
		s.cl.CloseWithSMTPClient(s.smc)
	}
	s.smc = nil
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
	s.connected = false
}

// reply is what an SMTP failure is recorded as: the server's code and text when it answered.
func reply(err error) string {
	msg := err.Error()
	if code := replyCode(err); code != 0 {
		msg = fmt.Sprintf("%d %s", code, msg)
	}
	return printable(msg, 500)
}

// printable is an answer from a mail server or a webhook endpoint as it is recorded: valid
// UTF-8 without control or formatting characters, its spaces collapsed, and at most max bytes,
// cut between two characters. The answer is the other side's to choose: PostgreSQL refuses a
// NUL or a broken character (the attempt would go unrecorded, and be made again without end),
// and escape sequences or direction overrides would reach the terminals and pages that show it.
func printable(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		for max > 0 && !utf8.RuneStart(s[max]) {
			max--
		}
		s = s[:max]
	}
	return s
}

// replyCode is the SMTP server's reply code in err, or 0.
func replyCode(err error) int {
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return 0
}
