package web

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestSigninLogNameQuotesWhatItDoesNotShow: the sign-in's log lines carry the name typed,
// which anyone may type, and slog's JSON lines keep a right-to-left override, a zero-width
// character or a line separator's look-alikes as they are: "alice\u202e nigis-ngis" read in
// a log viewer as another line's end. They are quoted as the command line quotes them, and a
// name of another script stays readable.
func TestSigninLogNameQuotesWhatItDoesNotShow(t *testing.T) {
	for in, want := range map[string]string{
		"alice\u202e nigis-ngis": `alice\u202e nigis-ngis`,
		"ali\u200bce":            `ali\u200bce`,
		"alice\x1b[2K":           `alice\x1b[2K`,
		"al\xffice":              `al\xffice`,
		"Renée":                  "Renée",
		"رنا":                    "رنا",
	} {
		if got := logName(in); got != want {
			t.Errorf("logName(%q) = %q, want %q", in, got, want)
		}
		var b bytes.Buffer
		slog.New(slog.NewJSONHandler(&b, nil)).Info("sign-in refused", "name", logName(in))
		if strings.ContainsAny(b.String(), "\u202e\u200b\x1b") {
			t.Errorf("the log line of %q holds it raw: %s", in, b.String())
		}
	}
	long := strings.Repeat("\u202e", 40)
	if got := logName(long); strings.Contains(got, "\u202e") || !strings.HasSuffix(got, "…") {
		t.Errorf("logName of a long name of overrides = %q", got)
	}
}
