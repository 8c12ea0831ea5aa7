package archive

import "testing"

func TestSeedDemoIsIdempotent(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	for range 2 {
		if err := SeedDemo(f.ctx, f.d, dir); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.count(t, `SELECT COUNT(*) FROM archive_docs`); n != len(demoDocs) {
		t.Fatalf("%d demo documents, want %d", n, len(demoDocs))
	}
	if n := f.count(t, `SELECT COUNT(*) FROM archive_requests WHERE status = 'filed'`); n != 1 {
		t.Fatalf("%d open demo requests", n)
	}
	f.svc.Blobs = nil
	svc := NewService(f.d, nil)
	svc.Blobs = defaultStore(dir)
	res, err := svc.Search(f.ctx, Query{IDNo: "A123456789"})
	if err != nil || len(res.Hits) != 4 {
		t.Fatalf("demo person's documents: %v, %v", len(res.Hits), err)
	}
	d, _ := svc.Doc(f.ctx, res.Hits[len(res.Hits)-1].DocID)
	if d.PageCount != 3 || d.SourceFormat != FormatTIFF {
		t.Fatalf("oldest demo document: %d pages, %s", d.PageCount, d.SourceFormat)
	}
	if _, _, err := svc.PageImage(f.ctx, d, 3); err != nil {
		t.Fatal(err)
	}
}
