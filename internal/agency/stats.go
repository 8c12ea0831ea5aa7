package agency

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"ebazhao/internal/platform/civil"
)

// Overdue is a released item its agency has not acknowledged within its agreed days.
type Overdue struct {
	*Item
	ApplicationNo string
	SubjectName   string
	SubjectIDNo   string
	OfficeName    string
	ClerkName     string
	DaysLate      int
}

// Overdue lists overdue items, oldest due first; officeID 0 means city-wide.
func (s *Service) Overdue(ctx context.Context, officeID int64, limit int) ([]*Overdue, error) {
	today := s.today()
	q := `SELECT ` + itemCols + `, ap.roc_year, o.district, ap.number, ap.subject_name, ap.subject_id_no, o.name, u.display_name` + itemFrom + `
		JOIN offices o ON o.id = ap.office_id JOIN users u ON u.id = ap.clerk_id
		WHERE i.acked_at = '' AND i.seq IS NOT NULL AND i.due_day < ?`
	args := []any{today}
	if officeID != 0 {
		// Unary plus keeps the planner on the small partial index of open,
		// overdue items instead of walking every application of the office.
		q += ` AND +ap.office_id = ?`
		args = append(args, officeID)
	}
	q += ` ORDER BY i.due_day, i.id LIMIT ?`
	rows, err := s.DB.Query(ctx, q, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Overdue
	for rows.Next() {
		var o Overdue
		var year int
		var district string
		var number int64
		o.Item, err = scanItem(scanFunc(func(dest ...any) error {
			return rows.Scan(append(dest, &year, &district, &number, &o.SubjectName, &o.SubjectIDNo, &o.OfficeName, &o.ClerkName)...)
		}))
		if err != nil {
			return nil, err
		}
		o.ApplicationNo = ApplicationNo(year, district, number)
		if !o.DueDay.IsZero() {
			o.DaysLate = today.DaysSince(o.DueDay)
		}
		out = append(out, &o)
	}
	return out, rows.Err()
}

// Group-by keys of the statistics.
var StatsGroups = []struct{ Key, Label string }{
	{"agency", "機關"}, {"category", "機關類別"}, {"office", "戶政事務所"}, {"clerk", "承辦人"}, {"month", "月份"}, {"year", "年度"}, {"kind", "異動類別"},
}

// StatsFilter selects the items counted: applications sent From..To (days,
// inclusive), of one office or city-wide (OfficeID 0).
type StatsFilter struct {
	From, To civil.Date
	OfficeID int64
	GroupBy  string
}

// StatsRow is one line of the statistics (表 7: 份數 and 件數).
type StatsRow struct {
	Key          string
	Applications int // 份數: applications (one citizen visit each)
	Items        int // 件數: notifications to agencies
	Delivered    int
	Applied      int
	Rejected     int
	Overdue      int
	// Lags in hours from release: mean and 90th percentile.
	DeliveryMean, DeliveryP90 float64
	AckMean, AckP90           float64
	// Savings estimated by 表 7's formulas (per application).
	SavedHours float64
	SavedNTD   int64
}

// Figures behind 表 7's estimate (算式說明): each application saves the citizen
// about 5.5 hours and NT$350 of trips to the agencies.
const (
	SavedHoursPerApplication = 5.5
	SavedNTDPerApplication   = 350
)

type agg struct {
	row      StatsRow
	apps     map[int64]bool
	delivery []float64
	ack      []float64
}

// Stats counts items and applications by the filter's grouping, with a total.
func (s *Service) Stats(ctx context.Context, f StatsFilter) ([]StatsRow, StatsRow, error) {
	if f.To.Before(f.From) {
		return nil, StatsRow{}, errors.New("迄日不可早於起日")
	}
	if f.To.DaysSince(f.From) > 3*366 {
		return nil, StatsRow{}, errors.New("查詢期間最長三年")
	}
	if f.GroupBy == "" {
		f.GroupBy = "agency"
	}
	valid := false
	for _, g := range StatsGroups {
		valid = valid || g.Key == f.GroupBy
	}
	if !valid {
		return nil, StatsRow{}, fmt.Errorf("不支援的分組 %q", f.GroupBy)
	}
	q := `SELECT ap.id, o.name, u.display_name, ap.sent_day, ap.kind, g.name, g.sort_order, c.name, c.sort_order, i.released_at,
		i.delivered_at, i.acked_at, i.result, i.due_day
		FROM agency_items i JOIN agency_applications ap ON ap.id = i.application_id JOIN agencies g ON g.id = i.agency_id
		JOIN agency_categories c ON c.id = g.category_id JOIN offices o ON o.id = ap.office_id JOIN users u ON u.id = ap.clerk_id
		WHERE ap.status = 'sent' AND ap.sent_day >= ? AND ap.sent_day <= ?`
	args := []any{f.From, f.To}
	if f.OfficeID != 0 {
		q += ` AND ap.office_id = ?`
		args = append(args, f.OfficeID)
	}
	rows, err := s.DB.Query(ctx, q, args...)
	if err != nil {
		return nil, StatsRow{}, err
	}
	defer rows.Close()
	today := s.today()
	groups := map[string]*agg{}
	order := map[string]int{}
	total := &agg{apps: map[int64]bool{}}
	for rows.Next() {
		var appID int64
		var office, clerk, kind, agencyName, catName, released, delivered, acked, result string
		var sentDay, due civil.Date
		var agencySort, catSort int
		if err := rows.Scan(&appID, &office, &clerk, &sentDay, &kind, &agencyName, &agencySort, &catName, &catSort, &released,
			&delivered, &acked, &result, &due); err != nil {
			return nil, StatsRow{}, err
		}
		var key string
		var ord int
		switch f.GroupBy {
		case "agency":
			key, ord = agencyName, catSort*100000+agencySort
		case "category":
			key, ord = catName, catSort
		case "office":
			key = office
		case "clerk":
			key = clerk + "（" + office + "）"
		case "month":
			key = rocMonth(sentDay)
			ord = dayOrder(sentDay) / 100
		case "year":
			key = rocYearOf(sentDay)
			ord = dayOrder(sentDay) / 10000
		case "kind":
			k, _ := KindByCode(kind)
			key = k.Name
			for i, kk := range Kinds {
				if kk.Code == kind {
					ord = i
				}
			}
		}
		g := groups[key]
		if g == nil {
			g = &agg{row: StatsRow{Key: key}, apps: map[int64]bool{}}
			groups[key] = g
			order[key] = ord
		}
		for _, a := range []*agg{g, total} {
			a.apps[appID] = true
			a.row.Items++
			rel := parseTime(released)
			if delivered != "" {
				a.row.Delivered++
				a.delivery = append(a.delivery, parseTime(delivered).Sub(rel).Hours())
			}
			if acked != "" {
				a.ack = append(a.ack, parseTime(acked).Sub(rel).Hours())
			}
			switch result {
			case "applied":
				a.row.Applied++
			case "rejected":
				a.row.Rejected++
			case "":
				if due.Before(today) {
					a.row.Overdue++
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, StatsRow{}, err
	}
	var out []StatsRow
	for _, g := range groups {
		out = append(out, g.finish())
	}
	sort.Slice(out, func(i, j int) bool {
		oi, oj := order[out[i].Key], order[out[j].Key]
		if oi != oj {
			return oi < oj
		}
		return out[i].Key < out[j].Key
	})
	return out, total.finish(), nil
}

func (a *agg) finish() StatsRow {
	r := a.row
	r.Applications = len(a.apps)
	r.DeliveryMean, r.DeliveryP90 = meanP90(a.delivery)
	r.AckMean, r.AckP90 = meanP90(a.ack)
	r.SavedHours = float64(r.Applications) * SavedHoursPerApplication
	r.SavedNTD = int64(r.Applications) * SavedNTDPerApplication
	return r
}

func meanP90(v []float64) (float64, float64) {
	if len(v) == 0 {
		return 0, 0
	}
	sort.Float64s(v)
	var sum float64
	for _, x := range v {
		sum += x
	}
	idx := (len(v)*9+9)/10 - 1 // nearest-rank 90th percentile
	return sum / float64(len(v)), v[idx]
}

// dayOrder is YYYYMMDD as a number.
func dayOrder(d civil.Date) int {
	if d.IsZero() {
		return 0
	}
	return d.Year()*10000 + int(d.Month())*100 + d.Day()
}

func rocMonth(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%02d月", d.ROCYear(), int(d.Month()))
}

func rocYearOf(d civil.Date) string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年", d.ROCYear())
}
