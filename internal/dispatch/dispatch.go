// Package dispatch delivers what the registry decided to send: letters, draft copies and
// notices by mail through an SMTP server, and events to webhook endpoints.
//
// The registry writes each message into the store's outbox in the transaction of its audit
// record (a dispatch, a draft copy, a withdrawal); nothing here decides what leaves. The
// Dispatcher reads the outbox, builds each message as it is due (registry.Compose), hands it to
// the SMTP server and records the outcome in a transaction right after: sent, deferred with the
// server's reply and a later time (exponential backoff), or failed after the last attempt.
//
// Each message has a Message-ID fixed when it was queued. A crash between the server's
// acceptance and the transaction that records it (or a record the store refuses until the
// dispatcher stops) is the only way a message is sent twice (on PostgreSQL with several
// servers, also a claim that lapses while its server still sends it or tries to record it),
// and the copy then carries the same Message-ID, so the receiving side can tell (see
// docs/design/dispatch.md).
package dispatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/mail"
	"slices"
	"sync"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
)

// Defaults of Config.
const (
	DefaultMaxAttempts    = 10
	DefaultBackoff        = time.Minute
	DefaultMaxBackoff     = 4 * time.Hour
	DefaultConnections    = 4
	DefaultPoll           = time.Second
	DefaultClaim          = 2 * time.Minute
	DefaultWebhooks       = 8
	DefaultWebhookTimeout = 15 * time.Second
)

// Config configures a Dispatcher.
type Config struct {
	Registry *registry.Registry
	// SMTP is the mail server; From is the sender address. Without an SMTP server the
	// dispatcher posts webhook events only: the registry refuses to mail, and the messages
	// already in the outbox wait for a server that has one.
	SMTP *SMTP
	From string
	// MaxAttempts is how many times a message or webhook is tried before it fails.
	MaxAttempts int
	// Backoff is the wait after a first failed attempt; it doubles at each attempt, up to
	// MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Connections is how many SMTP connections deliver at once.
	Connections int
	// Poll is how often the outbox is read when nothing wakes the dispatcher.
	Poll time.Duration
	// Claim is how long, on PostgreSQL, a message or webhook delivery this dispatcher took
	// stays its own before another server's dispatcher may take it (registry.DueMessages):
	// longer than sending one takes, and as long as a message waits when its server stops
	// after taking it. A message's exchange with the mail server is cut off when seven
	// eighths of its claim have passed (or after the SMTP timeout, if that is longer).
	Claim time.Duration
	// Webhooks is how many webhook deliveries are posted at once, to as many endpoints: an
	// endpoint has one delivery posted at a time, so one that never answers holds one of
	// them, and the others go on delivering to the other endpoints.
	Webhooks int
	// WebhookTimeout is how long a webhook post may take, its answer included.
	WebhookTimeout time.Duration
	// AllowPrivateWebhooks lets webhooks reach loopback, link-local and private addresses.
	AllowPrivateWebhooks bool
	Logger               *slog.Logger
}

// Dispatcher delivers the outbox. On SQLite one runs per registry (the server holds the data
// directory's lock, so one process delivers). On PostgreSQL every server runs one: each takes the messages and webhook deliveries it sends with a claim
// (Config.Claim), so that two servers do not send the same one, unless a claim lapses.
type Dispatcher struct {
	cfg  Config
	wake chan struct{}
	done chan struct{}
	hook chan struct{}
}

