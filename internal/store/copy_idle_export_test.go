package store

import "context"

// OnCopyStarted calls f, as each copy to PostgreSQL starts, with the target transaction's
// idle_in_transaction_session_timeout; the returned function removes it.
func OnCopyStarted(f func(idleTimeout string)) (remove func()) {
	copyStarted = func(dtx *Tx) {
		var v string
		if err := dtx.tx.QueryRowContext(context.Background(), `SELECT current_setting('idle_in_transaction_session_timeout')`).Scan(&v); err != nil {
			v = err.Error()
		}
		f(v)
	}
	return func() { copyStarted = nil }
}
