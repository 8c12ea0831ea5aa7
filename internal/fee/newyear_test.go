package fee

import (
	"errors"
	"strings"
	"testing"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/pdf/pdftest"
)

// The year ends at Taipei's midnight, whatever the server's zone: receipts of
// 115.12.31 23:55 are 115-numbered; the cashier closes 12-31; at 00:05 on
// 116.01.01 (still 16:05 on 12-31 in UTC) the first receipt is 116-000001,
// dated 116.1.1, and the closed day does not stand in its way; voiding a 12-31
// receipt then books a correction on 116.1.1, leaving the closed day as closed.
func TestNumbersRestartAtTaipeiMidnight(t *testing.T) {
	e := newEnv(t)
	eve := civil.New(2026, 12, 31)
	e.clock.Set(at(eve, 23, 55))
	c := e.clerk("clerk", 1)
	last := []*Receipt{e.issue(c, "cash", items("戶籍謄本", 1)...), e.issue(c, "cash", items("戶籍謄本", 2)...)}
	for i, r := range last {
		if r.RocYear != 115 || r.Number != int64(i+1) || !r.Date.Equal(eve) {
			t.Fatalf("eve receipt %d: %s dated %s", i, r.NumberText(), r.Date.ISO())
		}
	}
	if _, err := e.svc.Close(e.ctx, e.users["cashier"], "t", e.office.ID, eve, 2, last[0].Total+last[1].Total); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.Issue(e.ctx, c, IssueRequest{Items: items("戶籍謄本", 1), Payment: "cash"}); !errors.Is(err, ErrDayClosed) {
		t.Fatalf("a receipt on the closed 12-31: %v", err)
	}

	newYear := civil.New(2027, 1, 1)
	e.clock.Set(at(newYear, 0, 5))
	if e.clock.Now().UTC().Day() != 31 {
		t.Fatalf("the test needs an instant that is still 12-31 in UTC: %s", e.clock.Now().UTC())
	}
	first := e.issue(c, "cash", items("戶籍謄本", 1)...)
	if first.RocYear != 116 || first.Number != 1 || first.NumberText() != "116-000001" || !first.Date.Equal(newYear) {
		t.Fatalf("first receipt of the year: %s dated %s", first.NumberText(), first.Date.ISO())
	}
	if got := numbers(t, e.d, e.office.ID, 115); len(got) != 2 {
		t.Errorf("115 numbers after new year: %v", got)
	}
	voided, err := e.svc.Void(e.ctx, e.users["supervisor"], "t", last[1].ID, "跨年作廢")
	if err != nil {
		t.Fatal(err)
	}
	if voided.Correction == nil || !voided.Correction.Date.Equal(newYear) || voided.Correction.Amount != -last[1].Total {
		t.Errorf("void of a closed 12-31 receipt on 01-01: correction %+v, want one booked on 2027-01-01", voided.Correction)
	}
	b, err := e.svc.ReceiptPDF(e.ctx, first, 1)
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Text(t, b)
	if !strings.Contains(text, "收據號碼：116-000001") || !strings.Contains(text, "日期：中華民國116年1月1日") {
		t.Errorf("the receipt's PDF must carry its number and Taipei's day:\n%s", text)
	}
}
