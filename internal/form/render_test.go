package form

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/person"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/pdf/pdftest"
	"ebazhao/internal/platform/rocdate"
)

// samplePeople are two register entries used to pre-fill forms in tests; the
// second has a rare character (plane 2) in her name.
func samplePeople() map[string]*person.Person {
	return map[string]*person.Person{
		"a": {IDNo: "A123456789", Name: "王大明", Sex: "男", BirthDate: rocdate.Date(1980, 5, 20),
			AddrHousehold: "臺中市西屯區福科路100號", AddrCurrent: "臺中市西屯區福科路100號", Phone: "0912-345-678", Email: "daming@example.tw"},
		"b": {IDNo: "B234567890", Name: "陳𡍼婷", Sex: "女", BirthDate: rocdate.Date(1985, 11, 3),
			AddrHousehold: "臺中市北屯區崇德路三段5號", Phone: "0933-222-111"},
	}
}

func sampleValues(s *Spec) *Values {
	v := &Values{People: samplePeople(), Office: OfficeInfo{Name: "臺中市西屯區戶政事務所", Address: "臺中市西屯區", Phone: "04-2228-9111"},
		Clerk: "王小明", Today: civil.New(2025, 7, 7), Case: map[string]string{}}
	for _, in := range s.Inputs {
		if len(in.Options) > 0 {
			v.Case[in.Key] = in.Options[len(in.Options)-1]
		} else {
			v.Case[in.Key] = "甲" + in.Key
		}
	}
	return v
}

// pdfText is the text of a printed form and its page count.
func pdfText(t testing.TB, b []byte) (text string, pages int) {
	t.Helper()
	text = pdftest.Text(t, b)
	return text, strings.Count(text, "\f")
}

var leftover = regexp.MustCompile(`\{[a-z]|[ab]\.(name|id_no|birth|addr_)|case\.|today\.|office\.`)

// TestEveryTemplateRendersBlankAndFilled prints every shipped template blank and
// pre-filled, reads the PDF back with pdftotext and checks: one page, no leftover
// placeholder or missing glyph, nobody's data on the blank form, and each
// person's data on the line of the field it belongs to.
func TestEveryTemplateRendersBlankAndFilled(t *testing.T) {
	fonts := pdf.NewFonts("")
	dir := os.Getenv("EBAZHAO_FORM_PDF_DIR")
	people := samplePeople()
	for _, sf := range Catalogue() {
		if sf.Spec == nil {
			continue
		}
		t.Run(sf.Code, func(t *testing.T) {
			meta := PDFMeta{Edition: "第1版", Office: "臺中市西屯區戶政事務所", Printed: time.Date(2026, 12, 7, 9, 30, 0, 0, rocdate.Taipei)}
			blank, err := WritePDF(fonts, Render(sf.Spec, nil), meta)
			if err != nil {
				t.Fatal(err)
			}
			vals := sampleValues(sf.Spec)
			doc := Render(sf.Spec, vals)
			filled, err := WritePDF(fonts, doc, meta)
			if err != nil {
				t.Fatal(err)
			}
			if dir != "" {
				os.WriteFile(filepath.Join(dir, sf.Code+"-blank.pdf"), blank, 0o644)
				os.WriteFile(filepath.Join(dir, sf.Code+"-filled.pdf"), filled, 0o644)
			}
			btxt, bpages := pdfText(t, blank)
			ftxt, fpages := pdfText(t, filled)
			if bpages != 1 || fpages != 1 {
				t.Errorf("pages: blank %d, filled %d; want 1", bpages, fpages)
			}
			title := strings.ReplaceAll(sf.Spec.Title, " ", "")
			for name, txt := range map[string]string{"blank": btxt, "filled": ftxt} {
				if m := leftover.FindString(txt); m != "" {
					t.Errorf("%s: leftover placeholder %q", name, m)
				}
				if strings.Contains(txt, "〓") {
					t.Errorf("%s: a character has no glyph", name)
				}
				if !strings.Contains(strings.ReplaceAll(txt, " ", ""), title) {
					t.Errorf("%s: title %q missing", name, title)
				}
			}
			for _, p := range people {
				if strings.Contains(btxt, p.Name) || strings.Contains(strings.ReplaceAll(btxt, " ", ""), p.IDNo) {
					t.Errorf("blank form shows %s", p.Name)
				}
			}
			checked := 0
			lines := strings.Split(ftxt, "\n")
			for _, bl := range doc.Blocks {
				for _, row := range bl.Rows {
					for _, c := range row {
						if c.Value == "" || (!strings.HasPrefix(c.Bind, "a.") && !strings.HasPrefix(c.Bind, "b.")) {
							continue
						}
						want := strings.ReplaceAll(c.Value, " ", "")
						if r := []rune(want); len(r) > 12 {
							want = string(r[:12])
						}
						if !nearLabel(lines, c.Label, want) {
							t.Errorf("%s (%s = %q) is not on the line of its label %q", c.Bind, c.Label, c.Value, c.Label)
						}
						checked++
					}
				}
			}
			if checked == 0 && len(sf.Spec.Roles) > 0 {
				t.Errorf("no person field was filled")
			}
		})
	}
}

