package notice

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	"ebazhao/internal/legal"
)

// Every built-in template fills completely from a full set of values: no
// unknown field and no placeholder left.
func TestEveryTemplateFillsEveryPlaceholder(t *testing.T) {
	values := map[string]string{}
	for _, p := range Placeholders {
		values[p.Name] = "〔" + p.Name + "〕"
	}
	seen := map[string]bool{}
	for _, tpl := range seedTemplates() {
		if seen[tpl.SeedKey] {
			t.Errorf("seed key %s twice", tpl.SeedKey)
		}
		seen[tpl.SeedKey] = true
		check := tpl
		if err := validateTemplate(&check); err != nil {
			t.Errorf("%s: %v", tpl.SeedKey, err)
			continue
		}
		out, err := Fill(tpl.Body, values)
		if err != nil {
			t.Errorf("%s: %v", tpl.SeedKey, err)
			continue
		}
		if name, left := LeftoverPlaceholder(out); left {
			t.Errorf("%s: placeholder {{%s}} left", tpl.SeedKey, name)
		}
		for _, name := range PlaceholdersIn(tpl.Body) {
			if !strings.Contains(out, "〔"+name+"〕") {
				t.Errorf("%s: {{%s}} not filled", tpl.SeedKey, name)
			}
		}
	}
	if len(seen) < 40 {
		t.Errorf("only %d built-in templates", len(seen))
	}
}

// sampleInput is a realistic case for a template: the kind, subtype and item it
// serves, with dates that make it lawful on the fixture's day (2024-07-15).
func sampleInput(tpl *Template) Input {
	in := Input{Kind: tpl.Kind, Subtype: tpl.Subtype, Item: tpl.Item, Recipient: Recipient{IDNo: "A123456789"}, Subject: "王小華"}
	generic := map[string]string{
		"notice/通知申請登記": "認領登記", "notice/逕為登記後通知": "死亡登記",
		"reminder/" + legal.NoticeReminderOnly: "分戶登記", "reminder/" + legal.NoticeDirectRegistration: "輔助登記",
		"reminder/" + legal.NoticeFine: "認領登記", "reminder/" + legal.NoticeDirectRegistrationAnd: "未成年子女權利義務行使負擔登記",
		"reminder/" + legal.NoticeFalseApplication: "遷入登記",
		"fine/" + FineLate:                         "認領登記", "fine/" + FineReminded: "死亡登記", "fine/" + FineFalse: "遷入登記",
		"onetime/": "認領登記", "confirm/" + confirmProxy: "遷入登記",
	}
	if in.Item == "" {
		in.Item = generic[string(tpl.Kind)+"/"+tpl.Subtype]
	}
	switch tpl.Kind {
	case KindNotice:
		in.EventDate = "113.7.10"
		switch tpl.Subtype {
		case "出境滿二年應為遷出登記":
			in.EventDate = "111.3.1"
		case "逕為登記後通知", "依職權更正後通知":
			in.EventDate, in.RegistrationDate = "113.1.2", "113.7.12"
		}
	case KindReminder:
		in.EventDate = "112.12.1"
		if tpl.Subtype == legal.NoticeDirectRegistration {
			in.Justified = true
		}
		in.FalseMatter = "申請人未實際居住於申請遷入之地址"
	case KindFine:
		in.EventDate, in.RegistrationDate = "113.1.2", "113.7.12"
		in.ReminderRef, in.ReminderServed = "中市北屯戶催字第1130000001號", "113.5.2" // another office's, served 113.5.2
		in.DiscoveredBy, in.FalseMatter = "戶政人員發現", "申請人未實際居住於申請遷入之地址"
	case KindOneTime:
		in.Items = tpl.Items
		in.FixBy = "113.8.15"
	case KindConfirm:
		in.AcceptedDate, in.Applicant = "113.7.12", "王小華"
	}
	in.Note = "附註文字"
	return in
}

