package keys

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/term"
)

// The environment variables Passphrase reads.
const (
	PassphraseEnv     = "CHANCERY_PASSPHRASE"
	PassphraseFileEnv = "CHANCERY_PASSPHRASE_FILE"
)

// ErrNoPassphrase is returned by Passphrase when neither variable is set and there is no
// terminal to ask on. Show PassphraseHint with it.
var ErrNoPassphrase = errors.New("no passphrase: " + PassphraseEnv + " and " + PassphraseFileEnv + " are unset and there is no terminal to ask on")

// ErrPassphrasesDiffer is returned by NewPassphrase when the passphrase typed again differs.
var ErrPassphrasesDiffer = errors.New("passphrase: the two passphrases typed differ")

// PassphraseHint is the advice to show with ErrNoPassphrase.
const PassphraseHint = "set " + PassphraseFileEnv + " to a file holding the passphrase (or " + PassphraseEnv + " to the passphrase), or run in a terminal"

// maxPassphraseFileSize bounds the passphrase files Passphrase reads.
const maxPassphraseFileSize = 4 << 10

// Passphrase returns the passphrase of a key file: the value of CHANCERY_PASSPHRASE if it is
// set and not empty; else the contents of the file CHANCERY_PASSPHRASE_FILE names, less one
// final newline; else what the user types at the terminal in, after prompt is written to out,
// without echo. If in is not a terminal it fails with ErrNoPassphrase. An empty passphrase is
// an error: age refuses to encrypt with one.
func Passphrase(prompt string, in *os.File, out io.Writer) (string, error) {
	return passphrase(prompt, in, out, false)
}

// NewPassphrase is Passphrase for a new key file: typed at the terminal, it is asked twice
// and refused if the two differ, since a typo no one saw would make a key no one can open.
func NewPassphrase(prompt string, in *os.File, out io.Writer) (string, error) {
	return passphrase(prompt, in, out, true)
}

func passphrase(prompt string, in *os.File, out io.Writer, confirm bool) (string, error) {
	if p := os.Getenv(PassphraseEnv); p != "" {
		return p, nil
	}
	if path := os.Getenv(PassphraseFileEnv); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("passphrase: %s: %w", PassphraseFileEnv, err)
		}
		defer f.Close()
		if err := CheckPrivate(f); err != nil {
			return "", fmt.Errorf("passphrase: %s: %s %w", PassphraseFileEnv, path, err)
		}
		b, err := io.ReadAll(io.LimitReader(f, maxPassphraseFileSize+1))
		if err != nil {
			return "", fmt.Errorf("passphrase: %s: %w", PassphraseFileEnv, err)
		}
		if len(b) > maxPassphraseFileSize {
			return "", fmt.Errorf("passphrase: %s: file larger than %d bytes", PassphraseFileEnv, maxPassphraseFileSize)
		}
		// Editors end files with a newline (CRLF on Windows), which is not part of the
		// passphrase; any other white space is.
		p, crlf := strings.CutSuffix(string(b), "\r\n")
		if !crlf {
			p = strings.TrimSuffix(p, "\n")
		}
		if p == "" {
			return "", fmt.Errorf("passphrase: %s: %s is empty", PassphraseFileEnv, path)
		}
		return p, nil
	}
	if in == nil || !term.IsTerminal(int(in.Fd())) {
		return "", ErrNoPassphrase
	}
	p, err := readTerminal(prompt, in, out)
	if err != nil || !confirm {
		return p, err
	}
	again, err := readTerminal("again: ", in, out)
	if err != nil {
		return "", err
	}
	if again != p {
		return "", ErrPassphrasesDiffer
	}
	return p, nil
}

// readTerminal writes prompt to out and reads a passphrase from the terminal in, unechoed.
func readTerminal(prompt string, in *os.File, out io.Writer) (string, error) {
	fmt.Fprint(out, prompt)
	b, err := ReadPassword(int(in.Fd()))
	// The user's Enter was not echoed either: end the prompt's line.
	fmt.Fprintln(out)
	if err != nil {
		return "", fmt.Errorf("passphrase: read terminal: %w", err)
	}
	if len(b) == 0 {
		return "", errors.New("passphrase: empty passphrase")
	}
	return string(b), nil
}

// CheckPrivate refuses a secret file (a passphrase file, a member's token file) that its group
// or others can read or write: whoever reads a passphrase file holds the key as well as the
// key file's owner does, since the file is all that protects the key (as the data directory
// refuses its key files, docs/keys.md), and whoever reads a token acts as the member. A pipe
// (a shell's process substitution) is not a file kept on disk, and Windows has no such bits.
func CheckPrivate(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if runtime.GOOS != "windows" && fi.Mode().IsRegular() && fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("can be read or changed by others (mode %v): chmod 600 it", fi.Mode().Perm())
	}
	return nil
}

// ReadPassword is term.ReadPassword, which turns the terminal's echo off while it reads, but
// gives the echo back when the process is interrupted meanwhile (Ctrl-C, SIGTERM, SIGHUP):
// term.ReadPassword restores it only when it returns, so a signer who stopped at the
// passphrase prompt was left typing blind in their shell. The process then dies of the
// signal, as it would have.
func ReadPassword(fd int) ([]byte, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return nil, err
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case s := <-sigs:
			term.Restore(fd, state)
			signal.Reset(s)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Signal(s)
			}
		case <-done:
		}
	}()
	defer func() {
		signal.Stop(sigs)
		close(done)
		<-stopped
	}()
	return term.ReadPassword(fd)
}
