package notice

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/pdf/pdftest"
)

// engineOpts is what the service gives the legal engine for the 西屯 office.
func (f *fixture) engineOpts() legal.Options {
	f.t.Helper()
	opts, err := f.s.Legal.Options(f.ctx, f.xitun.ID, f.xitun.City)
	if err != nil {
		f.t.Fatal(err)
	}
	opts.Today = civil.Of(f.now)
	return opts
}

func iso(s string) legal.Date {
	t, err := civil.ParseISO(s)
	if err != nil {
		panic(err)
	}
	return legal.D(t)
}

// Worked fine cases (戶籍法第79條 and the 99.09.17 基準表): the decision carries
// the engine's deadline, overdue days, tier, amount and articles, in its facts and
// in its printed text.
func TestFineDecisionsMatchTheLegalEngine(t *testing.T) {
	f := setup(t)
	cases := []struct {
		name            string
		item            string
		event, applied  string
		wantDeadline    string
		wantOverdue     int
		wantFine        int
		wantArticle     string
		wantTextPhrases []string
	}{
		// LEGAL.md §3.1: death 2024-01-10, raw end 02-09 (除夕) rolls to 02-15; applied 02-20: 5 days → 300.
		{"death over Lunar New Year", "死亡登記", "113.1.10", "113.2.20", "2024-02-15", 5, 300, "戶籍法第79條前段",
			[]string{"法定申請期限至113年2月15日止", "逾期5日", "逾1日以上15日以下者，處新臺幣300元"}},
		// Birth 60 days: 2024-03-01 → 04-30; applied 06-05: 36 days → 700.
		{"birth 60 days", "出生登記", "113.3.1", "113.6.5", "2024-04-30", 36, 700, "戶籍法第79條前段",
			[]string{"出生後60日內申請出生登記", "逾期36日", "逾31日以上180日以下者，處新臺幣700元", "戶籍法第6條、戶籍法第48條第1項但書"}},
		// Moving: 3 months and 30 days (LEGAL.md §1.3): 2024-01-15 → 05-15; applied 12-02: 201 days → 900.
		{"move-in 3 months and 30 days", "遷入登記", "113.1.15", "113.12.2", "2024-05-15", 201, 900, "戶籍法第79條前段",
			[]string{"3個月又30日", "逾期201日", "逾181日以上者，處新臺幣900元"}},
	}
	f.now = day(2024, 12, 10)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := f.issue(f.clerk, Input{Kind: KindFine, Subtype: FineLate, Item: tc.item, EventDate: tc.event, RegistrationDate: tc.applied,
				Recipient: Recipient{IDNo: "A123456789"}})
			ev, _ := civil.Parse(tc.event)
			ap, _ := civil.Parse(tc.applied)
			want, err := legal.Fine(f.engineOpts(), legal.FineRequest{Registration: tc.item, EventDate: legal.D(ev), ApplicationDate: legal.D(ap)})
			if err != nil {
				t.Fatal(err)
			}
			got := doc.Content.Facts
			if got.Deadline.ISO() != tc.wantDeadline || got.Deadline.ISO() != want.Deadline.String() {
				t.Errorf("deadline %s, engine %s, worked case %s", got.Deadline, want.Deadline, tc.wantDeadline)
			}
			if got.OverdueDays != tc.wantOverdue || got.OverdueDays != want.OverdueDays {
				t.Errorf("overdue %d, engine %d, worked case %d", got.OverdueDays, want.OverdueDays, tc.wantOverdue)
			}
			if got.Fine != tc.wantFine || want.Fine == nil || got.Fine != *want.Fine || doc.Amount != int64(tc.wantFine) {
				t.Errorf("fine %d (row %d), engine %v, worked case %d", got.Fine, doc.Amount, want.Fine, tc.wantFine)
			}
			if got.FineArticle != tc.wantArticle || got.FineArticle != want.Article {
				t.Errorf("article %q, engine %q", got.FineArticle, want.Article)
			}
			for _, a := range want.Articles {
				if !strings.Contains(strings.Join(got.Articles, "|"), a) {
					t.Errorf("facts do not cite %q (engine does)", a)
				}
			}
			if got.CalendarVersion == "" || got.CalendarVersion != want.CalendarVersion {
				t.Errorf("calendar version %q, engine %q", got.CalendarVersion, want.CalendarVersion)
			}
			for _, p := range append(tc.wantTextPhrases, tc.wantArticle, "行政罰法第42條第6款", "訴願法第14條第1項", "臺中市政府提起訴願") {
				if !strings.Contains(doc.Content.Text, p) {
					t.Errorf("text lacks %q:\n%s", p, doc.Content.Text)
				}
			}
		})
	}
}

