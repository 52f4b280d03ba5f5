package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// Postgres is the backend for several servers on one database.
const Postgres Dialect = "postgres"

// IsPostgresURL reports whether a --database value names a PostgreSQL database.
func IsPostgresURL(database string) bool {
	return strings.HasPrefix(database, "postgres://") || strings.HasPrefix(database, "postgresql://")
}

// Redact returns a database URL without its passwords, for messages and logs: the one in
// its user information and those of its query (pgx reads password and sslpassword there). A
// string that is not a URL (pgx also reads "host=… password=…") is not shown at all. The URL
// is read as libpq and pgx read it (splitURL), not as net/url does: a password holding a '?'
// or a '#' ("postgres://office:?s3cret@db/…"), which both take as it is, was cut there by
// net/url, the rest of it shown as the URL's query or fragment.
func Redact(database string) string {
	p, ok := splitURL(database)
	if !ok {
		return "(a database setting that is not a URL)"
	}
	var b strings.Builder
	b.WriteString(p.scheme)
	if p.hasUser {
		user, _, hasPassword := strings.Cut(p.userinfo, ":")
		b.WriteString(user)
		if hasPassword {
			b.WriteString(":xxxxx")
		}
		b.WriteString("@")
	}
	b.WriteString(p.hosts)
	if p.hasQuery {
		params := strings.Split(p.query, "&")
		for i, param := range params {
			k, _, _ := strings.Cut(param, "=")
			if secretParam(k) {
				params[i] = k + "=xxxxx"
			}
		}
		b.WriteString("?" + strings.Join(params, "&"))
	}
	return b.String()
}

// WithoutPasswords returns the database URL without the passwords Redact masks, left out
// rather than masked (its user information's, and the query's parameters whose name holds
// "password"), and whether it had any: a URL that works as it is shown, given its password in
// ~/.pgpass or PGPASSFILE. It reads the URL as Redact does; one that is not a URL is Redact's.
func WithoutPasswords(database string) (string, bool) {
	p, ok := splitURL(database)
	if !ok {
		return Redact(database), false
	}
	had := false
	var b strings.Builder
	b.WriteString(p.scheme)
	if p.hasUser {
		user, _, hasPassword := strings.Cut(p.userinfo, ":")
		had = hasPassword
		b.WriteString(user + "@")
	}
	b.WriteString(p.hosts)
	if p.hasQuery {
		var kept []string
		for _, param := range strings.Split(p.query, "&") {
			k, _, _ := strings.Cut(param, "=")
			if secretParam(k) {
				had = true
				continue
			}
			kept = append(kept, param)
		}
		if len(kept) > 0 {
			b.WriteString("?" + strings.Join(kept, "&"))
		}
	}
	return b.String(), had
}

// URLQuery returns the query of the PostgreSQL URL database as libpq (psql, pg_dump) and pgx
// read it (splitURL): what follows the first '?' after the user information and the hosts.
// "" when it has none, or is not a URL.
func URLQuery(database string) string {
	p, ok := splitURL(database)
	if !ok {
		return ""
	}
	return p.query
}

// urlParts is a URL split by splitURL, each part as the URL writes it (not decoded).
type urlParts struct {
	scheme   string // with "://"
	userinfo string // user[:password], before the '@'
	hasUser  bool
	hosts    string // the hosts, their ports, and the path
	query    string // after the '?'
	hasQuery bool
}

