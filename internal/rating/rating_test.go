package rating_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/rating"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

type fixture struct {
	d        *db.DB
	svc      *rating.Service
	now      time.Time
	office   int64
	counters []office.Counter
	clerk    *auth.User
	sup      *auth.User
}

func setup(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	d := dbtest.New(t)
	os := &office.Store{DB: d}
	if err := os.SeedTaichung(ctx); err != nil {
		t.Fatal(err)
	}
	o, _ := os.ByCode(ctx, "xitun")
	cs, _ := os.Counters(ctx, o.ID)
	a := auth.New(d, auth.DefaultPolicy())
	cid, _, _ := a.CreateUser(ctx, audit.Actor{}, auth.NewUser{Username: "c", OfficeID: o.ID, Role: auth.Clerk, Password: "x1234567"})
	sid, _, _ := a.CreateUser(ctx, audit.Actor{}, auth.NewUser{Username: "s", OfficeID: o.ID, Role: auth.Supervisor, Password: "x1234567"})
	clerk, _ := a.UserByID(ctx, cid)
	sup, _ := a.UserByID(ctx, sid)
	f := &fixture{d: d, svc: rating.New(d), now: time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC), office: o.ID, counters: cs, clerk: clerk, sup: sup}
	f.svc.Now = func() time.Time { return f.now }
	return f
}

