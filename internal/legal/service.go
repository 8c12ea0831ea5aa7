package legal

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"ebazhao/internal/platform/civil"
)

// Service (送達) and the limitation on fines (裁處權時效): when service of a document
// takes effect (行政程序法第68–81條) and the last day a fine may be decided
// (行政罰法第27條、第45條). The rules are data (data/service.json) with the day
// from which each applies.

// Service methods, as the `service` calculator and the documents name them.
const (
	ServiceCounter = "臨櫃交付"
	ServicePost    = "郵務送達"
	ServiceDeposit = "寄存送達"
	ServicePublic  = "公示送達"
)

// ServiceMethods lists the methods the `service` calculator accepts.
func ServiceMethods() []string {
	return []string{ServiceCounter, ServicePost, ServiceDeposit, ServicePublic}
}

//go:embed data/service.json
var serviceJSON []byte

type serviceRule struct {
	Method     string     `json:"method"`
	From       civil.Date `json:"from"`
	Until      civil.Date `json:"until"`
	Days       int        `json:"days"`
	AbroadDays int        `json:"abroad_days"`
	RepeatDays int        `json:"repeat_days"`
	Event      string     `json:"event"`
	Rule       string     `json:"rule"`
	Caveat     string     `json:"caveat"`
	Articles   []string   `json:"articles"`
}

type limitationRule struct {
	From              civil.Date `json:"from"`
	Until             civil.Date `json:"until"`
	Years             int        `json:"years"`
	Name              string     `json:"name"`
	InForce           civil.Date `json:"in_force"`
	Articles          []string   `json:"articles"`
	TransitionArticle string     `json:"transition_article"`
	CountingArticle   string     `json:"counting_article"`
	WarnDays          int        `json:"warn_days"`
}

type serviceData struct {
	Version    string           `json:"version"`
	Service    []serviceRule    `json:"service"`
	Limitation []limitationRule `json:"limitation"`
}

var loadServiceData = sync.OnceValues(func() (*serviceData, error) {
	var d serviceData
	if err := json.Unmarshal(serviceJSON, &d); err != nil {
		return nil, fmt.Errorf("service.json: %w", err)
	}
	for _, r := range d.Service {
		if r.From.IsZero() || r.Days < 0 || len(r.Articles) == 0 {
			return nil, fmt.Errorf("service.json: %s: from, days and articles are required", r.Method)
		}
	}
	for _, l := range d.Limitation {
		if l.From.IsZero() || l.InForce.IsZero() || l.Years <= 0 {
			return nil, fmt.Errorf("service.json: limitation rule from %s incomplete", l.From)
		}
	}
	return &d, nil
})

func serviceRules() *serviceData {
	d, err := loadServiceData()
	if err != nil {
		panic("legal: embedded rules: " + err.Error())
	}
	return d
}

func inEffect(from, until, on civil.Date) bool {
	return !on.Before(from) && (until.IsZero() || on.Before(until))
}

// ServiceRequest is the input of the `service` kind.
type ServiceRequest struct {
	Method string `json:"method"`
	// Date is the day the document was handed over (臨櫃交付), received (郵務送達),
	// deposited (寄存送達), or posted / last published (公示送達).
	Date civil.Date `json:"date"`
	// Abroad: 公示送達 for service abroad (行政程序法第78條第1項第3款): 60 days.
	Abroad bool `json:"abroad,omitempty"`
	// Repeat: 公示送達 made again ex officio under 行政程序法第79條: the next day.
	Repeat bool `json:"repeat,omitempty"`
}

// ServiceResult is the result of the `service` kind.
type ServiceResult struct {
	Method string     `json:"method"`
	Date   civil.Date `json:"date"`
	Abroad bool       `json:"abroad"`
	// Days is how many days after Date service takes effect (0: that day).
	Days int `json:"days"`
	// EffectiveDate is the day service takes effect (送達生效日).
	EffectiveDate civil.Date `json:"effective_date"`
	// CountFrom is the first day of a period "自送達之次日起" (行政程序法第48條第2項).
	CountFrom civil.Date `json:"count_from"`
	Warnings  []string   `json:"warnings,omitempty"`
	Steps     []string   `json:"steps"`
	Articles  []string   `json:"articles"`
}

