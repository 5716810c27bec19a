package digest

import (
	"context"
	"errors"
	"time"

	"github.com/gapwatch/gapwatch/notice"
)

// RunDue sends every digest that is due: for each enabled tenant, the
// period ending at its latest send time, if no one has delivered it yet,
// and failed periods whose retry time has come. A service that was down at
// send time catches up on its first pass. It returns the tenants' errors
// joined; one tenant's failure does not stop the others.
func (s *Service) RunDue(ctx context.Context) error {
	ts, err := s.o.Store.Tenants(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, t := range ts {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err := s.runTenant(ctx, t); err != nil && !errors.Is(err, ErrNoRecipient) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (s *Service) runTenant(ctx context.Context, t notice.Tenant) error {
	sub, err := s.o.Store.Subscription(ctx, t)
	if err != nil || !sub.Enabled {
		return err
	}
	if len(recipients(t, sub)) == 0 {
		return ErrNoRecipient
	}
	now := s.o.Now().UTC()
	slot := LastSlot(now.Add(-s.o.Settle), sub.Weekday, sub.Hour, Location(t, sub))
	// A tenant created after the latest send time waits for the next one.
	if slot.Before(t.Created) {
		return nil
	}
	rec, won, err := s.o.Store.ClaimDigest(ctx, t.ID, slot, now, s.o.Lease)
	if err != nil || !won {
		return err
	}
	_, err = s.deliver(ctx, t, sub, rec)
	return err
}

// Run calls RunDue at once (catching up after downtime) and then every
// interval until ctx ends.
func (s *Service) Run(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if err := s.RunDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("digest pass", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
