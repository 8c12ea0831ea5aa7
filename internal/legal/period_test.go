package legal

import (
	"os"
	"strings"
	"testing"

	"ebazhao/internal/legal/calendar"
	"ebazhao/internal/platform/civil"
)

func d(s string) civil.Date {
	t, err := civil.ParseISO(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddMonthsEnd(t *testing.T) {
	// 行政程序法第48條第3項 / 民法第121條第2項: the day before the corresponding day
	// of the first counted day; no such day → the month's last day; counted from the
	// 1st of a month → the last month's last day (民法第121條第1項, 第123條第1項).
	tests := []struct {
		name  string
		start string
		n     int
		want  string
	}{
		{"48III corresponding day", "2024-01-15", 1, "2024-02-15"},
		{"48III Jan 31 leap year → Feb 29", "2024-01-31", 1, "2024-02-29"},
		{"48III Jan 30 leap year → Feb 29", "2024-01-30", 1, "2024-02-29"},
		{"48III Jan 29 leap year → Feb 29", "2024-01-29", 1, "2024-02-29"},
		{"48III Jan 28 leap year → Feb 28", "2024-01-28", 1, "2024-02-28"},
		{"48III Jan 28 common year → Feb 28 (no Feb 29)", "2023-01-28", 1, "2023-02-28"},
		{"48III Jan 27 common year", "2023-01-27", 1, "2023-02-27"},
		{"48III Jan 31 common year → Feb 28", "2023-01-31", 1, "2023-02-28"},
		{"121I counted from Mar 1 → Mar 31", "2023-02-28", 1, "2023-03-31"},
		{"121I counted from Mar 1 (leap) → Mar 31", "2024-02-29", 1, "2024-03-31"},
		{"121I counted from May 1 → May 31", "2024-04-30", 1, "2024-05-31"},
		{"121I counted from Jan 1, 2 months → Feb 29", "2023-12-31", 2, "2024-02-29"},
		{"48III Mar 31 → Apr 30", "2024-03-31", 1, "2024-04-30"},
		{"48III Mar 30 → Apr 30 (no Apr 31)", "2024-03-30", 1, "2024-04-30"},
		{"48III 3 months across the year", "2024-11-15", 3, "2025-02-15"},
		{"48III Nov 30 + 3 months → Feb 28", "2024-11-30", 3, "2025-02-28"},
		{"48III 1 year from Feb 29 → Feb 28", "2024-02-29", 12, "2025-02-28"},
		{"48III 1 year from Feb 28 (common) → Feb 29 (counted from Mar 1)", "2023-02-28", 12, "2024-02-29"},
		{"48III 1 year ordinary", "2024-07-07", 12, "2025-07-07"},
		{"48III 6 months from Aug 31 → Feb end", "2025-08-31", 6, "2026-02-28"},
		{"48III 6 months from Oct 31 (民法121II example)", "2024-10-31", 4, "2025-02-28"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := addMonthsEnd(d(tc.start), tc.n); !got.Equal(d(tc.want)) {
				t.Errorf("addMonthsEnd(%s, %d) = %s, want %s", tc.start, tc.n, got.ISO(), tc.want)
			}
		})
	}
}

func TestParsePeriod(t *testing.T) {
	tests := []struct {
		in   string
		want Period
	}{
		{"30日", Period{Days: 30}},
		{"60日", Period{Days: 60}},
		{"10日", Period{Days: 10}},
		{"1個月", Period{Months: 1}},
		{"3個月", Period{Months: 3}},
		{"1年", Period{Years: 1}},
		{"2年", Period{Years: 2}},
		{"3個月又30日", Period{Months: 3, Days: 30}},
		{"三個月又三十日", Period{Months: 3, Days: 30}},
		{"六個月", Period{Months: 6}},
		{"一百八十日", Period{Days: 180}},
		{"兩年", Period{Years: 2}},
		{"十五日", Period{Days: 15}},
		{"２０天", Period{Days: 20}},
		{"1年6個月", Period{Years: 1, Months: 6}},
		{"2星期", Period{Weeks: 2}},
		{"30日內", Period{Days: 30}},
		{" 3 個月 ", Period{Months: 3}},
	}
	for _, tc := range tests {
		got, err := ParsePeriod(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "30", "日", "abc", "30日又3個月", "0日", "3個月3個月", "-3日", "1000000日", "999年", "三十"} {
		if _, err := ParsePeriod(bad); err == nil || !IsInputError(err) {
			t.Errorf("ParsePeriod(%q) accepted or wrong error: %v", bad, err)
		}
	}
	if s := (Period{Years: 1, Months: 6, Days: 30}).String(); s != "1年6個月又30日" {
		t.Errorf("String = %q", s)
	}
}

type periodCase struct {
	name        string // cites the article / ruling applied
	start       string
	period      string
	rawEnd      string
	deadline    string
	extended    bool
	morningOnly bool
}

func checkPeriod(t *testing.T, cal *Calendar, tc periodCase) *PeriodResult {
	t.Helper()
	r, err := AddPeriod(cal, d(tc.start), tc.period)
	if err != nil {
		t.Fatal(err)
	}
	if r.RawEnd.String() != tc.rawEnd || r.Deadline.String() != tc.deadline || r.Extended != tc.extended || r.MorningOnly != tc.morningOnly {
		t.Errorf("%s + %s: raw %s deadline %s extended %v morning %v; want %s %s %v %v\n%s",
			tc.start, tc.period, r.RawEnd, r.Deadline, r.Extended, r.MorningOnly,
			tc.rawEnd, tc.deadline, tc.extended, tc.morningOnly, strings.Join(r.Steps, "\n"))
	}
	if len(r.Steps) == 0 || len(r.Articles) == 0 {
		t.Error("no steps or articles")
	}
	return r
}

func TestAddPeriod(t *testing.T) {
	tests := []periodCase{
		// start day not counted
		{"行政程序法48II start day not counted, 30日", "2024-03-04", "30日", "2024-04-03", "2024-04-03", false, false},
		{"行政程序法48II 10日", "2024-07-01", "10日", "2024-07-11", "2024-07-11", false, false},
		// LEGAL §2.3: 1個月 vs 30日
		{"行政程序法48III/IV 1個月 ends Saturday → Monday morning", "2024-07-03", "1個月", "2024-08-03", "2024-08-05", true, true},
		{"行政程序法48II 30日 from 2024-07-03", "2024-07-03", "30日", "2024-08-02", "2024-08-02", false, false},
		{"行政程序法48III 1個月 from Jan 31 (leap) → Feb 29", "2024-01-31", "1個月", "2024-02-29", "2024-02-29", false, false},
		{"行政程序法48II 30日 from Jan 31 (leap) → Mar 1", "2024-01-31", "30日", "2024-03-01", "2024-03-01", false, false},
		{"行政程序法48III/IV 1個月 from 2023-01-31 → Feb 28 和平紀念日 → Mar 1", "2023-01-31", "1個月", "2023-02-28", "2023-03-01", true, false},
		{"行政程序法48II 30日 from 2023-01-31", "2023-01-31", "30日", "2023-03-02", "2023-03-02", false, false},
		{"行政程序法48III/IV 2024-01-28 + 1個月 = 和平紀念日 → Feb 29", "2024-01-28", "1個月", "2024-02-28", "2024-02-29", true, false},
		{"行政程序法48III month counted from the 1st (民法121I) ends Sunday → Monday", "2024-02-29", "1個月", "2024-03-31", "2024-04-01", true, false},
		{"行政程序法48III/IV 1年 from Feb 29 → Feb 28 (Fri, 和平紀念日) → Mar 3", "2024-02-29", "1年", "2025-02-28", "2025-03-03", true, false},
		{"行政程序法48III 1年 from 2023-02-28 → 2024-02-29", "2023-02-28", "1年", "2024-02-29", "2024-02-29", false, false},
		// chained holidays
		{"行政程序法48IV chained Lunar New Year 2024", "2024-01-10", "30日", "2024-02-09", "2024-02-15", true, false},
		{"行政程序法48IV chained Lunar New Year 2025 from a Sunday", "2024-12-27", "30日", "2025-01-26", "2025-02-03", true, false},
		{"行政程序法48IV Saturday before Lunar New Year: Monday closed → no morning-only", "2024-12-26", "30日", "2025-01-25", "2025-02-03", true, false},
		{"行政程序法48IV Saturday, Monday 端午節 → Tuesday whole day", "2024-05-09", "30日", "2024-06-08", "2024-06-11", true, false},
		{"行政程序法48IV 60日 birth ends Sunday", "2024-01-03", "60日", "2024-03-03", "2024-03-04", true, false},
		// make-up Saturdays are open (法務部99.02.03法律字第0999004718號函)
		{"法務部0999004718函 make-up Saturday 2024-02-17 no roll-over", "2024-01-18", "30日", "2024-02-17", "2024-02-17", false, false},
		{"法務部0999004718函 make-up Saturday 2025-02-08", "2025-01-09", "30日", "2025-02-08", "2025-02-08", false, false},
		{"法務部0999004718函 make-up Saturday 2023-01-07", "2022-12-08", "30日", "2023-01-07", "2023-01-07", false, false},
		// ordinary Saturday → next Monday morning
		{"行政程序法48IV Saturday → Monday morning", "2024-05-02", "30日", "2024-06-01", "2024-06-03", true, true},
		{"行政程序法48IV ordinary Saturday 2014-03-29 (青年節, not a day off) → Monday morning", "2014-02-27", "30日", "2014-03-29", "2014-03-31", true, true},
		// a Saturday that is a 國定假日 is a holiday (48IV first clause): the whole Monday (LEGAL §2.2 rule 5, U18)
		{"行政程序法48IV U18 issue 19: 115.9.10 + 30日 → 國慶日 Saturday → 115.10.12 whole day", "2026-09-10", "30日", "2026-10-10", "2026-10-12", true, false},
		{"行政程序法48III/IV U18 issue 19: 115.1.31 + 1個月 → 和平紀念日 Saturday → 115.3.2 whole day", "2026-01-31", "1個月", "2026-02-28", "2026-03-02", true, false},
		{"行政程序法48IV U18 Saturday 和平紀念日 2026 (6個月) → Monday whole day", "2025-08-31", "6個月", "2026-02-28", "2026-03-02", true, false},
		{"行政程序法48IV U18 Saturday 兒童節 2026-04-04, Sunday 清明節, Monday 補假 → Tuesday whole day", "2026-03-05", "30日", "2026-04-04", "2026-04-07", true, false},
		{"行政程序法48IV U18 Saturday 端午節 2025-05-31 → Monday whole day", "2025-05-01", "30日", "2025-05-31", "2025-06-02", true, false},
		// the 2025 revision
		{"行政程序法48IV 2025 revision: 孔子誕辰 Sunday, 補假 09-29", "2025-08-29", "30日", "2025-09-28", "2025-09-30", true, false},
		{"行政程序法48IV 2025 revision: 補假 10-24 (Fri) → Monday whole day", "2025-09-24", "30日", "2025-10-24", "2025-10-27", true, false},
		{"行政程序法48IV 2025 revision: 行憲紀念日 12-25", "2025-11-25", "30日", "2025-12-25", "2025-12-26", true, false},
		// Labour Day: not an office holiday before 2026 (經濟部2025-04-16; 法務部0999004718函)
		{"行政程序法48IV Labour Day 2024 is an office day", "2024-04-01", "30日", "2024-05-01", "2024-05-01", false, false},
		{"行政程序法48IV Labour Day 2026 is a holiday", "2026-04-01", "30日", "2026-05-01", "2026-05-04", true, false},
		// compound moving period
		{"戶籍法17 + 48I 3個月又30日", "2024-01-15", "3個月又30日", "2024-05-15", "2024-05-15", false, false},
		{"戶籍法17 + 48I 3個月又30日 from month end", "2024-02-29", "3個月又30日", "2024-06-30", "2024-07-01", true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { checkPeriod(t, nil, tc) })
	}
}

func TestPeriodCivilRule(t *testing.T) {
	// 民法第122條: a Saturday is a rest day; the next day, repeatedly — whole day.
	r, err := PeriodCalc(Options{}, PeriodRequest{StartDate: D(d("2024-07-03")), Period: "1個月", Rule: "民法"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Deadline.String() != "2024-08-05" || r.MorningOnly || r.Rule != "民法" {
		t.Errorf("%+v", r)
	}
	if !strings.Contains(strings.Join(r.Articles, ","), "民法第122條") {
		t.Errorf("articles %v", r.Articles)
	}
	if _, err := PeriodCalc(Options{}, PeriodRequest{StartDate: D(d("2024-07-03")), Period: "1個月", Rule: "刑法"}); !IsInputError(err) {
		t.Errorf("unknown rule accepted: %v", err)
	}
}

func TestPeriodStepsUseROCDates(t *testing.T) {
	r := checkPeriod(t, nil, periodCase{"行政程序法48IV", "2024-01-10", "30日", "2024-02-09", "2024-02-15", true, false})
	all := strings.Join(r.Steps, "\n")
	for _, want := range []string{"113年1月10日", "113年2月9日", "農曆除夕", "113年2月15日", "行政程序法第48條第4項"} {
		if !strings.Contains(all, want) {
			t.Errorf("steps lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "2024") {
		t.Errorf("steps show Gregorian dates:\n%s", all)
	}
}

func TestPeriodOutsideCalendarWarns(t *testing.T) {
	r := checkPeriod(t, nil, periodCase{"行政程序法48IV weekend-only outside the data", "2030-01-01", "30日", "2030-01-31", "2030-01-31", false, false})
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "119年") {
		t.Errorf("no warning for 2030: %v", r.Warnings)
	}
	r = checkPeriod(t, nil, periodCase{"行政程序法48IV 2007 (old-law era, no data)", "2007-07-03", "30日", "2007-08-02", "2007-08-02", false, false})
	if len(r.Warnings) == 0 {
		t.Error("no warning for 2007")
	}
	r = checkPeriod(t, nil, periodCase{"2027 provisional", "2027-03-01", "30日", "2027-03-31", "2027-03-31", false, false})
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "暫定") {
		t.Errorf("no provisional warning: %v", r.Warnings)
	}
}

// The 2025 revision changes deadlines: a calendar built from the original 2025 file
// gives a different deadline and a different version.
func TestPeriodCalendarRevision(t *testing.T) {
	f, err := os.Open("calendar/testdata/2025-original.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	days, err := calendar.LoadDGPA(f)
	if err != nil {
		t.Fatal(err)
	}
	orig, err := calendar.Default().WithYears(days)
	if err != nil {
		t.Fatal(err)
	}
	r := checkPeriod(t, orig, periodCase{"行政程序法48IV original 2025 calendar: 09-29 was a workday", "2025-08-29", "30日", "2025-09-28", "2025-09-29", true, false})
	if r.CalendarVersion == calendar.Default().Version() {
		t.Error("same version for different calendars")
	}
}

// Typhoon closures (其他休息日) recorded per city roll the deadline over.
func TestPeriodWithClosure(t *testing.T) {
	cal := calendar.Default().ForCity("臺中市", []Closure{
		{Date: d("2024-07-25"), City: "臺中市", Reason: "凱米颱風停止上班"},
		{Date: d("2024-07-26"), City: "臺中市", Reason: "凱米颱風停止上班"},
	})
	r := checkPeriod(t, cal, periodCase{"行政程序法48IV typhoon closures", "2024-06-25", "30日", "2024-07-25", "2024-07-29", true, false})
	if !strings.Contains(strings.Join(r.Steps, ""), "凱米颱風停止上班") {
		t.Errorf("closure not explained: %v", r.Steps)
	}
	if r.CalendarVersion == calendar.Default().Version() {
		t.Error("closures did not change the version")
	}
	other := calendar.Default().ForCity("高雄市", []Closure{{Date: d("2024-07-25"), City: "臺中市"}})
	checkPeriod(t, other, periodCase{"other city unaffected", "2024-06-25", "30日", "2024-07-25", "2024-07-25", false, false})
}