func TestFineAfterReminderFalseApplicationAndOldLaw(t *testing.T) {
	f := setup(t)
	// 經催告仍不申請: 戶籍法第79條後段, 900 whatever the delay — on a reminder of this
	// office that was served and whose period ended before the registration.
	now := f.now
	f.now = day(2024, 4, 1)
	rem := f.issue(f.clerk, Input{Kind: KindReminder, Item: "死亡登記", EventDate: "113.1.10", Delivery: DeliveryMail, Recipient: Recipient{IDNo: "A123456789"}})
	f.now = now
	reminded := Input{Kind: KindFine, Subtype: FineReminded, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.5.20",
		ReminderRef: rem.DocNo, Recipient: Recipient{IDNo: "A123456789"}}
	if _, err := f.s.DraftFine(f.ctx, f.clerk, reminded); err == nil || !strings.Contains(err.Error(), "尚未登錄送達") {
		t.Errorf("fine on an unserved reminder: %v", err)
	}
	// Issue 19: free text is no reminder.
	junk := reminded
	junk.ReminderRef = "隨便打的字號"
	if _, err := f.s.DraftFine(f.ctx, f.clerk, junk); err == nil || !strings.Contains(err.Error(), "不是本所之催告書文號") {
		t.Errorf("fine on a made-up reminder number: %v", err)
	}
	// Served by post on 113.4.3: the seven days run from 113.4.4 and end 113.4.10.
	sv, err := f.s.RecordService(f.ctx, f.clerk, rem.ID, ServiceInput{Method: legal.ServicePost, Date: "113.4.3", ReceivedBy: "王大明"})
	if err != nil {
		t.Fatal(err)
	}
	if sv.EffectiveOn.ISO() != "2024-04-03" || sv.DeadlineOn.ISO() != "2024-04-10" {
		t.Errorf("service: effective %s deadline %s", sv.EffectiveOn, sv.DeadlineOn)
	}
	// Registered within the reminder period: no fine under 第79條後段.
	early := reminded
	early.RegistrationDate = "113.4.10"
	if _, err := f.s.DraftFine(f.ctx, f.clerk, early); err == nil || !strings.Contains(err.Error(), "於催告期限內申請") {
		t.Errorf("fine after registering within the reminder period: %v", err)
	}
	doc := f.issue(f.clerk, reminded)
	if fc := doc.Content.Facts; fc.Fine != 900 || fc.FineArticle != "戶籍法第79條後段" {
		t.Errorf("reminded: %d %s", fc.Fine, fc.FineArticle)
	}
	for _, p := range []string{"經本所以113年4月1日" + rem.DocNo + "戶籍催告書催告後", "戶籍法第79條後段", "新臺幣900元"} {
		if !strings.Contains(doc.Content.Text, p) {
			t.Errorf("reminded fine text lacks %q", p)
		}
	}
	// Another authority's reminder, with its number and the day it was served.
	ext := reminded
	ext.ReminderRef, ext.ReminderServed = "中市北屯戶催字第1130000003號", "113.4.20"
	if doc := f.issue(f.clerk, ext); !strings.Contains(doc.Content.Text, "中市北屯戶催字第1130000003號") {
		t.Errorf("external reminder text:\n%s", doc.Content.Text)
	}
	ext.ReminderServed = "113.5.15" // period to 113.5.22: the registration of 113.5.20 was within it
	if _, err := f.s.DraftFine(f.ctx, f.clerk, ext); err == nil || !strings.Contains(err.Error(), "於催告期限內申請") {
		t.Errorf("external reminder still running: %v", err)
	}
	// 故意不實申請 found by a report: 戶籍法第76條, 9,000.
	doc = f.issue(f.clerk, Input{Kind: KindFine, Subtype: FineFalse, Item: "遷入登記", EventDate: "113.5.2", DiscoveredBy: "被人檢舉",
		FalseMatter: "申請人未實際居住於申請遷入之地址", Recipient: Recipient{IDNo: "A123456789"}})
	want, _ := legal.FalseApplicationFine(f.engineOpts(), legal.FalseApplicationRequest{DiscoveredBy: "被人檢舉", EventDate: iso("2024-05-02"), DecisionDate: legal.D(civil.Of(f.now))})
	if fc := doc.Content.Facts; want.Fine == nil || fc.Fine != *want.Fine || fc.Fine != 9000 || fc.FineArticle != "戶籍法第76條" {
		t.Errorf("false application: %d %s, engine %v", fc.Fine, fc.FineArticle, want.Fine)
	}
	if !strings.Contains(doc.Content.Text, "新臺幣9,000元") || !strings.Contains(doc.Content.Text, "戶籍法第23條") {
		t.Errorf("false application text:\n%s", doc.Content.Text)
	}
	// Old law (event before 2008-05-30): 第53條前段, up to 300; the 96.05.18 table was
	// not found, so the clerk sets the amount within the range, with a reason.
	// Issue 19: decided 19 years later, the power to fine has lapsed (行政罰法第27條:
	// three years from 96.8.3, the last day 99.8.2).
	old := Input{Kind: KindFine, Subtype: FineLate, Item: "出生登記", EventDate: "96.7.3", RegistrationDate: "96.8.3", Amount: intp(75), Recipient: Recipient{IDNo: "A123456789"}}
	if _, err := f.s.DraftFine(f.ctx, f.clerk, old); err == nil || !strings.Contains(err.Error(), "裁處權已因時效完成而消滅") || !strings.Contains(err.Error(), "99年8月2日") {
		t.Fatalf("old law decided after the limitation: %v", err)
	}
	// Registered only on 112.8.3: the act ended then, and 113.7.15 is within the three years.
	old.RegistrationDate = "112.8.3"
	old.Amount = nil
	if _, err := f.s.Issue(f.ctx, f.clerk, old); err == nil || !strings.Contains(err.Error(), "請輸入罰鍰金額") {
		t.Fatalf("old law without amount: %v", err)
	}
	old.Amount = intp(75)
	doc = f.issue(f.clerk, old)
	if fc := doc.Content.Facts; fc.Fine != 75 || fc.FineArticle != "戶籍法第53條前段" || fc.Law != legal.LawOld || fc.OverdueDays < 5000 || fc.LapseDate.ISO() != "2026-08-02" {
		t.Errorf("old law: %+v", fc)
	}
	if !strings.Contains(doc.Content.Text, "戶籍法（民國86年5月21日修正公布全文61條）") || !strings.Contains(doc.Content.Text, "新臺幣300元以下") {
		t.Errorf("old law text:\n%s", doc.Content.Text)
	}
	// 行政罰法第5條: cited as 修正前戶籍法; never an internal note to the citizen (issue 19).
	for _, w := range []string{"依修正前戶籍法第53條前段規定", "依行政罰法第5條規定", "修正前戶籍法第47條"} {
		if !strings.Contains(doc.Content.Text, w) {
			t.Errorf("old law text lacks %q:\n%s", w, doc.Content.Text)
		}
	}
	if strings.Contains(doc.Content.Text, "未能查得") {
		t.Errorf("old law text prints an internal note:\n%s", doc.Content.Text)
	}
	// An amount other than the 基準 needs a reason, and never leaves the statutory range.
	in := Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.20", Amount: intp(500), Recipient: Recipient{IDNo: "A123456789"}}
	if _, err := f.s.Issue(f.ctx, f.clerk, in); err == nil || !strings.Contains(err.Error(), "請填寫裁量理由") {
		t.Errorf("amount without reason: %v", err)
	}
	in.AmountReason = "經通知後仍遲延申請"
	doc = f.issue(f.clerk, in)
	if doc.Content.Facts.Fine != 500 || !strings.Contains(doc.Content.Text, "本件基準金額為新臺幣300元；惟經通知後仍遲延申請，爰於法定範圍內處新臺幣500元") {
		t.Errorf("discretionary amount: %d\n%s", doc.Content.Facts.Fine, doc.Content.Text)
	}
	for _, bad := range []int{200, 1000, 0} {
		in.Amount = intp(bad)
		if _, err := f.s.Issue(f.ctx, f.clerk, in); err == nil || !strings.Contains(err.Error(), "超出法定範圍") {
			t.Errorf("amount %d: %v", bad, err)
		}
	}
	// Not late, or late with good cause: no decision.
	if _, err := f.s.Issue(f.ctx, f.clerk, Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.15",
		Recipient: Recipient{IDNo: "A123456789"}}); err == nil || !strings.Contains(err.Error(), "未逾法定申請期限") {
		t.Errorf("on-time application fined: %v", err)
	}
	if _, err := f.s.Issue(f.ctx, f.clerk, Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.20", Justified: true,
		Recipient: Recipient{IDNo: "A123456789"}}); err == nil || !strings.Contains(err.Error(), "正當理由") {
		t.Errorf("justified delay fined: %v", err)
	}
}

