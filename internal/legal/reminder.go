package legal

import (
	"strconv"
	"strings"
)

// The five kinds of 戶籍催告書 (reminder notices) of the 作業規範 (叁二(三)2).
const (
	NoticeReminderOnly          = "僅催告"
	NoticeDirectRegistration    = "催告後逕為登記"
	NoticeFine                  = "催告後罰鍰"
	NoticeDirectRegistrationAnd = "催告後逕為登記及罰鍰"
	NoticeFalseApplication      = "故意不實申請催告撤銷"
)

// NoticeTypes lists the five reminder notice kinds in the 作業規範 order.
func NoticeTypes() []string {
	return []string{NoticeReminderOnly, NoticeDirectRegistration, NoticeFine, NoticeDirectRegistrationAnd, NoticeFalseApplication}
}

// NoticeTypeLabel is the full label printed by the original system.
func NoticeTypeLabel(t string) string {
	switch t {
	case NoticeFine, NoticeDirectRegistrationAnd:
		return t + "（逾期申請或催告）"
	case NoticeFalseApplication:
		return t + "（故意不實）"
	}
	return t
}

// ReminderRequest is the input of the `reminder` kind.
type ReminderRequest struct {
	Registration string `json:"registration"`
	Basis        string `json:"basis,omitempty"`
	// EventDate (optional) selects the law version for the fine article.
	EventDate Date `json:"event_date,omitempty"`
	// Justified: the delay had a 正當理由, so no fine.
	Justified bool `json:"justified,omitempty"`
}

// ReminderResult is the result of the `reminder` kind.
type ReminderResult struct {
	Registration                      string   `json:"registration"`
	Basis                             string   `json:"basis"`
	DeadlineApplies                   bool     `json:"deadline_applies"`
	ReminderRequired                  bool     `json:"reminder_required"`
	DirectRegistrationAfterReminder   bool     `json:"direct_registration_after_reminder"`
	DirectRegistrationWithoutReminder bool     `json:"direct_registration_without_reminder"`
	DirectRegistrationArticle         string   `json:"direct_registration_article"`
	FineApplicable                    bool     `json:"fine_applicable"`
	NoticeType                        *string  `json:"notice_type"`
	NoticeLabel                       string   `json:"notice_label,omitempty"`
	Action                            string   `json:"action,omitempty"`
	FineArticle                       string   `json:"fine_article,omitempty"`
	FineRange                         *[2]int  `json:"fine_range,omitempty"`
	MinReminderDays                   int      `json:"min_reminder_days,omitempty"`
	Steps                             []string `json:"steps"`
	Articles                          []string `json:"articles"`
}

func strp(s string) *string { return &s }

