// Package notice issues the administrative documents of 戶籍行政 (行政管理子系統,
// 作業規範 叁.二(二)–(五)): 戶籍通知書, 戶籍催告書 (five kinds, with a 送達證書
// when mailed), 罰鍰裁處書, 一次告知單 and 戶籍通知單.
//
// A clerk enters only the recipient, the registration item and the dates; the
// legal engine (package legal) computes deadlines, reminder rules and fines with
// the office's calendar and 裁罰基準, and the text is filled from the template in
// force (templates are versioned, maintained by supervisors). The filled text
// stays editable before saving. Saving numbers the document gaplessly per office,
// kind and ROC year (seqno) in the same transaction that stores it; the stored
// content keeps what was computed and the calendar version used, so a later
// calendar revision never changes a printed deadline. After saving, only the
// issuing clerk may amend (every amendment is a new version, audited); nothing is
// deleted, a document can be cancelled (作廢) with a reason and keeps its number.
package notice

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/civil"
)

// Kind is a document kind.
type Kind string

// The document kinds.
const (
	KindNotice   Kind = "notice"   // 戶籍通知書
	KindReminder Kind = "reminder" // 戶籍催告書
	KindFine     Kind = "fine"     // 罰鍰裁處書
	KindOneTime  Kind = "onetime"  // 一次告知單
	KindConfirm  Kind = "confirm"  // 戶籍通知單
)

// KindInfo describes a document kind.
type KindInfo struct {
	Kind      Kind   `json:"kind"`
	Label     string `json:"label"`     // 戶籍催告書
	Title     string `json:"title"`     // printed heading
	Word      string `json:"word"`      // the 字 of the document number: 中市西屯戶催字第…號
	Recipient string `json:"recipient"` // what the recipient is called on the document
	Subtypes  string `json:"subtypes"`  // what the subtype means for this kind ("" = none)
	Keys      string `json:"keys"`      // access key on the issue page
}

var kindInfos = []KindInfo{
	{KindNotice, "戶籍通知書", "戶籍通知書", "戶通", "受通知人", "通知事由", "1"},
	{KindReminder, "戶籍催告書", "戶籍催告書", "戶催", "受催告人", "催告書種類", "2"},
	{KindFine, "罰鍰裁處書", "戶籍罰鍰裁處書", "戶罰", "受處分人", "違規態樣", "3"},
	{KindOneTime, "一次告知單", "戶籍登記一次告知單", "戶告", "申請人", "", "4"},
	{KindConfirm, "戶籍通知單", "戶籍通知單", "戶單", "當事人", "申辦事項", "5"},
}

// Kinds lists the document kinds in menu order.
func Kinds() []KindInfo { return slices.Clone(kindInfos) }

// Info returns the description of k.
func (k Kind) Info() (KindInfo, bool) {
	for _, i := range kindInfos {
		if i.Kind == k {
			return i, true
		}
	}
	return KindInfo{}, false
}

// Label is the Chinese name of k.
func (k Kind) Label() string {
	if i, ok := k.Info(); ok {
		return i.Label
	}
	return string(k)
}

// ParseKind checks a kind name.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.TrimSpace(s))
	if _, ok := k.Info(); ok {
		return k, nil
	}
	var names []string
	for _, i := range kindInfos {
		names = append(names, string(i.Kind)+"（"+i.Label+"）")
	}
	return "", fieldErr("kind", "文書種類「%s」不明，可用：%s", s, strings.Join(names, "、"))
}

// Fine decision subtypes (違規態樣).
const (
	FineLate     = "逾期申請"    // 戶籍法第79條前段 (old law 第53條前段)
	FineReminded = "經催告仍不申請" // 戶籍法第79條後段 (old law 第53條後段)
	FineFalse    = "故意不實申請"  // 戶籍法第76條 (old law 第54條)
	confirmID    = "補領國民身分證" // 戶籍通知單 subjects (作業規範 叁.二(五))
	confirmSeal  = "印鑑登記"
	confirmSealC = "印鑑變更"
	confirmProxy = "委託戶籍登記"
)

// FineSubtypes lists the fine decision subtypes.
func FineSubtypes() []string { return []string{FineLate, FineReminded, FineFalse} }

// ConfirmSubtypes lists what a 戶籍通知單 confirms.
func ConfirmSubtypes() []string { return []string{confirmID, confirmSeal, confirmSealC, confirmProxy} }

// Delivery is how a document reaches its recipient.
const (
	DeliveryCounter = "counter" // 臨櫃交付
	DeliveryMail    = "mail"    // 郵寄送達 (with a 送達證書 for reminders and fines)
)

