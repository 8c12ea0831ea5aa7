package tip

import (
	"context"
	"fmt"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// SeedCategory is a shipped category.
type SeedCategory struct {
	Code, Name, Intro string
	Kinds             string // registration kinds, comma separated
}

// SeedItem is a shipped item; Versions holds its content in effective order.
type SeedItem struct {
	Code     string
	Category string
	Versions []Version
}

// Categories are the eight categories of the seed (便民資訊子系統).
var Categories = []SeedCategory{
	{"birth", "出生", "寶寶報戶口之後，別忘了健保、津貼與預防接種。", "birth"},
	{"name", "改名", "改名（改姓）之後，證件與各機關資料也要跟著更新。", "name_change,surname_change"},
	{"move", "遷徙", "搬家遷戶籍之後，通知相關機關，郵件與權益不漏接。", "move_in,move_out,address_change,household_split,household_merge"},
	{"marriage", "結婚", "恭喜新婚！婚後健保、稅務與新住民居留的提醒。", "marriage"},
	{"nationality", "國籍", "歸化、回復國籍或初設戶籍前後應辦的事項。", "first_registration,naturalization,nationality_restore"},
	{"passport", "護照親辦", "首次申請護照可在戶政事務所辦理人別確認。", "passport"},
	{"divorce", "離婚", "離婚之後，子女、保險與稅務的提醒。", "divorce,custody"},
	{"death", "死亡", "家人辭世，後續遺產、保險與繼承事項的期限提醒。", "death,death_declaration"},
}

// seedDay is the effective date of the shipped content (written from the facts
// known on that day).
var seedDay = civil.New(2026, 1, 1)

func item(code, cat, title, agency, action, documents, deadline, address, phone, url, notes string) SeedItem {
	return SeedItem{Code: code, Category: cat, Versions: []Version{{EffectiveFrom: seedDay, Title: title, Agency: agency, Action: action,
		Documents: documents, Deadline: deadline, Address: address, Phone: phone, URL: url, Notes: notes}}}
}

// Phone numbers used by several items.
const (
	phoneNHI      = "0800-030-598（手機請撥 02-4128-678）"
	phoneBLI      = "02-2396-1266"
	phoneTax      = "0800-000-321"
	phoneCity     = "1999（外縣市請撥 04-2228-9111）"
	phoneDMV      = "04-2691-2011（臺中區監理所）"
	phoneBOCA     = "02-2343-2888"
	phoneNIA      = "0800-088-885（外籍配偶諮詢專線）"
	phoneMOICA    = "0800-080-117"
	phonePost     = "0800-700-365"
	nhiURL        = "https://www.nhi.gov.tw"
	bliURL        = "https://www.bli.gov.tw"
	householdHere = "各區戶政事務所"
)

// Items is the shipped content. Facts not known for sure (many agency
// addresses) are left blank for a supervisor to fill in.
func Items() []SeedItem {
	subsidy := SeedItem{Code: "birth-taichung-subsidy", Category: "birth", Versions: []Version{
		{EffectiveFrom: civil.New(2022, 1, 1), Title: "臺中市生育津貼", Agency: "臺中市政府社會局（由各區戶政事務所受理）",
			Action:    "新生兒父母之一方於新生兒出生時已設籍本市滿180天且申請時仍設籍本市，新生兒在本市完成出生登記者，每名新生兒發給新臺幣2萬元；可於辦理出生登記時一併申請。",
			Documents: "申請人國民身分證\n印章\n委託他人申請者另附委託書", Deadline: "新生兒出生之次日起6個月內，逾期視為放棄", Address: householdHere, Phone: phoneCity,
			Notes: "設籍期間以最後遷入本市之日起算至新生兒出生日止；櫃檯可用「生育津貼計算」試算。"},
		{EffectiveFrom: civil.New(2026, 1, 1), Title: "臺中市生育津貼", Agency: "臺中市政府社會局（由各區戶政事務所受理）",
			Action:    "新生兒父母之一方於新生兒出生時已設籍本市滿180天且申請時仍設籍本市，新生兒在本市完成出生登記者，第1、2胎每名發給新臺幣2萬元，第3胎起每胎增加1萬元（第3胎3萬元、第4胎4萬元，依此類推）；可於辦理出生登記時一併申請。",
			Documents: "申請人國民身分證\n印章\n委託他人申請者另附委託書", Deadline: "新生兒出生之次日起6個月內，逾期視為放棄", Address: householdHere, Phone: phoneCity,
			Notes: "設籍期間以最後遷入本市之日起算至新生兒出生日止；櫃檯可用「生育津貼計算」試算。"},
	}}
	return []SeedItem{
		// 出生
		item("birth-nhi", "birth", "新生兒全民健康保險加保及健保卡", "衛生福利部中央健康保險署",
			"辦理出生登記時，可同時選擇依附父或母投保並申請健保卡，由戶政事務所通報健保署加保，免再跑健保署。",
			"出生登記時於「戶政事務所通報健保署跨機關服務申請書」簽名", "出生後60日內辦理出生登記", "", phoneNHI, nhiURL,
			"選擇有照片健保卡者，依戶政事務所提供之說明上傳新生兒照片。"),
		subsidy,
		item("birth-childcare-allowance", "birth", "育兒津貼", "戶籍地區公所",
			"未滿2歲之兒童，符合資格者可向戶籍地區公所申請育兒津貼；已送托公共化或準公共托育者改申請托育補助。",
			"申請表\n兒童之戶口名簿或戶籍謄本\n申請人金融機構存摺封面影本", "", "", phoneCity, "",
			"資格及金額依衛生福利部規定，請以區公所公告為準。"),
		item("birth-vaccination", "birth", "兒童預防接種", "臺中市政府衛生局（各區衛生所）",
			"依「兒童健康手冊」所列時程帶寶寶接種公費疫苗；出生後首劑B型肝炎疫苗通常於醫院完成。",
			"兒童健康手冊\n寶寶健保卡（未領到前可持戶口名簿）", "依兒童健康手冊之接種時程", "", phoneCity, "", ""),
		item("birth-preventive-care", "birth", "兒童預防保健服務", "衛生福利部國民健康署（特約醫療院所）",
			"未滿7歲兒童可享公費兒童預防保健服務，至特約醫療院所接受身體檢查與發展評估。",
			"兒童健康手冊\n健保卡", "依兒童健康手冊建議之年齡", "", "", "https://www.hpa.gov.tw", ""),
		item("birth-labor-maternity", "birth", "勞工保險生育給付", "勞動部勞工保險局",
			"分娩或早產之勞保被保險人，可申請生育給付。",
			"勞工保險生育給付申請書及給付收據\n新生兒出生證明或戶籍謄本", "請求權自得請領之日起5年內", "", phoneBLI, bliURL, ""),
		item("birth-pension-maternity", "birth", "國民年金生育給付", "勞動部勞工保險局",
			"國民年金被保險人分娩或早產者，可申請國民年金生育給付。",
			"國民年金生育給付申請書\n新生兒出生證明或戶籍謄本", "請求權自得請領之日起5年內", "", phoneBLI, bliURL, ""),
		item("birth-parental-leave", "birth", "育嬰留職停薪津貼", "勞動部勞工保險局",
			"參加就業保險之父母，子女未滿3歲前辦理育嬰留職停薪者，可申請育嬰留職停薪津貼。",
			"育嬰留職停薪津貼申請書\n子女之戶口名簿或戶籍謄本影本\n育嬰留職停薪證明", "", "", phoneBLI, bliURL, "由投保單位（雇主）協助送件。"),
		item("birth-household-book", "birth", "戶口名簿記事", householdHere,
			"出生登記完成後，戶口名簿將增列新生兒；如需戶籍謄本辦理其他補助，可於現場一併申請。",
			"戶口名簿", "", householdHere, "", "", "戶籍謄本每張新臺幣15元。"),
		item("birth-health-booklet", "birth", "兒童健康手冊", "衛生福利部國民健康署（各區衛生所）",
			"寶寶出生後由接生之醫療院所發給兒童健康手冊，記錄預防接種、兒童預防保健及生長發育；每次接種或健康檢查請記得攜帶，遺失時請洽衛生所。",
			"", "", "", phoneCity, "https://www.hpa.gov.tw", ""),
		item("birth-screening", "birth", "新生兒篩檢（先天性代謝異常、聽力）", "衛生福利部國民健康署（接生之醫療院所）",
			"新生兒先天性代謝異常疾病篩檢於出生滿48小時後由醫療院所採血檢驗；新生兒聽力篩檢由政府補助。接獲複檢通知時，請儘速帶寶寶複檢。",
			"兒童健康手冊\n寶寶健保卡（未領到前可持戶口名簿）", "聽力篩檢建議於出生後3個月內完成", "", "", "https://www.hpa.gov.tw", ""),
		item("birth-civil-subsidy", "birth", "公教人員生育補助", "服務機關人事單位、臺灣銀行公教保險部",
			"公教人員本人或配偶分娩，可向服務機關申請生育補助；本人為公教人員保險被保險人者，另可申請公保生育給付。",
			"申請表\n出生證明書或戶籍謄本（記載出生事項）", "依服務機關規定期限", "", "", "", ""),
		item("birth-tax-dependent", "birth", "綜合所得稅列報扶養及幼兒學前特別扣除額", "財政部中區國稅局",
			"寶寶可於次年綜合所得稅結算申報時列報為受扶養親屬；5歲以下之子女另可適用幼兒學前特別扣除額。",
			"", "次年5月綜合所得稅結算申報期間", "", phoneTax, "https://www.ntbca.gov.tw", "適用條件（如排富規定）依所得稅法及財政部公告。"),

		// 改名
		item("name-idcard", "name", "換領國民身分證", householdHere,
			"改名（改姓）登記後應換領國民身分證，可於辦理改名時一併申請。",
			"最近2年內正面半身彩色相片1張\n原國民身分證", "與改名登記同時辦理", householdHere, "", "", ""),
		item("name-moica", "name", "自然人憑證重新申請", householdHere,
			"變更姓名後原自然人憑證不再適用，請本人持變更後國民身分證至鄰近戶政事務所重新申辦。",
			"變更後國民身分證正本\nIC卡工本費250元\nE-mail信箱", "", householdHere, phoneMOICA, "https://moica.nat.gov.tw", ""),
		item("name-nhi-card", "name", "健保卡換發", "衛生福利部中央健康保險署",
			"健保卡印有姓名，改名後請申請換發健保卡；可在戶政事務所勾選跨機關通報。",
			"新國民身分證\n原健保卡", "", "", phoneNHI, nhiURL, ""),
		item("name-passport", "name", "護照換發", "外交部領事事務局",
			"護照姓名與國民身分證不一致時，出國前請申請換發護照。",
			"普通護照申請書\n新國民身分證正本\n原護照\n最近6個月內2吋彩色相片", "出國前", "", phoneBOCA, "https://www.boca.gov.tw", ""),
		item("name-driving", "name", "駕照、行照換發", "交通部公路局臺中區監理所（各監理站）",
			"駕照及行車執照記載姓名，改名後請申請換發。",
			"新國民身分證\n駕照\n行車執照", "", "", phoneDMV, "https://www.mvdis.gov.tw", "部分項目可於監理服務網線上辦理。"),
		item("name-seal", "name", "印鑑變更登記", householdHere,
			"已辦印鑑登記且印鑑章刻有原姓名者，改名後應重新刻印並辦理印鑑變更登記。",
			"國民身分證\n新印鑑章\n原印鑑章", "", householdHere, "", "", ""),
		item("name-bank", "name", "金融機構帳戶資料變更", "往來之銀行、郵局、證券及保險公司",
			"請至各往來金融機構辦理戶名及基本資料變更。",
			"新國民身分證\n原留印鑑\n存摺", "", "", "", "", "中華郵政客服：0800-700-365。"),
		item("name-land", "name", "不動產更名登記", "不動產所在地之地政事務所",
			"名下有土地或建物者，可申請所有權人姓名更名登記。",
			"登記申請書\n戶籍謄本（記載改名事項）\n權利書狀", "", "", "", "", ""),
		item("name-school", "name", "學籍及證照資料變更", "就讀學校、證照核發機關",
			"學籍、畢業證書及專業證照之姓名，請向學校或核發機關申請變更。",
			"戶籍謄本（記載改名事項）\n原證書", "", "", "", "", ""),
		item("name-labor-insurance", "name", "勞保、就保資料變更", "勞動部勞工保險局（由投保單位申報）",
			"被保險人姓名變更，由投保單位（雇主）向勞保局申報資料變更；以職業工會投保者請洽所屬工會，國民年金被保險人之資料由戶政資料更新。",
			"新國民身分證影本或戶籍謄本（記載改名事項）", "", "", phoneBLI, bliURL, ""),
		item("name-utilities", "name", "水電、瓦斯、電信用戶名稱變更", "台灣電力公司、台灣自來水公司、天然氣公司、電信業者",
			"辦理改名登記時可勾選N加e跨機關通報，由戶政事務所通知水電、瓦斯及電信等合作機關更新用戶名稱，免再逐一申請。",
			"電號、水號或用戶編號", "與改名登記同時辦理", "", "台電 1911；台水 1910", "", "未勾選通報者，請自行向各事業單位申請。"),
		item("name-insurance", "name", "保險契約資料變更", "往來之保險公司",
			"要保人、被保險人或受益人之姓名變更，請向保險公司申請保險契約變更，以免日後理賠或給付時資料不符。",
			"保險契約變更申請書\n新國民身分證\n戶籍謄本（記載改名事項）", "", "", "", "", ""),

		// 遷徙
		item("move-nplus-e", "move", "一次通知各機關（N加e跨機關通報）", householdHere,
			"辦理遷徙登記時，可勾選要通知的機關（健保、監理、稅務、水電等），由戶政事務所一次電子通報，免逐一奔波。",
			"於跨機關便民服務申請書簽名", "與遷徙登記同時辦理", householdHere, "", "", ""),
		item("move-idcard", "move", "國民身分證住址更新", householdHere,
			"遷徙登記後，國民身分證背面住址由戶政事務所換發或註記更新。",
			"國民身分證\n最近2年內正面半身彩色相片（換發時）", "與遷徙登記同時辦理", householdHere, "", "", ""),
		item("move-nhi-region", "move", "健保轉入（以地區人口投保者）", "新戶籍地區公所",
			"以地區人口（第六類）身分在區公所投保健保者，遷徙後請向新戶籍地區公所辦理轉入。",
			"本人及眷屬國民身分證或戶口名簿\n印章", "遷徙後儘速辦理", "", phoneCity, nhiURL, "在職場投保者由投保單位辦理地址變更。"),
		item("move-driving", "move", "駕照、行照住址變更", "交通部公路局臺中區監理所（各監理站）",
			"辦理駕照、行照住址變更，以免罰單及各項通知寄送不到。",
			"國民身分證\n駕照\n行車執照", "", "", phoneDMV, "https://www.mvdis.gov.tw", "可於監理服務網線上辦理。"),
		item("move-land-tax", "move", "地價稅自用住宅用地優惠稅率", "臺中市政府地方稅務局",
			"土地所有權人或其配偶、直系親屬於該地辦竣戶籍登記，且無出租或供營業用者，可申請按自用住宅用地稅率課徵地價稅。",
			"申請書\n國民身分證\n建物登記資料", "每年地價稅開徵40日前（9月22日前）提出，逾期自次年起適用", "", "", "https://www.tax.taichung.gov.tw", ""),
		item("move-house-tax", "move", "房屋稅自住稅率", "臺中市政府地方稅務局",
			"本人、配偶或直系親屬實際居住且無出租或營業之房屋，可申請按自住住家用稅率課徵房屋稅。",
			"申請書\n國民身分證", "", "", "", "https://www.tax.taichung.gov.tw", "申請期限依地方稅務局公告。"),
		item("move-election", "move", "選舉人資格", "臺中市選舉委員會",
			"遷入新選舉區後須繼續居住4個月以上，始為該選舉區之公職人員選舉選舉人（公職人員選舉罷免法第15條）。",
			"", "以選舉投票日前一日計算居住期間", "", "", "", ""),
		item("move-school", "move", "國民中小學學區", "臺中市政府教育局、學區學校",
			"國民中小學依戶籍地址分發學區；子女就學前請確認新址所屬學區。",
			"戶口名簿", "", "", phoneCity, "", ""),
		item("move-utilities", "move", "水電帳單地址變更", "台灣電力公司、台灣自來水公司",
			"變更電費、水費帳單寄送地址或辦理過戶。",
			"國民身分證\n電號或水號", "", "", "台電 1911；台水 1910", "", ""),
		item("move-mail-forward", "move", "郵件改寄", "中華郵政",
			"搬家後可向郵局申請郵件改寄服務，一段期間內寄往舊址的郵件改寄新址。",
			"國民身分證\n申請書", "", "", phonePost, "https://www.post.gov.tw", ""),
		item("move-military", "move", "役男兵役資料", "新戶籍地區公所兵役承辦單位",
			"役男遷徙後，兵役資料隨戶籍移轉；徵集、延期或出境等事項請洽新戶籍地區公所。",
			"國民身分證", "", "", phoneCity, "", ""),
		item("move-ntbca-address", "move", "國稅通訊地址", "財政部中區國稅局",
			"國稅之通知書及稅單依申報或登記之地址寄送；搬家後請於綜合所得稅結算申報時填寫新址，或洽國稅局辦理通訊地址變更。",
			"國民身分證", "", "", phoneTax, "https://www.ntbca.gov.tw", ""),
		item("move-welfare-transfer", "move", "社會福利補助移轉", "新戶籍地區公所",
			"具低收入戶、中低收入戶資格或領有中低收入老人生活津貼、身心障礙者生活補助者，跨縣市遷徙後應向新戶籍地重新申請；本市各區間遷徙請洽新戶籍地區公所確認。",
			"國民身分證\n戶口名簿\n印章\n金融機構存摺封面影本", "遷徙後儘速辦理", "", phoneCity, "", "補助資格由戶籍地之直轄市、縣（市）政府審核。"),
		item("move-bank-address", "move", "金融機構及保險公司通訊地址", "往來之銀行、郵局、證券及保險公司",
			"請通知往來之金融機構、信用卡發卡機構及保險公司變更通訊地址，以免對帳單、保單通知寄往舊址。",
			"國民身分證\n原留印鑑（臨櫃辦理時）", "", "", "", "", "多數金融機構可於網路銀行或客服專線辦理。"),

		// 結婚
		item("marriage-idcard", "marriage", "換領國民身分證（配偶欄）", householdHere,
			"結婚登記後國民身分證配偶欄變更，應同時換領國民身分證。",
			"最近2年內正面半身彩色相片1張\n原國民身分證", "與結婚登記同時辦理", householdHere, "", "", ""),
		item("marriage-certificate", "marriage", "中英文結婚證明書", householdHere,
			"出國或外國機關需要時，可申請中文或英文結婚證明書。",
			"國民身分證", "", householdHere, "", "", "每張新臺幣100元。"),
		item("marriage-nhi", "marriage", "健保依附配偶投保", "衛生福利部中央健康保險署（或投保單位）",
			"配偶無職業者，可依附被保險人投保健保，由被保險人之投保單位辦理。",
			"戶口名簿或戶籍謄本\n眷屬國民身分證", "", "", phoneNHI, nhiURL, ""),
		item("marriage-tax", "marriage", "綜合所得稅夫妻合併申報", "財政部中區國稅局",
			"結婚後，夫妻應依所得稅法規定合併申報綜合所得稅（薪資所得可分開計稅）。",
			"", "每年5月綜合所得稅結算申報期間", "", phoneTax, "https://www.ntbca.gov.tw", ""),
		item("marriage-foreign-residence", "marriage", "外籍配偶居留", "內政部移民署（臺中市服務站）",
			"外籍配偶持依親居留簽證入國後，應向居住地之移民署服務站申請外僑居留證；居留期滿前記得申請延期。",
			"申請書\n護照\n居留簽證\n結婚證明（戶籍謄本）\n相片", "入國後30日內申請外僑居留證", "", phoneNIA, "https://www.immigration.gov.tw",
			"中國大陸配偶依臺灣地區與大陸地區人民關係條例辦理。"),
		item("marriage-civil-allowance", "marriage", "公教人員結婚補助", "服務機關人事單位",
			"軍公教人員結婚，可向服務機關申請結婚補助。",
			"申請表\n戶籍謄本（記載結婚事項）", "依服務機關規定期限", "", "", "", ""),
		item("marriage-prenatal", "marriage", "孕婦產前檢查", "衛生福利部國民健康署（特約醫療院所）",
			"懷孕時可享公費產前檢查，請攜帶孕婦健康手冊至醫療院所檢查。",
			"健保卡\n孕婦健康手冊", "", "", "", "https://www.hpa.gov.tw", ""),
		item("marriage-property-regime", "marriage", "夫妻財產制契約登記", "住所地之地方法院登記處（臺灣臺中地方法院）",
			"夫妻未以契約訂立夫妻財產制者，以法定財產制為夫妻財產制；約定分別財產制或共同財產制者，契約之訂立、變更或廢止，非經登記不得對抗第三人（民法第1005條、第1008條）。",
			"夫妻財產制契約登記聲請書\n夫妻財產制契約書\n雙方國民身分證\n戶籍謄本", "", "", "", "", ""),
		item("marriage-land-tax-one", "marriage", "地價稅自用住宅用地以一處為限", "臺中市政府地方稅務局",
			"土地所有權人與其配偶及未成年之受扶養親屬，適用自用住宅用地稅率繳納地價稅者，以一處為限（土地稅法第17條）；婚前各有自用住宅用地者，婚後僅能擇一處適用，請留意地方稅務局通知。",
			"", "", "", "", "https://www.tax.taichung.gov.tw", ""),
		item("marriage-ivf-subsidy", "marriage", "不孕夫妻試管嬰兒補助", "衛生福利部國民健康署（人工生殖機構）",
			"符合資格之不孕夫妻，可至國民健康署公告之人工生殖機構接受試管嬰兒（人工生殖）治療並申請補助，由機構協助申請。",
			"國民身分證\n健保卡\n戶籍謄本（記載婚姻關係）", "", "", "", "https://www.hpa.gov.tw", "補助資格、次數及金額依國民健康署公告。"),
		item("marriage-adaptation-class", "marriage", "新住民生活適應輔導班", "臺中市政府民政局（各區戶政事務所）",
			"外籍及大陸配偶可免費參加生活適應輔導班，學習語文、生活常識及相關法令；外籍配偶之上課時數可作為申請歸化時具備基本語言能力之證明。",
			"居留證", "", householdHere, "", "", "開班時間依各區戶政事務所公告。"),
		item("marriage-foreign-work", "marriage", "外籍配偶在臺工作", "勞動部勞動力發展署",
			"與在我國設有戶籍之國民結婚且獲准居留之外籍配偶，在臺工作免申請工作許可（就業服務法第48條）；大陸配偶經許可在臺依親居留、長期居留者，居留期間亦得在臺工作。",
			"居留證", "", "", "", "https://www.wda.gov.tw", "求職可洽勞動部勞動力發展署所屬就業服務站。"),

		// 國籍
		item("nationality-renounce-proof", "nationality", "提出喪失原國籍證明", "內政部（由戶政事務所受理）",
			"外國人申請歸化經許可者，應於許可之日起1年內提出喪失原有國籍證明（國籍法第9條，另有規定者除外）。",
			"喪失原國籍證明\n經驗證之中文譯本", "歸化許可之日起1年內", householdHere, "", "", ""),
		item("nationality-test", "nationality", "歸化測試（基本語言能力及國民權利義務基本常識）", "臺中市政府民政局、各區戶政事務所",
			"申請歸化須具備基本語言能力及國民權利義務基本常識，可參加歸化測試或以上課時數證明。",
			"報名表\n外僑居留證\n報名費", "", householdHere, "", "", "報名費每次新臺幣500元。"),
		item("nationality-settlement", "nationality", "申請臺灣地區居留證及定居證", "內政部移民署（臺中市服務站）",
			"取得或回復國籍後，先向移民署申請臺灣地區居留證；居留連續滿1年，或居留2年且每年居住270日以上，或居留5年且每年居住183日以上，可申請定居證。",
			"申請書\n護照\n歸化（回復）國籍許可證書\n相片", "", "", phoneNIA, "https://www.immigration.gov.tw", ""),
		item("nationality-first-registration", "nationality", "初設戶籍登記及請領國民身分證", householdHere,
			"取得定居證後，持定居證至擬設籍地之戶政事務所辦理初設戶籍登記，並請領國民身分證及戶口名簿。",
			"定居證\n護照\n設籍地址之戶口名簿或居住證明\n最近2年內正面半身彩色相片", "取得定居證之日起30日內", householdHere, "", "", ""),
		item("nationality-nhi", "nationality", "健保投保身分", "衛生福利部中央健康保險署",
			"設籍後健保投保身分由外籍人士改為國民，請確認投保單位之資料。",
			"國民身分證\n健保卡", "", "", phoneNHI, nhiURL, ""),
		item("nationality-moica", "nationality", "自然人憑證申請", householdHere,
			"年滿18歲設籍國民可申請自然人憑證，網路申辦政府服務更方便。",
			"國民身分證正本\nIC卡工本費250元\nE-mail信箱", "", householdHere, phoneMOICA, "https://moica.nat.gov.tw", ""),
		item("nationality-passport", "nationality", "首次申請中華民國護照", "外交部領事事務局",
			"設籍後首次申請護照，可先在任一戶政事務所辦理人別確認，再委任他人送件。",
			"普通護照申請書\n國民身分證正本\n最近6個月內2吋彩色相片", "", "", phoneBOCA, "https://www.boca.gov.tw", ""),
		item("nationality-loss", "nationality", "申請喪失中華民國國籍", "內政部（由戶政事務所受理）",
			"符合國籍法第11條規定者，可申請經內政部許可喪失中華民國國籍；屆役齡之男子未免除服役義務，尚未服役或未服役完畢者，不許可喪失國籍（國籍法第12條）。",
			"喪失國籍申請書\n國民身分證\n外國國籍證明文件（附中文譯本）", "", householdHere, "", "", "許可後之戶籍、國民身分證及護照處理，請洽戶政事務所。"),
		item("nationality-restore", "nationality", "申請回復中華民國國籍", "內政部（由戶政事務所受理）",
			"曾喪失中華民國國籍者，現於國內有住所且符合國籍法第15條規定者，可申請回復國籍；許可後在臺灣地區無戶籍者，再依序申請臺灣地區居留證、定居證及初設戶籍登記。",
			"回復國籍申請書\n喪失國籍證明文件\n居留證明文件", "", householdHere, "", "", ""),
		item("nationality-military", "nationality", "役男兵役處理", "戶籍地區公所兵役單位",
			"屆役齡之男子歸化或回復國籍並初設戶籍登記後，依兵役法令辦理徵兵處理；延期徵集、出境等事項請洽戶籍地區公所。",
			"國民身分證", "", "", phoneCity, "", ""),
		item("nationality-pension", "nationality", "國民年金保險", "勞動部勞工保險局",
			"在國內設有戶籍、年滿25歲未滿65歲，且未參加勞保、公教保、軍保或農保者，依國民年金法自動納保，由勞保局寄發保險費繳款單。",
			"", "", "", phoneBLI, bliURL, "納保資格詳依國民年金法規定。"),

		// 護照親辦
		item("passport-identity", "passport", "戶政事務所人別確認", "全國任一戶政事務所",
			"首次申請護照者，可攜帶護照申請書及國民身分證正本，親至任一戶政事務所辦理人別確認，之後即可委任他人或旅行社代為送件。",
			"普通護照申請書（已填妥並貼妥相片）\n國民身分證正本\n未成年人另附父或母或監護人之國民身分證正本", "", householdHere, "", "", "人別確認免費。"),
		item("passport-apply", "passport", "護照送件及領取", "外交部領事事務局或中部辦事處",
			"人別確認後，本人或受委任人至領事事務局或外交部中部辦事處送件、繳費，並於通知期限內領取護照。",
			"經人別確認之護照申請書\n國民身分證正本\n相片\n規費", "", "", phoneBOCA, "https://www.boca.gov.tw", "中部辦事處位於行政院中部聯合服務中心（臺中市南屯區黎明辦公區）。"),
		item("passport-minor", "passport", "未成年人申請護照", "外交部領事事務局",
			"未滿18歲者申請護照，應經父或母或監護人同意並於申請書簽名。",
			"父或母或監護人之國民身分證正本\n戶口名簿或戶籍謄本", "", "", phoneBOCA, "https://www.boca.gov.tw", ""),
		item("passport-validity", "passport", "護照效期", "外交部領事事務局",
			"護照效期一般為10年，未滿14歲者為5年；役男護照另有規定。出國前請確認護照效期足夠。",
			"", "多數國家要求入境時護照效期6個月以上", "", phoneBOCA, "https://www.boca.gov.tw", ""),
		item("passport-conscript", "passport", "役男出境申請", "內政部役政署",
			"尚未服役之役男出境，應先申請出境核准。",
			"護照\n國民身分證", "出境前", "", "", "", "可於內政部役政署網站線上申請。"),
		item("passport-emergency", "passport", "旅外急難救助", "外交部",
			"在國外遇急難，可撥打駐外館處緊急聯絡電話或「旅外國人急難救助全球免付費專線」800-0885-0885；國內家屬可撥 0800-085-095。",
			"", "", "", "0800-085-095", "https://www.boca.gov.tw", "出國前可至領事事務局網站辦理「出國登錄」。"),
		item("passport-lost", "passport", "護照遺失補發", "外交部領事事務局或中部辦事處",
			"在國內遺失護照，可向警察機關報案，或逕向領事事務局或各辦事處申報遺失後申請補發；在國外遺失，請向駐外館處申請補發護照或入國證明書。",
			"普通護照申請書\n國民身分證正本\n最近6個月內2吋彩色相片\n警察機關報案證明（已報案者）", "", "", phoneBOCA, "https://www.boca.gov.tw", ""),
		item("passport-fee", "passport", "護照規費", "外交部領事事務局",
			"普通護照規費每本新臺幣1,300元；未滿14歲者及尚未服兵役男子之效期縮短護照每本新臺幣900元。申請速件另加收速件處理費。",
			"", "", "", phoneBOCA, "https://www.boca.gov.tw", "規費以領事事務局公告為準。"),
		item("passport-romanization", "passport", "護照外文姓名", "外交部領事事務局",
			"護照外文姓名以中文姓名之國語讀音逐字音譯為英文字母；曾領有護照者應沿用原外文姓名，變更有一定限制，首次申請前請確認拼音。",
			"原護照（曾領有護照者）\n外文姓名與中文讀音不符者附相關證明文件", "", "", phoneBOCA, "https://www.boca.gov.tw", ""),
		item("passport-egate", "passport", "自動查驗通關（e-Gate）", "內政部移民署",
			"符合條件之國人可使用自動查驗通關系統，出入國時以護照自助通關；註冊方式、適用年齡及身高條件依移民署公告。",
			"有效護照\n國民身分證", "", "", phoneNIA, "https://www.immigration.gov.tw", ""),

		// 離婚
		item("divorce-idcard", "divorce", "換領國民身分證（配偶欄）", householdHere,
			"離婚登記後國民身分證配偶欄變更，應同時換領國民身分證。",
			"最近2年內正面半身彩色相片1張\n原國民身分證", "與離婚登記同時辦理", householdHere, "", "", ""),
		item("divorce-custody", "divorce", "未成年子女權利義務行使負擔登記", householdHere,
			"離婚時約定或經法院酌定未成年子女權利義務之行使或負擔者，應辦理登記。",
			"離婚協議書或法院裁判書及確定證明書\n雙方國民身分證", "約定或裁判確定後30日內", householdHere, "", "", ""),
		item("divorce-nhi", "divorce", "健保眷屬改依附或自行投保", "衛生福利部中央健康保險署（或投保單位）",
			"原依附配偶投保健保者，離婚後應改依附其他被保險人或依本身身分投保。",
			"國民身分證\n戶口名簿", "離婚後儘速辦理", "", phoneNHI, nhiURL, ""),
		item("divorce-tax", "divorce", "綜合所得稅分開申報", "財政部中區國稅局",
			"離婚後之年度，雙方分別申報綜合所得稅；子女由實際扶養之一方列報扶養。",
			"", "每年5月綜合所得稅結算申報期間", "", phoneTax, "https://www.ntbca.gov.tw", ""),
		item("divorce-child-surname", "divorce", "子女姓氏變更", "子女住所地之地方法院",
			"父母離婚者，法院得依父母之一方或子女之請求，為子女之利益，宣告變更子女之姓氏為父姓或母姓（民法第1059條第5項）。",
			"聲請狀\n戶籍謄本", "", "", "", "", ""),
		item("divorce-foreign-spouse", "divorce", "外籍配偶離婚後居留", "內政部移民署（臺中市服務站）",
			"外籍或大陸配偶離婚後，居留資格可能改變，請儘速向移民署洽詢。",
			"護照\n居留證\n離婚證明", "", "", phoneNIA, "https://www.immigration.gov.tw", ""),
		item("divorce-legal-aid", "divorce", "法律扶助與保護", "財團法人法律扶助基金會、保護專線",
			"對子女監護、扶養費或財產分配有疑問，可洽法律扶助基金會；遭受家庭暴力請撥113保護專線。",
			"", "", "", "法扶 412-8518（手機請加 02）；保護專線 113", "https://www.laf.org.tw", ""),
		item("divorce-certificate", "divorce", "中英文離婚證明書", householdHere,
			"出國或外國機關需要時，可申請中文或英文離婚證明書。",
			"國民身分證", "", householdHere, "", "", "每張新臺幣100元。"),
		item("divorce-property", "divorce", "剩餘財產分配請求", "住所地之地方法院（臺灣臺中地方法院）",
			"法定財產制關係消滅時，婚後財產較少之一方，可請求雙方剩餘財產差額之平均分配；此請求權自知有剩餘財產之差額時起2年間不行使而消滅，自法定財產制關係消滅時起逾5年者亦同（民法第1030條之1）。",
			"", "知有差額時起2年內，且不逾法定財產制關係消滅起5年", "", "", "", "可先洽法律扶助基金會或律師諮詢。"),
		item("divorce-single-parent", "divorce", "特殊境遇家庭扶助", "戶籍地區公所",
			"因離婚獨自扶養18歲以下子女，且家庭總收入、財產及工作能力等符合特殊境遇家庭扶助條例規定者，可申請緊急生活扶助、子女生活津貼、子女教育補助、兒童托育津貼或法律訴訟補助等。",
			"申請表\n國民身分證\n戶口名簿或戶籍謄本\n金融機構存摺封面影本", "", "", phoneCity, "", "資格及扶助項目依特殊境遇家庭扶助條例及臺中市規定。"),
		item("divorce-school", "divorce", "子女學籍之監護人資料", "子女就讀之學校",
			"離婚後請將子女之監護人、聯絡人及通訊資料告知學校更新，以免學校通知、補助申請或接送發生疑義。",
			"戶籍謄本（記載未成年子女權利義務行使負擔事項）", "", "", "", "", ""),
		item("divorce-insurance-beneficiary", "divorce", "保險受益人變更", "往來之保險公司",
			"保單受益人或要保人原為前配偶者，如需變更，請向保險公司申請保險契約變更。",
			"保險契約變更申請書\n國民身分證", "", "", "", "", ""),

		// 死亡
		item("death-estate-inquiry", "death", "遺產查詢一站式服務", householdHere,
			"辦理死亡登記時，繼承人可同時申請查詢被繼承人之金融遺產、土地及稅捐資料，免另跑各機關。",
			"繼承人國民身分證\n印章", "與死亡登記同時辦理", householdHere, "", "", ""),
		item("death-estate-tax", "death", "遺產稅申報", "財政部中區國稅局",
			"被繼承人死亡遺有財產者，納稅義務人應申報遺產稅（遺產及贈與稅法第23條）。",
			"遺產稅申報書\n死亡證明\n繼承系統表\n全體繼承人戶籍謄本\n財產資料", "被繼承人死亡之日起6個月內", "", phoneTax, "https://www.ntbca.gov.tw", "可申請延期3個月。"),
		item("death-renounce", "death", "拋棄繼承", "被繼承人住所地之地方法院（臺灣臺中地方法院家事法庭）",
			"不願繼承者，應以書面向法院陳報拋棄繼承（民法第1174條）。",
			"拋棄繼承聲明書\n被繼承人除戶謄本\n繼承人戶籍謄本\n印鑑證明", "知悉得繼承之時起3個月內", "", "", "", "現行法已以所得遺產為限償還被繼承人債務（概括限定繼承）。"),
		item("death-land-inheritance", "death", "不動產繼承登記", "不動產所在地之地政事務所",
			"被繼承人名下有土地或建物者，繼承人應申請繼承登記；逾期者每逾1個月處登記費1倍罰鍰，最高20倍（土地法第73條）。",
			"登記申請書\n繼承系統表\n除戶謄本及繼承人戶籍謄本\n遺產稅繳（免）納證明\n權利書狀", "繼承開始之日起6個月內", "", "", "", ""),
		item("death-labor-insurance", "death", "勞保喪葬津貼、遺屬年金", "勞動部勞工保險局",
			"勞保被保險人死亡，或其父母、配偶、子女死亡，可申請喪葬津貼或遺屬給付。",
			"死亡給付申請書\n死亡證明書\n除戶謄本\n申請人戶籍謄本", "請求權自得請領之日起5年內", "", phoneBLI, bliURL, ""),
		item("death-national-pension", "death", "國民年金喪葬給付、遺屬年金", "勞動部勞工保險局",
			"國民年金被保險人死亡，符合條件之家屬可申請喪葬給付或遺屬年金。",
			"申請書\n死亡證明書\n除戶謄本", "請求權自得請領之日起5年內", "", phoneBLI, bliURL, ""),
		item("death-nhi", "death", "健保退保", "衛生福利部中央健康保險署",
			"死亡登記資料由戶政通報健保署，免另行辦理退保；依附死者投保之眷屬應改依附其他被保險人或自行投保。",
			"", "", "", phoneNHI, nhiURL, ""),
		item("death-vehicle", "death", "汽機車繼承過戶或報廢", "交通部公路局臺中區監理所（各監理站）",
			"被繼承人名下有汽機車者，繼承人應辦理繼承過戶或報廢。",
			"死亡證明或除戶謄本\n繼承人戶籍謄本\n遺產稅繳（免）納證明\n行車執照", "", "", phoneDMV, "https://www.mvdis.gov.tw", ""),
		item("death-funeral", "death", "殯葬服務", "臺中市生命禮儀管理處",
			"市立殯儀館、火化場及納骨設施之申請使用。",
			"死亡證明書\n申請人國民身分證", "", "", phoneCity, "", ""),
		item("death-low-income-funeral", "death", "低收入戶喪葬補助", "戶籍地區公所",
			"低收入戶或中低收入戶成員死亡，家屬可向戶籍地區公所申請喪葬補助。",
			"申請書\n死亡證明書\n除戶謄本\n申請人國民身分證", "", "", phoneCity, "", "補助資格及金額依臺中市規定。"),
		item("death-bank", "death", "金融帳戶繼承", "往來之銀行、郵局",
			"被繼承人存款等財產，由繼承人備妥文件向各金融機構辦理繼承。",
			"死亡證明或除戶謄本\n繼承系統表\n全體繼承人戶籍謄本及印鑑證明\n遺產稅繳（免）納證明", "", "", "", "", ""),
		item("death-gepi", "death", "公保死亡給付、眷屬喪葬津貼", "臺灣銀行公教保險部（由要保機關轉送）",
			"公教人員保險被保險人死亡，受益人可申請死亡給付或遺屬年金；被保險人之父母、配偶或子女死亡，被保險人可申請眷屬喪葬津貼。",
			"給付請求書\n死亡證明書\n除戶謄本\n申請人戶籍謄本", "", "", "", "", "請向被保險人之服務機關人事單位洽辦。"),
		item("death-veteran", "death", "榮民亡故喪葬及遺眷服務", "國軍退除役官兵輔導委員會臺中市榮民服務處",
			"榮民亡故，遺眷可洽榮民服務處辦理喪葬補助、遺眷照顧等事宜。",
			"死亡證明書\n除戶謄本\n榮民證\n申請人國民身分證", "", "", "", "https://www.vac.gov.tw", "資格及補助依國軍退除役官兵輔導委員會規定。"),
		item("death-life-insurance", "death", "人壽保險投保紀錄查詢及理賠", "中華民國人壽保險商業同業公會、各保險公司",
			"繼承人可向壽險公會申請查詢被繼承人之人壽保險投保紀錄，再向各保險公司申請理賠；保險金請求權自得為請求之日起2年間不行使而消滅（保險法第65條）。",
			"死亡證明書\n除戶謄本\n申請人戶籍謄本\n申請人國民身分證", "得為請求之日起2年內", "", "", "https://www.lia-roc.org.tw", ""),
	}
}

// SeedCatalogue creates every missing category and item. Existing items are
// never changed: once seeded, content belongs to its maintainers. Safe to run at
// every start.
func (s *Store) SeedCatalogue(ctx context.Context) (created int, err error) {
	for i, c := range Categories {
		if _, err := s.DB.Exec(ctx, `INSERT INTO tip_categories (code, name, intro, registration_kinds, sort_order) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (code) DO NOTHING`, c.Code, c.Name, c.Intro, c.Kinds, (i+1)*10); err != nil {
			return created, fmt.Errorf("seed tip category %s: %w", c.Code, err)
		}
	}
	sys := audit.Actor{Username: "system"}
	for i, si := range Items() {
		var n int
		if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM tip_items WHERE code = ?`, si.Code).Scan(&n); err != nil {
			return created, err
		}
		if n > 0 {
			continue
		}
		err := s.DB.InTx(ctx, func(tx *db.Tx) error {
			var catID, id int64
			if err := tx.QueryRow(ctx, `SELECT id FROM tip_categories WHERE code = ?`, si.Category).Scan(&catID); err != nil {
				return fmt.Errorf("category %s: %w", si.Category, err)
			}
			now := db.FormatTime(s.now())
			if err := tx.QueryRow(ctx, `INSERT INTO tip_items (code, category_id, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
				si.Code, catID, (i+1)*10, now, now).Scan(&id); err != nil {
				return err
			}
			e := audit.For(sys, "tip.create", "tip", si.Code)
			e.Detail = si.Versions[0].Title
			if err := audit.Log(ctx, tx, e); err != nil {
				return err
			}
			for _, v := range si.Versions {
				if err := checkVersion(&v); err != nil {
					return fmt.Errorf("%s: %w", si.Code, err)
				}
				if err := s.insertVersion(ctx, tx, sys, id, si.Code, &v); err != nil {
					return err
				}
			}
			return nil
		})
		if db.IsUniqueViolation(err) {
			continue
		}
		if err != nil {
			return created, fmt.Errorf("seed tip %s: %w", si.Code, err)
		}
		created++
	}
	return created, nil
}
