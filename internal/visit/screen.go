package visit

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"ebazhao/internal/agency"
	"ebazhao/internal/archive"
	"ebazhao/internal/notice"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/seal"
)

// Pending is something still open for the citizen: a fee owed, a deadline
// passed, a notification waiting for a signature, a request to follow up.
type Pending struct {
	Kind   string // fee, deadline, agency, archive, seal
	Label  string
	Detail string
	Amount int64  // NT$, fees only
	Href   string // where it is handled
	Urgent bool   // shown in the warning colour
}

// Activity is one thing done for the citizen during the visit, read back from
// the audit trail (each subsystem records its own actions there).
type Activity struct {
	At     time.Time
	Clock  string // 14:05 (Taipei)
	ISO    string
	Action string
	Label  string
	Detail string
	Href   string
}

// Step is a suggested action for the visit's registration, ticked when done.
type Step struct {
	Key   string // agency, tips, fees, calc, seal, archive, documents
	Label string
	Href  string // a page, when the step is done elsewhere
	Panel string // a panel of the visit screen, when it is done here
	Keys  string // its shortcut
	Done  bool
	Note  string
}

// Screen is what the visit screen shows.
type Screen struct {
	Visit       *Visit
	Person      *person.Person
	Age         int
	Kind        Kind
	HasKind     bool
	Kinds       []Kind
	Seal        *seal.Event // the registration in force today; nil: none, no certificate can be issued
	SealPending bool        // a backdated seal event awaits a supervisor's approval
	SealCerts   []*seal.Certificate
	Pending     []Pending
	PendingFees int64
	Requests    []*archive.Request
	Activity    []Activity
	Receipts    []ReceiptRef
	Steps       []Step
	Palette     []Entry
	Counter     string
	Can         Abilities
	Minutes     int
	Started     string // 14:05, the visit's start (Taipei)
	Today       string
	Panel       string // the panel to open first
}

// Abilities are the actions the user may take (each a permission of its own).
type Abilities struct {
	Agency, Fees, Tips, Docs, Calc, Seal, Archive, Forms, Persons bool
}

func abilities(u *auth.User) Abilities {
	return Abilities{Agency: u.Can(auth.AgencyFile), Fees: u.Can(auth.FeeCollect), Tips: u.Can(auth.TipRead),
		Docs: u.Can(auth.DocumentIssue), Calc: u.Can(auth.CalcUse), Seal: u.Can(auth.SealCompare), Archive: u.Can(auth.ArchiveRead),
		Forms: u.Can(auth.FormRead), Persons: u.Can(auth.PersonWrite)}
}

// ageOn is a person's age in whole years on day.
func ageOn(birth, day civil.Date) int {
	if birth.IsZero() {
		return -1
	}
	a := day.Year() - birth.Year()
	if day.Month() < birth.Month() || (day.Month() == birth.Month() && day.Day() < birth.Day()) {
		a--
	}
	return a
}

// activityLabels names the audited actions that count as work done for the
// citizen (views and searches are left out).
var activityLabels = map[string]string{
	"visit.start":               "開始臨櫃服務",
	"visit.kind":                "設定本次辦理",
	"visit.collect":             "收取規費",
	"visit.end":                 "結束臨櫃服務",
	"person.update":             "修改民眾資料",
	"agency.application.create": "N加e 申請書（待簽名）",
	"agency.application.print":  "列印 N加e 申請書",
	"agency.application.send":   "N加e 通報送出",
	"agency.application.cancel": "N加e 申請書取消",
	"agency.application.scan":   "N加e 簽名申請書掃描",
	"tip.sheet.print":           "列印貼心小叮嚀",
	"form.print":                "列印表單",
	"document.issue":            "開立行政文書",
	"document.amend":            "修改行政文書",
	"document.cancel":           "作廢行政文書",
	"seal.compare":              "印鑑比對",
	"seal.refuse":               "印鑑不符，不予核發",
	"seal.certificate.issue":    "核發印鑑證明",
	"seal.certificate.print":    "列印印鑑證明",
	"seal.certificate.revoke":   "註銷印鑑證明",
	"archive.copy.issue":        "核發申請書影本",
	"archive.request.file":      "申請跨所調閱",
}

