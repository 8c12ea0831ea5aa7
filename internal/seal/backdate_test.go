package seal

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/rocdate"
)

// sealStaff creates an office and its staff for the store tests.
func sealStaff(t *testing.T, d *db.DB, code string, roles ...auth.Role) (office int64, users []*auth.User) {
	t.Helper()
	ctx := context.Background()
	if err := d.QueryRow(ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at) VALUES (?, ?, '臺中市', ?, 'x', 'x') RETURNING id`,
		code, code+"所", code).Scan(&office); err != nil {
		t.Fatal(err)
	}
	a := auth.New(d, auth.DefaultPolicy())
	for i, r := range roles {
		name := code + "-" + string(r) + string(rune('a'+i))
		id, _, err := a.CreateUser(ctx, audit.Actor{Username: "test"}, auth.NewUser{Username: name, DisplayName: name, OfficeID: office, Role: r,
			Password: "seal-test-password-1"})
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, &auth.User{ID: id, Username: name, DisplayName: name, OfficeID: office, Role: r, Active: true})
	}
	return office, users
}

func userErrText(err error) string {
	var ue *UserError
	if errors.As(err, &ue) {
		return ue.Msg
	}
	return ""
}

// The issue's finding and the rules that answer it: event dates are neither in
// the future nor before the previous event; a backdated event waits for a
// supervisor of its office (not its recorder) and has no effect until then;
// once approved the seal is not in force and no certificate is issued on it.
func TestEventDatesAndBackdatedApproval(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	xitun, staff := sealStaff(t, d, "xt", auth.Scanner, auth.Supervisor, auth.Clerk)
	scanner, supervisor, clerk := staff[0], staff[1], staff[2]
	_, other := sealStaff(t, d, "bt", auth.Supervisor)
	supervisor2 := other[0]

	clock := time.Date(2026, 12, 8, 9, 30, 0, 0, rocdate.Taipei) // 115.12.08
	s := &Store{DB: d, Now: func() time.Time { return clock }}
	rec := func(u *auth.User, idNo, kind string, day time.Time, reason string) (*Event, error) {
		e := &Event{PersonIDNo: idNo, Kind: kind, Date: day, OfficeID: u.OfficeID, ClerkID: u.ID, ClerkName: u.DisplayName, Reason: reason}
		if kind != Cancel {
			e.ImprintRef = "imprint-" + idNo
		}
		return e, s.AddEvent(ctx, u.Actor("test"), e)
	}
	roc := func(s string) time.Time {
		t.Helper()
		d, err := rocdate.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	const p = "A123456789"
	reg, err := rec(scanner, p, Register, roc("115.12.08"), "")
	if err != nil || reg.ID == 0 || reg.Pending() {
		t.Fatalf("registration of today: %v %+v", err, reg)
	}

	// a registration in the future is refused, on a new person as on one registered
	if _, err := rec(scanner, "B123456780", Register, roc("120.01.01"), ""); !strings.Contains(userErrText(err), "晚於今日") {
		t.Errorf("future registration: %v", err)
	}
	if _, err := rec(scanner, p, Change, roc("115.12.09"), "理由"); !strings.Contains(userErrText(err), "晚於今日") {
		t.Errorf("change dated tomorrow: %v", err)
	}
	// a cancellation dated before the registration is refused (the finding)
	if _, err := rec(scanner, p, Cancel, roc("115.12.05"), "民眾遺失印章"); !strings.Contains(userErrText(err), "早於此人前一筆印鑑登記") {
		t.Errorf("cancellation before the registration: %v", err)
	}

	// two days later a cancellation dated the day after the registration:
	// backdated, so a reason is needed, and it waits
	clock = clock.AddDate(0, 0, 2) // 115.12.10
	if _, err := rec(scanner, p, Cancel, roc("115.12.09"), ""); !strings.Contains(userErrText(err), "補登理由") {
		t.Errorf("backdated without a reason: %v", err)
	}
	cancel, err := rec(scanner, p, Cancel, roc("115.12.09"), "民眾 12 月 9 日遺失印章，今日補辦")
	if err != nil || !cancel.Pending() {
		t.Fatalf("backdated cancellation: %v %+v", err, cancel)
	}
	if cur, err := s.Current(ctx, p); err != nil || cur.ID != reg.ID {
		t.Fatalf("a pending cancellation took effect: %v %+v", err, cur)
	}
	if h, _ := s.History(ctx, p); len(h) != 1 {
		t.Fatalf("history holds %d events while the cancellation waits, want 1", len(h))
	}
	if pend, err := s.PendingRequests(ctx, p); err != nil || len(pend) != 1 || pend[0].Event.Reason == "" {
		t.Fatalf("pending: %v %+v", err, pend)
	}
	// nothing else is recorded for the person, nor a certificate issued, while it waits
	if _, err := rec(scanner, p, Change, roc("115.12.10"), ""); !strings.Contains(userErrText(err), "待主管核准") {
		t.Errorf("change while a backdated cancellation waits: %v", err)
	}
	cmp := &Comparison{PersonIDNo: p, EventID: reg.ID, OfficeID: xitun, UserID: clerk.ID, CandRef: "c", Score: 0.95, Verdict: "match"}
	if err := s.AddComparison(ctx, clerk.Actor("test"), cmp); err != nil {
		t.Fatal(err)
	}
	issue := IssueRequest{ComparisonID: cmp.ID, Purpose: "銀行貸款", Applicant: "self", Copies: 1, OfficeID: xitun, OfficeCode: "xt"}
	if _, err := s.Issue(ctx, clerk.Actor("test"), issue); !strings.Contains(userErrText(err), "待主管核准") {
		t.Errorf("certificate while a cancellation waits: %v", err)
	}

	// who may approve: not a clerk, not another office's supervisor
	if _, err := s.ApproveRequest(ctx, clerk, "test", cancel.RequestID, ""); !errors.Is(err, ErrNoApproval) {
		t.Errorf("clerk approved: %v", err)
	}
	if _, err := s.ApproveRequest(ctx, supervisor2, "test", cancel.RequestID, ""); !errors.Is(err, ErrOtherOffice) {
		t.Errorf("another office's supervisor approved: %v", err)
	}
	ev, err := s.ApproveRequest(ctx, supervisor, "test", cancel.RequestID, "核對遺失切結書")
	if err != nil {
		t.Fatal(err)
	}
	if ev.ID == 0 || ev.Kind != Cancel || rocdate.ISO(ev.Date) != "2026-12-09" {
		t.Fatalf("approved event %+v", ev)
	}
	if _, err := s.ApproveRequest(ctx, supervisor, "test", cancel.RequestID, ""); !errors.Is(err, ErrDecided) {
		t.Errorf("approved twice: %v", err)
	}
	if _, err := s.Current(ctx, p); !errors.Is(err, ErrNotRegistered) {
		t.Fatalf("after the approved cancellation: %v", err)
	}
	h, err := s.History(ctx, p)
	if err != nil || len(h) != 2 || h[0].Kind != Cancel || h[0].RequestID != cancel.RequestID || h[0].ApprovedBy != supervisor.DisplayName || h[0].Reason == "" {
		t.Fatalf("history after approval: %v %+v", err, h)
	}
	if CurrentOn(h, roc("115.12.08")) == nil || CurrentOn(h, roc("115.12.09")) != nil {
		t.Error("the seal is not in force exactly until its cancellation's date")
	}
	// no certificate now: the comparison made before, nor a new one
	if _, err := s.Issue(ctx, clerk.Actor("test"), issue); !strings.Contains(userErrText(err), "沒有有效的登記印鑑") {
		t.Errorf("certificate on the cancelled seal: %v", err)
	}
	if err := s.Certifiable(ctx, p, reg.ID); err == nil {
		t.Error("a cancelled registration is certifiable")
	}
	var certs int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM seal_certificates`).Scan(&certs)
	if certs != 0 {
		t.Errorf("%d certificates issued", certs)
	}
	// the audit trail holds the request, the approval and the event as backdated
	for action, detail := range map[string]string{"seal.cancel.request": "backdated effective=2026-12-09 recorded=2026-12-10",
		"seal.request.approve": "note=核對遺失切結書", "seal.cancel": "backdated request="} {
		var n int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = ? AND person_id_no = ? AND detail LIKE ?`, action, p, "%"+detail+"%").Scan(&n)
		if n != 1 {
			t.Errorf("audit %s with %q: %d entries, want 1", action, detail, n)
		}
	}

	// a supervisor's own backdated event needs another supervisor; a rejected one never takes effect
	const q = "B123456780"
	own, err := rec(supervisor, q, Register, roc("115.12.01"), "漏登")
	if err != nil || !own.Pending() {
		t.Fatalf("supervisor's backdated registration: %v", err)
	}
	if _, err := s.ApproveRequest(ctx, supervisor, "test", own.RequestID, ""); !errors.Is(err, ErrSelfApproval) {
		t.Errorf("self-approval: %v", err)
	}
	if _, err := s.RejectRequest(ctx, supervisor2, "test", own.RequestID, "x"); !errors.Is(err, ErrOtherOffice) {
		t.Errorf("another office rejected: %v", err)
	}
	rq, err := s.RejectRequest(ctx, supervisor, "test", own.RequestID, "查無申請書")
	if err != nil || rq.State != RequestRejected {
		t.Fatalf("reject: %v %+v", err, rq)
	}
	if _, err := s.Current(ctx, q); !errors.Is(err, ErrNotRegistered) {
		t.Errorf("a rejected registration is in force: %v", err)
	}
	if _, err := s.ApproveRequest(ctx, supervisor, "test", own.RequestID, ""); !errors.Is(err, ErrDecided) {
		t.Errorf("approved after rejection: %v", err)
	}
	// the person is free again: a registration of today
	if e, err := rec(scanner, q, Register, roc("115.12.10"), ""); err != nil || e.Pending() {
		t.Fatalf("registration after the rejection: %v", err)
	}

	// approval checks the history as it is then: a card imported meanwhile,
	// dated after the waiting change, leaves the request pending
	const r = "C123456781"
	if err := s.AddHistorical(ctx, audit.Actor{Username: "import"}, &Event{PersonIDNo: r, Kind: Register, Date: roc("110.01.01"),
		OfficeID: xitun, ImprintRef: "old", Source: ImportSource, ApplicationNo: "CARD-1"}); err != nil {
		t.Fatal(err)
	}
	chg, err := rec(scanner, r, Change, roc("115.12.03"), "變更補登")
	if err != nil || !chg.Pending() {
		t.Fatalf("backdated change: %v", err)
	}
	if err := s.AddHistorical(ctx, audit.Actor{Username: "import"}, &Event{PersonIDNo: r, Kind: Change, Date: roc("115.12.06"),
		OfficeID: xitun, ImprintRef: "newer", Source: ImportSource, ApplicationNo: "CARD-2"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApproveRequest(ctx, supervisor, "test", chg.RequestID, ""); !strings.Contains(userErrText(err), "早於此人前一筆") {
		t.Errorf("approval against the newer history: %v", err)
	}
	if pend, _ := s.PendingRequests(ctx, r); len(pend) != 1 {
		t.Errorf("the request left pending: %d", len(pend))
	}
	// historical cards obey the date rules too
	if err := s.AddHistorical(ctx, audit.Actor{Username: "import"}, &Event{PersonIDNo: r, Kind: Cancel, Date: roc("120.01.01"),
		OfficeID: xitun, Source: ImportSource}); !strings.Contains(userErrText(err), "晚於今日") {
		t.Errorf("future historical card: %v", err)
	}
	if err := s.AddHistorical(ctx, audit.Actor{Username: "x"}, &Event{PersonIDNo: r, Kind: Cancel, Date: roc("115.12.10"), OfficeID: xitun}); err == nil {
		t.Error("a counter event went through AddHistorical")
	}
}

// A history written out of order before these rules (the finding: a
// registration dated 115.12.08, then a cancellation recorded dated 115.12.05)
// reads by effective date, and is not certified until an event of today
// settles it.
func TestOutOfOrderHistoryIsNotCertified(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	xitun, staff := sealStaff(t, d, "xt", auth.Scanner, auth.Clerk)
	scanner, clerk := staff[0], staff[1]
	clock := time.Date(2026, 12, 10, 9, 0, 0, 0, rocdate.Taipei)
	s := &Store{DB: d, Now: func() time.Time { return clock }}
	const p = "A123456789"
	for _, row := range []struct{ kind, date, imprint string }{{Register, "2026-12-08", "r1"}, {Cancel, "2026-12-05", ""}} {
		if _, err := d.Exec(ctx, `INSERT INTO seal_events (person_id_no, kind, event_date, office_id, imprint_blob, source, created_at)
			VALUES (?, ?, ?, ?, ?, 'counter', 'x')`, p, row.kind, row.date, xitun, row.imprint); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := s.Current(ctx, p)
	if err != nil || cur.Kind != Register {
		t.Fatalf("current: %v %+v", err, cur)
	}
	h, _ := s.History(ctx, p)
	if c := Contradicted(h, cur); c == nil || c.Kind != Cancel {
		t.Fatalf("contradiction not found: %+v", c)
	}
	cmp := &Comparison{PersonIDNo: p, EventID: cur.ID, OfficeID: xitun, UserID: clerk.ID, CandRef: "c", Score: 0.95, Verdict: "match"}
	if err := s.AddComparison(ctx, clerk.Actor("test"), cmp); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Issue(ctx, clerk.Actor("test"), IssueRequest{ComparisonID: cmp.ID, Purpose: "銀行貸款", Applicant: "self", Copies: 1,
		OfficeID: xitun, OfficeCode: "xt"}); !strings.Contains(userErrText(err), "順序有誤") {
		t.Fatalf("certificate on an out-of-order history: %v", err)
	}
	// the cancellation meant, recorded today: the seal ends
	e := &Event{PersonIDNo: p, Kind: Cancel, Date: rocdate.Today(clock), OfficeID: xitun, ClerkID: scanner.ID, ClerkName: scanner.DisplayName}
	if err := s.AddEvent(ctx, scanner.Actor("test"), e); err != nil || e.Pending() {
		t.Fatalf("cancellation of today: %v", err)
	}
	if _, err := s.Current(ctx, p); !errors.Is(err, ErrNotRegistered) {
		t.Fatalf("after today's cancellation: %v", err)
	}
	// registered again today, the history is in order: certified
	e = &Event{PersonIDNo: p, Kind: Register, Date: rocdate.Today(clock), OfficeID: xitun, ClerkID: scanner.ID, ImprintRef: "r2"}
	if err := s.AddEvent(ctx, scanner.Actor("test"), e); err != nil {
		t.Fatal(err)
	}
	if err := s.Certifiable(ctx, p, e.ID); err != nil {
		t.Errorf("a registration of today after the settled history: %v", err)
	}
}