// splitURL splits s, SCHEME://…, as libpq's URI parser reads a postgres:// URL, which pgx's
// follows (pgconn's parseURLSettings): the user information is what comes before an '@' met
// before any '/' (a '?' or a '#' in a password is the password's; of several '@', the last);
// then a comma-separated list
// of hosts, each HOST[:PORT] or [IPv6][:PORT]; then the path, up to the first '?'; then the
// query, to the end (a '#' is the query's). ok is false when s is not SCHEME://… or a host's
// brackets are not closed, or are followed by what is not a port, a path or a query, or when
// a password may stand outside the user information (an unencoded '/' ended it before its
// '@', or the user's name holds a query).
func splitURL(s string) (p urlParts, ok bool) {
	i := strings.Index(s, "://")
	if i <= 0 || !validScheme(s[:i]) {
		return p, false
	}
	p.scheme, s = s[:i+3], s[i+3:]
	// libpq ends the user information at the first '@' before any '/'; net/url at the last
	// one before a '/', '?' or '#'. A URL that works has one '@' there (the host after a
	// second is no host), and the last one hides a password that holds an '@' either way.
	authority := s
	if j := strings.IndexByte(s, '/'); j >= 0 {
		authority = s[:j]
	}
	if j := strings.LastIndexByte(authority, '@'); j >= 0 {
		p.userinfo, p.hasUser, s = s[:j], true, s[j+1:]
		// A user before a '?' ("postgres://db?password=s3cret&application_name=a@b", no
		// path): libpq and pgx take the query as the user's name, password and all.
		if user, _, _ := strings.Cut(p.userinfo, ":"); strings.Contains(user, "?") {
			return p, false
		}
	}
	upTo := func(s, chars string) string {
		if j := strings.IndexAny(s, chars); j >= 0 {
			return s[j:]
		}
		return ""
	}
	rest := s
	numericPorts, hasPort := true, false
	for {
		if strings.HasPrefix(rest, "[") {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return p, false
			}
			rest = rest[end+1:]
		} else {
			rest = upTo(rest, ":/?,")
		}
		if strings.HasPrefix(rest, ":") {
			after := upTo(rest[1:], "/?,")
			if port := rest[1 : len(rest)-len(after)]; strings.Trim(port, "0123456789") != "" {
				numericPorts = false
			}
			hasPort = true
			rest = after
		}
		if !strings.HasPrefix(rest, ",") {
			break
		}
		rest = rest[1:]
	}
	if strings.HasPrefix(rest, "/") {
		rest = upTo(rest, "?")
	}
	p.hosts = s[:len(s)-len(rest)]
	switch {
	case strings.HasPrefix(rest, "?"):
		p.query, p.hasQuery = rest[1:], true
	case rest != "":
		return p, false
	}
	// A password holding a '/', or a '?' before a '/', not percent-encoded, ends the user
	// information there for libpq and pgx, as no '@' comes before it: the password is read
	// as a port, the path or the query, the '@' after it stranded there
	// ("postgres://office:s3/cret@db/…", which pgx refuses as of an invalid port). Without
	// user information, an '@' in the path after a port (the user's name read as a host), or
	// in a query after a port that is not a number or in one pgx refuses, may end a password:
	// the URL is not shown. A database named with an '@' on a host without a port is.
	if !p.hasUser && (hasPort && strings.Contains(p.hosts, "@") || strings.Contains(p.query, "@") && (!numericPorts || !pgxQuery(p.query))) {
		return p, false
	}
	// A password holding an unencoded '&' ("?password=s3&cret") is cut there by libpq and
	// pgx, which refuse the rest ("cret", a parameter without '='): in a query pgx refuses,
	// what follows a password is not shown either.
	if p.hasQuery && !pgxQuery(p.query) {
		for _, param := range strings.Split(p.query, "&") {
			if k, _, _ := strings.Cut(param, "="); secretParam(k) {
				return p, false
			}
		}
	}
	if atInPassword(p) {
		return p, false
	}
	return p, true
}

// atInPassword reports whether the URL split as p may hold a password with an unencoded '@':
// libpq and pgx end the user information at its first '@' and read the rest of the password
// as a host ("postgres://office:s3@cret@db/…", host "cret@db"; "office:s3@cret/x@db/…",
// host "cret", database "x@db/…"), which pgx's errors name ("lookup cret@db: no such host").
// True when the user information read up to the last '@' holds a password (a ':') and an '@',
// or when the path, or a query pgx refuses, holds one after it. A URL without a password
// ("postgres://office@db/a@b", a database named with an '@') is shown.
func atInPassword(p urlParts) bool {
	if !p.hasUser || !strings.Contains(p.userinfo, ":") {
		return false
	}
	_, path, _ := strings.Cut(p.hosts, "/")
	return strings.Contains(p.userinfo, "@") || strings.Contains(path, "@") ||
		strings.Contains(p.query, "@") && !pgxQuery(p.query)
}