// nearLabel reports whether value is printed on the line of its label or, when
// the label wraps onto two lines inside its cell, on the line next to it
// (pdftotext puts a vertically centred value between the label's two lines).
func nearLabel(lines []string, label, value string) bool {
	r := []rune(label)
	head, tail := string(r[:min(2, len(r))]), string(r[max(0, len(r)-2):])
	for i, l := range lines {
		if !strings.Contains(strings.ReplaceAll(l, " ", ""), value) {
			continue
		}
		for j := max(0, i-1); j <= min(len(lines)-1, i+1); j++ {
			lj := strings.ReplaceAll(lines[j], " ", "")
			if strings.Contains(lj, head) || strings.Contains(lj, tail) {
				return true
			}
		}
	}
	return false
}

func TestRenderResolvesBindings(t *testing.T) {
	sp := &Spec{Title: "測試", Roles: []Role{{"a", "申請人"}, {"b", "受託人"}}, Inputs: []Input{{Key: "kind", Label: "種類", Options: []string{"甲", "乙"}, Multi: true}, {Key: "note", Label: "說明"}},
		Blocks: []Block{
			{Kind: BlockText, Text: "本人{a.name}委託{b.name}辦理{case.note}，{today}"},
			{Kind: BlockChecks, Bind: "case.kind", Options: []string{"甲", "乙", "丙"}},
			{Kind: BlockGrid, Rows: [][]Cell{{{Label: "統號", Bind: "a.id_no", Boxes: 10}, {Label: "戶所", Bind: "office.name"}}}},
			{Kind: BlockPerson, Role: "b", Fields: []string{"name", "birth"}},
		}}
	if err := sp.Validate(); err != nil {
		t.Fatal(err)
	}
	blank := Render(sp, nil)
	if blank.Filled || !strings.Contains(blank.Text(), BlankMark) || strings.Contains(blank.Text(), "{") {
		t.Errorf("blank render:\n%s", blank.Text())
	}
	v := sampleValues(sp)
	v.Case["kind"] = "甲,丙"
	d := Render(sp, v)
	txt := d.Text()
	for _, w := range []string{"本人王大明委託陳𡍼婷辦理甲note，民國114年7月7日", "☑甲　☐乙　☑丙", "戶所：臺中市西屯區戶政事務所", "姓名：陳𡍼婷", "出生日期：民國74年11月3日"} {
		if !strings.Contains(txt, w) {
			t.Errorf("filled render lacks %q:\n%s", w, txt)
		}
	}
	if got := strings.Join(d.Blocks[2].Rows[0][0].Boxes, ""); got != "A123456789" {
		t.Errorf("ID boxes %q", got)
	}
	// A missing person leaves the line to write on, never the placeholder.
	delete(v.People, "b")
	if txt := Render(sp, v).Text(); !strings.Contains(txt, "委託"+BlankMark+"辦理") {
		t.Errorf("missing person: %s", txt)
	}
}

