package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
)

func (e *env) token(user string) string {
	e.t.Helper()
	u, err := e.App.Auth.UserByName(context.Background(), user)
	if err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.App.Auth.CreateToken(context.Background(), audit.Actor{Username: "test"}, u.ID, "test")
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) api(method, path, token string, body any) (int, map[string]any) {
	e.t.Helper()
	var buf bytes.Buffer
	if body != nil {
		json.NewEncoder(&buf).Encode(body)
	}
	req, _ := http.NewRequest(method, e.Srv.URL+path, &buf)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

func TestCalcAPI(t *testing.T) {
	e := newEnv(t)
	tok := e.token("clerk")
	// 行政程序法第48條: 30 days from 2024-01-10 end on 2024-02-09, the Lunar New Year eve;
	// the office reopens on 2024-02-15.
	st, res := e.api("POST", "/api/v1/calc/period", tok, map[string]any{"start_date": "2024-01-10", "period": "30日"})
	if st != 200 || res["raw_end"] != "2024-02-09" || res["deadline"] != "2024-02-15" || res["extended"] != true {
		t.Fatalf("period: %d %v", st, res)
	}
	if steps, _ := res["steps"].([]any); len(steps) == 0 || !strings.Contains(steps[0].(string), "113年1月10日") {
		t.Errorf("steps lack ROC dates: %v", res["steps"])
	}
	st, res = e.api("POST", "/api/v1/calc/period", tok, map[string]any{"start_date": "2024-13-01", "period": "30日"})
	if st != 400 || res["error"] == nil {
		t.Errorf("bad date: %d %v", st, res)
	}
	st, res = e.api("POST", "/api/v1/calc/nonsense", tok, map[string]any{})
	if st != 400 || !strings.Contains(res["error"].(string), "period") {
		t.Errorf("unknown kind: %d %v", st, res)
	}
	// A cashier has no calculator permission.
	if st, _ := e.api("POST", "/api/v1/calc/period", e.token("cashier"), map[string]any{"start_date": "2024-01-10", "period": "30日"}); st != 403 {
		t.Errorf("cashier calc: %d", st)
	}
}

func TestClosureMovesDeadlineAndChangesCalendarVersion(t *testing.T) {
	e := newEnv(t)
	tok := e.token("clerk")
	in := map[string]any{"start_date": "2024-07-02", "period": "30日"} // raw end 2024-08-01 (Thursday)
	_, before := e.api("POST", "/api/v1/calc/period", tok, in)
	if before["deadline"] != "2024-08-01" {
		t.Fatalf("before closure: %v", before)
	}
	// A closure holds for the whole city: the city level records it, not an office's supervisor.
	office := e.loggedIn("supervisor")
	office.get("/calc/calendar")
	if st, _, _ := office.post("/calc/calendar/closures", url.Values{"day": {"113.8.1"}, "city": {"臺中市"}, "reason": {"颱風停止上班"}}, true); st != http.StatusForbidden {
		t.Fatalf("an office supervisor records a city closure: %d", st)
	}
	sup := e.loggedIn("admin")
	sup.get("/calc/calendar")
	st, _, _ := sup.post("/calc/calendar/closures", url.Values{"day": {"113.8.1"}, "city": {"臺中市"}, "reason": {"颱風停止上班"}}, true)
	if st != http.StatusSeeOther {
		t.Fatalf("record closure: %d", st)
	}
	_, after := e.api("POST", "/api/v1/calc/period", tok, in)
	if after["deadline"] != "2024-08-02" || after["calendar_version"] == before["calendar_version"] {
		t.Fatalf("after closure: deadline %v version %v (before %v)", after["deadline"], after["calendar_version"], before["calendar_version"])
	}
	// Recording the same closure twice is refused with a message.
	st, body, _ := sup.post("/calc/calendar/closures", url.Values{"day": {"113.8.1"}, "city": {"臺中市"}, "reason": {"颱風"}}, true)
	if st != 400 || !strings.Contains(body, "已登錄") {
		t.Errorf("duplicate closure: %d", st)
	}
	// A clerk cannot record closures.
	clerk := e.loggedIn("clerk")
	clerk.get("/calc/calendar")
	if st, _, _ := clerk.post("/calc/calendar/closures", url.Values{"day": {"113.8.2"}, "city": {"臺中市"}, "reason": {"x"}}, true); st != 403 {
		t.Errorf("clerk closure: %d", st)
	}
}

func TestCalendarYearLoadedFromCSV(t *testing.T) {
	e := newEnv(t)
	csv, err := os.ReadFile("../legal/calendar/testdata/2026.csv")
	if err != nil {
		t.Fatal(err)
	}
	admin := e.loggedIn("admin")
	admin.get("/calc/calendar")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", admin.csrf)
	fw, _ := mw.CreateFormFile("csv", "2026.csv")
	fw.Write(csv)
	mw.Close()
	req, _ := http.NewRequest("POST", e.Srv.URL+"/calc/calendar/years", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := admin.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("load CSV: %d", resp.StatusCode)
	}
	cal, err := e.App.Legal.Calendar(context.Background(), "臺中市")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(cal.Version(), "+") {
		t.Errorf("calendar version %q does not show the loaded year", cal.Version())
	}
	if cal.IsOpen(civil.New(2026, 1, 1)) {
		t.Error("2026-01-01 (開國紀念日) open after loading 2026")
	}
}

func TestCalculatorPage(t *testing.T) {
	e := newEnv(t)
	c := e.loggedIn("clerk")
	if st, body := c.get("/calc/deadline"); st != 200 || !strings.Contains(body, "出生登記") {
		t.Fatalf("deadline form: %d", st)
	}
	st, body, _ := c.post("/calc/deadline", url.Values{"registration": {"出生登記"}, "event_date": {"113.3.1"}}, true)
	if st != 200 {
		t.Fatalf("compute: %d", st)
	}
	contains(t, body, "計算步驟", "適用法條", "民國113年")
	st, body, _ = c.post("/calc/deadline", url.Values{"registration": {"出生登記"}, "event_date": {"113.2.30"}}, true)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "沒有30日") {
		t.Errorf("bad date: %d", st)
	}
}

