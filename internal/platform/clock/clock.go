// Package clock is the one place ebazhao reads the time.
//
// Business time — what day it is, which ROC year a number belongs to, whether a
// deadline has passed — comes from a *Clock injected into the application and
// every service, and is always read as Taipei's calendar day (Today), whatever the
// machine's zone. Timestamps stay UTC instants (Now).
//
// Elapsed times and network deadlines are not business time: they use Start and
// After, which read the machine's monotonic clock and are never shifted.
//
// EBAZHAO_TEST_NOW (RFC 3339) starts the system clock at that instant when the
// process starts, and it advances normally from there. The test suite uses it to
// prove that nothing depends on the day it runs; a server started with it logs a
// warning (see Shifted).
package clock

import (
	"fmt"
	"os"
	"sync"
	"time"

	"ebazhao/internal/platform/civil"
)

// EnvTestNow names the variable that shifts the system clock.
const EnvTestNow = "EBAZHAO_TEST_NOW"

// Clock tells the time. The zero value is not usable; use System, At or Func.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration    // added to the machine's time
	fixed  *time.Time       // a stopped clock (tests), if set
	fn     func() time.Time // a clock driven by a function, if set
}

var (
	systemOnce sync.Once
	system     *Clock
)

// System returns the machine's clock, shifted to EBAZHAO_TEST_NOW when that is set.
// Every call returns the same clock.
func System() *Clock {
	systemOnce.Do(func() {
		system = &Clock{}
		v := os.Getenv(EnvTestNow)
		if v == "" {
			return
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			// A test run with a malformed instant must not silently run on today.
			panic(fmt.Sprintf("%s=%q: not an RFC 3339 instant (e.g. 2031-02-28T23:30:00+08:00): %v", EnvTestNow, v, err))
		}
		system.offset = time.Until(t)
	})
	return system
}

// Shifted reports the instant EBAZHAO_TEST_NOW started the system clock at, if set.
func Shifted() (string, bool) {
	v := os.Getenv(EnvTestNow)
	return v, v != ""
}

// At returns a stopped clock showing t; Set and Advance move it.
func At(t time.Time) *Clock { return &Clock{fixed: &t} }

// Func returns a clock that asks f for the time (a test's own schedule).
func Func(f func() time.Time) *Clock { return &Clock{fn: f} }

// Now returns the current instant.
func (c *Clock) Now() time.Time {
	if c == nil {
		return System().Now()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.fixed != nil:
		return *c.fixed
	case c.fn != nil:
		return c.fn()
	}
	return time.Now().Add(c.offset).UTC() // UTC: a date read off it without rocdate.Today is wrong everywhere, not only off Taipei
}

// Today returns the current calendar day in Taipei: the business date.
func (c *Clock) Today() civil.Date { return civil.Of(c.Now()) }

// Set moves a clock to t. On a running clock it shifts the offset so that Now
// reads t and advances from there.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.fixed != nil:
		c.fixed = &t
	case c.fn != nil:
		c.fn = func() time.Time { return t }
	default:
		c.offset = time.Until(t)
	}
}

// Advance moves a clock forward by d.
func (c *Clock) Advance(d time.Duration) { c.Set(c.Now().Add(d)) }

// Stopwatch measures elapsed real time (never shifted).
type Stopwatch struct{ start time.Time }

// Start starts a stopwatch.
func Start() Stopwatch { return Stopwatch{start: time.Now()} }

// Elapsed returns the real time since the stopwatch started.
func (s Stopwatch) Elapsed() time.Duration { return time.Since(s.start) }

// Real returns the machine's own time, for rate limits and timeouts that are
// about real elapsed seconds (never shifted, never a business date).
func Real() time.Time { return time.Now() }

// After returns the real instant d from now, for network deadlines and polling
// loops (never shifted: the peer and the kernel run on the machine's clock).
func After(d time.Duration) time.Time { return time.Now().Add(d) }

// Until returns the real time left until a real instant from After.
func Until(deadline time.Time) time.Duration { return time.Until(deadline) }

// Passed reports whether a real instant from After has passed.
func Passed(deadline time.Time) bool { return time.Now().After(deadline) }