// DeliveryLabel is the Chinese name of a delivery.
func DeliveryLabel(s string) string {
	if s == DeliveryMail {
		return "郵寄送達"
	}
	return "臨櫃交付"
}

// AddressKind is one of the four address kinds of the person register.
type AddressKind struct{ Key, Label string }

// AddressKinds are 戶籍地址, 事務(營業)所地址, 指定送達地址, 現住地址 (作業規範 叁.二(二)6).
var AddressKinds = []AddressKind{
	{"household", "戶籍地址"}, {"business", "事務(營業)所地址"}, {"service", "指定送達地址"}, {"current", "現住地址"},
}

// AddressLabel is the Chinese name of an address kind.
func AddressLabel(key string) string {
	for _, a := range AddressKinds {
		if a.Key == key {
			return a.Label
		}
	}
	return ""
}

// Recipient is who the document is addressed to.
type Recipient struct {
	IDNo        string `json:"id_no,omitempty"`
	Name        string `json:"name"`
	BirthDate   string `json:"birth_date,omitempty"` // ISO
	Sex         string `json:"sex,omitempty"`
	AddressKind string `json:"address_kind,omitempty"`
	Address     string `json:"address,omitempty"`
}

// Input is what the clerk enters (作業規範: 受通知人基本資料、登記項目、事件發生日、
// 登記日期及通知期限 …). Dates are ROC dates as typed (113.7.7, 1130707) or ISO.
type Input struct {
	Kind Kind `json:"kind"`
	// Subtype: 通知事由 (notice), one of the five 催告書種類 (reminder), 違規態樣
	// (fine), 申辦事項 (confirm); empty for one-time notices.
	Subtype string `json:"subtype,omitempty"`
	// Item: the registration item (登記項目, e.g. 出生登記); for a one-time notice
	// the category (告知類別) whose quick package is used.
	Item  string `json:"item,omitempty"`
	Basis string `json:"basis,omitempty"` // 登記依據 (判決確定, 國外 …) where the law distinguishes
	// Subject is the person the registration is about when not the recipient (登記當事人,
	// e.g. the deceased).
	Subject          string    `json:"subject,omitempty"`
	EventDate        string    `json:"event_date,omitempty"`        // 事件發生（確定）日
	RegistrationDate string    `json:"registration_date,omitempty"` // 登記（申請）日期
	NoticeDeadline   string    `json:"notice_deadline,omitempty"`   // 通知期限, when the clerk sets it
	ReminderDays     int       `json:"reminder_days,omitempty"`     // 催告期限（日數, ≥ 7）
	Delivery         string    `json:"delivery,omitempty"`          // counter | mail
	Justified        bool      `json:"justified,omitempty"`         // 逾期有正當理由
	DiscoveredBy     string    `json:"discovered_by,omitempty"`     // 不實申請查獲方式
	FalseMatter      string    `json:"false_matter,omitempty"`      // 不實事項
	Amount           *int      `json:"amount,omitempty"`            // 罰鍰金額, when not the 基準 amount
	AmountReason     string    `json:"amount_reason,omitempty"`     // why the amount departs from the 基準
	ReminderRef      string    `json:"reminder_ref,omitempty"`      // 催告書文號 (fine after a reminder): this office's, or another authority's
	ReminderServed   string    `json:"reminder_served,omitempty"`   // another authority's reminder: the day its service took effect
	AcceptedDate     string    `json:"accepted_date,omitempty"`     // 受理日期 (戶籍通知單)
	Applicant        string    `json:"applicant,omitempty"`         // 申請人 (戶籍通知單)
	Items            []string  `json:"items,omitempty"`             // 一次告知單: the items to supplement
	FixBy            string    `json:"fix_by,omitempty"`            // 一次告知單: 補正期限 (optional)
	Note             string    `json:"note,omitempty"`              // 附註
	Recipient        Recipient `json:"recipient"`
	// Text is the filled text as the clerk edited it; empty fills it from the template.
	Text string `json:"text,omitempty"`
	// TextBasis is the fingerprint of the input the text was filled for (from a
	// preview); when given it must match, so a text is never saved for other dates.
	TextBasis string `json:"text_basis,omitempty"`
}

