package agency

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
)

func TestTokensAreHashedScopedAndRevocable(t *testing.T) {
	f := newFixture(t)
	tax := f.agency("tax_taichung")
	tok, err := f.s.CreateToken(f.ctx, audit.Actor{Username: "admin"}, tax.ID, "稅務局介接")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, TokenPrefix) || len(tok) < 30 {
		t.Fatalf("token %q", tok)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_tokens WHERE token_hash = ?`, tok); n != 0 {
		t.Fatal("token stored in clear")
	}
	a, id, err := f.s.AgencyByToken(f.ctx, tok)
	if err != nil || a.ID != tax.ID {
		t.Fatalf("authenticate: %v %v", a, err)
	}
	for _, bad := range []string{"", "agy_", tok + "x", strings.TrimPrefix(tok, TokenPrefix), "Bearer " + tok} {
		if _, _, err := f.s.AgencyByToken(f.ctx, bad); !errors.Is(err, ErrBadToken) {
			t.Errorf("token %q accepted: %v", bad, err)
		}
	}
	if err := f.s.RevokeToken(f.ctx, audit.Actor{Username: "admin"}, tax.ID, id); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.AgencyByToken(f.ctx, tok); !errors.Is(err, ErrBadToken) {
		t.Errorf("revoked token accepted: %v", err)
	}
	// A deactivated agency's credential stops working.
	tok2, _ := f.s.CreateToken(f.ctx, audit.Actor{Username: "admin"}, tax.ID, "")
	tax.Active = false
	if err := f.s.SaveAgency(f.ctx, audit.Actor{Username: "admin"}, tax); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.s.AgencyByToken(f.ctx, tok2); !errors.Is(err, ErrBadToken) {
		t.Errorf("inactive agency's token accepted: %v", err)
	}
}

func seqs(items []PartnerItem) string {
	var s []string
	for _, it := range items {
		s = append(s, fmt.Sprint(it.Seq))
	}
	return strings.Join(s, ",")
}

func TestPullWithCursorRetriesAndDuplicateAcks(t *testing.T) {
	f := newFixture(t)
	for i := 1; i <= 5; i++ {
		f.send(f.moveTo(fmt.Sprintf("臺中市北屯區崇德路三段%d號", i), "tax_taichung", "nhi_central"))
	}
	tax := f.agency("tax_taichung")
	p1, err := f.s.Pull(f.ctx, tax, 1, "10.0.0.1", 0, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	if seqs(p1.Items) != "1,2" || !p1.More || p1.Next != 2 {
		t.Fatalf("page 1: %s more=%v next=%d", seqs(p1.Items), p1.More, p1.Next)
	}
	if p1.Items[0].Fields["new_address"] != "臺中市北屯區崇德路三段1號" || p1.Items[0].Status != "pending" || p1.Items[0].IDNo != "A123456789" {
		t.Errorf("item 1: %+v %+v", p1.Items[0], p1.Items[0].Payload)
	}
	// The agency crashed before saving its cursor: the same request returns the same items.
	again, _ := f.s.Pull(f.ctx, tax, 1, "10.0.0.1", 0, 2, false)
	if seqs(again.Items) != "1,2" {
		t.Errorf("retry returned %s", seqs(again.Items))
	}
	p2, _ := f.s.Pull(f.ctx, tax, 1, "", p1.Next, 2, false)
	p3, _ := f.s.Pull(f.ctx, tax, 1, "", p2.Next, 2, false)
	p4, _ := f.s.Pull(f.ctx, tax, 1, "", p3.Next, 2, false)
	if seqs(p2.Items) != "3,4" || seqs(p3.Items) != "5" || p3.More || len(p4.Items) != 0 || p4.Next != 5 {
		t.Errorf("pages: %s | %s more=%v | %s next=%d", seqs(p2.Items), seqs(p3.Items), p3.More, seqs(p4.Items), p4.Next)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE agency_id = ? AND delivered_via = 'api' AND delivered_at <> ''`, tax.ID); n != 5 {
		t.Errorf("delivered %d, want 5", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE delivered_at <> '' AND agency_id <> ?`, tax.ID); n != 0 {
		t.Errorf("another agency's items marked delivered: %d", n)
	}

	res, err := f.s.Acknowledge(f.ctx, tax, "token:1", "", []Ack{
		{Seq: 1, Result: "applied"},
		{Seq: 2, Result: "rejected"},
		{Seq: 3, Result: "rejected", Reason: "查無此房屋稅籍"},
		{Seq: 1, Result: "applied"},
		{Seq: 1, Result: "rejected", Reason: "x"},
		{Seq: 99, Result: "applied"},
		{Seq: 4, Result: "done"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		code   string
		status string
		dup    bool
	}{{"", "applied", false}, {"invalid", "", false}, {"", "rejected", false}, {"", "applied", true}, {"conflict", "applied", false}, {"not_found", "", false}, {"invalid", "", false}}
	for i, w := range want {
		r := res[i]
		if r.Code != w.code || r.Status != w.status || r.Duplicate != w.dup {
			t.Errorf("ack %d: %+v, want code %q status %q dup %v", i, r, w.code, w.status, w.dup)
		}
	}
	// A retried acknowledgement request (the response was lost) is harmless.
	res2, _ := f.s.Acknowledge(f.ctx, tax, "token:1", "", []Ack{{Seq: 1, Result: "applied"}, {Seq: 3, Result: "rejected", Reason: "另一個原因"}})
	if !res2[0].Duplicate || !res2[1].Duplicate {
		t.Errorf("retried acks not duplicates: %+v", res2)
	}
	var reason string
	f.d.QueryRow(f.ctx, `SELECT reason FROM agency_items WHERE agency_id = ? AND seq = 3`, tax.ID).Scan(&reason)
	if reason != "查無此房屋稅籍" {
		t.Errorf("a duplicate ack changed the reason to %q", reason)
	}
	pending, _ := f.s.Pull(f.ctx, tax, 1, "", 0, 100, true)
	if seqs(pending.Items) != "2,4,5" {
		t.Errorf("pending after acks: %s, want 2,4,5", seqs(pending.Items))
	}
	// Another agency's stream is separate: its seq 1 is its own item.
	nhi := f.agency("nhi_central")
	r, _ := f.s.Acknowledge(f.ctx, nhi, "token:2", "", []Ack{{Seq: 1, Result: "applied"}})
	if r[0].Duplicate || r[0].Status != "applied" {
		t.Errorf("健保 ack of its own seq 1: %+v", r[0])
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE result = 'applied'`); n != 2 {
		t.Errorf("applied items %d, want 2", n)
	}
	if _, err := f.s.Acknowledge(f.ctx, tax, "", "", make([]Ack, MaxAcks+1)); err == nil {
		t.Error("oversized ack batch accepted")
	}
}

