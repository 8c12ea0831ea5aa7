package legal

import (
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/civil"
)

func TestDeadline(t *testing.T) {
	tests := []struct {
		name         string // cites the article
		registration string
		basis        string
		event        string
		law          string
		wantLaw      string
		applies      bool
		period       string
		rawEnd       string
		deadline     string
		morningOnly  bool
		threeMonths  string
	}{
		{"戶籍法48I 死亡 30日, Lunar New Year", "死亡登記", "", "2024-01-10", "", LawNew, true, "30日", "2024-02-09", "2024-02-15", false, ""},
		{"戶籍法48I但書 出生 60日 (new law)", "出生登記", "", "2024-01-03", "", LawNew, true, "60日", "2024-03-03", "2024-03-04", false, ""},
		{"戶籍法47I(86年) 出生 30日 (old law), 96年中和案", "出生登記", "", "2007-07-03", "", LawOld, true, "30日", "2007-08-02", "2007-08-02", false, ""},
		{"cut-over: event 2008-05-29 → old law 30日", "出生登記", "", "2008-05-29", "", LawOld, true, "30日", "2008-06-28", "2008-06-30", true, ""},
		{"cut-over: event 2008-05-30 → new law 60日", "出生登記", "", "2008-05-30", "", LawNew, true, "60日", "2008-07-29", "2008-07-29", false, ""},
		{"law override old", "出生登記", "", "2024-01-03", "old", LawOld, true, "30日", "2024-02-02", "2024-02-02", false, ""},
		{"law override new (新法)", "出生登記", "", "2007-07-03", "新法", LawNew, true, "60日", "2007-09-01", "2007-09-03", true, ""},
		{"戶籍法17+48I 遷入 3個月又30日", "遷入登記", "", "2024-01-15", "", LawNew, true, "3個月又30日", "2024-05-15", "2024-05-15", false, "2024-04-15"},
		{"戶籍法16+48I 遷出 3個月又30日 from month end, Saturday", "遷出登記", "", "2023-11-30", "", LawNew, true, "3個月又30日", "2024-03-30", "2024-04-01", true, "2024-02-29"},
		{"戶籍法18+48I 住址變更", "住址變更登記", "", "2024-06-05", "", LawNew, true, "3個月又30日", "2024-10-05", "2024-10-07", true, "2024-09-05"},
		{"民法982 結婚 (domestic, since 2008-05-23): none", "結婚登記", "", "2024-01-15", "", LawNew, false, "", "", "", false, ""},
		{"民法982 結婚 2008-05-23: none", "結婚登記", "", "2008-05-23", "", LawOld, false, "", "", "", false, ""},
		{"戶籍法47I(86年) 結婚 2008-05-22 (ceremony marriage): 30日", "結婚登記", "", "2008-05-22", "", LawOld, true, "30日", "2008-06-21", "2008-06-23", true, ""},
		{"戶籍法9+48I 結婚 國外: 30日", "結婚登記", "國外", "2024-01-15", "", LawNew, true, "30日", "2024-02-14", "2024-02-15", false, ""},
		{"民法1050 兩願離婚: none", "離婚登記", "兩願", "2024-01-15", "", LawNew, false, "", "", "", false, ""},
		{"民法1050 離婚 default basis 兩願: none", "離婚登記", "", "2024-01-15", "", LawNew, false, "", "", "", false, ""},
		{"戶籍法9+48I 裁判離婚 30日 from judgment final", "離婚登記", "判決確定", "2023-01-31", "", LawNew, true, "30日", "2023-03-02", "2023-03-02", false, ""},
		{"戶籍法9+48I 調解離婚", "離婚登記", "調解和解成立", "2024-07-03", "", LawNew, true, "30日", "2024-08-02", "2024-08-02", false, ""},
		{"戶籍法14+48I 死亡宣告", "死亡宣告登記", "", "2024-07-03", "", LawNew, true, "30日", "2024-08-02", "2024-08-02", false, ""},
		{"戶籍法7+48I 認領 (登記 suffix optional)", "認領", "", "2024-07-03", "", LawNew, true, "30日", "2024-08-02", "2024-08-02", false, ""},
		{"戶籍法8+48I 收養", "收養登記", "法院認可", "2024-07-03", "", LawNew, true, "30日", "2024-08-02", "2024-08-02", false, ""},
		{"戶籍法19+48I 分戶", "分戶登記", "", "2024-07-03", "", LawNew, true, "30日", "2024-08-02", "2024-08-02", false, ""},
		{"戶籍法24+48I 廢止戶籍 喪失國籍", "廢止戶籍登記", "喪失國籍", "2024-07-03", "", LawNew, true, "30日", "2024-08-02", "2024-08-02", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Deadline(nil, tc.registration, tc.basis, d(tc.event), tc.law)
			if err != nil {
				t.Fatal(err)
			}
			got := []any{r.Law, r.DeadlineApplies, r.Period, r.RawEnd.String(), r.Deadline.String(), r.MorningOnly}
			want := []any{tc.wantLaw, tc.applies, tc.period, tc.rawEnd, tc.deadline, tc.morningOnly}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("got %v, want %v\n%s", got, want, strings.Join(r.Steps, "\n"))
					break
				}
			}
			tm := ""
			if r.ThreeMonthsEnd != nil {
				tm = r.ThreeMonthsEnd.String()
			}
			if tm != tc.threeMonths {
				t.Errorf("three_months_end %q, want %q", tm, tc.threeMonths)
			}
			if len(r.Steps) == 0 || len(r.Articles) == 0 {
				t.Error("no steps or articles")
			}
		})
	}
}