// Facts is what was computed for a document, stored with it and never recomputed.
type Facts struct {
	IssueDate        civil.Date `json:"issue_date"`
	Registration     string     `json:"registration,omitempty"`
	Basis            string     `json:"basis,omitempty"`
	Law              string     `json:"law,omitempty"`
	LawName          string     `json:"law_name,omitempty"`
	DeadlineApplies  bool       `json:"deadline_applies,omitempty"`
	Period           string     `json:"period,omitempty"`
	RawEnd           civil.Date `json:"raw_end,omitzero"`
	Deadline         civil.Date `json:"deadline,omitzero"` // legal deadline (法定期限)
	MorningOnly      bool       `json:"morning_only,omitempty"`
	NoticeDeadline   civil.Date `json:"notice_deadline,omitzero"`
	DeadlineRule     string     `json:"deadline_rule,omitempty"`
	ReminderType     string     `json:"reminder_type,omitempty"`
	SuggestedType    string     `json:"suggested_type,omitempty"`
	DirectArticle    string     `json:"direct_article,omitempty"`
	ReminderDays     int        `json:"reminder_days,omitempty"`
	Delivery         string     `json:"delivery,omitempty"`
	ServedDate       civil.Date `json:"served_date,omitzero"`
	ReminderDeadline civil.Date `json:"reminder_deadline,omitzero"`
	OverdueDays      int        `json:"overdue_days,omitempty"`
	LapseDate        civil.Date `json:"lapse_date,omitzero"` // 裁處權時效末日 (行政罰法第27條)
	Fine             int        `json:"fine,omitempty"`
	StandardFine     *int       `json:"standard_fine,omitempty"`
	StatutoryMin     int        `json:"statutory_min,omitempty"`
	StatutoryMax     int        `json:"statutory_max,omitempty"`
	FineArticle      string     `json:"fine_article,omitempty"`
	Tier             string     `json:"tier,omitempty"`
	Standard         string     `json:"standard,omitempty"`
	SealRule         string     `json:"seal_rule"`
	CalendarVersion  string     `json:"calendar_version,omitempty"`
	Steps            []string   `json:"steps,omitempty"`
	Articles         []string   `json:"articles,omitempty"`
	Warnings         []string   `json:"warnings,omitempty"`
}

// Content is one version of a document: what was entered, what was computed,
// the template version used and the final text.
type Content struct {
	Input           Input     `json:"input"`
	Recipient       Recipient `json:"recipient"`
	Facts           Facts     `json:"facts"`
	TemplateID      int64     `json:"template_id"`
	TemplateVersion int       `json:"template_version"`
	TemplateName    string    `json:"template_name"`
	Text            string    `json:"text"`
	Items           []string  `json:"items,omitempty"`
	Basis           string    `json:"basis"` // fingerprint of the input
	// Values are the placeholder values the text was filled with.
	Values map[string]string `json:"values,omitempty"`
}

// FieldError is bad input; Message is a Chinese sentence naming the field.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Message }

func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// IsInputError reports whether err is a message for the user (bad input).
func IsInputError(err error) bool {
	var fe *FieldError
	return errors.As(err, &fe) || legal.IsInputError(err)
}

// ErrForbidden is returned when the actor may not change a document.
var ErrForbidden = errors.New("forbidden")

// ForbiddenError explains why a change was refused.
type ForbiddenError struct{ Message string }

func (e *ForbiddenError) Error() string { return e.Message }
func (e *ForbiddenError) Unwrap() error { return ErrForbidden }

// ConflictError is a change the document's state does not allow.
type ConflictError struct{ Message string }

func (e *ConflictError) Error() string { return e.Message }

// Issued is reported to OnIssued after a document is committed.
type Issued struct {
	DocumentID    int64
	Kind          Kind
	DocNo         string
	OfficeID      int64
	CounterID     int64
	UserID        int64
	Username      string
	RecipientIDNo string
	RecipientName string
	IssuedAt      time.Time
}

// Show returns an input date as the form shows it (113.07.07) or the value as typed.
func (in Input) Show(field string) string {
	var v string
	switch field {
	case "event_date":
		v = in.EventDate
	case "registration_date":
		v = in.RegistrationDate
	case "notice_deadline":
		v = in.NoticeDeadline
	case "accepted_date":
		v = in.AcceptedDate
	case "fix_by":
		v = in.FixBy
	case "birth_date":
		v = in.Recipient.BirthDate
	}
	if t, err := civil.ParseISO(v); err == nil {
		return t.ROCShort()
	}
	return v
}

// HasItem reports whether a one-time notice item is chosen.
func (in Input) HasItem(s string) bool { return slices.Contains(in.Items, s) }

// AmountText is the typed amount or "".
func (in Input) AmountText() string {
	if in.Amount == nil {
		return ""
	}
	return fmt.Sprint(*in.Amount)
}

// Day prints a date of the content as 民國113年7月7日 ("" when zero).
func (c *Content) Day(d civil.Date) string { return d.ROCLong() }

// FineText prints the fine as 新臺幣900元.
func (f Facts) FineText() string { return money(f.Fine) }

// RangeText prints the statutory range of the fine.
func (f Facts) RangeText() string { return rangeText(f.StatutoryMin, f.StatutoryMax) }