func TestAckCrashRollsBackAndRetryApplies(t *testing.T) {
	f := newFixture(t)
	f.send(f.moveTo("臺中市北屯區崇德路三段1號", "tax_taichung"))
	tax := f.agency("tax_taichung")
	crash := errors.New("crash")
	f.s.failpoint = func(p string) error {
		if p == "ack:before-commit" {
			return crash
		}
		return nil
	}
	if _, err := f.s.Acknowledge(f.ctx, tax, "t", "", []Ack{{Seq: 1, Result: "applied"}}); !errors.Is(err, crash) {
		t.Fatalf("ack with crash: %v", err)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE acked_at <> ''`); n != 0 {
		t.Fatal("a crashed ack was recorded")
	}
	f.s.failpoint = nil
	res, err := f.s.Acknowledge(f.ctx, tax, "t", "", []Ack{{Seq: 1, Result: "applied"}})
	if err != nil || res[0].Duplicate || res[0].Status != "applied" {
		t.Fatalf("retry: %+v %v", res, err)
	}
	// Acknowledging an item never pulled also marks it delivered.
	var via string
	f.d.QueryRow(f.ctx, `SELECT delivered_via FROM agency_items WHERE seq = 1`).Scan(&via)
	if via != "api" {
		t.Errorf("delivered_via %q after ack", via)
	}
}

func TestAgencyOfflineForAWeekGetsEverythingInOrder(t *testing.T) {
	f := newFixture(t)
	start := f.now()
	want := 0
	for d := 0; d < 7; d++ {
		f.setClock(start.AddDate(0, 0, d))
		for i := 0; i < 3; i++ {
			want++
			f.send(f.moveTo(fmt.Sprintf("臺中市大里區中興路%d號", want), "nhi_central", "tax_taichung"))
		}
	}
	f.setClock(start.AddDate(0, 0, 7))
	overdue, err := f.s.Overdue(f.ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(overdue) != 0 {
		t.Errorf("%d items overdue on the 7th day after the first release", len(overdue))
	}
	f.setClock(start.AddDate(0, 0, 8))
	nhi := f.agency("nhi_central")
	var got []PartnerItem
	after := int64(0)
	for pages := 0; pages < 20; pages++ {
		p, err := f.s.Pull(f.ctx, nhi, 1, "", after, 4, true)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p.Items...)
		after = p.Next
		if !p.More {
			break
		}
	}
	if len(got) != want {
		t.Fatalf("got %d items, want %d", len(got), want)
	}
	for i, it := range got {
		if it.Seq != int64(i+1) || it.Fields["new_address"] != fmt.Sprintf("臺中市大里區中興路%d號", i+1) {
			t.Fatalf("item %d out of order: seq %d %s", i, it.Seq, it.Fields["new_address"])
		}
	}
	if got[0].AcceptedOn != civil.Of(start).ISO() || got[len(got)-1].DueOn != civil.Of(start.AddDate(0, 0, 6+7)).ISO() {
		t.Errorf("accepted/due: %s %s", got[0].AcceptedOn, got[len(got)-1].DueOn)
	}
	// Day 8: the first day's items (3 applications × 2 agencies) are past their 7 days.
	overdue, _ = f.s.Overdue(f.ctx, 0, 100)
	if len(overdue) != 6 {
		t.Errorf("overdue on day 8: %d, want 6", len(overdue))
	}
	f.setClock(start.Add(9 * 24 * time.Hour))
	overdue, _ = f.s.Overdue(f.ctx, f.other.OfficeID, 100)
	if len(overdue) != 0 {
		t.Errorf("another office sees %d overdue items of 西屯", len(overdue))
	}
}