// Issue 19's stable calculators: `service` and `limitation` over the API and as pages.
func TestServiceAndLimitationCalculators(t *testing.T) {
	e := newEnv(t)
	tok := e.token("clerk")
	st, res := e.api("POST", "/api/v1/calc/service", tok, map[string]any{"method": "寄存送達", "date": "2026-03-02"})
	if st != 200 || res["effective_date"] != "2026-03-12" || res["steps"] == nil || res["articles"] == nil {
		t.Fatalf("service: %d %v", st, res)
	}
	st, res = e.api("POST", "/api/v1/calc/service", tok, map[string]any{"method": "公示送達", "date": "2026-03-02", "abroad": true})
	if st != 200 || res["effective_date"] != "2026-05-01" {
		t.Fatalf("service abroad: %d %v", st, res)
	}
	st, res = e.api("POST", "/api/v1/calc/limitation", tok, map[string]any{"act_end_date": "2021-03-01", "decision_date": "2024-03-01"})
	if st != 200 || res["lapse_date"] != "2024-02-29" || res["lapsed"] != true {
		t.Fatalf("limitation: %d %v", st, res)
	}
	if st, res = e.api("POST", "/api/v1/calc/service", tok, map[string]any{"method": "傳真", "date": "2026-03-02"}); st != 400 {
		t.Errorf("unknown method: %d %v", st, res)
	}
	if st, _ := e.api("POST", "/api/v1/calc/limitation", e.token("cashier"), map[string]any{"act_end_date": "2021-03-01"}); st != 403 {
		t.Errorf("cashier limitation: %d", st)
	}
	c := e.loggedIn("clerk")
	if st, body := c.get("/calc/service"); st != 200 || !strings.Contains(body, "寄存送達") {
		t.Fatalf("service form: %d", st)
	}
	st, body, _ := c.post("/calc/service", url.Values{"method": {"寄存送達"}, "date": {"115.3.2"}}, true)
	if st != 200 {
		t.Fatalf("service page: %d", st)
	}
	contains(t, body, "送達生效日", "民國115年3月12日", "行政程序法第74條")
	st, body, _ = c.post("/calc/limitation", url.Values{"act_end_date": {"110.3.1"}, "decision_date": {"115.12.8"}}, true)
	if st != 200 {
		t.Fatalf("limitation page: %d", st)
	}
	contains(t, body, "裁處權時效末日", "民國113年2月29日", "行政罰法第27條第1項")
}
