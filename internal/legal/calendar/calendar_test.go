package calendar

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"ebazhao/internal/platform/civil"
)

func d(s string) civil.Date {
	t, err := civil.ParseISO(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEmbeddedCalendar(t *testing.T) {
	c := Default()
	if !strings.HasPrefix(c.Version(), baseVersion) {
		t.Fatalf("version %q", c.Version())
	}
	for y := 2008; y <= 2027; y++ {
		if !c.Covers(y) {
			t.Errorf("year %d not covered", y)
		}
	}
	if c.Covers(2007) || c.Covers(2028) {
		t.Error("years outside the data reported as covered")
	}
	if !c.Provisional(2027) || c.Provisional(2026) {
		t.Error("2027 should be provisional, 2026 not")
	}
	tests := []struct {
		name     string
		day      string
		open     bool
		makeup   bool
		nameHas  string
		kindWant Kind
	}{
		{"ordinary Monday", "2024-07-08", true, false, "", Workday},
		{"ordinary Saturday", "2024-08-03", false, false, "", Weekend},
		{"Sunday", "2024-08-04", false, false, "", Weekend},
		{"小年夜 2024", "2024-02-08", false, false, "小年夜", Holiday},
		{"除夕 2024", "2024-02-09", false, false, "除夕", Holiday},
		{"春節 Saturday 2024 (a holiday on a Saturday)", "2024-02-10", false, false, "春節", Holiday},
		{"國慶日 Saturday 2026", "2026-10-10", false, false, "國慶日", Holiday},
		{"青年節 Saturday 2014: a commemoration, no day off", "2014-03-29", false, false, "青年節", Weekend},
		{"補假 2024-02-14", "2024-02-14", false, false, "補假", Holiday},
		{"first workday after LNY 2024", "2024-02-15", true, false, "", Workday},
		{"make-up Saturday 2024-02-17 (法務部99.02.03函)", "2024-02-17", true, true, "補行上班", MakeupWorkday},
		{"make-up Saturday 2023-01-07", "2023-01-07", true, true, "", MakeupWorkday},
		{"make-up Saturday 2025-02-08", "2025-02-08", true, true, "", MakeupWorkday},
		{"make-up Saturday 2009-01-10 (python-holidays era)", "2009-01-10", true, true, "", MakeupWorkday},
		{"LNY 2025 小年夜", "2025-01-27", false, false, "", Holiday},
		{"LNY 2025 last day", "2025-01-31", false, false, "", Holiday},
		{"Labour Day 2024 not an office holiday", "2024-05-01", true, false, "", Workday},
		{"Labour Day 2025 not an office holiday", "2025-05-01", true, false, "", Workday},
		{"Labour Day 2026 national holiday", "2026-05-01", false, false, "勞動節", Holiday},
		{"2025 revision: 孔子誕辰 補假 09-29", "2025-09-29", false, false, "", Holiday},
		{"2025 revision: 光復節 補假 10-24", "2025-10-24", false, false, "", Holiday},
		{"2025 revision: 行憲紀念日 12-25", "2025-12-25", false, false, "行憲", Holiday},
		{"和平紀念日 2023 (Tuesday)", "2023-02-28", false, false, "和平紀念日", Holiday},
		{"端午節 2024", "2024-06-10", false, false, "端午", Holiday},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			day := c.Day(d(tc.day))
			if day.Open != tc.open || c.IsOpen(d(tc.day)) != tc.open {
				t.Errorf("open = %v, want %v (%+v)", day.Open, tc.open, day)
			}
			if c.IsMakeupWorkday(d(tc.day)) != tc.makeup {
				t.Errorf("makeup = %v, want %v", !tc.makeup, tc.makeup)
			}
			if !strings.Contains(day.Name, tc.nameHas) {
				t.Errorf("name %q lacks %q", day.Name, tc.nameHas)
			}
			if day.Kind != tc.kindWant {
				t.Errorf("kind %q, want %q", day.Kind, tc.kindWant)
			}
		})
	}
}

func TestUncoveredYearsAreWeekendOnly(t *testing.T) {
	c := Default()
	for _, tc := range []struct {
		day  string
		open bool
	}{
		{"2030-01-01", true}, // New Year's Day is unknown outside the data: weekday rule
		{"2030-01-05", false},
		{"2030-01-06", false},
		{"2007-07-03", true},
	} {
		day := c.Day(d(tc.day))
		if day.Open != tc.open || day.Kind != UncoveredDay {
			t.Errorf("%s: %+v, want open=%v kind uncovered", tc.day, day, tc.open)
		}
	}
}

