package fee

import (
	"context"
	"strings"
	"testing"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/dbtest"
)

// amounts is the history of one item's first-copy price, written out from
// LEGAL.md §7 independently of schedule.json: from each date on, the amount
// (and the further-copy amount, when there is one).
type amountFrom struct {
	from    string
	amount  int64
	further int64
}

var history = map[string][]amountFrom{
	"閱覽戶籍資料": {{"2005-07-01", 20, 0}, {"2011-05-01", 15, 0}},
	"戶籍謄本":   {{"2005-07-01", 20, 0}, {"2011-05-01", 15, 0}},
	"英文戶籍謄本": {{"2005-07-01", 150, 20}, {"2011-05-01", 100, 15}},
	"戶籍檔案原始資料影本(檔存申請書影本)":       {{"2009-04-01", 10, 0}},
	"國民身分證初領":                   {{"2005-07-01", 50, 0}},
	"國民身分證換領":                   {{"2005-07-01", 50, 0}},
	"國民身分證補領":                   {{"2005-07-01", 200, 0}},
	"國民身分證相片影像電子檔":              {{"2023-09-12", 100, 0}},
	"戶口名簿(初領)":                  {{"2005-07-01", 30, 0}},
	"戶口名簿(換領)":                  {{"2005-07-01", 30, 0}},
	"戶口名簿(補領)":                  {{"2005-07-01", 30, 0}},
	"結婚證明書":                     {{"2008-05-23", 100, 0}},
	"英文結婚證明書":                   {{"2008-05-23", 100, 0}},
	"離婚證明書":                     {{"2008-05-23", 100, 0}},
	"英文離婚證明書":                   {{"2008-05-23", 100, 0}},
	"終止結婚證明書":                   {{"2023-09-12", 100, 0}},
	"英文終止結婚證明書":                 {{"2023-09-12", 100, 0}},
	"婚姻紀錄證明書":                   {{"2015-04-02", 15, 0}},
	"遷徙紀錄證明書":                   {{"2015-04-02", 15, 0}},
	"姓名更改紀錄證明書":                 {{"2015-04-02", 15, 0}},
	"親等關聯資料":                    {{"2011-07-01", 30, 15}},
	"戶口統計資料":                    {{"2005-07-01", 10, 0}},
	"戶口統計資料電子檔(未滿50MB)":         {{"2023-09-12", 1000, 0}},
	"戶口統計資料電子檔(50MB以上未滿100MB)":  {{"2023-09-12", 1500, 0}},
	"戶口統計資料電子檔(100MB以上未滿500MB)": {{"2023-09-12", 2500, 0}},
	"戶口統計資料電子檔(500MB以上)":        {{"2023-09-12", 3500, 0}},
	"印鑑登記(申請)":                  {{"2005-07-01", 20, 0}},
	"印鑑登記(變更)":                  {{"2005-07-01", 20, 0}},
	"印鑑登記(廢止)":                  {{"2005-07-01", 20, 0}},
	"印鑑證明":                      {{"2005-07-01", 20, 0}},
	"自然人憑證IC卡":                  {{"2005-07-01", 250, 0}},
	"歸化國籍許可證書":                  {{"2019-03-21", 1200, 0}},
	"喪失國籍許可證書":                  {{"2019-03-21", 1200, 0}},
	"回復國籍許可證書":                  {{"2019-03-21", 1200, 0}},
	"中華民國國籍證明":                  {{"2019-03-21", 1000, 0}},
	"國籍許可證書換發":                  {{"2019-03-21", 1000, 0}},
	"國籍許可證書補發":                  {{"2019-03-21", 1000, 0}},
	"歸化國籍測試報名":                  {{"2019-03-21", 500, 0}},
}

// The names the issue requires, exactly.
var requiredNames = []string{"戶籍謄本", "英文戶籍謄本", "閱覽戶籍資料", "戶籍檔案原始資料影本(檔存申請書影本)", "國民身分證初領", "國民身分證換領",
	"國民身分證補領", "國民身分證相片影像電子檔", "戶口名簿(初領)", "戶口名簿(換領)", "戶口名簿(補領)", "結婚證明書", "英文結婚證明書", "離婚證明書",
	"英文離婚證明書", "婚姻紀錄證明書", "遷徙紀錄證明書", "姓名更改紀錄證明書", "親等關聯資料", "印鑑登記(變更)", "印鑑證明", "自然人憑證IC卡", "歸化國籍許可證書"}

// changeDates are every date the schedule changes.
func changeDates(s *Schedule) []civil.Date {
	var out []civil.Date
	for _, v := range s.Versions {
		out = append(out, v.Effective)
	}
	return out
}

// expected returns the item's amounts on day, or ok=false before it existed.
func expected(h []amountFrom, day civil.Date) (amount, further int64, ok bool) {
	for _, a := range h {
		from, _ := civil.ParseISO(a.from)
		if !from.After(day) {
			amount, further, ok = a.amount, a.further, true
		}
	}
	return
}

// quoter is the embedded schedule or a database-backed service.
type quoter func(day civil.Date, its []QuoteItem) (*Quote, error)