func TestSpecValidation(t *testing.T) {
	base := `{"title":"T","roles":[{"key":"a","label":"申請人"}],"inputs":[{"key":"k","label":"K","options":["x","y"]}],"blocks":[%s]}`
	cases := []struct {
		name, blocks, want string
	}{
		{"ok", `{"kind":"person","role":"a"},{"kind":"checks","bind":"case.k","options":["x","y","z"]}`, ""},
		{"unknown kind", `{"kind":"table"}`, "不認識的區塊種類"},
		{"undeclared role", `{"kind":"person","role":"b"}`, "未在 roles 中宣告"},
		{"unknown binding", `{"kind":"grid","rows":[[{"label":"x","bind":"a.salary"}]]}`, "不認識的人員欄位"},
		{"undeclared input", `{"kind":"text","text":"{case.zz}"}`, "未在 inputs 中宣告"},
		{"unbalanced brace", `{"kind":"text","text":"{a.name"}`, "不成對"},
		{"bad inline", `{"kind":"text","text":"{A.NAME}"}`, "不成對或代號格式錯誤"},
		{"option not in checks", `{"kind":"checks","bind":"case.k","options":["x"]}`, "不在勾選項目中"},
		{"bind and text", `{"kind":"grid","rows":[[{"label":"x","bind":"a.name","text":"y"}]]}`, "擇一"},
		{"empty grid", `{"kind":"grid"}`, "沒有列"},
		{"boxes too many", `{"kind":"grid","rows":[[{"label":"x","boxes":99}]]}`, "超出範圍"},
	}
	for _, c := range cases {
		_, err := ParseSpec([]byte(fmt.Sprintf(base, c.blocks)))
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	for _, bad := range []string{``, `{}`, `{"title":"x","blocks":[]}`, `{"title":"x","blocks":[{"kind":"text","text":"y"}],"extra":1}`, "\xff"} {
		if _, err := ParseSpec([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzParseSpec(f *testing.F) {
	f.Add(`{"title":"同意書","roles":[{"key":"a","label":"同意人"}],"inputs":[{"key":"k","label":"種類","options":["甲","乙"]}],"blocks":[{"kind":"person","role":"a"},{"kind":"checks","bind":"case.k","options":["甲","乙"]},{"kind":"sign","items":["簽章"],"date":true},{"kind":"office"}]}`)
	f.Add(`{"title":"x","blocks":[{"kind":"grid","rows":[[{"label":"統號","bind":"today","boxes":10}]]},{"kind":"notes","items":["{today.y}"]}]}`)
	f.Add(`{"title":"x","roles":[{"key":"a","label":"y"}],"blocks":[{"kind":"text","text":"{a.name}{"}]}`)
	f.Fuzz(func(t *testing.T, s string) {
		sp, err := ParseSpec([]byte(s))
		if err != nil {
			return
		}
		// Whatever validates renders without a placeholder, blank and filled.
		for _, v := range []*Values{nil, sampleValues(sp)} {
			if txt := Render(sp, v).Text(); inlineBind.MatchString(txt) && !strings.Contains(s, "{{") {
				// A value may legitimately contain braces only if the input typed them.
				if v == nil {
					t.Fatalf("blank render left a placeholder: %q", txt)
				}
			}
		}
	})
}

func BenchmarkRenderPDFHouseholdApplication(b *testing.B) {
	fonts := pdf.NewFonts("")
	var sp *Spec
	for _, sf := range Catalogue() {
		if sf.Code == "household-application" {
			sp = sf.Spec
		}
	}
	v := sampleValues(sp)
	if _, err := WritePDF(fonts, Render(sp, v), PDFMeta{}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := WritePDF(fonts, Render(sp, v), PDFMeta{}); err != nil {
			b.Fatal(err)
		}
	}
}