func TestRemindersFollowTheLawOnTheFiveKinds(t *testing.T) {
	f := setup(t) // today 2024-07-15 (Monday)
	// Birth 2024-03-01, deadline 04-30 passed: 48-2 kind, fined → 催告後逕為登記及罰鍰.
	in := Input{Kind: KindReminder, Item: "出生登記", EventDate: "113.3.1", Delivery: DeliveryCounter, Recipient: Recipient{IDNo: "A123456789"}}
	doc := f.issue(f.clerk, in)
	fc := doc.Content.Facts
	rr, _ := legal.Reminder(f.engineOpts(), legal.ReminderRequest{Registration: "出生登記", EventDate: iso("2024-03-01")})
	if fc.ReminderType != legal.NoticeDirectRegistrationAnd || fc.ReminderType != *rr.NoticeType {
		t.Errorf("reminder type %q, engine %q", fc.ReminderType, *rr.NoticeType)
	}
	if fc.DirectArticle != "戶籍法第48條之2第1款" || fc.SealRule != "加蓋機關印信及主任簽字章寄發，並留存一份備查" {
		t.Errorf("direct %q seal %q", fc.DirectArticle, fc.SealRule)
	}
	rd, _ := legal.ReminderDeadline(f.engineOpts(), legal.ReminderDeadlineRequest{ServedDate: legal.D(civil.Of(f.now)), MinDays: 7})
	if fc.ReminderDeadline.ISO() != "2024-07-22" || fc.ReminderDeadline.ISO() != rd.EarliestDeadline.String() {
		t.Errorf("reminder deadline %s, engine %s", fc.ReminderDeadline, rd.EarliestDeadline)
	}
	for _, p := range []string{"本件法定申請期限已於113年4月30日屆滿", "請於本催告書送達之次日起7日內（即113年7月22日以前）",
		"戶籍法第48條之2第1款規定逕為出生登記", "戶籍法第49條第2項", "戶籍法第79條前段規定處新臺幣300元以上900元以下罰鍰", "戶籍法第79條後段規定處新臺幣900元罰鍰",
		"戶籍法施行細則第19條第2項"} {
		if !strings.Contains(doc.Content.Text, p) {
			t.Errorf("reminder text lacks %q:\n%s", p, doc.Content.Text)
		}
	}
	// 僅催告 prints with the office stamp only.
	in.Subtype = legal.NoticeReminderOnly
	if d := f.issue(f.clerk, in); d.Content.Facts.SealRule != "加蓋機關條戳寄發，並留存一份備查" {
		t.Errorf("僅催告 seal: %q", d.Content.Facts.SealRule)
	}
	// A marriage abroad is not in 第48條之2: no 逕為登記 kinds.
	bad := Input{Kind: KindReminder, Subtype: legal.NoticeDirectRegistrationAnd, Item: "結婚登記", Basis: "國外", EventDate: "113.1.5", Recipient: Recipient{IDNo: "A123456789"}}
	if _, err := f.s.Issue(f.ctx, f.clerk, bad); err == nil || !strings.Contains(err.Error(), "不在戶籍法第48條之2所列") {
		t.Errorf("marriage abroad with 逕為登記: %v", err)
	}
	bad.Subtype = legal.NoticeFine
	if d := f.issue(f.clerk, bad); d.Content.Facts.ReminderType != legal.NoticeFine {
		t.Errorf("marriage abroad reminder: %q", d.Content.Facts.ReminderType)
	}
	// Good cause: no fine kinds.
	just := Input{Kind: KindReminder, Subtype: legal.NoticeDirectRegistrationAnd, Item: "死亡登記", EventDate: "113.3.1", Justified: true, Recipient: Recipient{IDNo: "A123456789"}}
	if _, err := f.s.Issue(f.ctx, f.clerk, just); err == nil || !strings.Contains(err.Error(), "正當理由") {
		t.Errorf("justified with fine: %v", err)
	}
	// Not yet late: a reminder is refused, a notice is the right document.
	early := Input{Kind: KindReminder, Item: "死亡登記", EventDate: "113.7.1", Recipient: Recipient{IDNo: "A123456789"}}
	if _, err := f.s.Issue(f.ctx, f.clerk, early); err == nil || !strings.Contains(err.Error(), "尚未屆滿") {
		t.Errorf("early reminder: %v", err)
	}
	// Fewer than 7 days is unlawful (戶籍法施行細則第19條第2項).
	short := in
	short.ReminderDays = 5
	if _, err := f.s.Issue(f.ctx, f.clerk, short); err == nil || !strings.Contains(err.Error(), "不得少於七日") {
		t.Errorf("5-day reminder: %v", err)
	}
	// 死亡宣告 is registered without a reminder (第48條之1).
	decl := Input{Kind: KindReminder, Item: "死亡宣告登記", EventDate: "113.3.1", Subtype: legal.NoticeReminderOnly, Recipient: Recipient{IDNo: "A123456789"}}
	if _, err := f.s.Issue(f.ctx, f.clerk, decl); err == nil || !strings.Contains(err.Error(), "免經催告") {
		t.Errorf("死亡宣告 reminder: %v", err)
	}
	// 故意不實申請催告撤銷.
	fa := f.issue(f.clerk, Input{Kind: KindReminder, Subtype: legal.NoticeFalseApplication, Item: "遷入登記", EventDate: "113.5.2",
		FalseMatter: "申請人未實際居住於申請遷入之地址", Recipient: Recipient{IDNo: "A123456789"}})
	for _, p := range []string{"經查係故意為不實之申請", "申請人未實際居住於申請遷入之地址", "戶籍法第76條規定處新臺幣3,000元以上9,000元以下罰鍰", "戶籍法第48條之2第8款"} {
		if !strings.Contains(fa.Content.Text, p) {
			t.Errorf("false application reminder lacks %q:\n%s", p, fa.Content.Text)
		}
	}
}