// Service is the `service` kind: the day service of a document takes effect.
func Service(in ServiceRequest) (*ServiceResult, error) {
	method := strings.TrimSpace(in.Method)
	if method == "" {
		return nil, inputErr("method", "缺少送達方式（欄位 method：%s）", strings.Join(ServiceMethods(), "、"))
	}
	if in.Date.IsZero() {
		return nil, inputErr("date", "缺少送達日期（欄位 date，格式 YYYY-MM-DD：交付、收領、寄存或公告之日）")
	}
	if in.Date.Year() < 1900 || in.Date.Year() > 2999 {
		return nil, inputErr("date", "日期「%s」超出可計算範圍（1900–2999年）", in.Date)
	}
	known := false
	var rule *serviceRule
	for i, r := range serviceRules().Service {
		if r.Method != method {
			continue
		}
		known = true
		if inEffect(r.From, r.Until, in.Date) {
			rule = &serviceRules().Service[i]
		}
	}
	if !known {
		return nil, inputErr("method", "送達方式「%s」不明：可用%s", method, strings.Join(ServiceMethods(), "、"))
	}
	if rule == nil {
		return nil, inputErr("date", "%s為行政程序法施行（民國90年1月1日）前，本系統無送達規則", in.Date.ROC())
	}
	if (in.Abroad || in.Repeat) && method != ServicePublic {
		return nil, inputErr("abroad", "「於外國或境外送達」及「依職權再為公示送達」僅適用於公示送達")
	}
	if in.Abroad && in.Repeat {
		return nil, inputErr("repeat", "依第79條依職權再為之公示送達，不另計境外送達之60日")
	}
	var e explain
	e.cite(rule.Articles...)
	res := &ServiceResult{Method: method, Date: in.Date, Abroad: in.Abroad}
	days := rule.Days
	switch {
	case in.Abroad:
		days = rule.AbroadDays
		e.cite("行政程序法第78條第1項第3款")
	case in.Repeat:
		days = rule.RepeatDays
		e.cite("行政程序法第79條")
	}
	res.Days = days
	res.EffectiveDate = in.Date.AddDays(days)
	res.CountFrom = res.EffectiveDate.AddDays(1)
	e.step("送達方式：%s。%s。", method, rule.Rule)
	ev := rule.Event
	switch {
	case days == 0:
		e.step("%s之日%s即為送達生效日。", ev, rocW(in.Date))
	case in.Abroad:
		e.step("於外國或境外為送達而公示送達（行政程序法第78條第1項第3款），自%s之日%s起經%d日發生效力（行政程序法第81條）：%s。", ev, rocW(in.Date), days, rocW(res.EffectiveDate))
	case in.Repeat:
		e.step("依行政程序法第79條依職權再為公示送達，自黏貼公告欄%s之翌日發生效力：%s。", rocW(in.Date), rocW(res.EffectiveDate))
	default:
		e.step("自%s之日%s起經%d日（始日不計算在內），於%s發生送達效力。", ev, rocW(in.Date), days, rocW(res.EffectiveDate))
	}
	if days > 0 {
		e.step("送達生效日為法定效力發生之日，非人民應為行為之期間末日，不因星期六、日或國定假日順延。")
	}
	if rule.Caveat != "" {
		e.warn("%s", rule.Caveat)
	}
	e.step("以送達之次日起算之期間（如催告書「於送達之次日起○日內」），自%s起算（行政程序法第48條第2項）。", rocW(res.CountFrom))
	e.cite("行政程序法第48條第2項")
	res.Steps, res.Articles, res.Warnings = e.steps, nonNil(e.articles), e.warnings
	return res, nil
}

// LimitationRequest is the input of the `limitation` kind.
type LimitationRequest struct {
	// ActEndDate is the day the breach ended: the registration was applied for,
	// or made by the office itself.
	ActEndDate civil.Date `json:"act_end_date"`
	// DecisionDate (optional) is the date of the decision to check.
	DecisionDate civil.Date `json:"decision_date,omitzero"`
}

// LimitationResult is the result of the `limitation` kind.
type LimitationResult struct {
	ActEndDate civil.Date `json:"act_end_date"`
	// CountFrom is the first day of the three years (the act's end, or the day
	// 行政罰法 took effect for an act that ended before it).
	CountFrom civil.Date `json:"count_from"`
	Years     int        `json:"period_years"`
	// LapseDate is the last day a decision may be dated (裁處權時效末日).
	LapseDate    civil.Date `json:"lapse_date"`
	DecisionDate civil.Date `json:"decision_date,omitzero"`
	// Lapsed is given when DecisionDate is: the decision is after LapseDate.
	Lapsed *bool `json:"lapsed,omitempty"`
	// DaysLeft is LapseDate − DecisionDate (negative once lapsed).
	DaysLeft *int     `json:"days_left,omitempty"`
	LawName  string   `json:"law_name"`
	Warnings []string `json:"warnings,omitempty"`
	Steps    []string `json:"steps"`
	Articles []string `json:"articles"`
}

