package notice

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"ebazhao/internal/legal"
	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
)

// Clerk is who issues or changes a document.
type Clerk struct {
	UserID    int64
	Username  string
	Name      string // display name, printed as 承辦人
	OfficeID  int64
	CounterID int64
	// Supervisor: may cancel documents of the own office (a clerk cancels only
	// the own ones).
	Supervisor bool
	// Approver: may approve the fine decisions drafted at the own office
	// (auth.FineApprove; 作業規範 肆.一: a 罰鍰裁處書 is a supervisor's to issue).
	Approver bool
	// CityWide: system staff acting for any office.
	CityWide bool
	Audit    audit.Actor
}

func reminderTypes() []string { return legal.NoticeTypes() }

// canonicalRegistration returns the legal engine's name of a registration item
// (a missing 「登記」 is tolerated); an unknown item is a Chinese error.
func canonicalRegistration(item string) (string, error) {
	n := strings.TrimSpace(item)
	for _, name := range legal.RegistrationNames() {
		if n == name || n+"登記" == name {
			return name, nil
		}
	}
	if n == "遷徙登記" || n == "遷徙" {
		return "遷入登記", nil
	}
	return "", fieldErr("item", "登記項目「%s」不明，可用：%s", item, strings.Join(legal.RegistrationNames(), "、"))
}

// sealRule says how each copy of a document is stamped (作業規範 叁.二(二)8, (三)9, (四)6).
func sealRule(kind Kind, subtype string) string {
	switch kind {
	case KindNotice:
		return "寄發聯加蓋戶所條戳；留存聯加蓋承辦人及主管職名章"
	case KindReminder:
		if subtype == legal.NoticeReminderOnly {
			return "加蓋機關條戳寄發，並留存一份備查"
		}
		return "加蓋機關印信及主任簽字章寄發，並留存一份備查"
	case KindFine:
		return "加蓋機關印信及主任簽字章送達，並留存一份備查"
	case KindOneTime:
		return "收執聯交申請人；存根聯請申請人簽章後留存所內"
	case KindConfirm:
		return "加蓋戶所條戳寄發當事人"
	}
	return ""
}

func parseDate(field, label, s string) (civil.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return civil.Date{}, nil
	}
	t, err := civil.Parse(s)
	if err != nil {
		return civil.Date{}, fieldErr(field, "%s「%s」格式錯誤或日期不存在：請輸入民國日期，例如 113.7.7、1130707 或 2024-07-07", label, s)
	}
	if t.Year() < 1912 || t.Year() > 2200 {
		return civil.Date{}, fieldErr(field, "%s「%s」超出可處理的年份範圍", label, s)
	}
	return t, nil
}

// money formats an amount as 新臺幣9,000元.
func money(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return "新臺幣" + s + "元"
}

func rangeText(min, max int) string {
	switch {
	case min == max:
		return money(max)
	case min <= 0:
		return money(max) + "以下"
	}
	return money(min) + "以上" + strings.TrimPrefix(money(max), "新臺幣") + "以下"
}

// deadlineText prints a legal deadline, noting 上午 when only the morning counts
// (行政程序法第48條第4項).
func deadlineText(t civil.Date, morning bool) string {
	s := t.ROC()
	if morning {
		s += "上午"
	}
	return s
}

// fingerprint identifies the input a text was filled for.
func fingerprint(in Input, issue civil.Date, templateID int64) string {
	c := in
	c.Text, c.TextBasis = "", ""
	b, _ := json.Marshal(struct {
		In    Input
		Issue string
		Tpl   int64
	}{c, issue.ISO(), templateID})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:10])
}

// factsKey identifies the inputs the computed facts depend on.
func factsKey(in Input) string {
	b, _ := json.Marshal([]any{in.Kind, in.Subtype, in.Item, in.Basis, in.EventDate, in.RegistrationDate, in.NoticeDeadline,
		in.ReminderDays, in.Delivery, in.Justified, in.DiscoveredBy, in.Amount, in.AcceptedDate, in.FixBy})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:10])
}

type explain struct{ f *Facts }

func (e explain) steps(s ...string) { e.f.Steps = append(e.f.Steps, s...) }
func (e explain) cite(arts ...string) {
	for _, a := range arts {
		if a != "" && !slices.Contains(e.f.Articles, a) {
			e.f.Articles = append(e.f.Articles, a)
		}
	}
}
func (e explain) warn(ws ...string) {
	for _, w := range ws {
		if w != "" && !slices.Contains(e.f.Warnings, w) {
			e.f.Warnings = append(e.f.Warnings, w)
		}
	}
}

// draft is a document prepared for saving.
type draft struct {
	Content  Content
	Template *Template
	Office   *office.Office
	Issue    civil.Date
}