func TestNoticeDeadlinesFromTheEngine(t *testing.T) {
	f := setup(t) // 2024-07-15
	doc := f.issue(f.clerk, Input{Kind: KindNotice, Item: "死亡登記", EventDate: "113.7.1", Subject: "王老先生", Recipient: Recipient{IDNo: "A123456789"}})
	dl, _ := legal.Deadline(f.engineOpts().Calendar, "死亡登記", "", civil.New(2024, 7, 1), "")
	if doc.Content.Facts.NoticeDeadline.ISO() != "2024-07-31" || doc.Content.Facts.NoticeDeadline.ISO() != dl.Deadline.String() {
		t.Errorf("notice deadline %s, engine %s", doc.Content.Facts.NoticeDeadline, dl.Deadline)
	}
	if !strings.Contains(doc.Content.Text, "臺端之親屬王老先生於113年7月1日死亡，請於113年7月31日以前") || doc.Content.Input.Subtype != "通知申請登記" {
		t.Errorf("notice text:\n%s", doc.Content.Text)
	}
	// 出境滿二年: 30 days from issue (戶籍法施行細則第5條), rolled like any period.
	out := f.issue(f.clerk, Input{Kind: KindNotice, Subtype: "出境滿二年應為遷出登記", Item: "遷出登記", EventDate: "111.5.1", Recipient: Recipient{IDNo: "A123456789"}})
	pr, _ := legal.AddPeriod(f.engineOpts().Calendar, civil.New(2024, 7, 15), "30日")
	if out.Content.Facts.NoticeDeadline.ISO() != pr.Deadline.String() || out.Content.Facts.NoticeDeadline.ISO() != "2024-08-14" {
		t.Errorf("出境 notice deadline %s, engine %s", out.Content.Facts.NoticeDeadline, pr.Deadline)
	}
	// A deadline already passed calls for a reminder.
	if _, err := f.s.Issue(f.ctx, f.clerk, Input{Kind: KindNotice, Item: "死亡登記", EventDate: "113.3.1", Recipient: Recipient{IDNo: "A123456789"}}); err == nil ||
		!strings.Contains(err.Error(), "請改開立戶籍催告書") {
		t.Errorf("late notice: %v", err)
	}
	// The clerk may set the deadline, never before the issue day.
	if _, err := f.s.Issue(f.ctx, f.clerk, Input{Kind: KindNotice, Item: "死亡登記", EventDate: "113.7.1", NoticeDeadline: "113.7.10", Recipient: Recipient{IDNo: "A123456789"}}); err == nil ||
		!strings.Contains(err.Error(), "不得早於開立日") {
		t.Errorf("deadline before issue: %v", err)
	}
}

