// Package calendar is the government office calendar (政府行政機關辦公日曆表): which days
// a 戶政事務所 is open. It embeds the DGPA calendar 2008–2027 (make-up Saturdays,
// 補假, 調整放假), accepts new years in the DGPA CSV format without a code change, and
// takes ad-hoc closures (typhoon days, 停止上班) recorded per city by an administrator.
//
// A Calendar is immutable: WithYears and WithClosures return a new one with a new
// Version, so a deadline printed on a document can name the calendar it was computed with.
// Days are civil.Date values (a Taipei calendar day).
package calendar

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"ebazhao/internal/platform/civil"
)

// Kind classifies a day of the office calendar.
type Kind string

// Day kinds.
const (
	Workday       Kind = "workday"        // ordinary Monday–Friday, open
	Weekend       Kind = "weekend"        // ordinary Saturday or Sunday, closed (no holiday falls on it)
	Holiday       Kind = "holiday"        // closed for a 國定假日/紀念日, 補假 or 調整放假 (a weekday, or a Saturday or Sunday a holiday falls on)
	MakeupWorkday Kind = "makeup_workday" // 補行上班 Saturday (or Sunday), open
	ClosureDay    Kind = "closure"        // ad-hoc closure (颱風停止上班 …), closed
	UncoveredDay  Kind = "uncovered"      // year not in the calendar: weekends only
)

// kindUnknownKey marks a Day given to WithYears without a Kind.
const kindUnknownKey Kind = ""

// Day is one day of the calendar.
type Day struct {
	Date   civil.Date
	Open   bool   // the office is open (辦公日)
	Kind   Kind   //
	Name   string // holiday name or 備註 (春節, 補假, 補行上班, closure reason …)
	Source string // where the row came from (dgpa, taipei, python-holidays, closure …)
}

// Closure is an ad-hoc office closure (停止上班), e.g. a typhoon day, for one city.
// City "" means every city.
type Closure struct {
	Date   civil.Date
	City   string
	Reason string
}

type yearInfo struct {
	source      string
	provisional bool
}

// Calendar answers whether the office is open on a day.
type Calendar struct {
	version  string
	days     map[civil.Date]Day // days that differ from the weekday rule, or carry a name
	years    map[int]yearInfo
	closures map[civil.Date]Closure
}

//go:embed data/tw-office-calendar-2008-2027.csv
var embeddedCSV []byte

// baseVersion names the embedded data set; a hash of the data is appended.
const baseVersion = "tw-office-2008-2027.dgpa-2025-revised-20251020"

var defaultCalendar = sync.OnceValues(func() (*Calendar, error) {
	return parseNormalized(embeddedCSV)
})

// Default returns the embedded calendar (2008–2027). It panics only if the embedded
// data is corrupt, which the package tests rule out.
func Default() *Calendar {
	c, err := defaultCalendar()
	if err != nil {
		panic("calendar: embedded data: " + err.Error())
	}
	return c
}

func shortHash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:4])
}

// parseNormalized reads the normalized day-by-day file:
// date,weekday,office_closed,kind,name,source.
func parseNormalized(data []byte) (*Calendar, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 6
	rows, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	c := &Calendar{
		version:  baseVersion + "." + shortHash(data),
		days:     map[civil.Date]Day{},
		years:    map[int]yearInfo{},
		closures: map[civil.Date]Closure{},
	}
	for i, row := range rows {
		if i == 0 {
			continue
		}
		d, err := civil.ParseISO(row[0])
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
		closed := row[2] == "1"
		day := Day{Date: d, Open: !closed, Kind: Kind(row[3]), Name: row[4], Source: row[5]}
		c.years[d.Year()] = yearInfo{source: row[5], provisional: strings.Contains(row[5], "provisional")}
		if !day.isDefault() {
			c.days[d] = day
		}
	}
	return c, nil
}

func isWeekend(t civil.Date) bool {
	return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday
}

// isDefault reports whether the day is what the weekday rule alone gives, with no name.
func (d Day) isDefault() bool {
	if d.Name != "" {
		return false
	}
	return d.Open == !isWeekend(d.Date)
}

func weekdayDay(t civil.Date, kindWeekday Kind) Day {
	if isWeekend(t) {
		return Day{Date: t, Open: false, Kind: Weekend}
	}
	return Day{Date: t, Open: true, Kind: kindWeekday}
}

