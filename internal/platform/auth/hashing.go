package auth

import (
	"context"
	"runtime"
	"sync"
)

// Password hashing is the one expensive thing an anonymous visitor can make the
// server do: one argon2id derivation holds argonMemory KiB (64 MiB) for most of
// a second. A Service therefore runs at most HashSlots of them at once, hashing
// and checking alike; the rest wait their turn, and a request that goes away
// while it waits leaves the queue.

// PerHashMemory is the memory one argon2id derivation takes, in bytes.
const PerHashMemory = argonMemory * 1024

// DefaultHashMemoryMiB is the hashing memory budget when the policy sets none:
// four derivations at once.
const DefaultHashMemoryMiB = 256

// HashSlots is how many password hashes may run at once within a budget of
// budgetMiB (0: DefaultHashMemoryMiB): max(2, min(NumCPU, budget / 64 MiB)).
// Never fewer than two, so one slow login does not stop every other; never more
// than the CPUs, since argon2id keeps a CPU busy as well.
func HashSlots(budgetMiB int) int {
	if budgetMiB <= 0 {
		budgetMiB = DefaultHashMemoryMiB
	}
	n := int((int64(budgetMiB) << 20) / PerHashMemory)
	return max(2, min(runtime.NumCPU(), n))
}

// hasher bounds concurrent argon2id work and keeps the dummy hash that an
// unknown username is checked against.
type hasher struct {
	slots chan struct{}

	dummyOnce sync.Once
	dummy     string // computed at the first unknown username, not at start-up

	// inSlot, when set (tests), is called by every hash and check while it
	// holds its slot.
	inSlot func()
}

func newHasher(slots int) *hasher {
	return &hasher{slots: make(chan struct{}, max(1, slots))}
}

// acquire waits for a slot; the caller must call release once done.
func (h *hasher) acquire(ctx context.Context) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() { once.Do(func() { <-h.slots }) }, nil
}

// hash returns a new encoded hash of pw, within a slot.
func (h *hasher) hash(ctx context.Context, pw string) (string, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	if h.inSlot != nil {
		h.inSlot()
	}
	return HashPassword(pw)
}

// check compares pw with encoded; the caller holds a slot.
func (h *hasher) check(encoded, pw string) bool {
	if h.inSlot != nil {
		h.inSlot()
	}
	return CheckPassword(encoded, pw)
}

// verify compares pw with encoded within a slot.
func (h *hasher) verify(ctx context.Context, encoded, pw string) (bool, error) {
	release, err := h.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer release()
	return h.check(encoded, pw), nil
}

// verifyDummy spends the time of a real check on a password that matches
// nothing, so that an unknown username cannot be told from a known one.
func (h *hasher) verifyDummy(ctx context.Context, pw string) error {
	release, err := h.acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	h.dummyOnce.Do(func() {
		// A hash of a random password nobody knows; its cost is that of any
		// real hash made with today's parameters.
		h.dummy, _ = HashPassword(RandomToken(18))
	})
	h.check(h.dummy, pw)
	return nil
}

// dummyReady reports whether the dummy hash has been computed (tests).
func (h *hasher) dummyReady() bool { return h.dummy != "" }