func checkHistory(t *testing.T, s *Schedule, quote quoter) {
	latest := s.Versions[len(s.Versions)-1]
	for _, it := range latest.Items {
		if _, ok := history[it.Name]; !ok {
			t.Errorf("seeded item %q has no expected history in this test", it.Name)
		}
	}
	for _, name := range requiredNames {
		if _, ok := latest.Find(name); !ok {
			t.Errorf("required item %q is not in the current schedule", name)
		}
	}
	var days []civil.Date
	for _, d := range changeDates(s) {
		days = append(days, d.AddDate(0, 0, -1), d)
	}
	days = append(days, civil.New(2026, 11, 25))
	checked := 0
	for name, h := range history {
		for _, day := range days {
			want, further, exists := expected(h, day)
			q, err := quote(day, items(name, 1))
			if !exists {
				if err == nil || !IsInputError(err) {
					t.Errorf("%s on %s: want «not in the schedule», got %v %v", name, day.ISO(), q, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s on %s: %v", name, day.ISO(), err)
				continue
			}
			if q.Total != want || q.Lines[0].Unit != want || q.Lines[0].Item != name {
				t.Errorf("%s on %s: %d (unit %d), want %d", name, day.ISO(), q.Total, q.Lines[0].Unit, want)
			}
			// Three copies: first/further rule where there is one.
			q3, err := quote(day, items(name, 3))
			if err != nil {
				t.Fatal(err)
			}
			want3 := 3 * want
			if further != 0 {
				want3 = want + 2*further
			}
			if q3.Total != want3 {
				t.Errorf("%s ×3 on %s: %d, want %d", name, day.ISO(), q3.Total, want3)
			}
			checked++
		}
	}
	if checked < 300 {
		t.Fatalf("only %d item-date pairs checked", checked)
	}
}

func TestScheduleHistoryEmbedded(t *testing.T) {
	s, err := Statutory()
	if err != nil {
		t.Fatal(err)
	}
	checkHistory(t, s, s.Quote)
}

// The same amounts through the database (SQLite or PostgreSQL).
func TestScheduleHistoryDatabase(t *testing.T) {
	d := dbtest.New(t)
	svc := NewService(d, nil)
	s, err := Statutory()
	if err != nil {
		t.Fatal(err)
	}
	checkHistory(t, s, func(day civil.Date, its []QuoteItem) (*Quote, error) {
		return svc.Quote(context.Background(), QuoteRequest{Date: day.ISO(), Items: its})
	})
}

func TestFirstAndFurtherCopies(t *testing.T) {
	s, err := Statutory()
	if err != nil {
		t.Fatal(err)
	}
	now := civil.New(2026, 11, 25)
	old := civil.New(2010, 1, 1)
	cases := []struct {
		name  string
		day   civil.Date
		items []QuoteItem
		lines []int64
		units []int64
	}{
		{"英文謄本 1", now, items("英文戶籍謄本", 1), []int64{100}, []int64{100}},
		{"英文謄本 2", now, items("英文戶籍謄本", 2), []int64{115}, []int64{100}},
		{"英文謄本 5", now, items("英文戶籍謄本", 5), []int64{160}, []int64{100}},
		{"英文謄本 on two lines of one application", now, items("英文戶籍謄本", 1, "戶籍謄本", 2, "英文戶籍謄本", 2), []int64{100, 30, 30}, []int64{100, 15, 15}},
		{"英文謄本 before 100.05.01", old, items("英文戶籍謄本", 3), []int64{190}, []int64{150}},
		{"親等關聯資料 3", now, items("親等關聯資料", 3), []int64{60}, []int64{30}},
		{"親等關聯資料 1+1", now, items("親等關聯資料", 1, "親等關聯資料", 1), []int64{30, 15}, []int64{30, 15}},
		{"謄本 has no further rule", now, items("戶籍謄本", 4), []int64{60}, []int64{15}},
		{"by code", now, items("02", 2, "03", 2), []int64{30, 115}, []int64{15, 100}},
		{"by alias and full-width", now, items("印鑑登記", 1, "戶口名簿（補領）", 1, "檔存申請書影本", 2), []int64{20, 30, 20}, []int64{20, 30, 10}},
	}
	for _, c := range cases {
		q, err := s.Quote(c.day, c.items)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var total int64
		for i, l := range q.Lines {
			if l.Amount != c.lines[i] || l.Unit != c.units[i] {
				t.Errorf("%s line %d: amount %d unit %d, want %d %d", c.name, i, l.Amount, l.Unit, c.lines[i], c.units[i])
			}
			total += l.Amount
		}
		if q.Total != total || q.TotalWords != CapitalAmount(total) {
			t.Errorf("%s: total %d %s", c.name, q.Total, q.TotalWords)
		}
	}
}

func TestExemptions(t *testing.T) {
	s, err := Statutory()
	if err != nil {
		t.Fatal(err)
	}
	now := civil.New(2026, 11, 25)
	q, err := s.Quote(now, []QuoteItem{
		{Item: "國民身分證換領", Qty: qty(1), Exempt: "admin-change"},
		{Item: "戶口統計資料電子檔(未滿50MB)", Qty: qty(1), Exempt: "school"},
		{Item: "戶口統計資料", Qty: qty(3), Exempt: "government"},
		{Item: "國民身分證相片影像電子檔", Qty: qty(1), Exempt: "low-income"},
		{Item: "戶籍謄本", Qty: qty(1), Exempt: "idno-reassigned"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{0, 500, 0, 0, 0}
	for i, l := range q.Lines {
		if l.Amount != want[i] || l.Exempt == "" || !strings.Contains(l.Detail, "減免") {
			t.Errorf("line %d: %+v", i, l)
		}
	}
	if _, err := s.Quote(now, []QuoteItem{{Item: "國民身分證補領", Qty: qty(1), Exempt: "admin-change"}}); !IsInputError(err) {
		t.Errorf("an exemption the item does not have: %v", err)
	}
	// Before 112.09.12 the photo file was not in the schedule at all.
	if _, err := s.Quote(civil.New(2023, 9, 11), items("國民身分證相片影像電子檔", 1)); err == nil || !strings.Contains(err.Error(), "112年9月12日起方列入") {
		t.Errorf("before it existed: %v", err)
	}
}

func TestQuoteInputErrors(t *testing.T) {
	s, err := Statutory()
	if err != nil {
		t.Fatal(err)
	}
	now := civil.New(2026, 11, 25)
	for _, c := range []struct {
		items []QuoteItem
		want  string
	}{
		{nil, "請至少輸入一個規費項目"},
		{items("戶籍謄本", 0), "數量須為1至999"},
		{items("戶籍謄本", 1000), "數量須為1至999"},
		{[]QuoteItem{{Item: " "}}, "未填寫規費項目"},
		{items("護照", 1), "查無規費項目「護照」"},
	} {
		if _, err := s.Quote(now, c.items); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.items, err, c.want)
		}
	}
	if _, err := s.Quote(civil.New(2000, 1, 1), items("戶籍謄本", 1)); err == nil || !strings.Contains(err.Error(), "無適用之規費收費標準") {
		t.Errorf("before the first version: %v", err)
	}
	// qty omitted means one.
	q, err := s.Quote(now, []QuoteItem{{Item: "戶籍謄本"}})
	if err != nil || q.Total != 15 {
		t.Errorf("qty omitted: %v %v", q, err)
	}
}

func TestVersionValidation(t *testing.T) {
	good := func() *Version {
		return &Version{Effective: civil.New(2027, 1, 1), Basis: "測試", Items: []Item{{Code: "01", Name: "戶籍謄本", Measure: "張", Amount: 15}}}
	}
	for _, c := range []struct {
		mutate func(v *Version)
		want   string
	}{
		{func(v *Version) { v.Basis = "" }, "法規依據"},
		{func(v *Version) { v.Items = nil }, "至少須有一個項目"},
		{func(v *Version) { v.Items = append(v.Items, v.Items[0]) }, "重複"},
		{func(v *Version) { v.Items[0].Amount = -1 }, "金額"},
		{func(v *Version) { v.Items[0].FurtherFrom = 1 }, "第2份"},
		{func(v *Version) { v.Items[0].FurtherAmount = 5 }, "自第幾份"},
		{func(v *Version) { v.Items[0].Measure = "" }, "計費單位"},
		{func(v *Version) { v.Items[0].Exemptions = []Exemption{{Code: "x", Label: "y", Percent: 120}} }, "減免"},
	} {
		v := good()
		c.mutate(v)
		if err := v.validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("want %q, got %v", c.want, err)
		}
	}
	if err := good().validate(); err != nil {
		t.Fatal(err)
	}
}

func TestRule(t *testing.T) {
	for _, c := range []struct {
		it   Item
		want string
	}{
		{Item{Measure: "張", Amount: 15}, "每張15元"},
		{Item{Measure: "張", Amount: 100, FurtherFrom: 2, FurtherAmount: 15}, "第1張100元，第2張起每張15元"},
		{Item{Measure: "份", Amount: 50, FurtherFrom: 4, FurtherAmount: 10}, "第1至3份每份50元，第4份起每份10元"},
	} {
		if got := c.it.Rule(); got != c.want {
			t.Errorf("Rule = %s, want %s", got, c.want)
		}
	}
}

func BenchmarkQuote(b *testing.B) {
	s, err := Statutory()
	if err != nil {
		b.Fatal(err)
	}
	day := civil.New(2026, 11, 25)
	req := items("戶籍謄本", 3, "英文戶籍謄本", 2, "國民身分證換領", 1, "印鑑證明", 2, "親等關聯資料", 3)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Quote(day, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQuoteDatabase(b *testing.B) {
	e := newEnv(b)
	req := QuoteRequest{Items: items("戶籍謄本", 3, "英文戶籍謄本", 2, "國民身分證換領", 1, "印鑑證明", 2, "親等關聯資料", 3)}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.svc.Quote(e.ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}
