package legal

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// The JSON field names are a stable interface (`ebazhao calc KIND`, POST /api/v1/calc/KIND).
func TestCalcStableFields(t *testing.T) {
	tests := []struct {
		kind   string
		input  string
		fields []string
	}{
		{KindPeriod, `{"start_date":"2024-07-03","period":"1個月"}`,
			[]string{"raw_end", "deadline", "extended", "morning_only", "steps", "articles"}},
		{KindDeadline, `{"registration":"遷入登記","event_date":"2024-01-15"}`,
			[]string{"law", "raw_end", "deadline", "extended", "morning_only", "deadline_applies", "three_months_end", "steps", "articles"}},
		{KindDeadline, `{"registration":"結婚登記","event_date":"2024-01-15","law":"new"}`,
			[]string{"law", "raw_end", "deadline", "extended", "morning_only", "deadline_applies", "steps", "articles"}},
		{KindFine, `{"registration":"死亡登記","event_date":"2024-01-10","application_date":"2024-03-01","reminded_and_still_not_applied":false}`,
			[]string{"law", "deadline", "overdue_days", "late", "fine", "statutory_min", "statutory_max", "article", "steps"}},
		{KindFalseApplicationFine, `{"discovered_by":"被人檢舉"}`,
			[]string{"fine", "statutory_range", "article"}},
		{KindReminder, `{"registration":"出生登記"}`,
			[]string{"deadline_applies", "reminder_required", "direct_registration_after_reminder", "direct_registration_without_reminder",
				"direct_registration_article", "fine_applicable", "notice_type"}},
		{KindReminder, `{"registration":"結婚登記","basis":"故意不實申請"}`,
			[]string{"notice_type", "action", "fine_article", "fine_range"}},
		{KindReminderDeadline, `{"served_date":"2024-02-02","min_days":7}`,
			[]string{"earliest_deadline_raw", "earliest_deadline"}},
		{KindConception, `{"birth_date":"2024-06-15","marriages":[{"husband":"王大明","start":"2015-01-01","end":null}]}`,
			[]string{"window_start", "window_end", "window_days", "presumed_legitimate", "presumed_husbands", "dual_presumption"}},
		{KindResidence, `{"application_date":"2025-06-10","category":"國民配偶","stays":[{"entry":"2020-01-01","exit":null}]}`,
			[]string{"required_years", "years", "pass"}},
		{KindBirthSubsidy, `{"birth_date":"2025-06-30","parents":[{"who":"母","last_move_in":"2020-01-01"}],"newborn_registered_in_taichung":true,"application_date":"2025-07-01","birth_order":1,"plurality":1}`,
			[]string{"eligible", "deadline", "residence_days", "amount_per_child", "total", "reasons"}},
		{KindCertificate, `{"expiry":"2024-10-01","extended":false,"on":"2024-09-01"}`,
			[]string{"can_extend", "extend_window", "extended_expiry", "can_renew_online", "renew_online_window", "delegable"}},
		{KindService, `{"method":"寄存送達","date":"2026-03-02"}`,
			[]string{"method", "date", "effective_date"}},
		{KindLimitation, `{"act_end_date":"2021-03-01","decision_date":"2024-03-01"}`,
			[]string{"act_end_date", "lapse_date", "lapsed"}},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		t.Run(tc.kind, func(t *testing.T) {
			seen[tc.kind] = true
			res, err := Calc(tc.kind, []byte(tc.input), Options{})
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			for _, f := range tc.fields {
				if _, ok := m[f]; !ok {
					t.Errorf("%s: output lacks %q: %s", tc.kind, f, b)
				}
			}
			if _, ok := m["steps"]; !ok {
				t.Errorf("no steps")
			}
			if _, ok := m["articles"]; !ok {
				t.Errorf("no articles")
			}
		})
	}
	for _, k := range Kinds() {
		if !seen[k] {
			t.Errorf("kind %s not covered", k)
		}
	}
}