// Limitation is the `limitation` kind: the three years of 行政罰法第27條 within which
// a late-registration fine may be decided.
//
// Interpretations (LEGAL.md §11, U19): not applying is a continuing act that ends on
// the day the registration is applied for or made (法務部100.09.05法律字第1000015327號);
// the period involves a punishment, so its first day counts whole and a last day
// on a rest day is not extended (行政程序法第48條第5項) — the reading that gives the
// office the shorter period. An act that ended before 行政罰法 took effect
// (2006-02-05) counts from that day (第45條第2項).
func Limitation(in LimitationRequest) (*LimitationResult, error) {
	if in.ActEndDate.IsZero() {
		return nil, inputErr("act_end_date", "缺少違規行為終了日（欄位 act_end_date：申請登記或逕為登記之日，格式 YYYY-MM-DD）")
	}
	for _, d := range []civil.Date{in.ActEndDate, in.DecisionDate} {
		if !d.IsZero() && (d.Year() < 1900 || d.Year() > 2999) {
			return nil, inputErr("act_end_date", "日期「%s」超出可計算範圍（1900–2999年）", d)
		}
	}
	rules := serviceRules().Limitation
	var rule *limitationRule
	for i, r := range rules {
		if inEffect(r.From, r.Until, in.ActEndDate) {
			rule = &rules[i]
		}
	}
	transition := false
	if rule == nil { // before the first rule: 行政罰法第45條第2項
		first := rules[0]
		for i, r := range rules {
			if r.From.Before(first.From) {
				first = rules[i]
			}
		}
		if !in.ActEndDate.Before(first.From) {
			return nil, inputErr("act_end_date", "本系統無適用於%s之裁處權時效規則", in.ActEndDate.ROC())
		}
		rule, transition = &first, true
	}
	var e explain
	e.cite(rule.Articles...)
	res := &LimitationResult{ActEndDate: in.ActEndDate, Years: rule.Years, LawName: rule.Name, DecisionDate: in.DecisionDate}
	e.step("不於法定期間申請登記為繼續之違規行為，至申請登記（或逕為登記）之日%s終了（法務部100年9月5日法律字第1000015327號函）。", rocW(in.ActEndDate))
	start := in.ActEndDate
	if transition {
		start = rule.InForce
		e.cite(rule.TransitionArticle)
		e.step("行為於行政罰法施行（%s）前終了而未經裁處，其裁處權時效自該法施行之日起算（%s）。", rule.InForce.ROC(), rule.TransitionArticle)
	}
	res.CountFrom = start
	lapse := addMonthsEnd(start.AddDays(-1), rule.Years*12)
	res.LapseDate = lapse
	e.cite(rule.CountingArticle)
	e.step("裁處權因%d年期間之經過而消滅，自%s起算（%s）；期間涉及人民之處罰，始日以一日論，末日為休息日者照計，不予順延（%s）。",
		rule.Years, rocW(start), strings.Join(rule.Articles, "、"), rule.CountingArticle)
	e.step("故最後得作成裁處之日為%s；自%s起裁處權消滅，不得再為罰鍰處分。", rocW(lapse), rocW(lapse.AddDays(1)))
	if !in.DecisionDate.IsZero() {
		lapsed := in.DecisionDate.After(lapse)
		left := lapse.DaysSince(in.DecisionDate)
		res.Lapsed, res.DaysLeft = &lapsed, &left
		switch {
		case lapsed:
			e.step("裁處日%s已逾裁處權時效（逾%d日），依%s裁處權已消滅，不得裁處罰鍰。", rocW(in.DecisionDate), -left, rule.Articles[0])
		case left < rule.WarnDays:
			e.warn("裁處日%s距裁處權時效末日%s僅餘%d日，請儘速裁處並送達。", in.DecisionDate.ROC(), lapse.ROC(), left)
		default:
			e.step("裁處日%s在時效內（距末日尚有%d日）。", rocW(in.DecisionDate), left)
		}
		if in.DecisionDate.Before(in.ActEndDate) {
			e.step("裁處日早於行為終了日：當事人尚未申請登記，違規行為仍在繼續，時效尚未起算。")
		}
	}
	res.Steps, res.Articles, res.Warnings = e.steps, nonNil(e.articles), e.warnings
	return res, nil
}
