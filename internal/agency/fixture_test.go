package agency

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/rocdate"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture is a migrated database with the register, an office, a clerk, a
// supervisor of another office, a person and a controllable clock.
type fixture struct {
	t      testing.TB
	ctx    context.Context
	d      *db.DB
	s      *Service
	clerk  *auth.User
	other  *auth.User // a clerk of another office
	person *person.Person
	mu     sync.Mutex
	clock  time.Time
	keyN   int
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), d: dbtest.New(t)}
	f.clock = time.Date(2024, 7, 8, 10, 0, 0, 0, rocdate.Taipei) // 民國113年7月8日
	f.s = New(f.d, t.TempDir(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	f.s.Now = f.now
	offices := &office.Store{DB: f.d}
	if err := offices.SeedTaichung(f.ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Init(f.ctx); err != nil {
		t.Fatal(err)
	}
	a := auth.New(f.d, auth.DefaultPolicy())
	mk := func(name, officeCode string, role auth.Role) *auth.User {
		o, err := offices.ByCode(f.ctx, officeCode)
		if err != nil {
			t.Fatal(err)
		}
		id, _, err := a.CreateUser(f.ctx, audit.Actor{Username: "test"}, auth.NewUser{Username: name, DisplayName: name + "員", OfficeID: o.ID, Role: role, Password: "secret-password-1"})
		if err != nil {
			t.Fatal(err)
		}
		u, err := a.UserByID(f.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.clerk = mk("clerk", "xitun", auth.Clerk)
	f.other = mk("clerk2", "beitun", auth.Clerk)
	f.person = &person.Person{IDNo: "A123456789", Name: "王大明", BirthDate: rocdate.Date(1980, 5, 20), AddrHousehold: "臺中市西屯區福科路100號", OfficeID: f.clerk.OfficeID}
	if err := (&person.Store{DB: f.d}).Create(f.ctx, audit.Actor{Username: "test"}, f.person); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.clock
}

func (f *fixture) setClock(t time.Time) {
	f.mu.Lock()
	f.clock = t
	f.mu.Unlock()
}

// day returns the fixture clock's Taipei day.
func (f *fixture) day() civil.Date { return civil.Of(f.now()) }

func (f *fixture) agency(code string) *Agency {
	f.t.Helper()
	a, err := f.s.AgencyByCode(f.ctx, code)
	if err != nil {
		f.t.Fatalf("agency %s: %v", code, err)
	}
	return a
}

func (f *fixture) key() string {
	f.keyN++
	return fmt.Sprintf("test-key-%012d", f.keyN)
}

// moveTo is a move application of the fixture person to the given agencies,
// with account numbers where the agency needs one.
func (f *fixture) moveTo(newAddr string, codes ...string) NewApplication {
	in := NewApplication{IdempotencyKey: f.key(), Kind: "move", PersonIDNo: f.person.IDNo,
		Fields: map[string]string{"old_address": f.person.AddrHousehold, "new_address": newAddr, "event_date": f.day().ROCShort()}}
	for i, c := range codes {
		a := f.agency(c)
		sel := Selection{AgencyID: a.ID}
		if a.AccountLabel != "" {
			sel.AccountNo = fmt.Sprintf("07-1234-%04d", i+1)
		}
		in.Agencies = append(in.Agencies, sel)
	}
	return in
}

// send creates and sends an application, failing the test on error.
func (f *fixture) send(in NewApplication) *Application {
	f.t.Helper()
	app, created, err := f.s.Create(f.ctx, f.clerk, 0, "127.0.0.1", in)
	if err != nil {
		f.t.Fatalf("create: %v", err)
	}
	if !created {
		f.t.Fatalf("create: not created")
	}
	if _, err := f.s.Send(f.ctx, f.clerk, "127.0.0.1", app.ID); err != nil {
		f.t.Fatalf("send: %v", err)
	}
	app, err = f.s.Application(f.ctx, app.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return app
}

func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRow(f.ctx, q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}
