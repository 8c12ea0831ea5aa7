package notice

import (
	"strings"
	"testing"

	"ebazhao/internal/platform/pdf/pdftest"
)

// Issue 19: documents name the 登記當事人 (the deceased on a death fine, the child
// on a birth reminder) as well as the recipient, and every part of a document
// says the same about how it is delivered.
func TestDocumentsNameTheSubjectAndAgreeOnDelivery(t *testing.T) {
	f := setup(t)
	fine := f.issue(f.clerk, Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", Subject: "王老先生", EventDate: "113.1.10",
		RegistrationDate: "113.2.20", Delivery: DeliveryMail, Recipient: Recipient{IDNo: "A123456789"}})
	b := f.pdf(fine)
	savePNG(t, "fine-subject", b)
	text := flat(pdftest.Text(t, b))
	for _, want := range []string{"登記當事人", "王老先生（死亡登記之當事人）", "受處分人王大明", "送達方式：郵寄送達", "繳納期限及救濟期間自送達之次日起算"} {
		if !strings.Contains(text, want) {
			t.Errorf("death fine lacks %q", want)
		}
	}
	if strings.Contains(text, "催告期限自送達之次日起算") {
		t.Error("the fine's 送達證書 carries the reminder's period note")
	}

	f.now = day(2024, 5, 1)
	rem := f.issue(f.clerk, Input{Kind: KindReminder, Item: "出生登記", Subject: "王小寶", EventDate: "113.2.1", Delivery: DeliveryMail,
		Recipient: Recipient{IDNo: "A123456789"}})
	b = f.pdf(rem)
	savePNG(t, "reminder-subject", b)
	text = flat(pdftest.Text(t, b))
	for _, want := range []string{"登記當事人：王小寶（出生登記之當事人）", "寄發聯", "後寄發受催告人", "送達方式：郵寄送達"} {
		if !strings.Contains(text, want) {
			t.Errorf("birth reminder lacks %q", want)
		}
	}

	// A 通知書 handed over at the counter: no copy says it is mailed; one mailed
	// says so on every part.
	f.now = day(2024, 7, 15)
	for _, tc := range []struct {
		delivery      string
		want, notWant []string
	}{
		{DeliveryCounter, []string{"交付聯", "當面交付受通知人", "送達方式：臨櫃交付"}, []string{"寄發", "郵寄"}},
		{DeliveryMail, []string{"寄發聯", "寄發受通知人", "送達方式：郵寄送達"}, []string{"臨櫃交付", "當面交付"}},
	} {
		doc := f.issue(f.clerk, Input{Kind: KindNotice, Item: "死亡登記", Subject: "王老太太", EventDate: "113.7.10", Delivery: tc.delivery,
			Recipient: Recipient{IDNo: "A123456789"}})
		b := f.pdf(doc)
		savePNG(t, "notice-"+tc.delivery, b)
		text := flat(pdftest.Text(t, b))
		for _, w := range append(tc.want, "登記當事人：王老太太") {
			if !strings.Contains(text, w) {
				t.Errorf("%s notice lacks %q", tc.delivery, w)
			}
		}
		for _, w := range tc.notWant {
			if strings.Contains(text, w) {
				t.Errorf("%s notice says %q", tc.delivery, w)
			}
		}
	}
}
