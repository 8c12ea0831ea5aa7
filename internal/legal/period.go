package legal

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"ebazhao/internal/legal/calendar"
	"ebazhao/internal/platform/civil"
)

// Period is a legal period: years and months counted by the calendar (依曆計算),
// then weeks and days counted one by one. "3個月又30日" is Months 3, Days 30.
type Period struct {
	Years, Months, Weeks, Days int
}

// String renders the period in the usual wording (3個月又30日).
func (p Period) String() string {
	var parts []string
	cal := ""
	if p.Years > 0 {
		cal += fmt.Sprintf("%d年", p.Years)
	}
	if p.Months > 0 {
		cal += fmt.Sprintf("%d個月", p.Months)
	}
	if cal != "" {
		parts = append(parts, cal)
	}
	if p.Weeks > 0 {
		parts = append(parts, fmt.Sprintf("%d星期", p.Weeks))
	}
	if p.Days > 0 {
		parts = append(parts, fmt.Sprintf("%d日", p.Days))
	}
	return strings.Join(parts, "又")
}

func (p Period) calendarMonths() int { return p.Years*12 + p.Months }
func (p Period) countedDays() int    { return p.Weeks*7 + p.Days }

const (
	maxPeriodYears = 200
	maxPeriodDays  = 100000
)

// ParsePeriod reads "30日", "60日", "1個月", "3個月又30日", "1年", "2年6個月", "2星期",
// "三十日", "六個月" (Arabic, full-width or Chinese numerals; 天 = 日, 週 = 星期).
func ParsePeriod(s string) (Period, error) {
	orig := s
	s = normalizePeriod(s)
	if s == "" {
		return Period{}, inputErr("period", "未填寫期間（例：30日、60日、1個月、3個月又30日、1年）")
	}
	bad := func() (Period, error) {
		return Period{}, inputErr("period", "期間「%s」無法解讀：請寫成如 30日、60日、1個月、3個月又30日、1年", orig)
	}
	var p Period
	order := 0 // units must come largest first, each once
	rs := []rune(s)
	i := 0
	for i < len(rs) {
		// separators between parts
		if strings.ContainsRune("又及和加+、,，", rs[i]) {
			i++
			continue
		}
		j := i
		for j < len(rs) && isNumeral(rs[j]) {
			j++
		}
		if j == i {
			return bad()
		}
		n, ok := parseNumber(string(rs[i:j]))
		if !ok {
			return bad()
		}
		rest := string(rs[j:])
		var unit, size int
		switch {
		case strings.HasPrefix(rest, "個月"), strings.HasPrefix(rest, "个月"):
			unit, size = 2, 2
		case strings.HasPrefix(rest, "年"):
			unit, size = 1, 1
		case strings.HasPrefix(rest, "月"):
			unit, size = 2, 1
		case strings.HasPrefix(rest, "星期"), strings.HasPrefix(rest, "禮拜"):
			unit, size = 3, 2
		case strings.HasPrefix(rest, "週"), strings.HasPrefix(rest, "周"):
			unit, size = 3, 1
		case strings.HasPrefix(rest, "日"), strings.HasPrefix(rest, "天"):
			unit, size = 4, 1
		default:
			return bad()
		}
		if unit <= order {
			return bad()
		}
		order = unit
		switch unit {
		case 1:
			p.Years = n
		case 2:
			p.Months = n
		case 3:
			p.Weeks = n
		case 4:
			p.Days = n
		}
		i = j + size
		// "3個月內", "30日以內"
		for i < len(rs) && strings.ContainsRune("內内以", rs[i]) {
			i++
		}
	}
	if p.calendarMonths() == 0 && p.countedDays() == 0 {
		return Period{}, inputErr("period", "期間「%s」須大於0", orig)
	}
	if p.Years > maxPeriodYears || p.Months > maxPeriodYears*12 || p.calendarMonths() > maxPeriodYears*12 ||
		p.Weeks > maxPeriodDays/7 || p.countedDays() > maxPeriodDays {
		return Period{}, inputErr("period", "期間「%s」過長（上限200年或100000日）", orig)
	}
	return p, nil
}

