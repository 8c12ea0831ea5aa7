package archive

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/migrations"
	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
)

// The search benchmark runs against an archive of EBAZHAO_ARCHIVE_BENCH_DOCS
// generated documents (default 1,000,000; about 2 persons each), built once per
// run. Figures and how to reproduce them: docs/benchmarks/archive.md.
var benchArchive struct {
	once sync.Once
	svc  *Service
	docs int
	err  error
}

func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("EBAZHAO_ARCHIVE_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// benchService opens the benchmark archive. With EBAZHAO_ARCHIVE_BENCH_DATA
// set to a folder, the SQLite database there is kept between runs and only
// topped up to the wanted size; otherwise a fresh database is generated.
func benchService(b *testing.B) *Service {
	benchArchive.once.Do(func() {
		ctx := context.Background()
		var d *db.DB
		var blobs blob.Store
		if dir := os.Getenv("EBAZHAO_ARCHIVE_BENCH_DATA"); dir != "" {
			var err error
			if d, err = db.Open(ctx, "", dir); err == nil {
				var ms []db.Migration
				if ms, err = migrations.All(); err == nil {
					_, err = d.Migrate(ctx, ms)
				}
			}
			if err != nil {
				benchArchive.err = err
				return
			}
			blobs = blob.Default(dir)
		} else {
			d = dbtest.New(b)
			blobs = blob.NewFS(b.TempDir())
		}
		if err := (&office.Store{DB: d}).SeedTaichung(ctx); err != nil {
			benchArchive.err = err
			return
		}
		svc := NewService(d, blobs)
		var have int
		d.QueryRow(ctx, `SELECT COUNT(*) FROM archive_docs`).Scan(&have)
		want := benchDocs()
		if have < want {
			g := &Generator{DB: d, Blobs: svc.Blobs, Docs: want - have, Seed: uint64(have + 1)}
			took, err := g.Run(ctx)
			if err != nil {
				benchArchive.err = err
				return
			}
			b.Logf("generated %d documents on %s in %s", g.Docs, d.Engine, took.Round(time.Second))
		}
		benchArchive.svc, benchArchive.docs = svc, max(have, want)
	})
	if benchArchive.err != nil {
		b.Fatal(benchArchive.err)
	}
	return benchArchive.svc
}

func BenchmarkSearch(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	population := max(10, benchArchive.docs/2)
	rng := rand.New(rand.NewPCG(2, 3))
	person := func() Person { return GenPerson(rng.IntN(population)) }
	cases := []struct {
		name string
		q    func() Query
	}{
		{"ByID", func() Query { return Query{IDNo: person().IDNo} }},
		{"ByNamePrefix2", func() Query { return Query{Name: string([]rune(person().Name)[:2])} }},
		{"ByFullName", func() Query { return Query{Name: person().Name} }},
		{"BySurnameOnly", func() Query { return Query{Name: string([]rune(person().Name)[:1])} }},
		{"ByNamePart", func() Query { return Query{Name: string([]rune(person().Name)[1:]), NameContains: true, Limit: 50} }},
		{"ByIDAndItem", func() Query { return Query{IDNo: person().IDNo, Item: "birth"} }},
		{"ByOfficeItemDates", func() Query {
			y := 1946 + rng.IntN(70)
			return Query{OfficeID: int64(1 + rng.IntN(29)), Item: "marriage", From: civil.New(y, 1, 1), To: civil.New(y+5, 1, 1)}
		}},
		{"ByDateRange", func() Query {
			y := 1946 + rng.IntN(70)
			return Query{From: civil.New(y, 3, 1), To: civil.New(y, 3, 31)}
		}},
	}
	for _, c := range cases {
		// The plan at scale, for the record.
		q := c.q()
		if err := q.normalize(); err == nil {
			stmt, args := searchSQL(q)
			plan, _ := explain(b, svc.DB, stmt, args)
			b.Logf("%s plan:\n  %s", c.name, strings.Join(plan, "\n  "))
		}
		b.Run(c.name, func(b *testing.B) {
			var hits int
			for b.Loop() {
				res, err := svc.Search(ctx, c.q())
				if err != nil {
					b.Fatal(err)
				}
				hits += len(res.Hits)
			}
			b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
		})
	}
}

// BenchmarkIngest measures ingest throughput in pages per second: A4 pages at
// 200 dpi (1654×2339), decoded, checked, thumbnailed, stored (fsynced) and
// indexed, as a 3-page grey TIFF, a 3-page black-and-white TIFF and a
// one-page colour JPEG.
func BenchmarkIngest(b *testing.B) {
	ctx := context.Background()
	d := dbtest.New(b)
	if err := (&office.Store{DB: d}).SeedTaichung(ctx); err != nil {
		b.Fatal(err)
	}
	svc := NewService(d, blob.NewFS(b.TempDir()))
	var office int64
	d.QueryRow(ctx, `SELECT id FROM offices WHERE code = 'xitun'`).Scan(&office)
	var gray, bw []*image.Gray
	for i := 0; i < 3; i++ {
		g := Gray(svc.Fonts.SamplePage(1654, 2339, "戶籍登記申請書", []string{"申請人：王大明", "登記日期：民國74年6月12日"}, uint64(i)))
		gray = append(gray, g)
		t := image.NewGray(g.Bounds())
		for j, v := range g.Pix {
			if v > 160 {
				t.Pix[j] = 255
			}
		}
		bw = append(bw, t)
	}
	color := svc.Fonts.SamplePage(1654, 2339, "結婚書約", []string{"立書人：王大明、陳雅婷"}, 9)
	actor := audit.Actor{Username: "bench", OfficeID: office}
	seq := 0
	run := func(b *testing.B, file func(i int) []byte, pagesPer int) {
		n := 0
		for b.Loop() {
			b.StopTimer() // making the file is the scanner's work, not ours
			seq++
			f := file(seq)
			b.StartTimer()
			in := DocInput{OfficeID: office, Item: "birth", RegDate: civil.New(1985, 6, 12), Persons: []Person{GenPerson(seq)}}
			if _, err := svc.Ingest(ctx, actor, in, f); err != nil {
				b.Fatal(err)
			}
			n += pagesPer
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
	}
	mark := func(g *image.Gray, i int) { g.Pix[0], g.Pix[1], g.Pix[2] = byte(i), byte(i>>8), byte(i>>16) } // a new file each time
	b.Run("GreyTIFF3Pages", func(b *testing.B) {
		run(b, func(i int) []byte { mark(gray[0], i); return EncodeTIFF(gray) }, 3)
	})
	b.Run("BlackWhiteTIFF3Pages", func(b *testing.B) {
		run(b, func(i int) []byte { mark(bw[0], i); return EncodeTIFF(bw) }, 3)
	})
	b.Run("ColourJPEG1Page", func(b *testing.B) {
		run(b, func(i int) []byte {
			// A dark 16×16 block at a position of its own, so JPEG keeps the difference.
			x0, y0 := 16*(i%100), 16*((i/100)%140)
			for y := y0; y < y0+16; y++ {
				for x := x0; x < x0+16; x++ {
					o := color.PixOffset(x, y)
					color.Pix[o], color.Pix[o+1], color.Pix[o+2] = 20, 20, 20
				}
			}
			var buf bytes.Buffer
			jpeg.Encode(&buf, color, &jpeg.Options{Quality: 85})
			return buf.Bytes()
		}, 1)
	})
}
