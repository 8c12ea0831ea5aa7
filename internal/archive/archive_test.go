package archive

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
)

func TestIngestMultiPageTIFFThenFindByID(t *testing.T) {
	f := newFixture(t)
	in := f.input(Person{IDNo: "A123456789", Name: "王大明", Role: "當事人"}, Person{IDNo: "B220000000", Name: "李美玲", Role: "母"})
	d := f.ingest(t, in, tiffOf(1, 2, 3))
	if d.PageCount != 3 || len(d.Pages) != 3 || d.SourceFormat != FormatTIFF || d.Version != 1 || !d.Current {
		t.Fatalf("doc = %+v", d)
	}
	for _, p := range d.Pages {
		if p.Width != 600 || p.Height != 840 || p.Format != FormatPNG {
			t.Errorf("page %d: %dx%d %s", p.No, p.Width, p.Height, p.Format)
		}
		th, err := blob.Get(f.ctx, f.svc.Blobs, p.ThumbSHA)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(th))
		if err != nil || img.Bounds().Dx() != 220 {
			t.Errorf("thumbnail of page %d: %v %v", p.No, err, img.Bounds())
		}
	}
	// The three pages differ, so do their stored images.
	if d.Pages[0].SHA == d.Pages[1].SHA {
		t.Error("distinct pages stored as one")
	}
	res, err := f.svc.Search(f.ctx, Query{IDNo: "b220000000"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 1 || res.Hits[0].DocID != d.ID || res.Hits[0].ItemLabel != "出生" || len(res.Hits[0].Persons) != 2 || res.Hits[0].ThumbSHA == "" {
		t.Fatalf("search by ID: %+v", res.Hits)
	}
	_, img, err := f.svc.PageImage(f.ctx, d, 2)
	if err != nil || Sniff(img) != FormatPNG {
		t.Fatalf("page image: %v", err)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM audit_log WHERE action = 'archive.ingest' AND person_id_no = 'A123456789'`); n != 1 {
		t.Errorf("ingest audit entries: %d", n)
	}
}

func TestIngestPNGJPEGAndPDF(t *testing.T) {
	f := newFixture(t)
	var jb bytes.Buffer
	jpeg.Encode(&jb, page(8), &jpeg.Options{Quality: 90})
	cases := []struct {
		name   string
		file   []byte
		format string
		pages  int
	}{
		{"png", EncodePNG(page(7)), FormatPNG, 1},
		{"jpeg", jb.Bytes(), FormatJPEG, 1},
		{"pdf", minimalPDF(2), FormatPDF, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := f.ingest(t, f.input(Person{Name: "陳阿土"}), c.file)
			if d.SourceFormat != c.format || d.PageCount != c.pages {
				t.Fatalf("%s: format %s pages %d", c.name, d.SourceFormat, d.PageCount)
			}
			if c.format != FormatPDF && d.Pages[0].SHA != blob.Sum(c.file) {
				t.Error("a PNG or JPEG page must be kept byte for byte")
			}
		})
	}
}

// pngWithSize is a PNG whose header declares w×h with no real pixel data.
func pngWithSize(w, h uint32) []byte {
	b := EncodePNG(page(1))
	out := append([]byte{}, b...)
	binary.BigEndian.PutUint32(out[16:], w)
	binary.BigEndian.PutUint32(out[20:], h)
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

// png16WithSize is a 16-bit grey PNG whose header declares w × h pixels.
func png16WithSize(w, h uint32) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray16(image.Rect(0, 0, 400, 400)))
	out := buf.Bytes()
	binary.BigEndian.PutUint32(out[16:], w)
	binary.BigEndian.PutUint32(out[20:], h)
	binary.BigEndian.PutUint32(out[29:], crc32.ChecksumIEEE(out[12:29]))
	return out
}

func TestIngestRejectsBadFilesAndStoresNothing(t *testing.T) {
	f := newFixture(t)
	f.svc.Proc.Limits.MaxPages = 5
	good := EncodePNG(page(3))
	blank := EncodePNG(image.NewGray(image.Rect(0, 0, 600, 800)))
	white := image.NewGray(image.Rect(0, 0, 600, 800))
	for i := range white.Pix {
		white.Pix[i] = 250
	}
	loop := tiffOf(1)
	binary.LittleEndian.PutUint32(loop[len(loop)-4:], binary.LittleEndian.Uint32(loop[4:8])) // last IFD points to the first
	var corruptJPEG bytes.Buffer
	jpeg.Encode(&corruptJPEG, page(4), nil)
	cj := corruptJPEG.Bytes()
	cj = append(append([]byte{}, cj[:len(cj)/2]...), bytes.Repeat([]byte{0x00}, 50)...)
	cases := []struct {
		name, file, want string
		data             []byte
	}{
		{"empty", "", "空的", nil},
		{"unknown format", "", "不支援的檔案格式", []byte("GIF89a not a scan")},
		{"truncated png", "", "不完整或已損毀", good[:len(good)/2]},
		{"corrupt jpeg", "", "無法讀取", cj},
		{"decompression bomb", "", "影像尺寸過大", pngWithSize(100000, 100000)},
		// 25 megapixels pass at 8 bits; at 16 bits they cost 50 (imagebudget.Cost), past the page's 36.
		{"16-bit decompression bomb", "", "影像尺寸過大", png16WithSize(5000, 5000)},
		{"tiny", "", "影像太小", EncodePNG(image.NewGray(image.Rect(0, 0, 120, 90)))},
		{"black page", "", "全黑頁面", blank},
		{"blank page", "", "空白頁面", EncodePNG(white)},
		{"tiff loop", "", "TIFF 檔已損毀", loop},
		{"tiff too many pages", "", "頁數過多", tiffOf(1, 2, 3, 4, 5, 6)},
		{"tiff truncated", "", "TIFF", tiffOf(1, 2)[:300]},
		{"pdf too many pages", "", "PDF 頁數過多（1000 頁", minimalPDF(1000)},
		{"pdf garbage", "", "PDF 檔已損毀", []byte("%PDF-1.4\nthis is not a pdf")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.Ingest(f.ctx, f.scanner, f.input(Person{Name: "林某"}), c.data)
			var re *RejectError
			if !errors.As(err, &re) || !strings.Contains(re.Error(), c.want) {
				t.Fatalf("err = %v, want a rejection containing %q", err, c.want)
			}
		})
	}
	t.Run("a tiff past the file's pixel budget is refused before decoding", func(t *testing.T) {
		saved := f.svc.Proc.Limits.MaxFilePixels
		defer func() { f.svc.Proc.Limits.MaxFilePixels = saved }()
		f.svc.Proc.Limits.MaxFilePixels = 1_000_000 // two 600 × 840 pages are 1,008,000
		_, err := f.svc.Ingest(f.ctx, f.scanner, f.input(Person{Name: "林某"}), tiffOf(1, 2, 3))
		if err == nil || !strings.HasPrefix(err.Error(), "第2頁：檔案影像總量過大") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("blank page inside a tiff names the page", func(t *testing.T) {
		_, err := f.svc.Ingest(f.ctx, f.scanner, f.input(Person{Name: "林某"}), EncodeTIFF([]*image.Gray{page(1), white}))
		if err == nil || !strings.HasPrefix(err.Error(), "第2頁：空白頁面") {
			t.Fatalf("err = %v", err)
		}
	})
	if n := f.count(t, `SELECT COUNT(*) FROM archive_docs`); n != 0 {
		t.Fatalf("%d documents recorded from bad files", n)
	}
	if _, err := os.Stat(filepath.Join(f.blobDir, "tmp")); err == nil {
		if ents, _ := os.ReadDir(filepath.Join(f.blobDir, "tmp")); len(ents) != 0 {
			t.Fatal("half-written files left in the store")
		}
	}
	entries, _ := os.ReadDir(f.blobDir)
	for _, e := range entries {
		if e.Name() != "tmp" {
			t.Fatalf("blob store holds %s after only rejected uploads", e.Name())
		}
	}
}

func TestIngestRejectsBadIndex(t *testing.T) {
	f := newFixture(t)
	file := EncodePNG(page(5))
	cases := []struct {
		name string
		mod  func(*DocInput)
		want string
	}{
		{"unknown office", func(in *DocInput) { in.OfficeID = 99999 }, "戶所不存在"},
		{"no office", func(in *DocInput) { in.OfficeID = 0 }, "請選擇原登記地戶所"},
		{"unknown item", func(in *DocInput) { in.Item = "放生" }, "登記項目「放生」不存在"},
		{"item by label", func(in *DocInput) { in.Item = "結婚"; in.RegDate = civil.New(1800, 1, 1) }, "民國35年"},
		{"future date", func(in *DocInput) { in.RegDate = civil.New(2030, 1, 1) }, "民國35年"},
		// 10:00 in Taipei (02:00 UTC): tomorrow is still in the future, whatever the hour.
		{"tomorrow", func(in *DocInput) { in.RegDate = civil.Of(f.svc.Now()).AddDays(1) }, "至今天"},
		{"no persons", func(in *DocInput) { in.Persons = nil }, "至少輸入一位"},
		{"bad id", func(in *DocInput) { in.Persons = []Person{{IDNo: "A123456788", Name: "王"}} }, "第1位當事人（王）"},
		{"nameless", func(in *DocInput) { in.Persons = []Person{{IDNo: "A123456789"}} }, "未填姓名"},
		{"same id twice", func(in *DocInput) {
			in.Persons = []Person{{IDNo: "A123456789", Name: "王"}, {IDNo: "a123456789", Name: "王"}}
		}, "重複"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := f.input(Person{IDNo: "A123456789", Name: "王大明"})
			c.mod(&in)
			_, err := f.svc.Ingest(f.ctx, f.scanner, in, file)
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Msg, c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if n := f.count(t, `SELECT COUNT(*) FROM archive_docs`); n != 0 {
		t.Fatalf("%d documents recorded", n)
	}
}

func TestDuplicateUploadIsRefusedWithTheExistingDocument(t *testing.T) {
	f := newFixture(t)
	file := tiffOf(10, 11)
	d := f.ingest(t, f.input(Person{IDNo: "A123456789", Name: "王大明"}), file)
	_, err := f.svc.Ingest(f.ctx, f.scanner, f.input(Person{IDNo: "A123456789", Name: "王大明"}), file)
	var de *DuplicateError
	if !errors.As(err, &de) || de.DocID != d.ID || !strings.Contains(err.Error(), "已建檔") {
		t.Fatalf("err = %v, want duplicate of %d", err, d.ID)
	}
	if n := f.count(t, `SELECT COUNT(*) FROM archive_docs`); n != 1 {
		t.Fatalf("%d docs", n)
	}
}

func TestRescanIsANewVersion(t *testing.T) {
	f := newFixture(t)
	old := f.ingest(t, f.input(Person{IDNo: "A123456789", Name: "王大明"}), tiffOf(20))
	in := f.input(Person{IDNo: "A123456789", Name: "王大明"}, Person{Name: "王阿嬌", Role: "母"})
	in.Supersedes = old.ID
	nd := f.ingest(t, in, tiffOf(21, 22))
	if nd.Version != 2 || nd.SupersedesID != old.ID || nd.PageCount != 2 {
		t.Fatalf("new version: %+v", nd)
	}
	o, _ := f.svc.Doc(f.ctx, old.ID)
	if o.Current || o.SupersededBy != nd.ID || len(o.Pages) != 1 {
		t.Fatalf("old version: current=%v by=%d pages=%d", o.Current, o.SupersededBy, len(o.Pages))
	}
	// The old file is still there, untouched.
	if _, _, err := f.svc.PageImage(f.ctx, o, 1); err != nil {
		t.Fatal(err)
	}
	res, _ := f.svc.Search(f.ctx, Query{IDNo: "A123456789"})
	if len(res.Hits) != 1 || res.Hits[0].DocID != nd.ID {
		t.Fatalf("search finds %+v, want only the new version", res.Hits)
	}
	vs, _ := f.svc.Versions(f.ctx, o)
	if len(vs) != 2 || vs[0].ID != nd.ID || vs[1].ID != old.ID {
		t.Fatalf("versions: %d", len(vs))
	}
	in.Supersedes = old.ID
	if _, err := f.svc.Ingest(f.ctx, f.scanner, in, tiffOf(23)); err == nil || !strings.Contains(err.Error(), "較新的版本") {
		t.Fatalf("rescanning an old version: %v", err)
	}
	in.Supersedes, in.OfficeID = nd.ID, f.beitun
	if _, err := f.svc.Ingest(f.ctx, f.scanner, in, tiffOf(24)); err == nil || !strings.Contains(err.Error(), "須與原影像相同") {
		t.Fatalf("rescanning into another office: %v", err)
	}
}

func TestSearchCombinations(t *testing.T) {
	f := newFixture(t)
	mk := func(seed int, office int64, item string, y int, persons ...Person) int64 {
		in := DocInput{OfficeID: office, Item: item, RegDate: civil.New(y, 3, 1), Persons: persons}
		return f.ingest(t, in, EncodePNG(page(seed))).ID
	}
	birth := mk(1, f.xitun, "birth", 1980, Person{IDNo: "A123456789", Name: "王大明"})
	marr := mk(2, f.xitun, "marriage", 2005, Person{IDNo: "A123456789", Name: "王大明"}, Person{IDNo: "B220000000", Name: "李美玲"})
	move := mk(3, f.beitun, "move_in", 2010, Person{IDNo: "A123456789", Name: "王大明"})
	other := mk(4, f.beitun, "birth", 1990, Person{Name: "歐陽大明"})
	cases := []struct {
		name string
		q    Query
		want []int64
	}{
		{"id newest first", Query{IDNo: "A123456789"}, []int64{move, marr, birth}},
		{"id and item", Query{IDNo: "A123456789", Item: "結婚"}, []int64{marr}},
		{"id and office", Query{IDNo: "A123456789", OfficeID: f.beitun}, []int64{move}},
		{"id and date range", Query{IDNo: "A123456789", From: civil.New(2000, 1, 1), To: civil.New(2006, 1, 1)}, []int64{marr}},
		{"name prefix", Query{Name: "王大"}, []int64{birth, marr, move}},
		{"name prefix misses the middle", Query{Name: "大明"}, nil},
		{"name part", Query{Name: "大明", NameContains: true}, []int64{birth, marr, move, other}},
		{"name part and office", Query{Name: "大明", NameContains: true, OfficeID: f.beitun}, []int64{move, other}},
		{"id and name part", Query{IDNo: "A123456789", Name: "大明", NameContains: true, Item: "遷入"}, []int64{move}},
		{"item only", Query{Item: "birth"}, []int64{other, birth}},
		{"office and item", Query{OfficeID: f.beitun, Item: "birth"}, []int64{other}},
		{"dates only", Query{From: civil.New(2004, 1, 1)}, []int64{move, marr}},
		{"office only", Query{OfficeID: f.xitun}, []int64{marr, birth}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := f.svc.Search(f.ctx, c.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, h := range res.Hits {
				got = append(got, h.DocID)
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
	res, _ := f.svc.Search(f.ctx, Query{IDNo: "A123456789", Limit: 2})
	if len(res.Hits) != 2 || !res.More {
		t.Fatalf("paging: %d hits, more=%v", len(res.Hits), res.More)
	}
	res, _ = f.svc.Search(f.ctx, Query{IDNo: "A123456789", Limit: 2, Offset: 2})
	if len(res.Hits) != 1 || res.More || res.Hits[0].DocID != birth {
		t.Fatalf("second page: %+v more=%v", res.Hits, res.More)
	}
	for _, bad := range []Query{{}, {IDNo: "A12345"}, {Name: "王", NameContains: true}, {From: civil.New(2000, 1, 1), To: civil.New(1999, 1, 1)}, {Item: "不存在"}} {
		var ie *InputError
		if _, err := f.svc.Search(f.ctx, bad); !errors.As(err, &ie) {
			t.Errorf("Search(%+v) = %v, want an input error", bad, err)
		}
	}
}

func TestNameKeysAndPrefixRange(t *testing.T) {
	cases := map[string][]string{"王大明": {"大明"}, "歐陽大明": {"陽大明", "大明"}, "王明": nil, "𡍼小華": {"小華"}}
	for name, want := range cases {
		got := NameKeys(name)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("NameKeys(%s) = %v, want %v", name, got, want)
		}
	}
	lo, hi := prefixRange("王大")
	for _, s := range []string{"王大", "王大明", "王大𡍼"} {
		if !(s >= lo && s < hi) {
			t.Errorf("%s outside [%s, %s)", s, lo, hi)
		}
	}
	for _, s := range []string{"王", "王天", "王夫"} {
		if s >= lo && s < hi {
			t.Errorf("%s inside [%s, %s)", s, lo, hi)
		}
	}
	// The step skips the surrogates and carries past U+10FFFF.
	for _, c := range []struct{ p, hi string }{{"王퟿", "王"}, {"王􏿿", "玌"}, {"󰀀", "󰀁"}} {
		if _, hi := prefixRange(c.p); hi != c.hi {
			t.Errorf("prefixRange(%+q) ends at %+q, want %+q", c.p, hi, c.hi)
		}
	}
}

func TestParsePersons(t *testing.T) {
	got := ParsePersons("A123456789 王大明 當事人; b220000000，李美玲，母\n林阿土")
	want := []Person{{"A123456789", "王大明", "當事人"}, {"b220000000", "李美玲", "母"}, {"", "林阿土", ""}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("person %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParsePages(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
		ok   bool
	}{
		{"", 3, "1,2,3", true}, {"2", 3, "2", true}, {"1,3-4", 5, "1,3,4", true}, {"3-3，1", 3, "3,1", true},
		{"0", 3, "", false}, {"4", 3, "", false}, {"2-1", 3, "", false}, {"a", 3, "", false}, {"1-", 3, "", false},
	}
	for _, c := range cases {
		got, err := ParsePages(c.in, c.n)
		if (err == nil) != c.ok || (c.ok && joinInts(got) != c.want) {
			t.Errorf("ParsePages(%q, %d) = %v, %v", c.in, c.n, got, err)
		}
	}
}

func FuzzProcess(f *testing.F) {
	small := func(seed int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, 40, 30))
		for i := range g.Pix {
			g.Pix[i] = 230
		}
		for x := 5; x < 35; x++ {
			g.Pix[15*g.Stride+x] = uint8(seed)
		}
		return g
	}
	f.Add(EncodeTIFF([]*image.Gray{small(1), small(2)}))
	f.Add(EncodePNG(small(3)))
	f.Add([]byte("II*\x00\x08\x00\x00\x00\x01\x00"))
	p := &Processor{Limits: DefaultLimits()}
	p.Limits.MaxPages, p.Limits.MinSide, p.Limits.ThumbWidth, p.Limits.MaxPixels = 4, 8, 16, 1<<20
	f.Fuzz(func(t *testing.T, b []byte) {
		_, pages, err := p.Process(context.Background(), b)
		if err == nil && len(pages) == 0 {
			t.Fatal("no error and no pages")
		}
		var re *RejectError
		if err != nil && !errors.As(err, &re) {
			t.Fatalf("non-rejection error: %v", err)
		}
	})
}

func FuzzParsePersons(f *testing.F) {
	f.Add("A123456789 王大明 當事人; B220000000 李美玲")
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ParsePersons(s) {
			if p.Name == "" && p.IDNo == "" {
				t.Fatalf("empty person from %q", s)
			}
		}
	})
}