// prepare validates the input, computes with the legal engine, picks the template
// in force on issue and fills the text. keep, for an amendment, holds the
// previous content: its facts are kept when none of their inputs changed, and its
// template version is kept for the same kind, subtype and item.
func (s *Service) prepare(ctx context.Context, clerk Clerk, in Input, issue civil.Date, keep *Content) (*draft, error) {
	off, err := s.Offices.ByID(ctx, clerk.OfficeID)
	if err != nil {
		return nil, fmt.Errorf("office %d: %w", clerk.OfficeID, err)
	}
	// A one-time notice without items (API) takes its category's quick package.
	usePackage := in.Kind == KindOneTime && in.Items == nil
	dt, err := normalizeInput(&in)
	if err != nil {
		return nil, err
	}
	rec, err := s.resolveRecipient(ctx, in.Kind, in.Recipient)
	if err != nil {
		return nil, err
	}
	in.Recipient = rec

	if in.Kind == KindReminder && in.Subtype == "" {
		if in.Subtype, err = s.suggestReminder(ctx, off, in, dt, issue); err != nil {
			return nil, err
		}
	}
	// The template: the amended document's own version, or the one in force.
	var tpl *Template
	if keep != nil && keep.TemplateID != 0 && keep.Input.Kind == in.Kind && keep.Input.Subtype == in.Subtype && keep.Input.Item == in.Item {
		tpl, err = s.TemplateByID(ctx, keep.TemplateID)
	} else {
		tpl, err = s.pickTemplate(ctx, s.DB, in.Kind, in.Subtype, in.Item, issue)
	}
	if err != nil {
		return nil, err
	}
	if usePackage {
		in.Items = slices.Clone(tpl.Items)
	}

	common := map[string]string{
		"機關": off.Name, "機關地址": off.Address, "機關電話": off.Phone, "縣市政府": off.City + "政府",
		"開立日期": issue.ROC(), "承辦人": clerk.Name,
		"受文者": rec.Name, "統一編號": rec.IDNo, "地址": rec.Address, "地址種類": AddressLabel(rec.AddressKind),
		"登記項目": in.Item, "登記當事人": in.Subject, "附註": in.Note, "出生日期": "",
	}
	if b, err := civil.ParseISO(rec.BirthDate); err == nil {
		common["出生日期"] = b.ROC()
	}
	values := map[string]string{}
	var facts Facts
	if keep != nil && factsKey(keep.Input) == factsKey(in) {
		// Only the text or the recipient changed: the stored computation stands.
		facts = keep.Facts
		for k, v := range keep.Values {
			values[k] = v
		}
		for k, v := range common {
			values[k] = v
		}
	} else {
		for k, v := range common {
			values[k] = v
		}
		if facts, err = s.compute(ctx, off, in, dt, issue, tpl, values); err != nil {
			return nil, err
		}
	}

	d := &draft{Template: tpl, Office: off, Issue: issue}
	c := &d.Content
	c.Input, c.Recipient, c.Facts = in, rec, facts
	c.TemplateID, c.TemplateVersion, c.TemplateName = tpl.ID, tpl.Version, tpl.Name
	c.Basis = fingerprint(in, issue, tpl.ID)
	c.Values = values
	if in.Kind == KindOneTime {
		c.Items = in.Items
		if len(c.Items) == 0 {
			return nil, fieldErr("items", "請至少勾選或輸入一項應補正事項")
		}
	}
	if strings.TrimSpace(in.Text) != "" {
		text := strings.TrimSpace(strings.ReplaceAll(in.Text, "\r\n", "\n"))
		if in.TextBasis != "" && in.TextBasis != c.Basis {
			return nil, fieldErr("text", "輸入資料已變更，文字係依先前的資料產生：請按「帶入內容」重新產生文字後再儲存")
		}
		if name, ok := LeftoverPlaceholder(text); ok {
			return nil, fieldErr("text", "文字中仍有未填入的欄位「{{%s}}」，請填入內容或刪除", name)
		}
		if len([]rune(text)) > 10000 {
			return nil, fieldErr("text", "文字過長（最多10000字）")
		}
		c.Text = text
	} else {
		text, err := Fill(tpl.Body, values)
		if err != nil {
			return nil, err
		}
		c.Text = text
	}
	c.Input.Text, c.Input.TextBasis = "", ""
	return d, nil
}

// inputDates are the dates of an Input, read once from what was typed.
type inputDates struct {
	Event, Registration, NoticeDeadline, Accepted, FixBy, ReminderServed civil.Date
}