// Reminder answers, for a registration kind, whether the office must remind in
// writing (戶籍法第48條第3項), may register by itself after (第48條之2) or without
// (第48條之1) a reminder, whether a fine applies, and which notice fits.
func Reminder(opts Options, in ReminderRequest) (*ReminderResult, error) {
	reg, basis, err := lookupRegistration(in.Registration, in.Basis)
	if err != nil {
		return nil, err
	}
	rs := rules()
	event := in.EventDate.Date
	if event.IsZero() {
		event = opts.today()
	}
	law := lawFor(event)
	eff, distinguished := reg.effectiveBasis(basis)
	res := &ReminderResult{Registration: reg.Name, Basis: eff}
	var e explain
	title := reg.Name
	if eff != "" {
		title += "（" + eff + "）"
	}
	if basis != "" && !distinguished && basis != "故意不實申請" {
		e.step("登記依據「%s」對%s無不同規定，依一般規定判斷。", basis, reg.Name)
	}
	st := rs.statute(law.ID)
	dr, hasDirect := reg.direct(eff)
	directText := func() string {
		return "戶籍法" + dr.Article + "（" + rs.reg.Provisions[dr.Article] + "）"
	}
	if basis == "故意不實申請" {
		res.Basis = basis
		res.DeadlineApplies = true
		res.ReminderRequired = true
		rv := rs.reg.byName["撤銷登記"]
		rd, _ := rv.direct("")
		res.DirectRegistrationAfterReminder = true
		res.DirectRegistrationArticle = rd.Article
		res.FineApplicable = true
		res.NoticeType = strp(NoticeFalseApplication)
		res.NoticeLabel = NoticeTypeLabel(NoticeFalseApplication)
		res.FineArticle = st.FalseApplication.Article
		res.FineRange = &[2]int{st.FalseApplication.Min, st.FalseApplication.Max}
		res.Action = "催告申請人申請撤銷不實之登記（戶籍法第23條）；逾期仍不申請者，由戶政事務所逕為撤銷登記（戶籍法" + rd.Article + "），並依" + st.FalseApplication.Article + "處罰鍰"
		res.MinReminderDays = 7
		e.cite("戶籍法第23條", "戶籍法第48條第3項", "戶籍法"+rd.Article, st.FalseApplication.Article, "戶籍法施行細則第19條")
		e.step("%s係故意為不實之申請：該登記應予撤銷（戶籍法第23條），應以書面催告應為申請之人申請撤銷登記（戶籍法第48條第3項）。", reg.Name)
		e.step("經催告仍不申請者，戶政事務所應逕為撤銷登記（戶籍法%s）。", rd.Article)
		e.step("並依%s處新臺幣%d元以上%d元以下罰鍰（依查獲方式：自動申請更正、戶政人員發現、被人檢舉）。", st.FalseApplication.Article, st.FalseApplication.Min, st.FalseApplication.Max)
		e.step("催告書種類：%s。", NoticeTypeLabel(NoticeFalseApplication))
		res.Steps, res.Articles = e.steps, nonNil(e.articles)
		return res, nil
	}
	p, ok := reg.period(law.ID, eff, event)
	res.DeadlineApplies = ok && !p.NoDeadline
	if !res.DeadlineApplies {
		if ok {
			e.cite(p.Articles...)
			e.step("%s", p.Reason)
		}
		e.step("%s無法定申請期間，無須催告，亦無逾期罰鍰；戶政事務所不得逕為登記。", title)
		res.Steps, res.Articles = e.steps, nonNil(e.articles)
		return res, nil
	}
	e.cite(p.Articles...)
	e.step("%s應於%s內申請（%s）。", title, p.period.String(), strings.Join(p.Articles, "、"))
	if hasDirect {
		res.DirectRegistrationArticle = dr.Article
		e.cite("戶籍法" + dr.Article)
	}
	if hasDirect && dr.Mode == "without_reminder" {
		res.DirectRegistrationWithoutReminder = true
		e.step("依%s，戶政事務所查有不於法定期間申請者，免經催告，逕行為之；無須催告。", directText())
	} else {
		res.ReminderRequired = true
		res.MinReminderDays = 7
		e.cite("戶籍法第48條第3項", "戶籍法施行細則第19條")
		e.step("逾期未申請者，戶政事務所應以書面催告應為申請之人（戶籍法第48條第3項）；催告期限不得少於7日，催告書應送達應為申請之人（戶籍法施行細則第19條第2項）。")
		if hasDirect {
			res.DirectRegistrationAfterReminder = true
			e.step("經催告仍不申請者，戶政事務所應逕行為之（%s）；催告書應載明逾期將逕為登記（戶籍法施行細則第19條第3項）。", directText())
		} else {
			e.step("本登記不在戶籍法第48條之1、第48條之2所列，戶政事務所不得逕為登記。")
		}
	}
	res.FineApplicable = !in.Justified
	if res.FineApplicable {
		res.FineArticle = st.Late.Article
		e.cite(st.Late.Article)
		e.step("無正當理由逾期申請者，依%s處罰鍰（%s）；經催告仍不申請者，依%s處罰鍰。", st.Late.Article, rangeText(st.Late), st.Reminded.Article)
		if res.DirectRegistrationWithoutReminder {
			e.warn("戶政事務所得逕行為之之登記，是否仍對申請人裁處逾期罰鍰，法無明文，請承辦人審酌。")
		}
	} else {
		e.step("逾期有正當理由，不予處罰（%s以無正當理由為要件）。", st.Late.Article)
	}
	if res.ReminderRequired {
		var n string
		switch {
		case res.DirectRegistrationAfterReminder && res.FineApplicable:
			n = NoticeDirectRegistrationAnd
		case res.DirectRegistrationAfterReminder:
			n = NoticeDirectRegistration
		case res.FineApplicable:
			n = NoticeFine
		default:
			n = NoticeReminderOnly
		}
		res.NoticeType = strp(n)
		res.NoticeLabel = NoticeTypeLabel(n)
		stamp := "加蓋機關印信及主任簽字章"
		if n == NoticeReminderOnly {
			stamp = "加蓋機關條戳"
		}
		e.step("催告書種類：%s；%s寄發，並留存一份備查；郵寄者應附送達證書。", NoticeTypeLabel(n), stamp)
	} else {
		e.step("無須開立催告書。")
	}
	res.Steps, res.Articles = e.steps, nonNil(e.articles)
	return res, nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func rangeText(r statuteRange) string {
	switch {
	case r.Min == r.Max:
		return "新臺幣" + itoa(r.Min) + "元"
	case r.Min == 0:
		return "新臺幣" + itoa(r.Max) + "元以下"
	}
	return "新臺幣" + itoa(r.Min) + "元以上" + itoa(r.Max) + "元以下"
}

// ReminderDeadlineRequest is the input of the `reminder-deadline` kind.
type ReminderDeadlineRequest struct {
	ServedDate Date `json:"served_date"`
	MinDays    int  `json:"min_days"`
}

// ReminderDeadlineResult is the result of the `reminder-deadline` kind.
type ReminderDeadlineResult struct {
	ServedDate          Date     `json:"served_date"`
	MinDays             int      `json:"min_days"`
	EarliestDeadlineRaw Date     `json:"earliest_deadline_raw"`
	EarliestDeadline    Date     `json:"earliest_deadline"`
	Extended            bool     `json:"extended"`
	MorningOnly         bool     `json:"morning_only"`
	CalendarVersion     string   `json:"calendar_version"`
	Warnings            []string `json:"warnings,omitempty"`
	Steps               []string `json:"steps"`
	Articles            []string `json:"articles"`
}

// MinReminderDays is the shortest lawful reminder period (戶籍法施行細則第19條第2項).
const MinReminderDays = 7

// ReminderDeadline is the earliest lawful deadline of a reminder served on a day:
// at least min_days (≥ 7) counted from the day after service, rolled over closed days.
func ReminderDeadline(opts Options, in ReminderDeadlineRequest) (*ReminderDeadlineResult, error) {
	if err := need(in.ServedDate, "served_date", "催告書送達日"); err != nil {
		return nil, err
	}
	n := in.MinDays
	if n == 0 {
		n = MinReminderDays
	}
	if n < MinReminderDays {
		return nil, inputErr("min_days", "催告期限不得少於七日（戶籍法施行細則第19條第2項），收到%d日", in.MinDays)
	}
	if n > maxPeriodDays {
		return nil, inputErr("min_days", "催告期限%d日過長", n)
	}
	cal := opts.calendar()
	var e explain
	e.cite("戶籍法施行細則第19條第2項")
	e.step("催告期限不得少於七日，催告書應送達應為申請之人（戶籍法施行細則第19條第2項）；本件催告期限%d日。", n)
	pr, err := addPeriod(cal, in.ServedDate.Date, Period{Days: n}, rollAdministrative, "催告書送達日")
	if err != nil {
		return nil, err
	}
	e.steps = append(e.steps, pr.Steps...)
	e.cite(pr.Articles...)
	e.warnings = pr.Warnings
	e.step("催告書所定期限不得早於%s；機關訂定期限時亦不宜以放假日為末日。", roc(pr.Deadline.Date))
	return &ReminderDeadlineResult{
		ServedDate: D(in.ServedDate.Date), MinDays: n,
		EarliestDeadlineRaw: pr.RawEnd, EarliestDeadline: pr.Deadline,
		Extended: pr.Extended, MorningOnly: pr.MorningOnly,
		CalendarVersion: cal.Version(), Warnings: e.warnings,
		Steps: e.steps, Articles: nonNil(e.articles),
	}, nil
}
