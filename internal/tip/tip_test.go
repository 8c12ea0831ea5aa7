package tip

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/pdf"
	"ebazhao/internal/platform/pdf/pdftest"
	"ebazhao/internal/platform/rocdate"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var actor = audit.Actor{UserID: 1, Username: "supervisor", OfficeID: 1}

// seeded returns a store with the shipped catalogue, its clock at day.
func seeded(t *testing.T, day time.Time) *Store {
	t.Helper()
	s := &Store{DB: dbtest.New(t), Now: func() time.Time { return day.Add(3 * time.Hour) }}
	if _, err := s.SeedCatalogue(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSeedIsIdempotentAndCoversEveryCategory(t *testing.T) {
	ctx := context.Background()
	s := seeded(t, rocdate.Date(2026, 11, 25))
	n, err := s.SeedCatalogue(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second seed created %d, %v", n, err)
	}
	cats, err := s.Categories(ctx, s.Today())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	total := 0
	for _, c := range cats {
		names = append(names, c.Name)
		if c.Count < 5 {
			t.Errorf("category %s has only %d items", c.Name, c.Count)
		}
		total += c.Count
	}
	if got := strings.Join(names, ","); got != "出生,改名,遷徙,結婚,國籍,護照親辦,離婚,死亡" {
		t.Errorf("categories %s", got)
	}
	if total != len(Items()) || total != 98 {
		t.Errorf("%d items in force, %d shipped, want 98", total, len(Items()))
	}
	t.Logf("%d tip items in %d categories", total, len(cats))
}

// TestShippedCatalogue checks the shipped content itself: the seed's 98 items
// (「新生兒加保」等 98項) in its eight categories, each one valid as a
// supervisor would have to enter it.
func TestShippedCatalogue(t *testing.T) {
	items := Items()
	if len(items) != 98 {
		t.Errorf("%d items shipped, the seed has 98", len(items))
	}
	if len(Categories) != 8 {
		t.Errorf("%d categories, the seed has 8", len(Categories))
	}
	cats := map[string]bool{}
	for _, c := range Categories {
		if cats[c.Code] {
			t.Errorf("category %s twice", c.Code)
		}
		cats[c.Code] = true
	}
	codes := map[string]bool{}
	titles := map[string]bool{}
	per := map[string]int{}
	for _, si := range items {
		if codes[si.Code] {
			t.Errorf("item code %s twice", si.Code)
		}
		codes[si.Code] = true
		if !codeOK(si.Code) {
			t.Errorf("item code %q is not a valid code", si.Code)
		}
		if !cats[si.Category] {
			t.Errorf("%s: unknown category %q", si.Code, si.Category)
		}
		if !strings.HasPrefix(si.Code, si.Category+"-") {
			t.Errorf("%s: code does not start with its category %s", si.Code, si.Category)
		}
		per[si.Category]++
		if len(si.Versions) == 0 {
			t.Errorf("%s has no version", si.Code)
			continue
		}
		for i, v := range si.Versions {
			if err := checkVersion(&v); err != nil {
				t.Errorf("%s version %d: %v", si.Code, i+1, err)
			}
			if i > 0 && !v.EffectiveFrom.After(si.Versions[i-1].EffectiveFrom) {
				t.Errorf("%s: version %d does not take effect after version %d", si.Code, i+1, i)
			}
			if v.EffectiveFrom.After(seedDay) {
				t.Errorf("%s: version %d takes effect after the seed day", si.Code, i+1)
			}
		}
		last := si.Versions[len(si.Versions)-1]
		key := si.Category + "/" + last.Title
		if titles[key] {
			t.Errorf("title %q twice in %s", last.Title, si.Category)
		}
		titles[key] = true
	}
	for _, c := range Categories {
		if per[c.Code] < 5 {
			t.Errorf("category %s (%s) ships %d items", c.Code, c.Name, per[c.Code])
		}
	}
}

func TestVersionInForceByDate(t *testing.T) {
	ctx := context.Background()
	s := seeded(t, rocdate.Date(2026, 11, 25))
	cases := []struct {
		day  civil.Date
		no   int
		want string
	}{
		{civil.New(2021, 12, 31), 0, ""},
		{civil.New(2022, 1, 1), 1, "每名新生兒發給新臺幣2萬元"},
		{civil.New(2025, 12, 31), 1, "每名新生兒發給新臺幣2萬元"},
		{civil.New(2026, 1, 1), 2, "第3胎3萬元"},
	}
	for _, c := range cases {
		it, err := s.ItemByCode(ctx, "birth-taichung-subsidy", c.day)
		if c.no == 0 {
			if !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s: want not found, got %v", c.day.ISO(), err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if it.No != c.no || !strings.Contains(it.Action, c.want) {
			t.Errorf("%s: version %d %q", c.day.ISO(), it.No, it.Action)
		}
	}
	// A new version takes effect on its day; what was shown before stays readable.
	it, _ := s.ItemByCode(ctx, "birth-nhi", s.Today())
	v := it.Version
	v.Phone, v.EffectiveFrom = "0800-000-000", civil.New(2026, 12, 1)
	if err := s.AddVersion(ctx, actor, it, v); err != nil {
		t.Fatal(err)
	}
	before, _ := s.ItemByCode(ctx, "birth-nhi", civil.New(2026, 11, 30))
	after, _ := s.ItemByCode(ctx, "birth-nhi", civil.New(2026, 12, 1))
	if before.Phone == "0800-000-000" || after.Phone != "0800-000-000" || after.No != 2 {
		t.Errorf("before %q after %q (v%d)", before.Phone, after.Phone, after.No)
	}
	v.EffectiveFrom = civil.New(2026, 11, 24)
	if err := s.AddVersion(ctx, actor, it, v); err == nil || !strings.Contains(err.Error(), "不可早於今天") {
		t.Errorf("back-dated version accepted: %v", err)
	}
	vs, _ := s.Versions(ctx, it.ID)
	if len(vs) != 2 {
		t.Errorf("%d versions after a rejected one, want 2", len(vs))
	}
}

func TestValidation(t *testing.T) {
	ctx := context.Background()
	s := seeded(t, rocdate.Date(2026, 11, 25))
	good := Version{EffectiveFrom: s.Today(), Title: "測試", Agency: "機關", Action: "辦理"}
	cases := []struct {
		name     string
		code     string
		category string
		edit     func(*Version)
		want     string
	}{
		{"no title", "x-1", "birth", func(v *Version) { v.Title = " " }, "項目名稱"},
		{"no agency", "x-2", "birth", func(v *Version) { v.Agency = "" }, "辦理機關"},
		{"bad url", "x-3", "birth", func(v *Version) { v.URL = "javascript:alert(1)" }, "網址"},
		{"bad code", "X Y", "birth", func(*Version) {}, "代碼"},
		{"no category", "x-4", "nope", func(*Version) {}, "類別"},
		{"duplicate", "birth-nhi", "birth", func(*Version) {}, "已被使用"},
		{"long action", "x-5", "birth", func(v *Version) { v.Action = strings.Repeat("字", 2001) }, "過長"},
	}
	for _, c := range cases {
		v := good
		c.edit(&v)
		_, err := s.Create(ctx, actor, c.category, c.code, 0, v)
		var ve *ValidationError
		if !errors.As(err, &ve) || !strings.Contains(ve.Msg, c.want) {
			t.Errorf("%s: %v, want a message about %s", c.name, err, c.want)
		}
	}
	if _, err := s.Create(ctx, actor, "move", "move-test", 5, good); err != nil {
		t.Fatalf("valid item refused: %v", err)
	}
}

func TestCategoryForRegistration(t *testing.T) {
	ctx := context.Background()
	s := seeded(t, rocdate.Date(2026, 11, 25))
	for kind, want := range map[string]string{"birth": "birth", "move_in": "move", "address_change": "move", "death_declaration": "death",
		"marriage": "marriage", "divorce": "divorce", "name_change": "name", "first_registration": "nationality", "passport": "passport", "death": "death"} {
		c, err := s.CategoryForRegistration(ctx, kind)
		if err != nil || c.Code != want {
			t.Errorf("%s → %v, %v; want %s", kind, c, err, want)
		}
	}
	if _, err := s.CategoryForRegistration(ctx, "seal"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown kind: %v", err)
	}
}

func TestSearchRanksTitleFirst(t *testing.T) {
	ctx := context.Background()
	s := seeded(t, rocdate.Date(2026, 11, 25))
	cases := []struct{ q, first string }{
		{"遺產稅", "death-estate-tax"},
		{"健保卡", "name-nhi-card"}, {"新生兒 健保", "birth-nhi"},
		{"台中 生育", "birth-taichung-subsidy"},
		{"人別確認", "passport-identity"},
		{"拋棄", "death-renounce"},
	}
	for _, c := range cases {
		got, err := s.Search(ctx, c.q, s.Today(), 5)
		if err != nil || len(got) == 0 || got[0].Code != c.first {
			var codes []string
			for _, g := range got {
				codes = append(codes, g.Code)
			}
			t.Errorf("%q → %v, want %s first", c.q, codes, c.first)
		}
	}
	if got, _ := s.Search(ctx, "zzzz無此字", s.Today(), 5); len(got) != 0 {
		t.Errorf("nonsense query found %d", len(got))
	}
}

func TestPrintStats(t *testing.T) {
	ctx := context.Background()
	s := seeded(t, rocdate.Date(2026, 11, 25))
	c, _ := s.CategoryByCode(ctx, "birth")
	for i := 0; i < 3; i++ {
		if err := s.CountPrint(ctx, c.ID, 0, 7); err != nil {
			t.Fatal(err)
		}
	}
	s.CountPrint(ctx, c.ID, 0, 8)
	rows, err := s.Stats(ctx, s.Today(), s.Today(), 7)
	if err != nil || len(rows) != 1 || rows[0].N != 3 {
		t.Fatalf("office 7: %+v %v", rows, err)
	}
	all, _ := s.Stats(ctx, s.Today(), s.Today(), 0)
	if len(all) != 2 {
		t.Errorf("all offices: %+v", all)
	}
}

// TestSheetsFitOnePage prints every category's sheet and reads it back.
func TestSheetsFitOnePage(t *testing.T) {
	ctx := context.Background()
	s := seeded(t, rocdate.Date(2026, 11, 25))
	fonts := pdf.NewFonts("")
	dir := os.Getenv("EBAZHAO_TIP_PDF_DIR") // keeps the sheets for a person to look at
	cats, _ := s.Categories(ctx, s.Today())
	for _, c := range cats {
		items, _ := s.Items(ctx, c.Code, s.Today())
		sh := &Sheet{Category: c, Items: items, Name: "陳𡍼婷", Day: s.Today(), Office: "臺中市西屯區戶政事務所", OfficeTel: "04-2228-9111",
			PublicURL: "https://ebazhao.example/tips/" + c.Code}
		b, err := sh.WritePDF(fonts)
		if err != nil {
			t.Fatal(err)
		}
		if dir != "" {
			os.WriteFile(filepath.Join(dir, "sheet-"+c.Code+".pdf"), b, 0o644)
		}
		if n := pdftest.Pages(t, b); n != 1 {
			t.Errorf("%s sheet is not one page: %d pages", c.Code, n)
		}
		txt := pdftest.Text(t, b)
		for _, w := range []string{"陳𡍼婷 君您好", "民國115年11月25日", items[0].Title, items[len(items)-1].Title} {
			if !strings.Contains(strings.ReplaceAll(txt, "\n", ""), w) && !strings.Contains(txt, w) {
				t.Errorf("%s sheet lacks %q", c.Code, w)
			}
		}
		if strings.Contains(txt, "〓") {
			t.Errorf("%s sheet has a missing glyph", c.Code)
		}
	}
}
