package archive

import (
	"context"
	"fmt"
	"image"
	"math/rand/v2"
	"strings"
	"time"

	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
)

// Generator fills the archive index with synthetic documents at national scale
// (for benchmarks and capacity planning). All pages share a few real stored
// images, so the index is as large as the real one and the disk is not.
type Generator struct {
	DB       *db.DB
	Blobs    blob.Store
	Docs     int    // documents to add
	Seed     uint64 // same seed, same data
	Progress func(done int)
}

var genSurnames = []string{"陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭", "謝", "郭", "洪", "曾", "邱", "廖", "賴", "周", "徐", "蘇", "葉", "莊", "呂", "江", "何", "蕭", "羅", "高", "歐陽", "范姜"}
var genGiven = []string{"志明", "家豪", "冠宇", "俊傑", "建宏", "宗翰", "承恩", "柏翰", "宇軒", "冠廷", "淑芬", "美玲", "雅婷", "怡君", "佳穎", "欣怡", "詩涵", "宜蓁", "秀英", "麗華", "玉珍", "金龍", "國華", "阿土", "文雄", "春嬌", "美惠", "建國", "明輝", "淑惠"}
var genItems = []string{"birth", "birth", "birth", "death", "death", "marriage", "marriage", "divorce", "move_in", "move_in", "move_in", "move_out", "address", "adoption", "name_change", "household"}

// GenPerson returns the synthetic person number i (deterministic): a valid ID
// and a name. Benchmarks use it to pick people who exist.
func GenPerson(i int) Person {
	letters := "ABBBBLLLLLDEFHJKMNPQTUVX"
	l := letters[i%len(letters)]
	sex := byte('1' + (i/len(letters))%2)
	prefix := fmt.Sprintf("%c%c%07d", l, sex, (i*7919)%10_000_000)
	c, _ := idno.CheckDigit(prefix)
	s := genSurnames[(i*31)%len(genSurnames)]
	g := genGiven[(i*17+i/len(genSurnames))%len(genGiven)]
	return Person{IDNo: prefix + string(c), Name: s + g}
}

// Run adds g.Docs documents in batches and returns how long it took.
func (g *Generator) Run(ctx context.Context) (time.Duration, error) {
	start := clock.Start()
	rng := rand.New(rand.NewPCG(g.Seed, 1946))
	var offices []int64
	rows, err := g.DB.Query(ctx, `SELECT id FROM offices ORDER BY id`)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		offices = append(offices, id)
	}
	rows.Close()
	if len(offices) == 0 {
		return 0, fmt.Errorf("archive generate: no offices")
	}
	// A few real page images, shared by every generated page.
	fonts := NewFonts(DefaultFontDir)
	var shas, thumbs []string
	proc := &Processor{Limits: DefaultLimits()}
	for i := 0; i < 3; i++ {
		img := fonts.SamplePage(1240, 1754, "戶籍登記申請書", []string{"（產生器範例頁）"}, uint64(i))
		pages, err := proc.tiffPages(ctx, EncodeTIFF([]*image.Gray{Gray(img)}))
		if err != nil {
			return 0, err
		}
		r1, err := blob.PutBytes(ctx, g.Blobs, pages[0].Data)
		if err != nil {
			return 0, err
		}
		r2, err := blob.PutBytes(ctx, g.Blobs, pages[0].Thumb)
		if err != nil {
			return 0, err
		}
		shas, thumbs = append(shas, r1.Hash), append(thumbs, r2.Hash)
	}
	var docID, entryID int64
	if err := g.DB.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM archive_docs`).Scan(&docID); err != nil {
		return 0, err
	}
	if err := g.DB.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) FROM archive_entries`).Scan(&entryID); err != nil {
		return 0, err
	}
	population := max(10, g.Docs/2) // each person is in about four documents
	now := db.FormatTime(g.DB.Now())
	today := civil.Of(g.DB.Now())
	const batch = 400
	for done := 0; done < g.Docs; {
		n := min(batch, g.Docs-done)
		var docs, pages, entries, keys strings.Builder
		var da, pa, ea, ka []any
		for i := 0; i < n; i++ {
			docID++
			office := offices[rng.IntN(len(offices))]
			item := genItems[rng.IntN(len(genItems))]
			day := civil.New(1946+rng.IntN(80), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
			pc := 1 + rng.IntN(3)
			sep(&docs)
			docs.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
			da = append(da, docID, office, item, day, fmt.Sprintf("gen-%d", docID), "generated", "tiff", 100000, pc, 1, true,
				office, now, today, fmt.Sprint(rng.IntN(200)), fmt.Sprint(rng.IntN(500)), "")
			for p := 1; p <= pc; p++ {
				k := rng.IntN(len(shas))
				sep(&pages)
				pages.WriteString("(?,?,?,?,?,?,?,?)")
				pa = append(pa, docID, p, shas[k], FormatPNG, 90000, 1240, 1754, thumbs[k])
			}
			persons := 1 + rng.IntN(3)
			for j := 0; j < persons; j++ {
				p := GenPerson(rng.IntN(population))
				entryID++
				sep(&entries)
				entries.WriteString("(?,?,?,?,?,?,?,?)")
				ea = append(ea, entryID, docID, p.IDNo, p.Name, []string{"當事人", "父", "母"}[j], item, day, office)
				for _, key := range NameKeys(p.Name) {
					sep(&keys)
					keys.WriteString("(?,?)")
					ka = append(ka, key, entryID)
				}
			}
		}
		err := g.DB.InTx(ctx, func(tx *db.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO archive_docs (id, office_id, item, reg_date, source_sha256, source_name, source_format,
				source_bytes, page_count, version, current, scanned_office, scanned_at, scanned_day, volume, page_ref, note) VALUES `+docs.String(), da...); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO archive_pages (doc_id, page_no, sha256, format, bytes, width, height, thumb_sha256) VALUES `+pages.String(), pa...); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO archive_entries (id, doc_id, id_no, name, role, item, reg_date, office_id) VALUES `+entries.String(), ea...); err != nil {
				return err
			}
			if keys.Len() > 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO archive_name_keys (name_key, entry_id) VALUES `+keys.String(), ka...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("archive generate: %w", err)
		}
		done += n
		if g.Progress != nil {
			g.Progress(done)
		}
	}
	if g.DB.Engine == db.Postgres {
		for _, t := range []string{"archive_docs", "archive_entries"} {
			if _, err := g.DB.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT MAX(id) FROM `+t+`))`); err != nil {
				return 0, err
			}
		}
		if _, err := g.DB.Exec(ctx, `ANALYZE`); err != nil {
			return 0, err
		}
	} else if _, err := g.DB.Exec(ctx, `ANALYZE`); err != nil {
		return 0, err
	}
	return start.Elapsed(), nil
}

func sep(b *strings.Builder) {
	if b.Len() > 0 {
		b.WriteByte(',')
	}
}
