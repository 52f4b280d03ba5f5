package dispatch

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chancery/chancery/internal/registry"
	"github.com/chancery/chancery/internal/store"
	gomail "github.com/wneessen/go-mail"
)

func p99(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)*99+99)/100-1]
}

// BenchmarkDispatch1000x5 releases 1,000 letters and dispatches each to 5 recipients into a
// local Mailpit, and reports: the outbox's throughput (messages/s) and p99 from queueing to the
// SMTP server's acceptance; Mailpit's intake ceiling measured in the same run by sending the
// same messages straight from go-mail over as many connections; and what the outbox adds to a
// release (p99 of a release with an office webhook endpoint, whose event is queued in the
// release's transaction, against one without, and p99 of the dispatch decision itself).
// Run it once: go test -run '^$' -bench Dispatch1000x5 -benchtime 1x ./internal/dispatch/
func BenchmarkDispatch1000x5(b *testing.B) {
	letters := 1000
	if n, err := strconv.Atoi(os.Getenv("CHANCERY_BENCH_LETTERS")); err == nil && n > 0 {
		letters = n // a shorter run, for profiling
	}
	for range b.N {
		benchDispatch(b, letters, 5)
	}
}

func benchDispatch(b *testing.B, letters, perLetter int) {
	ctx := context.Background()
	mp := startMailpit(b)

	// What the outbox adds to a release: a release's transaction queues the release event for
	// each office webhook endpoint. Half the releases run without one, half with one.
	rel := newOffice(b)
	hook := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer hook.Close()
	rel.r.SetDispatch(registry.DispatchSettings{AllowPrivateWebhooks: true})
	var plain, hooked []time.Duration
	for i := range 200 {
		if i == 100 {
			if _, err := rel.r.AddWebhook(ctx, rel.admin, "records", hook.URL); err != nil {
				b.Fatal(err)
			}
		}
		ref := rel.draft(b, fmt.Sprintf("Release %d of the benchmark.", i))
		rel.approveAndSign(b, ref)
		start := time.Now()
		if _, err := rel.r.Release(ctx, rel.officer, ref); err != nil {
			b.Fatal(err)
		}
		if i < 100 {
			plain = append(plain, time.Since(start))
		} else {
			hooked = append(hooked, time.Since(start))
		}
	}

	o := newOffice(b)
	names := make([]string, perLetter)
	for i := range names {
		names[i] = fmt.Sprintf("r%d", i)
		if _, _, err := o.r.AddRecipient(ctx, o.admin, registry.NewRecipient{Name: names[i], Emails: []string{names[i] + "@bench.example"}}); err != nil {
			b.Fatal(err)
		}
	}
	paced := letters / 10
	refs := make([]string, letters+paced)
	for i := range refs {
		refs[i] = o.draft(b, fmt.Sprintf("Letter %d of the benchmark.", i))
		o.approveAndSign(b, refs[i])
		if _, err := o.r.Release(ctx, o.officer, refs[i]); err != nil {
			b.Fatal(err)
		}
	}
	burst, rest := refs[:letters], refs[letters:]

	// Throughput: the burst is queued (each dispatch decision timed), then the worker drains it.
	// Mailpit's ceiling is measured before and after the outbox's run (the machine is shared:
	// its load changes), with the same message; the higher one counts.
	sm, _ := ParseSMTP(mp.url())
	sample := o.release(b, "The ceiling's sample letter.")
	o.r.SetDispatch(registry.DispatchSettings{Mail: true})
	if _, err := o.r.Dispatch(ctx, o.officer, sample, names[:1]); err != nil {
		b.Fatal(err)
	}
	out, err := o.r.Compose(ctx, firstMessage(b, o, sample))
	if err != nil {
		b.Fatal(err)
	}
	before := mailpitCeiling(b, sm, out, letters*perLetter, DefaultConnections)
	var decide []time.Duration
	for _, ref := range burst {
		start := time.Now()
		if _, err := o.r.Dispatch(ctx, o.officer, ref, names); err != nil {
			b.Fatal(err)
		}
		decide = append(decide, time.Since(start))
	}
	d, err := New(Config{Registry: o.r, SMTP: sm, From: "registry@tfn.example"})
	if err != nil {
		b.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	b.ResetTimer()
	first := time.Now()
	go func() { defer close(done); d.Run(runCtx) }()
	sentAll := func(refs []string, queued map[string]time.Time) (bool, time.Time, []time.Duration) {
		var last time.Time
		var lat []time.Duration
		for _, ref := range refs {
			vs, err := o.r.Dispatches(ctx, o.officer, ref)
			if err != nil {
				b.Fatal(err)
			}
			for _, v := range vs {
				if v.Status != "sent" {
					return false, last, nil
				}
				if v.SentAt.After(last) {
					last = *v.SentAt
				}
				if queued != nil {
					lat = append(lat, v.SentAt.Sub(queued[ref]))
				}
			}
		}
		return true, last, lat
	}
	// Mailpit's count is watched, slowly, so that the watching takes little of the CPU the
	// worker and Mailpit share; the outbox is read once everything arrived.
	total := letters * perLetter
	for mp.count(b) < 2*total+1 { // the ceiling's run, the burst and the sample letter
		time.Sleep(250 * time.Millisecond)
	}
	var last time.Time
	waitFor(b, "the burst recorded", func() bool {
		ok, l, _ := sentAll(burst, nil)
		last = l
		return ok
	})
	b.StopTimer()
	rate := float64(total) / last.Sub(first).Seconds()

	// Latency: the rest is dispatched one letter at a time at half that rate.
	queued := map[string]time.Time{}
	gap := time.Duration(float64(time.Second) * float64(perLetter) / (rate / 2))
	for _, ref := range rest {
		if _, err := o.r.Dispatch(ctx, o.officer, ref, names); err != nil {
			b.Fatal(err)
		}
		queued[ref] = time.Now()
		time.Sleep(gap)
	}
	var lat []time.Duration
	waitFor(b, "the paced letters sent", func() bool {
		ok, _, l := sentAll(rest, queued)
		lat = l
		return ok
	})
	cancel()
	<-done

	after := mailpitCeiling(b, sm, out, total, DefaultConnections)
	ceiling := max(before, after)

	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(before, "mailpit-before-msgs/s")
	b.ReportMetric(after, "mailpit-after-msgs/s")
	b.ReportMetric(rate/ceiling, "ratio")
	b.ReportMetric(float64(p99(lat).Microseconds())/1000, "p99-queue-to-accepted-ms")
	b.ReportMetric(float64(p99(decide).Microseconds())/1000, "dispatch-decision-p99-ms")
	b.ReportMetric(float64(p99(plain).Microseconds())/1000, "release-p99-ms")
	b.ReportMetric(float64(p99(hooked).Microseconds())/1000, "release-with-webhook-p99-ms")
}

// mailpitCeiling sends n copies of out (each with its own Message-ID) over conns go-mail
// connections kept open, and returns messages per second.
func mailpitCeiling(b *testing.B, sm *SMTP, out *registry.Outgoing, n, conns int) float64 {
	var wg sync.WaitGroup
	next := make(chan int)
	start := time.Now()
	for range conns {
		wg.Go(func() {
			cl, err := sm.NewClient()
			if err != nil {
				b.Error(err)
				return
			}
			if err := cl.DialWithContext(context.Background()); err != nil {
				b.Error(err)
				return
			}
			defer cl.Close()
			for i := range next {
				o := *out
				o.MessageID = fmt.Sprintf("ceiling.%d@bench.example", i)
				var m *gomail.Msg
				if m, err = Message("registry@tfn.example", &o); err == nil {
					err = cl.Send(m)
				}
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	return float64(n) / time.Since(start).Seconds()
}

// firstMessage returns the first outbox message about ref.
func firstMessage(b *testing.B, o *office, ref string) store.OutboxMessage {
	var m store.OutboxMessage
	err := o.db.View(context.Background(), func(tx *store.Tx) error {
		l, err := tx.LetterByRef(context.Background(), ref)
		if err != nil {
			return err
		}
		ms, err := tx.LetterMessages(context.Background(), l.ID)
		if err == nil {
			m = ms[0]
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return m
}
