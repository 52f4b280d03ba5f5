package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// due formats the times the outbox compares (next_at) with a fixed width, so that their text
// sorts as they do: RFC 3339 with trimmed fractions puts 10:00:01Z after 10:00:01.5Z.
func due(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00") }

// Recipient is a named addressee in the office's directory.
type Recipient struct {
	ID           int64
	Name         string
	Organization string
	Contact      string
	Emails       []string
	CreatedAt    time.Time
	// RetiredAt is when an admin retired the recipient (zero if never): nothing is sent to
	// them any more but the notices about what was, and the directory no longer lists them.
	RetiredAt time.Time
}

// AddRecipient inserts a recipient and sets its ID.
func (t *Tx) AddRecipient(ctx context.Context, r *Recipient) error {
	emails, _ := json.Marshal(nonNil(r.Emails))
	err := t.queryRow(ctx, `INSERT INTO recipients (name, organization, contact, emails, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, r.Name, r.Organization, r.Contact, string(emails), ts(r.CreatedAt)).Scan(&r.ID)
	return conflict(err, "add recipient "+r.Name)
}

// SetRecipientEmails replaces the addresses of recipient id. The outbox keeps each message's
// own address: what was sent, and the notices about it, still go where the letter went.
func (t *Tx) SetRecipientEmails(ctx context.Context, id int64, emails []string) error {
	js, _ := json.Marshal(nonNil(emails))
	if _, err := t.exec(ctx, `UPDATE recipients SET emails = $1 WHERE id = $2`, string(js), id); err != nil {
		return fmt.Errorf("set the addresses of recipient %d: %w", id, err)
	}
	return nil
}

const recipientCols = `id, name, organization, contact, emails, created_at, retired_at`

func scanRecipient(row interface{ Scan(...any) error }) (*Recipient, error) {
	var r Recipient
	var emails, created, retired string
	if err := row.Scan(&r.ID, &r.Name, &r.Organization, &r.Contact, &emails, &created, &retired); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(emails), &r.Emails); err != nil {
		return nil, err
	}
	r.CreatedAt = parseTS(created)
	if retired != "" {
		r.RetiredAt = parseTS(retired)
	}
	return &r, nil
}

// RetireRecipient marks recipient id retired at at (Recipient.RetiredAt). Its row stays: the
// messages sent to it refer to it, and the notices of their withdrawal still go out.
func (t *Tx) RetireRecipient(ctx context.Context, id int64, at time.Time) error {
	if _, err := t.exec(ctx, `UPDATE recipients SET retired_at = $1 WHERE id = $2`, ts(at), id); err != nil {
		return fmt.Errorf("retire recipient %d: %w", id, err)
	}
	return nil
}

// retiredRecipientsSQLite and retiredRecipientsPostgres are migration 36 (see migrations):
// when an admin retired a recipient, the empty string for one in the directory.
const (
	retiredRecipientsSQLite   = `ALTER TABLE recipients ADD COLUMN retired_at TEXT NOT NULL DEFAULT '';`
	retiredRecipientsPostgres = retiredRecipientsSQLite
)

// RecipientByName finds a recipient by name.
func (t *Tx) RecipientByName(ctx context.Context, name string) (*Recipient, error) {
	r, err := scanRecipient(t.queryRow(ctx, `SELECT `+recipientCols+` FROM recipients WHERE name = $1`, name))
	if err != nil {
		return nil, notFound(err, "recipient "+name)
	}
	return r, nil
}

// RecipientByID finds a recipient by ID.
func (t *Tx) RecipientByID(ctx context.Context, id int64) (*Recipient, error) {
	r, err := scanRecipient(t.queryRow(ctx, `SELECT `+recipientCols+` FROM recipients WHERE id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("recipient %d", id))
	}
	return r, nil
}

