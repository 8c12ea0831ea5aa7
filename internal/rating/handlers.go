package rating

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
	"ebazhao/internal/platform/web"
)

// TerminalCookie holds a paired terminal's token.
const TerminalCookie = "ebz_terminal"

// Handlers serves the terminal, the alarms and the statistics.
type Handlers struct {
	Kit     *web.Kit
	Svc     *Service
	Offices *office.Store
	// PairPerOfficePerMinute bounds the pairing attempts that name a counter
	// of one office, from all addresses together (0: DefaultPairPerOfficePerMinute).
	PairPerOfficePerMinute int
	pairOnce               sync.Once
	pairLimiter            *web.AttemptLimiter
}

// DefaultPairPerOfficePerMinute is how many pairing attempts one office's
// counters take a minute, from every address together.
const DefaultPairPerOfficePerMinute = 10

// pairTooMany is what a terminal over a pairing limit is told.
const pairTooMany = "配對嘗試次數過多，請稍候一分鐘再試；如有疑問請洽主管"

// Routes registers the rating routes. The terminal's routes are public (a citizen
// faces it) but act only through the terminal's pairing cookie.
func (h *Handlers) Routes() {
	k := h.Kit
	k.Public("GET /terminal", h.terminal)
	k.Public("POST /terminal/pair", h.pair)
	k.Public("GET /terminal/events", h.terminalEvents)
	k.Public("POST /terminal/rate", h.rate)
	k.Page("GET /rating", auth.RatingView, h.stats)
	k.Page("GET /rating/export.csv", auth.RatingView, h.exportCSV)
	k.Page("GET /rating/export.xlsx", auth.RatingView, h.exportXLSX)
	k.Page("GET /rating/alerts", auth.RatingView, h.alerts)
	k.Page("POST /rating/alerts/{id}/ack", auth.RatingView, h.ack)
	k.HandleRaw("GET /rating/alerts/events", auth.RatingView, http.HandlerFunc(h.alertEvents))
	k.Page("GET /rating/terminals", auth.RatingView, h.terminals)
	k.Page("POST /rating/terminals/code", auth.RatingView, h.pairCode)
	k.API("GET /api/v1/rating/stats", auth.RatingView, h.apiStats)
}

func (h *Handlers) terminalOf(r *http.Request) *Terminal {
	c, err := r.Cookie(TerminalCookie)
	if err != nil {
		return nil
	}
	t, err := h.Svc.TerminalByToken(r.Context(), c.Value)
	if err != nil {
		return nil
	}
	return t
}

func (h *Handlers) terminal(w http.ResponseWriter, r *http.Request) error {
	t := h.terminalOf(r)
	if t == nil {
		return h.Kit.Render(w, r, "rating_pair", "評分機配對", nil)
	}
	o, err := h.Offices.ByID(r.Context(), t.OfficeID)
	if err != nil {
		return err
	}
	c, err := h.Offices.CounterByID(r.Context(), t.CounterID)
	if err != nil {
		return err
	}
	return h.Kit.RenderFragment(w, r, "rating_terminal", "terminal", map[string]any{"Office": o, "Counter": c, "Levels": Levels,
		"Seconds": int(h.Svc.Cfg.Window.Seconds())})
}

// pair takes a pairing code typed on a terminal. Attempts are limited per
// client address (with logins, --auth-rate) and per office of the counter the
// code names, from all addresses together; each is audited, refused or not.
func (h *Handlers) pair(w http.ResponseWriter, r *http.Request) error {
	refuse := func(status int, msg string) error {
		w.WriteHeader(status)
		return h.Kit.Render(w, r, "rating_pair", "評分機配對", map[string]any{"Error": msg})
	}
	if !h.Kit.LimitAuth(w, r, "rating.terminal.pair", "") {
		return refuse(http.StatusTooManyRequests, pairTooMany)
	}
	code := r.PostFormValue("code")
	if counterID, _, ok := ParsePairingCode(code); ok {
		if c, err := h.Offices.CounterByID(r.Context(), counterID); err == nil {
			h.pairOnce.Do(func() {
				h.pairLimiter = web.NewAttemptLimiter(cmp.Or(h.PairPerOfficePerMinute, DefaultPairPerOfficePerMinute), 0)
			})
			if !h.Kit.Limit(w, r, h.pairLimiter, fmt.Sprint(c.OfficeID), "rating.terminal.pair", "office", fmt.Sprint(c.OfficeID), c.OfficeID) {
				return refuse(http.StatusTooManyRequests, pairTooMany)
			}
		}
	}
	tok, _, err := h.Svc.PairFrom(r.Context(), code, web.ClientAddr(r))
	if errors.Is(err, ErrPairing) {
		return refuse(http.StatusBadRequest, err.Error())
	}
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: TerminalCookie, Value: tok, Path: "/terminal", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: h.Kit.SecureCookies, MaxAge: 5 * 365 * 24 * 3600})
	http.Redirect(w, r, "/terminal", http.StatusSeeOther)
	return nil
}