func normalizePeriod(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case unicode.IsSpace(r):
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

const chineseDigits = "零〇一二兩三四五六七八九"

func isNumeral(r rune) bool {
	return (r >= '0' && r <= '9') || strings.ContainsRune(chineseDigits+"十百千", r)
}

// parseNumber reads 30, 三十, 一百八十, 兩, 十五.
func parseNumber(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	if s[0] >= '0' && s[0] <= '9' {
		if len(s) > 6 {
			return 0, false
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	digit := func(r rune) int {
		switch r {
		case '零', '〇':
			return 0
		case '一':
			return 1
		case '二', '兩':
			return 2
		case '三':
			return 3
		case '四':
			return 4
		case '五':
			return 5
		case '六':
			return 6
		case '七':
			return 7
		case '八':
			return 8
		case '九':
			return 9
		}
		return -1
	}
	total, cur := 0, -1
	for _, r := range s {
		switch r {
		case '十', '百', '千':
			mult := map[rune]int{'十': 10, '百': 100, '千': 1000}[r]
			if cur < 0 {
				cur = 1
			}
			total += cur * mult
			cur = -1
		default:
			d := digit(r)
			if d < 0 {
				return 0, false
			}
			if cur > 0 {
				cur = cur*10 + d // 一八〇 written digit by digit
			} else {
				cur = d
			}
		}
	}
	if cur > 0 {
		total += cur
	}
	return total, true
}

// lastDayOfMonth returns the number of days of month m of year y.
func lastDayOfMonth(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// addMonthsEnd is the last day of a period of n months (n > 0) running from event day
// d, start day not counted (行政程序法第48條第2項、第3項; 民法第120條第2項、第121條、第123條):
// the period is counted from d+1; its last day is the day before the day of the
// last month corresponding to the first counted day, or that month's last day when it
// has no such day. A period counted from the 1st of a month ends on a month's last day.
func addMonthsEnd(d civil.Date, n int) civil.Date {
	s := d.AddDays(1)
	first := civil.New(s.Year(), s.Month()+time.Month(n), 1) // normalizes month overflow
	y, m := first.Year(), first.Month()
	if s.Day() <= lastDayOfMonth(y, m) {
		return civil.New(y, m, s.Day()).AddDays(-1)
	}
	return civil.New(y, m, lastDayOfMonth(y, m))
}

// rollRule selects the roll-over rule for a period's last day.
type rollRule int

const (
	// rollAdministrative: 行政程序法第48條第4項 — a closed last day becomes the next
	// day, repeatedly; an ordinary Saturday becomes the next Monday morning.
	rollAdministrative rollRule = iota
	// rollCivil: 民法第122條 — a rest day becomes the next day, repeatedly.
	rollCivil
)

// ordinarySaturday reports whether a closed day is an ordinary Saturday, the only
// day 行政程序法第48條第4項後段 moves to the next Monday morning. A Saturday on
// which a 國定假日 falls (2026-10-10 國慶日) is a holiday under the first clause and
// rolls to the next open day, whole (LEGAL.md §2.2 rule 5, U18); so does a Saturday
// closure day.
func ordinarySaturday(d calendar.Day) bool {
	return d.Date.Weekday() == time.Saturday && !d.Open && (d.Kind == calendar.Weekend || d.Kind == calendar.UncoveredDay)
}

// rollResult is the final last day of a period after the roll-over.
type rollResult struct {
	deadline    civil.Date
	extended    bool
	morningOnly bool
	skipped     []calendar.Day
}

// roll applies the roll-over to raw end e. Only a closed original last day is moved
// (前司法行政部54.07.03台函民字第4052號); a make-up Saturday is open and stays
// (法務部99.02.03法律字第0999004718號函).
func roll(cal *Calendar, e civil.Date, rule rollRule) (rollResult, error) {
	first := cal.Day(e)
	if first.Open {
		return rollResult{deadline: e}, nil
	}
	res := rollResult{extended: true}
	d := e
	if rule == rollAdministrative && ordinarySaturday(first) {
		sun := e.AddDays(1)
		mon := e.AddDays(2)
		sunDay := cal.Day(sun)
		if !sunDay.Open {
			res.skipped = append(res.skipped, first, sunDay)
			if cal.IsOpen(mon) {
				res.deadline = mon
				res.morningOnly = true
				return res, nil
			}
			d = mon
		}
	}
	for i := 0; i < 400; i++ {
		day := cal.Day(d)
		if day.Open {
			res.deadline = d
			return res, nil
		}
		if len(res.skipped) == 0 || !res.skipped[len(res.skipped)-1].Date.Equal(d) {
			res.skipped = append(res.skipped, day)
		}
		d = d.AddDays(1)
	}
	return res, fmt.Errorf("辦公日曆自 %s 起連續400日皆為放假日，無法順延", roc(e))
}

// describeDay is 113年2月9日（星期五，農曆除夕）.
func describeDay(day calendar.Day) string {
	label := weekdayNames[day.Date.Weekday()]
	if day.Name != "" {
		label += "，" + day.Name
	}
	return roc(day.Date) + "（" + label + "）"
}

// satLabel is 113年8月3日 or 113年10月10日（國慶日）for a Saturday.
func satLabel(day calendar.Day) string {
	if day.Name != "" {
		return roc(day.Date) + "（" + day.Name + "）"
	}
	return roc(day.Date)
}

// explainRoll writes the roll-over steps.
func explainRoll(e *explain, cal *Calendar, raw civil.Date, r rollResult, rule rollRule) {
	if !r.extended {
		day := cal.Day(raw)
		if cal.IsMakeupWorkday(raw) {
			e.step("期間末日%s為補行上班日，戶政事務所照常上班，不予順延（法務部99年2月3日法律字第0999004718號函）。", describeDay(day))
			e.cite("法務部99.02.03法律字第0999004718號函")
		} else {
			e.step("期間末日%s為辦公日，不須順延。", rocW(raw))
		}
		return
	}
	art := "行政程序法第48條第4項"
	if rule == rollCivil {
		art = "民法第122條"
	}
	e.cite(art)
	var closed []string
	for _, d := range r.skipped {
		closed = append(closed, describeDay(d))
	}
	if r.morningOnly {
		e.step("期間末日%s為星期六，依%s以其次星期一上午為期間末日：%s上午。", satLabel(r.skipped[0]), art, rocW(r.deadline))
		return
	}
	switch {
	case rule == rollAdministrative && ordinarySaturday(r.skipped[0]) &&
		len(r.skipped) >= 3 && r.skipped[2].Date.Weekday() == time.Monday:
		msg := fmt.Sprintf("期間末日%s為星期六，依%s應以次星期一上午為末日，惟%s亦為放假日，依同項順延", satLabel(r.skipped[0]), art, describeDay(r.skipped[2]))
		if len(closed) > 3 {
			msg += "；其後" + strings.Join(closed[3:], "、") + "亦均為放假日"
		}
		e.step("%s，期間末日為%s。", msg, rocW(r.deadline))
	case rule == rollAdministrative && raw.Weekday() == time.Saturday && r.skipped[0].Kind == calendar.Holiday:
		msg := fmt.Sprintf("期間末日%s為星期六，惟係國定假日（%s），依%s前段以其次日為期間末日，不適用星期六「次星期一上午」之規定", roc(raw), r.skipped[0].Name, art)
		if len(closed) > 1 {
			msg += "；其後" + strings.Join(closed[1:], "、") + "亦均為放假日"
		}
		e.step("%s，期間末日為%s（全日）。", msg, rocW(r.deadline))
	case len(closed) == 1:
		e.step("期間末日%s為放假日，依%s以其次日為期間末日：%s。", closed[0], art, rocW(r.deadline))
	default:
		e.step("期間末日%s為放假日，依%s順延；其後%s亦均為放假日，期間末日順延至%s。",
			closed[0], art, strings.Join(closed[1:], "、"), rocW(r.deadline))
	}
	for _, d := range r.skipped {
		if d.Kind == calendar.ClosureDay {
			e.step("%s為%s（停止上班），屬其他休息日。", roc(d.Date), d.Name)
		}
	}
}

// checkCoverage warns when a day the computation relied on lies in a year the
// calendar lacks or holds only provisionally.
func checkCoverage(e *explain, cal *Calendar, from, to civil.Date) {
	for y := from.Year(); y <= to.Year(); y++ {
		switch {
		case !cal.Covers(y):
			e.warn("辦公日曆表未收錄民國%d年（西元%d年）資料，僅以星期六、日為放假日推算，國定假日及補行上班日請另行查核。", y-1911, y)
		case cal.Provisional(y):
			e.warn("民國%d年辦公日曆表為暫定資料（行政院人事行政總處尚未公告），請於公告後查核。", y-1911)
		}
	}
}

// PeriodRequest is the input of the `period` kind.
type PeriodRequest struct {
	StartDate Date   `json:"start_date"`
	Period    string `json:"period"`
	// Rule: "行政程序法" (default) or "民法" (第122條: a Saturday is a rest day like others).
	Rule string `json:"rule,omitempty"`
}

// PeriodResult is the result of the `period` kind.
type PeriodResult struct {
	StartDate       Date     `json:"start_date"`
	Period          string   `json:"period"`
	CountFrom       Date     `json:"count_from"`
	MonthsEnd       *Date    `json:"months_end,omitempty"`
	RawEnd          Date     `json:"raw_end"`
	Deadline        Date     `json:"deadline"`
	Extended        bool     `json:"extended"`
	MorningOnly     bool     `json:"morning_only"`
	Rule            string   `json:"rule"`
	CalendarVersion string   `json:"calendar_version"`
	Warnings        []string `json:"warnings,omitempty"`
	Steps           []string `json:"steps"`
	Articles        []string `json:"articles"`
}

// PeriodCalc is the `period` kind.
func PeriodCalc(opts Options, in PeriodRequest) (*PeriodResult, error) {
	if err := need(in.StartDate, "start_date", "起算事實發生日"); err != nil {
		return nil, err
	}
	rule := rollAdministrative
	switch strings.TrimSpace(in.Rule) {
	case "", "行政程序法", "administrative":
	case "民法", "civil":
		rule = rollCivil
	default:
		return nil, inputErr("rule", "期間規則「%s」不明：可用「行政程序法」（預設）或「民法」", in.Rule)
	}
	p, err := ParsePeriod(in.Period)
	if err != nil {
		return nil, err
	}
	return addPeriod(opts.calendar(), in.StartDate.Date, p, rule, "")
}

// AddPeriod computes the period from start (not counted) under 行政程序法第48條.
func AddPeriod(cal *Calendar, start civil.Date, period string) (*PeriodResult, error) {
	p, err := ParsePeriod(period)
	if err != nil {
		return nil, err
	}
	if cal == nil {
		cal = calendar.Default()
	}
	return addPeriod(cal, start, p, rollAdministrative, "")
}

// addPeriod does the arithmetic and the explanation. label names the start event
// in the steps ("事件發生日"); empty means "起算事實發生日".
func addPeriod(cal *Calendar, start civil.Date, p Period, rule rollRule, label string) (*PeriodResult, error) {
	if label == "" {
		label = "起算事實發生日"
	}
	var e explain
	res := &PeriodResult{
		StartDate:       D(start),
		Period:          p.String(),
		CountFrom:       D(start.AddDays(1)),
		CalendarVersion: cal.Version(),
		Rule:            "行政程序法",
	}
	if rule == rollCivil {
		res.Rule = "民法"
		e.cite("民法第120條第2項", "民法第121條")
	} else {
		e.cite("行政程序法第48條第2項")
	}
	e.step("%s為%s，依%s始日不計算在內，自次日%s起算%s。", label, rocW(start),
		map[rollRule]string{rollAdministrative: "行政程序法第48條第2項", rollCivil: "民法第120條第2項"}[rule],
		roc(res.CountFrom.Date), p.String())
	end := start
	if m := p.calendarMonths(); m > 0 {
		end = addMonthsEnd(start, m)
		if rule == rollCivil {
			e.cite("民法第123條第1項")
		} else {
			e.cite("行政程序法第48條第3項")
		}
		unit := monthsLabel(p)
		s := res.CountFrom.Date
		first := civil.New(s.Year(), s.Month()+time.Month(m), 1)
		switch {
		case s.Day() == 1:
			e.step("%s依曆計算，自月之首日起算，以最後之月之末日%s為末日。", unit, roc(end))
		case s.Day() > lastDayOfMonth(first.Year(), first.Month()):
			e.step("%s依曆計算，最後之月（%d年%d月）無與起算日相當之%d日，以該月末日%s為末日。",
				unit, first.Year()-1911, int(first.Month()), s.Day(), roc(end))
		default:
			e.step("%s依曆計算，以最後之月與起算日相當日（%s）之前一日%s為末日。",
				unit, roc(civil.New(first.Year(), first.Month(), s.Day())), roc(end))
		}
		if p.countedDays() > 0 {
			me := D(end)
			res.MonthsEnd = &me
		}
	}
	if n := p.countedDays(); n > 0 {
		from := end
		end = end.AddDays(n)
		if p.calendarMonths() > 0 {
			e.step("%s屆滿後，再自次日%s起算%d日，末日為%s。", monthsLabel(p), roc(from.AddDays(1)), n, roc(end))
		} else {
			e.step("自%s起算第%d日為%s，即期間末日。", roc(from.AddDays(1)), n, roc(end))
		}
	}
	res.RawEnd = D(end)
	r, err := roll(cal, end, rule)
	if err != nil {
		return nil, err
	}
	explainRoll(&e, cal, end, r, rule)
	res.Deadline = D(r.deadline)
	res.Extended = r.extended
	res.MorningOnly = r.morningOnly
	checkCoverage(&e, cal, end, r.deadline)
	if r.morningOnly {
		e.step("故期間末日為%s上午（僅上午辦公時間內有效）。", rocW(r.deadline))
	} else {
		e.step("故期間末日為%s。", rocW(r.deadline))
	}
	res.Steps, res.Articles, res.Warnings = e.steps, nonNil(e.articles), e.warnings
	return res, nil
}

func monthsLabel(p Period) string {
	q := p
	q.Weeks, q.Days = 0, 0
	return q.String()
}