// normalizeInput trims and checks the input and reads its dates, which it
// rewrites in ISO form (the stored input).
func normalizeInput(in *Input) (inputDates, error) {
	var dt inputDates
	k, err := ParseKind(string(in.Kind))
	if err != nil {
		return dt, err
	}
	in.Kind = k
	in.Subtype, in.Item, in.Basis = strings.TrimSpace(in.Subtype), strings.TrimSpace(in.Item), strings.TrimSpace(in.Basis)
	in.Subject, in.Note = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Note)
	in.FalseMatter, in.AmountReason = strings.TrimSpace(in.FalseMatter), strings.TrimSpace(in.AmountReason)
	in.ReminderRef, in.Applicant, in.DiscoveredBy = strings.TrimSpace(in.ReminderRef), strings.TrimSpace(in.Applicant), strings.TrimSpace(in.DiscoveredBy)
	for _, f := range []struct {
		p            *string
		d            *civil.Date
		field, label string
	}{
		{&in.EventDate, &dt.Event, "event_date", "事件發生日"}, {&in.RegistrationDate, &dt.Registration, "registration_date", "登記日期"},
		{&in.NoticeDeadline, &dt.NoticeDeadline, "notice_deadline", "通知期限"}, {&in.AcceptedDate, &dt.Accepted, "accepted_date", "受理日期"},
		{&in.FixBy, &dt.FixBy, "fix_by", "補正期限"}, {&in.ReminderServed, &dt.ReminderServed, "reminder_served", "催告書送達日"},
	} {
		t, err := parseDate(f.field, f.label, *f.p)
		if err != nil {
			return dt, err
		}
		*f.d, *f.p = t, t.ISO()
	}
	for _, s := range []struct {
		v            string
		field, label string
		max          int
	}{
		{in.Subject, "subject", "登記當事人", 60}, {in.Note, "note", "附註", 500}, {in.FalseMatter, "false_matter", "不實事項", 500},
		{in.AmountReason, "amount_reason", "裁量理由", 300}, {in.ReminderRef, "reminder_ref", "催告書字號", 60}, {in.Applicant, "applicant", "申請人", 60},
	} {
		if len([]rune(s.v)) > s.max {
			return dt, fieldErr(s.field, "%s過長（最多%d字）", s.label, s.max)
		}
	}
	switch in.Kind {
	case KindReminder:
		if in.Subtype != "" && !slices.Contains(reminderTypes(), in.Subtype) {
			return dt, fieldErr("subtype", "催告書種類「%s」不明，可用：%s", in.Subtype, strings.Join(reminderTypes(), "、"))
		}
	case KindFine:
		if !slices.Contains(FineSubtypes(), in.Subtype) {
			if in.Subtype == "" {
				return dt, fieldErr("subtype", "請選擇違規態樣：%s", strings.Join(FineSubtypes(), "、"))
			}
			return dt, fieldErr("subtype", "違規態樣「%s」不明，可用：%s", in.Subtype, strings.Join(FineSubtypes(), "、"))
		}
	case KindConfirm:
		if !slices.Contains(ConfirmSubtypes(), in.Subtype) {
			if in.Subtype == "" {
				return dt, fieldErr("subtype", "請選擇申辦事項：%s", strings.Join(ConfirmSubtypes(), "、"))
			}
			return dt, fieldErr("subtype", "申辦事項「%s」不明，可用：%s", in.Subtype, strings.Join(ConfirmSubtypes(), "、"))
		}
	case KindNotice:
		if in.Subtype == "" {
			in.Subtype = "通知申請登記"
		}
	case KindOneTime:
		in.Subtype = ""
		if in.Item == "" {
			return dt, fieldErr("item", "請選擇申辦事項（告知類別）")
		}
		if len([]rune(in.Item)) > 40 {
			return dt, fieldErr("item", "申辦事項過長（最多40字）")
		}
		var items []string
		for _, it := range in.Items {
			for _, l := range strings.Split(it, "\n") {
				if l = strings.TrimSpace(l); l != "" && !slices.Contains(items, l) {
					if len([]rune(l)) > 200 {
						return dt, fieldErr("items", "告知事項過長（每項最多200字）：%s…", string([]rune(l)[:20]))
					}
					items = append(items, l)
				}
			}
		}
		if len(items) > 30 {
			return dt, fieldErr("items", "告知事項最多30項")
		}
		in.Items = items
	}
	if in.Kind != KindOneTime && in.Item != "" {
		name, err := canonicalRegistration(in.Item)
		if err != nil {
			return dt, err
		}
		in.Item = name
	}
	if in.Kind != KindOneTime {
		in.Items = nil
	}
	switch in.Delivery {
	case "":
		if in.Kind == KindReminder || in.Kind == KindFine {
			in.Delivery = DeliveryMail
		} else {
			in.Delivery = DeliveryCounter
		}
	case DeliveryCounter, DeliveryMail:
	default:
		return dt, fieldErr("delivery", "送達方式「%s」不明：可用 counter（臨櫃交付）或 mail（郵寄送達）", in.Delivery)
	}
	if in.ReminderDays < 0 || in.ReminderDays > 90 {
		return dt, fieldErr("reminder_days", "催告期限日數%d不合理（7–90日）", in.ReminderDays)
	}
	return dt, nil
}

// resolveRecipient completes the recipient from the person register and the data
// remembered from earlier documents, and checks it.
func (s *Service) resolveRecipient(ctx context.Context, kind Kind, r Recipient) (Recipient, error) {
	r.IDNo = idno.Normalize(r.IDNo)
	r.Name, r.Address = strings.TrimSpace(r.Name), strings.TrimSpace(r.Address)
	if r.AddressKind == "" {
		r.AddressKind = "household"
	}
	if AddressLabel(r.AddressKind) == "" {
		return r, fieldErr("recipient.address_kind", "地址種類「%s」不明：可用 household（戶籍地址）、business（事務(營業)所地址）、service（指定送達地址）、current（現住地址）", r.AddressKind)
	}
	if r.IDNo == "" {
		if kind != KindOneTime {
			return r, fieldErr("recipient.id_no", "請輸入%s之統一編號", recipientWord(kind))
		}
	} else {
		if _, err := idno.Validate(r.IDNo); err != nil {
			return r, fieldErr("recipient.id_no", "%s統一編號：%v", recipientWord(kind), err)
		}
		known, err := s.LookupRecipient(ctx, r.IDNo)
		if err != nil {
			return r, err
		}
		if known != nil {
			if r.Name == "" {
				r.Name = known.Name
			}
			if r.BirthDate == "" {
				r.BirthDate = known.BirthDate
			}
			if r.Address == "" {
				r.Address = known.Address(r.AddressKind)
			}
		} else if r.Name == "" {
			return r, fieldErr("recipient.name", "統一編號 %s 查無民眾資料，請輸入%s姓名及地址", r.IDNo, recipientWord(kind))
		}
		if r.Sex == "" {
			r.Sex = idno.Sex(r.IDNo)
		}
	}
	if r.Name == "" {
		return r, fieldErr("recipient.name", "請輸入%s姓名", recipientWord(kind))
	}
	if len([]rune(r.Name)) > 60 {
		return r, fieldErr("recipient.name", "姓名過長（最多60字）")
	}
	if r.BirthDate != "" {
		b, err := parseDate("recipient.birth_date", "出生日期", r.BirthDate)
		if err != nil {
			return r, err
		}
		r.BirthDate = b.ISO()
	}
	if r.Address == "" && kind != KindOneTime {
		return r, fieldErr("recipient.address", "%s之%s無資料，請輸入地址或改選其他地址種類", recipientWord(kind), AddressLabel(r.AddressKind))
	}
	if len([]rune(r.Address)) > 200 {
		return r, fieldErr("recipient.address", "地址過長（最多200字）")
	}
	return r, nil
}

