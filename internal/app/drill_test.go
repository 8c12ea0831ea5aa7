package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/app"
	"ebazhao/internal/demo"
	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// TestRestoreDrill backs up a system while clerks keep writing to it, restores
// the copy elsewhere, and checks the copy: audit chain intact, every table's row
// count consistent with the moment of the backup.
func TestRestoreDrill(t *testing.T) {
	ctx := context.Background()
	d := dbtest.New(t)
	a, err := app.New(ctx, app.Config{Demo: true, Policy: auth.DefaultPolicy(), DataDir: t.TempDir()}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SeedDemo(ctx, "demo", 300, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := demo.GeneratePeople(ctx, d, 20_000, nil); err != nil {
		t.Fatal(err)
	}
	// Clerks keep working (audited person views) during the backup.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				audit.Record(ctx, d, audit.Entry{Username: fmt.Sprint("clerk", w), Action: "person.view", PersonIDNo: demo.ScaleIDNo(1 + i)})
			}
		}(w)
	}
	time.Sleep(200 * time.Millisecond)
	file := filepath.Join(t.TempDir(), "drill.backup")
	if err := d.Backup(ctx, file); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()

	// Restore into a brand-new database "elsewhere".
	url, dir := dbtest.URL(t)
	if err := db.Restore(ctx, url, dir, file); err != nil {
		t.Fatal(err)
	}
	r, err := db.Open(ctx, url, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ms, _ := migrations.All()
	if applied, err := r.Migrate(ctx, ms); err != nil || len(applied) != 0 {
		t.Fatalf("restored copy needed migrations %v: %v", applied, err)
	}
	n, problem, err := audit.Verify(ctx, r)
	if err != nil || problem != nil {
		t.Fatalf("restored audit chain: %v %v", problem, err)
	}
	var live int64
	d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log`).Scan(&live)
	if n == 0 || n >= live {
		t.Fatalf("restored audit entries %d, live %d: the backup should be a snapshot taken mid-stream", n, live)
	}
	for _, table := range []string{"persons", "users", "offices", "counters", "documents", "seal_events", "archive_docs", "agency_items", "rating_windows"} {
		var src, dst int64
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&src); err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		if err := r.QueryRow(ctx, `SELECT COUNT(*) FROM `+table).Scan(&dst); err != nil {
			t.Fatalf("%s in the copy: %v", table, err)
		}
		if src != dst {
			t.Errorf("%s: %d rows live, %d in the restored copy", table, src, dst)
		}
	}
}

// TestDatabaseOutageAndRecovery stops PostgreSQL under a running server: pages
// answer with a clear error and /healthz with 503; when the database is back the
// same server works again without a restart.
func TestDatabaseOutageAndRecovery(t *testing.T) {
	ctx := context.Background()
	c, err := dbtest.StartCluster()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	d, err := db.Open(ctx, c.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ms, _ := migrations.All()
	if _, err := d.Migrate(ctx, ms); err != nil {
		t.Fatal(err)
	}
	a, err := app.New(ctx, app.Config{Demo: true, Policy: auth.DefaultPolicy(), DataDir: t.TempDir()}, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, d, "demo", 10); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	e := &env{t: t, DB: d, App: a, Srv: srv}
	clerk := e.loggedIn("clerk")
	if st, _ := clerk.get("/persons/A123456789"); st != 200 {
		t.Fatalf("before the outage: %d", st)
	}
	if err := c.StopFast(); err != nil {
		t.Fatal(err)
	}
	if st, _ := clerk.get("/healthz"); st != http.StatusServiceUnavailable {
		t.Errorf("healthz during the outage: %d", st)
	}
	st, body := clerk.get("/persons/A123456789")
	if st != http.StatusServiceUnavailable || !strings.Contains(body, "暫時無法連線資料庫") {
		t.Errorf("person page during the outage: %d", st)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := clock.After(15 * time.Second)
	for {
		st, body = clerk.get("/persons/A123456789")
		if st == 200 || clock.Passed(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if st != 200 || !strings.Contains(body, "王大明") {
		t.Fatalf("after the database came back: %d", st)
	}
	if st, _ := clerk.get("/healthz"); st != 200 {
		t.Errorf("healthz after recovery: %d", st)
	}
}
