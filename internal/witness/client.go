package witness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chancery/chancery/internal/checkpoint"
	wnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Errors of AddCheckpoint that callers branch on. Each is wrapped with the witness's name.
var (
	// ErrUnknownLog: the witness does not know the checkpoint's origin (404).
	ErrUnknownLog = errors.New("witness does not know this log")
	// ErrForbidden: the witness knows the origin but none of the checkpoint's signatures
	// verifies with the keys it holds for it (403). litewitness v0.6.1 also answers 403 for
	// an unknown origin.
	ErrForbidden = errors.New("witness does not accept this log's signature")
	// ErrRejected: the witness refuses the checkpoint as inconsistent with the tree it
	// cosigned before: the consistency proof fails (422), or it holds another root at the
	// same size (409 naming the very size that was sent). Either is the signature of a fork
	// or of a log restored from an old backup.
	ErrRejected = errors.New("witness refused the checkpoint as inconsistent with what it cosigned before")
	// ErrBadCosignature: the witness answered 200 without a cosignature that verifies with
	// its key over the checkpoint sent.
	ErrBadCosignature = errors.New("witness answered without a valid cosignature")
	// ErrForgot: the witness holds a smaller tree of the log than one it cosigned for this
	// client (a 409 naming a smaller size): it lost its state, or was restored from an old
	// backup, and would now cosign a fork branching off after what it holds.
	ErrForgot = errors.New("witness holds a smaller tree of this log than it cosigned before: it lost its state, and would cosign a fork of what it forgot")
)

// ConflictError is a 409 answer: the old size sent is not the size the witness holds for the
// log. Size is the witness's size; the caller resends from it.
type ConflictError struct{ Size int64 }

func (e *ConflictError) Error() string {
	return fmt.Sprintf("witness holds size %d for this log", e.Size)
}

// MaxClockSkew is how far ahead of this machine's clock a cosignature's time may be. A time
// further ahead is refused: verifiers judge a checkpoint's freshness (--max-age) by its
// cosignatures' times, so one from the future would keep a checkpoint fresh for as long, and
// the office keeps the newest time of a witness's cosignatures of one checkpoint.
const MaxClockSkew = 10 * time.Minute

// maxResponseSize bounds the answers read from a witness: their body, and their header
// when NewClient makes the http.Client.
const maxResponseSize = 64 << 10

// DefaultTimeout bounds one request when NewClient is given no http.Client.
const DefaultTimeout = 30 * time.Second

// Client talks to one witness. It is safe for concurrent use.
type Client struct {
	name string
	url  string // the submission prefix, without a final slash
	vkey string
	v    note.Verifier
	hc   *http.Client
}

// Cosignature is a witness's cosignature of a checkpoint, checked.
type Cosignature struct {
	// Witness is the name of the Client that obtained it (the office's name for the witness).
	Witness string
	// KeyHash is the key hash of the witness key that signed.
	KeyHash uint32
	// Time is the cosignature's timestamp, which the witness signed.
	Time time.Time
	// Line is the note signature line as the witness sent it, "— <key name> <base64>\n":
	// append it to the checkpoint's signature block to give the cosigned checkpoint.
	Line []byte
}