func recipientWord(k Kind) string {
	if i, ok := k.Info(); ok {
		return i.Recipient
	}
	return "受文者"
}

// Known is what ebazhao knows of a recipient: the person register, completed by
// what earlier documents used.
type Known struct {
	IDNo        string            `json:"id_no"`
	Name        string            `json:"name"`
	BirthDate   string            `json:"birth_date,omitempty"`
	Addresses   map[string]string `json:"addresses"`
	AddressKind string            `json:"address_kind,omitempty"` // used last time
	InRegister  bool              `json:"in_register"`
}

// Address returns the address of a kind.
func (k *Known) Address(kind string) string { return k.Addresses[kind] }

// LookupRecipient returns what is known of idNo, or nil.
func (s *Service) LookupRecipient(ctx context.Context, idNo string) (*Known, error) {
	idNo = idno.Normalize(idNo)
	var k *Known
	p, err := s.Persons.ByIDNo(ctx, idNo)
	switch {
	case err == nil:
		k = &Known{IDNo: p.IDNo, Name: p.Name, BirthDate: civil.Of(p.BirthDate).ISO(), InRegister: true, Addresses: map[string]string{
			"household": p.AddrHousehold, "business": p.AddrBusiness, "service": p.AddrService, "current": p.AddrCurrent}}
	case errors.Is(err, db.ErrNotFound):
	default:
		return nil, err
	}
	var name, birth, kind string
	addr := make([]string, 4)
	err = s.DB.QueryRow(ctx, `SELECT name, birth_date, addr_household, addr_business, addr_service, addr_current, address_kind
		FROM doc_recipients WHERE id_no = ?`, idNo).Scan(&name, &birth, &addr[0], &addr[1], &addr[2], &addr[3], &kind)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err == nil {
		if k == nil {
			k = &Known{IDNo: idNo, Name: name, BirthDate: birth, Addresses: map[string]string{}}
		}
		for i, a := range AddressKinds {
			if k.Addresses[a.Key] == "" {
				k.Addresses[a.Key] = addr[i]
			}
		}
		if k.BirthDate == "" {
			k.BirthDate = birth
		}
		k.AddressKind = kind
	}
	return k, nil
}

