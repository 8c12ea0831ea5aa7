package agency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
)

// SeedCategories are the categories of the N加e service (seed: 監理、稅捐、地政、
// 國稅、健保、勞保、社福、電力公司、自來水公司、天然氣公司 and 中華電信 — 11
// categories; 壽險公會 receives death notices).
var SeedCategories = []Category{
	{Code: "motor", Name: "監理", SortOrder: 10},
	{Code: "localtax", Name: "地方稅務", SortOrder: 20},
	{Code: "land", Name: "地政", SortOrder: 30},
	{Code: "nationaltax", Name: "國稅", SortOrder: 40},
	{Code: "health", Name: "健保", SortOrder: 50},
	{Code: "labor", Name: "勞保", SortOrder: 60},
	{Code: "welfare", Name: "社福", SortOrder: 70},
	{Code: "power", Name: "電力", SortOrder: 80},
	{Code: "water", Name: "自來水", SortOrder: 90},
	{Code: "gas", Name: "天然氣", SortOrder: 100},
	{Code: "telecom", Name: "電信", SortOrder: 110},
	{Code: "insurance", Name: "壽險", SortOrder: 120},
}

// seedAgency is one row of the register's seed.
type seedAgency struct {
	code, category, name string
	accountLabel         string
	accountRequired      bool
	delivery, encoding   string
	kinds                map[string][]string
}

// Field selections used by the seed.
var (
	govKinds = map[string][]string{"move": nil, "renumber": nil, "name": nil, "birth_date": nil, "id_no": nil, "death": nil}
	// Utilities get what a bill or a transfer needs, not the date of birth.
	utilityKinds = map[string][]string{
		"move":     {"old_address", "new_address", "event_date"},
		"renumber": {"old_address", "new_address", "event_date"},
		"name":     {"old_name", "new_name", "event_date"},
		"id_no":    {"old_id_no", "new_id_no", "event_date"},
		"death":    {"death_date", "contact_address", "event_date"},
	}
	addressKinds = map[string][]string{
		"move":     {"old_address", "new_address", "event_date"},
		"renumber": {"old_address", "new_address", "event_date"},
		"name":     {"old_name", "new_name", "event_date"},
		"id_no":    {"old_id_no", "new_id_no", "event_date"},
	}
	landKinds   = map[string][]string{"move": nil, "renumber": nil, "name": nil, "birth_date": nil, "id_no": nil}
	healthKinds = map[string][]string{"move": nil, "renumber": nil, "name": nil, "birth_date": nil, "id_no": nil, "birth": nil, "death": nil}
	deathOnly   = map[string][]string{"death": nil}
)

func gov(code, cat, name, delivery, enc string) seedAgency {
	return seedAgency{code: code, category: cat, name: name, delivery: delivery, encoding: enc, kinds: govKinds}
}

func utility(code, cat, name, label, delivery, enc string) seedAgency {
	return seedAgency{code: code, category: cat, name: name, accountLabel: label, accountRequired: true, delivery: delivery, encoding: enc, kinds: utilityKinds}
}