// pgxQuery reports whether pgx (and libpq) take query as a URL's query: each of its
// '&'-separated parameters is NAME=VALUE, with one '=' (a last '&' ends the query).
func pgxQuery(query string) bool {
	for query != "" {
		param, rest, _ := strings.Cut(query, "&")
		if strings.Count(param, "=") != 1 {
			return false
		}
		query = rest
	}
	return true
}

// secretParam reports whether the query parameter whose name the URL writes as k is one
// Redact masks: a password (pgx reads password and sslpassword), or a name it cannot read.
func secretParam(k string) bool {
	name, err := url.QueryUnescape(k)
	return err != nil || strings.Contains(strings.ToLower(name), "password")
}

// validScheme reports whether s is a URL's scheme: a letter, then letters, digits, '+', '-'
// or '.' (RFC 3986).
func validScheme(s string) bool {
	for i, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && ('0' <= r && r <= '9' || strings.ContainsRune("+-.", r))) {
			return false
		}
	}
	return s != ""
}

// Lock keys of the advisory locks the store takes, (class, object) pairs in the int4 form so
// that they do not collide with another application's single-key locks on the same database.
const (
	lockClass = 0x43484159 // "CHAY"
	// lockWriter is held for the length of every Update transaction (a group of Update
	// calls, group.go): the writers of all processes on the database take turns, as
	// SQLite's single writer does in one process.
	lockWriter = 1
	// lockLeader is held by the session of the server that sequences the log (see Lease).
	lockLeader = 2
	// lockWaiting is held shared by every session waiting for lockLeader, so that the holder
	// learns that another server waits from a try-lock in its batch (Tx.SequencerState),
	// without a round trip of its own or a scan of pg_locks.
	lockWaiting = 3
)

// stuckTimeout bounds how long PostgreSQL lets a session sit inside a transaction without
// sending anything. A process paused in the middle of an Update (SIGSTOP, a VM freeze, a
// network partition) would otherwise hold the writer lock, and every other server's writes,
// for as long as its TCP connection lives; after this timeout PostgreSQL ends the session,
// rolls the transaction back and frees the lock. It is far above the time any Update spends
// between two statements.
const stuckTimeout = 10 * time.Second

// OpenPostgres opens the PostgreSQL store at url (postgres://user:password@host:port/db?...)
// and brings its schema up to date. Every session commits with synchronous_commit=on: COMMIT
// returns once the transaction's WAL is flushed on the primary (and on the synchronous standbys
// the cluster names, if any).
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	return openPostgres(ctx, url, nil)
}

// openPostgres opens the PostgreSQL store at url as OpenPostgres does. With check set, it
// first asks check whether the database may be opened (holdsLog, emptyTarget), before the
// migrations would write the schema into it: a database check refuses is left untouched.
func openPostgres(ctx context.Context, url string, check func(context.Context, *DB) error) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: database URL %s: %w", Redact(url), parseFailed(url, err))
	}
	cfg.RuntimeParams["synchronous_commit"] = "on"
	cfg.RuntimeParams["idle_in_transaction_session_timeout"] = fmt.Sprint(stuckTimeout.Milliseconds())
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "chancery"
	}
	w := stdlib.OpenDB(*cfg)
	// Update calls run one group transaction at a time (group.go), on one connection; the
	// others stand by for when one breaks.
	w.SetMaxOpenConns(4)
	w.SetMaxIdleConns(4)
	w.SetConnMaxIdleTime(5 * time.Minute)
	r := stdlib.OpenDB(*cfg)
	n := 4 * runtime.GOMAXPROCS(0)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxIdleTime(5 * time.Minute)
	// pgx prepares and caches each query per connection itself: the store's own statement
	// cache (ws.db, rs.db left nil) would only prepare everything twice.
	db := &DB{dialect: Postgres, w: w, r: r, pg: cfg}
	db.group = startCommitter(db)
	if err := w.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: connect to %s: %w", Redact(url), connectFailed(url, err))
	}
	if err := aloneInDatabase(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", Redact(url), connectFailed(url, err))
	}
	if check != nil {
		if err := check(ctx, db); err != nil {
			db.Close()
			return nil, fmt.Errorf("store: %s: %w", Redact(url), connectFailed(url, err))
		}
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: %s: %w", Redact(url), connectFailed(url, err))
	}
	db.fenced.Store(true)
	return db, nil
}

