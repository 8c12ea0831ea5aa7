package legal

import (
	"encoding/json"
	"strings"
	"testing"

	"ebazhao/internal/platform/civil"
)

func iso(t *testing.T, s string) civil.Date {
	t.Helper()
	d, err := civil.ParseISO(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// 行政程序法第72條、第74條、第81條: the day service takes effect.
func TestServiceEffectiveDate(t *testing.T) {
	tests := []struct {
		name, method, date string
		abroad, repeat     bool
		want, countFrom    string
		article            string
	}{
		// 第72條第1項但書: handed over at the counter, served that day.
		{"臨櫃交付 same day", ServiceCounter, "2026-03-02", false, false, "2026-03-02", "2026-03-03", "行政程序法第72條第1項但書"},
		// 第68條、第73條: by post, served on the day received per the returned 送達證書.
		{"郵務送達 day received", ServicePost, "2026-03-06", false, false, "2026-03-06", "2026-03-07", "行政程序法第73條第1項"},
		// 第74條 (LEGAL.md §11): deposited 115.3.2 → effective ten days later, 115.3.12.
		{"寄存送達 +10", ServiceDeposit, "2026-03-02", false, false, "2026-03-12", "2026-03-13", "行政程序法第74條"},
		// the tenth day is a Saturday: an effect, not a citizen's last day — not extended.
		{"寄存送達 tenth day Saturday stays", ServiceDeposit, "2026-10-07", false, false, "2026-10-17", "2026-10-18", "行政程序法第74條"},
		// over the month and year end
		{"寄存送達 over year end", ServiceDeposit, "2026-12-25", false, false, "2027-01-04", "2027-01-05", "行政程序法第74條"},
		// 第81條: posted 115.3.2 → effective after 20 days, 115.3.22.
		{"公示送達 +20", ServicePublic, "2026-03-02", false, false, "2026-03-22", "2026-03-23", "行政程序法第81條"},
		// 第81條 with 第78條第1項第3款: abroad, 60 days.
		{"公示送達 abroad +60", ServicePublic, "2026-03-02", true, false, "2026-05-01", "2026-05-02", "行政程序法第78條第1項第3款"},
		// 第81條但書, 第79條: repeated ex officio, the day after posting.
		{"公示送達 repeated 第79條", ServicePublic, "2026-03-02", false, true, "2026-03-03", "2026-03-04", "行政程序法第79條"},
		// leap day
		{"公示送達 over 2028-02-29", ServicePublic, "2028-02-20", false, false, "2028-03-11", "2028-03-12", "行政程序法第81條"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Service(ServiceRequest{Method: tc.method, Date: iso(t, tc.date), Abroad: tc.abroad, Repeat: tc.repeat})
			if err != nil {
				t.Fatal(err)
			}
			if r.EffectiveDate.ISO() != tc.want || r.CountFrom.ISO() != tc.countFrom {
				t.Errorf("effective %s count from %s, want %s %s\n%s", r.EffectiveDate, r.CountFrom, tc.want, tc.countFrom, strings.Join(r.Steps, "\n"))
			}
			if !contains(r.Articles, tc.article) {
				t.Errorf("articles %v lack %s", r.Articles, tc.article)
			}
			if len(r.Steps) == 0 {
				t.Error("no steps")
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestServiceInputErrors(t *testing.T) {
	for _, tc := range []struct{ input, want string }{
		{`{"date":"2026-03-02"}`, "method"},
		{`{"method":"電子郵件","date":"2026-03-02"}`, "寄存送達"},
		{`{"method":"郵務送達"}`, "date"},
		{`{"method":"郵務送達","date":"2026-03-02","abroad":true}`, "公示送達"},
		{`{"method":"臨櫃交付","date":"1999-03-02"}`, "行政程序法施行"},
		{`{"method":"臨櫃交付","date":"2026-3-2"}`, "YYYY-MM-DD"},
	} {
		_, err := Calc(KindService, []byte(tc.input), Options{})
		if err == nil || !IsInputError(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an input error naming %s", tc.input, err, tc.want)
		}
	}
}

// 行政罰法第27條: three years from the end of the act, the first day counted whole and a
// last day on a rest day not extended (行政程序法第48條第5項); 第45條第2項 for acts
// that ended before the act took effect.
func TestLimitation(t *testing.T) {
	tests := []struct {
		name, actEnd, decision string
		lapse                  string
		lapsed                 *bool
		warn                   bool
		article                string
	}{
		// Issue 19: a death on 110.1.1 registered 110.3.1; the three years run from
		// 110.3.1 (counted) and end 113.2.29 (a leap day).
		{"issue 19 death registered 110.3.1: last day", "2021-03-01", "2024-02-29", "2024-02-29", ptr(false), true, "行政罰法第27條第1項"},
		{"issue 19 death registered 110.3.1: a day late", "2021-03-01", "2024-03-01", "2024-02-29", ptr(true), false, "行政罰法第27條第1項"},
		{"issue 19 death registered 110.3.1: decided today", "2021-03-01", "2026-12-08", "2024-02-29", ptr(true), false, "行政罰法第27條第1項"},
		// applied on 113.2.29: 116 has no 2月29日, the period ends on 116.2.28
		{"act ends on a leap day", "2024-02-29", "2027-02-28", "2027-02-28", ptr(false), true, "行政程序法第48條第5項"},
		// the last day 115.10.10 is a Saturday and 國慶日: not extended to Monday
		{"last day on a holiday Saturday is not extended", "2023-10-11", "2026-10-12", "2026-10-10", ptr(true), false, "行政程序法第48條第5項"},
		// 90 days before the lapse: warned; 90 days or more: not
		{"89 days left: warned", "2024-06-10", "2027-03-12", "2027-06-09", ptr(false), true, "行政罰法第27條第2項"},
		{"90 days left: no warning", "2024-06-10", "2027-03-11", "2027-06-09", ptr(false), false, "行政罰法第27條第2項"},
		// old-law birth 96.7.3 registered 96.8.3 (issue 19: fined 19 years later)
		{"old-law birth registered 96.8.3", "2007-08-03", "2026-12-08", "2010-08-02", ptr(true), false, "行政罰法第27條第1項"},
		// ended before 行政罰法 (95.2.5): runs from 95.2.5 (第45條第2項)
		{"act ended before 行政罰法", "2004-05-01", "2009-02-04", "2009-02-04", ptr(false), true, "行政罰法第45條第2項"},
		{"act ended before 行政罰法: lapsed", "2004-05-01", "2009-02-05", "2009-02-04", ptr(true), false, "行政罰法第45條第2項"},
		{"no decision date", "2025-01-10", "", "2028-01-09", nil, false, "行政罰法第27條第1項"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := LimitationRequest{ActEndDate: iso(t, tc.actEnd)}
			if tc.decision != "" {
				in.DecisionDate = iso(t, tc.decision)
			}
			r, err := Limitation(in)
			if err != nil {
				t.Fatal(err)
			}
			if r.LapseDate.ISO() != tc.lapse {
				t.Errorf("lapse %s, want %s\n%s", r.LapseDate, tc.lapse, strings.Join(r.Steps, "\n"))
			}
			switch {
			case tc.lapsed == nil && r.Lapsed != nil:
				t.Errorf("lapsed given without a decision date")
			case tc.lapsed != nil && (r.Lapsed == nil || *r.Lapsed != *tc.lapsed):
				t.Errorf("lapsed %v, want %v", r.Lapsed, *tc.lapsed)
			}
			if (len(r.Warnings) > 0) != tc.warn {
				t.Errorf("warnings %v, want warned=%v", r.Warnings, tc.warn)
			}
			if !contains(r.Articles, tc.article) {
				t.Errorf("articles %v lack %s", r.Articles, tc.article)
			}
		})
	}
}

func ptr(b bool) *bool { return &b }

func TestLimitationJSON(t *testing.T) {
	res, err := Calc(KindLimitation, []byte(`{"act_end_date":"2021-03-01"}`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	if strings.Contains(string(b), `"lapsed"`) || strings.Contains(string(b), `"decision_date"`) || !strings.Contains(string(b), `"lapse_date":"2024-02-29"`) {
		t.Errorf("%s", b)
	}
	if _, err := Calc(KindLimitation, []byte(`{"decision_date":"2024-01-01"}`), Options{}); err == nil || !strings.Contains(err.Error(), "act_end_date") {
		t.Errorf("missing act_end_date: %v", err)
	}
}
