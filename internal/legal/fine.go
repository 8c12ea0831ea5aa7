package legal

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"ebazhao/internal/platform/civil"
)

// FineTier is one row of a 裁罰基準: overdue days FromDay…ToDay (ToDay 0 = no upper
// bound) → Amount (NT$).
type FineTier struct {
	FromDay int `json:"from_day"`
	ToDay   int `json:"to_day,omitempty"`
	Amount  int `json:"amount"`
}

// FineStandard is a fine table (裁罰基準) for one law version, in force for decisions
// from From. The MOI table is built in; an office may adopt its own within the
// statutory ranges (Options.FineStandards; check it with ValidateFineStandard).
type FineStandard struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Law      string     `json:"law"` // "old" or "new"
	From     Date       `json:"from"`
	Late     []FineTier `json:"late"`
	Reminded int        `json:"reminded,omitempty"` // 經催告仍不申請; 0 = not set
	// FalseApplication maps 自動申請更正 / 戶政人員發現 / 被人檢舉 to an amount.
	FalseApplication map[string]int `json:"false_application,omitempty"`
}

// DiscoveredBy values for false applications (戶籍法第76條 基準表).
var DiscoveredBy = []string{"自動申請更正", "戶政人員發現", "被人檢舉"}

// ValidateFineStandard checks that a table is complete and within the statutory
// ranges of its law version.
func ValidateFineStandard(s FineStandard) error {
	return rules().validateStandard(s)
}

func (rs *ruleSet) validateStandard(s FineStandard) error {
	if s.Law != LawOld && s.Law != LawNew {
		return inputErr("law", "裁罰基準「%s」須指定適用法律 old 或 new", s.Name)
	}
	st := rs.statute(s.Law)
	if len(s.Late) > 0 {
		next := 1
		for i, t := range s.Late {
			if t.FromDay != next {
				return inputErr("late", "裁罰基準「%s」逾期日數級距須自1日起連續，第%d級應自%d日起", s.Name, i+1, next)
			}
			last := i == len(s.Late)-1
			if last && t.ToDay != 0 {
				return inputErr("late", "裁罰基準「%s」最後一級須無上限（to_day 為0）", s.Name)
			}
			if !last && t.ToDay < t.FromDay {
				return inputErr("late", "裁罰基準「%s」第%d級日數上限有誤", s.Name, i+1)
			}
			if t.Amount < st.Late.Min || t.Amount > st.Late.Max || t.Amount <= 0 {
				return inputErr("late", "裁罰基準「%s」第%d級金額%d元超出%s法定範圍（%d–%d元）", s.Name, i+1, t.Amount, st.Late.Article, st.Late.Min, st.Late.Max)
			}
			next = t.ToDay + 1
		}
	}
	if s.Reminded != 0 && (s.Reminded < st.Reminded.Min || s.Reminded > st.Reminded.Max) {
		return inputErr("reminded", "裁罰基準「%s」經催告仍不申請之金額%d元超出%s法定範圍（%d–%d元）", s.Name, s.Reminded, st.Reminded.Article, st.Reminded.Min, st.Reminded.Max)
	}
	for k, v := range s.FalseApplication {
		if !slices.Contains(DiscoveredBy, k) {
			return inputErr("false_application", "裁罰基準「%s」不實申請之查獲方式「%s」不明，可用：%s", s.Name, k, strings.Join(DiscoveredBy, "、"))
		}
		if v <= 0 || v < st.FalseApplication.Min || v > st.FalseApplication.Max {
			return inputErr("false_application", "裁罰基準「%s」不實申請（%s）金額%d元超出%s法定範圍（%d–%d元）", s.Name, k, v, st.FalseApplication.Article, st.FalseApplication.Min, st.FalseApplication.Max)
		}
	}
	return nil
}