func TestNextOpen(t *testing.T) {
	c := Default()
	got, ok := c.NextOpen(d("2024-02-08"))
	if !ok || !got.Equal(d("2024-02-15")) {
		t.Errorf("NextOpen = %v %v", got, ok)
	}
}

func load(t *testing.T, name string) []Day {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	days, err := LoadDGPA(f)
	if err != nil {
		t.Fatal(err)
	}
	return days
}

// The 2025 calendar was revised on 2025-10-20 (紀念日及節日實施條例): the embedded data
// is the revision; loading the superseded original shows the difference, and the
// version changes so a document keeps the calendar it was computed with.
func TestRevision2025(t *testing.T) {
	c := Default()
	orig := load(t, "2025-original.csv")
	if len(orig) != 365 {
		t.Fatalf("2025 original: %d days", len(orig))
	}
	old, err := c.WithYears(orig)
	if err != nil {
		t.Fatal(err)
	}
	if old.Version() == c.Version() || !strings.Contains(old.Version(), "+years.2025.") {
		t.Errorf("version not changed: %q", old.Version())
	}
	for _, day := range []string{"2025-09-29", "2025-10-24", "2025-12-25"} {
		if c.IsOpen(d(day)) {
			t.Errorf("revised calendar: %s should be closed", day)
		}
		if !old.IsOpen(d(day)) {
			t.Errorf("original calendar: %s should be open", day)
		}
	}
	// the rest of 2025 agrees, and other years are untouched
	for x := d("2025-01-01"); x.Year() == 2025; x = x.AddDays(1) {
		s := x.ISO()
		if s == "2025-09-29" || s == "2025-10-24" || s == "2025-12-25" {
			continue
		}
		if c.IsOpen(x) != old.IsOpen(x) {
			t.Errorf("%s differs between original and revised", s)
		}
	}
	if !old.IsMakeupWorkday(d("2025-02-08")) || old.IsOpen(d("2024-02-09")) {
		t.Error("other days changed")
	}
}

// Big5 DGPA files load like UTF-8 ones.
func TestLoadDGPABig5(t *testing.T) {
	days := load(t, "2025-revised-20251020.big5.csv")
	if len(days) != 365 {
		t.Fatalf("%d days", len(days))
	}
	c := Default()
	for _, day := range days {
		if day.Open != c.IsOpen(day.Date) {
			t.Errorf("%s: big5 open=%v, embedded %v", day.Date.ISO(), day.Open, c.IsOpen(day.Date))
		}
	}
	if days[0].Name != "開國紀念日" {
		t.Errorf("name decoded as %q", days[0].Name)
	}
}

// A new year loads from the DGPA file without a code change.
func TestWithYearsNewYear(t *testing.T) {
	days := load(t, "2026.csv")
	c := Default()
	for _, day := range days {
		if day.Date.Year() != 2026 {
			t.Fatal("unexpected year")
		}
		if day.Open != c.IsOpen(day.Date) {
			t.Errorf("2026 file differs from embedded data on %s", day.Date.ISO())
		}
	}
	var buf bytes.Buffer
	buf.WriteString("\ufeff西元日期,星期,是否放假,備註\r\n")
	for x := d("2028-01-01"); x.Year() == 2028; x = x.AddDays(1) {
		flag := "0"
		if isWeekend(x) || x.ISO()[5:] == "01-03" {
			flag = "2"
		}
		note := ""
		if x.ISO()[5:] == "01-03" {
			note = "測試假日"
		}
		buf.WriteString(strings.ReplaceAll(x.ISO(), "-", "") + "," + weekdayChar(x) + "," + flag + "," + note + "\r\n")
	}
	// a synthetic 2028 file: a year outside the embedded data
	moved, err := LoadDGPA(&buf)
	if err != nil {
		t.Fatal(err)
	}
	n, err := c.WithYears(moved)
	if err != nil {
		t.Fatal(err)
	}
	if !n.Covers(2028) || c.Covers(2028) {
		t.Error("coverage not extended on the new calendar only")
	}
	if n.IsOpen(d("2028-01-03")) || !c.IsOpen(d("2028-01-03")) {
		t.Error("loaded holiday not applied")
	}
	if n.Day(d("2028-01-03")).Name != "測試假日" {
		t.Error("name lost")
	}
}