func TestCalcDatesAreISO(t *testing.T) {
	res, _ := Calc(KindDeadline, []byte(`{"registration":"死亡登記","event_date":"2024-01-10"}`), Options{})
	b, _ := json.Marshal(res)
	for _, want := range []string{`"raw_end":"2024-02-09"`, `"deadline":"2024-02-15"`, `"law":"new"`, `"deadline_applies":true`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	res, _ = Calc(KindFine, []byte(`{"registration":"出生登記","event_date":"2007-07-03","application_date":"2007-08-03"}`), Options{})
	b, _ = json.Marshal(res)
	if strings.Contains(string(b), `"fine"`) {
		t.Errorf("old-law fine should be omitted: %s", b)
	}
}

func TestCalcInputErrors(t *testing.T) {
	tests := []struct {
		kind, input, wantInMessage string
	}{
		{"nonsense", `{}`, "period"},
		{KindPeriod, ``, "JSON"},
		{KindPeriod, `[1,2]`, "JSON 物件"},
		{KindPeriod, `{"start_date":"2024-07-03"`, "JSON"},
		{KindPeriod, `{"start_date":"2024-07-03","period":30}`, "period"},
		{KindPeriod, `{"start_date":"113-07-03","period":"30日"}`, "YYYY-MM-DD"},
		{KindPeriod, `{"start_date":"2024-7-3","period":"30日"}`, "YYYY-MM-DD"},
		{KindPeriod, `{"start_date":"2023-02-29","period":"30日"}`, "YYYY-MM-DD"},
		{KindPeriod, `{"start_date":20240703,"period":"30日"}`, "日期"},
		{KindPeriod, `{"period":"30日"}`, "start_date"},
		{KindPeriod, `{"start_date":"2024-07-03","period":"三十"}`, "期間"},
		{KindPeriod, `{"start_date":"2024-07-03","period":"30日"} {}`, "一個"},
		{KindDeadline, `{"registration":"離職登記","event_date":"2024-01-10"}`, "出生登記"},
		{KindDeadline, `{"registration":"出生登記","basis":"口頭","event_date":"2024-01-10"}`, "判決確定"},
		{KindFine, `{"registration":"出生登記","event_date":"2024-01-10","application_date":"2024-03-10","reminded_and_still_not_applied":"yes"}`, "reminded_and_still_not_applied"},
		{KindReminderDeadline, `{"served_date":"2024-02-02","min_days":3}`, "七日"},
		{KindResidence, `{"application_date":"2025-06-10","category":"觀光","stays":[]}`, "國民配偶"},
		{KindResidence, `{"application_date":"2025-06-10","category":"一般","stays":{"entry":"2020-01-01"}}`, "stays"},
		{KindConception, `{"marriages":[]}`, "birth_date"},
		{KindBirthSubsidy, `{"birth_date":"2025-06-30","parents":[{"who":"母"}],"application_date":"2025-07-01"}`, "last_move_in"},
		{KindCertificate, `{"expiry":"2024-10-01","extended":"no"}`, "extended"},
		{KindFalseApplicationFine, `{"discovered_by":""}`, "discovered_by"},
	}
	for _, tc := range tests {
		t.Run(tc.kind+" "+tc.input, func(t *testing.T) {
			_, err := Calc(tc.kind, []byte(tc.input), Options{})
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("want *InputError, got %T %v", err, err)
			}
			if !strings.Contains(ie.Message, tc.wantInMessage) {
				t.Errorf("message %q lacks %q", ie.Message, tc.wantInMessage)
			}
		})
	}
}

func TestCalcIgnoresUnknownFields(t *testing.T) {
	if _, err := Calc(KindPeriod, []byte(`{"start_date":"2024-07-03","period":"30日","note":"x","extra":{"a":1}}`), Options{}); err != nil {
		t.Error(err)
	}
}

func TestKinds(t *testing.T) {
	want := "period,deadline,fine,false-application-fine,reminder,reminder-deadline,conception,residence,birth-subsidy,certificate,service,limitation"
	if got := strings.Join(Kinds(), ","); got != want {
		t.Errorf("%s", got)
	}
	if len(KindInfos()) != len(Kinds()) {
		t.Error("kind infos")
	}
}
