package form

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"ebazhao/internal/form/match"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var sup = audit.Actor{UserID: 2, Username: "supervisor", OfficeID: 1}

var today = civil.New(2026, 11, 25)

func newStore(t *testing.T) *Store {
	t.Helper()
	return &Store{DB: dbtest.New(t), Blobs: blob.NewFS(t.TempDir()), Now: func() time.Time { return today.Midnight().Add(2 * time.Hour) }}
}

func seededStore(t *testing.T) *Store {
	t.Helper()
	s := newStore(t)
	if _, _, err := s.SeedCatalogue(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSeedCatalogueIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := seededStore(t)
	n, u, err := s.SeedCatalogue(ctx)
	if err != nil || n != 0 || u != 0 {
		t.Fatalf("second seed created %d and updated %d, %v", n, u, err)
	}
	cats, err := s.Categories(ctx, -1)
	if err != nil || len(cats) != 23 {
		t.Fatalf("%d categories, %v", len(cats), err)
	}
	forms, _ := s.List(ctx, Filter{OfficeID: -1})
	if len(forms) != len(Catalogue()) {
		t.Errorf("%d forms, %d shipped", len(forms), len(Catalogue()))
	}
	for _, f := range forms {
		_, err := s.InForce(ctx, f.ID, today)
		if f.Kind == KindTemplate && err != nil {
			t.Errorf("%s: no version in force: %v", f.Code, err)
		}
		if f.Kind == KindFile && !errors.Is(err, db.ErrNotFound) {
			t.Errorf("%s: file form waiting for its file has a version: %v", f.Code, err)
		}
	}
	// A supervisor's change survives the next start's seeding.
	f, _ := s.ByCode(ctx, "affidavit")
	f.Name = "切結書（修正）"
	if err := s.Update(ctx, sup, f); err != nil {
		t.Fatal(err)
	}
	s.SeedCatalogue(ctx)
	if f2, _ := s.ByCode(ctx, "affidavit"); f2.Name != "切結書（修正）" {
		t.Errorf("seeding overwrote a maintained form: %q", f2.Name)
	}
}

func simpleSpec(title string) string {
	return (&Spec{Title: title, Roles: []Role{{Key: "a", Label: "申請人"}}, Blocks: []Block{{Kind: BlockPerson, Role: "a"}}}).JSON()
}

func TestVersionInForceByDate(t *testing.T) {
	ctx := context.Background()
	s := seededStore(t)
	f := &Form{Code: "test-form", CategoryCode: "general", Name: "測試表單", Kind: KindTemplate}
	if _, err := s.Create(ctx, sup, f, NewVersion{EffectiveFrom: civil.New(2024, 1, 1), Spec: simpleSpec("第一版"), Note: "v1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddVersion(ctx, sup, f, NewVersion{EffectiveFrom: civil.New(2026, 12, 1), Spec: simpleSpec("第二版"), Note: "v2"}); err != nil {
		t.Fatal(err)
	}
	// Two versions on the same day: the later one wins.
	if _, err := s.AddVersion(ctx, sup, f, NewVersion{EffectiveFrom: civil.New(2027, 1, 1), Spec: simpleSpec("第三版草稿")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddVersion(ctx, sup, f, NewVersion{EffectiveFrom: civil.New(2027, 1, 1), Spec: simpleSpec("第三版")}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		day   civil.Date
		no    int
		title string
	}{
		{civil.New(2023, 12, 31), 0, ""},
		{civil.New(2024, 1, 1), 1, "第一版"},
		{civil.New(2026, 11, 30), 1, "第一版"},
		{civil.New(2026, 12, 1), 2, "第二版"},
		{civil.New(2026, 12, 31), 2, "第二版"},
		{civil.New(2027, 1, 1), 4, "第三版"},
		{civil.New(2099, 1, 1), 4, "第三版"},
	}
	for _, c := range cases {
		v, err := s.InForce(ctx, f.ID, c.day)
		if c.no == 0 {
			if !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s: want none, got %v", c.day.ISO(), err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.day.ISO(), err)
		}
		sp, _ := v.Spec()
		if v.No != c.no || sp.Title != c.title {
			t.Errorf("%s: version %d %q, want %d %q", c.day.ISO(), v.No, sp.Title, c.no, c.title)
		}
	}
	// The past never changes: a version may not take effect before today.
	if _, err := s.AddVersion(ctx, sup, f, NewVersion{EffectiveFrom: today.AddDate(0, 0, -1), Spec: simpleSpec("追溯")}); err == nil || !strings.Contains(err.Error(), "不可早於今天") {
		t.Errorf("back-dated version: %v", err)
	}
	if _, err := s.AddVersion(ctx, sup, f, NewVersion{EffectiveFrom: today, Spec: `{"title":"壞","blocks":[{"kind":"x"}]}`}); err == nil {
		t.Error("invalid spec accepted")
	}
	vs, _ := s.Versions(ctx, f.ID)
	if len(vs) != 4 || vs[0].No != 4 {
		t.Errorf("versions after refused ones: %d", len(vs))
	}
	var audited int
	s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM audit_log WHERE object_id = 'test-form' AND action IN ('form.create', 'form.version.add')`).Scan(&audited)
	if audited != 5 {
		t.Errorf("audited %d changes, want 5", audited)
	}
}

func minimalPDF(extra string) []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + extra + "\ntrailer << /Root 1 0 R >>\n%%EOF\n")
}

func TestFileFormVersions(t *testing.T) {
	ctx := context.Background()
	s := seededStore(t)
	f, err := s.ByCode(ctx, "passport-application")
	if err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		nv   NewVersion
		want string
	}{
		{"no file", NewVersion{EffectiveFrom: today}, "請選擇"},
		{"not a pdf", NewVersion{EffectiveFrom: today, File: []byte("<html>hello</html>")}, "只接受 PDF"},
		{"too large", NewVersion{EffectiveFrom: today, File: append(minimalPDF(""), make([]byte, MaxFileSize)...)}, "檔案過大"},
	}
	for _, b := range bad {
		if _, err := s.AddVersion(ctx, sup, f, b.nv); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: %v", b.name, err)
		}
	}
	body := minimalPDF("外交部格式")
	v, err := s.AddVersion(ctx, sup, f, NewVersion{EffectiveFrom: today, File: body, FileName: `C:\tmp\護照申請書.pdf`, Note: "外交部 114年版"})
	if err != nil {
		t.Fatal(err)
	}
	if v.FileName != "護照申請書.pdf" || v.FileSHA256 != blob.Sum(body) || v.FileSize != int64(len(body)) {
		t.Errorf("stored version %+v", v)
	}
	got, err := s.InForce(ctx, f.ID, today)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.File(ctx, got)
	if err != nil || !bytes.Equal(b, body) {
		t.Errorf("file read back: %v", err)
	}
	tf, _ := s.ByCode(ctx, "affidavit")
	if _, err := s.AddVersion(ctx, sup, tf, NewVersion{EffectiveFrom: today, File: body}); err == nil {
		t.Error("file accepted on a template form")
	}
}

func TestSearchRanking(t *testing.T) {
	ctx := context.Background()
	s := seededStore(t)
	cases := []struct {
		q     string
		first string
	}{
		{"戶籍登記申請書", "household-application"},
		{"戶籍登記申", "household-application"},
		{"戶登申", "household-application"},
		{"印鑑證明", "seal-certificate-application"},
		{"自然人憑證", "moica-application"},
		{"憑證 委託", "moica-delegation"},
		{"同意書 未成年", "consent-minor"},
		{"改名", "name-change-application"},
		{"身分證", "idcard-application"},
		{"謄本", "transcript-application"},
		{"報戶口", "birth-application"},
		{"離婚協議", "divorce-agreement"},
	}
	for _, c := range cases {
		hits, err := s.Search(ctx, c.q, 1, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].Form.Code != c.first {
			var got []string
			for _, h := range hits {
				got = append(got, h.Form.Code)
			}
			t.Errorf("%q → %v, want %s first", c.q, got, c.first)
		}
	}
	if hits, _ := s.Search(ctx, "   ", 1, 5); hits != nil {
		t.Error("empty query found forms")
	}
}

func TestRetiredAndOfficeForms(t *testing.T) {
	ctx := context.Background()
	s := seededStore(t)
	own := &Form{Code: "xitun-parking", CategoryCode: "general", Name: "停車證明申請單", Kind: KindTemplate, OfficeID: 7}
	if _, err := s.Create(ctx, sup, own, NewVersion{EffectiveFrom: today, Spec: simpleSpec("停車證明申請單")}); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.Search(ctx, "停車證明", 7, 5); len(hits) != 1 {
		t.Errorf("own office does not find its form")
	}
	if hits, _ := s.Search(ctx, "停車證明", 8, 5); len(hits) != 0 {
		t.Errorf("another office sees an office-only form")
	}
	f, _ := s.ByCode(ctx, "affidavit")
	if err := s.SetRetired(ctx, sup, f, true); err != nil {
		t.Fatal(err)
	}
	if hits, _ := s.Search(ctx, "切結書", 7, 5); len(hits) != 0 {
		t.Errorf("retired form still found")
	}
	all, _ := s.List(ctx, Filter{Category: "consent", OfficeID: 7, IncludeRetired: true})
	active, _ := s.List(ctx, Filter{Category: "consent", OfficeID: 7})
	if len(all) != len(active)+1 {
		t.Errorf("retired form: %d listed with retired, %d without", len(all), len(active))
	}
}

func TestPrintStats(t *testing.T) {
	ctx := context.Background()
	s := seededStore(t)
	a, _ := s.ByCode(ctx, "household-application")
	b, _ := s.ByCode(ctx, "consent-minor")
	for _, p := range []struct {
		form   *Form
		office int64
		mode   string
	}{{a, 1, ModeBlank}, {a, 1, ModeFilled}, {a, 1, ModeFilled}, {a, 2, ModeBlank}, {b, 1, ModeFilled}} {
		if err := s.CountPrint(ctx, s.DB, p.form.ID, p.office, p.mode); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.Stats(ctx, today, today, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].FormCode != "household-application" || rows[0].Blank != 1 || rows[0].Filled != 2 || rows[0].Total() != 3 {
		t.Errorf("office 1 stats: %+v", rows)
	}
	all, _ := s.Stats(ctx, today, today, 0)
	if len(all) != 3 {
		t.Errorf("city stats rows %d, want 3", len(all))
	}
	if none, _ := s.Stats(ctx, today.AddDate(0, 0, 1), today.AddDate(0, 0, 2), 0); len(none) != 0 {
		t.Errorf("stats outside the period: %+v", none)
	}
}

func FuzzMatch(f *testing.F) {
	for _, s := range []string{"戶籍登記", "台中 印鑑", "ＩＤ", "", "　", "a.b"} {
		f.Add(s, "戶籍登記申請書")
	}
	f.Fuzz(func(t *testing.T, q, name string) {
		terms := match.Terms(q)
		sc := match.Score(terms, match.Field{Text: match.Normalize(name), Weight: 4})
		if len(terms) == 0 && sc != 0 {
			t.Fatalf("empty query scored %d", sc)
		}
		if sc < 0 {
			t.Fatalf("negative score %d", sc)
		}
		if n := match.Normalize(name); n != "" && len(terms) == 0 && match.Score(match.Terms(name), match.Field{Text: n, Weight: 1}) == 0 {
			// A name always matches itself.
			if len(match.Terms(name)) > 0 {
				t.Fatalf("%q does not match itself", name)
			}
		}
	})
}

func BenchmarkSearchCatalogue(b *testing.B) {
	forms := make([]*Form, 0, 200)
	for i := 0; i < 3; i++ { // about three times the seed's 119 forms
		for _, sf := range Catalogue() {
			forms = append(forms, &Form{Code: sf.Code, Name: sf.Name, Keywords: sf.Keywords, Description: sf.Description, CategoryName: sf.Category})
		}
	}
	terms := match.Terms("戶籍登記申")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if hits := Rank(terms, forms, 30); len(hits) == 0 {
			b.Fatal("no hit")
		}
	}
}

// TestShippedCorrectionReachesUntouchedForms: an installation seeded by an
// older release (here: its template rewritten to an older text) gets the
// shipped template as a new version from today, the old one still in force
// for the days before; a form a supervisor has versioned is left alone.
func TestShippedCorrectionReachesUntouchedForms(t *testing.T) {
	ctx := context.Background()
	s := seededStore(t)
	var codes []string
	for _, sf := range Catalogue() {
		if sf.Kind == KindTemplate && len(codes) < 2 {
			codes = append(codes, sf.Code)
		}
	}
	untouched, maintained := codes[0], codes[1]
	old := simpleSpec("舊版範本")
	for _, code := range codes {
		f, _ := s.ByCode(ctx, code)
		if _, err := s.DB.Exec(ctx, `UPDATE form_versions SET spec = ? WHERE form_id = ?`, old, f.ID); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := s.ByCode(ctx, maintained)
	if _, err := s.AddVersion(ctx, sup, m, NewVersion{EffectiveFrom: today, Spec: old, Note: "本所修正"}); err != nil {
		t.Fatal(err)
	}

	created, updated, err := s.SeedCatalogue(ctx)
	if err != nil || created != 0 || updated != 1 {
		t.Fatalf("seed after a release: created %d, updated %d, %v", created, updated, err)
	}
	f, _ := s.ByCode(ctx, untouched)
	vs, err := s.Versions(ctx, f.ID)
	if err != nil || len(vs) != 2 {
		t.Fatalf("%s: %d versions, %v", untouched, len(vs), err)
	}
	var shipped string
	for _, sf := range Catalogue() {
		if sf.Code == untouched {
			shipped = sf.Spec.JSON()
		}
	}
	last := vs[0] // newest first
	if last.No != 2 || last.CreatedBy != "system" || last.Note != ShippedNote || !last.EffectiveFrom.Equal(today) || last.SpecJSON != shipped {
		t.Errorf("the added version: no %d by %q note %q from %s, shipped spec %v", last.No, last.CreatedBy, last.Note,
			last.EffectiveFrom.ISO(), last.SpecJSON == shipped)
	}
	if v, err := s.InForce(ctx, f.ID, today.AddDate(0, 0, -1)); err != nil || v.SpecJSON != old {
		t.Errorf("yesterday's version changed: %v", err)
	}
	if vs, _ := s.Versions(ctx, m.ID); len(vs) != 2 || vs[0].CreatedBy != sup.Username {
		t.Errorf("the maintained form got a system version: %d versions", len(vs))
	}
	if _, updated, _ := s.SeedCatalogue(ctx); updated != 0 {
		t.Errorf("the next start updated %d forms again", updated)
	}
}