// NewClient returns a client for the witness at url (its submission prefix: requests go to
// url/add-checkpoint) whose verifier key is vkey, an Ed25519 cosignature/v1 key. name is how
// the office calls the witness. hc nil means an http.Client with DefaultTimeout; a given hc
// should have a timeout too, or a witness that never answers holds its Pool goroutine.
func NewClient(name, rawURL, vkey string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("witness %s: URL %q is not an http(s) URL prefix", name, rawURL)
	}
	v, err := ParseVerifierKey(vkey)
	if err != nil {
		return nil, fmt.Errorf("witness %s: %w", name, err)
	}
	if hc == nil {
		// An answer's header is bounded as its body is: net/http's default is 10 MB.
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxResponseHeaderBytes = maxResponseSize
		// Redirects are not followed: a witness's address is configured, and one that sent
		// the office's server elsewhere (307 and 308 post the checkpoint again) could point
		// it at an address of the office's own network.
		hc = &http.Client{Timeout: DefaultTimeout, Transport: tr,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return &Client{name: name, url: strings.TrimSuffix(rawURL, "/"), vkey: vkey, v: v, hc: hc}, nil
}

// Name returns how the office calls the witness.
func (c *Client) Name() string { return c.name }

// URL returns the witness's submission prefix.
func (c *Client) URL() string { return c.url }

// VerifierKey returns the witness's verifier key.
func (c *Client) VerifierKey() string { return c.vkey }

// AddCheckpoint sends a signed checkpoint to the witness with a consistency proof from
// oldSize, the size the caller believes the witness holds (0 if it does not know), and
// returns the witness's cosignature, verified with the witness's key over the checkpoint's
// body. Errors: *ConflictError (the witness holds another size), ErrUnknownLog,
// ErrForbidden, ErrRejected, ErrBadCosignature, or a transport or protocol error.
func (c *Client) AddCheckpoint(ctx context.Context, oldSize int64, proof []tlog.Hash, checkpoint []byte) (Cosignature, error) {
	cos, err := c.addCheckpoint(ctx, oldSize, proof, checkpoint)
	if err != nil {
		return Cosignature{}, fmt.Errorf("witness %s: add checkpoint: %w", c.name, err)
	}
	return cos, nil
}

func (c *Client) addCheckpoint(ctx context.Context, oldSize int64, proof []tlog.Hash, checkpoint []byte) (Cosignature, error) {
	text, _, err := splitNote(checkpoint)
	if err != nil {
		return Cosignature{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url+"/add-checkpoint",
		bytes.NewReader(formatRequest(oldSize, proof, checkpoint)))
	if err != nil {
		return Cosignature{}, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return Cosignature{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseSize+1))
	if err != nil {
		return Cosignature{}, fmt.Errorf("read answer: %w", err)
	}
	if len(body) > maxResponseSize {
		return Cosignature{}, fmt.Errorf("answer larger than %d bytes", maxResponseSize)
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return c.cosignature(text, body)
	case http.StatusConflict:
		size, err := parseConflict(body)
		if err != nil {
			return Cosignature{}, fmt.Errorf("409 answer: %w", err)
		}
		if size == oldSize {
			// The witness holds the size that was sent, so the only conflict left is another
			// root at that size.
			return Cosignature{}, fmt.Errorf("%w (409: it holds another root at size %d)", ErrRejected, size)
		}
		return Cosignature{}, &ConflictError{Size: size}
	case http.StatusNotFound:
		return Cosignature{}, ErrUnknownLog
	case http.StatusForbidden:
		return Cosignature{}, ErrForbidden
	case http.StatusUnprocessableEntity:
		return Cosignature{}, fmt.Errorf("%w (422: the consistency proof from size %d does not verify)", ErrRejected, oldSize)
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return Cosignature{}, fmt.Errorf("the witness redirects to %q, which is not followed: configure the witness at the address it answers at", truncate([]byte(resp.Header.Get("Location"))))
	default:
		// The status code, not the witness's status line, which may be long.
		return Cosignature{}, fmt.Errorf("unexpected answer %d %s: %q", resp.StatusCode, http.StatusText(resp.StatusCode), truncate(bytes.TrimSpace(body)))
	}
}

// cosignature checks a 200 answer's signature lines as the spec suggests: appended to the
// checkpoint's body, they must form a note that the witness's key verifies. Lines from other
// keys are ignored.
func (c *Client) cosignature(text, body []byte) (Cosignature, error) {
	msg := make([]byte, 0, len(text)+1+len(body))
	msg = append(append(append(msg, text...), '\n'), body...)
	n, err := checkpoint.OpenNote(msg, note.VerifierList(c.v))
	if err != nil {
		return Cosignature{}, fmt.Errorf("%w: %v", ErrBadCosignature, err)
	}
	// A blank line or text lines in the answer move the note's split, so its lines verify over
	// another text; appended to the checkpoint, they would fail every verifier knowing the key.
	if n.Text != string(text) {
		return Cosignature{}, fmt.Errorf("%w: the answer holds more than signature lines", ErrBadCosignature)
	}
	sig := n.Sigs[0]
	t, err := wnote.CoSigV1Timestamp(sig)
	if err != nil {
		return Cosignature{}, fmt.Errorf("%w: timestamp: %v", ErrBadCosignature, err)
	}
	// C2SP tlog-cosignature: the timestamp MUST NOT exceed 2^63 − 1. CoSigV1Timestamp reads
	// a larger one as a date before 1970, which the check below would let through and which
	// the seal verifiers refuse.
	if t.Unix() < 0 {
		return Cosignature{}, fmt.Errorf("%w: its timestamp exceeds 2^63 − 1 seconds (C2SP tlog-cosignature)", ErrBadCosignature)
	}
	if ahead := time.Until(t); ahead > MaxClockSkew {
		return Cosignature{}, fmt.Errorf("%w: its time %s is %s ahead of this clock (at most %s): the witness's clock is wrong, or this server's was set back",
			ErrBadCosignature, t.UTC().Format(time.RFC3339), ahead.Round(time.Second), MaxClockSkew)
	}
	return Cosignature{
		Witness: c.name,
		KeyHash: sig.Hash,
		Time:    t.UTC(),
		Line:    []byte("— " + sig.Name + " " + sig.Base64 + "\n"),
	}, nil
}