// compute runs the legal engine for the document and fills values.
func (s *Service) compute(ctx context.Context, off *office.Office, in Input, dt inputDates, issue civil.Date, tpl *Template, v map[string]string) (Facts, error) {
	f := Facts{IssueDate: issue, SealRule: sealRule(in.Kind, in.Subtype), Delivery: in.Delivery, DeadlineRule: tpl.DeadlineRule}
	ex := explain{&f}
	opts, err := s.Legal.Options(ctx, off.ID, off.City)
	if err != nil {
		return f, err
	}
	opts.Today = issue
	cal := opts.Calendar

	event, reg := dt.Event, dt.Registration
	v["事件發生日"], v["登記日期"] = event.ROC(), reg.ROC()
	v["通知事由"], v["催告種類"] = "", ""
	if !event.IsZero() && event.After(issue) {
		return f, fieldErr("event_date", "事件發生日%s不得晚於開立日%s", event.ROC(), issue.ROC())
	}
	if !reg.IsZero() && reg.After(issue) {
		return f, fieldErr("registration_date", "登記日期%s不得晚於開立日%s", reg.ROC(), issue.ROC())
	}
	if !reg.IsZero() && !event.IsZero() && event.After(reg) {
		return f, fieldErr("registration_date", "事件發生日%s不得晚於登記日期%s", event.ROC(), reg.ROC())
	}
	needReg := in.Kind == KindReminder || in.Kind == KindFine || (in.Kind == KindNotice && tpl.DeadlineRule == "legal" && in.NoticeDeadline == "")
	if needReg && in.Item == "" {
		return f, fieldErr("item", "請選擇登記項目")
	}
	if needReg && event.IsZero() {
		return f, fieldErr("event_date", "請輸入事件發生（確定）日")
	}

	basis := in.Basis
	if in.Kind == KindReminder && in.Subtype == legal.NoticeFalseApplication {
		basis = ""
	}
	var dl *legal.DeadlineResult
	falseCase := (in.Kind == KindReminder && in.Subtype == legal.NoticeFalseApplication) || (in.Kind == KindFine && in.Subtype == FineFalse)
	if in.Item != "" && !event.IsZero() && in.Kind != KindConfirm && in.Kind != KindOneTime && !falseCase {
		dl, err = legal.DeadlineCalc(opts, legal.DeadlineRequest{Registration: in.Item, Basis: basis, EventDate: legal.D(event)})
		if err != nil {
			return f, err
		}
		f.CalendarVersion = dl.CalendarVersion
		f.Registration, f.Basis, f.Law, f.LawName = dl.Registration, dl.Basis, dl.Law, dl.LawName
		f.DeadlineApplies, f.Period = dl.DeadlineApplies, dl.Period
		f.RawEnd, f.Deadline, f.MorningOnly = dl.RawEnd.Date, dl.Deadline.Date, dl.MorningOnly
		if in.Kind != KindFine { // the fine computation explains the deadline itself
			ex.steps(dl.Steps...)
			ex.cite(dl.Articles...)
			ex.warn(dl.Warnings...)
		}
		v["適用法律"] = dl.LawName
		var periodArts []string
		for _, a := range dl.Articles {
			if strings.HasPrefix(a, "戶籍法第") {
				periodArts = append(periodArts, a)
			}
		}
		v["期間條文"] = articlesLine(periodArts)
		if dl.DeadlineApplies {
			v["法定期間"] = dl.Period
			v["法定期限"] = deadlineText(dl.Deadline.Date, dl.MorningOnly)
			if err := s.penaltyValues(opts, in.Item, basis, event, dl, v); err != nil {
				return f, err
			}
		}
	}

	switch in.Kind {
	case KindNotice:
		err = s.computeNotice(cal, in, dt, issue, tpl, dl, &f, v)
	case KindReminder:
		err = s.computeReminder(opts, in, issue, basis, event, dl, &f, v)
	case KindFine:
		err = s.computeFine(opts, in, dt, issue, &f, v)
		if err == nil && in.Subtype == FineReminded {
			var ref string
			var steps []string
			if ref, steps, err = s.reminderBasis(ctx, off.ID, in, dt, issue); err == nil {
				v["催告書字號"] = ref
				ex.steps(steps...)
				ex.cite("戶籍法施行細則第19條第2項")
			}
		}
	case KindConfirm:
		err = computeConfirm(in, dt, issue, &f, v)
	case KindOneTime:
		err = computeOneTime(in, dt, issue, &f, v)
	}
	if err != nil {
		return f, err
	}
	ex.cite(tpl.Articles...)
	v["法令依據"] = articlesLine(f.Articles)
	return f, nil
}

// penaltyValues fills the late and reminded fine articles and ranges of the law
// applying to the event, by asking the engine about a case one day late and a
// case still not applied after a reminder.
func (s *Service) penaltyValues(opts legal.Options, item, basis string, event civil.Date, dl *legal.DeadlineResult, v map[string]string) error {
	late, err := legal.Fine(opts, legal.FineRequest{Registration: item, Basis: basis, EventDate: legal.D(event), ApplicationDate: legal.D(dl.Deadline.AddDays(1))})
	if err != nil {
		return err
	}
	rem, err := legal.Fine(opts, legal.FineRequest{Registration: item, Basis: basis, EventDate: legal.D(event), ApplicationDate: legal.D(dl.Deadline.AddDays(1)), RemindedAndStillNotApplied: true})
	if err != nil {
		return err
	}
	v["逾期罰則條文"], v["逾期罰鍰範圍"] = late.Article, rangeText(late.StatutoryMin, late.StatutoryMax)
	v["催告罰則條文"], v["催告罰鍰"] = rem.Article, rangeText(rem.StatutoryMin, rem.StatutoryMax)
	return nil
}

