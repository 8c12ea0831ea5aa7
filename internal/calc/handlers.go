package calc

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"ebazhao/internal/legal"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/web"
)

// Handlers serves the calculators and the calendar administration.
type Handlers struct {
	Kit   *web.Kit
	Store *Store
	// CityOf returns the city of an office (for its closures).
	CityOf func(r *http.Request, officeID int64) string
}

// Routes registers the calculator routes.
func (h *Handlers) Routes() {
	k := h.Kit
	k.API("POST /api/v1/calc/{kind}", auth.CalcUse, h.apiCalc)
	k.API("GET /api/v1/calc", auth.CalcUse, h.apiKinds)
	k.Page("GET /calc", auth.CalcUse, h.index)
	k.Page("GET /calc/calendar", auth.CalcUse, h.calendarPage)
	k.Page("POST /calc/calendar/closures", auth.CalendarManage, h.addClosure)
	k.Page("POST /calc/calendar/years", auth.CalendarManage, h.loadYears)
	k.Page("GET /calc/{kind}", auth.CalcUse, h.form)
	k.Page("POST /calc/{kind}", auth.CalcUse, h.compute)
}

func (h *Handlers) options(r *http.Request) (legal.Options, error) {
	u := web.User(r)
	return h.Store.Options(r.Context(), u.OfficeID, h.CityOf(r, u.OfficeID))
}

func (h *Handlers) apiKinds(w http.ResponseWriter, r *http.Request) error {
	return web.JSON(w, http.StatusOK, map[string]any{"kinds": legal.KindInfos()})
}

func (h *Handlers) apiCalc(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		return web.BadRequest("輸入過大或無法讀取")
	}
	opts, err := h.options(r)
	if err != nil {
		return err
	}
	res, err := legal.Calc(r.PathValue("kind"), body, opts)
	if err != nil {
		if legal.IsInputError(err) {
			return web.Invalid(err)
		}
		return err
	}
	return web.JSON(w, http.StatusOK, res)
}

func kindTitle(kind string) (string, bool) {
	for _, k := range legal.KindInfos() {
		if k.Kind == kind {
			return k.Title, true
		}
	}
	return "", false
}

func (h *Handlers) index(w http.ResponseWriter, r *http.Request) error {
	return h.Kit.Render(w, r, "calc_index", "計算工具", map[string]any{"Kinds": legal.KindInfos()})
}

func (h *Handlers) form(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	title, ok := kindTitle(kind)
	if !ok {
		return web.NotFound("沒有「" + kind + "」計算")
	}
	return h.Kit.Render(w, r, "calc_form", title, map[string]any{"Kind": kind, "Title": title, "Fields": forms()[kind], "Values": r.URL.Query()})
}

// resultRow is one line of the result table.
type resultRow struct {
	Label string
	Value string
}

func (h *Handlers) compute(w http.ResponseWriter, r *http.Request) error {
	kind := r.PathValue("kind")
	title, ok := kindTitle(kind)
	if !ok {
		return web.NotFound("沒有「" + kind + "」計算")
	}
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("表單格式錯誤")
	}
	fields := forms()[kind]
	data := map[string]any{"Kind": kind, "Title": title, "Fields": fields, "Values": r.PostForm}
	input, err := formInput(fields, r.PostForm) // errors here are messages for the clerk
	if err == nil {
		opts, oerr := h.options(r)
		if oerr != nil {
			return oerr
		}
		var res any
		res, err = legal.Calc(kind, input, opts)
		if err != nil && !legal.IsInputError(err) {
			return err
		}
		if err == nil {
			rows, steps, articles := present(res)
			data["Rows"], data["Steps"], data["Articles"] = rows, steps, articles
			data["CalendarVersion"] = opts.Calendar.Version()
			h.Kit.Audit(r, "calc."+kind, "calc", kind, "", "ok", "")
			return h.Kit.Render(w, r, "calc_form", title, data)
		}
	}
	data["Error"] = err.Error()
	w.WriteHeader(http.StatusUnprocessableEntity)
	return h.Kit.Render(w, r, "calc_form", title, data)
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// present turns a result into labelled rows (ISO dates shown as ROC dates), the
// explanation steps and the articles.
func present(res any) (rows []resultRow, steps, articles []string) {
	b, _ := json.Marshal(res)
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"steps", "articles"} {
		if list, ok := m[k].([]any); ok {
			for _, s := range list {
				if k == "steps" {
					steps = append(steps, fmt.Sprint(s))
				} else {
					articles = append(articles, fmt.Sprint(s))
				}
			}
		}
		delete(m, k)
	}
	if a, ok := m["article"].(string); ok && len(articles) == 0 {
		articles = []string{a}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return order(keys[i]) < order(keys[j]) })
	for _, k := range keys {
		label := labels[k]
		if label == "" {
			label = k
		}
		rows = append(rows, resultRow{Label: label, Value: show(m[k])})
	}
	return rows, steps, articles
}

