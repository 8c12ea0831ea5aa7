package legal

import (
	"strings"
	"testing"
)

func TestReminder(t *testing.T) {
	tests := []struct {
		name         string // cites the article
		registration string
		basis        string
		justified    bool
		applies      bool
		required     bool
		after        bool
		without      bool
		article      string
		fine         bool
		notice       string
	}{
		{"48-2①出生", "出生登記", "", false, true, true, true, false, "第48條之2第1款", true, NoticeDirectRegistrationAnd},
		{"48-2②監護", "監護登記", "", false, true, true, true, false, "第48條之2第2款", true, NoticeDirectRegistrationAnd},
		{"48-2③輔助", "輔助登記", "", false, true, true, true, false, "第48條之2第3款", true, NoticeDirectRegistrationAnd},
		{"48-2④未成年子女", "未成年子女權利義務行使負擔登記", "", false, true, true, true, false, "第48條之2第4款", true, NoticeDirectRegistrationAnd},
		{"48-2⑤死亡", "死亡登記", "", false, true, true, true, false, "第48條之2第5款", true, NoticeDirectRegistrationAnd},
		{"48-2⑥初設戶籍", "初設戶籍登記", "", false, true, true, true, false, "第48條之2第6款", true, NoticeDirectRegistrationAnd},
		{"48-2⑦遷入", "遷入登記", "", false, true, true, true, false, "第48條之2第7款", true, NoticeDirectRegistrationAnd},
		{"48-2⑦遷出", "遷出登記", "", false, true, true, true, false, "第48條之2第7款", true, NoticeDirectRegistrationAnd},
		{"48-2⑦住址變更", "住址變更登記", "", false, true, true, true, false, "第48條之2第7款", true, NoticeDirectRegistrationAnd},
		{"48-2⑧更正", "更正登記", "", false, true, true, true, false, "第48條之2第8款", true, NoticeDirectRegistrationAnd},
		{"48-2⑧撤銷", "撤銷登記", "", false, true, true, true, false, "第48條之2第8款", true, NoticeDirectRegistrationAnd},
		{"48-2⑧廢止", "廢止戶籍登記", "", false, true, true, true, false, "第48條之2第8款", true, NoticeDirectRegistrationAnd},
		{"48-2⑨裁判離婚", "離婚登記", "判決確定", false, true, true, true, false, "第48條之2第9款", true, NoticeDirectRegistrationAnd},
		{"48-2⑨調解離婚", "離婚登記", "調解和解成立", false, true, true, true, false, "第48條之2第9款", true, NoticeDirectRegistrationAnd},
		{"48-2⑨強制認領", "認領登記", "判決確定", false, true, true, true, false, "第48條之2第9款", true, NoticeDirectRegistrationAnd},
		{"48-2⑨收養 法院認可", "收養登記", "法院認可", false, true, true, true, false, "第48條之2第9款", true, NoticeDirectRegistrationAnd},
		{"48-2⑨終止收養 法院認可", "終止收養登記", "法院認可", false, true, true, true, false, "第48條之2第9款", true, NoticeDirectRegistrationAnd},
		{"48-2 with 正當理由: 催告後逕為登記", "死亡登記", "", true, true, true, true, false, "第48條之2第5款", false, NoticeDirectRegistration},
		{"48III+79 任意認領: 催告後罰鍰", "認領登記", "任意認領", false, true, true, false, false, "", true, NoticeFine},
		{"48III+79 國外結婚: 催告後罰鍰", "結婚登記", "國外", false, true, true, false, false, "", true, NoticeFine},
		{"48III+79 分戶: 催告後罰鍰", "分戶登記", "", false, true, true, false, false, "", true, NoticeFine},
		{"48III+79 兩願終止收養", "終止收養登記", "兩願", false, true, true, false, false, "", true, NoticeFine},
		{"48III 任意認領 with 正當理由: 僅催告", "認領登記", "", true, true, true, false, false, "", false, NoticeReminderOnly},
		{"48-1①死亡宣告: no reminder", "死亡宣告登記", "", false, true, false, false, true, "第48條之1第1款", true, ""},
		{"48-1②喪失國籍之廢止戶籍: no reminder", "廢止戶籍登記", "喪失國籍", false, true, false, false, true, "第48條之1第2款", true, ""},
		{"民法982 結婚: no deadline", "結婚登記", "", false, false, false, false, false, "", false, ""},
		{"民法1050 兩願離婚: no deadline", "離婚登記", "兩願", false, false, false, false, false, "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Reminder(Options{}, ReminderRequest{Registration: tc.registration, Basis: tc.basis, Justified: tc.justified})
			if err != nil {
				t.Fatal(err)
			}
			notice := ""
			if r.NoticeType != nil {
				notice = *r.NoticeType
			}
			got := []any{r.DeadlineApplies, r.ReminderRequired, r.DirectRegistrationAfterReminder, r.DirectRegistrationWithoutReminder, r.DirectRegistrationArticle, r.FineApplicable, notice}
			want := []any{tc.applies, tc.required, tc.after, tc.without, tc.article, tc.fine, tc.notice}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("got %v\nwant %v\n%s", got, want, strings.Join(r.Steps, "\n"))
					break
				}
			}
			if len(r.Steps) == 0 {
				t.Error("no steps")
			}
		})
	}
}

func TestReminderFalseApplication(t *testing.T) {
	// 戶籍法第76條, 第23條, 第48條之2第8款: 故意不實申請催告撤銷
	r, err := Reminder(Options{}, ReminderRequest{Registration: "出生登記", Basis: "故意不實申請"})
	if err != nil {
		t.Fatal(err)
	}
	if r.NoticeType == nil || *r.NoticeType != NoticeFalseApplication || r.FineArticle != "戶籍法第76條" ||
		r.FineRange == nil || *r.FineRange != [2]int{3000, 9000} || r.Action == "" || !r.DirectRegistrationAfterReminder {
		t.Errorf("%+v", r)
	}
}

func TestNoticeTypes(t *testing.T) {
	if got := strings.Join(NoticeTypes(), ","); got != "僅催告,催告後逕為登記,催告後罰鍰,催告後逕為登記及罰鍰,故意不實申請催告撤銷" {
		t.Errorf("%s", got)
	}
}

func TestReminderDeadline(t *testing.T) {
	// 戶籍法施行細則第19條第2項: at least 7 days after service, rolled over (行政程序法48IV)
	tests := []struct {
		name           string
		served         string
		minDays        int
		raw, deadline  string
		wantInputError bool
	}{
		{"細則19II 7日 ordinary", "2024-07-01", 7, "2024-07-08", "2024-07-08", false},
		{"細則19II 7日 default when 0", "2024-07-01", 0, "2024-07-08", "2024-07-08", false},
		{"細則19II + 行政程序法48IV Lunar New Year", "2024-02-02", 7, "2024-02-09", "2024-02-15", false},
		{"細則19II + 行政程序法48IV Saturday", "2024-07-27", 7, "2024-08-03", "2024-08-05", false},
		{"細則19II 10日", "2024-07-01", 10, "2024-07-11", "2024-07-11", false},
		{"細則19II fewer than 7 days refused", "2024-07-01", 5, "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ReminderDeadline(Options{}, ReminderDeadlineRequest{ServedDate: D(d(tc.served)), MinDays: tc.minDays})
			if tc.wantInputError {
				if !IsInputError(err) {
					t.Errorf("err %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.EarliestDeadlineRaw.String() != tc.raw || r.EarliestDeadline.String() != tc.deadline {
				t.Errorf("raw %s deadline %s", r.EarliestDeadlineRaw, r.EarliestDeadline)
			}
		})
	}
}