func (s *Service) computeNotice(cal *legal.Calendar, in Input, dt inputDates, issue civil.Date, tpl *Template, dl *legal.DeadlineResult, f *Facts, v map[string]string) error {
	ex := explain{f}
	v["通知事由"] = in.Subtype
	override := dt.NoticeDeadline
	var nd civil.Date
	switch rule := tpl.DeadlineRule; {
	case !override.IsZero():
		if override.Before(issue) {
			return fieldErr("notice_deadline", "通知期限%s不得早於開立日%s", override.ROC(), issue.ROC())
		}
		if ev := dt.Event; !ev.IsZero() && override.Before(ev) {
			return fieldErr("notice_deadline", "通知期限%s不得早於事件發生日%s", override.ROC(), ev.ROC())
		}
		if dl != nil && dl.DeadlineApplies && override.After(dl.Deadline.Date) {
			ex.warn(fmt.Sprintf("通知期限%s晚於法定申請期限%s，逾法定期限申請者仍屬逾期。", override.ROC(), dl.Deadline.ROC()))
		}
		nd = override
		ex.steps("通知期限由承辦人訂為" + nd.ROC() + "。")
	case rule == "legal":
		if dl == nil || !dl.DeadlineApplies {
			return fieldErr("notice_deadline", "%s無法定申請期間，請輸入通知期限", in.Item)
		}
		if dl.Deadline.Before(issue) {
			return fieldErr("event_date", "%s之法定申請期限（%s）已屆滿，請改開立戶籍催告書", in.Item, dl.Deadline.ROC())
		}
		nd = dl.Deadline.Date
		ex.steps("通知期限為法定申請期限" + deadlineText(nd, dl.MorningOnly) + "。")
	case strings.HasPrefix(rule, "days:"):
		n := strings.TrimPrefix(rule, "days:")
		pr, err := legal.AddPeriod(cal, issue, n+"日")
		if err != nil {
			return err
		}
		nd = pr.Deadline.Date
		f.CalendarVersion = pr.CalendarVersion
		ex.steps("通知期限：自開立日" + issue.ROC() + "起" + n + "日。")
		ex.steps(pr.Steps...)
		ex.cite(pr.Articles...)
		ex.warn(pr.Warnings...)
	case rule == "none":
	default:
		if slices.Contains(PlaceholdersIn(tpl.Body), "通知期限") {
			return fieldErr("notice_deadline", "請輸入通知期限")
		}
	}
	if !nd.IsZero() {
		f.NoticeDeadline = nd
		v["通知期限"] = nd.ROC()
		if dl != nil && dl.MorningOnly && nd.Equal(dl.Deadline.Date) {
			v["通知期限"] = deadlineText(nd, true)
		}
	}
	if in.Subtype == "逕為登記後通知" && in.Item != "" {
		rr, err := legal.Reminder(legal.Options{Calendar: cal}, legal.ReminderRequest{Registration: in.Item, Basis: in.Basis})
		if err != nil {
			return err
		}
		if rr.DirectRegistrationArticle == "" {
			return fieldErr("item", "%s不在戶籍法第48條之1、第48條之2所列，戶政事務所不得逕為登記", in.Item)
		}
		v["逕為登記條文"] = rr.DirectRegistrationArticle
		f.DirectArticle = "戶籍法" + rr.DirectRegistrationArticle
		explain{f}.cite(f.DirectArticle)
	}
	return nil
}

// suggestReminder is the 催告書 kind the law calls for (the clerk left it to the
// system).
func (s *Service) suggestReminder(ctx context.Context, off *office.Office, in Input, dt inputDates, issue civil.Date) (string, error) {
	if in.Item == "" {
		return "", fieldErr("item", "請選擇登記項目")
	}
	event := dt.Event
	opts, err := s.Legal.Options(ctx, off.ID, off.City)
	if err != nil {
		return "", err
	}
	opts.Today = issue
	rr, err := legal.Reminder(opts, legal.ReminderRequest{Registration: in.Item, Basis: in.Basis, EventDate: legal.D(event), Justified: in.Justified})
	if err != nil {
		return "", err
	}
	if rr.NoticeType == nil {
		return "", fieldErr("item", "%s無須催告：%s", in.Item, strings.Join(rr.Steps, ""))
	}
	return *rr.NoticeType, nil
}

func (s *Service) computeReminder(opts legal.Options, in Input, issue civil.Date, basis string, event civil.Date, dl *legal.DeadlineResult, f *Facts, v map[string]string) error {
	ex := explain{f}
	req := legal.ReminderRequest{Registration: in.Item, Basis: basis, EventDate: legal.D(event), Justified: in.Justified}
	if in.Subtype == legal.NoticeFalseApplication {
		req.Basis = "故意不實申請"
	}
	rr, err := legal.Reminder(opts, req)
	if err != nil {
		return err
	}
	if rr.NoticeType != nil {
		f.SuggestedType = *rr.NoticeType
	}
	typ := in.Subtype
	if typ == "" {
		if rr.NoticeType == nil {
			return fieldErr("subtype", "%s無須催告：%s", in.Item, strings.Join(rr.Steps, ""))
		}
		typ = *rr.NoticeType
	}
	f.ReminderType = typ
	f.SealRule = sealRule(KindReminder, typ)
	if typ != legal.NoticeFalseApplication {
		switch {
		case !rr.DeadlineApplies:
			return fieldErr("item", "%s無法定申請期間，無須催告，亦無逾期罰鍰", in.Item)
		case rr.DirectRegistrationWithoutReminder:
			return fieldErr("item", "%s依戶籍法%s免經催告，由戶政事務所逕行為之，無須開立催告書", in.Item, rr.DirectRegistrationArticle)
		case (typ == legal.NoticeDirectRegistration || typ == legal.NoticeDirectRegistrationAnd) && !rr.DirectRegistrationAfterReminder:
			return fieldErr("subtype", "%s不在戶籍法第48條之2所列，經催告仍不申請者戶政事務所不得逕為登記，不得開立「%s」；依法應開立「%s」", in.Item, typ, f.SuggestedType)
		case (typ == legal.NoticeFine || typ == legal.NoticeDirectRegistrationAnd) && !rr.FineApplicable:
			return fieldErr("subtype", "逾期有正當理由者不予處罰，不得開立「%s」；依法應開立「%s」", typ, f.SuggestedType)
		}
		if dl == nil {
			return fieldErr("event_date", "請輸入事件發生（確定）日")
		}
		if !issue.After(dl.Deadline.Date) {
			return fieldErr("event_date", "%s之法定申請期限（%s）尚未屆滿，尚不得催告；請改開立戶籍通知書", in.Item, dl.Deadline.ROC())
		}
		if typ != f.SuggestedType {
			ex.warn(fmt.Sprintf("依戶籍法規定本件宜開立「%s」，承辦人選擇「%s」。", f.SuggestedType, typ))
		}
	}
	ex.steps(rr.Steps...)
	ex.cite(rr.Articles...)
	days := in.ReminderDays
	if days == 0 {
		days = legal.MinReminderDays
	}
	rd, err := legal.ReminderDeadline(opts, legal.ReminderDeadlineRequest{ServedDate: legal.D(issue), MinDays: days})
	if err != nil {
		var ie *legal.InputError
		if errors.As(err, &ie) {
			return fieldErr("reminder_days", "%s", ie.Message)
		}
		return err
	}
	f.ReminderDays = days
	f.CalendarVersion = rd.CalendarVersion
	v["催告種類"] = legal.NoticeTypeLabel(typ)
	v["催告日數"] = strconv.Itoa(days)
	if in.Delivery == DeliveryCounter {
		f.ServedDate = issue
		f.ReminderDeadline = rd.EarliestDeadline.Date
		v["催告期限附註"] = "（即" + deadlineText(rd.EarliestDeadline.Date, rd.MorningOnly) + "以前）"
		ex.steps("本催告書於" + issue.ROC() + "臨櫃交付受催告人。")
		ex.steps(rd.Steps...)
	} else {
		ex.steps("本催告書郵寄送達，催告期限自送達之次日起算" + strconv.Itoa(days) + "日（戶籍法施行細則第19條第2項），送達日以送達證書為準。")
	}
	ex.cite(rd.Articles...)
	if rr.DirectRegistrationArticle != "" {
		v["逕為登記條文"] = rr.DirectRegistrationArticle
		f.DirectArticle = "戶籍法" + rr.DirectRegistrationArticle
	}
	v["罰則條文"] = rr.FineArticle
	f.FineArticle = rr.FineArticle
	if rr.FineRange != nil {
		f.StatutoryMin, f.StatutoryMax = rr.FineRange[0], rr.FineRange[1]
		v["罰鍰範圍"] = rangeText(rr.FineRange[0], rr.FineRange[1])
	}
	v["不實事項"] = in.FalseMatter
	return nil
}

