package notice

import (
	"strings"
	"testing"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/pdf/pdftest"
)

func TestRenderEveryKind(t *testing.T) {
	f := setup(t)
	docs := map[string]Input{
		"fine": {Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.20",
			Recipient: Recipient{IDNo: "A123456789"}},
		"reminder": {Kind: KindReminder, Subtype: legal.NoticeDirectRegistrationAnd, Item: "出生登記", EventDate: "113.3.1",
			Recipient: Recipient{IDNo: "A123456789"}, Delivery: DeliveryMail},
		"notice": {Kind: KindNotice, Subtype: "通知申請登記", Item: "死亡登記", EventDate: "113.7.1", Subject: "王老先生",
			Recipient: Recipient{IDNo: "A123456789", AddressKind: "service"}},
		"onetime": {Kind: KindOneTime, Item: "出生登記", Items: []string{"出生證明書正本（醫療機構或合格助產人員出具）", "父母雙方國民身分證正本"},
			Recipient: Recipient{Name: "王大明"}},
		"confirm": {Kind: KindConfirm, Subtype: "補領國民身分證", AcceptedDate: "113.7.12", Applicant: "王大明",
			Recipient: Recipient{IDNo: "B220000000"}},
	}
	// Pages: two copies where the 作業規範 says so (留存/寄發), a 送達證書 with a
	// mailed reminder or fine, the one-time notice's two parts on one sheet.
	pages := map[string]int{"fine": 3, "reminder": 3, "notice": 2, "onetime": 1, "confirm": 1}
	for name, in := range docs {
		doc := f.issue(f.clerk, in)
		b := f.pdf(doc)
		savePNG(t, name, b)
		text := pdftest.Text(t, b)
		if n := strings.Count(text, "\f"); n != pages[name] {
			t.Errorf("%s: %d pages, want %d", name, n, pages[name])
		}
		if !strings.Contains(flat(text), doc.DocNo) {
			t.Errorf("%s: number %s not printed", name, doc.DocNo)
		}
	}
}