// detailShown: the actions whose audit detail reads well on the screen.
var detailShown = map[string]bool{"visit.start": true, "visit.kind": true, "visit.collect": true, "visit.end": true,
	"tip.sheet.print": true, "form.print": true}

// activityOrder fixes the argument order of the activity query (a map's is random).
var activityOrder = func() []string {
	var out []string
	for a := range activityLabels {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}()

// activity reads what the clerk did for the person since the visit started.
func activity(ctx context.Context, q db.Querier, v *Visit, until time.Time) ([]Activity, error) {
	var actions []any
	var marks []string
	for _, a := range activityOrder {
		actions = append(actions, a)
		marks = append(marks, "?")
	}
	// The clerk's own entries since the visit began (index audit_user: a few
	// dozen rows), then this person's among them. A person viewed often has
	// thousands of entries: "|| ''" keeps the planner off the person index.
	args := append([]any{v.ClerkID, db.FormatTime(v.StartedAt.Add(-time.Second)), v.PersonIDNo}, actions...)
	q2 := `SELECT at, action, object_kind, object_id, detail FROM audit_log WHERE user_id = ? AND at >= ? AND (person_id_no || '') = ?
		AND outcome = 'ok' AND action IN (` + strings.Join(marks, ", ") + `)`
	if !until.IsZero() {
		q2 += ` AND at <= ?`
		args = append(args, db.FormatTime(until.Add(time.Second)))
	}
	rows, err := q.Query(ctx, q2+` ORDER BY seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Activity
	for rows.Next() {
		var at, kind, id string
		var a Activity
		if err := rows.Scan(&at, &a.Action, &kind, &id, &a.Detail); err != nil {
			return nil, err
		}
		a.At, a.Label, a.Href = db.ParseTime(at), activityLabels[a.Action], objectHref(kind, id)
		a.Clock, a.ISO = a.At.In(rocdate.Taipei).Format("15:04"), a.At.UTC().Format(time.RFC3339)
		if !detailShown[a.Action] {
			a.Detail = "" // the subsystem's own wording (often for the log); the link says what it is
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// objectHref links an audited object to its page.
func objectHref(kind, id string) string {
	if id == "" {
		return ""
	}
	switch kind {
	case "agency_application":
		return "/agency/applications/" + id
	case "document":
		return "/documents/" + id
	case "seal_certificate":
		return "/seals/certificates/" + id
	case "archive_copy":
		return "/archive/copies/" + id
	case "archive_request":
		return "/archive/requests/" + id
	case "receipt":
		return "/fees/receipts/" + id
	case "form":
		return "/forms/" + id
	}
	return ""
}

// did reports whether the activity holds action.
func did(acts []Activity, action string) bool {
	for _, a := range acts {
		if a.Action == action {
			return true
		}
	}
	return false
}

// build gathers the visit screen from the subsystems; the palette only when
// the whole screen is drawn.
func (h *Handlers) build(ctx context.Context, u *auth.User, v *Visit, withPalette bool) (*Screen, error) {
	now := h.now()
	today := civil.Of(now)
	p, err := h.Persons.ByIDNo(ctx, v.PersonIDNo)
	if err != nil {
		return nil, fmt.Errorf("visit %d person: %w", v.ID, err)
	}
	s := &Screen{Visit: v, Person: p, Age: ageOn(civil.Of(p.BirthDate), today), Kinds: Kinds, Can: abilities(u),
		Minutes: v.Minutes(now), Started: v.StartedAt.In(rocdate.Taipei).Format("15:04"), Today: today.ROCShort()}
	s.Kind, s.HasKind = v.KindInfo()
	if v.CounterID != 0 {
		if c, err := h.Offices.CounterByID(ctx, v.CounterID); err == nil {
			s.Counter = c.Name
		}
	}
	if s.Can.Seal {
		// the seal in force today, by the seal subsystem's one rule (seal.CurrentOn)
		if s.Seal, err = h.Seals.Current(ctx, p.IDNo); err != nil && !errors.Is(err, seal.ErrNotRegistered) {
			return nil, err
		}
		waiting, err := h.Seals.PendingRequests(ctx, p.IDNo)
		if err != nil {
			return nil, err
		}
		for _, q := range waiting {
			s.SealPending = true
			s.Pending = append(s.Pending, Pending{Kind: "seal", Label: "印鑑" + q.Event.KindLabel() + "補登待主管核准",
				Detail: fmt.Sprintf("生效日 %s，%s登錄；核准前不生效，不能核發印鑑證明", civil.Of(q.Event.Date).ROCShort(), q.Event.OfficeName),
				Href:   "/seals/p/" + p.IDNo, Urgent: true})
		}
		certs, err := h.Seals.Certificates(ctx, p.IDNo)
		if err != nil {
			return nil, err
		}
		for _, c := range certs {
			if c.FeeStatus == "due" && c.Status == "issued" {
				pd := Pending{Kind: "fee", Label: "印鑑證明規費待收", Amount: c.FeeAmount,
					Detail: fmt.Sprintf("%s（%d 份）", c.Number, c.Copies), Href: fmt.Sprintf("/seals/certificates/%d", c.ID)}
				if c.OfficeID == v.OfficeID {
					s.PendingFees += c.FeeAmount
				} else {
					pd.Detail += "，應於" + c.OfficeName + "收取"
				}
				s.Pending = append(s.Pending, pd)
			}
		}
		if len(certs) > 3 {
			certs = certs[:3]
		}
		s.SealCerts = certs
	}
	if s.Can.Archive {
		charges, err := h.Archive.PendingChargesFor(ctx, v.OfficeID, p.IDNo)
		if err != nil {
			return nil, err
		}
		for _, c := range charges {
			s.Pending = append(s.Pending, Pending{Kind: "fee", Label: "申請書影本規費待收", Detail: fmt.Sprintf("影本 %s（%d 張）", c.CopyNo, c.Quantity),
				Href: fmt.Sprintf("/archive/copies/%d", c.CopyID)})
		}
		if s.Requests, err = h.Archive.RequestsFor(ctx, v.OfficeID, p.IDNo, 10); err != nil {
			return nil, err
		}
		for _, rq := range s.Requests {
			switch {
			case rq.Status == archive.StatusFulfilled:
				s.Pending = append(s.Pending, Pending{Kind: "archive", Label: "跨所調閱已送達，可核發", Detail: rq.No + " " + rq.ItemLabel,
					Href: fmt.Sprintf("/archive/requests/%d", rq.ID), Urgent: true})
			case rq.Overdue():
				s.Pending = append(s.Pending, Pending{Kind: "archive", Label: "跨所調閱逾期未回覆", Detail: rq.No + " " + rq.OriginalOffice,
					Href: fmt.Sprintf("/archive/requests/%d", rq.ID), Urgent: true})
			}
		}
	}
	if s.Can.Docs {
		docs, err := h.Notices.History(ctx, p.IDNo)
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			if d.Cancelled() || d.Deadline.IsZero() || !d.Deadline.Before(today) || (d.Kind != notice.KindReminder && d.Kind != notice.KindNotice) {
				continue
			}
			if today.DaysSince(d.Deadline) > 365 {
				continue // a deadline long past is history, not a pending matter
			}
			s.Pending = append(s.Pending, Pending{Kind: "deadline", Label: d.KindLabel() + "期限已過",
				Detail: fmt.Sprintf("%s %s，期限 %s", d.DocNo, d.Item, d.Deadline.ROCShort()), Href: fmt.Sprintf("/documents/%d", d.ID), Urgent: true})
		}
	}
	if s.Can.Agency && h.Agency != nil {
		apps, err := h.Agency.ByPerson(ctx, p.IDNo)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			if a.Status == agency.StatusDraft {
				s.Pending = append(s.Pending, Pending{Kind: "agency", Label: "N加e 申請書待簽名送出", Detail: a.No() + " " + a.KindInfo().Short,
					Href: fmt.Sprintf("/agency/applications/%d", a.ID)})
			}
			for _, it := range a.Items {
				if it.Overdue(today) {
					s.Pending = append(s.Pending, Pending{Kind: "agency", Label: "N加e 機關逾期未回報", Detail: it.AgencyName,
						Href: fmt.Sprintf("/agency/applications/%d", a.ID), Urgent: true})
				}
			}
		}
	}
	if s.Activity, err = activity(ctx, h.DB, v, v.EndedAt); err != nil {
		return nil, err
	}
	if s.Receipts, err = h.Store.Receipts(ctx, v.ID); err != nil {
		return nil, err
	}
	s.Steps = steps(s, now)
	if withPalette {
		if s.Palette, err = h.palette(ctx, u, s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// steps suggests the actions that belong with the visit's registration, ticking
// those already done during the visit.
func steps(s *Screen, now time.Time) []Step {
	var out []Step
	k := s.Kind
	if s.HasKind && k.Agency != "" && s.Can.Agency {
		label := "N加e 跨機關通報"
		if ak, ok := agency.KindByCode(k.Agency); ok {
			label += "（" + ak.Short + "）"
			if k.Agency == "birth" {
				label = "新生兒健保卡 N加e 通報"
			}
		}
		st := Step{Key: "agency", Label: label, Panel: "agency?kind=" + k.Agency, Keys: "Alt+K", Done: did(s.Activity, "agency.application.send")}
		if !st.Done && did(s.Activity, "agency.application.create") {
			st.Note = "待民眾簽名後送出"
		}
		out = append(out, st)
	}
	if s.HasKind && s.Can.Calc {
		for _, c := range k.Calcs {
			out = append(out, Step{Key: "calc", Label: calcTitles[c], Href: calcHref(c, now), Keys: "Alt+C"})
		}
	}
	if s.HasKind && k.Seal && s.Can.Seal {
		st := Step{Key: "seal", Label: "印鑑比對、核發印鑑證明", Href: "/seals/p/" + s.Person.IDNo, Keys: "Alt+G",
			Done: did(s.Activity, "seal.certificate.issue")}
		switch {
		case s.Seal == nil:
			st.Label, st.Note = "印鑑登記", "目前沒有有效的登記印鑑，不能核發印鑑證明"
		case s.SealPending:
			st.Note = "有補登待主管核准，核准或駁回前不能核發"
		}
		out = append(out, st)
	}
	if s.HasKind && k.Archive && s.Can.Archive {
		out = append(out, Step{Key: "archive", Label: "查詢申請書影像、核發影本", Href: archiveHref(s.Person.IDNo), Keys: "Alt+A",
			Done: did(s.Activity, "archive.copy.issue")})
	}
	if s.HasKind && k.Tips != "" && s.Can.Tips {
		out = append(out, Step{Key: "tips", Label: "貼心小叮嚀：" + k.Short, Panel: "tips?cat=" + k.Tips, Keys: "Alt+T",
			Done: did(s.Activity, "tip.sheet.print")})
	}
	if s.Can.Fees {
		st := Step{Key: "fees", Label: "收取規費（一張收據）", Panel: "fees", Keys: "Alt+F", Done: len(s.Receipts) > 0}
		if s.PendingFees > 0 {
			st.Note = fmt.Sprintf("待收 %d 元", s.PendingFees)
		}
		out = append(out, st)
	}
	return out
}

// archiveHref searches the archived applications of a person.
func archiveHref(idNo string) string { return "/archive?id_no=" + idNo + "&go=1" }
