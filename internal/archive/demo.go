package archive

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

type demoPage struct {
	title string
	lines []string
}

type demoDoc struct {
	office  string
	item    string
	date    [3]int
	volume  string
	pageRef string
	format  string // tiff, png, jpeg
	persons []Person
	pages   []demoPage
}

var demoDocs = []demoDoc{
	{"xitun", "birth", [3]int{1980, 5, 28}, "69-05", "118", FormatTIFF,
		[]Person{{"A123456789", "王大明", "當事人"}, {"", "王志明", "父"}, {"", "林美玲", "母"}},
		[]demoPage{
			{"出生登記申請書", []string{"申請人：王志明（父）", "出生者：王大明　男", "出生日期：中華民國六十九年五月二十日", "出生地：臺中市西屯區", "父：王志明　母：林美玲", "戶籍地址：臺中市西屯區福科路100號", "申請日期：中華民國六十九年五月二十八日"}},
			{"出生證明書", []string{"醫療院所：臺中市立醫院", "新生兒：男　體重3250公克", "出生時間：69年5月20日 上午8時15分", "接生者：陳醫師"}},
			{"戶口名簿影本", []string{"戶長：王志明", "配偶：林美玲", "長子：王大明"}},
		}},
	{"xitun", "marriage", [3]int{2008, 10, 10}, "97-10", "42", FormatPNG,
		[]Person{{"A123456789", "王大明", "當事人"}, {"B220000000", "陳雅婷", "配偶"}},
		[]demoPage{
			{"結婚登記申請書", []string{"申請人：王大明、陳雅婷", "結婚日期：中華民國九十七年十月十日", "證人：林志豪、黃淑芬", "婚後住址：臺中市西屯區福科路100號"}},
			{"結婚書約", []string{"立書人：王大明、陳雅婷", "雙方同意結婚", "證人：林志豪、黃淑芬"}},
		}},
	{"beitun", "move_in", [3]int{2012, 3, 5}, "", "", FormatJPEG,
		[]Person{{"A123456789", "王大明", "當事人"}},
		[]demoPage{{"遷入登記申請書", []string{"申請人：王大明", "遷入地址：臺中市北屯區崇德路三段50號", "遷出地：臺中市西屯區", "遷入日期：中華民國一○一年三月五日"}}}},
	{"beitun", "death", [3]int{1995, 2, 14}, "84-02", "7", FormatTIFF,
		[]Person{{"B120000008", "王阿土", "當事人"}, {"A123456789", "王大明", "申請人"}},
		[]demoPage{
			{"死亡登記申請書", []string{"死亡者：王阿土", "死亡日期：中華民國八十四年二月十日", "申請人：王大明（孫）"}},
			{"死亡證明書", []string{"死亡地點：臺中市北屯區", "開立醫師：李醫師"}},
		}},
}

// SeedDemo adds a few archived applications with generated page images and one
// open cross-district request, with files under <dataDir>/blobs. It does nothing
// when the archive holds documents already.
func SeedDemo(ctx context.Context, d *db.DB, dataDir string) error {
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM archive_docs`).Scan(&n); err != nil || n > 0 {
		return err
	}
	svc := NewService(d, blob.Default(dataDir))
	offices := &office.Store{DB: d}
	for i, dd := range demoDocs {
		o, err := offices.ByCode(ctx, dd.office)
		if err != nil {
			return fmt.Errorf("archive demo: office %s: %w", dd.office, err)
		}
		var grays []*image.Gray
		var file []byte
		for j, p := range dd.pages {
			img := svc.Fonts.SamplePage(1240, 1754, p.title, p.lines, uint64(i*10+j))
			switch dd.format {
			case FormatTIFF:
				grays = append(grays, Gray(img))
			case FormatPNG:
				if j == 0 {
					file = EncodePNG(img)
				}
			case FormatJPEG:
				var buf bytes.Buffer
				jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
				file = buf.Bytes()
			}
		}
		if dd.format == FormatTIFF {
			file = EncodeTIFF(grays)
		}
		in := DocInput{OfficeID: o.ID, Item: dd.item, RegDate: civil.New(dd.date[0], monthOf(dd.date[1]), dd.date[2]),
			Volume: dd.volume, PageRef: dd.pageRef, Persons: dd.persons, SourceName: fmt.Sprintf("demo-%d.%s", i+1, dd.format), Note: "示範資料"}
		if _, err := svc.Ingest(ctx, audit.Actor{Username: "demo", OfficeID: o.ID}, in, file); err != nil {
			return fmt.Errorf("archive demo: document %d: %w", i+1, err)
		}
	}
	x, err := offices.ByCode(ctx, "xitun")
	if err != nil {
		return err
	}
	b, err := offices.ByCode(ctx, "beitun")
	if err != nil {
		return err
	}
	_, err = svc.FileRequest(ctx, audit.Actor{Username: "demo", OfficeID: b.ID}, RequestInput{OriginalOfficeID: x.ID,
		ApplicantName: "黃文雄", ApplicantPhone: "0912-000-111", PersonName: "黃金龍", Item: "death", ApproxDate: "民國68年左右",
		Note: "申請人為其子，辦理繼承需檔存死亡登記申請書"})
	return err
}

func monthOf(m int) time.Month { return time.Month(m) }

func defaultStore(dataDir string) blob.Store { return blob.Default(dataDir) }
