package crawler

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// nextCheck decides when a source is checked again: after its interval when
// healthy; after an exponential back-off with jitter (capped at MaxBackoff)
// on consecutive errors; never sooner than a server's Retry-After.
func (c *Crawler) nextCheck(ctx context.Context, src notice.Source, now time.Time, err error) time.Time {
	interval := src.Interval
	if interval <= 0 {
		interval = 5 * time.Minute
	}
	if err == nil {
		return now.Add(interval)
	}
	errs := 1
	if st, e := c.store.Source(context.WithoutCancel(ctx), src.Name); e == nil {
		errs = st.State.ConsecutiveErrors + 1
	}
	wait := backoff(interval, errs, c.opts.MaxBackoff)
	var re *RemoteError
	if errors.As(err, &re) && re.RetryAfter > wait {
		wait = min(re.RetryAfter, 24*time.Hour)
	}
	return now.Add(wait)
}

// backoff is interval·2^(errs-1), capped, with ±20% jitter so that many
// failing sources do not retry in lockstep.
func backoff(interval time.Duration, errs int, ceiling time.Duration) time.Duration {
	d := interval
	for i := 1; i < errs && d < ceiling; i++ {
		d *= 2
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return min(time.Duration(float64(d)*jitter), ceiling)
}

// Due returns the enabled sources of the given list whose next check, as
// stored, has come (a source never checked is due).
func Due(sources []notice.Source, states []notice.SourceState, now time.Time) []notice.Source {
	next := make(map[string]time.Time, len(states))
	for _, s := range states {
		next[s.Source.Name] = s.State.NextCheck
	}
	var out []notice.Source
	for _, s := range sources {
		if s.Enabled && !next[s.Name].After(now) {
			out = append(out, s)
		}
	}
	return out
}

// Run crawls the due sources of the list every tick until ctx ends, calling
// onCycle (which may be nil) after each cycle that crawled something. Crawl
// state is read from the store each time, so a crawl made by another
// process pushes the next check back here too; the list itself is this
// process's own configuration.
func (c *Crawler) Run(ctx context.Context, sources []notice.Source, tick time.Duration, onCycle func(Summary)) error {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		states, err := c.store.Sources(ctx)
		if err != nil {
			c.log.Error("list sources", "error", err)
		} else if due := Due(sources, states, c.opts.Now()); len(due) > 0 {
			sum := c.Crawl(ctx, due, nil)
			c.log.Info("crawl cycle", "summary", sum.String())
			if onCycle != nil {
				onCycle(sum)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