func TestLoadDGPAErrors(t *testing.T) {
	for name, in := range map[string]string{
		"empty":         "",
		"header only":   "西元日期,星期,是否放假,備註\n",
		"bad flag":      "20250102,四,1,\n",
		"bad weekday":   "20250102,五,0,\n",
		"bad date":      "2025-01-02,四,0,\n",
		"missing field": "20250102,四\n",
	} {
		if _, err := LoadDGPA(strings.NewReader(in)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Default().WithYears(nil); err == nil {
		t.Error("WithYears(nil) accepted")
	}
}

func TestClosures(t *testing.T) {
	c := Default()
	if c.WithClosures(nil) != c || c.ForCity("臺中市", nil) != c {
		t.Error("no closures should return the same calendar")
	}
	cs := []Closure{
		{Date: d("2024-07-25"), City: "臺中市", Reason: "凱米颱風停止上班"},
		{Date: d("2024-07-24"), City: "高雄市", Reason: "凱米颱風停止上班"},
		{Date: d("2024-02-17"), City: "臺中市", Reason: "測試：補行上班日停止上班"},
		{Date: d("2024-07-27"), City: "臺中市", Reason: "週六"},
	}
	tc := c.ForCity("臺中市", cs)
	if tc.Version() == c.Version() || !strings.Contains(tc.Version(), "+closures.") {
		t.Errorf("version %q", tc.Version())
	}
	if tc.IsOpen(d("2024-07-25")) || !c.IsOpen(d("2024-07-25")) {
		t.Error("closure not applied, or applied to the shared calendar")
	}
	if day := tc.Day(d("2024-07-25")); day.Kind != ClosureDay || day.Name != "凱米颱風停止上班" {
		t.Errorf("closure day %+v", day)
	}
	if !tc.IsOpen(d("2024-07-24")) {
		t.Error("another city's closure applied")
	}
	if tc.IsOpen(d("2024-02-17")) || tc.IsMakeupWorkday(d("2024-02-17")) {
		t.Error("closure of a make-up Saturday not applied")
	}
	if tc.Day(d("2024-07-27")).Kind != Weekend {
		t.Error("closure on a weekend should leave it a weekend")
	}
	other := c.ForCity("臺中市", cs[:1])
	if other.Version() == tc.Version() {
		t.Error("different closures, same version")
	}
	if len(tc.Closures()) != 3 {
		t.Errorf("closures %v", tc.Closures())
	}
	all := c.WithClosures([]Closure{{Date: d("2024-07-26")}})
	if all.IsOpen(d("2024-07-26")) || all.Day(d("2024-07-26")).Name != "停止上班" {
		t.Error("closure without reason")
	}
}

// A Saturday on which a national holiday falls is told from an ordinary Saturday
// (行政程序法第48條第4項; LEGAL.md U18): in the embedded data and in a loaded DGPA file,
// whose 備註 names only days off.
func TestHolidayWeekend(t *testing.T) {
	c := Default()
	for day, want := range map[string]bool{
		"2026-10-10": true,  // 國慶日
		"2026-02-28": true,  // 和平紀念日
		"2025-10-25": true,  // 臺灣光復暨金門古寧頭大捷紀念日 (2025 revision)
		"2027-05-01": true,  // 勞動節, a holiday for all from 2026
		"2026-10-03": false, // ordinary Saturday
		"2014-03-29": false, // 青年節: a commemoration without a day off
		"2024-02-17": false, // make-up Saturday (open)
		"2026-10-09": false, // 補假, a Friday: a holiday, but not a weekend day
	} {
		if got := c.IsHolidayWeekend(d(day)); got != want {
			t.Errorf("IsHolidayWeekend(%s) = %v, want %v", day, got, want)
		}
	}
	loaded, err := LoadDGPA(strings.NewReader("西元日期,星期,是否放假,備註\n20261003,六,2,\n20261009,五,2,補假\n20261010,六,2,國慶日\n20261011,日,2,\n"))
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Kind{}
	for _, x := range loaded {
		kinds[x.Date.ISO()] = x.Kind
	}
	if kinds["2026-10-03"] != Weekend || kinds["2026-10-09"] != Holiday || kinds["2026-10-10"] != Holiday || kinds["2026-10-11"] != Weekend {
		t.Errorf("loaded kinds %v", kinds)
	}
}
