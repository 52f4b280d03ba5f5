package i18n

import (
	"errors"
	"fmt"
	"strings"
)

// Message is a text to show in the reader's language, kept as its English format and its
// arguments until a printer formats it. Packages below the interfaces (the registry, the
// policy) build messages where they know what happened, and the interfaces translate them.
type Message struct {
	Key  string
	Args []any
}

// Msg makes a message. Its format must be in the catalogue with French and Arabic texts:
// the catalogue test finds every i18n.Msg("…") and i18n.Errorf(sentinel, "…") of the module.
func Msg(format string, args ...any) Message {
	return Message{Key: format, Args: args}
}

// String is the message in English, formatted as fmt.Sprintf does.
func (m Message) String() string {
	return fmt.Sprintf(m.Key, m.Args...)
}

// Translator is a value that can say itself in a printer's language: a Message, an Error, or
// an error type of another package (the registry's release refusal) built from messages.
type Translator interface {
	Translate(p *Printer) string
}

// Translate formats m in p's language. Arguments that are themselves translatable (a
// Message, an error carrying one) are translated first. Numbers are written as in English,
// with Western digits and no grouping: in these texts they are versions, log entries and
// limits, which the reader compares with references and footers written that way.
func (m Message) Translate(p *Printer) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch v := a.(type) {
		case Translator:
			args[i] = v.Translate(p)
		case error:
			args[i] = p.Error(v)
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(p.Text(m.Key), args...)
}

// Error is an error whose text the interfaces show in the reader's language. It wraps a
// sentinel (registry.ErrInvalid, registry.ErrConflict …) so that errors.Is still branches on
// it, and its English text is exactly what fmt.Errorf("%w: "+format, sentinel, args...)
// gives, which the API and the command line print and offices script against.
type Error struct {
	Err error
	Message
}

// Errorf returns an Error wrapping sentinel (which may be nil) with the message format and
// args. Use it where fmt.Errorf("%w: …", sentinel, …) would be used and the text may reach a
// web page.
func Errorf(sentinel error, format string, args ...any) error {
	return &Error{Err: sentinel, Message: Message{Key: format, Args: args}}
}

func (e *Error) Error() string {
	if e.Err == nil {
		return e.Message.String()
	}
	return e.Err.Error() + ": " + e.Message.String()
}

// Unwrap returns the sentinel; an Error without one wraps the errors among its arguments, as
// fmt.Errorf with %w would.
func (e *Error) Unwrap() []error {
	if e.Err != nil {
		return []error{e.Err}
	}
	var out []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			out = append(out, err)
		}
	}
	return out
}

// Translate says the error in p's language: the sentinel's text, when the catalogue has it,
// then the message.
func (e *Error) Translate(p *Printer) string {
	if e.Err == nil {
		return e.Message.Translate(p)
	}
	return fmt.Sprintf(p.Text("%s: %s"), p.Error(e.Err), e.Message.Translate(p))
}

// Error says err in p's language. In English it is err.Error(), unchanged. In another
// language it is the first translatable error of err's chain (the words wrapped around it
// are context for logs, in English), or err's text when the catalogue has it, or else err's
// English text as it is.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	if p.Lang() == "en" {
		return err.Error()
	}
	var t Translator
	if errors.As(err, &t) {
		return t.Translate(p)
	}
	return p.Text(err.Error())
}

// Join says each message in p's language and joins them as a list of reasons: with "; " in
// English, " ; " in French and "؛ " in Arabic.
func (p *Printer) Join(ms []Message) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Translate(p)
	}
	return strings.Join(out, p.Text("; "))
}
