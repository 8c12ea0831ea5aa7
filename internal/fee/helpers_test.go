package fee

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/pdf"
)

// at returns the instant hh:mm on a Taipei civil day.
func at(day civil.Date, hh, mm int) time.Time {
	return day.Start().Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
}

// env is a database with one office (and a second one), its counters and staff.
type env struct {
	t        testing.TB
	ctx      context.Context
	d        *db.DB
	svc      *Service
	clock    *clock.Clock
	office   *office.Office
	other    *office.Office
	counters []office.Counter
	users    map[string]*auth.User
	fonts    *pdf.Fonts
}

var sharedFonts = sync.OnceValue(func() *pdf.Fonts { return pdf.NewFonts("") })

func newEnv(t testing.TB) *env {
	t.Helper()
	d := dbtest.New(t)
	return newEnvOn(t, d, true)
}

func newEnvOn(t testing.TB, d *db.DB, create bool) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, ctx: ctx, d: d, clock: clock.At(at(civil.New(2026, 11, 25), 9, 0)), users: map[string]*auth.User{}, fonts: sharedFonts()}
	d.Clock = e.clock // one clock for the service, the audit trail and the users
	e.svc = NewService(d, e.fonts)
	e.svc.Now = e.clock.Now
	offices := &office.Store{DB: d}
	sys := audit.Actor{Username: "test"}
	if create {
		for _, code := range []string{"xitun", "beitun"} {
			o := &office.Office{Code: code, Name: map[string]string{"xitun": "臺中市西屯區戶政事務所", "beitun": "臺中市北屯區戶政事務所"}[code], District: code}
			if err := offices.Create(ctx, sys, o); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 3; i++ {
				if _, err := offices.AddCounter(ctx, sys, o.ID, "counter", ""); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var err error
	if e.office, err = offices.ByCode(ctx, "xitun"); err != nil {
		t.Fatal(err)
	}
	if e.other, err = offices.ByCode(ctx, "beitun"); err != nil {
		t.Fatal(err)
	}
	if e.counters, err = offices.Counters(ctx, e.office.ID); err != nil {
		t.Fatal(err)
	}
	if create {
		e.user("clerk", "王小明", auth.Clerk, e.office.ID)
		e.user("clerk2", "陳美玲", auth.Clerk, e.office.ID)
		e.user("supervisor", "林主任", auth.Supervisor, e.office.ID)
		e.user("cashier", "張出納", auth.Cashier, e.office.ID)
		e.user("other", "黃櫃檯", auth.Clerk, e.other.ID)
		e.user("othersup", "北屯主任", auth.Supervisor, e.other.ID)
		e.user("admin", "機房管理員", auth.Admin, e.office.ID)
	} else {
		for _, n := range []string{"clerk", "clerk2", "supervisor", "cashier", "other", "othersup", "admin"} {
			e.loadUser(n)
		}
	}
	return e
}

// user inserts an account directly (no password hashing: tests create many).
func (e *env) user(username, name string, role auth.Role, officeID int64) *auth.User {
	e.t.Helper()
	now := db.FormatTime(e.d.Now())
	if _, err := e.d.Exec(e.ctx, `INSERT INTO users (username, display_name, office_id, role, password_hash, must_change, password_changed_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'x', ?, ?, ?, ?)`, username, name, officeID, string(role), false, now, now, now); err != nil {
		e.t.Fatal(err)
	}
	return e.loadUser(username)
}

func (e *env) loadUser(username string) *auth.User {
	e.t.Helper()
	u, err := auth.New(e.d, auth.DefaultPolicy()).UserByName(e.ctx, username)
	if err != nil {
		e.t.Fatal(err)
	}
	e.users[username] = u
	return u
}

func (e *env) clerk(name string, counter int) Clerk {
	u := e.users[name]
	if u == nil {
		e.t.Fatalf("no user %s", name)
	}
	var cid int64
	if counter > 0 {
		cid = e.counters[counter-1].ID
	}
	return Clerk{User: u, CounterID: cid, Client: "127.0.0.1"}
}

func qty(n int) *int { return &n }

func items(kv ...any) []QuoteItem {
	var out []QuoteItem
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, QuoteItem{Item: kv[i].(string), Qty: qty(kv[i+1].(int))})
	}
	return out
}

func (e *env) issue(c Clerk, payment string, its ...QuoteItem) *Receipt {
	e.t.Helper()
	r, replayed, err := e.svc.Issue(e.ctx, c, IssueRequest{Items: its, Payment: payment})
	if err != nil {
		e.t.Fatal(err)
	}
	if replayed {
		e.t.Fatal("unexpected replay")
	}
	return r
}

// numbers returns the receipt numbers of an office and ROC year, in order.
func numbers(t testing.TB, q db.Querier, officeID int64, year int) []int64 {
	t.Helper()
	rows, err := q.Query(context.Background(), `SELECT number FROM fee_receipts WHERE office_id = ? AND roc_year = ? ORDER BY number`, officeID, year)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// assertGapless checks numbers are exactly 1..n and the sequence agrees.
func assertGapless(t testing.TB, q db.Querier, officeID int64, year int, n int) {
	t.Helper()
	got := numbers(t, q, officeID, year)
	if len(got) != n {
		t.Fatalf("%d receipts, want %d", len(got), n)
	}
	for i, v := range got {
		if v != int64(i+1) {
			t.Fatalf("number at position %d is %d: a gap or a repeat", i+1, v)
		}
	}
	var last int64
	if err := q.QueryRow(context.Background(), `SELECT COALESCE(MAX(last), 0) FROM sequences WHERE scope = ?`, fmt.Sprintf("receipt/%d/%d", officeID, year)).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if last != int64(n) {
		t.Fatalf("sequence says %d, %d receipts stored", last, n)
	}
	var orphans int
	if err := q.QueryRow(context.Background(), `SELECT COUNT(*) FROM fee_receipts r WHERE NOT EXISTS (SELECT 1 FROM fee_receipt_lines l WHERE l.receipt_id = r.id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Fatalf("%d receipts without lines", orphans)
	}
}
