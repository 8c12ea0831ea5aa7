package db_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/seqno"
)

// TestStandbyFailoverLosesNoCommittedNumber runs a PostgreSQL primary with a
// synchronous streaming standby (both started here from Debian's binaries),
// reads from the standby, then "crashes" the primary in the middle of numbering
// and promotes the standby: every number the primary confirmed is there, gapless.
// It runs in both test passes: it needs PostgreSQL whatever the suite's engine.
func TestStandbyFailoverLosesNoCommittedNumber(t *testing.T) {
	ctx := context.Background()
	primary, err := dbtest.StartCluster()
	if err != nil {
		t.Fatal(err)
	}
	defer primary.Stop()
	standby, err := primary.StartStandby(true)
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Stop()
	d, err := db.Open(ctx, primary.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := migrations.All()
	if _, err := d.Migrate(ctx, ms); err != nil {
		t.Fatal(err)
	}
	if err := d.AttachReplica(ctx, standby.URL); err != nil {
		t.Fatal(err)
	}
	// Reads go to the standby and see committed writes (synchronous replication).
	if err := audit.Record(ctx, d, audit.Entry{Username: "t", Action: "replica.check"}); err != nil {
		t.Fatal(err)
	}
	var n int
	deadline := clock.After(10 * time.Second)
	for n == 0 && !clock.Passed(deadline) {
		d.Reader().QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'replica.check'`).Scan(&n)
	}
	if n != 1 {
		t.Fatalf("standby sees %d audit rows", n)
	}
	if _, err := d.Reader().Exec(ctx, `DELETE FROM audit_log`); err == nil {
		t.Fatal("a write went to the read replica")
	}
	// Numbering under load; the primary dies mid-stream.
	scope := seqno.Scope("receipt", 1, 115)
	var mu sync.Mutex
	confirmed := map[int64]bool{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				var got int64
				err := d.InTx(ctx, func(tx *db.Tx) (err error) {
					got, err = seqno.Next(ctx, tx, scope)
					return err
				})
				if err != nil {
					return // the primary is gone
				}
				mu.Lock()
				confirmed[got] = true
				mu.Unlock()
			}
		}()
	}
	time.Sleep(700 * time.Millisecond)
	if err := primary.StopFast(); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	d.Close()
	if len(confirmed) == 0 {
		t.Fatal("no number was confirmed before the crash")
	}
	if err := standby.Promote(); err != nil {
		t.Fatal(err)
	}
	nd, err := db.Open(ctx, standby.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer nd.Close()
	last, err := seqno.Peek(ctx, nd, scope)
	if err != nil {
		t.Fatal(err)
	}
	for num := range confirmed {
		if num > last {
			t.Fatalf("number %d was confirmed by the primary but the promoted standby stops at %d", num, last)
		}
	}
	// The promoted standby takes writes and continues the sequence without a gap.
	var next int64
	if err := nd.InTx(ctx, func(tx *db.Tx) (err error) { next, err = seqno.Next(ctx, tx, scope); return }); err != nil {
		t.Fatal(err)
	}
	if next != last+1 {
		t.Fatalf("after failover next = %d, want %d", next, last+1)
	}
	t.Logf("%d numbers confirmed before the crash; standby had %d; failover continues at %d", len(confirmed), last, next)
}