func order(k string) int {
	for i, x := range []string{"law", "deadline_applies", "registration", "event_date", "start_date", "period", "raw_end", "deadline", "extended", "morning_only", "three_months_end",
		"overdue_days", "late", "fine", "statutory_min", "statutory_max", "article", "eligible", "pass", "can_extend", "can_renew_online", "window_start", "window_end"} {
		if x == k {
			return i
		}
	}
	return 100
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return "是"
		}
		return "否"
	case string:
		if x == "" {
			return "—"
		}
		if isoDate.MatchString(x) {
			if d, err := civil.ParseISO(x); err == nil {
				return d.ROCLong()
			}
		}
		if x == "old" {
			return "舊法（戶籍法97年5月28日修正施行前）"
		}
		if x == "new" {
			return "新法（戶籍法97年5月28日修正施行後）"
		}
		return x
	case float64:
		return fmt.Sprint(int64(x))
	case []any:
		parts := make([]string, 0, len(x))
		for _, e := range x {
			parts = append(parts, show(e))
		}
		return strings.Join(parts, "；")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			l := labels[k]
			if l == "" {
				l = k
			}
			parts = append(parts, l+"："+show(x[k]))
		}
		return strings.Join(parts, "，")
	}
	return fmt.Sprint(v)
}

func (h *Handlers) calendarPage(w http.ResponseWriter, r *http.Request) error {
	closures, err := h.Store.Closures(r.Context())
	if err != nil {
		return err
	}
	opts, err := h.options(r)
	if err != nil {
		return err
	}
	return h.Kit.Render(w, r, "calc_calendar", "辦公日曆", map[string]any{"Closures": closures, "Version": opts.Calendar.Version(),
		"Years": opts.Calendar.Years(), "City": h.CityOf(r, web.User(r).OfficeID)})
}

func (h *Handlers) addClosure(w http.ResponseWriter, r *http.Request) error {
	day, err := civil.Parse(r.PostFormValue("day"))
	if err != nil {
		return web.Invalid(err)
	}
	city := r.PostFormValue("city")
	if !web.User(r).Can(auth.CityWide) {
		city = h.CityOf(r, web.User(r).OfficeID) // a supervisor records closures of the own city only
	}
	if err := h.Store.AddClosure(r.Context(), web.Actor(r), city, day, r.PostFormValue("reason")); err != nil {
		return web.Invalid(err)
	}
	return web.Redirect(w, r, "/calc/calendar", "已登錄停止上班："+day.ROC())
}

func (h *Handlers) loadYears(w http.ResponseWriter, r *http.Request) error {
	if !web.User(r).Can(auth.CityWide) {
		return web.Forbidden("僅機房人員可載入行事曆")
	}
	f, hdr, err := r.FormFile("csv")
	if err != nil {
		return web.BadRequest("請選擇行政院人事行政總處的行事曆 CSV 檔")
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 2<<20))
	if err != nil {
		return err
	}
	years, err := h.Store.LoadYears(r.Context(), web.Actor(r), hdr.Filename, b)
	if err != nil {
		var ie *legal.InputError
		if errors.As(err, &ie) {
			return web.Invalid(err)
		}
		return web.BadRequest("無法讀取行事曆 CSV：" + err.Error())
	}
	return web.Redirect(w, r, "/calc/calendar", fmt.Sprintf("已載入 %v 年行事曆", years))
}
