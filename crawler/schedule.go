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
	if st, e := c.sourceState(ctx, src.Name); e == nil {
		errs = st.ConsecutiveErrors + 1
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
	d = min(d, ceiling)
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

func (c *Crawler) sourceState(ctx context.Context, name string) (notice.FetchState, error) {
	all, err := c.store.Sources(ctx)
	if err != nil {
		return notice.FetchState{}, err
	}
	for _, s := range all {
		if s.Source.Name == name {
			return s.State, nil
		}
	}
	return notice.FetchState{}, notice.ErrNotFound
}

// Due returns the enabled sources whose next check has come.
func Due(states []notice.SourceState, now time.Time) []notice.Source {
	var out []notice.Source
	for _, s := range states {
		if s.Source.Enabled && !s.State.NextCheck.After(now) {
			out = append(out, s.Source)
		}
	}
	return out
}

// Run crawls due sources every tick until ctx ends, calling onCycle (which
// may be nil) after each cycle that crawled something. Sources are read
// from the store each time, so state written by another process is seen.
func (c *Crawler) Run(ctx context.Context, tick time.Duration, onCycle func(Summary)) error {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		states, err := c.store.Sources(ctx)
		if err != nil {
			c.log.Error("list sources", "error", err)
		} else if due := Due(states, c.opts.Now()); len(due) > 0 {
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
