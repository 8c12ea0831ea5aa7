package legal

import (
	"fmt"
	"strings"

	"ebazhao/internal/platform/civil"
)

// Conception window bounds: the 181st to the 302nd day counted back from the birth,
// the birth day being day 1 (民法第1062條第1項; 內政部: 受胎期間自子女出生之日起算).
const (
	conceptionNearDay = 181
	conceptionFarDay  = 302
)

// Marriage is one marriage of the mother. End is the day it was dissolved (兩願離婚
// registration, judgment final, the husband's death); empty while it lasts.
type Marriage struct {
	Husband string `json:"husband"`
	Start   Date   `json:"start"`
	End     Date   `json:"end"`
}

// ConceptionRequest is the input of the `conception` kind.
type ConceptionRequest struct {
	BirthDate Date       `json:"birth_date"`
	Marriages []Marriage `json:"marriages"`
	// ProvenWindow replaces the statutory window when the conception is proven to lie
	// elsewhere (民法第1062條第2項); ProvenReason documents the proof.
	ProvenWindow *DateRange `json:"proven_window,omitempty"`
	ProvenReason string     `json:"proven_reason,omitempty"`
}

// MarriageOverlap reports one marriage against the window.
type MarriageOverlap struct {
	Husband     string `json:"husband"`
	Start       Date   `json:"start"`
	End         Date   `json:"end"`
	Overlaps    bool   `json:"overlaps"`
	OverlapFrom Date   `json:"overlap_from"`
	OverlapTo   Date   `json:"overlap_to"`
}

// ConceptionResult is the result of the `conception` kind.
type ConceptionResult struct {
	BirthDate          Date              `json:"birth_date"`
	WindowStart        Date              `json:"window_start"`
	WindowEnd          Date              `json:"window_end"`
	WindowDays         int               `json:"window_days"`
	WindowSource       string            `json:"window_source"`
	PresumedLegitimate bool              `json:"presumed_legitimate"`
	PresumedHusbands   []string          `json:"presumed_husbands"`
	DualPresumption    bool              `json:"dual_presumption"`
	Marriages          []MarriageOverlap `json:"marriages"`
	Steps              []string          `json:"steps"`
	Articles           []string          `json:"articles"`
}

// ConceptionWindow is [B−301, B−180] for birth date B.
func ConceptionWindow(b civil.Date) (from, to civil.Date) {
	return b.AddDays(-(conceptionFarDay - 1)), b.AddDays(-(conceptionNearDay - 1))
}

