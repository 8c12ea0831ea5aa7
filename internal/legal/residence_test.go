package legal

import (
	"strings"
	"testing"
)

func stay(entry, exit string) Stay {
	s := Stay{Entry: D(d(entry))}
	if exit != "" {
		s.Exit = D(d(exit))
	}
	return s
}

type yr struct {
	from, to string
	days     int
	ok       bool
}

func TestResidence(t *testing.T) {
	tests := []struct {
		name     string // cites the article
		app      string
		category string
		stays    []Stay
		years    []yr
		pass     bool
	}{
		{"國籍法4I①+細則6 LEGAL example, 3 years back from the application", "2025-06-10", "國民配偶",
			[]Stay{stay("2020-01-01", "")},
			[]yr{{"2024-06-10", "2025-06-09", 365, true}, {"2023-06-10", "2024-06-09", 366, true}, {"2022-06-10", "2023-06-09", 365, true}}, true},
		{"細則6 183 days in year 1 exactly: ok", "2025-06-10", "高級專業人才",
			[]Stay{stay("2024-12-09", ""), stay("2023-06-10", "2024-06-09")},
			[]yr{{"2024-06-10", "2025-06-09", 183, true}, {"2023-06-10", "2024-06-09", 366, true}}, true},
		{"細則6 182 days in year 1: fails", "2025-06-10", "高級專業人才",
			[]Stay{stay("2024-12-10", ""), stay("2023-06-10", "2024-06-09")},
			[]yr{{"2024-06-10", "2025-06-09", 182, false}, {"2023-06-10", "2024-06-09", 366, true}}, false},
		{"細則6 leap year window: 2023-03-01 … 2024-02-29 is 366 days", "2024-03-01", "高級專業人才",
			[]Stay{stay("2021-01-01", "")},
			[]yr{{"2023-03-01", "2024-02-29", 366, true}, {"2022-03-01", "2023-02-28", 365, true}}, true},
		{"細則6 application on Feb 29: year back to Feb 28", "2024-02-29", "高級專業人才",
			[]Stay{stay("2021-01-01", "")},
			[]yr{{"2023-02-28", "2024-02-28", 366, true}, {"2022-02-28", "2023-02-27", 365, true}}, true},
		{"entry and exit days both count; same-day trip = 1 day; overlaps once", "2025-01-01", "高級專業人才",
			[]Stay{stay("2024-07-01", "2024-07-01"), stay("2024-08-01", "2024-08-10"), stay("2024-08-05", "2024-08-12"), stay("2024-08-12", "2024-08-12")},
			[]yr{{"2024-01-01", "2024-12-31", 13, false}, {"2023-01-01", "2023-12-31", 0, false}}, false},
		{"國籍法3I① 一般: 5 years", "2025-01-01", "一般",
			[]Stay{stay("2019-06-01", "2021-03-01"), stay("2021-03-20", "")},
			[]yr{{"2024-01-01", "2024-12-31", 366, true}, {"2023-01-01", "2023-12-31", 365, true}, {"2022-01-01", "2022-12-31", 365, true},
				{"2021-01-01", "2021-12-31", 347, true}, {"2020-01-01", "2020-12-31", 366, true}}, true},
		{"stays after the application day do not count", "2024-01-01", "國民配偶",
			[]Stay{stay("2020-01-01", "2023-06-30"), stay("2024-01-01", "")},
			[]yr{{"2023-01-01", "2023-12-31", 181, false}, {"2022-01-01", "2022-12-31", 365, true}, {"2021-01-01", "2021-12-31", 365, true}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Residence(ResidenceRequest{ApplicationDate: D(d(tc.app)), Category: tc.category, Stays: tc.stays})
			if err != nil {
				t.Fatal(err)
			}
			if r.RequiredYears != len(tc.years) || len(r.Years) != len(tc.years) || r.Pass != tc.pass {
				t.Fatalf("required %d years %d pass %v\n%s", r.RequiredYears, len(r.Years), r.Pass, strings.Join(r.Steps, "\n"))
			}
			for i, y := range tc.years {
				g := r.Years[i]
				if g.Year != i+1 || g.From.String() != y.from || g.To.String() != y.to || g.Days != y.days || g.OK != y.ok {
					t.Errorf("year %d: %+v, want %+v", i+1, g, y)
				}
			}
		})
	}
}

func TestResidenceCategories(t *testing.T) {
	for cat, years := range map[string]int{"一般": 5, "國民配偶": 3, "配偶": 3, "高級專業人才": 2, "出生於我國領域內": 3, "國民之養子女": 3} {
		r, err := Residence(ResidenceRequest{ApplicationDate: D(d("2025-01-01")), Category: cat})
		if err != nil || r.RequiredYears != years {
			t.Errorf("%s: %v %v", cat, r, err)
		}
	}
	_, err := Residence(ResidenceRequest{ApplicationDate: D(d("2025-01-01")), Category: "觀光客"})
	if !IsInputError(err) || !strings.Contains(err.Error(), "國民配偶") {
		t.Errorf("unknown category: %v", err)
	}
	_, err = Residence(ResidenceRequest{ApplicationDate: D(d("2025-01-01")), Category: "一般", Stays: []Stay{stay("2024-01-02", "2024-01-01")}})
	if !IsInputError(err) {
		t.Errorf("exit before entry: %v", err)
	}
	r, _ := Residence(ResidenceRequest{ApplicationDate: D(d("2024-02-29")), Category: "一般"})
	if len(r.Warnings) == 0 {
		t.Error("no Feb 29 warning")
	}
}