// sse prepares a server-sent-event stream.
func sse(w http.ResponseWriter) (func(event string, data any), bool) {
	fl, ok := w.(http.Flusher)
	if !ok {
		return nil, false
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	return func(event string, data any) {
		b, _ := json.Marshal(data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
		fl.Flush()
	}, true
}

// terminalEvents streams "open" when a window opens at the terminal's counter
// and "close" when it closes. The state is re-read from the database every
// second and on every hub event, so a reconnecting terminal never shows a stale
// prompt and a window opened on another server still arrives.
func (h *Handlers) terminalEvents(w http.ResponseWriter, r *http.Request) error {
	t := h.terminalOf(r)
	if t == nil {
		return web.Forbidden("此裝置尚未配對")
	}
	send, ok := sse(w)
	if !ok {
		return errors.New("streaming unsupported")
	}
	events, stop := h.Svc.Hub.Subscribe()
	defer stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var shown int64 = -1
	ctx := r.Context()
	for {
		win, err := h.Svc.OpenWindow(ctx, t.CounterID)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			h.Kit.Log.Error("terminal events", "err", err)
		} else if win != nil && win.ID != shown {
			shown = win.ID
			send("open", map[string]any{"window_id": win.ID, "remaining_ms": win.ExpiresAt.Sub(h.Svc.Now()).Milliseconds()})
		} else if win == nil && shown != 0 {
			shown = 0
			send("close", map[string]any{})
		}
		select {
		case <-ctx.Done():
			return nil
		case e := <-events:
			if e.CounterID != t.CounterID {
				continue
			}
		case <-tick.C:
			fmt.Fprint(w, ": keepalive\n\n")
		}
	}
}

func (h *Handlers) rate(w http.ResponseWriter, r *http.Request) error {
	t := h.terminalOf(r)
	if t == nil {
		h.Svc.refuse(r.Context(), nil, 0, "unpaired device")
		return web.Forbidden("此裝置尚未配對")
	}
	windowID, _ := strconv.ParseInt(r.PostFormValue("window_id"), 10, 64)
	level, _ := strconv.Atoi(r.PostFormValue("level"))
	_, _, err := h.Svc.Rate(r.Context(), t, windowID, level)
	if errors.Is(err, ErrRefused) {
		return web.JSON(w, http.StatusConflict, map[string]any{"ok": false, "error": "本次評分已逾時或已完成"})
	}
	if err != nil {
		return err
	}
	return web.JSON(w, http.StatusOK, map[string]any{"ok": true, "message": "謝謝您的評分"})
}

func (h *Handlers) filter(r *http.Request) (Filter, error) {
	q := r.URL.Query()
	u := web.User(r)
	f := Filter{GroupBy: q.Get("group"), OfficeID: u.OfficeID}
	if f.GroupBy == "" {
		f.GroupBy = "day"
	}
	if u.Can(auth.CityWide) {
		f.OfficeID, _ = strconv.ParseInt(q.Get("office"), 10, 64)
	}
	today := civil.Of(h.Svc.Now())
	from, to := today.AddDays(-29), today
	if s := q.Get("from"); s != "" {
		d, err := civil.Parse(s)
		if err != nil {
			return f, web.Invalid(err)
		}
		from = d
	}
	if s := q.Get("to"); s != "" {
		d, err := civil.Parse(s)
		if err != nil {
			return f, web.Invalid(err)
		}
		to = d
	}
	if to.Before(from) {
		return f, web.BadRequest("結束日不可早於開始日")
	}
	f.From, f.To = from, to
	return f, nil
}

func (h *Handlers) stats(w http.ResponseWriter, r *http.Request) error {
	f, err := h.filter(r)
	if err != nil {
		return err
	}
	rows, err := h.Svc.Stats(r.Context(), f)
	if err != nil {
		return web.Invalid(err)
	}
	var total Row
	total.Key = "合計"
	chart := map[string]any{"labels": []string{}, "satisfied": []float64{}, "levels": map[string][]int64{}}
	labels := []string{}
	sat := []float64{}
	lv := map[string][]int64{}
	for _, row := range rows {
		total.Transactions += row.Transactions
		total.Ratings += row.Ratings
		for l := 1; l <= 5; l++ {
			total.ByLevel[l] += row.ByLevel[l]
			lv[LevelLabel(l)] = append(lv[LevelLabel(l)], row.ByLevel[l])
		}
		labels = append(labels, row.Key)
		sat = append(sat, row.Satisfied())
	}
	chart["labels"], chart["satisfied"], chart["levels"] = labels, sat, lv
	chartJSON, _ := json.Marshal(chart)
	offices, _ := h.Offices.All(r.Context())
	return h.Kit.Render(w, r, "rating_stats", "服務滿意度統計", map[string]any{"Rows": rows, "Total": total, "Filter": f,
		"From": f.From.ROCShort(), "To": f.To.ROCShort(), "GroupBys": GroupBys, "Levels": Levels,
		"Chart": string(chartJSON), "Offices": offices, "Query": r.URL.RawQuery})
}

func (h *Handlers) apiStats(w http.ResponseWriter, r *http.Request) error {
	f, err := h.filter(r)
	if err != nil {
		return err
	}
	rows, err := h.Svc.Stats(r.Context(), f)
	if err != nil {
		return web.Invalid(err)
	}
	out := []map[string]any{}
	for _, row := range rows {
		levels := map[string]int64{}
		for l := 1; l <= 5; l++ {
			levels[LevelLabel(l)] = row.ByLevel[l]
		}
		out = append(out, map[string]any{"key": row.Key, "transactions": row.Transactions, "ratings": row.Ratings,
			"response_rate": row.ResponseRate(), "satisfied_pct": row.Satisfied(), "average": row.Average(), "levels": levels})
	}
	return web.JSON(w, http.StatusOK, map[string]any{"group": f.GroupBy, "from": f.From, "to": f.To, "rows": out})
}

func table(rows []Row) [][]string {
	out := [][]string{{"項目", "交易數", "評分數", "回應率(%)", "非常滿意", "滿意", "普通", "不滿意", "非常不滿意", "滿意度(%)", "平均"}}
	for _, r := range rows {
		out = append(out, []string{r.Key, fmt.Sprint(r.Transactions), fmt.Sprint(r.Ratings), fmt.Sprintf("%.1f", r.ResponseRate()),
			fmt.Sprint(r.ByLevel[5]), fmt.Sprint(r.ByLevel[4]), fmt.Sprint(r.ByLevel[3]), fmt.Sprint(r.ByLevel[2]), fmt.Sprint(r.ByLevel[1]),
			fmt.Sprintf("%.1f", r.Satisfied()), fmt.Sprintf("%.2f", r.Average())})
	}
	return out
}

func (h *Handlers) exportCSV(w http.ResponseWriter, r *http.Request) error {
	f, err := h.filter(r)
	if err != nil {
		return err
	}
	rows, err := h.Svc.Stats(r.Context(), f)
	if err != nil {
		return web.Invalid(err)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="rating-%s-%s.csv"`, f.From, f.To))
	w.Write([]byte("\xef\xbb\xbf")) // BOM: Excel opens UTF-8 Chinese correctly
	cw := csv.NewWriter(w)
	cw.WriteAll(table(rows))
	return cw.Error()
}

func (h *Handlers) exportXLSX(w http.ResponseWriter, r *http.Request) error {
	f, err := h.filter(r)
	if err != nil {
		return err
	}
	rows, err := h.Svc.Stats(r.Context(), f)
	if err != nil {
		return web.Invalid(err)
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "滿意度"
	x.SetSheetName("Sheet1", sheet)
	for i, rec := range table(rows) {
		for j, v := range rec {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if n, err := strconv.ParseFloat(v, 64); err == nil && i > 0 && j > 0 {
				x.SetCellValue(sheet, cell, n)
			} else {
				x.SetCellValue(sheet, cell, v)
			}
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="rating-%s-%s.xlsx"`, f.From, f.To))
	return x.Write(w)
}

