package legal

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"ebazhao/internal/platform/civil"
)

// Law versions of 戶籍法 for deadlines and fines.
const (
	LawOld = "old" // 86年版 (1997-05-23 … 2008-05-29): 30日 for every kind; 第53條
	LawNew = "new" // 97年版 (2008-05-30 →): birth 60日; 第79條
)

//go:embed data/registrations.json
var registrationsJSON []byte

//go:embed data/fines.json
var finesJSON []byte

type lawVersion struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Promulgated string `json:"promulgated"`
	InForce     string `json:"in_force"`
	Until       string `json:"until"`
	inForce     civil.Date
}

type periodRule struct {
	Law        string   `json:"law"`
	Bases      []string `json:"bases"`
	EventFrom  string   `json:"event_from"`
	EventTo    string   `json:"event_to"`
	Period     string   `json:"period"`
	NoDeadline bool     `json:"no_deadline"`
	Event      string   `json:"event"`
	Reason     string   `json:"reason"`
	Articles   []string `json:"articles"`
	period     Period
	from, to   civil.Date
}

type directRule struct {
	Mode    string   `json:"mode"` // after_reminder | without_reminder
	Bases   []string `json:"bases"`
	Article string   `json:"article"`
}

type registrationRule struct {
	Name         string       `json:"name"`
	Code         string       `json:"code"`
	Applicant    string       `json:"applicant"`
	DefaultBasis string       `json:"default_basis"`
	Bases        []string     `json:"bases"`
	Moving       bool         `json:"moving"`
	Periods      []periodRule `json:"periods"`
	Direct       []directRule `json:"direct"`
}

type registrationData struct {
	Version       string             `json:"version"`
	Laws          []lawVersion       `json:"laws"`
	AllBases      []string           `json:"bases"`
	DirectSince   string             `json:"direct_since"`
	Provisions    map[string]string  `json:"provisions"`
	Registrations []registrationRule `json:"registrations"`
	byName        map[string]*registrationRule
}

type statuteRange struct {
	Article string `json:"article"`
	Min     int    `json:"min"`
	Max     int    `json:"max"`
	Text    string `json:"text"`
}

type fineStatute struct {
	Law              string       `json:"law"`
	Name             string       `json:"name"`
	Late             statuteRange `json:"late"`
	Reminded         statuteRange `json:"reminded"`
	FalseApplication statuteRange `json:"false_application"`
}

type fineData struct {
	Version   string         `json:"version"`
	Statutes  []fineStatute  `json:"statutes"`
	Standards []FineStandard `json:"standards"`
}

type ruleSet struct {
	reg   registrationData
	fines fineData
}

var loadRules = sync.OnceValues(func() (*ruleSet, error) {
	var rs ruleSet
	if err := json.Unmarshal(registrationsJSON, &rs.reg); err != nil {
		return nil, fmt.Errorf("registrations.json: %w", err)
	}
	if err := json.Unmarshal(finesJSON, &rs.fines); err != nil {
		return nil, fmt.Errorf("fines.json: %w", err)
	}
	for i := range rs.reg.Laws {
		l := &rs.reg.Laws[i]
		t, err := civil.ParseISO(l.InForce)
		if err != nil {
			return nil, fmt.Errorf("law %s: %w", l.ID, err)
		}
		l.inForce = t
	}
	rs.reg.byName = map[string]*registrationRule{}
	for i := range rs.reg.Registrations {
		r := &rs.reg.Registrations[i]
		rs.reg.byName[r.Name] = r
		for j := range r.Periods {
			p := &r.Periods[j]
			if !p.NoDeadline {
				pp, err := ParsePeriod(p.Period)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", r.Name, err)
				}
				p.period = pp
			}
			var err error
			if p.EventFrom != "" {
				if p.from, err = civil.ParseISO(p.EventFrom); err != nil {
					return nil, err
				}
			}
			if p.EventTo != "" {
				if p.to, err = civil.ParseISO(p.EventTo); err != nil {
					return nil, err
				}
			}
		}
		for _, d := range r.Direct {
			if _, ok := rs.reg.Provisions[d.Article]; !ok {
				return nil, fmt.Errorf("%s: unknown provision %s", r.Name, d.Article)
			}
		}
	}
	for _, s := range rs.fines.Standards {
		if err := rs.validateStandard(s); err != nil {
			return nil, fmt.Errorf("fines.json: %w", err)
		}
	}
	return &rs, nil
})

func rules() *ruleSet {
	rs, err := loadRules()
	if err != nil {
		panic("legal: embedded rules: " + err.Error())
	}
	return rs
}