func (s *Service) computeFine(opts legal.Options, in Input, dt inputDates, issue civil.Date, f *Facts, v map[string]string) error {
	ex := explain{f}
	event, reg := dt.Event, dt.Registration
	var std *int
	var how string
	switch in.Subtype {
	case FineLate, FineReminded:
		if reg.IsZero() {
			return fieldErr("registration_date", "請輸入申請（登記）日期")
		}
		fr, err := legal.Fine(opts, legal.FineRequest{Registration: in.Item, Basis: in.Basis, EventDate: legal.D(event), ApplicationDate: legal.D(reg),
			RemindedAndStillNotApplied: in.Subtype == FineReminded, Justified: in.Justified})
		if err != nil {
			return err
		}
		ex.steps(fr.Steps...)
		ex.cite(fr.Articles...)
		ex.warn(fr.Warnings...)
		switch {
		case !fr.DeadlineApplies:
			return fieldErr("item", "%s無法定申請期間，不生逾期罰鍰，不得裁處", in.Item)
		case !fr.Late:
			return fieldErr("registration_date", "申請日%s未逾法定申請期限%s，不得裁處罰鍰", reg.ROC(), fr.Deadline.ROC())
		case in.Justified:
			return fieldErr("justified", "逾期有正當理由者，依%s不予處罰，無須開立罰鍰裁處書", fr.Article)
		}
		f.OverdueDays = fr.OverdueDays
		f.StatutoryMin, f.StatutoryMax, f.FineArticle, f.Tier, f.Standard = fr.StatutoryMin, fr.StatutoryMax, fr.Article, fr.Tier, fr.Standard
		std = fr.Fine
		v["逾期日數"] = strconv.Itoa(fr.OverdueDays)
		v["催告書字號"] = in.ReminderRef
	case FineFalse:
		how = in.DiscoveredBy
		fa, err := legal.FalseApplicationFine(opts, legal.FalseApplicationRequest{DiscoveredBy: how, EventDate: legal.D(event), DecisionDate: legal.D(issue)})
		if err != nil {
			var ie *legal.InputError
			if errors.As(err, &ie) {
				return fieldErr("discovered_by", "%s", ie.Message)
			}
			return err
		}
		ex.steps(fa.Steps...)
		ex.cite(fa.Articles...)
		f.Law, f.LawName = fa.Law, fa.LawName
		f.StatutoryMin, f.StatutoryMax, f.FineArticle, f.Standard = fa.StatutoryRange[0], fa.StatutoryRange[1], fa.Article, fa.Standard
		f.Tier = "不實申請經「" + how + "」"
		std = fa.Fine
		v["適用法律"] = fa.LawName
		v["查獲方式"], v["不實事項"] = how, in.FalseMatter
	}
	lim, err := fineLimitation(in, dt, issue)
	if err != nil {
		return err
	}
	if lim != nil {
		ex.steps(lim.Steps...)
		ex.cite(lim.Articles...)
		ex.warn(lim.Warnings...)
		f.LapseDate = lim.LapseDate
	}
	f.StandardFine = std
	amount := 0
	switch {
	case in.Amount != nil:
		amount = *in.Amount
	case std != nil:
		amount = *std
	default:
		return fieldErr("amount", "%s之裁罰基準金額未能查得，請輸入罰鍰金額（法定範圍%s，%s）", f.LawName, rangeText(f.StatutoryMin, f.StatutoryMax), f.FineArticle)
	}
	if amount <= 0 || amount < f.StatutoryMin || amount > f.StatutoryMax {
		return fieldErr("amount", "罰鍰金額%s超出法定範圍（%s，%s）", money(amount), rangeText(f.StatutoryMin, f.StatutoryMax), f.FineArticle)
	}
	reason := in.AmountReason
	var explainText string
	switch {
	case std != nil && amount == *std:
		switch {
		case in.Subtype == FineReminded && f.StatutoryMin == f.StatutoryMax:
			explainText = "經催告而仍不為申請者，法定罰鍰為" + money(amount) + "，爰處" + money(amount) + "。"
		case f.Standard != "":
			explainText = "依" + f.Standard + "，" + f.Tier + "者，處" + money(amount) + "。"
		default:
			explainText = "依法處" + money(amount) + "。"
		}
	case std != nil:
		if reason == "" {
			return fieldErr("amount_reason", "罰鍰金額%s與裁罰基準金額%s不同，請填寫裁量理由", money(amount), money(*std))
		}
		explainText = "依" + orDefault(f.Standard, "裁罰基準") + "，本件基準金額為" + money(*std) + "；惟" + strings.TrimSuffix(reason, "。") + "，爰於法定範圍內處" + money(amount) + "。"
		ex.steps("承辦人裁量：" + reason + "，罰鍰由" + money(*std) + "改為" + money(amount) + "。")
	default:
		// No 裁罰基準 amount for the law applied (the old-law tables were not
		// found): the decision states the discretion exercised, never an internal note.
		if reason == "" {
			reason = "審酌受處分人違反義務情節"
			if f.OverdueDays > 0 {
				reason += "（逾期" + strconv.Itoa(f.OverdueDays) + "日）"
			}
		}
		explainText = strings.TrimSuffix(reason, "。") + "，爰依" + citeArticle(f) + "規定，於法定範圍內處" + money(amount) + "。"
		ex.steps("本件無可適用之裁罰基準金額，承辦人於法定範圍內裁量處" + money(amount) + "。")
	}
	if f.Law == legal.LawOld {
		// 行政罰法第5條: the law at the time of the act, when more favourable, cited as 修正前.
		explainText = "依行政罰法第5條規定，行為後法律有變更者，適用裁處時之法律，但裁處前之法律有利於受處罰者，適用最有利於受處罰者之規定；本件行為時之" +
			citeArticle(f) + "（處" + rangeText(f.StatutoryMin, f.StatutoryMax) + "罰鍰）較現行規定有利於受處分人，爰予適用。" + explainText
		ex.cite("行政罰法第5條")
		if pa := v["期間條文"]; pa != "" && !strings.Contains(pa, "修正前") {
			v["期間條文"] = strings.ReplaceAll(pa, "戶籍法第", "修正前戶籍法第")
		}
	}
	f.Fine = amount
	v["罰鍰金額"] = money(amount)
	v["罰則條文"] = citeArticle(f)
	v["罰鍰範圍"] = rangeText(f.StatutoryMin, f.StatutoryMax)
	v["裁罰說明"] = explainText
	if v["適用法律"] == "" {
		v["適用法律"] = f.LawName
	}
	ex.cite("行政罰法第44條", "戶籍法第81條")
	return nil
}

