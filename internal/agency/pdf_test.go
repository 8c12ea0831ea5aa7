package agency

import (
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/pdf/pdftest"
)

// pdfText extracts a PDF's text and page count with poppler's tools; every
// page must be A4 portrait.
func pdfText(t *testing.T, b []byte) (string, int) {
	t.Helper()
	sizes := pdftest.PageSizes(t, b)
	for i, s := range sizes {
		if s != "595 x 842 pts (A4)" {
			t.Errorf("page %d is not A4: %s", i+1, s)
		}
	}
	return pdftest.Text(t, b), len(sizes)
}

func TestApplicationPDFFitsOneOrTwoPages(t *testing.T) {
	f := newFixture(t)
	fonts := pdf.NewFonts("")
	app := f.send(f.moveTo("臺中市北屯區崇德路三段1號", "tax_taichung", "mvdo_taichung", "taipower_taichung"))
	b, err := ApplicationPDF(fonts, app, time.Date(2024, 7, 8, 10, 5, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	text, pages := pdfText(t, b)
	if pages != 1 {
		t.Errorf("3 agencies on %d pages, want 1", pages)
	}
	norm := strings.Join(strings.Fields(text), "")
	for _, want := range []string{"N加e」跨機關便民服務申請書", "113西屯N加e字第000001號", "王大明", "A123456789", "民國69年5月20日",
		"遷徙／住址變更", "臺中市西屯區福科路100號", "臺中市北屯區崇德路三段1號", "臺中市政府地方稅務局", "交通部公路局臺中區監理所",
		"台灣電力公司台中區營業處", "電號：07-1234-0003", "共3個", "簽名或蓋章", "第1頁，共1頁"} {
		if !strings.Contains(norm, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// One agency of every category taking moves (the seed's 11 paper forms)
	// fits one page; ticking every agency of the register (70 of the 71 take
	// moves) still prints, continued on more pages.
	all, err := f.s.Agencies(f.ctx, AgencyFilter{ActiveOnly: true, Kind: "move"})
	if err != nil {
		t.Fatal(err)
	}
	var perCategory, every []string
	seen := map[string]bool{}
	for _, a := range all {
		every = append(every, a.Code)
		if !seen[a.CategoryCode] {
			seen[a.CategoryCode] = true
			perCategory = append(perCategory, a.Code)
		}
	}
	if len(perCategory) != 11 {
		t.Fatalf("%d categories take moves, want 11", len(perCategory))
	}
	for _, c := range []struct {
		codes    []string
		maxPages int
		want     []string
	}{
		{perCategory, 1, []string{"台灣自來水公司第四區管理處", "中華電信股份有限公司台中營運處", "共11個", "簽名或蓋章", "第1頁，共1頁"}},
		{every, 4, []string{"台灣自來水公司第四區管理處東勢服務所", "機關（單位）", "簽名或蓋章", "（續）"}},
	} {
		app := f.send(f.moveTo("臺中市大里區中興路一段100號之5十二樓", c.codes...))
		b, err = ApplicationPDF(fonts, app, clock.System().Now())
		if err != nil {
			t.Fatal(err)
		}
		text, pages = pdfText(t, b)
		if pages < 1 || pages > c.maxPages {
			t.Errorf("%d agencies on %d pages, want at most %d", len(c.codes), pages, c.maxPages)
		}
		norm = strings.Join(strings.Fields(text), "")
		for _, want := range c.want {
			if !strings.Contains(norm, want) {
				t.Errorf("PDF of %d agencies lacks %q", len(c.codes), want)
			}
		}
	}
}

func BenchmarkApplicationPDF(b *testing.B) {
	fonts := pdf.NewFonts("")
	app := &Application{RocYear: 113, OfficeDistrict: "西屯區", OfficeName: "臺中市西屯區戶政事務所", Number: 1, Kind: "move",
		SubjectIDNo: "A123456789", SubjectName: "王大明", SubjectBirthDate: civil.New(1980, 5, 20), ApplicantName: "王大明", ApplicantRelation: "本人",
		Fields: map[string]string{"old_address": "臺中市西屯區福科路100號", "new_address": "臺中市北屯區崇德路三段1號", "event_date": "2024-07-08"},
		Day:    civil.New(2024, 7, 8), ClerkName: "王小明"}
	for i := 0; i < 6; i++ {
		app.Items = append(app.Items, &Item{CategoryName: "電力", AgencyName: "台灣電力公司台中區營業處", AccountLabel: "電號", AccountNo: "07-1234-5678"})
	}
	for b.Loop() {
		if _, err := ApplicationPDF(fonts, app, clock.System().Now()); err != nil {
			b.Fatal(err)
		}
	}
}