// RegistrationInfo describes a registration kind for menus.
type RegistrationInfo struct {
	Name         string   `json:"name"`
	Code         string   `json:"code"`
	Applicant    string   `json:"applicant"`
	Period       string   `json:"period"` // under the current law; "" when none
	Bases        []string `json:"bases"`
	DefaultBasis string   `json:"default_basis"`
}

// Registrations lists the registration kinds with their Chinese names, in the order
// of 戶籍法.
func Registrations(on civil.Date) []RegistrationInfo {
	rs := rules()
	out := make([]RegistrationInfo, 0, len(rs.reg.Registrations))
	for _, r := range rs.reg.Registrations {
		info := RegistrationInfo{Name: r.Name, Code: r.Code, Applicant: r.Applicant, DefaultBasis: r.DefaultBasis}
		for _, b := range r.Bases {
			if b != "" {
				info.Bases = append(info.Bases, b)
			}
		}
		if p, ok := r.period(LawNew, r.DefaultBasis, on); ok && !p.NoDeadline {
			info.Period = p.Period
		}
		out = append(out, info)
	}
	return out
}

// RegistrationNames lists the canonical registration names.
func RegistrationNames() []string {
	var out []string
	for _, r := range rules().reg.Registrations {
		out = append(out, r.Name)
	}
	return out
}

// Bases lists the accepted `basis` qualifiers.
func Bases() []string { return slices.Clone(rules().reg.AllBases) }

// lookupRegistration finds a registration by its canonical name (a missing 「登記」
// suffix is tolerated) and checks the basis.
func lookupRegistration(name, basis string) (*registrationRule, string, error) {
	rs := rules()
	n := strings.TrimSpace(name)
	if n == "" {
		return nil, "", inputErr("registration", "缺少登記項目（欄位 registration），可用：%s", strings.Join(RegistrationNames(), "、"))
	}
	r, ok := rs.reg.byName[n]
	if !ok {
		r, ok = rs.reg.byName[n+"登記"]
	}
	if !ok && n == "遷徙登記" {
		r, ok = rs.reg.byName["遷入登記"]
	}
	if !ok {
		return nil, "", inputErr("registration", "登記項目「%s」不明，可用：%s", name, strings.Join(RegistrationNames(), "、"))
	}
	b := strings.TrimSpace(basis)
	if b != "" && !slices.Contains(rs.reg.AllBases, b) {
		return nil, "", inputErr("basis", "登記依據「%s」不明，可用：%s", basis, strings.Join(rs.reg.AllBases, "、"))
	}
	return r, b, nil
}

// effectiveBasis is the basis the period and direct rules use: the given one when
// the registration distinguishes it, else the registration's default.
func (r *registrationRule) effectiveBasis(b string) (string, bool) {
	if b == "" || b == "故意不實申請" {
		return r.DefaultBasis, b == ""
	}
	if len(r.Bases) == 0 || !slices.Contains(r.Bases, b) {
		return r.DefaultBasis, false
	}
	return b, true
}

func matchBasis(list []string, b string) bool {
	return len(list) == 0 || slices.Contains(list, b)
}

// period finds the period rule for the law version, basis and event date.
func (r *registrationRule) period(law, basis string, event civil.Date) (*periodRule, bool) {
	for i := range r.Periods {
		p := &r.Periods[i]
		if p.Law != "" && p.Law != law {
			continue
		}
		if !matchBasis(p.Bases, basis) {
			continue
		}
		if !p.from.IsZero() && event.Before(p.from) {
			continue
		}
		if !p.to.IsZero() && event.After(p.to) {
			continue
		}
		return p, true
	}
	return nil, false
}

func (r *registrationRule) direct(basis string) (directRule, bool) {
	for _, d := range r.Direct {
		if matchBasis(d.Bases, basis) {
			return d, true
		}
	}
	return directRule{}, false
}

// lawFor is the law version for an event date: 86年版 before 2008-05-30.
func lawFor(event civil.Date) *lawVersion {
	laws := rules().reg.Laws
	cur := &laws[0]
	for i := range laws {
		if !event.Before(laws[i].inForce) {
			cur = &laws[i]
		}
	}
	return cur
}

func lawByID(id string) (*lawVersion, bool) {
	laws := rules().reg.Laws
	for i := range laws {
		if laws[i].ID == id {
			return &laws[i], true
		}
	}
	return nil, false
}

func (rs *ruleSet) statute(law string) fineStatute {
	for _, s := range rs.fines.Statutes {
		if s.Law == law {
			return s
		}
	}
	return rs.fines.Statutes[len(rs.fines.Statutes)-1]
}