// citeArticle is the fine's article as a decision cites it: an article of the law
// no longer in force is 修正前戶籍法第53條前段 (行政罰法第5條).
func citeArticle(f *Facts) string {
	if f.Law == legal.LawOld && strings.HasPrefix(f.FineArticle, "戶籍法") {
		return "修正前" + f.FineArticle
	}
	return f.FineArticle
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func computeConfirm(in Input, dt inputDates, issue civil.Date, f *Facts, v map[string]string) error {
	acc := dt.Accepted
	if acc.IsZero() {
		return fieldErr("accepted_date", "請輸入受理日期")
	}
	if acc.After(issue) {
		return fieldErr("accepted_date", "受理日期%s不得晚於開立日%s", acc.ROC(), issue.ROC())
	}
	applicant := in.Applicant
	if applicant == "" {
		applicant = in.Recipient.Name
	}
	v["受理日期"], v["申請人"], v["申辦事項"] = acc.ROC(), applicant, in.Subtype
	f.Steps = append(f.Steps, "本所於"+acc.ROC()+"受理"+applicant+"申請"+in.Subtype+"，以戶籍通知單通知當事人確認申請案之真實性（作業規範 叁.二(五)）。")
	return nil
}

func computeOneTime(in Input, dt inputDates, issue civil.Date, f *Facts, v map[string]string) error {
	v["申辦事項"] = in.Item
	fix := dt.FixBy
	if !fix.IsZero() {
		if fix.Before(issue) {
			return fieldErr("fix_by", "補正期限%s不得早於開立日%s", fix.ROC(), issue.ROC())
		}
		v["補正期限附註"] = "（補正期限：" + fix.ROC() + "）"
	}
	f.Steps = append(f.Steps, "申請手續不全者，戶政事務所應一次告知補正（戶籍法施行細則第20條）。")
	f.Articles = append(f.Articles, "戶籍法施行細則第20條")
	return nil
}
