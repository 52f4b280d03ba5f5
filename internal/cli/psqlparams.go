package cli

import (
	"net/url"
	"slices"
	"strings"

	"github.com/chancery/chancery/internal/store"
)

// libpqParams are the query parameters of a database URL that psql (libpq) takes: PostgreSQL
// 15's connection keywords, which docs/operations.md's PostgreSQL is, and those later
// versions added. libpq refuses any other ("invalid URI query parameter"), where pgx reads it
// as its own setting or sends it to the server as a run-time parameter.
var libpqParams = map[string]bool{
	"host": true, "hostaddr": true, "port": true, "dbname": true, "user": true, "password": true,
	"passfile": true, "service": true, "channel_binding": true, "connect_timeout": true,
	"client_encoding": true, "options": true, "application_name": true,
	"fallback_application_name": true, "keepalives": true, "keepalives_idle": true,
	"keepalives_interval": true, "keepalives_count": true, "tcp_user_timeout": true,
	"replication": true, "gssencmode": true, "sslmode": true, "requiressl": true,
	"sslcompression": true, "sslcert": true, "sslkey": true, "sslpassword": true,
	"sslrootcert": true, "sslcrl": true, "sslcrldir": true, "sslsni": true, "requirepeer": true,
	"ssl_min_protocol_version": true, "ssl_max_protocol_version": true, "krbsrvname": true,
	"gsslib": true, "target_session_attrs": true,
	// PostgreSQL 16 to 18.
	"require_auth": true, "sslcertmode": true, "load_balance_hosts": true, "gssdelegation": true,
	"sslnegotiation": true, "min_protocol_version": true, "max_protocol_version": true,
	"servicefile": true, "sslkeylogfile": true,
}

// pgxOwnParams are the parameters of a database URL that pgx reads as its own settings and
// libpq does not know: they are not run-time parameters of the server.
var pgxOwnParams = map[string]bool{
	"database": true, "krbspn": true, "default_query_exec_mode": true,
	"statement_cache_capacity": true, "description_cache_capacity": true,
}

// psqlRefusedParams returns the names of the query parameters of the PostgreSQL URL
// database that psql refuses and pgx takes, as the URL writes them (never a value: a
// password may be one), in its order, once each; and those of them that are run-time
// parameters pgx sends the server (search_path), which a session of psql needs as libpq's
// options=-cNAME=VALUE to see the database as the office does. Nil for a URL psql takes.
func psqlRefusedParams(database string) (refused, runtime []string) {
	// The query as libpq and pgx read it: net/url ends the user information at a '?' of the
	// password, and read the rest of the password as the query's first parameter's name.
	query := store.URLQuery(database)
	if query == "" {
		return nil, nil
	}
	for _, p := range strings.Split(query, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		name, nerr := url.QueryUnescape(k)
		if nerr == nil {
			if libpqParams[name] {
				continue
			}
			// libpq takes ssl=true, as JDBC writes sslmode=require, and no other value.
			if val, verr := url.QueryUnescape(v); name == "ssl" && verr == nil && val == "true" {
				continue
			}
		}
		if slices.Contains(refused, k) {
			continue
		}
		refused = append(refused, k)
		if nerr == nil && !pgxOwnParams[name] {
			runtime = append(runtime, k)
		}
	}
	return refused, runtime
}

// psqlURLHint is what to change in the database URL before psql is run with it, when it
// carries parameters psql refuses (psqlRefusedParams); "" when it carries none.
func psqlURLHint(database string) string {
	refused, runtime := psqlRefusedParams(database)
	if len(refused) == 0 {
		return ""
	}
	h := "psql refuses parameters of this URL that chancery's driver (pgx) takes: " + strings.Join(refused, ", ") +
		"; take them out of the URL you give psql"
	if len(runtime) > 0 {
		h += ", writing the run-time parameters among them (" + strings.Join(runtime, ", ") + ") as libpq's options instead, options=-cNAME%3DVALUE (several separated by %20): the statements must see the database as the office does"
	}
	if slices.Contains(refused, "database") {
		h += ", and database= as dbname="
	}
	return h
}