// New returns a dispatcher and tells the registry whether mail is available (cfg.SMTP).
func New(cfg Config) (*Dispatcher, error) {
	if cfg.SMTP != nil {
		a, err := mail.ParseAddress(cfg.From)
		if err != nil || a.Name != "" {
			return nil, fmt.Errorf("dispatch: mail-from %q is not a bare e-mail address", cfg.From)
		}
		// Its domain as mail carries it, an internationalised one as its A-labels.
		from, err := registry.MailAddress(a.Address)
		if err != nil {
			return nil, fmt.Errorf("dispatch: mail-from: %w", err)
		}
		cfg.From = from
		s := *cfg.SMTP
		s.helo = heloName(cfg.Registry.MailHost())
		s.fromUTF8 = needsUTF8(from)
		cfg.SMTP = &s
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = DefaultMaxBackoff
	}
	if cfg.Connections <= 0 {
		cfg.Connections = DefaultConnections
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultPoll
	}
	if cfg.Claim <= 0 {
		cfg.Claim = DefaultClaim
	}
	if cfg.Webhooks <= 0 {
		cfg.Webhooks = DefaultWebhooks
	}
	if cfg.WebhookTimeout <= 0 {
		cfg.WebhookTimeout = DefaultWebhookTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	d := &Dispatcher{cfg: cfg, wake: make(chan struct{}, 1), done: make(chan struct{}, 1), hook: make(chan struct{}, 1)}
	cfg.Registry.SetDispatch(registry.DispatchSettings{Mail: cfg.SMTP != nil, AllowPrivateWebhooks: cfg.AllowPrivateWebhooks, Wake: d.Wake})
	return d, nil
}

// Wake tells the dispatcher that something was queued.
func (d *Dispatcher) Wake() {
	for _, c := range []chan struct{}{d.wake, d.hook} {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// backoff is the wait after the attempt-th failed attempt (1 for the first).
func (d *Dispatcher) backoff(attempt int) time.Duration {
	b := d.cfg.Backoff
	for i := 1; i < attempt && b < d.cfg.MaxBackoff; i++ {
		b *= 2
	}
	return min(b, d.cfg.MaxBackoff)
}

// Run delivers until ctx is done. Without an SMTP server it posts webhook events only.
//
// Each connection sends a message, then hands its acceptance to the recorder, which commits
// the acceptances waiting from all connections in one transaction (one fsync for several
// messages). A connection sends its next message while its previous acceptance is being
// recorded, but not a further one: at any moment at most two accepted messages per connection
// are not yet recorded, the bound on what a crash can make send twice. (An acceptance the
// store refuses to record is kept in flight, and not sent again, until it is recorded: see
// recorder.)
func (d *Dispatcher) Run(ctx context.Context) {
	if d.cfg.SMTP == nil {
		d.runWebhooks(ctx)
		return
	}
	// inflight holds the messages handed to a connection and not yet recorded. A message is
	// released once its outcome is committed; but a read of the outbox that began before that
	// commit still shows it as waiting, so released remembers when each was released (epoch
	// counts releases), and a read skips what was released after it began.
	var mu sync.Mutex
	inflight := map[int64]bool{}
	released := map[int64]int64{}
	var epoch int64
	release := func(id int64) {
		mu.Lock()
		epoch++
		released[id] = epoch
		delete(inflight, id)
		mu.Unlock()
		select {
		case d.done <- struct{}{}:
		default:
		}
	}
	jobs := make(chan job)
	marks := make(chan *mark, 2*d.cfg.Connections)
	recorded := make(chan struct{})
	go func() { defer close(recorded); d.recorder(marks, release) }()
	var senders, hooks sync.WaitGroup
	for range d.cfg.Connections {
		senders.Go(func() { d.send(ctx, jobs, marks, release) })
	}
	hooks.Go(func() { d.runWebhooks(ctx) })
	defer func() {
		close(jobs)
		senders.Wait()
		close(marks)
		<-recorded
		hooks.Wait()
	}()
	sendingFailed := 0 // reads in a row whose record of messages as sending failed
	for ctx.Err() == nil {
		fed := 0
		mu.Lock()
		readAt := epoch
		// What was released before this read began is committed, and the read sees it.
		for id, e := range released {
			if e <= readAt {
				delete(released, id)
			}
		}
		// The messages in flight are due too (on SQLite; on PostgreSQL once their claim
		// lapses, and the read claims them again): the read takes as many more, so that
		// those whose record keeps failing never fill it.
		limit := 4*d.cfg.Connections + len(inflight)
		mu.Unlock()
		claimed := time.Now()
		due, err := d.cfg.Registry.DueMessages(ctx, limit, d.cfg.Claim)
		if err != nil && ctx.Err() == nil {
			d.cfg.Logger.Error("dispatch: read the outbox", "err", err)
		}
		var take []store.OutboxMessage
		mu.Lock()
		for _, m := range due {
			if !inflight[m.ID] && released[m.ID] <= readAt {
				inflight[m.ID] = true
				take = append(take, m)
			}
		}
		mu.Unlock()
		skipped := len(due) - len(take)
		// Recorded before they leave: should this server die before their outcome is
		// recorded, a withdrawal knows that they may have left (registry.Sending).
		// Should the record fail, none leaves: they are given back (on PostgreSQL their claim
		// ends, so that the next read, after the dispatch backoff, may take them again).
		if len(take) > 0 {
			if err := d.cfg.Registry.Sending(ctx, take); err != nil {
				if uerr := d.cfg.Registry.Unclaim(context.WithoutCancel(ctx), take); uerr != nil {
					err = fmt.Errorf("%w; give them back: %w", err, uerr)
				}
				mu.Lock()
				for _, m := range take {
					delete(inflight, m.ID)
				}
				mu.Unlock()
				sendingFailed++
				if ctx.Err() == nil && sendingFailed&(sendingFailed-1) == 0 {
					d.cfg.Logger.Error("dispatch: record messages as sending: none sent; tried again later", "messages", len(take), "tries", sendingFailed, "err", err)
				}
				take = nil
			} else {
				sendingFailed = 0
			}
		}
		for i, m := range take {
			select {
			case jobs <- job{m: m, claimed: claimed}:
				fed++
			case <-ctx.Done():
				// Stopping: what this server took and will not send is given back, for the
				// other servers to send now (on PostgreSQL; see registry.DueMessages), with
				// the reply it had. Those a connection is sending stay taken.
				back := take[i:]
				if err := d.cfg.Registry.Unclaim(context.Background(), back); err != nil {
					d.cfg.Logger.Error("dispatch: give back messages not sent", "messages", len(back), "err", err)
				}
				return
			}
		}
		if fed > 0 {
			continue
		}
		// The next due message is waited for, unless the read found messages in flight: those
		// are due already, and then the wait is the poll's, or until one is released. After a
		// failed record of messages as sending, the wait is the dispatch backoff.
		wait := d.cfg.Poll
		if sendingFailed > 0 {
			wait = d.backoff(sendingFailed)
		} else if next, ok, err := d.cfg.Registry.NextDue(ctx); err == nil && ok && skipped == 0 {
			wait = min(wait, max(time.Until(next), time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-d.wake:
		case <-d.done:
		case <-t.C:
		}
		t.Stop()
	}
}

// job is a message handed to a connection, with the time it was claimed (read, on SQLite).
type job struct {
	m       store.OutboxMessage
	claimed time.Time
}

// mark is an acceptance waiting to be recorded; done is closed once it is, or once its record
// failed and is left to the recorder's later tries.
type mark struct {
	d    registry.Delivery
	done chan struct{}
}

// send is one connection: it delivers the jobs it is given, one at a time.
func (d *Dispatcher) send(ctx context.Context, jobs <-chan job, marks chan<- *mark, release func(int64)) {
	s := &sender{cfg: d.cfg.SMTP}
	defer s.close()
	var prev *mark
	wait := func() {
		if prev != nil {
			<-prev.done
			prev = nil
		}
	}
	defer wait()
	for j := range jobs {
		m := j.m
		// A message's exchange ends before its claim lapses, with an eighth of the claim
		// left to record it (or after the SMTP timeout, if the claim is shorter): the
		// deadline moves while its data moves (boundedConn), and a letter too large for the
		// link in that time fails its attempts rather than being taken and sent again by
		// another server meanwhile.
		limit := j.claimed.Add(max(d.cfg.Claim-d.cfg.Claim/8, d.cfg.SMTP.timeoutOrDefault()))
		answer, err := d.attempt(ctx, s, m, limit)
		wait() // the previous acceptance is recorded before this one is handed over
		if err != nil {
			// The context bounds only the building of the message and the connection to the
			// server: stopped there, the message was not handed over, and is given back as
			// Run gives back what no connection started. Recorded "sending", it would be taken
			// at the next start as maybe delivered, and a withdrawal would then send its
			// recipient, who never had the letter, the notice and its reason.
			if ctx.Err() != nil && errors.Is(err, context.Canceled) {
				if err := d.cfg.Registry.Unclaim(context.WithoutCancel(ctx), []store.OutboxMessage{m}); err != nil {
					d.cfg.Logger.Error("dispatch: give back a message not sent", "message", m.ID, "err", err)
				}
			} else {
				d.record(context.WithoutCancel(ctx), m, err)
			}
			release(m.ID)
			continue
		}
		prev = &mark{d: registry.Delivery{Message: m, Reply: answer}, done: make(chan struct{})}
		marks <- prev
	}
}

// recorder commits acceptances, all those waiting at once, until marks is closed. It records
// even after the context ends: the SMTP server has those messages.
//
// When the record of a batch fails, each of its acceptances is recorded in a transaction of its
// own, so that one the store refuses (a constraint, a trigger) does not take the others with
// it. An acceptance whose record still fails is not released: the message stays in flight, so
// Run does not take it again and the mail server is not handed it a second time, and its
// record is tried again with the dispatch backoff, logged at the first failure and then at
// the 2nd, 4th, 8th... try. Its connection goes on sending. What is still unrecorded when
// marks is closed stays "sending" in the outbox, and the next start sends it again, as after
// a crash.
func (d *Dispatcher) recorder(marks <-chan *mark, release func(int64)) {
	log := d.cfg.Logger
	var pending []registry.Delivery // accepted, and their record failed
	var retry <-chan time.Time
	tries := 0 // of the oldest pending record
	for {
		select {
		case first, ok := <-marks:
			if !ok {
				if len(pending) > 0 {
					if pending, _ = d.recordEach(pending, release); len(pending) > 0 {
						log.Error("dispatch: messages accepted by the mail server and never recorded: the next start sends them again",
							"messages", messageIDs(pending))
					}
				}
				return
			}
			batch := []*mark{first}
		drain:
			for len(batch) < 64 {
				select {
				case mk, ok := <-marks:
					if !ok {
						break drain
					}
					batch = append(batch, mk)
				default:
					break drain
				}
			}
			ds := make([]registry.Delivery, len(batch))
			for i, mk := range batch {
				ds[i] = mk.d
			}
			failed := d.recordBatch(ds, release)
			for _, mk := range batch {
				close(mk.done)
			}
			if len(failed) > 0 && len(pending) == 0 {
				tries = 1
				retry = time.After(d.backoff(tries))
			}
			pending = append(pending, failed...)
		case <-retry:
			tries++
			var err error
			recorded := len(pending)
			pending, err = d.recordEach(pending, release)
			if recorded -= len(pending); recorded > 0 {
				log.Info("dispatch: messages recorded after failed records", "messages", recorded, "tries", tries)
			}
			if len(pending) == 0 {
				retry = nil
				continue
			}
			if tries&(tries-1) == 0 {
				log.Error("dispatch: record messages accepted by the mail server: still failing; not sent again meanwhile",
					"messages", messageIDs(pending), "tries", tries, "err", err)
			}
			retry = time.After(d.backoff(tries))
		}
	}
}

// recordBatch records ds in one transaction or, if that fails, each in its own; it releases
// what it records and returns the rest.
func (d *Dispatcher) recordBatch(ds []registry.Delivery, release func(int64)) []registry.Delivery {
	err := d.cfg.Registry.Delivered(context.Background(), ds...)
	if err == nil {
		for _, dl := range ds {
			release(dl.Message.ID)
		}
		return nil
	}
	failed := ds
	if len(ds) > 1 {
		d.cfg.Logger.Warn("dispatch: record deliveries together; recording each alone", "messages", len(ds), "err", err)
		failed, err = d.recordEach(ds, release)
	}
	if len(failed) > 0 {
		d.cfg.Logger.Error("dispatch: record messages accepted by the mail server: tried again later, not sent again meanwhile",
			"messages", messageIDs(failed), "err", err)
	}
	return failed
}

// recordEach records each of ds in a transaction of its own, releases those recorded, and
// returns the others with the last error.
func (d *Dispatcher) recordEach(ds []registry.Delivery, release func(int64)) ([]registry.Delivery, error) {
	var failed []registry.Delivery
	var last error
	for _, dl := range ds {
		if err := d.cfg.Registry.Delivered(context.Background(), dl); err != nil {
			failed, last = append(failed, dl), err
			continue
		}
		release(dl.Message.ID)
	}
	return failed, last
}

// messageIDs names ds in the server's log: by their outbox IDs, never their addresses.
func messageIDs(ds []registry.Delivery) []int64 {
	ids := make([]int64, len(ds))
	for i, dl := range ds {
		ids[i] = dl.Message.ID
	}
	return ids
}

// attempt builds m and hands it to the SMTP server by limit; it returns the server's answer.
func (d *Dispatcher) attempt(ctx context.Context, s *sender, m store.OutboxMessage, limit time.Time) (string, error) {
	out, err := d.cfg.Registry.Compose(ctx, m)
	if err != nil {
		return "", err
	}
	msg, err := Message(d.cfg.From, out)
	if err != nil {
		return "", err
	}
	return s.send(ctx, msg, limit, needsUTF8(out.To))
}

// record writes a failed attempt at m: failed at once when the message must not be sent any
// more or after the last attempt, deferred with backoff otherwise.
func (d *Dispatcher) record(ctx context.Context, m store.OutboxMessage, err error) {
	reg, log := d.cfg.Registry, d.cfg.Logger
	attempt := m.Attempts + 1
	why := reply(err)
	if errors.Is(err, registry.ErrUndeliverable) || attempt >= d.cfg.MaxAttempts {
		// The server's log is kept apart from the registry and outlives erasure: it names the
		// outbox message, never its address, letter or reply (an SMTP reply often quotes the
		// address); members read those in the letter's deliveries.
		log.Warn("dispatch: message failed", "message", m.ID, "message_id", m.MessageID, "attempts", attempt, "smtp_code", replyCode(err))
		if err := reg.Failed(ctx, m, why); err != nil {
			log.Error("dispatch: record failure", "message", m.ID, "err", err)
		}
		return
	}
	if errors.Is(err, errOutcomeUnknown) || m.Reply == store.ReplySending || m.Uncertain() {
		// This attempt, or an earlier one whose outcome was never recorded, may have reached
		// the recipient: recorded so, a withdrawal before the next attempt leaves the message
		// to the worker, which then gives notice (registry.Failed), rather than failing it
		// as unsent.
		why = store.ReplySendingAgain
	}
	if err := reg.Deferred(ctx, m, why, time.Now().Add(d.backoff(attempt))); err != nil {
		log.Error("dispatch: record deferral", "message", m.ID, "err", err)
	}
}

// runWebhooks posts due webhook deliveries until ctx is done: up to Config.Webhooks at once,
// each to another endpoint. The read of the due deliveries skips the endpoints with a post
// under way, so an endpoint is posted one delivery at a time, and one that never answers holds
// one post, until its timeout, and delays no other endpoint's deliveries. Each attempt is
// recorded, in a transaction of its own, before its endpoint counts as free again, so the next
// read that may take the endpoint's deliveries sees the record; an attempt whose record keeps
// failing (recordWebhook) holds its endpoint, not one of the posts.
func (d *Dispatcher) runWebhooks(ctx context.Context) {
	cl := WebhookClient(d.cfg.AllowPrivateWebhooks, d.cfg.WebhookTimeout)
	var mu sync.Mutex
	busy := map[int64]bool{} // endpoints with a post under way or its attempt not yet recorded
	posting := 0             // posts under way
	finished := make(chan struct{}, 1)
	var posts sync.WaitGroup
	defer posts.Wait()
	var swept time.Time // when the lapsed previous secrets were last forgotten
	for ctx.Err() == nil {
		if time.Since(swept) >= sweepLapsedSecrets {
			// A rekey's previous secret, its overlap ended, signs nothing: it is deleted
			// rather than kept until the endpoint's next rekey.
			swept = time.Now()
			if n, err := d.cfg.Registry.ForgetLapsedWebhookSecrets(ctx); err != nil && ctx.Err() == nil {
				d.cfg.Logger.Error("dispatch: forget lapsed webhook secrets", "err", err)
			} else if n > 0 {
				d.cfg.Logger.Info("dispatch: previous webhook secrets forgotten, their overlap ended", "endpoints", n)
			}
		}
		mu.Lock()
		skip := slices.Collect(maps.Keys(busy))
		free := d.cfg.Webhooks - posting
		mu.Unlock()
		var due []store.WebhookDelivery
		if free > 0 {
			var err error
			due, err = d.cfg.Registry.DueWebhooks(ctx, free, d.cfg.Claim, skip...)
			if err != nil && ctx.Err() == nil {
				d.cfg.Logger.Error("dispatch: read webhook deliveries", "err", err)
			}
		}
		mu.Lock()
		for _, w := range due {
			busy[w.EndpointID] = true
		}
		posting += len(due)
		mu.Unlock()
		for _, w := range due {
			posts.Go(func() {
				a := d.postWebhook(ctx, cl, w)
				mu.Lock()
				posting--
				mu.Unlock()
				d.recordWebhook(ctx, w, a)
				mu.Lock()
				delete(busy, w.EndpointID)
				mu.Unlock()
				select {
				case finished <- struct{}{}:
				default:
				}
			})
		}
		if len(due) > 0 {
			continue
		}
		t := time.NewTimer(d.cfg.Poll)
		select {
		case <-ctx.Done():
		case <-d.hook:
		case <-finished:
		case <-t.C:
		}
		t.Stop()
	}
}

// sweepLapsedSecrets is how often the webhook worker deletes the previous secrets whose
// overlap has ended (registry.ForgetLapsedWebhookSecrets): at its start, then once a minute.
const sweepLapsedSecrets = time.Minute

// replyCutOff is the reply recorded for a webhook post the server's shutdown cut off.
const replyCutOff = "cut off: the server stopped during the post; the endpoint may have received it"

// webhookAttempt is the outcome of a post, to record: sent, deferred until next, or failed.
type webhookAttempt struct {
	status, reply string
	next          time.Time
}

// postWebhook posts w and returns the attempt to record: sent, deferred with backoff, or
// failed after the last attempt.
func (d *Dispatcher) postWebhook(ctx context.Context, cl *http.Client, w store.WebhookDelivery) webhookAttempt {
	secrets := []string{w.Endpoint.Secret}
	if w.Endpoint.PreviousSecret != "" {
		secrets = append(secrets, w.Endpoint.PreviousSecret)
	}
	answer, err := post(ctx, cl, w.Endpoint.URL, secrets, w.WebhookID, w.Payload, time.Now())
	a := webhookAttempt{status: store.StatusSent, reply: answer, next: time.Now()}
	if err != nil && ctx.Err() != nil {
		// Cut off by the server's shutdown: recorded as a mail attempt cut off after its
		// data is, its outcome unknown (the endpoint may have the event; a receiver
		// de-duplicates on its webhook-id), and due again at once, for another server or
		// the next start, not when its claim lapses. The failure is not the endpoint's:
		// it never fails the delivery.
		a.reply, a.status = replyCutOff, store.StatusDeferred
	} else if err != nil {
		a.reply = printable(err.Error(), 500)
		wait := d.backoff(w.Attempts + 1)
		var refused *refusal
		if errors.As(err, &refused) {
			// The endpoint's answer says what it wants (Standard Webhooks, "Delivery success
			// and failure"): 410 Gone, no more of this delivery; 429 or 503 with Retry-After,
			// nothing before then, within the backoff's maximum.
			if refused.code == http.StatusGone {
				a.reply = printable("gone: the endpoint answered 410 and asks for no more; not tried again ("+refused.answer+")", 500)
				a.status = store.StatusFailed
				d.cfg.Logger.Warn("dispatch: webhook failed", "endpoint", w.Endpoint.ID, "event", w.Event, "attempts", w.Attempts+1, "gone", true)
				return a
			}
			wait = max(wait, min(refused.retryAfter, d.cfg.MaxBackoff))
		}
		a.status, a.next = store.StatusDeferred, time.Now().Add(wait)
		if w.Attempts+1 >= d.cfg.MaxAttempts {
			a.status = store.StatusFailed
			// Named by its ID only, as messages are: a recipient's endpoint is named after
			// the recipient, and a failed post's error quotes its address.
			d.cfg.Logger.Warn("dispatch: webhook failed", "endpoint", w.Endpoint.ID, "event", w.Event, "attempts", w.Attempts+1)
		}
	}
	return a
}

// recordWebhook records the attempt a at w, after a shutdown too: the post was made, or cut
// off, and its claim ends. A record that fails is tried again with the dispatch backoff
// (logged at the first failure and then at the 2nd, 4th, 8th... try) until ctx is done: the
// delivery still looks due in the store, and is not posted again meanwhile, since its
// endpoint stays busy. Still unrecorded at the shutdown, it is posted again at the next start.
func (d *Dispatcher) recordWebhook(ctx context.Context, w store.WebhookDelivery, a webhookAttempt) {
	log := d.cfg.Logger
	for try := 1; ; try++ {
		err := d.cfg.Registry.WebhookAttempt(context.WithoutCancel(ctx), w.ID, a.status, a.reply, a.next)
		switch {
		case err == nil:
			if try > 1 {
				log.Info("dispatch: webhook attempt recorded after failed records", "delivery", w.ID, "tries", try)
			}
			return
		case ctx.Err() != nil:
			log.Error("dispatch: record webhook attempt: not recorded at the shutdown; the next start posts it again", "delivery", w.ID, "tries", try, "err", err)
			return
		case try&(try-1) == 0:
			log.Error("dispatch: record webhook attempt: tried again later, not posted again meanwhile", "delivery", w.ID, "tries", try, "err", err)
		}
		t := time.NewTimer(d.backoff(try))
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}