// Version identifies the data the calendar was built from (embedded data, loaded years
// and closures). It changes whenever any of them changes.
func (c *Calendar) Version() string { return c.version }

// Covers reports whether the calendar holds data for the year (otherwise only
// weekends are treated as closed).
func (c *Calendar) Covers(year int) bool {
	_, ok := c.years[year]
	return ok
}

// Provisional reports whether the year's data is provisional (not yet the DGPA file).
func (c *Calendar) Provisional(year int) bool { return c.years[year].provisional }

// Years lists the covered years in order.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Day describes the day t.
func (c *Calendar) Day(t civil.Date) Day {
	if cl, ok := c.closures[t]; ok {
		base := c.baseDay(t)
		if base.Open {
			name := cl.Reason
			if name == "" {
				name = "停止上班"
			}
			return Day{Date: t, Open: false, Kind: ClosureDay, Name: name, Source: "closure:" + cl.City}
		}
	}
	return c.baseDay(t)
}

func (c *Calendar) baseDay(t civil.Date) Day {
	if d, ok := c.days[t]; ok {
		return d
	}
	if !c.Covers(t.Year()) {
		d := weekdayDay(t, UncoveredDay)
		if !d.Open {
			d.Kind = UncoveredDay
		}
		return d
	}
	return weekdayDay(t, Workday)
}

// IsOpen reports whether the office is open on t (辦公日).
func (c *Calendar) IsOpen(t civil.Date) bool { return c.Day(t).Open }

// IsHolidayWeekend reports whether t is a Saturday or Sunday on which a national
// holiday falls (2026-10-10 國慶日, a Saturday), as opposed to an ordinary weekend day.
func (c *Calendar) IsHolidayWeekend(t civil.Date) bool {
	d := c.Day(t)
	return isWeekend(t) && !d.Open && d.Kind == Holiday
}

// IsMakeupWorkday reports whether t is a weekend day on which offices work (補行上班日).
func (c *Calendar) IsMakeupWorkday(t civil.Date) bool {
	return isWeekend(t) && c.Day(t).Open
}

// NextOpen returns the first open day on or after t. It gives up (ok=false) after
// 400 days, which only a calendar with a whole closed year could reach.
func (c *Calendar) NextOpen(t civil.Date) (civil.Date, bool) {
	for i := 0; i < 400; i++ {
		if c.IsOpen(t) {
			return t, true
		}
		t = t.AddDays(1)
	}
	return t, false
}

func (c *Calendar) clone() *Calendar {
	n := &Calendar{
		version:  c.version,
		days:     make(map[civil.Date]Day, len(c.days)),
		years:    make(map[int]yearInfo, len(c.years)),
		closures: make(map[civil.Date]Closure, len(c.closures)),
	}
	for k, v := range c.days {
		n.days[k] = v
	}
	for k, v := range c.years {
		n.years[k] = v
	}
	for k, v := range c.closures {
		n.closures[k] = v
	}
	return n
}

// WithClosures returns a calendar with the closures applied (every closure given,
// whatever its City; use ForCity to filter). The version gains a suffix naming them.
// With no closures the calendar itself is returned.
func (c *Calendar) WithClosures(cs []Closure) *Calendar {
	if len(cs) == 0 {
		return c
	}
	// days and years are never modified after construction, so they are shared
	n := &Calendar{version: c.version, days: c.days, years: c.years, closures: make(map[civil.Date]Closure, len(c.closures)+len(cs))}
	for k, v := range c.closures {
		n.closures[k] = v
	}
	keys := make([]string, 0, len(cs))
	for _, cl := range cs {
		d := cl.Date
		if prev, ok := n.closures[d]; ok && prev.Reason != "" && cl.Reason == "" {
			cl.Reason = prev.Reason
		}
		n.closures[d] = cl
		keys = append(keys, d.ISO()+"|"+cl.City)
	}
	sort.Strings(keys)
	n.version = c.version + "+closures." + shortHash([]byte(strings.Join(keys, "\n")))
	return n
}

// ForCity applies the closures recorded for city (and those with an empty City,
// meaning every city).
func (c *Calendar) ForCity(city string, cs []Closure) *Calendar {
	var mine []Closure
	for _, cl := range cs {
		if cl.City == "" || cl.City == city {
			mine = append(mine, cl)
		}
	}
	return c.WithClosures(mine)
}

