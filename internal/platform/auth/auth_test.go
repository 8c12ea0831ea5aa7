package auth

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// fixture is a fresh database with two offices and accounts of every role.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	s      *Service
	xitun  int64
	beitun int64
	users  map[string]*User
}

// testPassword is every fixture account's password; its hash is made once.
const testPassword = "secret-pass-1"

var testHash = sync.OnceValue(func() string {
	h, err := HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

func newFixture(t *testing.T, p Policy) *fixture {
	t.Helper()
	f := &fixture{t: t, ctx: context.Background(), s: New(dbtest.New(t), p), users: map[string]*User{}}
	now := db.FormatTime(f.s.DB.Now())
	for _, o := range []struct {
		code string
		id   *int64
	}{{"xitun", &f.xitun}, {"beitun", &f.beitun}} {
		if err := f.s.DB.QueryRow(f.ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at) VALUES (?, ?, '臺中市', ?, ?, ?) RETURNING id`,
			o.code, o.code+"戶政事務所", o.code, now, now).Scan(o.id); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []struct {
		name   string
		role   Role
		office int64
	}{
		{"admin", Admin, f.xitun}, {"admin2", Admin, f.beitun},
		{"supervisor", Supervisor, f.xitun}, {"supervisor-peer", Supervisor, f.xitun}, {"supervisor2", Supervisor, f.beitun},
		{"clerk", Clerk, f.xitun}, {"cashier", Cashier, f.xitun}, {"clerk2", Clerk, f.beitun},
	} {
		f.addUser(u.name, u.role, u.office)
	}
	return f
}

// addUser stores an account directly (no hashing: the shared test hash).
func (f *fixture) addUser(name string, role Role, office int64) *User {
	f.t.Helper()
	now := db.FormatTime(f.s.DB.Now())
	var id int64
	if err := f.s.DB.QueryRow(f.ctx, `INSERT INTO users (username, display_name, office_id, role, password_hash, must_change,
		password_changed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		name, name, office, string(role), testHash(), false, now, now, now).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	u, err := f.s.UserByID(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	f.users[name] = u
	return u
}

func (f *fixture) actor(name string) audit.Actor { return f.users[name].Actor("192.0.2.1") }

func (f *fixture) reload(name string) *User {
	f.t.Helper()
	u, err := f.s.UserByID(f.ctx, f.users[name].ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func (f *fixture) hash(name string) string {
	f.t.Helper()
	var h string
	if err := f.s.DB.QueryRow(f.ctx, `SELECT password_hash FROM users WHERE id = ?`, f.users[name].ID).Scan(&h); err != nil {
		f.t.Fatal(err)
	}
	return h
}

func (f *fixture) denied(action string) int {
	f.t.Helper()
	es, err := audit.Search(f.ctx, f.s.DB, audit.Filter{Action: action, Outcome: audit.Denied})
	if err != nil {
		f.t.Fatal(err)
	}
	return len(es)
}

// TestManageRules is the rule table: who may manage an account of which role
// in which office.
func TestManageRules(t *testing.T) {
	const here, there = 1, 2
	mk := func(role Role) *User { return &User{ID: 99, Role: role, OfficeID: here, Active: true} }
	cases := []struct {
		by     Role
		role   Role
		office int64
		ok     bool
	}{
		{Supervisor, Clerk, here, true},
		{Supervisor, Scanner, here, true},
		{Supervisor, Cashier, here, true},
		{Supervisor, Clerk, there, false},       // another office
		{Supervisor, Supervisor, here, false},   // a peer
		{Supervisor, Admin, here, false},        // above
		{Supervisor, Role("root"), here, false}, // unknown
		{Admin, Admin, there, true},             // the top role manages itself, city-wide
		{Admin, Supervisor, there, true},
		{Admin, Clerk, there, true},
		{Clerk, Clerk, here, false}, // no user.manage
		{Cashier, Clerk, here, false},
		{Scanner, Clerk, here, false},
	}
	for _, c := range cases {
		ref := mk(c.by).manageRefusal(c.role, c.office)
		if (ref == nil) != c.ok {
			t.Errorf("%s managing %s of office %d: refusal %v, want allowed=%v", c.by, c.role, c.office, ref, c.ok)
		}
	}
	inactive := mk(Admin)
	inactive.Active = false
	if inactive.manageRefusal(Clerk, here) == nil {
		t.Error("an inactive admin manages")
	}
	if got := fmt.Sprint(Supervisor.ManageableRoles()); got != "[clerk scanner cashier]" {
		t.Errorf("supervisor may give %s", got)
	}
	if got := fmt.Sprint(Admin.ManageableRoles()); got != fmt.Sprint(Roles) {
		t.Errorf("admin may give %s", got)
	}
	if len(Clerk.ManageableRoles()) != 0 {
		t.Error("a clerk may give roles")
	}
	// Tokens need token.manage: a supervisor mints none, not even for a clerk.
	if mk(Supervisor).tokenRefusal(&User{ID: 1, Role: Clerk, OfficeID: here, Active: true}) == nil {
		t.Error("a supervisor mints tokens")
	}
	if mk(Admin).tokenRefusal(&User{ID: 1, Role: Admin, OfficeID: there, Active: true}) != nil {
		t.Error("the admin cannot mint a token")
	}
}

// TestServiceEnforcesAccountRules: the issue-17 takeover, at the service: a
// supervisor resets the admin's password, demotes the admin, deactivates a
// peer supervisor, promotes a clerk — each refused, unchanged, audited denied.
func TestServiceEnforcesAccountRules(t *testing.T) {
	f := newFixture(t, DefaultPolicy())
	sup := f.actor("supervisor")
	refused := func(what string, err error, action string, before int) {
		t.Helper()
		var ref *Refusal
		if !errors.As(err, &ref) || ref.Msg == "" || ref.Reason == "" {
			t.Errorf("%s: %v, want a refusal", what, err)
		}
		if n := f.denied(action); n != before+1 {
			t.Errorf("%s: %d denied %s audit entries, want %d", what, n, action, before+1)
		}
	}
	adminHash := f.hash("admin")
	n := f.denied("user.reset_password")
	_, err := f.s.ResetPassword(f.ctx, sup, f.users["admin"].ID)
	refused("supervisor resets the admin's password", err, "user.reset_password", n)
	if f.hash("admin") != adminHash {
		t.Fatal("the admin's password changed")
	}
	n = f.denied("user.reset_password")
	_, err = f.s.ResetPassword(f.ctx, sup, f.users["supervisor-peer"].ID)
	refused("supervisor resets a peer's password", err, "user.reset_password", n)
	n = f.denied("user.reset_password")
	_, err = f.s.ResetPassword(f.ctx, sup, f.users["clerk2"].ID)
	refused("supervisor resets another office's clerk", err, "user.reset_password", n)

	update := func(by audit.Actor, name string, change func(u *User)) error {
		u := *f.reload(name)
		change(&u)
		return f.s.UpdateUser(f.ctx, by, &u)
	}
	for _, c := range []struct {
		what   string
		target string
		change func(u *User)
	}{
		{"demotes the admin", "admin", func(u *User) { u.Role = Clerk }},
		{"renames the admin", "admin", func(u *User) { u.DisplayName = "x" }},
		{"deactivates a peer supervisor", "supervisor-peer", func(u *User) { u.Active = false }},
		{"promotes a clerk to supervisor", "clerk", func(u *User) { u.Role = Supervisor }},
		{"promotes a clerk to admin", "clerk", func(u *User) { u.Role = Admin }},
		{"moves a clerk to another office", "clerk", func(u *User) { u.OfficeID = f.beitun }},
		{"edits another office's clerk", "clerk2", func(u *User) { u.DisplayName = "x" }},
		{"promotes itself", "supervisor", func(u *User) { u.Role = Admin }},
	} {
		before := f.reload(c.target)
		n := f.denied("user.update")
		refused("supervisor "+c.what, update(sup, c.target, c.change), "user.update", n)
		if after := f.reload(c.target); *after != *before {
			t.Errorf("supervisor %s: %+v became %+v", c.what, before, after)
		}
	}
	n = f.denied("user.create")
	_, _, err = f.s.CreateUser(f.ctx, sup, NewUser{Username: "sup3", OfficeID: f.xitun, Role: Supervisor})
	refused("supervisor creates a supervisor", err, "user.create", n)
	n = f.denied("user.create")
	_, _, err = f.s.CreateUser(f.ctx, sup, NewUser{Username: "clerk3", OfficeID: f.beitun, Role: Clerk})
	refused("supervisor creates a clerk at another office", err, "user.create", n)
	n = f.denied("token.create")
	_, err = f.s.CreateToken(f.ctx, sup, f.users["admin"].ID, "x")
	refused("supervisor mints a token acting as the admin", err, "token.create", n)
	n = f.denied("token.create")
	_, err = f.s.CreateToken(f.ctx, f.actor("clerk"), f.users["clerk"].ID, "x")
	refused("clerk mints a token", err, "token.create", n)
	var tokens int
	f.s.DB.QueryRow(f.ctx, `SELECT COUNT(*) FROM api_tokens`).Scan(&tokens)
	if tokens != 0 {
		t.Fatalf("%d tokens minted by refused requests", tokens)
	}

	// What the rules allow still works.
	if err := update(sup, "clerk", func(u *User) { u.Role = Cashier; u.DisplayName = "改名" }); err != nil {
		t.Fatalf("supervisor edits its clerk: %v", err)
	}
	if _, err := f.s.ResetPassword(f.ctx, sup, f.users["cashier"].ID); err != nil {
		t.Fatalf("supervisor resets its cashier: %v", err)
	}
	if _, _, err := f.s.CreateUser(f.ctx, sup, NewUser{Username: "scanner3", OfficeID: f.xitun, Role: Scanner}); err != nil {
		t.Fatalf("supervisor creates a scanner: %v", err)
	}
	adm := f.actor("admin")
	if err := update(adm, "supervisor-peer", func(u *User) { u.Active = false }); err != nil {
		t.Fatalf("admin deactivates a supervisor: %v", err)
	}
	if err := update(adm, "admin2", func(u *User) { u.Role = Supervisor }); err != nil {
		t.Fatalf("admin demotes another admin: %v", err)
	}
	if _, err := f.s.CreateToken(f.ctx, adm, f.users["clerk2"].ID, "api"); err != nil {
		t.Fatalf("admin mints a token: %v", err)
	}
	// Nobody demotes or deactivates the own account, not even the admin.
	n = f.denied("user.update")
	refused("admin demotes itself", update(adm, "admin", func(u *User) { u.Role = Clerk }), "user.update", n)
	n = f.denied("user.update")
	refused("admin deactivates itself", update(adm, "admin", func(u *User) { u.Active = false }), "user.update", n)
	// The machine's operator (the command line) is not held to the rules.
	if _, err := f.s.CreateToken(f.ctx, audit.Actor{Username: "cli:root"}, f.users["admin"].ID, "cli"); err != nil {
		t.Fatalf("operator mints a token for the admin: %v", err)
	}
	// …but nobody mints a token for a deactivated account.
	if _, err := f.s.CreateToken(f.ctx, audit.Actor{Username: "cli:root"}, f.users["supervisor-peer"].ID, "cli"); err == nil {
		t.Fatal("a token was minted for a deactivated account")
	}
}

// TestRulesUseTheActorsCurrentRole: a supervisor demoted to clerk loses the
// rights at once, whatever its session remembers.
func TestRulesUseTheActorsCurrentRole(t *testing.T) {
	f := newFixture(t, DefaultPolicy())
	sup := f.actor("supervisor")
	u := *f.users["supervisor"]
	u.Role = Clerk
	if err := f.s.UpdateUser(f.ctx, f.actor("admin"), &u); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ResetPassword(f.ctx, sup, f.users["cashier"].ID); err == nil {
		t.Fatal("a demoted supervisor reset a password")
	}
}

// TestLockoutHoldsUnderParallelGuesses: 40 guesses at once, then the right
// password. Every guess is counted before its password is checked, so no more
// than MaxFailures passwords are ever checked in the lockout window, the rest
// are refused as locked, the right password is refused too, and never more
// than HashSlots hashes run at once.
func TestLockoutHoldsUnderParallelGuesses(t *testing.T) {
	p := DefaultPolicy()
	f := newFixture(t, p)
	var mu sync.Mutex
	var checks, inSlot, maxInSlot int
	f.s.hashes.inSlot = func() {
		mu.Lock()
		checks++
		inSlot++
		maxInSlot = max(maxInSlot, inSlot)
		mu.Unlock()
		time.Sleep(5 * time.Millisecond) // let the others pile up
		mu.Lock()
		inSlot--
		mu.Unlock()
	}
	const guesses = 40
	start := make(chan struct{})
	errs := make(chan error, guesses)
	var wg sync.WaitGroup
	for i := range guesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := f.s.Authenticate(f.ctx, "clerk", fmt.Sprintf("wrong-%d", i), "192.0.2.9")
			errs <- err
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	var bad, locked int
	for err := range errs {
		switch {
		case errors.Is(err, ErrBadCredentials):
			bad++
		case errors.Is(err, ErrLocked):
			locked++
		default:
			t.Errorf("guess: %v", err)
		}
	}
	if checks > p.MaxFailures {
		t.Errorf("%d passwords checked by %d parallel guesses, want at most %d (lockout after %d)", checks, guesses, p.MaxFailures, p.MaxFailures)
	}
	if bad != p.MaxFailures-1 || locked != guesses-bad {
		t.Errorf("%d wrong-password and %d locked answers, want %d and %d", bad, locked, p.MaxFailures-1, guesses-p.MaxFailures+1)
	}
	if maxInSlot > f.s.HashSlots() {
		t.Errorf("%d hashes at once, the bound is %d", maxInSlot, f.s.HashSlots())
	}
	// The right password, last: refused without even being checked.
	before := checks
	if _, err := f.s.Authenticate(f.ctx, "clerk", testPassword, "192.0.2.9"); !errors.Is(err, ErrLocked) {
		t.Fatalf("right password after %d parallel guesses: %v, want locked", guesses, err)
	}
	if checks != before {
		t.Error("a password was checked on a locked account")
	}
	// Every attempt is audited: MaxFailures wrong passwords, the rest locked.
	es, _ := audit.Search(f.ctx, f.s.DB, audit.Filter{Action: "login", Outcome: audit.Denied})
	if len(es) != guesses+1 {
		t.Errorf("%d denied login entries, want %d", len(es), guesses+1)
	}

	// When the lock expires a new window opens: one more try each, and the
	// right password gets in and clears the count.
	later := f.s.DB.Now().Add(p.LockDuration + time.Minute)
	f.s.Now = func() time.Time { return later }
	if _, err := f.s.Authenticate(f.ctx, "clerk", "wrong-again", "192.0.2.9"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("first guess of a new window: %v", err)
	}
	if u := f.reload("clerk"); u.FailedLogins != 1 || !u.LockedUntil.IsZero() {
		t.Fatalf("new window: failed %d, locked until %v", u.FailedLogins, u.LockedUntil)
	}
	if _, err := f.s.Authenticate(f.ctx, "clerk", testPassword, "192.0.2.9"); err != nil {
		t.Fatalf("right password in a new window: %v", err)
	}
	if u := f.reload("clerk"); u.FailedLogins != 0 {
		t.Fatalf("a login left %d failures counted", u.FailedLogins)
	}
}

// TestHashingIsBounded: no more than HashSlots hashes run at once; the rest
// queue, and one whose request goes away leaves the queue without hashing.
func TestHashingIsBounded(t *testing.T) {
	s := New(nil, Policy{HashMemoryMiB: 1}) // below one hash: the floor of two
	if s.HashSlots() != 2 {
		t.Fatalf("slots = %d, want the floor 2", s.HashSlots())
	}
	entered := make(chan struct{}, 10)
	release := make(chan struct{})
	var mu sync.Mutex
	var in, most int
	s.hashes.inSlot = func() {
		mu.Lock()
		in++
		most = max(most, in)
		mu.Unlock()
		entered <- struct{}{}
		<-release
		mu.Lock()
		in--
		mu.Unlock()
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.hashes.verify(ctx, "not-a-hash", "pw")
		}()
	}
	<-entered
	<-entered // both slots are held
	// A queued request that goes away leaves without hashing.
	gone, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { _, err := s.hashes.verify(gone, "not-a-hash", "pw"); done <- err }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while queued: %v", err)
	}
	select {
	case <-entered:
		t.Fatal("a third hash ran while two slots were held")
	default:
	}
	close(release)
	wg.Wait()
	if most != 2 {
		t.Fatalf("at most %d hashes at once, want exactly the bound 2", most)
	}
	if n, want := HashSlots(1<<20), max(2, runtimeCPUs()); n != want {
		t.Errorf("HashSlots(1 TiB) = %d, want %d (the CPUs)", n, want)
	}
	if n, want := HashSlots(0), max(2, min(runtimeCPUs(), DefaultHashMemoryMiB/64)); n != want {
		t.Errorf("HashSlots(default) = %d, want %d", n, want)
	}
}

// TestNoHashAtStart: neither loading the package nor building a service
// computes a password hash (the dummy one cost 0.8 s and 64 MiB at every
// start, even of `ebazhao version`); the first unknown username does, once.
func TestNoHashAtStart(t *testing.T) {
	calls, err := packageLevelCalls(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range calls {
		t.Errorf("a package-level variable is initialised by calling %s: package auth must do no work when loaded", c)
	}
	f := newFixture(t, DefaultPolicy())
	if f.s.hashes.dummyReady() {
		t.Fatal("New computed the dummy hash")
	}
	var work int
	f.s.hashes.inSlot = func() { work++ }
	for range 2 {
		if _, err := f.s.Authenticate(f.ctx, "nobody", "x", "192.0.2.1"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("unknown user: %v", err)
		}
	}
	if !f.s.hashes.dummyReady() || work != 2 {
		t.Fatalf("unknown users: dummy ready %v, %d checks, want one check each", f.s.hashes.dummyReady(), work)
	}
}

func runtimeCPUs() int { return runtime.NumCPU() }

// packageLevelCalls lists the functions called to initialise the package-level
// variables of the Go package in dir (tests aside), but for errors.New and append.
func packageLevelCalls(dir string) ([]string, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range file.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			ast.Inspect(g, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var b strings.Builder
				printer.Fprint(&b, fset, call.Fun)
				if fn := b.String(); fn != "append" && fn != "errors.New" {
					out = append(out, fmt.Sprintf("%s (%s)", fn, fset.Position(call.Pos())))
				}
				return true
			})
		}
	}
	return out, nil
}

// sessions opens n browser sessions of the user and returns their cookie values.
func (f *fixture) sessions(name string, n int) []string {
	f.t.Helper()
	var out []string
	for range n {
		tok, err := f.s.CreateSession(f.ctx, f.users[name], "192.0.2.1")
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, tok)
	}
	return out
}

func (f *fixture) token(name string) string {
	f.t.Helper()
	tok, err := f.s.CreateToken(f.ctx, audit.Actor{Username: "test"}, f.users[name].ID, "test")
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

func (f *fixture) sessionAlive(tok string) bool {
	_, err := f.s.SessionByToken(f.ctx, tok)
	return err == nil
}

func (f *fixture) tokenAlive(tok string) bool {
	_, _, err := f.s.UserByToken(f.ctx, tok)
	return err == nil
}

// TestPasswordChangeEndsOtherSessions: the browser that changed the password
// stays logged in, every other session of the user ends; API tokens stay.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	f := newFixture(t, DefaultPolicy())
	s := f.sessions("clerk", 3)
	other := f.sessions("cashier", 1)[0]
	tok := f.token("clerk")
	current, err := f.s.SessionByToken(f.ctx, s[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.ChangePassword(f.ctx, f.users["clerk"], current.ID, testPassword, "new-pass-2026", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if !f.sessionAlive(s[0]) {
		t.Error("the session that changed the password ended")
	}
	if f.sessionAlive(s[1]) || f.sessionAlive(s[2]) {
		t.Error("another session of the user outlived the password change")
	}
	if !f.sessionAlive(other) || !f.tokenAlive(tok) {
		t.Error("another user's session or the user's token ended")
	}
	// A wrong current password is refused and audited.
	if err := f.s.ChangePassword(f.ctx, f.users["clerk"], current.ID, "wrong", "newer-pass-2027", "192.0.2.1"); err == nil {
		t.Fatal("wrong current password accepted")
	}
	if f.denied("user.change_password") != 1 {
		t.Error("the refused change was not audited")
	}
}

// TestResetEndsEverySessionAndToken: a reset ends all the user's sessions and
// revokes the user's API tokens, and they stay dead.
func TestResetEndsEverySessionAndToken(t *testing.T) {
	f := newFixture(t, DefaultPolicy())
	s := f.sessions("clerk", 2)
	tok := f.token("clerk")
	otherTok := f.token("cashier")
	pw, err := f.s.ResetPassword(f.ctx, f.actor("supervisor"), f.users["clerk"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if f.sessionAlive(s[0]) || f.sessionAlive(s[1]) {
		t.Error("a session outlived the reset")
	}
	if f.tokenAlive(tok) {
		t.Error("the user's API token outlived the reset")
	}
	if !f.tokenAlive(otherTok) {
		t.Error("another user's token was revoked")
	}
	if _, err := f.s.Authenticate(f.ctx, "clerk", pw, "192.0.2.1"); err != nil {
		t.Fatalf("the one-time password: %v", err)
	}
	if f.tokenAlive(tok) {
		t.Error("the revoked token came back after a login")
	}
}

// TestDeactivationEndsAccessForGood: a deactivated user's sessions and tokens
// end, and stay dead when the account is reactivated.
func TestDeactivationEndsAccessForGood(t *testing.T) {
	f := newFixture(t, DefaultPolicy())
	s := f.sessions("clerk", 2)
	tok := f.token("clerk")
	set := func(active bool) {
		t.Helper()
		u := *f.reload("clerk")
		u.Active = active
		if err := f.s.UpdateUser(f.ctx, f.actor("supervisor"), &u); err != nil {
			t.Fatal(err)
		}
	}
	set(false)
	if f.sessionAlive(s[0]) || f.sessionAlive(s[1]) || f.tokenAlive(tok) {
		t.Fatal("a deactivated user's session or token still works")
	}
	set(true)
	if f.sessionAlive(s[0]) || f.sessionAlive(s[1]) {
		t.Error("a session came back with the reactivation")
	}
	if f.tokenAlive(tok) {
		t.Error("a token came back with the reactivation")
	}
	// A session that somehow outlives a deactivation (the row changed by
	// hand) is refused and removed.
	live := f.sessions("clerk", 1)[0]
	if _, err := f.s.DB.Exec(f.ctx, `UPDATE users SET active = ? WHERE id = ?`, false, f.users["clerk"].ID); err != nil {
		t.Fatal(err)
	}
	if f.sessionAlive(live) {
		t.Fatal("an inactive user's session works")
	}
	f.s.DB.Exec(f.ctx, `UPDATE users SET active = ? WHERE id = ?`, true, f.users["clerk"].ID)
	if f.sessionAlive(live) {
		t.Error("an inactive user's session was kept for later")
	}
}
