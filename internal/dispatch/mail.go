package dispatch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	mail "github.com/wneessen/go-mail"
)

// SMTP is a parsed --smtp URL: smtp://host:port (plain, STARTTLS when the server offers it),
// smtps://user:pass@host:port (TLS from the first byte), with optional credentials.
type SMTP struct {
	Host     string
	Port     int
	TLS      bool // implicit TLS (smtps)
	User     string
	Password string
}

// ParseSMTP parses an SMTP URL.
func ParseSMTP(s string) (*SMTP, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return nil, fmt.Errorf("dispatch: SMTP URL %q must be smtp://host:port or smtps://user@host:port", redact(s))
	}
	c := &SMTP{Host: u.Hostname(), TLS: u.Scheme == "smtps", Port: 25}
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
	return u.String()
}

// NewClient returns a go-mail client for the server (not yet connected).
func (c *SMTP) NewClient() (*mail.Client, error) {
	opts := []mail.Option{mail.WithPort(c.Port), mail.WithTimeout(30 * time.Second)}
	if c.TLS {
		opts = append(opts, mail.WithSSL())
	} else {
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
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

// Message builds the MIME message of out, from from. go-mail encodes every header it writes,
// and the registry lets no line break into the subject, the addresses or the file names.
func Message(from string, out *registry.Outgoing) (*mail.Msg, error) {
	m := mail.NewMsg()
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
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data), mail.WithFileContentType(mail.ContentType(a.MediaType))); err != nil {
			return nil, fmt.Errorf("dispatch: attach %s: %w", a.Name, err)
		}
	}
	return m, nil
}

// sender is one SMTP connection, opened when needed and kept for the next message.
type sender struct {
	cfg       *SMTP
	cl        *mail.Client
	connected bool
}

// send hands m to the server. It returns the reply to record and whether the server accepted
// the message.
func (s *sender) send(ctx context.Context, m *mail.Msg) (string, error) {
	if s.cl == nil {
		cl, err := s.cfg.NewClient()
		if err != nil {
			return "", err
		}
		s.cl = cl
	}
	if !s.connected {
		if err := s.cl.DialWithContext(ctx); err != nil {
			return "", fmt.Errorf("connect to %s: %w", s.cfg, err)
		}
		s.connected = true
	}
	if err := s.cl.Send(m); err != nil {
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
		var se *mail.SendError
		if errors.As(err, &se) && se.Reason == mail.ErrSMTPDataClose && se.ErrorCode() == 0 {
			return "", fmt.Errorf("%w: %w", errOutcomeUnknown, err)
		}
		return "", err
	}
	return "250 accepted by " + s.cfg.Host, nil
}

// errOutcomeUnknown wraps a failure after the end of a message's data and before the server's
// answer to it (a connection lost, a timeout): the server may hold the message. Its text
// begins the reply recorded, which marks the message as maybe delivered (store.ReplyNoAnswer).
var errOutcomeUnknown = errors.New(store.ReplyNoAnswer)

func (s *sender) close() {
	if s.cl != nil && s.connected {
		s.cl.Close()
	}
	s.connected = false
}

// reply is what an SMTP failure is recorded as: the server's code and text when it answered.
func reply(err error) string {
	msg := err.Error()
	if code := replyCode(err); code != 0 {
		msg = fmt.Sprintf("%d %s", code, msg)
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if len(msg) > 500 {
		msg = msg[:500]
	}
	return msg
}

// replyCode is the SMTP server's reply code in err, or 0.
func replyCode(err error) int {
	var se *mail.SendError
	if errors.As(err, &se) {
		return se.ErrorCode()
	}
	return 0
}