// Conception computes the conception window and the presumption of legitimacy
// (民法第1062條、第1063條). A window overlapping two marriages is flagged, never decided.
func Conception(in ConceptionRequest) (*ConceptionResult, error) {
	if err := need(in.BirthDate, "birth_date", "新生兒出生日"); err != nil {
		return nil, err
	}
	b := in.BirthDate.Date
	var e explain
	e.cite("民法第1062條第1項", "民法第1063條第1項")
	from, to := ConceptionWindow(b)
	res := &ConceptionResult{BirthDate: D(b), WindowSource: "民法第1062條第1項", PresumedHusbands: []string{}, Marriages: []MarriageOverlap{}}
	e.step("新生兒出生日%s。依民法第1062條第1項，從子女出生日回溯第181日起至第302日止為受胎期間；回溯以出生日為第1日（受胎期間自子女出生之日起算）。", roc(b))
	e.step("回溯第302日為%s，第181日為%s：受胎期間自%s起至%s止，共%d日。", roc(from), roc(to), roc(from), roc(to), days(from, to)+1)
	if in.ProvenWindow != nil && !in.ProvenWindow.From.IsZero() && !in.ProvenWindow.To.IsZero() {
		pw := *in.ProvenWindow
		if pw.To.Before(pw.From.Date) {
			return nil, inputErr("proven_window", "證明之受胎期間起日不得晚於迄日")
		}
		if !pw.To.Before(b) {
			return nil, inputErr("proven_window", "證明之受胎期間須在出生日之前")
		}
		from, to = pw.From.Date, pw.To.Date
		res.WindowSource = "民法第1062條第2項"
		e.cite("民法第1062條第2項")
		reason := strings.TrimSpace(in.ProvenReason)
		if reason == "" {
			reason = "未載明證明文件"
		}
		e.step("能證明受胎在前項期間以外（%s），依民法第1062條第2項以%s至%s為受胎期間。", reason, roc(from), roc(to))
	}
	res.WindowStart, res.WindowEnd, res.WindowDays = D(from), D(to), days(from, to)+1
	if len(in.Marriages) == 0 {
		e.step("未輸入生母之婚姻紀錄。")
	}
	for i, m := range in.Marriages {
		name := strings.TrimSpace(m.Husband)
		if name == "" {
			name = fmt.Sprintf("第%d段婚姻之夫", i+1)
		}
		if m.Start.IsZero() {
			return nil, inputErr("marriages", "第%d段婚姻缺少結婚日（start，格式 YYYY-MM-DD）", i+1)
		}
		if !m.End.IsZero() && m.End.Before(m.Start.Date) {
			return nil, inputErr("marriages", "第%d段婚姻（%s）之消滅日%s早於結婚日%s", i+1, name, m.End, m.Start)
		}
		mo := MarriageOverlap{Husband: name, Start: m.Start, End: m.End}
		span := "自" + roc(m.Start.Date) + "起"
		if m.End.IsZero() {
			span += "存續中"
		} else {
			span += "至" + roc(m.End.Date) + "止"
		}
		mo.Overlaps = !m.Start.After(to) && (m.End.IsZero() || !m.End.Before(from))
		switch {
		case mo.Overlaps:
			of, ot := from, to
			if m.Start.After(of) {
				of = m.Start.Date
			}
			if !m.End.IsZero() && m.End.Before(ot) {
				ot = m.End.Date
			}
			mo.OverlapFrom, mo.OverlapTo = D(of), D(ot)
			res.PresumedHusbands = append(res.PresumedHusbands, name)
			e.step("與%s之婚姻（%s）於受胎期間內存續（%s至%s），依民法第1063條第1項推定子女為%s之婚生子女。", name, span, roc(of), roc(ot), name)
			if !m.End.IsZero() && m.End.Before(b) {
				e.step("該婚姻雖於出生前（%s）消滅，受胎期間內婚姻關係存續，推定仍然成立；除經否認之訴（民法第1063條第2項）判決確定外，出生登記應以%s為父。", roc(m.End.Date), name)
			}
		case m.Start.After(to) && !m.Start.After(b):
			e.step("與%s之婚姻（%s）於受胎期間屆滿後始成立，子女係婚前受胎，不受民法第1063條婚生推定；如%s為生父，依民法第1064條生父與生母結婚者視為婚生子女（準正），生父身分須另行確認。", name, span, name)
			e.cite("民法第1064條")
		case m.Start.After(b):
			e.step("與%s之婚姻（%s）成立於子女出生之後，與受胎期間無涉；如%s為生父，得依民法第1064條準正或第1065條認領。", name, span, name)
			e.cite("民法第1064條")
		default:
			e.step("與%s之婚姻（%s）於受胎期間開始（%s）前已消滅，不生婚生推定。", name, span, roc(from))
		}
		res.Marriages = append(res.Marriages, mo)
	}
	res.PresumedLegitimate = len(res.PresumedHusbands) > 0
	res.DualPresumption = len(res.PresumedHusbands) > 1
	switch {
	case res.DualPresumption:
		e.cite("家事事件法第65條")
		e.step("受胎期間與%d段婚姻重疊（%s），發生雙重婚生推定。民法無特別規定，本系統不予判定生父；應依法院裁判（得依家事事件法第65條提起確定母再婚後所生子女生父之訴）或相關證明文件辦理。",
			len(res.PresumedHusbands), strings.Join(res.PresumedHusbands, "、"))
	case res.PresumedLegitimate:
		e.step("結論：推定為%s之婚生子女。", res.PresumedHusbands[0])
	default:
		e.step("結論：受胎期間內生母無婚姻關係，不推定為婚生子女；生父得依民法第1065條認領，或依第1064條與生母結婚而準正。")
		e.cite("民法第1065條")
	}
	res.Steps, res.Articles = e.steps, nonNil(e.articles)
	return res, nil
}
