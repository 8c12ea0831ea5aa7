package legal

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"ebazhao/internal/platform/civil"
)

//go:embed data/birth_subsidy.json
var birthSubsidyJSON []byte

type subsidyAmount struct {
	BirthsFrom string `json:"births_from"`
	BirthsTo   string `json:"births_to"`
	PerChild   int    `json:"per_child"`
	ByOrder    []int  `json:"by_order"`
	Increment  int    `json:"increment"`
	Note       string `json:"note"`
	from, to   civil.Date
}

func (a subsidyAmount) amount(order int) int {
	if len(a.ByOrder) == 0 {
		return a.PerChild
	}
	if order <= len(a.ByOrder) {
		return a.ByOrder[order-1]
	}
	return a.ByOrder[len(a.ByOrder)-1] + (order-len(a.ByOrder))*a.Increment
}

type subsidyData struct {
	Name              string          `json:"name"`
	Source            string          `json:"source"`
	MinResidenceDays  int             `json:"min_residence_days"`
	ResidenceRule     string          `json:"residence_rule"`
	ApplicationPeriod string          `json:"application_period"`
	Amounts           []subsidyAmount `json:"amounts"`
	period            Period
}

var loadSubsidy = sync.OnceValues(func() (*subsidyData, error) {
	var d subsidyData
	if err := json.Unmarshal(birthSubsidyJSON, &d); err != nil {
		return nil, err
	}
	p, err := ParsePeriod(d.ApplicationPeriod)
	if err != nil {
		return nil, err
	}
	d.period = p
	for i := range d.Amounts {
		a := &d.Amounts[i]
		if a.BirthsFrom != "" {
			if a.from, err = civil.ParseISO(a.BirthsFrom); err != nil {
				return nil, err
			}
		}
		if a.BirthsTo != "" {
			if a.to, err = civil.ParseISO(a.BirthsTo); err != nil {
				return nil, err
			}
		}
	}
	return &d, nil
})

func subsidy() *subsidyData {
	d, err := loadSubsidy()
	if err != nil {
		panic("legal: embedded birth_subsidy.json: " + err.Error())
	}
	return d
}

func (d *subsidyData) amountFor(birth civil.Date) (subsidyAmount, bool) {
	for _, a := range d.Amounts {
		if (a.from.IsZero() || !birth.Before(a.from)) && (a.to.IsZero() || !birth.After(a.to)) {
			return a, true
		}
	}
	return subsidyAmount{}, false
}

// SubsidyParent is a parent of the newborn for the birth subsidy.
type SubsidyParent struct {
	Who        string `json:"who"` // 父 or 母
	LastMoveIn Date   `json:"last_move_in"`
	// RegisteredAtApplication: still registered in Taichung on the application day
	// (default true).
	RegisteredAtApplication *bool `json:"registered_at_application,omitempty"`
}

// BirthSubsidyRequest is the input of the `birth-subsidy` kind.
type BirthSubsidyRequest struct {
	BirthDate Date            `json:"birth_date"`
	Parents   []SubsidyParent `json:"parents"`
	// NewbornRegisteredInTaichung: birth (or first) registration done at a Taichung
	// office (default true).
	NewbornRegisteredInTaichung *bool `json:"newborn_registered_in_taichung,omitempty"`
	ApplicationDate             Date  `json:"application_date"`
	BirthOrder                  int   `json:"birth_order"` // order of the (first) newborn among the children; default 1
	Plurality                   int   `json:"plurality"`   // 1 single, 2 twins …; default 1
}

// BirthSubsidyResult is the result of the `birth-subsidy` kind.
type BirthSubsidyResult struct {
	Eligible          bool           `json:"eligible"`
	BirthDate         Date           `json:"birth_date"`
	ApplicationDate   Date           `json:"application_date"`
	RawDeadline       Date           `json:"raw_deadline"`
	Deadline          Date           `json:"deadline"`
	MorningOnly       bool           `json:"morning_only"`
	ResidenceDays     map[string]int `json:"residence_days"`
	QualifyingParents []string       `json:"qualifying_parents"`
	AmountPerChild    []int          `json:"amount_per_child"`
	Total             int            `json:"total"`
	Reasons           []string       `json:"reasons"`
	CalendarVersion   string         `json:"calendar_version"`
	Warnings          []string       `json:"warnings,omitempty"`
	Steps             []string       `json:"steps"`
	Articles          []string       `json:"articles"`
}