func (h *Handlers) alerts(w http.ResponseWriter, r *http.Request) error {
	list, err := h.Svc.Alerts(r.Context(), web.User(r).OfficeID, false)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "rating_alerts", "不滿意警示", map[string]any{"Alerts": list})
}

func (h *Handlers) ack(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := h.Svc.Ack(r.Context(), web.User(r), id, r.PostFormValue("note")); errors.Is(err, ErrOtherOffice) {
		h.Kit.Audit(r, "rating.alert.ack", "rating_alert", fmt.Sprint(id), "", "denied", "other office")
		return web.Forbidden(err.Error())
	} else if err != nil {
		return web.Invalid(err)
	}
	h.Kit.Audit(r, "rating.alert.ack", "rating_alert", fmt.Sprint(id), "", "ok", "")
	return web.Redirect(w, r, "/rating/alerts", "已記錄處理情形")
}

// alertEvents streams the office's open alarms to a supervisor's screen.
func (h *Handlers) alertEvents(w http.ResponseWriter, r *http.Request) {
	u := web.User(r)
	send, ok := sse(w)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	events, stop := h.Svc.Hub.Subscribe()
	defer stop()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	ctx := r.Context()
	var st alertState
	for {
		if err := h.pushAlerts(ctx, u, send, &st); err != nil && ctx.Err() == nil {
			h.Kit.Log.Error("alert events", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case e := <-events:
			if e.OfficeID != u.OfficeID {
				continue
			}
		case <-tick.C:
			fmt.Fprint(w, ": keepalive\n\n")
		}
	}
}

// alertState is what a supervisor's stream last sent.
type alertState struct {
	top  int64 // newest open alert id
	open int
	sent bool
}

func (h *Handlers) pushAlerts(ctx context.Context, u *auth.User, send func(string, any), st *alertState) error {
	open, err := h.Svc.Alerts(ctx, u.OfficeID, true)
	if err != nil {
		return err
	}
	var top int64
	msg := ""
	if len(open) > 0 {
		a := open[0]
		top = a.ID
		msg = fmt.Sprintf("%s：%s（承辦 %s，%s）", a.CounterName, a.LevelLabel(), a.ClerkName, rocdate.FormatDateTime(a.CreatedAt))
	}
	if st.sent && top == st.top && len(open) == st.open {
		return nil
	}
	// "new" makes the screen sound the alarm: a newer alert than the last one seen.
	isNew := st.sent && top > st.top
	*st = alertState{top: top, open: len(open), sent: true}
	send("alerts", map[string]any{"open": len(open), "latest": msg, "new": isNew})
	return nil
}

func (h *Handlers) terminals(w http.ResponseWriter, r *http.Request) error {
	u := web.User(r)
	counters, err := h.Offices.Counters(r.Context(), u.OfficeID)
	if err != nil {
		return err
	}
	paired := map[int64]string{}
	rows, err := h.Svc.DB.Query(r.Context(), `SELECT counter_id, paired_at FROM rating_terminals WHERE office_id = ? AND revoked_at = ''`, u.OfficeID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var at string
		if err := rows.Scan(&id, &at); err != nil {
			return err
		}
		paired[id] = rocdate.FormatDateTime(db.ParseTime(at))
	}
	return h.Kit.Render(w, r, "rating_terminals", "評分機配對", map[string]any{"Counters": counters, "Paired": paired,
		"Code": r.URL.Query().Get("code"), "CodeCounter": r.URL.Query().Get("counter")})
}

func (h *Handlers) pairCode(w http.ResponseWriter, r *http.Request) error {
	id, _ := strconv.ParseInt(r.PostFormValue("counter_id"), 10, 64)
	code, err := h.Svc.NewPairingCode(r.Context(), web.User(r), id)
	if err != nil {
		return web.Invalid(err)
	}
	h.Kit.Audit(r, "rating.terminal.code", "counter", fmt.Sprint(id), "", "ok", "")
	http.Redirect(w, r, fmt.Sprintf("/rating/terminals?code=%s&counter=%d", code, id), http.StatusSeeOther)
	return nil
}
