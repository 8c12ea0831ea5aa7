package legal

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"

	"ebazhao/internal/platform/civil"
)

//go:embed data/certificate.json
var certificateJSON []byte

type certificateData struct {
	Name                  string   `json:"name"`
	ValidityYears         int      `json:"validity_years"`
	ExtensionYears        int      `json:"extension_years"`
	MaxYears              int      `json:"max_years"`
	ExtendBeforeDays      int      `json:"extend_before_days"`
	ExtendAfterYears      int      `json:"extend_after_years"`
	RenewOnlineBeforeDays int      `json:"renew_online_before_days"`
	RenewOnlineAfterYears int      `json:"renew_online_after_years"`
	Fee                   int      `json:"fee"`
	Delegable             []string `json:"delegable"`
	NotDelegable          []string `json:"not_delegable"`
	DelegationNote        string   `json:"delegation_note"`
}

var loadCertificate = sync.OnceValues(func() (*certificateData, error) {
	var d certificateData
	err := json.Unmarshal(certificateJSON, &d)
	return &d, err
})

func certificateRules() *certificateData {
	d, err := loadCertificate()
	if err != nil {
		panic("legal: embedded certificate.json: " + err.Error())
	}
	return d
}

// CertificateRequest is the input of the `certificate` kind (自然人憑證).
type CertificateRequest struct {
	Expiry      Date `json:"expiry"`   // the current expiry
	Extended    bool `json:"extended"` // already extended once
	FirstIssued Date `json:"first_issued,omitempty"`
	On          Date `json:"on"` // the day asked about; default today
}

// CertificateResult is the result of the `certificate` kind.
type CertificateResult struct {
	On                Date       `json:"on"`
	Expiry            Date       `json:"expiry"`
	Valid             bool       `json:"valid"`
	CanExtend         bool       `json:"can_extend"`
	ExtendWindow      *DateRange `json:"extend_window"`
	ExtendedExpiry    Date       `json:"extended_expiry"`
	FinalExpiry       Date       `json:"final_expiry"`
	CanRenewOnline    bool       `json:"can_renew_online"`
	RenewOnlineWindow *DateRange `json:"renew_online_window"`
	MustApplyAtOffice bool       `json:"must_apply_at_office"`
	Delegable         []string   `json:"delegable"`
	NotDelegable      []string   `json:"not_delegable"`
	Steps             []string   `json:"steps"`
	Articles          []string   `json:"articles"`
}

// yearsAfter is the same day k years later; Feb 29 becomes Feb 28.
func yearsAfter(t civil.Date, k int) civil.Date { return yearsBefore(t, -k) }

// Certificate answers the 自然人憑證 lifecycle questions for a day: extension (once,
// from 60 days before the 5-year expiry to 3 years after it, for 3 years from the
// original expiry) and online renewal (60 days before to 1 year after the 8-year end).
func Certificate(opts Options, in CertificateRequest) (*CertificateResult, error) {
	if err := need(in.Expiry, "expiry", "憑證效期到期日"); err != nil {
		return nil, err
	}
	c := certificateRules()
	on := opts.today()
	if !in.On.IsZero() {
		on = in.On.Date
	}
	exp := in.Expiry.Date
	var e explain
	e.cite(c.Name + "憑證實務作業基準")
	res := &CertificateResult{
		On: D(on), Expiry: D(exp), Valid: !on.After(exp),
		Delegable: append([]string(nil), c.Delegable...), NotDelegable: append([]string(nil), c.NotDelegable...),
	}
	state := "有效"
	if !res.Valid {
		state = "已逾效期"
	}
	e.step("查詢日%s；憑證目前效期至%s，%s。", roc(on), roc(exp), state)
	if !in.FirstIssued.IsZero() {
		e.step("首次簽發日%s；自然人憑證效期%d年，得展期一次%d年，使用期限最長%d年。", roc(in.FirstIssued.Date), c.ValidityYears, c.ExtensionYears, c.MaxYears)
	}
	var eight civil.Date
	if in.Extended {
		eight = exp
		res.ExtendedExpiry = D(exp)
		e.step("本憑證已展期一次，每張憑證限展期一次，不得再展期；展期後效期%s即使用期限（最長%d年）之末日。", roc(exp), c.MaxYears)
	} else {
		w := DateRange{From: D(exp.AddDays(-c.ExtendBeforeDays)), To: D(yearsAfter(exp, c.ExtendAfterYears))}
		res.ExtendWindow = &w
		eight = yearsAfter(exp, c.ExtensionYears)
		res.ExtendedExpiry = D(eight)
		res.CanExtend = w.contains(on)
		e.step("展期：得於效期到期日前%d日起至屆滿後%d年內申請，即%s至%s；不論何時展期，展期後效期均自原到期日起算%d年，至%s。",
			c.ExtendBeforeDays, c.ExtendAfterYears, roc(w.From.Date), roc(w.To.Date), c.ExtensionYears, roc(eight))
		switch {
		case res.CanExtend:
			e.step("查詢日在展期期間內，可辦理展期（線上或臨櫃；臨櫃得委託他人代辦）。")
		case on.Before(w.From.Date):
			e.step("查詢日尚未到展期期間（%s起始得申請）。", roc(w.From.Date))
		default:
			e.step("查詢日已逾展期期間，不得展期。")
		}
	}
	res.FinalExpiry = D(eight)
	rw := DateRange{From: D(eight.AddDays(-c.RenewOnlineBeforeDays)), To: D(yearsAfter(eight, c.RenewOnlineAfterYears))}
	res.RenewOnlineWindow = &rw
	e.step("線上換發（續卡）：限使用期限（含展期期間）屆滿前%d日起至屆滿後%d年內，且到期前為有效之憑證，即%s至%s。",
		c.RenewOnlineBeforeDays, c.RenewOnlineAfterYears, roc(rw.From.Date), roc(rw.To.Date))
	switch {
	case !in.Extended:
		e.step("本憑證尚未展期，%d年使用期限屆滿前須先辦理展期，始得線上換發；目前不得線上換發。", c.MaxYears)
	case rw.contains(on):
		res.CanRenewOnline = true
		e.step("查詢日在線上換發期間內，可上網申請換發（IC卡工本費%d元，另加掛號郵資）。", c.Fee)
	case on.Before(rw.From.Date):
		e.step("查詢日尚未到線上換發期間。")
	default:
		e.step("查詢日已逾線上換發期間，不得線上換發。")
	}
	res.MustApplyAtOffice = !res.CanExtend && !res.CanRenewOnline && on.After(exp)
	if res.MustApplyAtOffice {
		e.step("憑證已失效且不得展期或線上換發：請本人攜帶國民身分證正本、IC卡工本費%d元及電子郵件信箱，親至任一戶政事務所重新申請（不限戶籍地）。", c.Fee)
	}
	e.step("得委託他人代辦：%s。不得委託（須本人親辦）：%s。%s", strings.Join(c.Delegable, "、"), strings.Join(c.NotDelegable, "、"), c.DelegationNote)
	res.Steps, res.Articles = e.steps, nonNil(e.articles)
	return res, nil
}