// parseFailed returns err, pgx's refusal of the database URL url, but for a URL Redact does
// not show: pgx's ParseConfigError quotes the URL as its own redaction reads it, and the
// part of it its parser refused ("missing key/value separator \"=\" in URI query
// parameter: \"cret\"", of "?password=s3&cret"; "c/ret@db/…" of a password that a '?' and
// a '/' ended), where the rest of a password stands. Its reason alone is told then
// ("cannot parse the URL: failed to parse as URL"), still unwrapping to it.
func parseFailed(url string, err error) error {
	var pe *pgconn.ParseConfigError
	if _, shown := splitURL(url); shown || !errors.As(err, &pe) {
		return err
	}
	msg := pe.Error()
	if detail := errors.Unwrap(pe); detail != nil {
		msg = strings.TrimSuffix(msg, " ("+detail.Error()+")")
	}
	if i := strings.LastIndex(msg, "`: "); i >= 0 {
		msg = msg[i+len("`: "):]
	} else {
		msg = "pgx refuses it"
	}
	return parseError{msg: msg, err: pe}
}

// parseError is a pgconn.ParseConfigError told by its reason alone.
type parseError struct {
	msg string
	err *pgconn.ParseConfigError
}

func (e parseError) Error() string { return "cannot parse the URL: " + e.msg }
func (e parseError) Unwrap() error { return e.err }

// connectFailed returns err, a failure to open the store at url, but for a connection pgx
// could not make to a URL Redact does not show (a password that an unencoded '/' ended,
// read as a port and a database's name): pgx's ConnectError names the database as it read
// it ("failed to connect to `user=root database=s3cret@db/chancery`"), the rest of the
// password with it. Its cause alone is told then.
//
// Of a URL whose password may hold an unencoded '@' (atInPassword), the cause is not told
// either: it names the host as pgx read it, the rest of the password ("lookup cret@db").
func connectFailed(url string, err error) error {
	var ce *pgconn.ConnectError
	p, shown := splitURL(url)
	if shown || !errors.As(err, &ce) {
		return err
	}
	if atInPassword(p) {
		return connectError{err: ce, hideCause: true}
	}
	if errors.Unwrap(ce) == nil {
		return err
	}
	return connectError{err: ce}
}

// connectError is a pgconn.ConnectError told without the user and the database it names,
// and without its cause when hideCause.
type connectError struct {
	err       *pgconn.ConnectError
	hideCause bool
}

func (e connectError) Error() string {
	if e.hideCause {
		return "failed to connect (pgx's reasons not shown: they name the host as pgx read it, " +
			"after the first '@', which may be part of the password; write an '@' in a password as %40)"
	}
	details := errors.Unwrap(e.err).Error()
	if strings.Contains(details, "\n") { // as pgx tells them
		return "failed to connect:\n\t" + strings.ReplaceAll(details, "\n", "\n\t")
	}
	return "failed to connect: " + details
}

func (e connectError) Unwrap() error { return e.err }

// ErrSharedDatabase is returned when the database holds an office's tables in another schema
// than the one the URL opens.
var ErrSharedDatabase = errors.New("another office's tables are in this database")

// aloneInDatabase refuses a database that holds an office's tables (its log_head) in another
// schema than the current one. The advisory locks the store takes (the writer lock, the
// sequencer's lease) are the database's, not a schema's: two offices in two schemas of one
// database would take turns at every write, and the servers of the one whose sequencer did not
// hold the lease would wait for it as long as the other office runs, their releases with them.
func aloneInDatabase(ctx context.Context, db *DB) error {
	var other string
	err := db.r.QueryRowContext(ctx, `SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = 'log_head' AND c.relkind IN ('r', 'p') AND n.nspname <> current_schema() ORDER BY n.nspname LIMIT 1`).Scan(&other)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("look for other offices in the database: %w", err)
	}
	return fmt.Errorf("%w (schema %q): two offices in one database share its locks, and one's sequencer holds the other's releases back; give each office a database of its own (CREATE DATABASE), and move or drop that schema",
		ErrSharedDatabase, other)
}