// Bad input: a Chinese message naming the field; nothing stored, no number used.
func TestBadInputIsRefusedAndStoresNothing(t *testing.T) {
	f := setup(t)
	good := Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.20", Recipient: Recipient{IDNo: "A123456789"}}
	cases := []struct {
		name   string
		mutate func(*Input)
		field  string
		want   string
	}{
		{"malformed date", func(in *Input) { in.EventDate = "113.02.30" }, "event_date", "事件發生日「113.02.30」格式錯誤或日期不存在"},
		{"garbage date", func(in *Input) { in.RegistrationDate = "明天" }, "registration_date", "登記日期「明天」格式錯誤"},
		{"unknown registration", func(in *Input) { in.Item = "飛行登記" }, "item", "登記項目「飛行登記」不明"},
		{"event after registration", func(in *Input) { in.EventDate = "113.3.1" }, "registration_date", "不得晚於登記日期"},
		{"event in the future", func(in *Input) { in.EventDate = "114.1.1"; in.RegistrationDate = "" }, "event_date", "不得晚於開立日"},
		{"unknown kind", func(in *Input) { in.Kind = "letter" }, "kind", "文書種類「letter」不明"},
		{"unknown subtype", func(in *Input) { in.Subtype = "重罰" }, "subtype", "違規態樣「重罰」不明"},
		{"bad ID check digit", func(in *Input) { in.Recipient = Recipient{IDNo: "A123456788"} }, "recipient.id_no", "統一編號"},
		{"unknown person", func(in *Input) { in.Recipient = Recipient{IDNo: "F123456784"} }, "recipient.name", "查無民眾資料"},
		{"no address of that kind", func(in *Input) { in.Recipient.AddressKind = "business" }, "recipient.address", "事務(營業)所地址無資料"},
		{"bad address kind", func(in *Input) { in.Recipient.AddressKind = "moon" }, "recipient.address_kind", "地址種類「moon」不明"},
		{"stale text", func(in *Input) { in.Text = "主旨：舊文字"; in.TextBasis = "0000" }, "text", "請按「帶入內容」重新產生文字"},
		{"leftover placeholder", func(in *Input) { in.Text = "主旨：處{{罰鍰金額}}罰鍰。" }, "text", "未填入的欄位「{{罰鍰金額}}」"},
		{"reminded without a reminder", func(in *Input) { in.Subtype = FineReminded }, "reminder_ref", "須填寫本所已送達之催告書文號"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := good
			tc.mutate(&in)
			_, err := f.s.Issue(f.ctx, f.clerk, in)
			var fe *FieldError
			var le *legal.InputError
			switch {
			case errors.As(err, &fe):
				if fe.Field != tc.field {
					t.Errorf("field %q, want %q (%s)", fe.Field, tc.field, fe.Message)
				}
			case errors.As(err, &le):
				if le.Field != tc.field {
					t.Errorf("engine field %q, want %q (%s)", le.Field, tc.field, le.Message)
				}
			default:
				t.Fatalf("error %v (%T), want a field error", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("message %q lacks %q", err.Error(), tc.want)
			}
		})
	}
	var docs, seqs, vers int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM documents`).Scan(&docs)
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM document_versions`).Scan(&vers)
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM sequences WHERE scope LIKE 'doc.%'`).Scan(&seqs)
	if docs+vers+seqs != 0 {
		t.Errorf("refused input stored %d documents, %d versions, %d sequences", docs, vers, seqs)
	}
	// The same input, corrected, goes through and takes number 1.
	if d := f.issue(f.clerk, good); d.Seq != 1 {
		t.Errorf("first good document took number %d", d.Seq)
	}
}

func TestOnlyTheIssuingClerkAmendsAndEveryVersionIsKept(t *testing.T) {
	f := setup(t)
	in := Input{Kind: KindNotice, Item: "死亡登記", EventDate: "113.7.1", Recipient: Recipient{IDNo: "A123456789"}}
	doc := f.issue(f.clerk, in)
	edit := in
	edit.Recipient = Recipient{IDNo: "A123456789", AddressKind: "service"}
	for _, who := range []Clerk{f.clerk2, f.super, f.other} {
		_, err := f.s.Amend(f.ctx, who, doc.ID, edit, "改寄指定送達地址")
		var fe *ForbiddenError
		if !errors.As(err, &fe) || !strings.Contains(fe.Message, "僅原承辦人得修改") {
			t.Errorf("%s amended: %v", who.Username, err)
		}
	}
	var denied int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'document.amend' AND outcome = 'denied'`).Scan(&denied)
	if denied != 3 {
		t.Errorf("%d denied amendments audited, want 3", denied)
	}
	if _, err := f.s.Amend(f.ctx, f.clerk, doc.ID, edit, ""); err == nil || !strings.Contains(err.Error(), "請填寫修改原因") {
		t.Errorf("amend without reason: %v", err)
	}
	got, err := f.s.Amend(f.ctx, f.clerk, doc.ID, edit, "改寄指定送達地址")
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || got.DocNo != doc.DocNo || got.Content.Recipient.Address != "臺中市西屯區臺灣大道三段99號" {
		t.Errorf("amended: v%d %s %q", got.Version, got.DocNo, got.Content.Recipient.Address)
	}
	vs, _ := f.s.Versions(f.ctx, doc.ID)
	if len(vs) != 2 || vs[1].Content.Recipient.Address != "臺中市西屯區福科路100號" || vs[0].Reason != "改寄指定送達地址" {
		t.Errorf("versions: %+v", vs)
	}
	var amended int
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'document.amend' AND outcome = 'ok' AND person_id_no = 'A123456789'`).Scan(&amended)
	if amended != 1 {
		t.Errorf("%d amendments audited, want 1", amended)
	}
	// Cancelling: another office's clerk may not; the supervisor of the office may.
	if _, err := f.s.Cancel(f.ctx, f.other, doc.ID, "誤開"); err == nil {
		t.Error("another office's clerk cancelled")
	}
	if _, err := f.s.Cancel(f.ctx, f.clerk2, doc.ID, "誤開"); err == nil {
		t.Error("a colleague cancelled")
	}
	c, err := f.s.Cancel(f.ctx, f.super, doc.ID, "受通知人已於當日辦理登記")
	if err != nil || !c.Cancelled() || c.DocNo != doc.DocNo {
		t.Fatalf("supervisor cancel: %v", err)
	}
	if _, err := f.s.Cancel(f.ctx, f.super, doc.ID, "再作廢"); err == nil {
		t.Error("cancelled twice")
	}
	if _, err := f.s.Amend(f.ctx, f.clerk, doc.ID, in, "作廢後修改"); err == nil || !strings.Contains(err.Error(), "已作廢") {
		t.Errorf("amend after cancel: %v", err)
	}
	// The number is kept: the next document takes the next number.
	if next := f.issue(f.clerk, in); next.Seq != doc.Seq+1 {
		t.Errorf("next number %d after cancelled %d", next.Seq, doc.Seq)
	}
}

func TestTemplateChangeIsANewVersionAndOldDocumentsKeepTheirs(t *testing.T) {
	f := setup(t)
	in := Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "A123456789"}}
	old := f.issue(f.clerk, in)
	tpl, err := f.s.TemplateByID(f.ctx, old.Content.TemplateID)
	if err != nil {
		t.Fatal(err)
	}
	next := *tpl
	next.Body = strings.Replace(tpl.Body, "主旨：", "主旨：（新版）", 1)
	next.Note = "措辭修正"
	next.EffectiveFrom = f.s.Today()
	if err := f.s.SaveTemplate(f.ctx, f.super.Audit, &next); err != nil {
		t.Fatal(err)
	}
	if next.ID == tpl.ID || next.Version != tpl.Version+1 {
		t.Fatalf("saved as id %d v%d (was id %d v%d)", next.ID, next.Version, tpl.ID, tpl.Version)
	}
	again, _ := f.s.TemplateByID(f.ctx, tpl.ID)
	if again.Body != tpl.Body {
		t.Error("the old version was changed")
	}
	reread, _ := f.s.Get(f.ctx, old.ID)
	if reread.Content.TemplateID != tpl.ID || strings.Contains(reread.Content.Text, "（新版）") {
		t.Errorf("old document now shows template %d: %s", reread.Content.TemplateID, reread.Content.Text)
	}
	fresh := f.issue(f.clerk, in)
	if fresh.Content.TemplateID != next.ID || fresh.Content.TemplateVersion != next.Version || !strings.Contains(fresh.Content.Text, "主旨：（新版）") {
		t.Errorf("new document uses template %d v%d", fresh.Content.TemplateID, fresh.Content.TemplateVersion)
	}
	// A version effective tomorrow is not used today.
	later := next
	later.Body = strings.Replace(next.Body, "（新版）", "（明日版）", 1)
	later.EffectiveFrom = f.s.Today().AddDate(0, 0, 1)
	if err := f.s.SaveTemplate(f.ctx, f.super.Audit, &later); err != nil {
		t.Fatal(err)
	}
	if d := f.issue(f.clerk, in); d.Content.TemplateID != next.ID {
		t.Errorf("future version used today: %d", d.Content.TemplateID)
	}
	vs, _ := f.s.TemplateVersions(f.ctx, tpl)
	if len(vs) != 3 {
		t.Errorf("%d versions, want 3", len(vs))
	}
	// Amending an old document keeps its template version.
	am := in
	am.Note = "請攜帶原國民身分證"
	amended, err := f.s.Amend(f.ctx, f.clerk, old.ID, am, "加註")
	if err != nil {
		t.Fatal(err)
	}
	if amended.Content.TemplateID != tpl.ID || strings.Contains(amended.Content.Text, "新版") || !strings.Contains(amended.Content.Text, "請攜帶原國民身分證") {
		t.Errorf("amended old document: template %d\n%s", amended.Content.TemplateID, amended.Content.Text)
	}
	// Unknown placeholders are refused when a template is saved.
	bad := next
	bad.Body = "主旨：{{不存在的欄位}}"
	if err := f.s.SaveTemplate(f.ctx, f.super.Audit, &bad); err == nil || !strings.Contains(err.Error(), "未知欄位") {
		t.Errorf("template with an unknown field: %v", err)
	}
}

func TestCalendarRevisionNeverChangesAnIssuedDeadline(t *testing.T) {
	f := setup(t) // 2024-07-15
	notice := Input{Kind: KindNotice, Item: "死亡登記", EventDate: "113.7.1", Recipient: Recipient{IDNo: "A123456789"}}
	reminder := Input{Kind: KindReminder, Item: "出生登記", EventDate: "113.3.1", Delivery: DeliveryCounter, Recipient: Recipient{IDNo: "A123456789"}}
	n := f.issue(f.clerk, notice)
	r := f.issue(f.clerk, reminder)
	nPDF, rPDF := pdftest.Text(t, f.pdf(n)), pdftest.Text(t, f.pdf(r))
	if n.Content.Facts.NoticeDeadline.ISO() != "2024-07-31" || r.Content.Facts.ReminderDeadline.ISO() != "2024-07-22" {
		t.Fatalf("deadlines %s %s", n.Content.Facts.NoticeDeadline, r.Content.Facts.ReminderDeadline)
	}
	// A typhoon closes the Taichung offices on both deadline days.
	for _, d := range []civil.Date{civil.New(2024, 7, 31), civil.New(2024, 7, 22)} {
		if err := f.s.Legal.AddClosure(f.ctx, audit.Actor{Username: "admin"}, "臺中市", d, "颱風停止上班"); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		doc  *Document
		text string
		dl   func(Facts) string
	}{{n, nPDF, func(f Facts) string { return f.NoticeDeadline.ISO() }}, {r, rPDF, func(f Facts) string { return f.ReminderDeadline.ISO() }}} {
		got, err := f.s.Get(f.ctx, c.doc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.dl(got.Content.Facts) != c.dl(c.doc.Content.Facts) || got.Content.Text != c.doc.Content.Text ||
			got.CalendarVersion != c.doc.CalendarVersion || !got.Deadline.Equal(c.doc.Deadline) {
			t.Errorf("%s changed after the calendar revision", c.doc.DocNo)
		}
		if again := pdftest.Text(t, f.pdf(got)); again != c.text {
			t.Errorf("%s prints differently after the calendar revision", c.doc.DocNo)
		}
	}
	// New documents use the revised calendar, and say which.
	n2 := f.issue(f.clerk, notice)
	r2 := f.issue(f.clerk, reminder)
	if n2.Content.Facts.NoticeDeadline.ISO() != "2024-08-01" || r2.Content.Facts.ReminderDeadline.ISO() != "2024-07-23" {
		t.Errorf("after the closure: %s %s", n2.Content.Facts.NoticeDeadline, r2.Content.Facts.ReminderDeadline)
	}
	if n2.CalendarVersion == n.CalendarVersion {
		t.Error("the calendar version did not change with the closure")
	}
	// Amending only the text of the old notice keeps its computation.
	edit := notice
	edit.Note = "如已辦理請勿理會"
	am, err := f.s.Amend(f.ctx, f.clerk, n.ID, edit, "加註")
	if err != nil {
		t.Fatal(err)
	}
	if am.Content.Facts.NoticeDeadline.ISO() != "2024-07-31" || am.CalendarVersion != n.CalendarVersion || !strings.Contains(am.Content.Text, "113年7月31日") {
		t.Errorf("a text amendment recomputed: %s %s", am.Content.Facts.NoticeDeadline, am.CalendarVersion)
	}
	// Changing the event date is a new computation, with today's calendar.
	edit.EventDate = "113.7.2"
	am, err = f.s.Amend(f.ctx, f.clerk, n.ID, edit, "事件日誤繕")
	if err != nil {
		t.Fatal(err)
	}
	if am.Content.Facts.NoticeDeadline.ISO() != "2024-08-01" || am.CalendarVersion != n2.CalendarVersion {
		t.Errorf("event date amendment: %s %s", am.Content.Facts.NoticeDeadline, am.CalendarVersion)
	}
}

func TestPDFHoldsTheLegalWording(t *testing.T) {
	f := setup(t)
	fine := f.issue(f.clerk, Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.20",
		Recipient: Recipient{IDNo: "A123456789"}})
	b := f.pdf(fine)
	savePNG(t, "fine-decision", b)
	got := flat(pdftest.Text(t, b))
	for _, w := range []string{"臺中市西屯區戶政事務所", "戶籍罰鍰裁處書", "送達聯", "存查聯", "受處分人", "王大明", "A123456789", "中華民國69年5月20日",
		"發文日期：中華民國113年7月15日", fine.DocNo, "處新臺幣300元罰鍰", "法定申請期限至113年2月15日止", "戶籍法第79條前段",
		"戶籍罰鍰處罰金額基準表", "行政罰法第42條第6款", "訴願法第14條第1項", "機關印信", "主任簽字章", "送達證書", "行政程序法第72條第1項"} {
		if !strings.Contains(got, flat(w)) {
			t.Errorf("fine PDF lacks %q", w)
		}
	}
	rem := f.issue(f.clerk, Input{Kind: KindReminder, Subtype: legal.NoticeReminderOnly, Item: "出生登記", EventDate: "113.3.1", Delivery: DeliveryCounter,
		Recipient: Recipient{IDNo: "B220000000"}})
	got = flat(pdftest.Text(t, f.pdf(rem)))
	for _, w := range []string{"戶籍催告書", "𡍼美玲", "催告書種類：僅催告", "機關條戳", "戶籍法第48條第3項", "113年4月30日"} {
		if !strings.Contains(got, flat(w)) {
			t.Errorf("reminder PDF lacks %q", w)
		}
	}
	if strings.Contains(got, "送達證書") || strings.Contains(got, "主任簽字章") {
		t.Error("a counter-delivered 僅催告 printed a 送達證書 or the director's stamp")
	}
	one := f.issue(f.clerk, Input{Kind: KindOneTime, Item: "補領國民身分證", Items: []string{"最近二年內正面脫帽半身彩色相片1張"}, Recipient: Recipient{Name: "陳大文"}})
	got = flat(pdftest.Text(t, f.pdf(one)))
	for _, w := range []string{"收執聯", "存根聯", "陳大文", "補領國民身分證", "戶籍法施行細則第20條", "最近二年內正面脫帽半身彩色相片1張", "申請人簽章"} {
		if !strings.Contains(got, flat(w)) {
			t.Errorf("one-time notice PDF lacks %q", w)
		}
	}
	// A cancelled document prints as cancelled.
	c, err := f.s.Cancel(f.ctx, f.clerk, fine.ID, "受處分人已繳清另案")
	if err != nil {
		t.Fatal(err)
	}
	if got := flat(pdftest.Text(t, f.pdf(c))); !strings.Contains(got, "作廢") || !strings.Contains(got, "受處分人已繳清另案") {
		t.Error("cancelled PDF does not say so")
	}
}

func TestHistoryRecipientsAndHook(t *testing.T) {
	f := setup(t)
	var seen []Issued
	f.s.OnIssued = func(ctx context.Context, d Issued) error {
		var n int
		f.d.QueryRow(ctx, `SELECT COUNT(*) FROM documents WHERE id = ?`, d.DocumentID).Scan(&n)
		if n != 1 {
			t.Errorf("hook ran before the document was committed")
		}
		seen = append(seen, d)
		return errors.New("terminal offline")
	}
	clerk := f.clerk
	clerk.CounterID = 7
	f.issue(clerk, Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "A123456789"}})
	one := f.issue(clerk, Input{Kind: KindOneTime, Item: "出生登記", Items: []string{"出生證明書正本"}, Recipient: Recipient{IDNo: "A123456789"}})
	f.now = f.now.Add(time.Hour)
	f.issue(f.other, Input{Kind: KindConfirm, Subtype: "補領國民身分證", AcceptedDate: "113.7.15", Recipient: Recipient{IDNo: "A123456789"}})
	if len(seen) != 1 || seen[0].DocumentID != one.ID || seen[0].Kind != KindOneTime || seen[0].CounterID != 7 || seen[0].DocNo != one.DocNo {
		t.Errorf("hook calls: %+v", seen)
	}
	hist, err := f.s.History(f.ctx, "A123456789")
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || hist[0].OfficeID != f.beitun.ID || hist[0].Kind != KindConfirm || hist[2].Kind != KindNotice {
		t.Errorf("history: %d documents, first %v", len(hist), hist)
	}
	// An ID not in the register: name and address typed once are remembered.
	in := Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "F123456784", Name: "李外地", AddressKind: "current", Address: "臺中市南屯區公益路二段1號"}}
	f.issue(f.clerk, in)
	k, err := f.s.LookupRecipient(f.ctx, "F123456784")
	if err != nil || k == nil || k.Name != "李外地" || k.Address("current") != "臺中市南屯區公益路二段1號" || k.AddressKind != "current" || k.InRegister {
		t.Fatalf("remembered: %+v %v", k, err)
	}
	d := f.issue(f.clerk, Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "F123456784", AddressKind: "current"}})
	if d.Content.Recipient.Name != "李外地" || d.Content.Recipient.Address != "臺中市南屯區公益路二段1號" {
		t.Errorf("second document's recipient: %+v", d.Content.Recipient)
	}
}