// Closures lists the closures applied, by date.
func (c *Calendar) Closures() []Closure {
	out := make([]Closure, 0, len(c.closures))
	for _, cl := range c.closures {
		out = append(out, cl)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

// WithYears returns a calendar in which the years present in days are replaced by
// those days (for instance a new year, or a revised year, read by LoadDGPA). Days of
// those years not listed follow the weekday rule. The version gains a suffix.
func (c *Calendar) WithYears(days []Day) (*Calendar, error) {
	if len(days) == 0 {
		return nil, errors.New("calendar: no days given")
	}
	n := c.clone()
	replaced := map[int]bool{}
	for _, d := range days {
		replaced[d.Date.Year()] = true
	}
	for k := range n.days {
		if replaced[k.Year()] {
			delete(n.days, k)
		}
	}
	var sum strings.Builder
	for _, d := range days {
		if d.Kind == kindUnknownKey {
			d.Kind = kindFor(d.Date, d.Open, d.Name)
		}
		if d.Source == "" {
			d.Source = "dgpa"
		}
		n.years[d.Date.Year()] = yearInfo{source: d.Source}
		if !d.isDefault() {
			n.days[d.Date] = d
		}
		fmt.Fprintf(&sum, "%s,%t,%s\n", strings.ReplaceAll(d.Date.ISO(), "-", ""), d.Open, d.Name)
	}
	ys := make([]string, 0, len(replaced))
	for y := range replaced {
		ys = append(ys, strconv.Itoa(y))
	}
	sort.Strings(ys)
	n.version = c.version + "+years." + strings.Join(ys, "-") + "." + shortHash([]byte(sum.String()))
	return n, nil
}

// kindFor classifies a day of a loaded calendar. The DGPA names only days off and
// make-up workdays, so a closed Saturday or Sunday with a name is a holiday that
// falls on it (2026-10-10 國慶日): 行政程序法第48條第4項 treats it as a 國定假日,
// not as an ordinary Saturday.
func kindFor(t civil.Date, open bool, name string) Kind {
	switch {
	case isWeekend(t) && open:
		return MakeupWorkday
	case isWeekend(t) && name != "":
		return Holiday
	case isWeekend(t):
		return Weekend
	case open:
		return Workday
	default:
		return Holiday
	}
}

// LoadDGPA reads a year of the DGPA calendar as published on data.gov.tw (dataset
// 14718): rows `西元日期,星期,是否放假,備註` (20250101,三,2,開國紀念日); 是否放假 2 = closed,
// 0 = open. UTF-8 (with or without BOM) and Big5 files are accepted.
func LoadDGPA(r io.Reader) ([]Day, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text, err := toUTF8(raw)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("辦公日曆表格式錯誤：%w", err)
	}
	var days []Day
	for i, row := range rows {
		if len(row) == 0 || (len(row) == 1 && strings.TrimSpace(row[0]) == "") {
			continue
		}
		first := strings.TrimSpace(row[0])
		if i == 0 && !isDigits(first) {
			continue // header
		}
		if len(row) < 3 {
			return nil, fmt.Errorf("辦公日曆表第%d列欄位不足", i+1)
		}
		t, err := time.Parse("20060102", first)
		if err != nil {
			return nil, fmt.Errorf("辦公日曆表第%d列日期「%s」應為西元年月日8位數字", i+1, first)
		}
		d := civil.New(t.Year(), t.Month(), t.Day())
		if wd := strings.TrimSpace(row[1]); wd != "" && wd != weekdayChar(d) {
			return nil, fmt.Errorf("辦公日曆表第%d列：%s 應為星期%s，檔案寫星期%s", i+1, first, weekdayChar(d), wd)
		}
		var open bool
		switch strings.TrimSpace(row[2]) {
		case "0":
			open = true
		case "2":
			open = false
		default:
			return nil, fmt.Errorf("辦公日曆表第%d列「是否放假」應為0或2，檔案寫「%s」", i+1, row[2])
		}
		name := ""
		if len(row) > 3 {
			name = strings.TrimSpace(row[3])
		}
		if open && isWeekend(d) && name == "" {
			name = "補行上班"
		}
		days = append(days, Day{Date: d, Open: open, Kind: kindFor(d, open, name), Name: name, Source: "dgpa"})
	}
	if len(days) == 0 {
		return nil, errors.New("辦公日曆表沒有任何日期")
	}
	return days, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

var weekdayChars = [...]string{"日", "一", "二", "三", "四", "五", "六"}

func weekdayChar(t civil.Date) string { return weekdayChars[t.Weekday()] }
