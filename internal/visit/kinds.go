package visit

import (
	"net/url"
	"time"

	"ebazhao/internal/platform/civil"
)

// Kind is the registration a visit is for (本次辦理). It decides which actions
// are suggested: the N加e change kind to notify, the tips sheet to print, the
// calculators that belong with it and the fees usually collected.
type Kind struct {
	Code       string
	Key        string // the digit that picks it in the start form
	Label      string
	Short      string
	Registered string   // printed on the tips sheet: 辦理之登記
	Agency     string   // N加e change kind (package agency), "" if none
	Tips       string   // tips category or registration kind (package tip), "" if none
	Calcs      []string // calculator kinds (package legal) to suggest
	Seal       bool     // a seal registration or certificate
	Archive    bool     // copies of archived applications
	Fees       []string // fee items usually collected, as hints
}

// Kinds in the order the start form offers them (digits 1–9, 0).
var Kinds = []Kind{
	{Code: "move", Key: "1", Label: "遷徙（遷入、住址變更）", Short: "遷徙", Registered: "遷入登記", Agency: "move", Tips: "move",
		Fees: []string{"戶籍謄本", "國民身分證換領"}},
	{Code: "birth", Key: "2", Label: "出生登記", Short: "出生", Registered: "出生登記", Agency: "birth", Tips: "birth",
		Calcs: []string{"birth-subsidy", "conception"}, Fees: []string{"戶籍謄本"}},
	{Code: "death", Key: "3", Label: "死亡登記", Short: "死亡", Registered: "死亡登記", Agency: "death", Tips: "death",
		Fees: []string{"戶籍謄本"}},
	{Code: "marriage", Key: "4", Label: "結婚登記", Short: "結婚", Registered: "結婚登記", Tips: "marriage",
		Fees: []string{"國民身分證換領", "戶籍謄本"}},
	{Code: "divorce", Key: "5", Label: "離婚登記", Short: "離婚", Registered: "離婚登記", Tips: "divorce",
		Fees: []string{"國民身分證換領", "戶籍謄本"}},
	{Code: "name", Key: "6", Label: "更名、改姓", Short: "更名", Registered: "更名登記", Agency: "name", Tips: "name",
		Fees: []string{"國民身分證換領", "戶口名簿(換領)"}},
	{Code: "seal", Key: "7", Label: "印鑑登記、印鑑證明", Short: "印鑑", Seal: true, Fees: []string{"印鑑證明"}},
	{Code: "records", Key: "8", Label: "謄本、申請書影本", Short: "謄本影本", Archive: true,
		Fees: []string{"戶籍謄本", "戶籍檔案原始資料影本(檔存申請書影本)"}},
	{Code: "nationality", Key: "9", Label: "初設戶籍、歸化、回復國籍", Short: "國籍", Registered: "初設戶籍登記", Tips: "nationality",
		Calcs: []string{"residence"}},
	{Code: "other", Key: "0", Label: "其他", Short: "其他"},
}

// KindByCode returns the kind with code.
func KindByCode(code string) (Kind, bool) {
	for _, k := range Kinds {
		if k.Code == code {
			return k, true
		}
	}
	return Kind{}, false
}

// calcTitles names the calculators the workbench links (package legal's kinds).
var calcTitles = map[string]string{
	"birth-subsidy":     "生育津貼試算",
	"conception":        "受胎期間計算",
	"residence":         "歸化居留期間計算",
	"deadline":          "申請登記法定期間",
	"fine":              "逾期罰鍰計算",
	"reminder-deadline": "催告期限計算",
	"certificate":       "自然人憑證效期",
	"period":            "期間計算",
}

// calcOrder is the calculators menu order.
var calcOrder = []string{"birth-subsidy", "conception", "residence", "deadline", "fine", "reminder-deadline", "period", "certificate"}

// calcHref links a calculator with what the visit already knows filled in:
// today as the application date, the newborn registered here.
func calcHref(kind string, now time.Time) string {
	q := url.Values{}
	today := civil.Of(now).ROCShort()
	switch kind {
	case "birth-subsidy":
		q.Set("application_date", today)
		q.Set("newborn_registered_in_taichung", "on")
		q.Set("birth_order", "1")
		q.Set("plurality", "1")
	case "residence":
		q.Set("application_date", today)
	case "fine":
		q.Set("application_date", today)
	case "certificate":
		q.Set("on", today)
	}
	if len(q) == 0 {
		return "/calc/" + kind
	}
	return "/calc/" + kind + "?" + q.Encode()
}
