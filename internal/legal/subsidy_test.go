package legal

import (
	"strings"
	"testing"
)

func bp(b bool) *bool { return &b }

func TestBirthSubsidyResidence(t *testing.T) {
	// 臺中市生育津貼發放作業計畫: 設籍滿180日, counted from the last move-in day to the
	// birth day, both included (≥180 ⇔ M ≤ B−179)
	tests := []struct {
		name     string
		moveIn   string
		reg      *bool
		days     int
		eligible bool
	}{
		{"180 days (M = B−179): eligible", "2025-01-02", nil, 180, true},
		{"179 days (M = B−178): not eligible", "2025-01-03", nil, 179, false},
		{"moved in on the birth day: 1 day", "2025-06-30", nil, 1, false},
		{"moved in after the birth: 0 days", "2025-07-01", nil, 0, false},
		{"180 days but moved out before applying", "2025-01-02", bp(false), 180, false},
		{"long residence", "2010-01-01", bp(true), 5660, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := BirthSubsidy(Options{}, BirthSubsidyRequest{
				BirthDate: D(d("2025-06-30")), ApplicationDate: D(d("2025-07-15")),
				Parents: []SubsidyParent{{Who: "母", LastMoveIn: D(d(tc.moveIn)), RegisteredAtApplication: tc.reg}},
			})
			if err != nil {
				t.Fatal(err)
			}
			if r.ResidenceDays["母"] != tc.days || r.Eligible != tc.eligible {
				t.Errorf("days %d eligible %v reasons %v\n%s", r.ResidenceDays["母"], r.Eligible, r.Reasons, strings.Join(r.Steps, "\n"))
			}
			if tc.eligible && (r.Total != 20000 || len(r.Reasons) != 0) {
				t.Errorf("total %d reasons %v", r.Total, r.Reasons)
			}
			if !tc.eligible && (r.Total != 0 || len(r.Reasons) == 0) {
				t.Errorf("ineligible but total %d reasons %v", r.Total, r.Reasons)
			}
		})
	}
}

