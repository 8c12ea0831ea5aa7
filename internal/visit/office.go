package visit

import (
	"context"
	"net/http"
	"sort"
	"time"

	"ebazhao/internal/fee"
	"ebazhao/internal/notice"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/web"
	"ebazhao/internal/rating"
)

// The supervisor's view of the office today (主管：本所今日): open visits,
// receipts, documents, ratings, alarms and overdue requests, refreshed by the
// page itself every 12 seconds. Each figure comes from its subsystem's own query.

// VisitRow is a visit as the supervisor sees it (the ID number masked).
type VisitRow struct {
	*Visit
	Counter string
	Masked  string
	Minutes int
	Clock   string
	KindTxt string
}

// OfficeToday is the data of the supervisor view.
type OfficeToday struct {
	Office         string
	Day            civil.Date
	Updated        time.Time
	UpdatedClock   string
	Open           []VisitRow
	Visits         int
	Closed         int
	AvgMinutes     float64
	Receipts       int
	ReceiptTotal   int64
	Voided         int
	RecentReceipts []ReceiptRow
	Documents      int
	DocsByKind     []KindCount
	RecentDocs     []*notice.Document
	Rating         rating.Row
	Alerts         []AlertRow
	ArchiveOverdue int
	ArchiveOpen    int
	ArchiveReady   int
	AgencyOverdue  int
	Poll           int // seconds between refreshes
}

// ReceiptRow is a receipt of the day with its time of day.
type ReceiptRow struct {
	*fee.Receipt
	Clock string
}

// AlertRow is an alarm with its time of day.
type AlertRow struct {
	rating.Alert
	Clock string
}

func clock(t time.Time) string { return t.In(rocdate.Taipei).Format("15:04") }

// KindCount is a count with its label.
type KindCount struct {
	Label string
	N     int
}

// maskID keeps the letter and the last three digits: enough to tell two
// citizens apart on a screen others may see, not enough to identify one.
func maskID(id string) string {
	if len(id) != 10 {
		return id
	}
	return id[:1] + "******" + id[7:]
}

func (h *Handlers) officeToday(ctx context.Context, officeID int64, officeName string) (*OfficeToday, error) {
	now := h.now()
	today := civil.Of(now)
	o := &OfficeToday{Office: officeName, Day: today, Updated: now, UpdatedClock: now.In(rocdate.Taipei).Format("15:04:05"), Poll: 12}
	rows, err := h.DB.Query(ctx, `SELECT `+visitCols+` FROM visits WHERE office_id = ? AND day = ? ORDER BY id`, officeID, today)
	if err != nil {
		return nil, err
	}
	counters := map[int64]string{}
	if cs, err := h.Offices.Counters(ctx, officeID); err == nil {
		for _, c := range cs {
			counters[c.ID] = c.Name
		}
	}
	var minutes float64
	for rows.Next() {
		v, err := scanVisit(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		o.Visits++
		if v.Open() {
			row := VisitRow{Visit: v, Counter: counters[v.CounterID], Masked: maskID(v.PersonIDNo), Minutes: v.Minutes(now), Clock: clock(v.StartedAt)}
			if k, ok := v.KindInfo(); ok {
				row.KindTxt = k.Short
			}
			o.Open = append(o.Open, row)
		} else {
			o.Closed++
			minutes += v.EndedAt.Sub(v.StartedAt).Minutes()
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if o.Closed > 0 {
		o.AvgMinutes = minutes / float64(o.Closed)
	}
	sort.Slice(o.Open, func(i, j int) bool { return o.Open[i].StartedAt.Before(o.Open[j].StartedAt) })

	receipts, err := h.Fees.List(ctx, fee.ListFilter{OfficeID: officeID, Day: today})
	if err != nil {
		return nil, err
	}
	for _, r := range receipts {
		if r.Voided() {
			o.Voided++
			continue
		}
		o.Receipts++
		o.ReceiptTotal += r.Total
	}
	for i := len(receipts) - 1; i >= 0 && len(o.RecentReceipts) < 6; i-- {
		o.RecentReceipts = append(o.RecentReceipts, ReceiptRow{Receipt: receipts[i], Clock: clock(receipts[i].CreatedAt)})
	}

	docs, err := h.Notices.List(ctx, notice.Filter{OfficeID: officeID, From: today, To: today, Limit: 500})
	if err != nil {
		return nil, err
	}
	byKind := map[string]int{}
	for _, d := range docs {
		if d.Cancelled() {
			continue
		}
		o.Documents++
		byKind[d.KindLabel()]++
	}
	for _, k := range notice.Kinds() {
		if n := byKind[k.Label]; n > 0 {
			o.DocsByKind = append(o.DocsByKind, KindCount{Label: k.Label, N: n})
		}
	}
	if len(docs) > 6 {
		docs = docs[:6]
	}
	o.RecentDocs = docs

	if h.Rating != nil {
		stats, err := h.Rating.Stats(ctx, rating.Filter{OfficeID: officeID, From: today, To: today, GroupBy: "day"})
		if err != nil {
			return nil, err
		}
		for _, r := range stats {
			o.Rating = r
		}
		alerts, err := h.Rating.Alerts(ctx, officeID, true)
		if err != nil {
			return nil, err
		}
		for _, a := range alerts {
			o.Alerts = append(o.Alerts, AlertRow{Alert: a, Clock: clock(a.CreatedAt)})
		}
	}
	counts, err := h.Archive.OfficeCounts(ctx, officeID)
	if err != nil {
		return nil, err
	}
	o.ArchiveOverdue, o.ArchiveOpen, o.ArchiveReady = counts.IncomingOverdue, counts.IncomingOpen, counts.ReadyToIssue
	if h.Agency != nil {
		od, err := h.Agency.Overdue(ctx, officeID, 1000)
		if err != nil {
			return nil, err
		}
		o.AgencyOverdue = len(od)
	}
	return o, nil
}

func (h *Handlers) officePage(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	o, err := h.officeToday(r.Context(), u.OfficeID, u.OfficeName)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "visit_office", "本所今日", o)
}

func (h *Handlers) officeLive(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	o, err := h.officeToday(r.Context(), u.OfficeID, u.OfficeName)
	if err != nil {
		return err
	}
	return h.Kit.RenderFragment(w, r, "visit_office", "live", o)
}