// standardFor picks the table for a law version and decision date: the latest office
// table in force, else the latest built-in one; use filters tables that answer the
// question (late tiers, reminder amount, false application).
func (rs *ruleSet) standardFor(opts Options, law string, decision civil.Date, use func(FineStandard) bool) (*FineStandard, error) {
	pick := func(list []FineStandard, office bool) (*FineStandard, error) {
		var cands []FineStandard
		for _, s := range list {
			if s.Law == law && use(s) && !s.From.After(decision) {
				cands = append(cands, s)
			}
		}
		if len(cands) == 0 {
			return nil, nil
		}
		sort.SliceStable(cands, func(i, j int) bool { return cands[i].From.Before(cands[j].From.Date) })
		s := cands[len(cands)-1]
		if office {
			if err := rs.validateStandard(s); err != nil {
				return nil, err
			}
		}
		return &s, nil
	}
	if s, err := pick(opts.FineStandards, true); s != nil || err != nil {
		return s, err
	}
	return pick(rs.fines.Standards, false)
}

// moiTable0990917 is the day the MOI 基準表 now built in was amended (99.09.17); the
// earlier 97 table was not found.
var moiTable0990917 = civil.New(2010, 9, 17)

// FineRequest is the input of the `fine` kind.
type FineRequest struct {
	Registration    string `json:"registration"`
	Basis           string `json:"basis,omitempty"`
	EventDate       Date   `json:"event_date"`
	ApplicationDate Date   `json:"application_date"`
	// RemindedAndStillNotApplied: a written reminder was served and its period passed
	// without an application (經催告而仍不為申請).
	RemindedAndStillNotApplied bool `json:"reminded_and_still_not_applied"`
	// Justified: the delay had a 正當理由 (no fine).
	Justified bool   `json:"justified,omitempty"`
	Law       string `json:"law,omitempty"`
}

// FineResult is the result of the `fine` kind (罰鍰裁處書).
type FineResult struct {
	Registration    string   `json:"registration"`
	Basis           string   `json:"basis"`
	EventDate       Date     `json:"event_date"`
	ApplicationDate Date     `json:"application_date"`
	Law             string   `json:"law"`
	LawName         string   `json:"law_name"`
	DeadlineApplies bool     `json:"deadline_applies"`
	RawEnd          Date     `json:"raw_end"`
	Deadline        Date     `json:"deadline"`
	MorningOnly     bool     `json:"morning_only"`
	OverdueDays     int      `json:"overdue_days"`
	Late            bool     `json:"late"`
	Fine            *int     `json:"fine,omitempty"`
	StatutoryMin    int      `json:"statutory_min"`
	StatutoryMax    int      `json:"statutory_max"`
	Article         string   `json:"article"`
	Tier            string   `json:"tier,omitempty"`
	Standard        string   `json:"standard,omitempty"`
	CalendarVersion string   `json:"calendar_version"`
	Warnings        []string `json:"warnings,omitempty"`
	Steps           []string `json:"steps"`
	Articles        []string `json:"articles"`
}

func intp(n int) *int { return &n }

func tierLabel(t FineTier) string {
	if t.ToDay == 0 {
		return fmt.Sprintf("逾%d日以上", t.FromDay)
	}
	return fmt.Sprintf("逾%d日以上%d日以下", t.FromDay, t.ToDay)
}

