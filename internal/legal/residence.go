package legal

import (
	_ "embed"
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"ebazhao/internal/platform/civil"
)

//go:embed data/naturalization.json
var naturalizationJSON []byte

type residenceCategory struct {
	Name    string   `json:"name"`
	Years   int      `json:"years"`
	Article string   `json:"article"`
	Aliases []string `json:"aliases"`
}

type naturalizationData struct {
	Version        string              `json:"version"`
	MinDaysPerYear int                 `json:"min_days_per_year"`
	Categories     []residenceCategory `json:"categories"`
	Checklist      []string            `json:"checklist"`
}

var loadNaturalization = sync.OnceValues(func() (*naturalizationData, error) {
	var d naturalizationData
	err := json.Unmarshal(naturalizationJSON, &d)
	return &d, err
})

func naturalization() *naturalizationData {
	d, err := loadNaturalization()
	if err != nil {
		panic("legal: embedded naturalization.json: " + err.Error())
	}
	return d
}

// ResidenceCategories lists the naturalization categories (國籍法第3–5條) by name.
func ResidenceCategories() []string {
	var out []string
	for _, c := range naturalization().Categories {
		out = append(out, c.Name)
	}
	return out
}

func findCategory(name string) (*residenceCategory, bool) {
	n := strings.TrimSpace(name)
	cs := naturalization().Categories
	for i := range cs {
		if cs[i].Name == n {
			return &cs[i], true
		}
		for _, a := range cs[i].Aliases {
			if a == n {
				return &cs[i], true
			}
		}
	}
	return nil, false
}

// Stay is one stay in Taiwan from the entry/exit records; Exit empty = still here.
type Stay struct {
	Entry Date `json:"entry"`
	Exit  Date `json:"exit"`
}

// ResidenceRequest is the input of the `residence` kind.
type ResidenceRequest struct {
	ApplicationDate Date   `json:"application_date"`
	Category        string `json:"category"`
	Stays           []Stay `json:"stays"`
}

// ResidenceYear is one year window counted back from the application.
type ResidenceYear struct {
	Year int  `json:"year"`
	From Date `json:"from"`
	To   Date `json:"to"`
	Days int  `json:"days"`
	OK   bool `json:"ok"`
}

// ResidenceResult is the result of the `residence` kind.
type ResidenceResult struct {
	ApplicationDate Date            `json:"application_date"`
	Category        string          `json:"category"`
	RequiredYears   int             `json:"required_years"`
	MinDaysPerYear  int             `json:"min_days_per_year"`
	Years           []ResidenceYear `json:"years"`
	Pass            bool            `json:"pass"`
	Checklist       []string        `json:"checklist"`
	Warnings        []string        `json:"warnings,omitempty"`
	Steps           []string        `json:"steps"`
	Articles        []string        `json:"articles"`
}

// yearsBefore is the same day k years earlier; Feb 29 becomes Feb 28.
func yearsBefore(t civil.Date, k int) civil.Date {
	y := t.Year() - k
	d := t.Day()
	if last := lastDayOfMonth(y, t.Month()); d > last {
		d = last
	}
	return civil.New(y, t.Month(), d)
}

type span struct{ from, to civil.Date }

// Residence checks the naturalization residence requirement: the n years before the
// application (counted back from the application date, the application day not
// counted) must each hold at least 183 days in Taiwan (國籍法施行細則第6條).
func Residence(in ResidenceRequest) (*ResidenceResult, error) {
	if err := need(in.ApplicationDate, "application_date", "申請歸化日"); err != nil {
		return nil, err
	}
	cat, ok := findCategory(in.Category)
	if !ok {
		if strings.TrimSpace(in.Category) == "" {
			return nil, inputErr("category", "缺少歸化類別（欄位 category），可用：%s", strings.Join(ResidenceCategories(), "、"))
		}
		return nil, inputErr("category", "歸化類別「%s」不明，可用：%s", in.Category, strings.Join(ResidenceCategories(), "、"))
	}
	nd := naturalization()
	a := in.ApplicationDate.Date
	var e explain
	e.cite(cat.Article, "國籍法施行細則第6條")
	// merge the stays into disjoint day spans, ending at the day before the application
	var spans []span
	for i, s := range in.Stays {
		if s.Entry.IsZero() {
			return nil, inputErr("stays", "第%d筆入出境紀錄缺少入境日（entry）", i+1)
		}
		to := a.AddDays(-1)
		if !s.Exit.IsZero() {
			if s.Exit.Before(s.Entry.Date) {
				return nil, inputErr("stays", "第%d筆入出境紀錄出境日%s早於入境日%s", i+1, s.Exit, s.Entry)
			}
			if s.Exit.Before(to) {
				to = s.Exit.Date
			}
		}
		if s.Entry.After(to) {
			continue
		}
		spans = append(spans, span{s.Entry.Date, to})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from.Before(spans[j].from) })
	var merged []span
	for _, s := range spans {
		if n := len(merged); n > 0 && !s.from.After(merged[n-1].to) {
			if s.to.After(merged[n-1].to) {
				merged[n-1].to = s.to
			}
			continue
		}
		merged = append(merged, s)
	}
	res := &ResidenceResult{
		ApplicationDate: D(a), Category: cat.Name, RequiredYears: cat.Years,
		MinDaysPerYear: nd.MinDaysPerYear, Pass: true, Checklist: nd.Checklist,
	}
	e.step("歸化類別：%s（%s），須每年合計有%d日以上合法居留之事實繼續%d年以上。", cat.Name, cat.Article, nd.MinDaysPerYear, cat.Years)
	e.step("依國籍法施行細則第6條，居留期間自申請歸化日%s往前推算%d年（申請當日不計），逐年計算；在臺日數依入出國日期逐日累計，入境日及出境日均計入。", roc(a), cat.Years)
	if a.Month() == time.February && a.Day() == 29 {
		e.warn("申請日為2月29日，往前推算之年無2月29日者以2月28日為準，請查核。")
	}
	for k := 1; k <= cat.Years; k++ {
		from := yearsBefore(a, k)
		to := yearsBefore(a, k-1).AddDays(-1)
		n := 0
		for _, s := range merged {
			f, t := s.from, s.to
			if f.Before(from) {
				f = from
			}
			if t.After(to) {
				t = to
			}
			if !t.Before(f) {
				n += days(f, t) + 1
			}
		}
		y := ResidenceYear{Year: k, From: D(from), To: D(to), Days: n, OK: n >= nd.MinDaysPerYear}
		if !y.OK {
			res.Pass = false
		}
		verdict := "符合"
		if !y.OK {
			verdict = "未達183日，不符合"
		}
		e.step("往前第%d年：%s至%s（%d日），在臺%d日，%s。", k, roc(from), roc(to), days(from, to)+1, n, verdict)
		res.Years = append(res.Years, y)
	}
	if res.Pass {
		e.step("結論：%d年均每年在臺183日以上，符合居留日數要件；居留之連續性與合法性請依檢核事項查核。", cat.Years)
	} else {
		e.step("結論：不符合居留日數要件。")
	}
	e.cite("國籍法施行細則第5條")
	res.Steps, res.Articles, res.Warnings = e.steps, nonNil(e.articles), e.warnings
	return res, nil
}
