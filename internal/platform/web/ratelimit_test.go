package web

import (
	"fmt"
	"testing"
	"time"
)

func TestAttemptLimiter(t *testing.T) {
	clock := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	l := NewAttemptLimiter(6, 3) // 6 a minute: one back every 10 s
	l.now = func() time.Time { return clock }
	for i := range 6 {
		if !l.Allow("10.0.0.1") {
			t.Fatalf("attempt %d of the burst refused", i+1)
		}
	}
	if l.Allow("10.0.0.1") || !l.Exhausted("10.0.0.1") {
		t.Fatal("a seventh attempt within the minute")
	}
	if !l.Allow("10.0.0.2") {
		t.Fatal("another address shares the budget")
	}
	clock = clock.Add(10 * time.Second)
	if l.Exhausted("10.0.0.1") || !l.Allow("10.0.0.1") || l.Allow("10.0.0.1") {
		t.Fatal("not exactly one attempt back after 10 s")
	}
	if got := l.retryAfter(); got != "10" {
		t.Errorf("Retry-After %s, want 10", got)
	}

	// Bounded: a flood of addresses keeps at most maxKeys, the stalest forgotten.
	for i := range 100 {
		l.Allow(fmt.Sprintf("192.0.2.%d", i))
	}
	if l.Len() != 3 {
		t.Fatalf("%d addresses remembered, want at most 3", l.Len())
	}
	l.Allow("192.0.2.97") // seen again: the freshest
	l.Allow("192.0.2.200")
	if _, ok := l.keys["192.0.2.97"]; !ok {
		t.Error("the most recently seen address was forgotten")
	}
	if _, ok := l.keys["192.0.2.98"]; ok {
		t.Error("the stalest address was kept")
	}
}
