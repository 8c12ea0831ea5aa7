package visit

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/demo"
	"ebazhao/internal/fee"
	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/pdf"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestParsePick(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want []int
		err  string
	}{
		{"", 10, nil, ""},
		{"1 3 5", 10, []int{1, 3, 5}, ""},
		{"1,3，5、7", 10, []int{1, 3, 5, 7}, ""},
		{"2-4 9", 10, []int{2, 3, 4, 9}, ""},
		{"  8　1 ", 10, []int{8, 1}, ""},
		{"11", 10, nil, "沒有編號 11"},
		{"0", 10, nil, "沒有編號 0"},
		{"x", 10, nil, "不是數字"},
		{"5-3", 10, nil, "範圍"},
		{"1-", 10, nil, "範圍"},
	} {
		got, err := parsePick(tc.in, tc.max)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("parsePick(%q) error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || len(got) != len(tc.want) {
			t.Errorf("parsePick(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("parsePick(%q) = %v, want %v", tc.in, got, tc.want)
				break
			}
		}
	}
}

func FuzzParsePick(f *testing.F) {
	for _, s := range []string{"1 2", "1-3", "9,10", "１２", "-", "1--2", "99999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parsePick(s, 50)
		if err != nil {
			return
		}
		for _, n := range got {
			if n < 1 || n > 50 {
				t.Fatalf("parsePick(%q) gave %d outside 1–50", s, n)
			}
		}
	})
}

func TestToHalfWidthMaskAndAge(t *testing.T) {
	if got := toHalfWidth("０２　Ａ１"); got != "02 A1" {
		t.Errorf("toHalfWidth = %q", got)
	}
	for in, want := range map[string]string{"A123456789": "A******789", "short": "short"} {
		if got := maskID(in); got != want {
			t.Errorf("maskID(%q) = %q, want %q", in, got, want)
		}
	}
	birth := civil.New(1980, 5, 20)
	for _, tc := range []struct {
		day  civil.Date
		want int
	}{
		{civil.New(2025, 5, 19), 44},
		{civil.New(2025, 5, 20), 45},
		{civil.New(2025, 12, 1), 45},
	} {
		if got := ageOn(birth, tc.day); got != tc.want {
			t.Errorf("ageOn(%s) = %d, want %d", tc.day, got, tc.want)
		}
	}
	if ageOn(civil.Date{}, civil.New(2026, 12, 7)) != -1 {
		t.Error("unknown birth date should give -1")
	}
}

func TestKindsAreConsistent(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range Kinds {
		if seen[k.Key] || seen[k.Code] {
			t.Errorf("kind %s: key %q or code repeated", k.Code, k.Key)
		}
		seen[k.Key], seen[k.Code] = true, true
		for _, c := range k.Calcs {
			if calcTitles[c] == "" {
				t.Errorf("kind %s suggests calculator %q without a title", k.Code, c)
			}
		}
	}
	if h := calcHref("birth-subsidy", time.Date(2025, 7, 7, 3, 0, 0, 0, time.UTC)); !strings.Contains(h, "application_date=114.07.07") ||
		!strings.Contains(h, "newborn_registered_in_taichung=on") {
		t.Errorf("birth subsidy link %q", h)
	}
}