func TestBirthSubsidyEitherParent(t *testing.T) {
	r, err := BirthSubsidy(Options{}, BirthSubsidyRequest{
		BirthDate: D(d("2025-06-30")), ApplicationDate: D(d("2025-07-15")),
		Parents: []SubsidyParent{{Who: "父", LastMoveIn: D(d("2025-03-01"))}, {Who: "母", LastMoveIn: D(d("2020-03-01"))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Eligible || strings.Join(r.QualifyingParents, ",") != "母" || r.ResidenceDays["父"] != 122 {
		t.Errorf("%+v", r)
	}
	r, _ = BirthSubsidy(Options{}, BirthSubsidyRequest{
		BirthDate: D(d("2025-06-30")), ApplicationDate: D(d("2025-07-15")), NewbornRegisteredInTaichung: bp(false),
		Parents: []SubsidyParent{{Who: "母", LastMoveIn: D(d("2020-03-01"))}},
	})
	if r.Eligible || len(r.Reasons) != 1 {
		t.Errorf("newborn not registered: %+v", r)
	}
}

func TestBirthSubsidyDeadline(t *testing.T) {
	// 出生之次日起六個月內 (month rule, 行政程序法第48條第3項), rolled over (48IV, U8)
	tests := []struct {
		name, birth, raw, deadline string
		morning                    bool
	}{
		{"48III six months, corresponding day", "2025-03-15", "2025-09-15", "2025-09-15", false},
		{"48III six months from Aug 31 → Feb 28 (Sat, 和平紀念日) → Monday whole day (U18)", "2025-08-31", "2026-02-28", "2026-03-02", false},
		{"48IV ends Sunday → Monday", "2024-08-09", "2025-02-09", "2025-02-10", false},
		{"121I birth on Feb 29: counted from Mar 1 → Aug 31 (Sat) → Monday morning", "2024-02-29", "2024-08-31", "2024-09-02", true},
		{"48III birth on Feb 28 (leap year) → Aug 28", "2024-02-28", "2024-08-28", "2024-08-28", false},
		{"48III birth Aug 30 → Feb end", "2023-08-30", "2024-02-29", "2024-02-29", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for offset, want := range map[int]bool{0: true, 1: false} {
				dl := d(tc.deadline)
				r, err := BirthSubsidy(Options{}, BirthSubsidyRequest{
					BirthDate: D(d(tc.birth)), ApplicationDate: D(dl.AddDate(0, 0, offset)),
					Parents: []SubsidyParent{{Who: "母", LastMoveIn: D(d("2015-01-01"))}},
				})
				if err != nil {
					t.Fatal(err)
				}
				if r.RawDeadline.String() != tc.raw || r.Deadline.String() != tc.deadline || r.MorningOnly != tc.morning {
					t.Errorf("raw %s deadline %s morning %v", r.RawDeadline, r.Deadline, r.MorningOnly)
				}
				if r.Eligible != want {
					t.Errorf("applied %d day(s) after the deadline: eligible %v, reasons %v", offset, r.Eligible, r.Reasons)
				}
			}
		})
	}
}

func TestBirthSubsidyAmounts(t *testing.T) {
	tests := []struct {
		name          string
		birth         string
		order, plural int
		want          []int
	}{
		{"births ≤ 2021-12-31: 10,000", "2021-12-31", 1, 1, []int{10000}},
		{"births ≤ 2021-12-31 twins", "2021-06-01", 1, 2, []int{10000, 10000}},
		{"births from 2022-01-01: 20,000", "2022-01-01", 1, 1, []int{20000}},
		{"2025 third child: still 20,000", "2025-12-31", 3, 1, []int{20000}},
		{"2025 twins: 20,000 each", "2025-05-01", 1, 2, []int{20000, 20000}},
		{"2026 (愛胎萬) first child", "2026-01-01", 1, 1, []int{20000}},
		{"2026 second child", "2026-03-01", 2, 1, []int{20000}},
		{"2026 third child: 30,000", "2026-03-01", 3, 1, []int{30000}},
		{"2026 fourth child: 40,000", "2026-03-01", 4, 1, []int{40000}},
		{"2026 twins as 2nd and 3rd child", "2026-03-01", 2, 2, []int{20000, 30000}},
		{"2026 triplets as 1st–3rd", "2026-03-01", 1, 3, []int{20000, 20000, 30000}},
		{"defaults: order 1, single", "2026-03-01", 0, 0, []int{20000}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := d(tc.birth)
			r, err := BirthSubsidy(Options{}, BirthSubsidyRequest{
				BirthDate: D(b), ApplicationDate: D(b.AddDate(0, 0, 10)), BirthOrder: tc.order, Plurality: tc.plural,
				Parents: []SubsidyParent{{Who: "父", LastMoveIn: D(d("2015-01-01"))}},
			})
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, a := range tc.want {
				total += a
			}
			if joinInts(r.AmountPerChild) != joinInts(tc.want) || r.Total != total || !r.Eligible {
				t.Errorf("amounts %v total %d eligible %v", r.AmountPerChild, r.Total, r.Eligible)
			}
		})
	}
}

func TestBirthSubsidyErrors(t *testing.T) {
	ok := BirthSubsidyRequest{BirthDate: D(d("2025-06-30")), ApplicationDate: D(d("2025-07-15")),
		Parents: []SubsidyParent{{Who: "母", LastMoveIn: D(d("2020-01-01"))}}}
	bad := []func(r *BirthSubsidyRequest){
		func(r *BirthSubsidyRequest) { r.BirthDate = Date{} },
		func(r *BirthSubsidyRequest) { r.ApplicationDate = D(d("2025-06-01")) },
		func(r *BirthSubsidyRequest) { r.Parents = nil },
		func(r *BirthSubsidyRequest) {
			r.Parents = []SubsidyParent{{Who: "叔", LastMoveIn: D(d("2020-01-01"))}}
		},
		func(r *BirthSubsidyRequest) { r.Parents = []SubsidyParent{{Who: "母"}} },
		func(r *BirthSubsidyRequest) { r.Parents = append(r.Parents, r.Parents[0]) },
		func(r *BirthSubsidyRequest) { r.Plurality = -1 },
		func(r *BirthSubsidyRequest) { r.BirthOrder = 99 },
	}
	for i, f := range bad {
		in := ok
		in.Parents = append([]SubsidyParent(nil), ok.Parents...)
		f(&in)
		if _, err := BirthSubsidy(Options{}, in); !IsInputError(err) {
			t.Errorf("case %d: %v", i, err)
		}
	}
}