// Recipients returns the directory, by name.
func (t *Tx) Recipients(ctx context.Context) ([]Recipient, error) {
	rows, err := t.query(ctx, `SELECT `+recipientCols+` FROM recipients ORDER BY `+t.byteOrder("name"))
	if err != nil {
		return nil, fmt.Errorf("recipients: %w", err)
	}
	defer rows.Close()
	var out []Recipient
	for rows.Next() {
		r, err := scanRecipient(rows)
		if err != nil {
			return nil, fmt.Errorf("recipients: %w", err)
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// Outbox message kinds and statuses.
const (
	KindLetter     = "letter"
	KindDraftCopy  = "draft-copy"
	KindNotice     = "notice"
	StatusQueued   = "queued"
	StatusSent     = "sent"
	StatusDeferred = "deferred"
	StatusFailed   = "failed"
)

// OutboxMessage is one message to one address.
type OutboxMessage struct {
	ID          int64
	Key         string // kind, letter, version and address: the same message is queued once
	MessageID   string // the Message-ID header's value, without angle brackets
	LetterID    int64
	RecipientID int64
	Email       string
	Kind        string
	VersionN    int
	Attachment  string // blob digest of a draft copy
	ReceiptHash []byte // SHA-256 of the receipt token; nil for a notice
	Status      string
	Attempts    int
	NextAt      time.Time
	Reply       string
	MemberID    int64 // who decided to send it; 0 for a notice
	CreatedAt   time.Time
	SentAt      time.Time
	ReceivedAt  time.Time
	// MaybeDelivered is set when an attempt at the message may have reached the recipient
	// though its acceptance was never recorded (its server died, or the mail server's answer
	// to the data was lost). It stays through later replies and the failed state: a withdrawal
	// gives notice to whoever may hold the letter (MayBeHeld).
	MaybeDelivered bool
	// Recipient and Reference are filled in by the queries that list messages.
	Recipient, Reference string
}

// Enqueue writes a queued message, unless one with its key exists: it reports whether it did
// and sets m.ID when it did.
func (t *Tx) Enqueue(ctx context.Context, m *OutboxMessage) (bool, error) {
	var member any
	if m.MemberID != 0 {
		member = m.MemberID
	}
	var receipt any
	if m.ReceiptHash != nil {
		receipt = m.ReceiptHash
	}
	err := t.queryRow(ctx, `INSERT INTO outbox (message_key, message_id, letter_id, recipient_id, email, kind, version_n, attachment,
		receipt_hash, status, attempts, next_at, reply, member_id, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued', 0, $10, '', $11, $12)
		ON CONFLICT (message_key) DO NOTHING RETURNING id`,
		m.Key, m.MessageID, m.LetterID, m.RecipientID, m.Email, m.Kind, m.VersionN, m.Attachment, receipt,
		due(m.NextAt), member, ts(m.CreatedAt)).Scan(&m.ID)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("enqueue: %w", err)
	}
	m.Status = StatusQueued
	return true, nil
}

const outboxCols = `o.id, o.message_key, o.message_id, o.letter_id, o.recipient_id, o.email, o.kind, o.version_n, o.attachment,
	o.receipt_hash, o.status, o.attempts, o.next_at, o.reply, o.member_id, o.created_at, o.sent_at, o.received_at, o.maybe_delivered, r.name, l.reference`

const outboxFrom = ` FROM outbox o JOIN recipients r ON r.id = o.recipient_id JOIN letters l ON l.id = o.letter_id`

func scanOutbox(row interface{ Scan(...any) error }) (*OutboxMessage, error) {
	var m OutboxMessage
	var member sql.NullInt64
	var next, created string
	var sent, received sql.NullString
	var maybe int
	if err := row.Scan(&m.ID, &m.Key, &m.MessageID, &m.LetterID, &m.RecipientID, &m.Email, &m.Kind, &m.VersionN, &m.Attachment,
		&m.ReceiptHash, &m.Status, &m.Attempts, &next, &m.Reply, &member, &created, &sent, &received, &maybe, &m.Recipient, &m.Reference); err != nil {
		return nil, err
	}
	m.MemberID, m.MaybeDelivered = member.Int64, maybe == 1
	m.NextAt, m.CreatedAt = parseTS(next), parseTS(created)
	if sent.Valid {
		m.SentAt = parseTS(sent.String)
	}
	if received.Valid {
		m.ReceivedAt = parseTS(received.String)
	}
	return &m, nil
}

func (t *Tx) outboxList(ctx context.Context, what, where string, args ...any) ([]OutboxMessage, error) {
	rows, err := t.query(ctx, `SELECT `+outboxCols+outboxFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// DueMessages returns up to limit messages queued or deferred whose time has come, oldest
// first.
func (t *Tx) DueMessages(ctx context.Context, now time.Time, limit int) ([]OutboxMessage, error) {
	return t.outboxList(ctx, "due messages", `o.status IN ('queued', 'deferred') AND o.next_at <= $1 ORDER BY o.next_at, o.id LIMIT $2`, due(now), limit)
}

// ClaimDueMessages returns up to limit due messages, as DueMessages does, and claims them until
// until: in the same transaction it moves their next attempt to until, so that a dispatcher of
// another server on the same PostgreSQL database, claiming in a transaction of its own (the
// writer lock orders them), does not take them too. Recording the attempt (MarkSent,
// MarkAttempt) ends the claim. A claim that lapses, because its server stopped or stalled,
// lets another server send the message, with the same Message-ID.
func (t *Tx) ClaimDueMessages(ctx context.Context, now time.Time, limit int, until time.Time) ([]OutboxMessage, error) {
	msgs, err := t.DueMessages(ctx, now, limit)
	if err != nil || len(msgs) == 0 {
		return msgs, err
	}
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		ids[i] = m.ID
	}
	if err := t.claim(ctx, "outbox", ids, until); err != nil {
		return nil, fmt.Errorf("claim due messages: %w", err)
	}
	return msgs, nil
}

// ClaimClock returns the time claims are made and judged by: on PostgreSQL the database
// server's clock, which every server of the office shares, so that a server whose own clock
// is ahead of another's does not see that one's claims as lapsed; on SQLite, where one server
// dispatches, its own clock.
func (t *Tx) ClaimClock(ctx context.Context) (time.Time, error) {
	if t.dialect != Postgres {
		return time.Now().UTC(), nil
	}
	var now time.Time
	if err := t.queryRow(ctx, `SELECT clock_timestamp()`).Scan(&now); err != nil {
		return time.Time{}, fmt.Errorf("database clock: %w", err)
	}
	return now.UTC(), nil
}

// claim moves the next attempt of table's rows ids to until (see ClaimDueMessages).
func (t *Tx) claim(ctx context.Context, table string, ids []int64, until time.Time) error {
	args := []any{due(until)}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := t.exec(ctx, `UPDATE `+table+` SET next_at = $1 WHERE id IN (`+placeholders(2, len(ids))+`)`, args...)
	return err
}

// Replies of a message handed to the mail server whose outcome is not recorded yet
// (MarkSending). ReplySendingAgain says that an earlier attempt was handed over too and never
// recorded: its server died or lost its database between the handing over and the record, so
// the mail server may have accepted it, and the recipient may hold the message.
const (
	ReplySending      = "sending: handed to the mail server, outcome not recorded yet"
	ReplySendingAgain = "sending again: an earlier attempt was handed to the mail server and its outcome never recorded"
)

// ReplyNoAnswer begins the reply of an attempt whose data the mail server received and whose
// answer to it never came (a connection lost, a timeout): the server may have accepted the
// message. MarkAttempt marks such a message MaybeDelivered.
const ReplyNoAnswer = "no answer to the end of the data: the server may have accepted the message"

// maybeDeliveredSQLite and maybeDeliveredPostgres are migration 35: the lasting mark of a
// message that may have reached its recipient (OutboxMessage.MaybeDelivered), set on the
// messages whose reply says so.
const (
	maybeDeliveredSQLite = `ALTER TABLE outbox ADD COLUMN maybe_delivered INTEGER NOT NULL DEFAULT 0 CHECK (maybe_delivered IN (0, 1));
UPDATE outbox SET maybe_delivered = 1 WHERE reply = 'sending again: an earlier attempt was handed to the mail server and its outcome never recorded';
`
	maybeDeliveredPostgres = maybeDeliveredSQLite
)

// MarkSending records, before the messages ids are handed to the mail server, that an attempt
// at each has begun: its reply becomes ReplySending, or ReplySendingAgain when an earlier
// attempt's was never replaced by its outcome (MarkSent, MarkAttempt), and then the message is
// marked MaybeDelivered for good. A withdrawal leaves such a message to the worker
// (FailUnsent), which gives notice if it may have left (Uncertain).
func (t *Tx) MarkSending(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{ReplySending, ReplySendingAgain}
	for _, id := range ids {
		args = append(args, id)
	}
	_, err := t.exec(ctx, `UPDATE outbox SET reply = CASE WHEN reply IN ($1, $2) THEN $2 ELSE $1 END,
		maybe_delivered = CASE WHEN reply IN ($1, $2) THEN 1 ELSE maybe_delivered END
		WHERE status IN ('queued', 'deferred') AND id IN (`+placeholders(3, len(ids))+`)`, args...)
	if err != nil {
		return fmt.Errorf("mark messages sending: %w", err)
	}
	return nil
}

// Uncertain reports whether m may have reached its recipient though no acceptance of it was
// recorded at the time: an attempt at it was handed to the mail server and its outcome never
// recorded, or the server's answer to its data never came (MaybeDelivered, set whenever the
// reply becomes ReplySendingAgain, and by migration 35 on the messages it was before).
func (m *OutboxMessage) Uncertain() bool { return m.MaybeDelivered }

// MayBeHeld reports whether m's recipient holds it or may: it was recorded sent, or an attempt
// at it may have been accepted (Uncertain), whatever happened to it after. A withdrawal gives
// notice to every recipient of such a letter or draft copy.
func (m *OutboxMessage) MayBeHeld() bool { return m.Status == StatusSent || m.Uncertain() }

// Unclaim gives back claimed messages that were not attempted (a dispatcher stopping): each
// still waiting is due again at the time it was due when claimed (m.NextAt), with the reply it
// had then (MarkSending marked it).
func (t *Tx) Unclaim(ctx context.Context, ms []OutboxMessage) error {
	for _, m := range ms {
		if _, err := t.exec(ctx, `UPDATE outbox SET next_at = $1, reply = $2 WHERE id = $3 AND status IN ('queued', 'deferred')`, due(m.NextAt), m.Reply, m.ID); err != nil {
			return fmt.Errorf("unclaim message %d: %w", m.ID, err)
		}
	}
	return nil
}

// NextDue returns when the earliest queued or deferred message is due, and false when none is.
func (t *Tx) NextDue(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullString
	err := t.queryRow(ctx, `SELECT MIN(next_at) FROM outbox WHERE status IN ('queued', 'deferred')`).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due message: %w", err)
	}
	return parseTS(next.String), next.Valid, nil
}

// LetterMessages returns every message about a letter, oldest first.
func (t *Tx) LetterMessages(ctx context.Context, letterID int64) ([]OutboxMessage, error) {
	return t.outboxList(ctx, "letter messages", `o.letter_id = $1 ORDER BY o.id`, letterID)
}

// OutboxMessage returns one message.
func (t *Tx) OutboxMessage(ctx context.Context, id int64) (*OutboxMessage, error) {
	m, err := scanOutbox(t.queryRow(ctx, `SELECT `+outboxCols+outboxFrom+` WHERE o.id = $1`, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("message %d", id))
	}
	return m, nil
}

// MessageByReceipt returns the message whose receipt token hashes to hash.
func (t *Tx) MessageByReceipt(ctx context.Context, hash []byte) (*OutboxMessage, error) {
	m, err := scanOutbox(t.queryRow(ctx, `SELECT `+outboxCols+outboxFrom+` WHERE o.receipt_hash = $1`, hash))
	if err != nil {
		return nil, notFound(err, "receipt")
	}
	return m, nil
}

// MarkSent records that the SMTP server accepted a message. It changes nothing, and reports
// false, if the message was already recorded sent. A failed message is marked sent too: the
// server's acceptance is a fact, and a message can fail while it is in the SMTP transaction
// (FailUnsent, when its letter is withdrawn then) or, its claim lapsed, be failed by one
// worker as another sends it. The recipient holds it, and its record must say so.
func (t *Tx) MarkSent(ctx context.Context, id int64, reply string, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE outbox SET status = 'sent', attempts = attempts + 1, reply = $1, sent_at = $2
		WHERE id = $3 AND status IN ('queued', 'deferred', 'failed')`, reply, ts(at), id)
	if err != nil {
		return false, fmt.Errorf("mark message %d sent: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MarkAttempt records a failed attempt: status is deferred (tried again at next) or failed. A
// reply that says the message may have been accepted (ReplySendingAgain, ReplyNoAnswer) marks
// it MaybeDelivered; no reply clears the mark.
func (t *Tx) MarkAttempt(ctx context.Context, id int64, status, reply string, next time.Time) error {
	maybe := 0
	if reply == ReplySendingAgain || strings.HasPrefix(reply, ReplyNoAnswer) {
		maybe = 1
	}
	_, err := t.exec(ctx, `UPDATE outbox SET status = $1, attempts = attempts + 1, reply = $2, next_at = $3,
		maybe_delivered = CASE WHEN $4 = 1 THEN 1 ELSE maybe_delivered END
		WHERE id = $5 AND status IN ('queued', 'deferred')`, status, reply, due(next), maybe, id)
	if err != nil {
		return fmt.Errorf("mark message %d %s: %w", id, status, err)
	}
	return nil
}

// Requeue queues again, to be attempted at now as if new, the failed message id (its attempts
// counted from 0, its reply cleared, MaybeDelivered kept): it reports false if the message was
// not failed.
func (t *Tx) Requeue(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE outbox SET status = 'queued', attempts = 0, reply = '', next_at = $1
		WHERE id = $2 AND status = 'failed'`, due(now), id)
	if err != nil {
		return false, fmt.Errorf("queue message %d again: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// FailUnsent marks as failed, with reason, the letter's messages of the given kinds that are
// still waiting: what was withdrawn before it left must not leave. A message handed to the
// mail server (MarkSending) is left to its worker: accepted, MarkSent records it sent; if not,
// the worker's next attempt finds the letter withdrawn and fails it, with a notice when an
// earlier attempt may have been accepted before its server died (Uncertain). Failed here, it
// would never be attempted again, and a recipient holding it would never hear.
func (t *Tx) FailUnsent(ctx context.Context, letterID int64, kinds []string, reason string) error {
	q := `UPDATE outbox SET status = 'failed', reply = $1 WHERE letter_id = $2 AND status IN ('queued', 'deferred')
		AND reply NOT IN ($3, $4) AND kind IN (` + placeholders(5, len(kinds)) + `)`
	args := []any{reason, letterID, ReplySending, ReplySendingAgain}
	for _, k := range kinds {
		args = append(args, k)
	}
	if _, err := t.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("fail unsent messages: %w", err)
	}
	return nil
}

func placeholders(from, n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = fmt.Sprintf("$%d", from+i)
	}
	return strings.Join(p, ", ")
}

// MarkReceived records the acknowledgement of a message; it reports false if it was already
// acknowledged.
func (t *Tx) MarkReceived(ctx context.Context, id int64, at time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE outbox SET received_at = $1 WHERE id = $2 AND received_at IS NULL`, ts(at), id)
	if err != nil {
		return false, fmt.Errorf("mark message %d received: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// WebhookEndpoint is where events are posted.
type WebhookEndpoint struct {
	ID          int64
	Name        string
	URL         string
	Secret      string
	RecipientID int64 // 0: the office's own systems, which hear every event
	CreatedAt   time.Time
	// PreviousSecret is the secret the endpoint had before its last new one, which still
	// signs its deliveries, beside Secret, until PreviousUntil; "" if none was kept.
	PreviousSecret string
	PreviousUntil  time.Time
}

// webhookPreviousSecretsSQLite and webhookPreviousSecretsPostgres are migration 45 (see
// migrations): the secret an endpoint had before its new one, kept until valid_until so that
// its receiver can move to the new one without refusing deliveries (Standard Webhooks' several
// signatures). A table of its own rather than columns, so that the step may run again (a store
// whose migrations are run again), which SQLite's ADD COLUMN cannot.
const (
	webhookPreviousSecretsSQLite = `CREATE TABLE IF NOT EXISTS webhook_previous_secrets (
	endpoint_id INTEGER PRIMARY KEY REFERENCES webhook_endpoints (id),
	secret      TEXT    NOT NULL,
	valid_until TEXT    NOT NULL
);
` + bindRecipientNamedEndpoints
	webhookPreviousSecretsPostgres = `CREATE TABLE IF NOT EXISTS webhook_previous_secrets (
	endpoint_id BIGINT PRIMARY KEY REFERENCES webhook_endpoints (id),
	secret      TEXT   NOT NULL,
	valid_until TEXT   NOT NULL
);
` + bindRecipientNamedEndpoints
)

// bindRecipientNamedEndpoints is the rest of migration 45: an office endpoint an earlier build
// let an admin name "recipient:NAME" (as one re-added at a recipient's address after its own
// was removed) heard every event of the office, other recipients' names included. It is bound
// to recipient NAME, and hears only about the letters sent to NAME, when that recipient is in
// the directory and has no endpoint of its own: what it hears can only shrink. Another is left
// as it is, and listed as an office endpoint so named (registry.WebhookView). Run again, it
// binds nothing more.
//
// The deliveries such an endpoint has not been posted yet (queued, deferred, or failed, which
// 'webhook retry' would post again) were queued while it heard every event: the office's
// events, other letters' references and other recipients' names among them. They are deleted
// before it is bound, or the endpoint, listed as NAME's own, would go on being posted them;
// those it was posted stay in the delivery log.
const bindRecipientNamedEndpoints = `DELETE FROM webhook_deliveries WHERE status <> 'sent'
	AND endpoint_id IN (SELECT id FROM webhook_endpoints WHERE ` + recipientNamedBindable + `);
UPDATE webhook_endpoints
	SET recipient_id = (SELECT r.id FROM recipients r WHERE r.name = substr(webhook_endpoints.name, 11))
	WHERE ` + recipientNamedBindable + `;`

// recipientNamedBindable is the condition on webhook_endpoints of bindRecipientNamedEndpoints:
// an office endpoint named "recipient:NAME", NAME in the directory without an endpoint.
const recipientNamedBindable = `recipient_id IS NULL AND substr(webhook_endpoints.name, 1, 10) = 'recipient:'
	AND EXISTS (SELECT 1 FROM recipients r WHERE r.name = substr(webhook_endpoints.name, 11)
		AND NOT EXISTS (SELECT 1 FROM webhook_endpoints o WHERE o.recipient_id = r.id))`

// endpointCols are the columns of an endpoint e joined with its previous secret p.
const endpointCols = `e.id, e.name, e.url, e.secret, e.recipient_id, e.created_at, COALESCE(p.secret, ''), COALESCE(p.valid_until, '')`

// endpointJoin joins an endpoint e with its previous secret p.
const endpointJoin = `LEFT JOIN webhook_previous_secrets p ON p.endpoint_id = e.id`

// endpointTargets are the scan targets of endpointCols, into e and the values fillEndpoint
// completes it with.
func endpointTargets(e *WebhookEndpoint, rid *sql.NullInt64, created, until *string) []any {
	return []any{&e.ID, &e.Name, &e.URL, &e.Secret, rid, created, &e.PreviousSecret, until}
}

// fillEndpoint completes e with the values endpointTargets read.
func fillEndpoint(e *WebhookEndpoint, rid sql.NullInt64, created, until string) {
	e.RecipientID, e.CreatedAt = rid.Int64, parseTS(created)
	if until != "" {
		e.PreviousUntil = parseTS(until)
	}
}

// AddWebhookEndpoint inserts an endpoint and sets its ID.
func (t *Tx) AddWebhookEndpoint(ctx context.Context, e *WebhookEndpoint) error {
	var rid any
	if e.RecipientID != 0 {
		rid = e.RecipientID
	}
	err := t.queryRow(ctx, `INSERT INTO webhook_endpoints (name, url, secret, recipient_id, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		e.Name, e.URL, e.Secret, rid, ts(e.CreatedAt)).Scan(&e.ID)
	return conflict(err, "add webhook endpoint "+e.Name)
}

// WebhookEndpoints returns every endpoint, by name.
func (t *Tx) WebhookEndpoints(ctx context.Context) ([]WebhookEndpoint, error) {
	rows, err := t.query(ctx, `SELECT `+endpointCols+` FROM webhook_endpoints e `+endpointJoin+` ORDER BY `+t.byteOrder("e.name"))
	if err != nil {
		return nil, fmt.Errorf("webhook endpoints: %w", err)
	}
	defer rows.Close()
	var out []WebhookEndpoint
	for rows.Next() {
		var e WebhookEndpoint
		var rid sql.NullInt64
		var created, until string
		if err := rows.Scan(endpointTargets(&e, &rid, &created, &until)...); err != nil {
			return nil, fmt.Errorf("webhook endpoints: %w", err)
		}
		fillEndpoint(&e, rid, created, until)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RemoveWebhookEndpoint deletes the endpoint name and its deliveries, sent or waiting: none
// is posted to it any more. It reports false if there is no such endpoint.
func (t *Tx) RemoveWebhookEndpoint(ctx context.Context, name string) (bool, error) {
	for _, table := range []string{"webhook_deliveries", "webhook_previous_secrets"} {
		if _, err := t.exec(ctx, `DELETE FROM `+table+` WHERE endpoint_id IN (SELECT id FROM webhook_endpoints WHERE name = $1)`, name); err != nil {
			return false, fmt.Errorf("remove webhook endpoint %s: %w", name, err)
		}
	}
	res, err := t.exec(ctx, `DELETE FROM webhook_endpoints WHERE name = $1`, name)
	if err != nil {
		return false, fmt.Errorf("remove webhook endpoint %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// PreviousWebhookSecretsUntil returns, for each endpoint that has a previous secret
// (SetWebhookSecret), when that secret stops signing.
func (t *Tx) PreviousWebhookSecretsUntil(ctx context.Context) (map[int64]time.Time, error) {
	rows, err := t.query(ctx, `SELECT endpoint_id, valid_until FROM webhook_previous_secrets`)
	if err != nil {
		return nil, fmt.Errorf("previous webhook secrets: %w", err)
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var until string
		if err := rows.Scan(&id, &until); err != nil {
			return nil, fmt.Errorf("previous webhook secrets: %w", err)
		}
		out[id] = parseTS(until)
	}
	return out, rows.Err()
}

// ForgetPreviousWebhookSecret deletes the previous secret of the endpoint id if it stops
// signing at until (not one a rekey since kept instead), and reports whether it did.
func (t *Tx) ForgetPreviousWebhookSecret(ctx context.Context, id int64, until time.Time) (bool, error) {
	res, err := t.exec(ctx, `DELETE FROM webhook_previous_secrets WHERE endpoint_id = $1 AND valid_until = $2`, id, ts(until))
	if err != nil {
		return false, fmt.Errorf("forget the previous secret of webhook endpoint %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// SetWebhookSecret replaces the signing secret of the endpoint name: deliveries still waiting
// are signed with it when they are posted. With keepUntil not zero, the secret it replaces is
// kept as the endpoint's previous one until then, and signs its deliveries beside the new one
// (a previous one kept before is forgotten); with keepUntil zero, no previous secret is kept.
// It reports false if there is no such endpoint.
func (t *Tx) SetWebhookSecret(ctx context.Context, name, secret string, keepUntil time.Time) (bool, error) {
	_, err := t.exec(ctx, `DELETE FROM webhook_previous_secrets WHERE endpoint_id IN (SELECT id FROM webhook_endpoints WHERE name = $1)`, name)
	if err == nil && !keepUntil.IsZero() {
		_, err = t.exec(ctx, `INSERT INTO webhook_previous_secrets (endpoint_id, secret, valid_until)
			SELECT id, secret, $1 FROM webhook_endpoints WHERE name = $2`, ts(keepUntil), name)
	}
	if err != nil {
		return false, fmt.Errorf("set the secret of webhook endpoint %s: %w", name, err)
	}
	res, err := t.exec(ctx, `UPDATE webhook_endpoints SET secret = $1 WHERE name = $2`, secret, name)
	if err != nil {
		return false, fmt.Errorf("set the secret of webhook endpoint %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RequeueWebhookDeliveries queues again, to be posted at now as if new, the failed deliveries
// to the endpoint name (their attempts counted from 0, their reply cleared, their webhook-id
// kept): it reports whether the endpoint exists, and how many deliveries were queued again.
func (t *Tx) RequeueWebhookDeliveries(ctx context.Context, name string, now time.Time) (bool, int, error) {
	var id int64
	err := t.queryRow(ctx, `SELECT id FROM webhook_endpoints WHERE name = $1`, name).Scan(&id)
	if err == sql.ErrNoRows {
		return false, 0, nil
	}
	if err != nil {
		return false, 0, fmt.Errorf("queue again the deliveries to %s: %w", name, err)
	}
	res, err := t.exec(ctx, `UPDATE webhook_deliveries SET status = 'queued', attempts = 0, reply = '', next_at = $1
		WHERE endpoint_id = $2 AND status = 'failed'`, due(now), id)
	if err != nil {
		return false, 0, fmt.Errorf("queue again the deliveries to %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return true, int(n), nil
}

// WebhookDelivery is one event posted to one endpoint.
type WebhookDelivery struct {
	ID         int64
	EndpointID int64
	WebhookID  string // the webhook-id header: the same across retries
	Event      string
	Payload    []byte
	Status     string
	Attempts   int
	NextAt     time.Time
	Reply      string
	CreatedAt  time.Time
	SentAt     time.Time
	// Endpoint is filled in by the queries that list deliveries.
	Endpoint WebhookEndpoint
}

// AddWebhookDelivery queues a delivery.
func (t *Tx) AddWebhookDelivery(ctx context.Context, d *WebhookDelivery) error {
	err := t.queryRow(ctx, `INSERT INTO webhook_deliveries (endpoint_id, webhook_id, event, payload, status, attempts, next_at, reply, created_at)
		VALUES ($1, $2, $3, $4, 'queued', 0, $5, '', $6) RETURNING id`, d.EndpointID, d.WebhookID, d.Event, d.Payload, due(d.NextAt), ts(d.CreatedAt)).Scan(&d.ID)
	return conflict(err, "add webhook delivery")
}

const deliveryCols = `d.id, d.endpoint_id, d.webhook_id, d.event, d.payload, d.status, d.attempts, d.next_at, d.reply, d.created_at, d.sent_at, ` + endpointCols

func (t *Tx) deliveries(ctx context.Context, where string, args ...any) ([]WebhookDelivery, error) {
	rows, err := t.query(ctx, `SELECT `+deliveryCols+` FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id `+endpointJoin+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("webhook deliveries: %w", err)
	}
	defer rows.Close()
	var out []WebhookDelivery
	for rows.Next() {
		var d WebhookDelivery
		var next, created, ecreated, until string
		var sent sql.NullString
		var rid sql.NullInt64
		targets := append([]any{&d.ID, &d.EndpointID, &d.WebhookID, &d.Event, &d.Payload, &d.Status, &d.Attempts, &next, &d.Reply, &created, &sent},
			endpointTargets(&d.Endpoint, &rid, &ecreated, &until)...)
		if err := rows.Scan(targets...); err != nil {
			return nil, fmt.Errorf("webhook deliveries: %w", err)
		}
		d.NextAt, d.CreatedAt = parseTS(next), parseTS(created)
		if sent.Valid {
			d.SentAt = parseTS(sent.String)
		}
		fillEndpoint(&d.Endpoint, rid, ecreated, until)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DueWebhookDeliveries returns deliveries whose time has come, one per endpoint, to up to
// limit endpoints, oldest first, and none to the endpoints busy: a dispatcher posts to an
// endpoint one delivery at a time, so that an endpoint that never answers holds one post and
// not the deliveries to the others. An endpoint's delivery is the first queued of those not
// finished (sent, or failed for good), and is returned when it is due: the deliveries to an
// endpoint are posted in the order they were queued. Taking the first due, a delivery
// waiting for its next attempt, or claimed by another server (ClaimDueWebhookDeliveries),
// let the next be posted before it: a withdrawal before the letter it withdraws.
func (t *Tx) DueWebhookDeliveries(ctx context.Context, now time.Time, limit int, busy ...int64) ([]WebhookDelivery, error) {
	args := []any{due(now), limit}
	skip := ""
	if len(busy) > 0 {
		skip = ` AND endpoint_id NOT IN (` + placeholders(3, len(busy)) + `)`
		for _, id := range busy {
			args = append(args, id)
		}
	}
	return t.deliveries(ctx, `d.id IN (SELECT MIN(id) FROM webhook_deliveries WHERE status IN ('queued', 'deferred')`+skip+`
		GROUP BY endpoint_id) AND d.next_at <= $1 ORDER BY d.next_at, d.id LIMIT $2`, args...)
}

// ClaimDueWebhookDeliveries returns due deliveries, as DueWebhookDeliveries does, and claims
// them until until, as ClaimDueMessages claims messages; MarkWebhook ends the claim.
func (t *Tx) ClaimDueWebhookDeliveries(ctx context.Context, now time.Time, limit int, until time.Time, busy ...int64) ([]WebhookDelivery, error) {
	ds, err := t.DueWebhookDeliveries(ctx, now, limit, busy...)
	if err != nil || len(ds) == 0 {
		return ds, err
	}
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	if err := t.claim(ctx, "webhook_deliveries", ids, until); err != nil {
		return nil, fmt.Errorf("claim due webhook deliveries: %w", err)
	}
	return ds, nil
}

// EraseWebhookReasons empties the reason in the payloads of the withdrawal events about the
// letter reference, posted or waiting: erasing a letter deletes the registry's copies of its
// withdrawal's reason (EraseLetter), and a recipient's endpoint was queued one. The events
// stay, with their IDs; one still waiting is posted without the reason.
func (t *Tx) EraseWebhookReasons(ctx context.Context, reference string) error {
	rows, err := t.query(ctx, `SELECT id, payload FROM webhook_deliveries WHERE event IN ('letter.retracted', 'letter.superseded')`)
	if err != nil {
		return fmt.Errorf("erase webhook reasons: %w", err)
	}
	changed := map[int64][]byte{}
	for rows.Next() {
		var id int64
		var payload []byte
		if err := rows.Scan(&id, &payload); err != nil {
			rows.Close()
			return fmt.Errorf("erase webhook reasons: %w", err)
		}
		var p map[string]any
		if json.Unmarshal(payload, &p) != nil {
			continue
		}
		data, _ := p["data"].(map[string]any)
		if reason, ok := data["reason"]; !ok || reason == "" || data["reference"] != reference {
			continue
		}
		data["reason"] = ""
		if changed[id], err = json.Marshal(p); err != nil {
			rows.Close()
			return fmt.Errorf("erase webhook reasons: %w", err)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("erase webhook reasons: %w", err)
	}
	for id, payload := range changed {
		if _, err := t.exec(ctx, `UPDATE webhook_deliveries SET payload = $1 WHERE id = $2`, payload, id); err != nil {
			return fmt.Errorf("erase webhook reasons: %w", err)
		}
	}
	return nil
}

// WebhookDeliveries returns the latest limit deliveries, newest first: the delivery log.
func (t *Tx) WebhookDeliveries(ctx context.Context, limit int) ([]WebhookDelivery, error) {
	return t.deliveries(ctx, `1 = 1 ORDER BY d.id DESC LIMIT $1`, limit)
}

// MarkWebhook records an attempt at a delivery: status sent, deferred (tried again at next)
// or failed.
func (t *Tx) MarkWebhook(ctx context.Context, id int64, status, reply string, next, at time.Time) error {
	var sent any
	if status == StatusSent {
		sent = ts(at)
	}
	_, err := t.exec(ctx, `UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, reply = $2, next_at = $3, sent_at = $4
		WHERE id = $5 AND status IN ('queued', 'deferred')`, status, reply, due(next), sent, id)
	if err != nil {
		return fmt.Errorf("mark webhook delivery %d: %w", id, err)
	}
	return nil
}