// holdsLog returns ErrNoLog when the PostgreSQL database holds no log: no log_head table
// (no schema at all), or an empty one. It reads only the table the first migration made, so
// that it answers the same at any schema version.
func holdsLog(ctx context.Context, db *DB) error {
	var has bool
	err := db.r.QueryRowContext(ctx, `SELECT to_regclass('log_head') IS NOT NULL`).Scan(&has)
	if err == nil && has {
		err = db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM log_head)`).Scan(&has)
	}
	switch {
	case err != nil:
		return fmt.Errorf("look for the office's log: %w", err)
	case !has:
		return ErrNoLog
	}
	return nil
}

// beginPostgres starts an Update transaction: it takes the writer lock, so that the statements
// that follow (each of which sees everything committed before it starts, at READ COMMITTED)
// see every earlier writer's commit and no later one's until this transaction ends. It returns
// the transaction's ID, with which commitPostgres settles a commit whose answer was lost.
//
// It then reads the schema version, in a statement of its own: the first one's snapshot was
// taken before it waited for the lock, and would miss a migration committed meanwhile. A
// database that a newer build migrated (another server, upgraded while this one runs) is not
// written by this one (ErrSchemaNewer): its statements assume the tables of its own version.
// The migration that opening the store runs checks the version itself, on a database that may
// have no schema_version table yet: the check starts once it has committed (DB.fenced).
func (db *DB) beginPostgres(ctx context.Context, tx *sql.Tx) (xid string, err error) {
	if wait := db.lockWait; wait != nil {
		var got bool
		if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1, $2)`, lockClass, lockWriter).Scan(&got); err != nil {
			return "", fmt.Errorf("store: take the writer lock: %w", err)
		}
		if !got {
			wait()
		}
	}
	err = tx.QueryRowContext(ctx, `SELECT pg_current_xact_id()::text FROM pg_advisory_xact_lock($1, $2)`, lockClass, lockWriter).Scan(&xid)
	if err != nil {
		return "", fmt.Errorf("store: take the writer lock: %w", err)
	}
	if db.fenced.Load() {
		if err := db.checkSchema(ctx, tx); err != nil {
			return "", err
		}
	}
	return xid, nil
}

// ErrSchemaNewer means that the database's schema version is newer than this build's: a newer
// build migrated it after this process opened it. This process writes nothing more to it, and
// its reads fail too (DB.View), since the rows may be in a layout it does not know; it has to
// be stopped, and replaced by the newer build (docs/operations.md).
var ErrSchemaNewer = errors.New("the database was migrated by a newer build of chancery")

// CheckSchema reads the database's schema version and fails with ErrSchemaNewer, after
// which every Update and View does too, when a newer build migrated it since this process
// opened it. It does nothing on SQLite, where serve's lock on the data directory keeps
// another build from opening the store. It is for a server that writes nothing for a while:
// its Updates would notice only at the next write.
func (db *DB) CheckSchema(ctx context.Context) error {
	if db.schemaNewer.Load() {
		return fmt.Errorf("store: %w", ErrSchemaNewer)
	}
	if db.dialect != Postgres || !db.fenced.Load() {
		return nil
	}
	return db.checkSchema(ctx, db.r)
}

// queryRower is a transaction or a connection.
type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// checkSchema reads the database's schema version on q and fails with ErrSchemaNewer, and
// marks db so (DB.View), when it is newer than this build's. schema_version has one row per
// migration, a few dozen, in one page.
func (db *DB) checkSchema(ctx context.Context, q queryRower) error {
	var v int
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v); err != nil {
		return fmt.Errorf("store: read the schema version: %w", err)
	}
	if v > len(migrations) {
		db.schemaNewer.Store(true)
		return fmt.Errorf("store: schema version %d is newer than this build's %d: upgrade chancery: %w", v, len(migrations), ErrSchemaNewer)
	}
	return nil
}

