package main

import (
	"context"
	"fmt"
	"time"

	"github.com/transparency-dev/tessera"
	"github.com/transparency-dev/tessera/storage/posix"
	"golang.org/x/mod/sumdb/note"
)

// tesseraOptions configures a Tessera appender.
type tesseraOptions func(signer note.Signer) *tessera.AppendOptions

// tesseraDefault is Tessera's out-of-the-box configuration: batches of up to
// 256 entries or 250 ms, and a checkpoint at most every 10 s.
func tesseraDefault(signer note.Signer) *tessera.AppendOptions {
	return tessera.NewAppendOptions().WithCheckpointSigner(signer)
}

// tesseraTuned favours latency: batches of up to 256 entries or 50 ms, and a
// checkpoint at most every 100 ms, the POSIX driver's minimum interval.
func tesseraTuned(signer note.Signer) *tessera.AppendOptions {
	return tesseraDefault(signer).
		WithBatching(256, 50*time.Millisecond).
		WithCheckpointInterval(100 * time.Millisecond)
}

// tesseraLog is Tessera with its POSIX driver.
//
// Durability: with the POSIX driver, the future returned by Add resolves only
// after the entry's whole batch has been sequenced and integrated: the entry
// bundles, the hash tiles and the private tree state (.state/treeState) have
// each been written to a temporary file opened with O_SYNC, renamed into
// place, and the containing directory fsynced. That is stronger than the
// generic tessera.AddFn contract (durably sequenced, integrated "soon"), but
// the public checkpoint file is written later and asynchronously, at most
// once per checkpoint interval, so a resolved future does not mean a client
// can see the entry yet.
//
// Publication: a tessera.PublicationAwaiter re-reads the checkpoint file the
// driver publishes every poll period and releases waiters whose index it
// covers, so latencies are quantised to that period.
type tesseraLog struct {
	appender *tessera.Appender
	awaiter  *tessera.PublicationAwaiter
	shutdown func(context.Context) error
	cancel   context.CancelFunc
}

// openTessera returns an opener for Tessera configured by opts, whose
// publication awaiter reads the checkpoint every poll.
func openTessera(opts tesseraOptions, poll time.Duration) func(context.Context, string, note.Signer) (logUnderTest, error) {
	return func(ctx context.Context, dir string, signer note.Signer) (logUnderTest, error) {
		// Tessera's background tasks run until this context is cancelled,
		// which Close does after shutting the appender down.
		ctx, cancel := context.WithCancel(ctx)
		driver, err := posix.New(ctx, posix.Config{Path: dir})
		if err != nil {
			cancel()
			return nil, fmt.Errorf("create posix driver: %w", err)
		}
		appender, shutdown, reader, err := tessera.NewAppender(ctx, driver, opts(signer))
		if err != nil {
			cancel()
			return nil, fmt.Errorf("create appender: %w", err)
		}
		return &tesseraLog{
			appender: appender,
			awaiter:  tessera.NewPublicationAwaiter(ctx, reader.ReadCheckpoint, poll),
			shutdown: shutdown,
			cancel:   cancel,
		}, nil
	}
}

func (l *tesseraLog) Append(ctx context.Context, data []byte) (func(context.Context) (time.Time, error), error) {
	future := l.appender.Add(ctx, tessera.NewEntry(data))
	if _, err := future(); err != nil {
		return nil, fmt.Errorf("add entry: %w", err)
	}
	// The future is memoised by Tessera, so Await resolving it again is free.
	return func(ctx context.Context) (time.Time, error) {
		if _, _, err := l.awaiter.Await(ctx, future); err != nil {
			return time.Time{}, fmt.Errorf("await publication: %w", err)
		}
		return time.Now(), nil
	}, nil
}

func (l *tesseraLog) Close(ctx context.Context) error {
	defer l.cancel()
	if err := l.shutdown(ctx); err != nil {
		return fmt.Errorf("shut down appender: %w", err)
	}
	return nil
}