func (f *fixture) terminal(t *testing.T, counter int) *rating.Terminal {
	t.Helper()
	code, err := f.svc.NewPairingCode(context.Background(), f.sup, f.counters[counter].ID)
	if err != nil {
		t.Fatal(err)
	}
	_, term, err := f.svc.Pair(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return term
}

func refusals(t *testing.T, d *db.DB) int {
	var n int
	d.QueryRow(context.Background(), `SELECT COUNT(*) FROM rating_refusals`).Scan(&n)
	return n
}

func TestRatingNeedsAnOpenWindowOfItsCounter(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	term := f.terminal(t, 0)
	other := f.terminal(t, 1)
	// No window at all.
	if _, _, err := f.svc.Rate(ctx, term, 999, 5); !errors.Is(err, rating.ErrRefused) {
		t.Fatalf("rating without a window: %v", err)
	}
	w, err := f.svc.Open(ctx, f.office, f.counters[0].ID, f.clerk.ID, rating.TriggerReceipt, "R-1")
	if err != nil || w == nil {
		t.Fatal(err)
	}
	// Another counter's terminal cannot rate it.
	if _, _, err := f.svc.Rate(ctx, other, w.ID, 5); !errors.Is(err, rating.ErrRefused) {
		t.Fatalf("other counter rated: %v", err)
	}
	// A level outside 1..5.
	if _, _, err := f.svc.Rate(ctx, term, w.ID, 9); !errors.Is(err, rating.ErrRefused) {
		t.Fatalf("level 9: %v", err)
	}
	// Once.
	if _, alarm, err := f.svc.Rate(ctx, term, w.ID, 4); err != nil || alarm {
		t.Fatalf("first press: %v alarm=%v", err, alarm)
	}
	if _, _, err := f.svc.Rate(ctx, term, w.ID, 1); !errors.Is(err, rating.ErrRefused) {
		t.Fatalf("second press on one window: %v", err)
	}
	if n := refusals(t, f.d); n != 4 {
		t.Errorf("refusals counted = %d, want 4", n)
	}
}

func TestWindowClosesAfterThirtySeconds(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	term := f.terminal(t, 0)
	w, _ := f.svc.Open(ctx, f.office, f.counters[0].ID, f.clerk.ID, rating.TriggerNotice, "N-1")
	f.now = f.now.Add(29 * time.Second)
	if open, _ := f.svc.OpenWindow(ctx, f.counters[0].ID); open == nil || open.ID != w.ID {
		t.Fatal("window closed before 30 s")
	}
	f.now = f.now.Add(time.Second) // 30 s: closed (作業規範 叁.四: 30秒內)
	if open, _ := f.svc.OpenWindow(ctx, f.counters[0].ID); open != nil {
		t.Fatal("window still open at 30 s")
	}
	if _, _, err := f.svc.Rate(ctx, term, w.ID, 5); !errors.Is(err, rating.ErrRefused) {
		t.Fatalf("late press: %v", err)
	}
}

func TestOnlyTransactionsOpenWindowsAndOnlyOnce(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if _, err := f.svc.Open(ctx, f.office, f.counters[0].ID, f.clerk.ID, "login", "x"); err == nil {
		t.Fatal("a login opened a window")
	}
	w1, _ := f.svc.Open(ctx, f.office, f.counters[0].ID, f.clerk.ID, rating.TriggerReceipt, "R-7")
	again, err := f.svc.Open(ctx, f.office, f.counters[0].ID, f.clerk.ID, rating.TriggerReceipt, "R-7")
	if err != nil || again != nil {
		t.Fatalf("a retried transaction opened a second window: %v %v", again, err)
	}
	// A newer transaction supersedes the open window.
	w2, _ := f.svc.Open(ctx, f.office, f.counters[0].ID, f.clerk.ID, rating.TriggerReceipt, "R-8")
	term := f.terminal(t, 0)
	if _, _, err := f.svc.Rate(ctx, term, w1.ID, 5); !errors.Is(err, rating.ErrRefused) {
		t.Fatal("superseded window accepted a rating")
	}
	if _, _, err := f.svc.Rate(ctx, term, w2.ID, 5); err != nil {
		t.Fatal(err)
	}
}

func TestVeryDissatisfiedRaisesAlarmOnHub(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	term := f.terminal(t, 2)
	events, stop := f.svc.Hub.Subscribe()
	defer stop()
	w, _ := f.svc.Open(ctx, f.office, f.counters[2].ID, f.clerk.ID, rating.TriggerReceipt, "R-9")
	<-events // the window event
	if _, alarm, err := f.svc.Rate(ctx, term, w.ID, 1); err != nil || !alarm {
		t.Fatalf("非常不滿意: alarm=%v err=%v", alarm, err)
	}
	var got bool
	for i := 0; i < 3; i++ {
		select {
		case e := <-events:
			got = got || (e.Kind == "alert" && e.OfficeID == f.office)
		case <-time.After(time.Second):
		}
	}
	if !got {
		t.Fatal("alert event not published")
	}
	alerts, _ := f.svc.Alerts(ctx, f.office, true)
	if len(alerts) != 1 || alerts[0].ClerkName != "c" || alerts[0].Level != 1 {
		t.Fatalf("alerts = %+v", alerts)
	}
	if err := f.svc.Ack(ctx, f.sup, alerts[0].ID, ""); err == nil {
		t.Error("ack without a note accepted")
	}
	if err := f.svc.Ack(ctx, f.sup, alerts[0].ID, "主任親自致歉並完成補件"); err != nil {
		t.Fatal(err)
	}
	if open, _ := f.svc.Alerts(ctx, f.office, true); len(open) != 0 {
		t.Fatal("acknowledged alert still open")
	}
}

func TestStatsResponseRate(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	term := f.terminal(t, 0)
	levels := []int{5, 5, 4, 2, 0, 0} // two transactions without a press
	for i, l := range levels {
		w, _ := f.svc.Open(ctx, f.office, f.counters[0].ID, f.clerk.ID, rating.TriggerReceipt, "S-"+string(rune('a'+i)))
		if l > 0 {
			if _, _, err := f.svc.Rate(ctx, term, w.ID, l); err != nil {
				t.Fatal(err)
			}
		}
	}
	rows, err := f.svc.Stats(ctx, rating.Filter{OfficeID: f.office, From: civil.New(2026, 11, 25), To: civil.New(2026, 11, 25), GroupBy: "clerk"})
	if err != nil || len(rows) != 1 {
		t.Fatalf("stats: %v %v", rows, err)
	}
	r := rows[0]
	if r.Transactions != 6 || r.Ratings != 4 || r.ByLevel[5] != 2 || r.Satisfied() != 75 || r.ResponseRate() < 66.6 || r.ResponseRate() > 66.7 {
		t.Fatalf("row = %+v satisfied %.1f rate %.1f", r, r.Satisfied(), r.ResponseRate())
	}
	for _, g := range []string{"office", "counter", "kind", "day", "month"} {
		if rows, err := f.svc.Stats(ctx, rating.Filter{GroupBy: g}); err != nil || len(rows) != 1 {
			t.Errorf("group %s: %v %v", g, rows, err)
		}
	}
	if _, err := f.svc.Stats(ctx, rating.Filter{GroupBy: "x; DROP TABLE ratings"}); err == nil {
		t.Error("unknown grouping accepted")
	}
}
