package archive

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBulkImportIsResumableAndReportsRejects(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.tif"), tiffOf(60, 61), 0o644)
	os.WriteFile(filepath.Join(dir, "b.png"), EncodePNG(page(62)), 0o644)
	os.WriteFile(filepath.Join(dir, "broken.tif"), tiffOf(63)[:200], 0o644)
	manifest := filepath.Join(dir, "manifest.csv")
	os.WriteFile(manifest, []byte("\ufefffile,office,item,reg_date,persons,volume,page,note\n"+
		"a.tif,xitun,出生,74.6.12,A123456789 王大明 當事人; 王志明 父,74-6,12,\n"+
		"b.png,北屯區,death,1990-01-05,B120000008 王阿土,,,\n"+
		"broken.tif,xitun,birth,74.6.12,林某,,,\n"+
		"missing.tif,xitun,birth,74.6.12,林某,,,\n"+
		"a.tif,nowhere,birth,74.6.12,林某,,,\n"+
		"../etc/passwd,xitun,birth,74.6.12,林某,,,\n"), 0o644)
	var calls int
	rep, err := f.svc.Import(f.ctx, f.scanner, dir, manifest, func(done, total, pages int) { calls++ })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 6 || rep.Imported != 2 || rep.Pages != 3 || rep.Rejected != 4 || rep.Skipped != 0 || calls != 6 {
		t.Fatalf("first run: %+v (progress calls %d)", rep, calls)
	}
	var out bytes.Buffer
	WriteRejects(&out, rep.Rejects)
	for _, want := range []string{"4,broken.tif", "TIFF", "5,missing.tif,讀不到檔案", "戶所「nowhere」不存在", "不在匯入資料夾內"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("reject report lacks %q:\n%s", want, out.String())
		}
	}
	// A second run (after an interruption) skips what is archived.
	rep, err = f.svc.Import(f.ctx, f.scanner, dir, manifest, nil)
	if err != nil || rep.Imported != 0 || rep.Skipped != 2 {
		t.Fatalf("second run: %+v %v", rep, err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM archive_docs`); n != 2 {
		t.Fatalf("%d docs", n)
	}
	if err := Command(f.ctx, f.d, t.TempDir(), []string{"import", "--dir", dir}, &out, &out); err == nil {
		t.Fatal("import without a manifest")
	}
}

func TestGeneratorBuildsASearchableIndex(t *testing.T) {
	f := newFixture(t)
	g := &Generator{DB: f.d, Blobs: f.svc.Blobs, Docs: 900, Seed: 5}
	if _, err := g.Run(f.ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM archive_docs`); n != 900 {
		t.Fatalf("%d docs", n)
	}
	found := 0
	var name string
	for i := 0; i < 50; i++ {
		res, err := f.svc.Search(f.ctx, Query{IDNo: GenPerson(i).IDNo})
		if err != nil {
			t.Fatal(err)
		}
		found += len(res.Hits)
		if len(res.Hits) > 0 {
			name = string([]rune(res.Hits[0].Persons[0].Name)[:2])
		}
	}
	if found == 0 {
		t.Fatal("generated people are not findable")
	}
	// A real document added after generation gets a fresh id.
	d := f.ingest(t, f.input(Person{IDNo: "A123456789", Name: "王大明"}), tiffOf(70))
	if d.ID != 901 {
		t.Fatalf("next id %d", d.ID)
	}
	res, _ := f.svc.Search(f.ctx, Query{Name: name, Limit: 5})
	if len(res.Hits) == 0 {
		t.Fatalf("no generated %s… found", name)
	}
}
