package legal

import (
	"strings"
	"testing"
)

func TestConceptionWindow(t *testing.T) {
	// 民法第1062條第1項: 181st–302nd day back, the birth day being day 1 → [B−301, B−180]
	tests := []struct {
		name, birth, from, to string
	}{
		{"1062I LEGAL example", "2024-06-15", "2023-08-19", "2023-12-18"},
		{"1062I across Feb 29 2024", "2024-12-31", "2024-03-05", "2024-07-04"},
		{"1062I birth on Mar 1 of a leap year", "2024-03-01", "2023-05-05", "2023-09-03"},
		{"1062I birth on Mar 1 of a common year (window holds Feb 29 2024)", "2025-03-01", "2024-05-04", "2024-09-02"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Conception(ConceptionRequest{BirthDate: D(d(tc.birth))})
			if err != nil {
				t.Fatal(err)
			}
			if r.WindowStart.String() != tc.from || r.WindowEnd.String() != tc.to || r.WindowDays != 122 {
				t.Errorf("window %s–%s (%d days)", r.WindowStart, r.WindowEnd, r.WindowDays)
			}
			if r.PresumedLegitimate || len(r.PresumedHusbands) != 0 {
				t.Error("presumed without a marriage")
			}
		})
	}
}

func TestConceptionPresumption(t *testing.T) {
	// birth 2024-06-15: window 2023-08-19 … 2023-12-18 (民法第1063條第1項)
	type m = Marriage
	mk := func(h, s, e string) Marriage {
		x := Marriage{Husband: h, Start: D(d(s))}
		if e != "" {
			x.End = D(d(e))
		}
		return x
	}
	tests := []struct {
		name      string
		marriages []m
		presumed  []string
		dual      bool
	}{
		{"1063I marriage lasting", []m{mk("甲", "2020-01-01", "")}, []string{"甲"}, false},
		{"1063I divorced before the window: no presumption", []m{mk("甲", "2020-01-01", "2023-08-18")}, nil, false},
		{"1063I divorced on the window's first day: presumed (any day counts)", []m{mk("甲", "2020-01-01", "2023-08-19")}, []string{"甲"}, false},
		{"1063I divorced inside the window, born after: still the former husband's", []m{mk("甲", "2020-01-01", "2023-10-01")}, []string{"甲"}, false},
		{"1063I married on the window's last day: presumed", []m{mk("乙", "2023-12-18", "")}, []string{"乙"}, false},
		{"1063I married the day after the window: conceived before marriage (1064)", []m{mk("乙", "2023-12-19", "")}, nil, false},
		{"1063I husband died inside the window", []m{mk("甲", "2010-01-01", "2023-09-30")}, []string{"甲"}, false},
		{"1063I + 家事事件法65 divorce then remarriage inside the window: dual", []m{mk("甲", "2015-01-01", "2023-09-01"), mk("乙", "2023-10-01", "")}, []string{"甲", "乙"}, true},
		{"1063I divorce before window, remarriage inside: only the new husband", []m{mk("甲", "2015-01-01", "2023-08-01"), mk("乙", "2023-08-02", "")}, []string{"乙"}, false},
		{"1063I divorce inside window, remarriage after it: only the former husband", []m{mk("甲", "2015-01-01", "2023-09-01"), mk("乙", "2024-01-01", "")}, []string{"甲"}, false},
		{"marriage after the birth", []m{mk("乙", "2024-07-01", "")}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Conception(ConceptionRequest{BirthDate: D(d("2024-06-15")), Marriages: tc.marriages})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(r.PresumedHusbands, ",") != strings.Join(tc.presumed, ",") || r.DualPresumption != tc.dual ||
				r.PresumedLegitimate != (len(tc.presumed) > 0) {
				t.Errorf("presumed %v dual %v\n%s", r.PresumedHusbands, r.DualPresumption, strings.Join(r.Steps, "\n"))
			}
			if tc.dual && !strings.Contains(strings.Join(r.Steps, ""), "家事事件法第65條") {
				t.Error("dual presumption not referred to the court")
			}
		})
	}
}

func TestConceptionProvenWindowAndErrors(t *testing.T) {
	r, err := Conception(ConceptionRequest{BirthDate: D(d("2024-06-15")),
		ProvenWindow: &DateRange{From: D(d("2023-07-01")), To: D(d("2023-07-31"))}, ProvenReason: "醫師證明",
		Marriages: []Marriage{{Husband: "甲", Start: D(d("2023-06-01")), End: D(d("2023-07-15"))}}})
	if err != nil {
		t.Fatal(err)
	}
	if r.WindowSource != "民法第1062條第2項" || r.WindowDays != 31 || !r.PresumedLegitimate {
		t.Errorf("%+v", r)
	}
	for _, in := range []ConceptionRequest{
		{},
		{BirthDate: D(d("2024-06-15")), Marriages: []Marriage{{Husband: "甲"}}},
		{BirthDate: D(d("2024-06-15")), Marriages: []Marriage{{Husband: "甲", Start: D(d("2023-01-01")), End: D(d("2022-01-01"))}}},
	} {
		if _, err := Conception(in); !IsInputError(err) {
			t.Errorf("%+v: %v", in, err)
		}
	}
}