// Fine computes the fine for a late registration (戶籍法第79條; old law 第53條).
func Fine(opts Options, in FineRequest) (*FineResult, error) {
	if err := need(in.ApplicationDate, "application_date", "申請日"); err != nil {
		return nil, err
	}
	var e explain
	cal := opts.calendar()
	d, err := deadline(&e, cal, DeadlineRequest{Registration: in.Registration, Basis: in.Basis, EventDate: in.EventDate, Law: in.Law})
	if err != nil {
		return nil, err
	}
	app := in.ApplicationDate.Date
	if app.Before(d.EventDate.Date) {
		return nil, inputErr("application_date", "申請日%s早於事件發生日%s，請查明", roc(app), roc(d.EventDate.Date))
	}
	rs := rules()
	st := rs.statute(d.Law)
	res := &FineResult{
		Registration: d.Registration, Basis: d.Basis, EventDate: d.EventDate, ApplicationDate: D(app),
		Law: d.Law, LawName: d.LawName, DeadlineApplies: d.DeadlineApplies,
		RawEnd: d.RawEnd, Deadline: d.Deadline, MorningOnly: d.MorningOnly,
		CalendarVersion: d.CalendarVersion,
	}
	finish := func() (*FineResult, error) {
		res.Steps, res.Articles, res.Warnings = e.steps, nonNil(e.articles), e.warnings
		return res, nil
	}
	if !d.DeadlineApplies {
		res.Fine = intp(0)
		e.step("本登記無法定申請期間，不生逾期罰鍰。")
		return finish()
	}
	res.OverdueDays = max(0, days(d.Deadline.Date, app))
	res.Late = res.OverdueDays > 0
	if !res.Late {
		res.Fine = intp(0)
		res.StatutoryMin, res.StatutoryMax = st.Late.Min, st.Late.Max
		if app.Equal(d.Deadline.Date) && d.MorningOnly {
			e.step("申請日%s即期間末日，惟依行政程序法第48條第4項僅上午有效：上午申請者未逾期；下午申請者為逾期1日，請承辦人依實際申請時間判斷。", roc(app))
		}
		e.step("申請日%s未逾期間末日%s，未逾期，不予處罰。", roc(app), roc(d.Deadline.Date))
		return finish()
	}
	e.step("申請日%s，自期間末日%s之次日起算，逾期%d日。", roc(app), roc(d.Deadline.Date), res.OverdueDays)
	if in.Justified {
		res.Fine = intp(0)
		res.StatutoryMin, res.StatutoryMax = st.Late.Min, st.Late.Max
		e.step("經認定有正當理由，依%s之構成要件（無正當理由）不予處罰。", st.Late.Article)
		e.cite(st.Late.Article)
		return finish()
	}
	if dr, ok := rs.reg.byName[d.Registration].direct(d.Basis); ok && dr.Mode == "without_reminder" {
		e.warn("本登記戶政事務所得免經催告逕行為之（戶籍法%s），是否仍對申請人裁處逾期罰鍰，法無明文，請承辦人審酌。", dr.Article)
	}
	rng := st.Late
	if in.RemindedAndStillNotApplied {
		rng = st.Reminded
	}
	res.Article = rng.Article
	res.StatutoryMin, res.StatutoryMax = rng.Min, rng.Max
	e.cite(rng.Article)
	e.step("依%s：%s。", rng.Article, rng.Text)
	std, err := rs.standardFor(opts, d.Law, app, func(s FineStandard) bool {
		if in.RemindedAndStillNotApplied {
			return s.Reminded > 0 || rng.Min == rng.Max
		}
		return len(s.Late) > 0
	})
	if err != nil {
		return nil, err
	}
	switch {
	case in.RemindedAndStillNotApplied && rng.Min == rng.Max:
		res.Fine = intp(rng.Min)
		res.Tier = "經催告仍不申請"
		e.step("已經書面催告而仍不申請，依法處新臺幣%d元。", rng.Min)
	case std == nil:
		e.step("%s之裁罰基準金額（內政部96年5月18日台內戶字第0960072664號令基準表）未能查得，法定上限%d元，罰鍰金額由承辦人依個案裁量。", d.LawName, rng.Max)
		e.warn("舊法罰鍰金額未定，請依當時裁罰基準裁量（法定上限%d元）。", rng.Max)
	case in.RemindedAndStillNotApplied:
		res.Fine = intp(std.Reminded)
		res.Tier = "經催告仍不申請"
		res.Standard = std.Name
		e.step("已經書面催告而仍不申請，依%s處新臺幣%d元。", std.Name, std.Reminded)
	default:
		res.Standard = std.Name
		for _, t := range std.Late {
			if res.OverdueDays >= t.FromDay && (t.ToDay == 0 || res.OverdueDays <= t.ToDay) {
				res.Fine = intp(t.Amount)
				res.Tier = tierLabel(t)
				break
			}
		}
		e.step("依%s，%s者處新臺幣%d元。", std.Name, res.Tier, *res.Fine)
	}
	if std != nil {
		e.cite(std.Name)
		if d.Law == LawNew && std.ID == "moi-0990186657" && app.Before(moiTable0990917) {
			e.warn("裁處日在99年9月17日基準表修正前，當時基準表未能查得，以99年9月17日基準表金額顯示，請查核。")
		}
	}
	if res.Fine != nil {
		e.step("結論：%s，處新臺幣%d元罰鍰。", res.Article, *res.Fine)
	}
	return finish()
}

