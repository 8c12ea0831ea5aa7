package legal

import (
	"strings"

	"ebazhao/internal/platform/civil"
)

// DeadlineRequest is the input of the `deadline` kind.
type DeadlineRequest struct {
	Registration string `json:"registration"`
	Basis        string `json:"basis,omitempty"`
	EventDate    Date   `json:"event_date"`
	// Law forces the law version ("old" or "new"); empty chooses by the event date.
	Law string `json:"law,omitempty"`
}

// DeadlineResult is the result of the `deadline` kind: the legal application period
// (法定申辦期間) of a registration.
type DeadlineResult struct {
	Registration    string   `json:"registration"`
	Basis           string   `json:"basis"`
	EventDate       Date     `json:"event_date"`
	Law             string   `json:"law"`
	LawName         string   `json:"law_name"`
	DeadlineApplies bool     `json:"deadline_applies"`
	Period          string   `json:"period,omitempty"`
	ThreeMonthsEnd  *Date    `json:"three_months_end,omitempty"`
	RawEnd          Date     `json:"raw_end"`
	Deadline        Date     `json:"deadline"`
	Extended        bool     `json:"extended"`
	MorningOnly     bool     `json:"morning_only"`
	CalendarVersion string   `json:"calendar_version"`
	Warnings        []string `json:"warnings,omitempty"`
	Steps           []string `json:"steps"`
	Articles        []string `json:"articles"`
}

// Deadline computes the legal deadline of a registration whose event happened on
// event; law "" chooses the law version by the event date.
func Deadline(cal *Calendar, registration, basis string, event civil.Date, law string) (*DeadlineResult, error) {
	return DeadlineCalc(Options{Calendar: cal}, DeadlineRequest{Registration: registration, Basis: basis, EventDate: D(event), Law: law})
}

func normalizeLaw(s string) (string, error) {
	switch strings.TrimSpace(strings.ToLower(s)) {
	case "":
		return "", nil
	case "old", "舊法", "86":
		return LawOld, nil
	case "new", "新法", "97":
		return LawNew, nil
	}
	return "", inputErr("law", "適用法律「%s」不明：可用 old（舊法，97年5月30日前事件）或 new（新法）", s)
}

// DeadlineCalc is the `deadline` kind.
func DeadlineCalc(opts Options, in DeadlineRequest) (*DeadlineResult, error) {
	var e explain
	res, err := deadline(&e, opts.calendar(), in)
	if err != nil {
		return nil, err
	}
	res.Steps, res.Articles, res.Warnings = e.steps, nonNil(e.articles), e.warnings
	return res, nil
}

// deadline computes into e (shared with Fine, which adds its own steps after).
func deadline(e *explain, cal *Calendar, in DeadlineRequest) (*DeadlineResult, error) {
	reg, basis, err := lookupRegistration(in.Registration, in.Basis)
	if err != nil {
		return nil, err
	}
	if err := need(in.EventDate, "event_date", "事件發生（確定）日"); err != nil {
		return nil, err
	}
	lawID, err := normalizeLaw(in.Law)
	if err != nil {
		return nil, err
	}
	event := in.EventDate.Date
	byDate := lawFor(event)
	law := byDate
	if lawID != "" {
		law, _ = lawByID(lawID)
	}
	eff, distinguished := reg.effectiveBasis(basis)
	res := &DeadlineResult{
		Registration:    reg.Name,
		Basis:           eff,
		EventDate:       D(event),
		Law:             law.ID,
		LawName:         law.Name,
		CalendarVersion: cal.Version(),
	}
	title := reg.Name
	if eff != "" {
		title += "（" + eff + "）"
	}
	if basis != "" && !distinguished && basis != "故意不實申請" {
		e.step("登記依據「%s」對%s之申請期間無不同規定，依一般規定計算。", basis, reg.Name)
	}
	switch {
	case lawID != "" && law.ID != byDate.ID:
		e.step("登記項目：%s。依指定適用%s（事件發生日%s依日期應適用%s）。", title, law.Name, roc(event), byDate.Name)
	case law.ID == LawOld:
		e.step("登記項目：%s。事件發生日%s在97年5月30日新戶籍法施行前，適用%s：申請期間一律30日（行政罰法第5條從新從輕，舊法較有利）。", title, roc(event), law.Name)
		e.cite("行政罰法第5條")
	default:
		e.step("登記項目：%s。事件發生日%s，適用%s。", title, roc(event), law.Name)
	}
	if law.ID == LawOld && event.Before(law.inForce) {
		e.warn("事件發生於86年戶籍法施行日（86年5月23日）前，期間仍以30日推算，請查核當時法規。")
	}
	p, ok := reg.period(law.ID, eff, event)
	if !ok {
		return nil, inputErr("registration", "%s（%s）於%s無申請期間規定資料", reg.Name, eff, law.Name)
	}
	e.cite(p.Articles...)
	if p.NoDeadline {
		res.DeadlineApplies = false
		e.step("%s", p.Reason)
		e.step("結論：%s無法定申請期間，不生逾期問題。", title)
		return res, nil
	}
	res.DeadlineApplies = true
	res.Period = p.period.String()
	if reg.Moving {
		e.step("%s：遷徙三個月以上始應為登記（%s），應於三個月屆滿後30日內申請（%s），合計「3個月又30日」。",
			reg.Name, p.Articles[0], strings.Join(p.Articles[1:], "、"))
	} else {
		e.step("%s應於%s後%s內申請（%s）。", reg.Name, p.Event, p.period.String(), strings.Join(p.Articles, "、"))
	}
	pr, err := addPeriod(cal, event, p.period, rollAdministrative, p.Event)
	if err != nil {
		return nil, err
	}
	e.steps = append(e.steps, pr.Steps...)
	e.cite(pr.Articles...)
	e.warnings = append(e.warnings, pr.Warnings...)
	res.RawEnd, res.Deadline, res.Extended, res.MorningOnly = pr.RawEnd, pr.Deadline, pr.Extended, pr.MorningOnly
	noon := ""
	if pr.MorningOnly {
		noon = "上午"
	}
	e.step("結論：%s應於%s%s以前申請；逾期申請者戶政事務所仍應受理（戶籍法第48條第2項）。", title, rocW(pr.Deadline.Date), noon)
	if reg.Moving && pr.MonthsEnd != nil {
		res.ThreeMonthsEnd = pr.MonthsEnd
	}
	if law.ID == LawOld {
		newLaw, _ := lawByID(LawNew)
		np, ok := reg.period(LawNew, eff, event)
		if !res.RawEnd.Before(newLaw.inForce) && ok && (np.NoDeadline || np.period != p.period) {
			alt := "無申請期間"
			if !np.NoDeadline {
				alt = np.period.String()
			}
			e.warn("事件發生於新法施行前，而舊法期間末日在新法施行（97年5月30日）後；新法期間為%s，新舊法如何適用無明確規定，請承辦人審酌。", alt)
		}
	}
	return res, nil
}