// seedAgencies is Taichung's register: the 71 agencies and branches (機關(單位))
// a Taichung office notifies (seed: 「11類共71個機關(單位)」; here the 壽險公會
// of the national death notice is counted in). Addresses and phone numbers are
// left for the administrators.
var seedAgencies = []seedAgency{
	// 監理
	{code: "mvdo_taichung", category: "motor", name: "交通部公路局臺中區監理所", accountLabel: "車牌號碼", delivery: DeliverBoth, encoding: UTF8, kinds: govKinds},
	{code: "mvdo_taichung_city", category: "motor", name: "交通部公路局臺中區監理所臺中市監理站", accountLabel: "車牌號碼", delivery: DeliverSFTP, encoding: UTF8, kinds: govKinds},
	{code: "mvdo_fengyuan", category: "motor", name: "交通部公路局臺中區監理所豐原監理站", accountLabel: "車牌號碼", delivery: DeliverSFTP, encoding: UTF8, kinds: govKinds},
	{code: "traffic_adjudication", category: "motor", name: "臺中市交通事件裁決處", delivery: DeliverSFTP, encoding: UTF8, kinds: addressKinds},
	// 地方稅務
	{code: "tax_taichung", category: "localtax", name: "臺中市政府地方稅務局", accountLabel: "稅籍編號", delivery: DeliverAPI, encoding: UTF8, kinds: govKinds},
	{code: "tax_minquan", category: "localtax", name: "臺中市政府地方稅務局民權分局", accountLabel: "稅籍編號", delivery: DeliverSFTP, encoding: Big5, kinds: govKinds},
	{code: "tax_wenxin", category: "localtax", name: "臺中市政府地方稅務局文心分局", accountLabel: "稅籍編號", delivery: DeliverSFTP, encoding: Big5, kinds: govKinds},
	{code: "tax_fengyuan", category: "localtax", name: "臺中市政府地方稅務局豐原分局", accountLabel: "稅籍編號", delivery: DeliverSFTP, encoding: Big5, kinds: govKinds},
	{code: "tax_datun", category: "localtax", name: "臺中市政府地方稅務局大屯分局", accountLabel: "稅籍編號", delivery: DeliverSFTP, encoding: Big5, kinds: govKinds},
	{code: "tax_shalu", category: "localtax", name: "臺中市政府地方稅務局沙鹿分局", accountLabel: "稅籍編號", delivery: DeliverSFTP, encoding: Big5, kinds: govKinds},
	{code: "tax_dongshi", category: "localtax", name: "臺中市政府地方稅務局東勢分局", accountLabel: "稅籍編號", delivery: DeliverSFTP, encoding: Big5, kinds: govKinds},
	{code: "tax_dajia", category: "localtax", name: "臺中市政府地方稅務局大甲分局", accountLabel: "稅籍編號", delivery: DeliverSFTP, encoding: Big5, kinds: govKinds},
	// 地政
	{code: "land_zhongshan", category: "land", name: "臺中市中山地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_zhongzheng", category: "land", name: "臺中市中正地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_zhongxing", category: "land", name: "臺中市中興地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_fengyuan", category: "land", name: "臺中市豐原地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_dajia", category: "land", name: "臺中市大甲地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_qingshui", category: "land", name: "臺中市清水地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_dongshi", category: "land", name: "臺中市東勢地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_yatan", category: "land", name: "臺中市雅潭地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_dali", category: "land", name: "臺中市大里地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_taiping", category: "land", name: "臺中市太平地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	{code: "land_longjing", category: "land", name: "臺中市龍井地政事務所", delivery: DeliverSFTP, encoding: Big5, kinds: landKinds},
	// 國稅
	gov("ntbca", "nationaltax", "財政部中區國稅局", DeliverSFTP, UTF8),
	gov("ntbca_fengyuan", "nationaltax", "財政部中區國稅局豐原分局", DeliverSFTP, UTF8),
	gov("ntbca_datun", "nationaltax", "財政部中區國稅局大屯稽徵所", DeliverSFTP, UTF8),
	gov("ntbca_shalu", "nationaltax", "財政部中區國稅局沙鹿稽徵所", DeliverSFTP, UTF8),
	gov("ntbca_dongshan", "nationaltax", "財政部中區國稅局東山稽徵所", DeliverSFTP, UTF8),
	gov("ntbca_minquan", "nationaltax", "財政部中區國稅局民權稽徵所", DeliverSFTP, UTF8),
	gov("ntbca_taichung", "nationaltax", "財政部中區國稅局臺中分局", DeliverSFTP, UTF8),
	gov("ntbca_dazhi", "nationaltax", "財政部中區國稅局大智稽徵所", DeliverSFTP, UTF8),
	gov("ntbca_dongshi", "nationaltax", "財政部中區國稅局東勢稽徵所", DeliverSFTP, UTF8),
	// 健保、勞保
	{code: "nhi_central", category: "health", name: "衛生福利部中央健康保險署中區業務組", delivery: DeliverAPI, encoding: UTF8, kinds: healthKinds},
	gov("bli_taichung", "labor", "勞動部勞工保險局臺中辦事處", DeliverAPI, UTF8),
	// 社福
	{code: "welfare_taichung", category: "welfare", name: "臺中市政府社會局", delivery: DeliverSFTP, encoding: UTF8, kinds: healthKinds},
	{code: "ltc_taichung", category: "welfare", name: "臺中市長期照顧管理中心", delivery: DeliverSFTP, encoding: UTF8, kinds: govKinds},
	// 電力
	utility("taipower_taichung", "power", "台灣電力公司台中區營業處", "電號", DeliverSFTP, Big5),
	utility("taipower_fengyuan", "power", "台灣電力公司台中區營業處豐原分處", "電號", DeliverSFTP, Big5),
	utility("taipower_dajia", "power", "台灣電力公司台中區營業處大甲服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_shalu", "power", "台灣電力公司台中區營業處沙鹿服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_dongshi", "power", "台灣電力公司台中區營業處東勢服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_dali", "power", "台灣電力公司台中區營業處大里服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_dongshan", "power", "台灣電力公司台中區營業處東山服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_xitun", "power", "台灣電力公司台中區營業處西屯服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_nantun", "power", "台灣電力公司台中區營業處南屯服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_taiping", "power", "台灣電力公司台中區營業處太平服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_wuri", "power", "台灣電力公司台中區營業處烏日服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_tanzi", "power", "台灣電力公司台中區營業處潭子服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_daya", "power", "台灣電力公司台中區營業處大雅服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_shengang", "power", "台灣電力公司台中區營業處神岡服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_qingshui", "power", "台灣電力公司台中區營業處清水服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_wuqi", "power", "台灣電力公司台中區營業處梧棲服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_longjing", "power", "台灣電力公司台中區營業處龍井服務所", "電號", DeliverSFTP, Big5),
	utility("taipower_dadu", "power", "台灣電力公司台中區營業處大肚服務所", "電號", DeliverSFTP, Big5),
	// 自來水
	utility("water4", "water", "台灣自來水公司第四區管理處", "水號", DeliverSFTP, Big5),
	utility("water4_taichung", "water", "台灣自來水公司第四區管理處臺中服務所", "水號", DeliverSFTP, Big5),
	utility("water4_north", "water", "台灣自來水公司第四區管理處北臺中服務所", "水號", DeliverSFTP, Big5),
	utility("water4_fengyuan", "water", "台灣自來水公司第四區管理處豐原服務所", "水號", DeliverSFTP, Big5),
	utility("water4_dajia", "water", "台灣自來水公司第四區管理處大甲服務所", "水號", DeliverSFTP, Big5),
	utility("water4_qingshui", "water", "台灣自來水公司第四區管理處清水服務所", "水號", DeliverSFTP, Big5),
	utility("water4_shalu", "water", "台灣自來水公司第四區管理處沙鹿服務所", "水號", DeliverSFTP, Big5),
	utility("water4_dali", "water", "台灣自來水公司第四區管理處大里服務所", "水號", DeliverSFTP, Big5),
	utility("water4_wufeng", "water", "台灣自來水公司第四區管理處霧峰服務所", "水號", DeliverSFTP, Big5),
	utility("water4_dongshi", "water", "台灣自來水公司第四區管理處東勢服務所", "水號", DeliverSFTP, Big5),
	utility("water4_daya", "water", "台灣自來水公司第四區管理處大雅營運所", "水號", DeliverSFTP, Big5),
	utility("water4_wuri", "water", "台灣自來水公司第四區管理處烏日營運所", "水號", DeliverSFTP, Big5),
	// 天然氣
	utility("gas_shinchung", "gas", "欣中天然氣股份有限公司", "用戶編號", DeliverSFTP, UTF8),
	utility("gas_shinlin", "gas", "欣林天然氣股份有限公司", "用戶編號", DeliverSFTP, UTF8),
	utility("gas_shinchang", "gas", "欣彰天然氣股份有限公司", "用戶編號", DeliverSFTP, UTF8),
	// 電信
	utility("cht_taichung", "telecom", "中華電信股份有限公司台中營運處", "電話號碼", DeliverAPI, UTF8),
	// 壽險
	{code: "lia_roc", category: "insurance", name: "中華民國人壽保險商業同業公會", delivery: DeliverAPI, encoding: UTF8, kinds: deathOnly},
}

// SeedAgencyCount is the number of agencies the seed holds.
func SeedAgencyCount() int { return len(seedAgencies) }

// SeedRegister adds the categories and agencies of the seed that are missing.
// Existing rows are left as the administrators keep them.
func SeedRegister(ctx context.Context, d *db.DB, now time.Time) error {
	return d.InTx(ctx, func(tx *db.Tx) error {
		cats := map[string]int64{}
		for _, c := range SeedCategories {
			if _, err := tx.Exec(ctx, `INSERT INTO agency_categories (code, name, sort_order) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING`,
				c.Code, c.Name, c.SortOrder); err != nil {
				return fmt.Errorf("seed agency category %s: %w", c.Code, err)
			}
			var id int64
			if err := tx.QueryRow(ctx, `SELECT id FROM agency_categories WHERE code = ?`, c.Code).Scan(&id); err != nil {
				return err
			}
			cats[c.Code] = id
		}
		have := map[string]bool{}
		rows, err := tx.Query(ctx, `SELECT code FROM agencies`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return err
			}
			have[c] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ts := db.FormatTime(now)
		added := 0
		for i, sa := range seedAgencies {
			if have[sa.code] {
				continue
			}
			a := &Agency{Code: sa.code, CategoryID: cats[sa.category], Name: sa.name, AccountLabel: sa.accountLabel,
				AccountRequired: sa.accountRequired, Delivery: sa.delivery, Encoding: sa.encoding, AgreedDays: 7,
				SortOrder: (i + 1) * 10, Active: true, Kinds: sa.kinds}
			if err := a.validate(); err != nil {
				return fmt.Errorf("seed agency %s: %w", sa.code, err)
			}
			err := tx.QueryRow(ctx, `INSERT INTO agencies (code, category_id, name, address, phone, account_label, account_required, delivery,
				encoding, agreed_days, sort_order, active, created_at, updated_at) VALUES (?, ?, ?, '', '', ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (code) DO NOTHING RETURNING id`,
				a.Code, a.CategoryID, a.Name, a.AccountLabel, a.AccountRequired, a.Delivery, a.Encoding, a.AgreedDays, a.SortOrder, true, ts, ts).Scan(&a.ID)
			if errors.Is(err, sql.ErrNoRows) { // another server seeded it a moment ago
				continue
			}
			if err != nil {
				return fmt.Errorf("seed agency %s: %w", sa.code, err)
			}
			if err := insertKinds(ctx, tx, a); err != nil {
				return err
			}
			added++
		}
		if added == 0 {
			return nil
		}
		e := audit.For(audit.Actor{Username: "system"}, "agency.seed", "agency", "")
		e.Detail = fmt.Sprintf("%d agencies added to the N加e register", added)
		return audit.Log(ctx, tx, e)
	})
}
