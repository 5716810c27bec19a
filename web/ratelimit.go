package web

import (
	"time"

	"golang.org/x/time/rate"

	"github.com/gapwatch/gapwatch/api"
)

// Sign-in limits: each client network gets a burst of signinBurst tries,
// then one every signinEvery; all clients together get signinGlobalRate
// tries a second (burst signinGlobalBurst), so that an attacker holding
// many addresses still cannot guess keys quickly.
const (
	signinEvery       = 3 * time.Second
	signinBurst       = 10
	signinGlobalRate  = 5
	signinGlobalBurst = 50
)

// Upload limits when Access.Rate and Access.Burst are unset: the API's
// defaults for a key, so a tenant gets the same budget in the UI.
const (
	defaultUploadRate  = 20
	defaultUploadBurst = 40
)

// newSigninLimiter limits sign-in tries per client network and overall.
func newSigninLimiter(now func() time.Time) *api.Limiter {
	return api.NewLimiter(now, rate.Every(signinEvery), signinBurst, 0).Shared(signinGlobalRate, signinGlobalBurst)
}

// newUploadLimiter limits gap uploads per tenant at the API's per-key
// rate (r per second, burst b), or its defaults when they are unset.
func newUploadLimiter(now func() time.Time, r float64, b int) *api.Limiter {
	if r <= 0 {
		r = defaultUploadRate
	}
	if b <= 0 {
		b = defaultUploadBurst
	}
	return api.NewLimiter(now, rate.Limit(r), b, 0)
}
