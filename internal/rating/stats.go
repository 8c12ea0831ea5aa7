package rating

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// Alert is a dissatisfaction alarm.
type Alert struct {
	ID          int64
	Level       int
	OfficeID    int64
	CounterName string
	ClerkName   string
	TriggerKind string
	CreatedAt   time.Time
	AckedBy     string
	AckedAt     time.Time
	ActionNote  string
}

// Alerts lists an office's alarms, unacknowledged first, then the latest 50.
func (s *Service) Alerts(ctx context.Context, officeID int64, onlyOpen bool) ([]Alert, error) {
	q := `SELECT a.id, r.level, a.office_id, c.name, u.display_name, r.trigger_kind, a.created_at, COALESCE(ak.display_name, ''), a.acked_at, a.action_note
		FROM rating_alerts a JOIN ratings r ON r.id = a.rating_id JOIN counters c ON c.id = r.counter_id JOIN users u ON u.id = r.clerk_id
		LEFT JOIN users ak ON ak.id = a.acked_by WHERE a.office_id = ?`
	if onlyOpen {
		q += ` AND a.acked_at = ''`
	}
	rows, err := s.DB.Query(ctx, q+` ORDER BY (a.acked_at = '') DESC, a.id DESC LIMIT 50`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Alert
	for rows.Next() {
		var a Alert
		var created, acked string
		if err := rows.Scan(&a.ID, &a.Level, &a.OfficeID, &a.CounterName, &a.ClerkName, &a.TriggerKind, &created, &a.AckedBy, &acked, &a.ActionNote); err != nil {
			return nil, err
		}
		a.CreatedAt = db.ParseTime(created)
		if acked != "" {
			a.AckedAt = db.ParseTime(acked)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// LevelLabel of the alert.
func (a Alert) LevelLabel() string { return LevelLabel(a.Level) }

// Ack records that a supervisor handled an alarm (馬上解決) and what was done.
func (s *Service) Ack(ctx context.Context, u *auth.User, alertID int64, note string) error {
	var office int64
	if err := s.DB.QueryRow(ctx, `SELECT office_id FROM rating_alerts WHERE id = ?`, alertID).Scan(&office); err == nil && office != u.OfficeID {
		return ErrOtherOffice
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return fmt.Errorf("請填寫處理情形")
	}
	res, err := s.DB.Exec(ctx, `UPDATE rating_alerts SET acked_by = ?, acked_at = ?, action_note = ? WHERE id = ? AND office_id = ? AND acked_at = ''`,
		u.ID, db.FormatTime(s.Now()), note, alertID, u.OfficeID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("此警示不存在、非本所或已處理")
	}
	s.Hub.Publish(Event{Kind: "alert", OfficeID: u.OfficeID})
	return nil
}

// ErrOtherOffice refuses an alert of another office: each office's supervisor handles its own.
var ErrOtherOffice = errors.New("非本所之不滿意警示，無權處理")

// Filter selects ratings for statistics.
type Filter struct {
	OfficeID int64      // 0: city-wide
	From, To civil.Date // zero: open
	GroupBy  string     // office, counter, clerk, kind, day, month
}

// Row is one line of the statistics.
type Row struct {
	Key          string
	Transactions int64 // windows opened
	Ratings      int64
	ByLevel      [6]int64 // index = level
}

// ResponseRate is ratings ÷ transactions in percent.
func (r Row) ResponseRate() float64 {
	if r.Transactions == 0 {
		return 0
	}
	return 100 * float64(r.Ratings) / float64(r.Transactions)
}

// Satisfied is the share of 滿意 and 非常滿意 among ratings, in percent.
func (r Row) Satisfied() float64 {
	if r.Ratings == 0 {
		return 0
	}
	return 100 * float64(r.ByLevel[4]+r.ByLevel[5]) / float64(r.Ratings)
}

// Average is the mean level (1–5).
func (r Row) Average() float64 {
	if r.Ratings == 0 {
		return 0
	}
	var sum int64
	for l := 1; l <= 5; l++ {
		sum += int64(l) * r.ByLevel[l]
	}
	return float64(sum) / float64(r.Ratings)
}

var groupExprs = map[string]struct{ windows, ratings string }{
	"office":  {"o.name", "o.name"},
	"counter": {"o.name || ' ' || c.name", "o.name || ' ' || c.name"},
	"clerk":   {"u.display_name || '（' || u.username || '）'", "u.display_name || '（' || u.username || '）'"},
	"kind":    {"w.trigger_kind", "r.trigger_kind"},
	"day":     {"w.day", "r.day"},
	"month":   {"substr(w.day, 1, 7)", "substr(r.day, 1, 7)"},
}

// GroupBys lists the statistics groupings with their labels.
var GroupBys = []struct{ Key, Label string }{
	{"day", "日"}, {"month", "月"}, {"counter", "櫃檯"}, {"clerk", "承辦人"}, {"kind", "業務種類"}, {"office", "戶所"},
}

// Stats aggregates windows and ratings. Both queries group in the database on
// indexed columns, so a city's year is summed without reading every row here.
func (s *Service) Stats(ctx context.Context, f Filter) ([]Row, error) {
	g, ok := groupExprs[f.GroupBy]
	if !ok {
		return nil, fmt.Errorf("unknown grouping %q", f.GroupBy)
	}
	where := func(alias string) (string, []any) {
		var conds []string
		var args []any
		if f.OfficeID != 0 {
			conds, args = append(conds, alias+".office_id = ?"), append(args, f.OfficeID)
		}
		if !f.From.IsZero() {
			conds, args = append(conds, alias+".day >= ?"), append(args, f.From)
		}
		if !f.To.IsZero() {
			conds, args = append(conds, alias+".day <= ?"), append(args, f.To)
		}
		if len(conds) == 0 {
			return "", nil
		}
		return " WHERE " + strings.Join(conds, " AND "), args
	}
	rows := map[string]*Row{}
	get := func(k string) *Row {
		if rows[k] == nil {
			rows[k] = &Row{Key: k}
		}
		return rows[k]
	}
	wWhere, wArgs := where("w")
	rs, err := s.DB.Query(ctx, `SELECT `+g.windows+`, COUNT(*) FROM rating_windows w JOIN offices o ON o.id = w.office_id
		JOIN counters c ON c.id = w.counter_id JOIN users u ON u.id = w.clerk_id`+wWhere+` GROUP BY `+g.windows, wArgs...)
	if err != nil {
		return nil, err
	}
	for rs.Next() {
		var k string
		var n int64
		if err := rs.Scan(&k, &n); err != nil {
			rs.Close()
			return nil, err
		}
		get(k).Transactions = n
	}
	rs.Close()
	rWhere, rArgs := where("r")
	rs, err = s.DB.Query(ctx, `SELECT `+g.ratings+`, r.level, COUNT(*) FROM ratings r JOIN offices o ON o.id = r.office_id
		JOIN counters c ON c.id = r.counter_id JOIN users u ON u.id = r.clerk_id`+rWhere+` GROUP BY `+g.ratings+`, r.level`, rArgs...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	for rs.Next() {
		var k string
		var level int
		var n int64
		if err := rs.Scan(&k, &level, &n); err != nil {
			return nil, err
		}
		row := get(k)
		row.ByLevel[level] += n
		row.Ratings += n
	}
	out := make([]Row, 0, len(rows))
	for _, r := range rows {
		if f.GroupBy == "kind" {
			r.Key = KindLabel(r.Key)
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	for i := range out { // clerks read ROC dates (sorted above while still ISO)
		switch f.GroupBy {
		case "day":
			if d, err := civil.ParseISO(out[i].Key); err == nil {
				out[i].Key = d.ROCShort()
			}
		case "month":
			if d, err := civil.ParseISO(out[i].Key + "-01"); err == nil {
				out[i].Key = fmt.Sprintf("%d年%d月", d.ROCYear(), int(d.Month()))
			}
		}
	}
	return out, rs.Err()
}

// KindLabel names a trigger kind in Chinese.
func KindLabel(k string) string {
	switch k {
	case TriggerReceipt:
		return "規費收據"
	case TriggerNotice:
		return "一次告知單"
	}
	return k
}