// commitPostgres commits tx. When COMMIT fails because the connection broke, the transaction
// may or may not have committed: the server's answer is what was lost. It then asks the
// database, on another connection, what became of transaction xid, so that Update reports a
// commit as a commit and a rollback as an error, never one as the other.
func (db *DB) commitPostgres(tx *sql.Tx, xid string) error {
	cerr := tx.Commit()
	if cerr == nil {
		return nil
	}
	if commitRefused(cerr) {
		return fmt.Errorf("store: commit: %w", cerr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*stuckTimeout)
	defer cancel()
	for {
		var status sql.NullString
		err := db.r.QueryRowContext(ctx, `SELECT pg_xact_status($1::xid8)`, xid).Scan(&status)
		switch {
		case err != nil:
			return fmt.Errorf("store: commit: %w; and %w: %w", cerr, ErrCommitUnknown, err)
		case status.String == "committed":
			return nil
		case status.String == "aborted" || !status.Valid:
			return fmt.Errorf("store: commit: %w (rolled back)", cerr)
		}
		// "in progress": the server has not yet noticed that the client went away.
		select {
		case <-ctx.Done():
			return fmt.Errorf("store: commit: %w; transaction %s still in progress: %w", cerr, xid, ErrCommitUnknown)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// commitRefused reports whether err, COMMIT's error, is the server's answer that it did not
// commit: an error it sent on a session that goes on. An error that ends the session says
// nothing certain of the commit: PostgreSQL turns any error after the commit record is
// flushed into a PANIC, sent to the client before the server restarts, and recovery then
// replays the commit. Its outcome is asked for like that of a broken connection's.
func commitRefused(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Severity != "FATAL" && pgErr.Severity != "PANIC"
	}
	return errors.Is(err, sql.ErrTxDone)
}

// pgConfig is a PostgreSQL store's connection configuration.
type pgConfig = pgx.ConnConfig

// uniqueViolation reports whether err is PostgreSQL's unique_violation.
func uniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// Open opens the store of an existing office: the PostgreSQL database at database when it is
// a postgres:// URL, or the SQLite database in the data directory dir when database is empty.
// It refuses the mix-ups that would otherwise start a second, empty log under the office's
// key: an office on PostgreSQL opened without its URL (there is no SQLite database in dir),
// an office on SQLite opened with a PostgreSQL URL (there is one), and a PostgreSQL database
// that holds no log (a wrong URL, or a database not yet restored), which it leaves untouched.
func Open(ctx context.Context, database, dir string) (*DB, error) {
	_, err := os.Stat(filepath.Join(dir, SQLiteFile))
	hasSQLite := err == nil
	switch {
	case database == "" && !hasSQLite:
		return nil, fmt.Errorf("store: no SQLite database in %s: %w", dir, ErrNoSQLite)
	case database != "" && hasSQLite:
		return nil, fmt.Errorf("store: %s holds this office's SQLite database, and --database names another: %w", dir, ErrHasSQLite)
	case IsPostgresURL(database):
		return openPostgres(ctx, database, holdsLog)
	}
	return open(ctx, database, dir)
}

// Errors of Open, which the command line turns into hints.
var (
	ErrNoSQLite  = errors.New("the office may run on PostgreSQL")
	ErrHasSQLite = errors.New("the office runs on SQLite")
	ErrNoLog     = errors.New("this database holds no office's log: wrong --database?")
)

// Create opens the store of a new office, as Open does, creating the SQLite database when
// database is empty. It refuses a PostgreSQL database that already holds a log.
func Create(ctx context.Context, database, dir string) (*DB, error) {
	db, err := open(ctx, database, dir)
	if err != nil || db.dialect != Postgres {
		return db, err
	}
	err = db.View(ctx, func(tx *Tx) error {
		_, err := tx.LogHead(ctx)
		return err
	})
	switch {
	case err == nil:
		db.Close()
		return nil, fmt.Errorf("store: %s already holds an office's log", Redact(database))
	case !errors.Is(err, ErrNotFound):
		db.Close()
		return nil, err
	}
	return db, nil
}

func open(ctx context.Context, database, dir string) (*DB, error) {
	switch {
	case database == "":
		return OpenSQLite(ctx, dir)
	case IsPostgresURL(database):
		return OpenPostgres(ctx, database)
	default:
		return nil, fmt.Errorf("store: database %q is neither empty (SQLite in the data directory) nor a postgres:// URL", Redact(database))
	}
}
