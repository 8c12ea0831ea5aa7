package fee

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"ebazhao/internal/platform/civil"
)

// A worked day at one office: four clerks at three counters and no counter,
// every payment method, voids, a reprint; the settlement must equal the sums of
// the receipts, closing must freeze the day, and a void after closing must be
// booked the next day.
func TestSettlementOfAWorkedDay(t *testing.T) {
	e := newEnv(t)
	day := civil.New(2026, 11, 25)
	e.clock.Set(at(day, 8, 30))
	rng := rand.New(rand.NewPCG(7, 11))
	names := []string{"戶籍謄本", "英文戶籍謄本", "國民身分證補領", "國民身分證換領", "戶口名簿(換領)", "印鑑證明", "印鑑登記(變更)",
		"親等關聯資料", "結婚證明書", "自然人憑證IC卡", "閱覽戶籍資料"}
	clerks := []Clerk{e.clerk("clerk", 1), e.clerk("clerk2", 2), e.clerk("supervisor", 3), e.clerk("cashier", 0)}
	var all []*Receipt
	for i := 0; i < 60; i++ {
		var its []QuoteItem
		for j := 0; j <= rng.IntN(3); j++ {
			its = append(its, QuoteItem{Item: names[rng.IntN(len(names))], Qty: qty(1 + rng.IntN(4))})
		}
		pay := Payments[rng.IntN(len(Payments))].Code
		all = append(all, e.issue(clerks[i%len(clerks)], pay, its...))
	}
	// Two voids by request and approval, one by the supervisor directly; a reprint.
	for _, idx := range []int{4, 17} {
		req, err := e.svc.RequestVoid(e.ctx, e.users["clerk"], "t", all[idx].ID, "金額有誤重開")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ApproveVoid(e.ctx, e.users["supervisor"], "t", req.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Void(e.ctx, e.users["supervisor"], "t", all[33].ID, "民眾取消申請"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Reprint(e.ctx, e.users["clerk"], "t", all[2].ID); err != nil {
		t.Fatal(err)
	}
	voided := map[int64]bool{all[4].ID: true, all[17].ID: true, all[33].ID: true}

	// Expected figures from the receipts themselves.
	var wantCount int
	var wantTotal int64
	wantPay := map[string]int64{}
	wantItem := map[string]int64{}
	wantItemQty := map[string]int64{}
	wantCounter := map[int64]int64{}
	for _, r := range all {
		if voided[r.ID] {
			continue
		}
		r = mustReceipt(t, e, r.ID)
		wantCount++
		wantTotal += r.Total
		wantPay[r.Payment] += r.Total
		wantCounter[r.CounterID] += r.Total
		for _, l := range r.Lines {
			wantItem[l.Item] += l.Amount
			wantItemQty[l.Item] += int64(l.Qty)
		}
	}

	rep, err := e.svc.Day(e.ctx, e.office.ID, day, 0)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Receipts != wantCount || rep.Gross != wantTotal || rep.Total != wantTotal || len(rep.Voids) != 3 || rep.Reprints != 1 {
		t.Fatalf("report: %d receipts %d total, %d voids, %d reprints; want %d, %d, 3, 1", rep.Receipts, rep.Total, len(rep.Voids), rep.Reprints, wantCount, wantTotal)
	}
	if rep.FirstNumber != 1 || rep.LastNumber != 60 {
		t.Fatalf("numbers %d–%d", rep.FirstNumber, rep.LastNumber)
	}
	var sumPay, sumItem, sumCounter int64
	for _, p := range rep.ByPayment {
		if p.Amount != wantPay[p.Payment] {
			t.Errorf("payment %s: %d, want %d", p.Payment, p.Amount, wantPay[p.Payment])
		}
		sumPay += p.Amount
	}
	for _, it := range rep.ByItem {
		if it.Amount != wantItem[it.Item] || it.Qty != wantItemQty[it.Item] {
			t.Errorf("item %s: %d×%d, want %d×%d", it.Item, it.Qty, it.Amount, wantItemQty[it.Item], wantItem[it.Item])
		}
		sumItem += it.Amount
	}
	voidsByCounter := 0
	for _, c := range rep.ByCounter {
		if c.Amount != wantCounter[c.CounterID] {
			t.Errorf("counter %d: %d, want %d", c.CounterID, c.Amount, wantCounter[c.CounterID])
		}
		sumCounter += c.Amount
		voidsByCounter += c.Voids
	}
	if sumPay != wantTotal || sumItem != wantTotal || sumCounter != wantTotal || voidsByCounter != 3 {
		t.Fatalf("breakdowns do not add up: payments %d, items %d, counters %d, voids %d; total %d", sumPay, sumItem, sumCounter, voidsByCounter, wantTotal)
	}
	// One counter's part.
	c1, err := e.svc.Day(e.ctx, e.office.ID, day, e.counters[0].ID)
	if err != nil || c1.Total != wantCounter[e.counters[0].ID] {
		t.Fatalf("counter 1: %v %v", c1, err)
	}

	// The summary computed from the receipts, to compare with the one read from
	// the closed day's stored totals.
	liveSummary, err := e.svc.Summary(e.ctx, e.office.ID, 115, 11)
	if err != nil {
		t.Fatal(err)
	}

	// Closing: only a cashier, only with the figures confirmed, never twice.
	e.clock.Set(at(day, 17, 30))
	if _, err := e.svc.Close(e.ctx, e.users["clerk"], "t", e.office.ID, day, wantCount, wantTotal); err == nil {
		t.Fatal("a clerk closed the day")
	}
	if _, err := e.svc.Close(e.ctx, e.users["cashier"], "t", e.office.ID, day, wantCount, wantTotal+15); !errors.Is(err, ErrSettleMismatch) {
		t.Fatalf("wrong total confirmed: %v", err)
	}
	pending, err := e.svc.RequestVoid(e.ctx, e.users["clerk"], "t", all[50].ID, "待核")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Close(e.ctx, e.users["cashier"], "t", e.office.ID, day, wantCount, wantTotal); !errors.Is(err, ErrPendingVoids) {
		t.Fatalf("closing with a pending void: %v", err)
	}
	if err := e.svc.RejectVoid(e.ctx, e.users["supervisor"], "t", pending.ID, "不予作廢"); err != nil {
		t.Fatal(err)
	}
	closed, err := e.svc.Close(e.ctx, e.users["cashier"], "t", e.office.ID, day, wantCount, wantTotal)
	if err != nil {
		t.Fatal(err)
	}
	if !closed.Closed || closed.ClosedTotal != wantTotal || closed.ClosedBy != "張出納" {
		t.Fatalf("closed %+v", closed)
	}
	if _, err := e.svc.Close(e.ctx, e.users["cashier"], "t", e.office.ID, day, wantCount, wantTotal); !errors.Is(err, ErrAlreadyClosed) {
		t.Fatalf("close twice: %v", err)
	}
	closedSummary, err := e.svc.Summary(e.ctx, e.office.ID, 115, 11)
	if err != nil {
		t.Fatal(err)
	}
	liveSummary.OpenDays, closedSummary.OpenDays = nil, nil
	if !reflect.DeepEqual(liveSummary, closedSummary) {
		t.Fatalf("summary from stored totals differs from the receipts:\n%+v\n%+v", closedSummary, liveSummary)
	}

	// The day is frozen.
	if _, _, err := e.svc.Issue(e.ctx, e.clerk("clerk", 1), IssueRequest{Items: items("戶籍謄本", 1)}); !errors.Is(err, ErrDayClosed) {
		t.Fatalf("issue on a closed day: %v", err)
	}
	again, err := e.svc.Day(e.ctx, e.office.ID, day, 0)
	if err != nil || again.Total != wantTotal || again.Receipts != wantCount || !again.Closed {
		t.Fatalf("closed day changed: %+v %v", again, err)
	}

	// Next day: a void of yesterday's receipt is a correction booked today.
	next := civil.New(2026, 11, 26)
	e.clock.Set(at(next, 9, 0))
	late := all[10]
	if _, err := e.svc.Void(e.ctx, e.users["supervisor"], "t", late.ID, "前日收據誤開"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Void(e.ctx, e.users["supervisor"], "t", late.ID, "再一次"); !errors.Is(err, ErrAlreadyVoided) {
		t.Fatalf("correct twice: %v", err)
	}
	got := mustReceipt(t, e, late.ID)
	if got.Status != "issued" || got.Correction == nil || got.Correction.Amount != -late.Total || !got.Voided() {
		t.Fatalf("late void: %+v %+v", got, got.Correction)
	}
	frozen, _ := e.svc.Day(e.ctx, e.office.ID, day, 0)
	if frozen.Total != wantTotal {
		t.Fatalf("the closed day moved to %d", frozen.Total)
	}
	r2 := e.issue(e.clerk("clerk", 1), "cash", items("戶籍謄本", 2)...)
	today, err := e.svc.Day(e.ctx, e.office.ID, next, 0)
	if err != nil {
		t.Fatal(err)
	}
	if today.Receipts != 1 || today.Gross != 30 || today.CorrTotal != -late.Total || today.Total != 30-late.Total || len(today.Corrections) != 1 {
		t.Fatalf("next day: %+v", today)
	}
	var itemSum, paySum int64
	for _, it := range today.ByItem {
		itemSum += it.Amount
	}
	for _, p := range today.ByPayment {
		paySum += p.Amount
	}
	if itemSum != today.Total || paySum != today.Total {
		t.Fatalf("next day breakdowns %d / %d, total %d", itemSum, paySum, today.Total)
	}
	if r2.Number != 61 {
		t.Fatalf("numbering continued at %d", r2.Number)
	}

	// Monthly and yearly summaries agree with the days.
	for _, month := range []int{11, 0} {
		sm, err := e.svc.Summary(e.ctx, e.office.ID, 115, month)
		if err != nil {
			t.Fatal(err)
		}
		if sm.Receipts != wantCount+1 || sm.Voids != 3 || sm.Total != wantTotal+30-late.Total || len(sm.OpenDays) != 1 || sm.OpenDays[0] != civil.New(2026, 11, 26) {
			t.Fatalf("summary month %d: %+v", month, sm)
		}
		var items int64
		for _, it := range sm.ByItem {
			items += it.Amount
		}
		if items != sm.Total {
			t.Fatalf("summary items %d, total %d", items, sm.Total)
		}
	}
	city, err := e.svc.Summary(e.ctx, 0, 115, 0)
	if err != nil || city.Total != wantTotal+30-late.Total {
		t.Fatalf("city summary %+v %v", city, err)
	}
	assertGapless(t, e.d, e.office.ID, 115, 61)
}

func TestCloseOtherOfficeRefused(t *testing.T) {
	e := newEnv(t)
	day := civil.Of(e.clock.Now())
	if _, err := e.svc.Close(e.ctx, e.users["cashier"], "t", e.other.ID, day, 0, 0); !errors.Is(err, ErrOtherOffice) {
		t.Fatalf("%v", err)
	}
	if _, err := e.svc.Close(e.ctx, e.users["cashier"], "t", e.office.ID, day.AddDate(0, 0, 1), 0, 0); !IsInputError(err) {
		t.Fatalf("future day: %v", err)
	}
	// An empty day can be closed (nothing collected).
	rep, err := e.svc.Close(e.ctx, e.users["cashier"], "t", e.office.ID, day, 0, 0)
	if err != nil || !rep.Closed {
		t.Fatalf("%+v %v", rep, err)
	}
}
