package web

import (
	"container/list"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/clock"
)

// DefaultAuthAttemptsPerMinute is how many authentication attempts (logins,
// password changes, failed API tokens) one client address may make a minute,
// in a burst or spread out, when Options sets no other number.
const DefaultAuthAttemptsPerMinute = 20

// DefaultAuthClients is how many client addresses the limiter remembers.
const DefaultAuthClients = 10000

// AttemptLimiter is a token bucket per key (a client address): perMinute
// attempts a minute with a burst of as many. It remembers at most maxKeys keys;
// at the limit it forgets the one seen least recently, so a flood of addresses
// costs bounded memory.
type AttemptLimiter struct {
	mu        sync.Mutex
	every     rate.Limit
	burst     int
	maxKeys   int
	now       func() time.Time
	keys      map[string]*list.Element
	lru       *list.List // of *attemptBucket, most recently seen first
	perMinute int
}

type attemptBucket struct {
	key string
	lim *rate.Limiter
}

// NewAttemptLimiter returns a limiter of perMinute attempts per key a minute
// (<= 0: DefaultAuthAttemptsPerMinute) remembering at most maxKeys keys (<= 0:
// DefaultAuthClients).
func NewAttemptLimiter(perMinute, maxKeys int) *AttemptLimiter {
	if perMinute <= 0 {
		perMinute = DefaultAuthAttemptsPerMinute
	}
	if maxKeys <= 0 {
		maxKeys = DefaultAuthClients
	}
	return &AttemptLimiter{every: rate.Limit(float64(perMinute) / 60), burst: perMinute, perMinute: perMinute, maxKeys: maxKeys,
		now: clock.Real, keys: map[string]*list.Element{}, lru: list.New()}
}

// bucket returns key's bucket, making it (and forgetting the stalest) if new.
// The caller holds l.mu.
func (l *AttemptLimiter) bucket(key string) *rate.Limiter {
	if el, ok := l.keys[key]; ok {
		l.lru.MoveToFront(el)
		return el.Value.(*attemptBucket).lim
	}
	for l.lru.Len() >= l.maxKeys {
		old := l.lru.Back()
		l.lru.Remove(old)
		delete(l.keys, old.Value.(*attemptBucket).key)
	}
	b := &attemptBucket{key: key, lim: rate.NewLimiter(l.every, l.burst)}
	l.keys[key] = l.lru.PushFront(b)
	return b.lim
}

// Allow spends one attempt of key; false when none is left (nothing is spent).
func (l *AttemptLimiter) Allow(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(key).AllowN(l.now(), 1)
}

// Exhausted reports whether key has no attempt left, spending none.
func (l *AttemptLimiter) Exhausted(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.bucket(key).TokensAt(l.now()) < 1
}

// Len is how many keys the limiter remembers.
func (l *AttemptLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lru.Len()
}

// retryAfter is the Retry-After header value: seconds until one attempt is back.
func (l *AttemptLimiter) retryAfter() string {
	return fmt.Sprint(max(1, (60+l.perMinute-1)/l.perMinute))
}

// TooManyAttemptsMsg is what a client address over its limit is told.
const TooManyAttemptsMsg = "嘗試登入或驗證的次數過多，請稍候一分鐘再試；如有疑問請洽機房人員"

// LimitAuth spends one authentication attempt of r's client address (a login,
// a password change) and reports whether the request may go on. Over the limit
// it sets Retry-After and audits the refused attempt as action (outcome
// denied; username names the account tried when the request has no user); the
// caller then answers 429 with TooManyAttemptsMsg.
func (k *Kit) LimitAuth(w http.ResponseWriter, r *http.Request, action, username string) bool {
	if k.authLimiter.Allow(ClientAddr(r)) {
		return true
	}
	k.refuseRateLimited(w, r, action, username)
	return false
}

// Limit spends one attempt of key on l, a limiter of the caller's own (the
// pairing attempts of one office, say), and reports whether the request may go
// on. Over the limit it sets Retry-After and audits the refusal as action on
// kind id (outcome denied, under officeID when the request has no user); the
// caller then answers 429.
func (k *Kit) Limit(w http.ResponseWriter, r *http.Request, l *AttemptLimiter, key, action, kind, id string, officeID int64) bool {
	if l.Allow(key) {
		return true
	}
	w.Header().Set("Retry-After", l.retryAfter())
	e := audit.For(Actor(r), action, kind, id)
	if e.OfficeID == 0 {
		e.OfficeID = officeID
	}
	e.Outcome, e.Detail = audit.Denied, fmt.Sprintf("rate limited: over %d attempts a minute for %s %s", l.perMinute, kind, id)
	if err := audit.Record(r.Context(), k.DB, e); err != nil {
		k.Log.Error("audit record failed", "err", err, "action", action, "request_id", RequestID(r))
	}
	k.Log.Warn("attempts rate limited", "action", action, "kind", kind, "id", id, "client", ClientAddr(r), "request_id", RequestID(r))
	return false
}

func (k *Kit) refuseRateLimited(w http.ResponseWriter, r *http.Request, action, username string) {
	w.Header().Set("Retry-After", k.authLimiter.retryAfter())
	e := audit.For(Actor(r), action, "client", ClientAddr(r))
	if e.Username == "" {
		e.Username = username
	}
	e.Outcome, e.Detail = audit.Denied, fmt.Sprintf("rate limited: over %d authentication attempts a minute from this address", k.authLimiter.perMinute)
	if err := audit.Record(r.Context(), k.DB, e); err != nil {
		k.Log.Error("audit record failed", "err", err, "action", action, "request_id", RequestID(r))
	}
	k.Log.Warn("authentication attempts rate limited", "action", action, "client", ClientAddr(r), "request_id", RequestID(r))
}
