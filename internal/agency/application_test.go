package agency

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
)

func TestRegisterSeedIsIdempotentAndKeepsAdminEdits(t *testing.T) {
	f := newFixture(t)
	n := f.count(`SELECT COUNT(*) FROM agencies`)
	if n != SeedAgencyCount() || n != 71 {
		t.Fatalf("seeded %d agencies, want %d (the seed's 71)", n, SeedAgencyCount())
	}
	if c := f.count(`SELECT COUNT(*) FROM agency_categories`); c != len(SeedCategories) {
		t.Errorf("categories %d, want %d", c, len(SeedCategories))
	}
	a := f.agency("taipower_taichung")
	a.AgreedDays, a.Phone = 5, "04-2222-1234"
	if err := f.s.SaveAgency(f.ctx, audit.Actor{Username: "admin"}, a); err != nil {
		t.Fatal(err)
	}
	if err := f.s.Init(f.ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.count(`SELECT COUNT(*) FROM agencies`); got != n {
		t.Errorf("after a second seed: %d agencies, want %d", got, n)
	}
	b := f.agency("taipower_taichung")
	if b.AgreedDays != 5 || b.Phone != "04-2222-1234" {
		t.Errorf("seed overwrote the administrator's edit: %+v", b)
	}
	if !b.Accepts("move") || b.Accepts("birth") || !b.AccountRequired || b.AccountLabel != "電號" {
		t.Errorf("taipower register row: %+v", b)
	}
	if got := f.agency("lia_roc").KindCodes(); strings.Join(got, ",") != "death" {
		t.Errorf("壽險公會 kinds %v, want death only", got)
	}
	if !f.agency("nhi_central").Accepts("birth") {
		t.Error("健保署 must accept 出生 (新生兒健保卡)")
	}
}

func TestCreateRefusesBadInput(t *testing.T) {
	f := newFixture(t)
	tax := f.agency("tax_taichung")
	power := f.agency("taipower_taichung")
	life := f.agency("lia_roc")
	today := f.day().ISO()
	tomorrow := f.day().AddDays(1).ISO()
	base := func() NewApplication {
		return NewApplication{IdempotencyKey: f.key(), Kind: "move", PersonIDNo: "A123456789",
			Fields:   map[string]string{"old_address": "臺中市西屯區福科路100號", "new_address": "臺中市北屯區崇德路三段1號", "event_date": today},
			Agencies: []Selection{{AgencyID: tax.ID}}}
	}
	cases := []struct {
		name string
		edit func(*NewApplication)
		want string
	}{
		{"no agency", func(a *NewApplication) { a.Agencies = nil }, "請至少勾選"},
		{"unknown kind", func(a *NewApplication) { a.Kind = "marriage" }, "請選擇異動類別"},
		{"unknown person", func(a *NewApplication) { a.PersonIDNo = "B123456780" }, "查無統一編號"},
		{"agency does not take the kind", func(a *NewApplication) { a.Agencies = []Selection{{AgencyID: life.ID}} }, "不受理"},
		{"account number required", func(a *NewApplication) { a.Agencies = []Selection{{AgencyID: power.ID}} }, "請填寫「台灣電力公司台中區營業處」的電號"},
		{"account number malformed", func(a *NewApplication) { a.Agencies = []Selection{{AgencyID: power.ID, AccountNo: "12;DROP"}} }, "只能填數字"},
		{"new address equals old", func(a *NewApplication) { a.Fields["new_address"] = a.Fields["old_address"] }, "相同"},
		{"missing new address", func(a *NewApplication) { delete(a.Fields, "new_address") }, "請填寫「新地址」"},
		{"future date", func(a *NewApplication) { a.Fields["event_date"] = tomorrow }, "不可晚於今天"},
		{"bad date", func(a *NewApplication) { a.Fields["event_date"] = "113.2.30" }, "遷入登記日期"},
		{"control characters", func(a *NewApplication) { a.Fields["new_address"] = "臺中市\n北屯區" }, "控制字元"},
		{"bad idempotency key", func(a *NewApplication) { a.IdempotencyKey = "short" }, "送出識別碼"},
		{"death signed by the deceased", func(a *NewApplication) {
			a.Kind, a.Fields = "death", map[string]string{"death_date": today, "contact_address": "臺中市", "event_date": today}
			a.ApplicantName, a.ApplicantRelation = "王大明", "本人"
		}, "不可為當事人本人"},
		{"death without applicant", func(a *NewApplication) {
			a.Kind, a.Fields = "death", map[string]string{"death_date": today, "contact_address": "臺中市", "event_date": today}
		}, "須由申請人"},
		{"bad new id", func(a *NewApplication) {
			a.Kind, a.Fields = "id_no", map[string]string{"old_id_no": "A123456789", "new_id_no": "A123456788", "event_date": today}
		}, "新統一編號"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			c.edit(&in)
			_, _, err := f.s.Create(f.ctx, f.clerk, 0, "", in)
			var ve *ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want a validation error containing %q", err, c.want)
			}
		})
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_applications`); n != 0 {
		t.Errorf("%d applications stored from bad input", n)
	}
}

func TestCreateIsIdempotentPerKey(t *testing.T) {
	f := newFixture(t)
	in := f.moveTo("臺中市北屯區崇德路三段1號", "tax_taichung", "mvdo_taichung", "taipower_taichung")
	a1, created, err := f.s.Create(f.ctx, f.clerk, 0, "", in)
	if err != nil || !created {
		t.Fatalf("first create: %v %v", created, err)
	}
	a2, created, err := f.s.Create(f.ctx, f.clerk, 0, "", in) // the clerk's retry after a lost response
	if err != nil || created || a2.ID != a1.ID {
		t.Fatalf("retry: id %d created %v err %v, want the first application %d", a2.ID, created, err, a1.ID)
	}
	if _, _, err := f.s.Create(f.ctx, f.other, 0, "", in); !errors.Is(err, ErrKeyReused) {
		t.Errorf("another clerk reusing the key: %v", err)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items`); n != 3 {
		t.Errorf("items %d, want 3", n)
	}
	if a1.Number != 1 || !strings.HasPrefix(a1.No(), "113西屯N加e字第000001號") {
		t.Errorf("application number %d %q", a1.Number, a1.No())
	}
	// Concurrent double submission of one form: still one application.
	in2 := f.moveTo("臺中市南屯區公益路二段2號", "tax_taichung")
	var wg sync.WaitGroup
	ids := make([]int64, 6)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, _, err := f.s.Create(f.ctx, f.clerk, 0, "", in2)
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = a.ID
		}()
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent submissions gave different applications: %v", ids)
		}
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_applications`); n != 2 {
		t.Errorf("applications %d, want 2", n)
	}
}

func TestCrashBeforeCommitLeavesNothingAndRetryStoresOnce(t *testing.T) {
	for _, point := range []string{"create:after-first-item", "create:before-commit"} {
		t.Run(point, func(t *testing.T) {
			f := newFixture(t)
			crash := errors.New("simulated crash")
			f.s.failpoint = func(p string) error {
				if p == point {
					return crash
				}
				return nil
			}
			in := f.moveTo("臺中市北屯區崇德路三段1號", "tax_taichung", "mvdo_taichung")
			if _, _, err := f.s.Create(f.ctx, f.clerk, 0, "", in); !errors.Is(err, crash) {
				t.Fatalf("create with crash: %v", err)
			}
			for _, table := range []string{"agency_applications", "agency_items"} {
				if n := f.count(`SELECT COUNT(*) FROM ` + table); n != 0 {
					t.Errorf("%s holds %d rows after the crash", table, n)
				}
			}
			f.s.failpoint = nil
			app := f.send(in)
			if len(app.Items) != 2 || app.Number != 1 {
				t.Errorf("after retry: %d items, number %d (want 2 items, number 1: no gap)", len(app.Items), app.Number)
			}
		})
	}
}

func TestSendIsAtomicIdempotentAndOfficeScoped(t *testing.T) {
	f := newFixture(t)
	in := f.moveTo("臺中市北屯區崇德路三段1號", "tax_taichung", "mvdo_taichung", "taipower_taichung")
	app, _, err := f.s.Create(f.ctx, f.clerk, 0, "", in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Send(f.ctx, f.other, "", app.ID); !errors.Is(err, ErrOtherOffice) {
		t.Errorf("send by another office: %v", err)
	}
	crash := errors.New("crash")
	f.s.failpoint = func(p string) error {
		if p == "send:after-first-item" {
			return crash
		}
		return nil
	}
	if _, err := f.s.Send(f.ctx, f.clerk, "", app.ID); !errors.Is(err, crash) {
		t.Fatalf("send with crash: %v", err)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE seq IS NOT NULL`); n != 0 {
		t.Errorf("%d items released by a crashed send", n)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_applications WHERE status = 'draft'`); n != 1 {
		t.Errorf("application not draft after a crashed send")
	}
	f.s.failpoint = nil
	if already, err := f.s.Send(f.ctx, f.clerk, "", app.ID); err != nil || already {
		t.Fatalf("send: already=%v err=%v", already, err)
	}
	if already, err := f.s.Send(f.ctx, f.clerk, "", app.ID); err != nil || !already {
		t.Fatalf("second send: already=%v err=%v", already, err)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE seq = 1`); n != 3 {
		t.Errorf("items with seq 1: %d, want 3 (one per agency stream)", n)
	}
	if err := f.s.Cancel(f.ctx, f.clerk, "", app.ID, ""); !errors.Is(err, ErrNotDraft) {
		t.Errorf("cancel a sent application: %v", err)
	}
	got, err := f.s.Application(f.ctx, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range got.Items {
		if it.State() != ItemQueued || it.DueDay.ISO() != "2024-07-15" || it.ReleasedDay.ISO() != "2024-07-08" {
			t.Errorf("item %s: state %s due %s released %s", it.AgencyCode, it.State(), it.DueDay, it.ReleasedDay)
		}
		p, err := DecodePayload(it.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if p.Fields["new_address"] != "臺中市北屯區崇德路三段1號" || p.IDNo != "A123456789" || p.ApplicationNo != got.No() {
			t.Errorf("payload of %s: %+v", it.AgencyCode, p)
		}
		_, hasBirth := p.Fields[SubjectBirthDate]
		if it.AgencyCode == "taipower_taichung" && (hasBirth || p.AccountNo == "") {
			t.Errorf("utility payload must carry the account number and no birth date: %+v", p)
		}
		if it.AgencyCode == "mvdo_taichung" && p.Fields[SubjectBirthDate] != "1980-05-20" {
			t.Errorf("監理 payload lacks the birth date: %+v", p)
		}
	}
	// Cancel a draft; a cancelled draft cannot be sent.
	d, _, err := f.s.Create(f.ctx, f.clerk, 0, "", f.moveTo("臺中市大里區1號", "tax_taichung"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.Cancel(f.ctx, f.clerk, "", d.ID, "民眾改變心意"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Send(f.ctx, f.clerk, "", d.ID); !errors.Is(err, ErrCancelled) {
		t.Errorf("send cancelled: %v", err)
	}
	if _, err := f.s.Send(f.ctx, f.clerk, "", 999999); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("send missing: %v", err)
	}
}

func TestConcurrentSendsKeepEachStreamGapless(t *testing.T) {
	f := newFixture(t)
	const n = 12
	var apps []int64
	for i := 0; i < n; i++ {
		a, _, err := f.s.Create(f.ctx, f.clerk, 0, "", f.moveTo("臺中市北屯區崇德路三段"+string(rune('1'+i%9))+"號", "tax_taichung", "nhi_central"))
		if err != nil {
			t.Fatal(err)
		}
		apps = append(apps, a.ID)
	}
	var wg sync.WaitGroup
	for _, id := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := f.s.Send(f.ctx, f.clerk, "", id); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, code := range []string{"tax_taichung", "nhi_central"} {
		a := f.agency(code)
		var min, max, cnt int
		if err := f.d.QueryRow(f.ctx, `SELECT MIN(seq), MAX(seq), COUNT(DISTINCT seq) FROM agency_items WHERE agency_id = ?`, a.ID).Scan(&min, &max, &cnt); err != nil {
			t.Fatal(err)
		}
		if min != 1 || max != n || cnt != n {
			t.Errorf("%s stream: seq %d..%d, %d distinct; want 1..%d gapless", code, min, max, cnt, n)
		}
	}
}

func TestBirthAndDeathCarryTheApplicant(t *testing.T) {
	f := newFixture(t)
	today := f.day().ISO()
	nhi := f.agency("nhi_central")
	life := f.agency("lia_roc")
	app := f.send(NewApplication{IdempotencyKey: f.key(), Kind: "death", PersonIDNo: "A123456789", ApplicantName: "王小華", ApplicantIDNo: "a223456781",
		ApplicantRelation: "女", Fields: map[string]string{"death_date": "113.7.1", "contact_address": "臺中市西屯區福科路100號", "event_date": today},
		Agencies: []Selection{{AgencyID: nhi.ID}, {AgencyID: life.ID}}})
	if app.Fields["death_date"] != "2024-07-01" || app.ApplicantIDNo != "A223456781" {
		t.Errorf("normalized fields %v applicant %q", app.Fields, app.ApplicantIDNo)
	}
	for _, it := range app.Items {
		p, _ := DecodePayload(it.Payload)
		if p.Applicant == nil || p.Applicant.Name != "王小華" || p.Applicant.Relation != "女" {
			t.Errorf("%s payload applicant %+v", it.AgencyCode, p.Applicant)
		}
	}
}

func TestSendRefusesAnAgencyStoppedSinceTheDraft(t *testing.T) {
	f := newFixture(t)
	app, _, err := f.s.Create(f.ctx, f.clerk, 0, "", f.moveTo("臺中市北屯區崇德路三段1號", "tax_taichung", "water4"))
	if err != nil {
		t.Fatal(err)
	}
	w := f.agency("water4")
	w.Active = false
	if err := f.s.SaveAgency(f.ctx, audit.Actor{Username: "admin"}, w); err != nil {
		t.Fatal(err)
	}
	_, err = f.s.Send(f.ctx, f.clerk, "", app.ID)
	var ve *ValidationError
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "已停止受理") {
		t.Fatalf("send to a stopped agency: %v", err)
	}
	if n := f.count(`SELECT COUNT(*) FROM agency_items WHERE seq IS NOT NULL`); n != 0 {
		t.Errorf("%d items released", n)
	}
	got, _ := f.s.Application(f.ctx, app.ID)
	if got.Status != StatusDraft {
		t.Errorf("status %s after a refused send", got.Status)
	}
}