// Every stored template issues a real document whose text has no placeholder left.
func TestEveryTemplateIssuesADocument(t *testing.T) {
	f := setup(t)
	ts, err := f.s.Templates(f.ctx, TemplateFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != len(seedTemplates()) {
		t.Fatalf("%d templates stored, %d built in", len(ts), len(seedTemplates()))
	}
	for _, tpl := range ts {
		t.Run(tpl.Name, func(t *testing.T) {
			doc := f.issue(f.clerk, sampleInput(tpl))
			c := doc.Content
			if c.TemplateID != tpl.ID {
				t.Errorf("issued under template %d (%s), want %d", c.TemplateID, c.TemplateName, tpl.ID)
			}
			if name, left := LeftoverPlaceholder(c.Text); left || strings.Contains(c.Text, "{{") || strings.Contains(c.Text, "}}") {
				t.Errorf("placeholder {{%s}} left in:\n%s", name, c.Text)
			}
			if strings.Contains(c.Text, "<no value>") || len([]rune(c.Text)) < 60 {
				t.Errorf("text:\n%s", c.Text)
			}
			if !strings.Contains(c.Text, "附註文字") && strings.Contains(tpl.Body, "{{附註}}") {
				t.Error("附註 not printed")
			}
		})
	}
}

// Seeding is idempotent: loading again adds nothing, and a supervisor's new
// version is never overwritten by the built-in text.
func TestSeedingIsIdempotent(t *testing.T) {
	f := setup(t)
	var n1, n2 int
	f.s.ensureSeeded(f.ctx)
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM doc_templates`).Scan(&n1)
	if err := SeedTemplates(f.ctx, f.d); err != nil {
		t.Fatal(err)
	}
	f.d.QueryRow(f.ctx, `SELECT COUNT(*) FROM doc_templates`).Scan(&n2)
	if n1 != n2 || n1 != len(seedTemplates()) {
		t.Errorf("templates %d then %d, built in %d", n1, n2, len(seedTemplates()))
	}
}

func TestReportsCountByKindOfficeClerkAndMonth(t *testing.T) {
	f := setup(t)
	notice := Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "A123456789"}}
	fine := Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.20", Recipient: Recipient{IDNo: "A123456789"}}
	f.issue(f.clerk, notice)
	f.issue(f.clerk, fine)
	c := f.issue(f.clerk2, fine)
	f.issue(f.other, notice)
	f.now = day(2024, 8, 2)
	f.issue(f.clerk, notice)
	if _, err := f.s.Cancel(f.ctx, f.clerk2, c.ID, "重複開立"); err != nil {
		t.Fatal(err)
	}
	rows, err := f.s.Report(f.ctx, f.xitun.ID, 113)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ kind, month, clerk string }
	got := map[key]ReportRow{}
	for _, r := range rows {
		if r.OfficeID != f.xitun.ID {
			t.Errorf("another office in the office report: %+v", r)
		}
		got[key{string(r.Kind), r.Month, r.Clerk}] = r
	}
	want := map[key][3]int64{
		{"notice", "2024-07", "王小明"}: {1, 0, 0}, {"fine", "2024-07", "王小明"}: {1, 0, 300},
		{"fine", "2024-07", "陳櫃檯"}: {1, 1, 0}, {"notice", "2024-08", "王小明"}: {1, 0, 0},
	}
	if len(got) != len(want) {
		t.Errorf("%d report rows, want %d: %+v", len(got), len(want), rows)
	}
	for k, w := range want {
		r := got[k]
		if r.Issued != w[0] || r.Cancelled != w[1] || r.Amount != w[2] {
			t.Errorf("%v: %d issued, %d cancelled, NT$%d; want %v", k, r.Issued, r.Cancelled, r.Amount, w)
		}
	}
	all, _ := f.s.Report(f.ctx, 0, 113)
	tot := KindTotals(all)
	if len(tot) != 2 || tot[0].Kind != KindNotice || tot[0].Issued != 3 || tot[1].Issued != 2 || tot[1].Amount != 300 {
		t.Errorf("city totals: %+v", tot)
	}
	b, err := ReportXLSX(all, 113)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("xlsx is not a zip: %v", err)
	}
	files := map[string]string{}
	for _, zf := range z.File {
		r, _ := zf.Open()
		body, _ := io.ReadAll(r)
		r.Close()
		files[zf.Name] = string(body)
	}
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/styles.xml"} {
		if files[name] == "" {
			t.Errorf("xlsx lacks %s", name)
		}
	}
	for _, w := range []string{"戶籍通知書", "<v>3</v>", "<v>300</v>"} {
		if !strings.Contains(files["xl/worksheets/sheet1.xml"], w) {
			t.Errorf("summary sheet lacks %q", w)
		}
	}
	for _, w := range []string{"臺中市北屯區戶政事務所", "113年8月", "陳櫃檯", "罰鍰裁處書"} {
		if !strings.Contains(files["xl/worksheets/sheet2.xml"], w) {
			t.Errorf("detail sheet lacks %q", w)
		}
	}
}

func FuzzFill(f *testing.F) {
	for _, t := range seedTemplates() {
		f.Add(t.Body)
	}
	f.Add("{{")
	f.Add("{{ 受文者 }}{{}}{{{受文者}}}")
	f.Add("主旨：{{受文者}}{{附註}}")
	values := map[string]string{}
	for _, p := range Placeholders {
		values[p.Name] = "值"
	}
	f.Fuzz(func(t *testing.T, body string) {
		out, err := Fill(body, values)
		if len(PlaceholdersIn(body)) == 0 && err == nil && out != body {
			t.Fatalf("text without placeholders changed: %q → %q", body, out)
		}
		if err != nil {
			if !IsInputError(err) {
				t.Fatalf("error is not a user message: %v", err)
			}
			return
		}
		if name, left := LeftoverPlaceholder(out); left && !strings.Contains(body, "{{"+name+"}}") && values[name] == "" {
			t.Fatalf("Fill left {{%s}} in %q", name, out)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"113.7.7", "1130707", "民國113年7月7日", "2024-07-07", "113.02.30", "", "0.0.0", "999.99.99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate("event_date", "事件發生日", s)
		if err != nil {
			var fe *FieldError
			if !IsInputError(err) || !strings.Contains(err.Error(), "事件發生日") {
				t.Fatalf("error without the field name: %v (%T %v)", err, err, fe)
			}
			return
		}
		if !d.IsZero() && (d.Year() < 1912 || d.Year() > 2200) {
			t.Fatalf("%q parsed to %v", s, d)
		}
		if !d.IsZero() {
			again, err := parseDate("x", "x", d.ISO())
			if err != nil || !again.Equal(d) {
				t.Fatalf("%q → %v does not round-trip: %v %v", s, d, again, err)
			}
		}
	})
}

func BenchmarkPreviewFine(b *testing.B) {
	f := setup(b)
	in := Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.20", Recipient: Recipient{IDNo: "A123456789"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := f.s.Preview(f.ctx, f.clerk, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIssueNotice(b *testing.B) {
	f := setup(b)
	in := Input{Kind: KindNotice, Subtype: "換領國民身分證", Recipient: Recipient{IDNo: "A123456789"}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.s.Issue(f.ctx, f.clerk, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderFinePDF(b *testing.B) {
	f := setup(b)
	doc, err := f.s.Issue(f.ctx, f.clerk, Input{Kind: KindFine, Subtype: FineLate, Item: "死亡登記", EventDate: "113.1.10", RegistrationDate: "113.2.20",
		Recipient: Recipient{IDNo: "A123456789"}})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.s.PDF(f.ctx, doc, doc.Content); err != nil {
			b.Fatal(err)
		}
	}
}