// BirthSubsidy checks the Taichung birth subsidy (臺中市生育津貼發放作業計畫).
func BirthSubsidy(opts Options, in BirthSubsidyRequest) (*BirthSubsidyResult, error) {
	if err := need(in.BirthDate, "birth_date", "新生兒出生日"); err != nil {
		return nil, err
	}
	if err := need(in.ApplicationDate, "application_date", "申請日"); err != nil {
		return nil, err
	}
	b, app := in.BirthDate.Date, in.ApplicationDate.Date
	if app.Before(b) {
		return nil, inputErr("application_date", "申請日%s早於出生日%s", roc(app), roc(b))
	}
	if len(in.Parents) == 0 {
		return nil, inputErr("parents", "缺少父母設籍資料（parents：who 父或母、last_move_in 最後遷入本市日）")
	}
	order, plural := in.BirthOrder, in.Plurality
	if order == 0 {
		order = 1
	}
	if plural == 0 {
		plural = 1
	}
	if order < 1 || order > 30 {
		return nil, inputErr("birth_order", "胎次（birth_order）須為1以上之整數")
	}
	if plural < 1 || plural > 10 {
		return nil, inputErr("plurality", "胞胎數（plurality）須為1至10")
	}
	d := subsidy()
	cal := opts.calendar()
	var e explain
	e.cite(d.Name)
	res := &BirthSubsidyResult{
		BirthDate: D(b), ApplicationDate: D(app), ResidenceDays: map[string]int{},
		QualifyingParents: []string{}, Reasons: []string{}, CalendarVersion: cal.Version(),
	}
	e.step("依%s：新生兒父母之一方，於新生兒出生當日已設籍本市滿%d日以上，且申請時仍設籍本市；設籍期間%s。", d.Name, d.MinResidenceDays, d.ResidenceRule)
	seen := map[string]bool{}
	for i, p := range in.Parents {
		who := strings.TrimSpace(p.Who)
		switch who {
		case "父", "母":
		case "父親", "生父":
			who = "父"
		case "母親", "生母":
			who = "母"
		case "":
			return nil, inputErr("parents", "第%d位家長缺少身分（who：父 或 母）", i+1)
		default:
			return nil, inputErr("parents", "第%d位家長身分「%s」不明（who 應為 父 或 母）", i+1, p.Who)
		}
		if seen[who] {
			return nil, inputErr("parents", "家長「%s」重複輸入", who)
		}
		seen[who] = true
		if p.LastMoveIn.IsZero() {
			return nil, inputErr("parents", "%s缺少最後遷入本市日（last_move_in，格式 YYYY-MM-DD）", who)
		}
		registered := p.RegisteredAtApplication == nil || *p.RegisteredAtApplication
		n := 0
		if !p.LastMoveIn.After(b) {
			n = days(p.LastMoveIn.Date, b) + 1
		}
		res.ResidenceDays[who] = n
		switch {
		case p.LastMoveIn.After(b):
			e.step("%s最後遷入本市日%s在新生兒出生之後，出生當日未設籍本市。", who, roc(p.LastMoveIn.Date))
		default:
			e.step("%s自%s遷入本市，算至出生日%s止，設籍%d日（含遷入日及出生日）%s。", who, roc(p.LastMoveIn.Date), roc(b), n,
				map[bool]string{true: "，已滿" + itoa(d.MinResidenceDays) + "日", false: "，未滿" + itoa(d.MinResidenceDays) + "日"}[n >= d.MinResidenceDays])
		}
		if !registered {
			e.step("%s於申請時已非設籍本市。", who)
		}
		if n >= d.MinResidenceDays && registered {
			res.QualifyingParents = append(res.QualifyingParents, who)
		}
	}
	if len(res.QualifyingParents) == 0 {
		res.Reasons = append(res.Reasons, fmt.Sprintf("父母均不符合「出生當日設籍本市滿%d日以上且申請時仍設籍本市」", d.MinResidenceDays))
	}
	newborn := in.NewbornRegisteredInTaichung == nil || *in.NewbornRegisteredInTaichung
	if !newborn {
		res.Reasons = append(res.Reasons, "新生兒未於本市戶政事務所完成出生（或初設戶籍）登記")
		e.step("新生兒未於本市各區戶政事務所完成出生或初設戶籍登記。")
	} else {
		e.step("新生兒已於本市戶政事務所完成出生（或初設戶籍）登記。")
	}
	// application deadline: six months from the day after the birth
	pr, err := addPeriod(cal, b, d.period, rollAdministrative, "新生兒出生日")
	if err != nil {
		return nil, err
	}
	e.step("申請期限：應於新生兒出生之次日起%s內申請，逾期視為放棄。", d.period.String())
	e.steps = append(e.steps, pr.Steps...)
	e.cite(pr.Articles...)
	e.warnings = append(e.warnings, pr.Warnings...)
	if pr.Extended {
		e.step("（計畫未規定末日遇放假日之處理，依行政程序法第48條第4項順延。）")
	}
	res.RawDeadline, res.Deadline, res.MorningOnly = pr.RawEnd, pr.Deadline, pr.MorningOnly
	if app.After(pr.Deadline.Date) {
		res.Reasons = append(res.Reasons, fmt.Sprintf("申請日%s已逾申請期限%s，視為放棄", roc(app), roc(pr.Deadline.Date)))
		e.step("申請日%s已逾申請期限。", roc(app))
	} else {
		e.step("申請日%s在申請期限內。", roc(app))
	}
	amt, ok := d.amountFor(b)
	if !ok {
		return nil, inputErr("birth_date", "出生日%s無生育津貼金額資料", roc(b))
	}
	for i := 0; i < plural; i++ {
		res.AmountPerChild = append(res.AmountPerChild, amt.amount(order+i))
	}
	e.step("金額：%s。", amt.Note)
	if plural > 1 {
		e.step("本胎%d名新生兒（第%d名至第%d名子女），每名金額：%s元。", plural, order, order+plural-1, joinInts(res.AmountPerChild))
	} else {
		e.step("本胎為第%d名子女，金額新臺幣%d元。", order, res.AmountPerChild[0])
	}
	res.Eligible = len(res.Reasons) == 0
	if res.Eligible {
		for _, a := range res.AmountPerChild {
			res.Total += a
		}
		e.step("結論：符合資格（%s符合設籍要件），核發新臺幣%d元。", strings.Join(res.QualifyingParents, "、"), res.Total)
	} else {
		e.step("結論：不符合資格：%s。", strings.Join(res.Reasons, "；"))
	}
	res.Steps, res.Articles, res.Warnings = e.steps, nonNil(e.articles), e.warnings
	return res, nil
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = itoa(n)
	}
	return strings.Join(s, "、")
}