func TestDeadlineCutOverWarning(t *testing.T) {
	// birth on 2008-05-20: old law 30日 ends after 2008-05-30, new law would give 60日
	r, err := Deadline(nil, "出生登記", "", d("2008-05-20"), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "60日") {
		t.Errorf("no cut-over warning: %v", r.Warnings)
	}
	// death: the period is the same under both laws, so no warning
	r, _ = Deadline(nil, "死亡登記", "", d("2008-05-20"), "")
	if len(r.Warnings) != 0 {
		t.Errorf("unexpected warning: %v", r.Warnings)
	}
}

func TestDeadlineErrors(t *testing.T) {
	_, err := Deadline(nil, "離職登記", "", d("2024-01-01"), "")
	if !IsInputError(err) || !strings.Contains(err.Error(), "出生登記") || !strings.Contains(err.Error(), "廢止戶籍登記") {
		t.Errorf("unknown registration: %v", err)
	}
	_, err = Deadline(nil, "出生登記", "口頭", d("2024-01-01"), "")
	if !IsInputError(err) || !strings.Contains(err.Error(), "判決確定") {
		t.Errorf("unknown basis: %v", err)
	}
	_, err = Deadline(nil, "出生登記", "", d("2024-01-01"), "中")
	if !IsInputError(err) {
		t.Errorf("unknown law: %v", err)
	}
	_, err = DeadlineCalc(Options{}, DeadlineRequest{Registration: "出生登記"})
	if !IsInputError(err) || !strings.Contains(err.Error(), "event_date") {
		t.Errorf("missing date: %v", err)
	}
}

func TestRegistrationsList(t *testing.T) {
	want := []string{"出生登記", "死亡登記", "死亡宣告登記", "認領登記", "收養登記", "終止收養登記", "結婚登記", "離婚登記",
		"監護登記", "輔助登記", "未成年子女權利義務行使負擔登記", "原住民身分及民族別登記", "初設戶籍登記", "遷入登記",
		"遷出登記", "住址變更登記", "分戶登記", "合戶登記", "更正登記", "撤銷登記", "廢止戶籍登記"}
	got := RegistrationNames()
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("names %v", got)
	}
	for _, r := range Registrations(civil.New(2026, time.December, 7)) {
		if r.Name == "出生登記" && r.Period != "60日" {
			t.Errorf("出生 period %q", r.Period)
		}
		if r.Name == "結婚登記" && r.Period != "" {
			t.Errorf("結婚 period %q", r.Period)
		}
		if r.Name == "遷入登記" && r.Period != "3個月又30日" {
			t.Errorf("遷入 period %q", r.Period)
		}
	}
	if len(Bases()) != 8 {
		t.Errorf("bases %v", Bases())
	}
}
