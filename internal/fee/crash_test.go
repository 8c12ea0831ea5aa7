package fee

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// The crash test runs the test binary again as a child process that issues
// receipts as fast as it can with four clerks, kills it with SIGKILL at a random
// moment (usually inside a transaction), and checks that what survived is
// gapless; three times, then issues more in the parent.

const (
	crashEnv    = "EBAZHAO_FEE_CRASH_CHILD"
	crashURLEnv = "EBAZHAO_FEE_CRASH_URL"
	crashDirEnv = "EBAZHAO_FEE_CRASH_DIR"
	crashNowEnv = "EBAZHAO_FEE_CRASH_NOW" // the parent's clock, RFC 3339: both number in the same ROC year
)

// crashChild runs the child's loop when the test binary was started as one; it
// returns false in a normal test run.
func crashChild() bool {
	if os.Getenv(crashEnv) != "1" {
		return false
	}
	ctx := context.Background()
	d, err := db.Open(ctx, os.Getenv(crashURLEnv), os.Getenv(crashDirEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: open:", err)
		os.Exit(3)
	}
	now, err := time.Parse(time.RFC3339, os.Getenv(crashNowEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: clock:", err)
		os.Exit(3)
	}
	d.Clock = clock.At(now)
	svc := NewService(d, nil)
	a := auth.New(d, auth.DefaultPolicy())
	var wg sync.WaitGroup
	for i, name := range []string{"clerk", "clerk2", "supervisor", "cashier"} {
		u, err := a.UserByName(ctx, name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "child: user:", err)
			os.Exit(3)
		}
		wg.Add(1)
		go func(i int, u *auth.User) {
			defer wg.Done()
			for k := 0; ; k++ {
				req := IssueRequest{Items: items("戶籍謄本", 1+k%3, "英文戶籍謄本", 1+k%2), Payment: Payments[k%4].Code,
					IdempotencyKey: fmt.Sprintf("%d-%d-%d", os.Getpid(), i, k)}
				if _, _, err := svc.Issue(ctx, Clerk{User: u, Client: "crash-child"}, req); err != nil {
					fmt.Fprintln(os.Stderr, "child: issue:", err)
					os.Exit(4)
				}
			}
		}(i, u)
	}
	wg.Wait()
	return true
}

func countReceipts(t *testing.T, d *db.DB) int {
	t.Helper()
	var n int
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*) FROM fee_receipts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCrashWhileIssuing(t *testing.T) {
	url, dir := dbtest.URL(t)
	ctx := context.Background()
	d, err := db.Open(ctx, url, dir)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx, ms); err != nil {
		t.Fatal(err)
	}
	e := newEnvOn(t, d, true)
	rng := rand.New(rand.NewPCG(rand.Uint64(), 5))
	for round := 1; round <= 3; round++ {
		before := countReceipts(t, d)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), crashEnv+"=1", crashURLEnv+"="+url, crashDirEnv+"="+dir, crashNowEnv+"="+e.clock.Now().Format(time.RFC3339))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := clock.After(60 * time.Second)
		target := before + 40 + rng.IntN(80)
		for countReceipts(t, d) < target {
			if clock.Passed(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: the child issued too slowly (%d receipts)", round, countReceipts(t, d))
			}
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(time.Duration(rng.IntN(15)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred cleanup, no rollback by the child
			t.Fatal(err)
		}
		err := cmd.Wait()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 {
			t.Fatalf("round %d: child ended by itself: %v", round, err)
		}
		// Reopen, as a restarted server would.
		d.Close()
		if d, err = db.Open(ctx, url, dir); err != nil {
			t.Fatal(err)
		}
		d.Clock = e.clock
		n := countReceipts(t, d)
		t.Logf("round %d: killed after %d receipts", round, n)
		assertGapless(t, d, e.office.ID, 115, n)
	}
	t.Cleanup(func() { d.Close() })
	// After the restarts the sequence goes on without a gap.
	e2 := newEnvOn(t, d, false)
	for i := 0; i < 20; i++ {
		e2.issue(e2.clerk("clerk", 1), "cash", items("戶籍謄本", 1)...)
	}
	n := countReceipts(t, d)
	assertGapless(t, d, e.office.ID, 115, n)
	if _, p, err := audit.Verify(ctx, d); err != nil || p != nil {
		t.Fatalf("audit chain after crashes: %v %v", p, err)
	}
	var audited int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'receipt.issue'`).Scan(&audited)
	if audited != n {
		t.Fatalf("%d receipts but %d issue entries: receipt and audit did not commit together", n, audited)
	}
}