// FalseApplicationRequest is the input of the `false-application-fine` kind.
type FalseApplicationRequest struct {
	DiscoveredBy string `json:"discovered_by"`
	// EventDate (optional): the date of the false application, for the law version.
	EventDate Date `json:"event_date,omitempty"`
	// DecisionDate (optional): the day of the decision, for the fine table in force.
	DecisionDate Date   `json:"decision_date,omitempty"`
	Law          string `json:"law,omitempty"`
}

// FalseApplicationResult is the result of the `false-application-fine` kind.
type FalseApplicationResult struct {
	DiscoveredBy   string   `json:"discovered_by"`
	Law            string   `json:"law"`
	LawName        string   `json:"law_name"`
	Fine           *int     `json:"fine,omitempty"`
	StatutoryRange [2]int   `json:"statutory_range"`
	Article        string   `json:"article"`
	Standard       string   `json:"standard,omitempty"`
	Steps          []string `json:"steps"`
	Articles       []string `json:"articles"`
}

// FalseApplicationFine is the fine for a false application (戶籍法第76條; old 第54條)
// by how it came to light (基準表: 3,000 / 6,000 / 9,000).
func FalseApplicationFine(opts Options, in FalseApplicationRequest) (*FalseApplicationResult, error) {
	how := strings.TrimSpace(in.DiscoveredBy)
	if !slices.Contains(DiscoveredBy, how) {
		if how == "" {
			return nil, inputErr("discovered_by", "缺少查獲方式（欄位 discovered_by），可用：%s", strings.Join(DiscoveredBy, "、"))
		}
		return nil, inputErr("discovered_by", "查獲方式「%s」不明，可用：%s", in.DiscoveredBy, strings.Join(DiscoveredBy, "、"))
	}
	lawID, err := normalizeLaw(in.Law)
	if err != nil {
		return nil, err
	}
	law, _ := lawByID(LawNew)
	if lawID != "" {
		law, _ = lawByID(lawID)
	} else if !in.EventDate.IsZero() {
		law = lawFor(in.EventDate.Date)
	}
	decision := opts.today()
	if !in.DecisionDate.IsZero() {
		decision = in.DecisionDate.Date
	}
	rs := rules()
	st := rs.statute(law.ID).FalseApplication
	var e explain
	res := &FalseApplicationResult{
		DiscoveredBy: how, Law: law.ID, LawName: law.Name,
		StatutoryRange: [2]int{st.Min, st.Max}, Article: st.Article,
	}
	e.cite(st.Article)
	e.step("依%s（%s）：%s。", st.Article, law.Name, st.Text)
	std, err := rs.standardFor(opts, law.ID, decision, func(s FineStandard) bool { return s.FalseApplication[how] > 0 })
	if err != nil {
		return nil, err
	}
	if std == nil {
		e.step("%s之裁罰基準金額未能查得，法定上限%d元，由承辦人依個案裁量。", law.Name, st.Max)
	} else {
		res.Fine = intp(std.FalseApplication[how])
		res.Standard = std.Name
		e.cite(std.Name)
		e.step("依%s，不實申請經「%s」者，處新臺幣%d元。", std.Name, how, *res.Fine)
		e.step("結論：%s，處新臺幣%d元罰鍰；該不實登記應予撤銷（戶籍法第23條）。", st.Article, *res.Fine)
		e.cite("戶籍法第23條")
	}
	res.Steps, res.Articles = e.steps, nonNil(e.articles)
	return res, nil
}
