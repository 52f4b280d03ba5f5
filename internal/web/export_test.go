package web

// SetSigningStatementRead has f run just before the letter page asks for the signing
// statement, and returns what restores the default.
func SetSigningStatementRead(f func()) (restore func()) {
	old := signingStatementRead
	signingStatementRead = f
	return func() { signingStatementRead = old }
}

// SigninWorkRateForTest is the refill rate of the password computations of the sign-in limits
// that servers made from then on use.
var SigninWorkRateForTest = &signinWorkRate
