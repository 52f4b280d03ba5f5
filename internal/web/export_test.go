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

// PagesHeld returns what h's reader of PDF pages holds: the outcomes kept, and the PDFs
// waiting and their bytes.
func PagesHeld(h *Handler) (kept, waiting, bytes int) {
	h.shown.mu.Lock()
	defer h.shown.mu.Unlock()
	return len(h.shown.done), len(h.shown.waiting), h.shown.bytes
}

// KeepPagesForTest keeps for digest an outcome of h's reader of PDF pages that lists words.
func KeepPagesForTest(h *Handler, digest string, words string) {
	h.shown.mu.Lock()
	defer h.shown.mu.Unlock()
	if h.shown.done == nil {
		h.shown.done = map[string]*pagesShown{}
	}
	h.shown.done[digest] = &pagesShown{Runs: []pagesRun{{Pages: words}}}
}

// ShowPagesForTest asks h's reader of PDF pages what the pages of pdf show, as the letter
// page does.
func ShowPagesForTest(h *Handler, digest string, pdf []byte, text string) {
	h.shown.shown(h.shown.generation(), digest, pdf, text)
}

// SetLetterFilesRead has f run once the letter page has read the letter's files; it returns
// what restores the hook.
func SetLetterFilesRead(f func()) (restore func()) {
	old := letterFilesRead
	letterFilesRead = f
	return func() { letterFilesRead = old }
}

// WaitPagesForTest returns once h's reader of PDF pages has read every PDF waiting.
func WaitPagesForTest(h *Handler) { h.shown.working.Wait() }