type fixture struct {
	ctx    context.Context
	d      *db.DB
	store  *Store
	clerk  *auth.User
	other  *auth.User
	people []*person.Person
	now    time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.New(t)
	ctx := context.Background()
	if err := (&office.Store{DB: d}).SeedTaichung(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Seed(ctx, d, "demo-pass-123", 5); err != nil {
		t.Fatal(err)
	}
	a := auth.New(d, auth.DefaultPolicy())
	f := &fixture{ctx: ctx, d: d, now: time.Date(2025, 7, 7, 2, 0, 0, 0, time.UTC)}
	f.store = &Store{DB: d, Now: func() time.Time { return f.now }}
	var err error
	if f.clerk, err = a.UserByName(ctx, "clerk"); err != nil {
		t.Fatal(err)
	}
	if f.other, err = a.UserByName(ctx, "clerk2"); err != nil {
		t.Fatal(err)
	}
	ps := &person.Store{DB: d}
	for _, id := range []string{"A123456789"} {
		p, err := ps.ByIDNo(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		f.people = append(f.people, p)
	}
	var other string
	if err := d.QueryRow(ctx, `SELECT id_no FROM persons WHERE id_no <> 'A123456789' ORDER BY id LIMIT 1`).Scan(&other); err != nil {
		t.Fatal(err)
	}
	p2, err := ps.ByIDNo(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	f.people = append(f.people, p2)
	return f
}

func TestStartResumeAndEnd(t *testing.T) {
	f := newFixture(t)
	v1, resumed, err := f.store.Start(f.ctx, f.clerk, "test", 0, f.people[0], "move")
	if err != nil || resumed {
		t.Fatalf("start: %v resumed=%v", err, resumed)
	}
	if v1.Day != civil.New(2025, 7, 7) || v1.Kind != "move" || !v1.Open() {
		t.Errorf("visit %+v", v1)
	}
	// The same card again: the same visit, its kind updated.
	again, resumed, err := f.store.Start(f.ctx, f.clerk, "test", 0, f.people[0], "birth")
	if err != nil || !resumed || again.ID != v1.ID || again.Kind != "birth" {
		t.Fatalf("resume: %+v resumed=%v %v", again, resumed, err)
	}
	// Another citizen: the first visit is closed, a second opens.
	f.now = f.now.Add(7 * time.Minute)
	v2, resumed, err := f.store.Start(f.ctx, f.clerk, "test", 0, f.people[1], "")
	if err != nil || resumed || v2.ID == v1.ID {
		t.Fatalf("second: %+v %v", v2, err)
	}
	old, _ := f.store.ByID(f.ctx, v1.ID)
	if old.Open() || old.Minutes(f.now) != 7 {
		t.Errorf("first visit after the second started: %+v", old)
	}
	open, err := f.store.OpenFor(f.ctx, f.clerk.ID)
	if err != nil || open.ID != v2.ID {
		t.Errorf("open visit %v %v", open, err)
	}
	// Another clerk's visits are their own.
	if _, err := f.store.OpenFor(f.ctx, f.other.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("other clerk's open visit: %v", err)
	}
	actor := f.clerk.Actor("test")
	if err := f.store.SetKind(f.ctx, actor, v2, "seal"); err != nil || v2.Kind != "seal" {
		t.Fatalf("set kind: %v", err)
	}
	if err := f.store.SetKind(f.ctx, actor, v2, "nonsense"); err == nil {
		t.Error("unknown kind accepted")
	}
	if err := f.store.End(f.ctx, actor, v2); err != nil {
		t.Fatal(err)
	}
	if err := f.store.End(f.ctx, actor, v2); !errors.Is(err, ErrClosed) {
		t.Errorf("ending twice: %v", err)
	}
	if err := f.store.SetKind(f.ctx, actor, v2, "move"); !errors.Is(err, ErrClosed) {
		t.Errorf("kind of a closed visit: %v", err)
	}
	list, err := f.store.Today(f.ctx, f.clerk.ID, civil.New(2025, 7, 7), 10)
	if err != nil || len(list) != 2 || list[0].ID != v2.ID {
		t.Errorf("today's visits %v %v", list, err)
	}
	// Every step is in the audit trail under the person.
	var n int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action IN ('visit.start', 'visit.end', 'visit.kind') AND person_id_no <> ''`).Scan(&n)
	if n != 5 { // two starts, two ends (one by the second start), one kind
		t.Errorf("%d visit audit entries, want 5", n)
	}
}

// TestConcurrentStartsLeaveOneOpenVisit: a clerk whose starts and ends race
// (two tabs, a double scan) gets no error from a start and ends with at most
// one open visit, every other one closed once.
func TestConcurrentStartsLeaveOneOpenVisit(t *testing.T) {
	f := newFixture(t)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v, _, err := f.store.Start(f.ctx, f.clerk, "test", 0, f.people[i%2], "")
			if err != nil {
				errs <- err
				return
			}
			// Every other worker ends its visit, as the screen's 結束 button does,
			// racing the others' starts; a visit closed meanwhile is ErrClosed.
			if i%2 == 1 {
				if err := f.store.End(f.ctx, f.clerk.Actor("test"), v); err != nil && !errors.Is(err, ErrClosed) {
					errs <- err
				}
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent start: %v", err)
	}
	var open, ends, closed int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM visits WHERE clerk_id = ? AND status = ?`, f.clerk.ID, StatusOpen).Scan(&open)
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM visits WHERE clerk_id = ? AND status = ?`, f.clerk.ID, StatusClosed).Scan(&closed)
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'visit.end'`).Scan(&ends)
	if open > 1 || ends != closed {
		t.Errorf("%d open visits (want at most 1), %d closed with %d end entries", open, closed, ends)
	}
}

func TestActivityReadsOnlyThisVisitsWork(t *testing.T) {
	f := newFixture(t)
	f.now = f.d.Now()
	v, _, err := f.store.Start(f.ctx, f.clerk, "test", 0, f.people[0], "move")
	if err != nil {
		t.Fatal(err)
	}
	logAs := func(u *auth.User, action, idNo string, at time.Time) {
		t.Helper()
		e := audit.For(u.Actor("test"), action, "document", "7")
		e.PersonIDNo, e.At, e.Detail = idNo, at, "detail"
		if err := f.d.InTx(f.ctx, func(tx *db.Tx) error { return audit.Log(f.ctx, tx, e) }); err != nil {
			t.Fatal(err)
		}
	}
	logAs(f.clerk, "document.issue", f.people[0].IDNo, f.now.Add(time.Minute))    // counts
	logAs(f.clerk, "person.view", f.people[0].IDNo, f.now.Add(time.Minute))       // a view: left out
	logAs(f.other, "document.issue", f.people[0].IDNo, f.now.Add(time.Minute))    // another clerk
	logAs(f.clerk, "document.issue", f.people[1].IDNo, f.now.Add(time.Minute))    // another person
	logAs(f.clerk, "document.issue", f.people[0].IDNo, f.now.Add(-time.Hour))     // before the visit
	logAs(f.clerk, "tip.sheet.print", f.people[0].IDNo, f.now.Add(2*time.Minute)) // counts, detail shown
	acts, err := activity(f.ctx, f.d, v, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range acts {
		got = append(got, a.Action)
	}
	if strings.Join(got, ",") != "visit.start,document.issue,tip.sheet.print" {
		t.Fatalf("activity %v", got)
	}
	if acts[1].Href != "/documents/7" || acts[1].Detail != "" || acts[2].Detail != "detail" {
		t.Errorf("activity rows %+v", acts)
	}
	if !did(acts, "tip.sheet.print") || did(acts, "agency.application.send") {
		t.Error("did() wrong")
	}
}

// TestSettleIsAtomicWithTheReceipt: the fee API's Settle runs in the receipt's
// transaction; when it fails nothing is stored and no receipt number is used.
func TestSettleIsAtomicWithTheReceipt(t *testing.T) {
	f := newFixture(t)
	svc := fee.NewService(f.d, pdf.NewFonts(""))
	clerk := fee.Clerk{User: f.clerk, Client: "test"}
	one := 1
	req := fee.IssueRequest{Items: []fee.QuoteItem{{Item: "02", Qty: &one}}, PayerIDNo: "A123456789"}
	req.Settle = func(ctx context.Context, tx *db.Tx, id int64, number string) error {
		return errors.New("already collected")
	}
	if _, _, err := svc.Issue(f.ctx, clerk, req); err == nil || !strings.Contains(err.Error(), "already collected") {
		t.Fatalf("issue with failing settle: %v", err)
	}
	var n int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM fee_receipts`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d receipts stored after a failed settle", n)
	}
	var seen string
	req.Settle = func(ctx context.Context, tx *db.Tx, id int64, number string) error {
		seen = number
		var cnt int
		// Inside the same transaction the receipt is already visible.
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM fee_receipts WHERE id = ?`, id).Scan(&cnt)
	}
	r, _, err := svc.Issue(f.ctx, clerk, req)
	if err != nil {
		t.Fatal(err)
	}
	if want := civil.Of(f.d.Now()).ROCYear(); r.Number != 1 || r.RocYear != want || seen != r.NumberText() {
		t.Errorf("receipt %s (settle saw %q): the failed attempt must not use a number", r.NumberText(), seen)
	}
}
