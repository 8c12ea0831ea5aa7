package fee

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
)

// 16 clerks at 16 counters issue 1,000 receipts at the same time; some of them
// double-submit. The numbers must be exactly 1..1000, each receipt stored once.
func TestConcurrentClerksGaplessNumbers(t *testing.T) {
	e := newEnv(t)
	const clerks, total = 16, 1000
	var cs []Clerk
	for i := 0; i < clerks; i++ {
		u := e.user(fmt.Sprintf("c%02d", i), fmt.Sprintf("櫃檯人員%02d", i), auth.Clerk, e.office.ID)
		cs = append(cs, Clerk{User: u, Client: "test"})
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, clerks)
	for i := 0; i < clerks; i++ {
		wg.Add(1)
		go func(c Clerk) {
			defer wg.Done()
			for {
				k := next.Add(1)
				if k > total {
					return
				}
				req := IssueRequest{Items: items("戶籍謄本", 1+int(k%3), "印鑑證明", 1), Payment: Payments[k%4].Code,
					IdempotencyKey: fmt.Sprintf("k%d", k)}
				first, _, err := e.svc.Issue(e.ctx, c, req)
				if err != nil {
					errs <- err
					return
				}
				if k%10 == 0 { // a double click
					again, replayed, err := e.svc.Issue(e.ctx, c, req)
					if err != nil || !replayed || again.ID != first.ID {
						errs <- fmt.Errorf("double submit %d: %v %v", k, replayed, err)
						return
					}
				}
			}
		}(cs[i])
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	assertGapless(t, e.d, e.office.ID, 115, total)
	var byClerk int
	if err := e.d.QueryRow(e.ctx, `SELECT COUNT(DISTINCT clerk_id) FROM fee_receipts`).Scan(&byClerk); err != nil {
		t.Fatal(err)
	}
	if byClerk < 2 {
		t.Fatalf("only %d clerks issued: no concurrency exercised", byClerk)
	}
	if _, p, err := audit.Verify(e.ctx, e.d); err != nil || p != nil {
		t.Fatalf("audit chain: %v %v", p, err)
	}
	var audited int
	e.d.QueryRow(e.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'receipt.issue'`).Scan(&audited)
	if audited != total {
		t.Fatalf("%d issue entries audited, want %d", audited, total)
	}
}

func BenchmarkIssueReceipt(b *testing.B) {
	e := newEnv(b)
	c := e.clerk("clerk", 1)
	req := IssueRequest{Items: items("戶籍謄本", 3, "英文戶籍謄本", 2, "印鑑證明", 1), Payment: "cash"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req.IdempotencyKey = fmt.Sprintf("bench-%d", i)
		if _, _, err := e.svc.Issue(e.ctx, c, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssueReceiptParallel(b *testing.B) {
	e := newEnv(b)
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		c := e.clerk("clerk", 1)
		req := IssueRequest{Items: items("戶籍謄本", 3, "印鑑證明", 1), Payment: "cash"}
		for pb.Next() {
			req.IdempotencyKey = fmt.Sprintf("p-%d", n.Add(1))
			if _, _, err := e.svc.Issue(e.ctx, c, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
