package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"ebazhao/internal/archive"
	"ebazhao/internal/form"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/rating"
	"ebazhao/internal/seal"
)

// The wrong-office half of the route checks (TestEveryRouteIsProtected is the
// wrong-role half). Every route with a path parameter is either in
// officeRoutes — it acts on a record that belongs to one office, and another
// office's staff are refused even when their role holds the permission — or in
// cityWideRoutes with the reason it is shared on purpose. A new parameterised
// route is in neither and fails the test until someone decides.

// cityWideRoutes are parameterised routes shared by every office on purpose.
var cityWideRoutes = map[string]string{
	// Forms are the city's masters (issue 17, item 2): only the city level holds form.manage.
	"GET /forms/{code}/edit":              "forms are the city's masters, maintained by the city level only",
	"POST /forms/{code}":                  "forms are the city's masters, maintained by the city level only",
	"GET /forms/{code}/versions/new":      "forms are the city's masters, maintained by the city level only",
	"POST /forms/{code}/versions":         "forms are the city's masters, maintained by the city level only",
	"POST /forms/{code}/versions/preview": "forms are the city's masters, maintained by the city level only",
	"POST /forms/{code}/retire":           "forms are the city's masters, maintained by the city level only",
	"POST /forms/{code}/restore":          "forms are the city's masters, maintained by the city level only",
	"PUT /api/v1/forms/{code}":            "forms are the city's masters, maintained by the city level only",
	"POST /api/v1/forms/{code}/versions":  "forms are the city's masters, maintained by the city level only",
	"POST /api/v1/forms/{code}/retire":    "forms are the city's masters, maintained by the city level only",
	// Persons: one city-wide register; reads are open, writes are the person's office's (officeRoutes).
	"GET /persons/{idno}":                     "persons are city-wide reading (any office serves anyone)",
	"GET /api/v1/persons/{idno}":              "persons are city-wide reading",
	"GET /persons/{idno}/documents":           "a person's document history is city-wide reading",
	"GET /agency/persons/{idno}":              "a person's N加e notifications, read at whichever office the person visits",
	"GET /agency/persons/{idno}/status":       "a person's N加e notifications",
	"GET /api/v1/agency/persons/{idno}/items": "a person's N加e notifications",
	// Seals: 跨區核發印鑑證明 — the seal record is compared and certified at any office (seed 印鑑數位化).
	"GET /seals/p/{idno}":               "seals are compared at any office (跨區核發印鑑證明)",
	"POST /seals/p/{idno}/compare":      "seals are compared at any office; the comparison belongs to the comparing office",
	"GET /seals/p/{idno}/register":      "a seal registration is recorded at the acting office, on the person's city-wide record",
	"POST /seals/p/{idno}/events":       "a seal registration is recorded at the acting office, on the person's city-wide record",
	"GET /seals/img/event/{id}/{which}": "registered seal imprints are the reference every office compares against",
	"GET /api/v1/persons/{idno}/seal":   "a person's seal history, city-wide like the comparison",
	// Documents: issued at one office, read anywhere (作業規範 叁.二(二)7 其他人員僅提供查詢); amendments are the issuer's.
	"GET /documents/{id}":                 "documents are read city-wide (其他人員如有需要僅提供查詢功能); amending is officeRoutes'",
	"GET /documents/{id}/pdf":             "documents are read city-wide",
	"GET /api/v1/documents/{id}":          "documents are read city-wide",
	"GET /api/v1/documents/{id}/pdf":      "documents are read city-wide",
	"GET /api/v1/documents/{id}/versions": "documents are read city-wide",
	"GET /document-templates/{id}":        "document templates are one city-wide catalogue",
	// N加e applications: another office may look (the person may ask anywhere), only the filing office acts.
	"GET /agency/applications/{id}":        "an N加e application may be looked up at any office; acting on it is officeRoutes'",
	"GET /agency/applications/{id}/pdf":    "an N加e application may be looked up at any office",
	"GET /agency/applications/{id}/scan":   "an N加e application may be looked up at any office",
	"GET /api/v1/agency/applications/{id}": "an N加e application may be looked up at any office",
	// The partner agency register is one list for the city (N加e 實施計畫), kept by supervisors and the admin.
	"GET /agency/register/{id}":                      "the partner agency register is city-wide",
	"POST /agency/register/{id}":                     "the partner agency register is city-wide",
	"POST /agency/register/{id}/tokens":              "the partner agency register is city-wide",
	"POST /agency/register/{id}/tokens/{tid}/revoke": "the partner agency register is city-wide",
	"POST /agency/register/{id}/keys":                "the partner agency register is city-wide",
	"POST /agency/register/{id}/keys/{kid}/revoke":   "the partner agency register is city-wide",
	// Archive: 申請書影像 are city-wide reading; any office prints a copy (作業規範 叁.七(三)2 逕行列印代為核發).
	"GET /archive/docs/{id}":                  "archive images are city-wide reading (跨區核發)",
	"GET /archive/docs/{id}/pages/{n}":        "archive images are city-wide reading",
	"POST /archive/docs/{id}/copies":          "any office issues a copy of any office's archive (逕行列印代為核發); the copy is its own",
	"GET /api/v1/archive/docs/{id}":           "archive images are city-wide reading",
	"GET /api/v1/archive/docs/{id}/pages/{n}": "archive images are city-wide reading",
	"POST /api/v1/archive/docs/{id}/copies":   "any office issues a copy of any office's archive",
	// Catalogues shared by the whole city.
	"GET /calc/{kind}":                         "calculators are a catalogue",
	"POST /calc/{kind}":                        "calculators are a catalogue",
	"POST /api/v1/calc/{kind}":                 "calculators are a catalogue",
	"GET /tips/manage/{item}":                  "citizen tips are one city-wide catalogue",
	"POST /tips/manage/{item}":                 "citizen tips are one city-wide catalogue",
	"POST /tips/manage/{item}/retire":          "citizen tips are one city-wide catalogue",
	"POST /tips/manage/{item}/restore":         "citizen tips are one city-wide catalogue",
	"GET /api/v1/tips/for-registration/{kind}": "citizen tips are one city-wide catalogue",
	"GET /api/v1/tips/items/{item}":            "citizen tips are one city-wide catalogue",
	"POST /api/v1/tips/items/{item}/versions":  "citizen tips are one city-wide catalogue",
	"POST /fees/schedule/{id}/withdraw":        "the fee schedule (規費標準) is one for the city",
	// Only the admin (機房人員, who holds city.wide) has these permissions.
	"POST /admin/offices/{id}":       "office.manage is the admin's alone, and the admin is city-wide",
	"POST /admin/tokens/{id}/revoke": "token.manage is the admin's alone, and the admin is city-wide",
	"POST /admin/tokens/{id}/renew":  "token.manage is the admin's alone, and the admin is city-wide",
}

// officeRoute is a route acting on one office's record of a kind. The first
// path parameter is the record; params gives the others ("$kind" for another
// record's id). form/jsonBody make the request valid apart from the office, so
// the refusal is the office check and not a missing field.
type officeRoute struct {
	kind     string
	params   map[string]string
	form     url.Values
	jsonBody any
}

var officeRoutes = map[string]officeRoute{
	// Receipts (規費收據) are the issuing office's; voids are approved there.
	"GET /fees/receipts/{id}":                      {kind: "receipt"},
	"GET /fees/receipts/{id}/pdf":                  {kind: "receipt"},
	"POST /fees/receipts/{id}/reprint":             {kind: "receipt"},
	"POST /fees/receipts/{id}/void":                {kind: "receipt", form: url.Values{"reason": {"金額打錯"}}},
	"GET /api/v1/receipts/{id}":                    {kind: "receipt"},
	"GET /api/v1/receipts/{id}/pdf":                {kind: "receipt"},
	"POST /api/v1/receipts/{id}/reprint":           {kind: "receipt", jsonBody: map[string]any{}},
	"POST /api/v1/receipts/{id}/void-requests":     {kind: "receipt", jsonBody: map[string]any{"reason": "金額打錯"}},
	"POST /api/v1/receipts/{id}/void":              {kind: "receipt", jsonBody: map[string]any{"reason": "金額打錯"}},
	"POST /fees/voids/{id}/approve":                {kind: "void", form: url.Values{"note": {"同意"}}},
	"POST /fees/voids/{id}/reject":                 {kind: "void", form: url.Values{"note": {"不同意"}}},
	"POST /api/v1/fees/void-requests/{id}/approve": {kind: "void", jsonBody: map[string]any{"note": "同意"}},
	"POST /api/v1/fees/void-requests/{id}/reject":  {kind: "void", jsonBody: map[string]any{"note": "不同意"}},
	// Documents: amended or cancelled only by the issuer (作業規範 叁.二(二)7).
	"GET /documents/{id}/edit":           {kind: "document"},
	"POST /documents/{id}/edit":          {kind: "document", form: fineForm(url.Values{"reason": {"改寄"}})},
	"POST /documents/{id}/preview":       {kind: "document", form: fineForm(nil)},
	"POST /documents/{id}/cancel":        {kind: "document", form: url.Values{"reason": {"誤開"}}},
	"POST /documents/{id}/service":       {kind: "document", form: url.Values{"method": {"郵務送達"}, "date": {"113.7.15"}}},
	"PUT /api/v1/documents/{id}":         {kind: "document", jsonBody: map[string]any{"reason": "改寄", "fields": map[string]string{}}},
	"POST /api/v1/documents/{id}/cancel": {kind: "document", jsonBody: map[string]any{"reason": "誤開"}},
	// A drafted fine decision (罰鍰裁處書稿) is its office's until approved there (作業規範 肆.一).
	"GET /fine-drafts/{id}":          {kind: "draft"},
	"GET /fine-drafts/{id}/pdf":      {kind: "draft"},
	"POST /fine-drafts/{id}/approve": {kind: "draft", form: url.Values{"note": {"同意"}}},
	"POST /fine-drafts/{id}/reject":  {kind: "draft", form: url.Values{"note": {"不同意"}}},
	// A visit (臨櫃服務) is its clerk's, so certainly its office's.
	"GET /visits/{id}":                    {kind: "visit"},
	"GET /visits/{id}/side":               {kind: "visit"},
	"POST /visits/{id}/kind":              {kind: "visit", form: url.Values{"kind": {"move"}}},
	"POST /visits/{id}/end":               {kind: "visit"},
	"GET /visits/{id}/agency":             {kind: "visit"},
	"POST /visits/{id}/agency":            {kind: "visit", form: url.Values{"kind": {"move"}, "pick": {"1"}}},
	"POST /visits/{id}/agency/{app}/send": {kind: "visit", params: map[string]string{"app": "$agency"}},
	"GET /visits/{id}/tips":               {kind: "visit"},
	"GET /visits/{id}/fees":               {kind: "visit"},
	"POST /visits/{id}/fees/quote":        {kind: "visit", form: url.Values{"item": {"戶籍謄本"}, "qty": {"1"}}},
	"POST /visits/{id}/fees":              {kind: "visit", form: url.Values{"item": {"戶籍謄本"}, "qty": {"1"}, "payment": {"cash"}, "idem": {"office-test-visit-fees"}}},
	"GET /visits/{id}/forms/{code}":       {kind: "visit", params: map[string]string{"code": "$catalogueForm"}},
	"GET /api/v1/visits/{id}":             {kind: "visit"},
	"POST /api/v1/visits/{id}/end":        {kind: "visit", jsonBody: map[string]any{}},
	// N加e: only the filing office sends, cancels, attaches the signed scan, records results.
	"POST /agency/applications/{id}/send":        {kind: "agency"},
	"POST /agency/applications/{id}/cancel":      {kind: "agency", form: url.Values{"reason": {"民眾撤回"}}},
	"POST /agency/applications/{id}/scan":        {kind: "agency"},
	"POST /api/v1/agency/applications/{id}/send": {kind: "agency", jsonBody: map[string]any{}},
	"POST /agency/items/{id}/result":             {kind: "agencyItem", form: url.Values{"result": {"done"}, "reason": {""}}},
	// Seal comparisons and certificates belong to the office that made them.
	"GET /seals/comparisons/{id}":            {kind: "comparison"},
	"POST /seals/comparisons/{id}/issue":     {kind: "comparison", form: url.Values{"copies": {"1"}, "purpose": {"不動產登記"}, "applicant": {"self"}}},
	"POST /seals/comparisons/{id}/refuse":    {kind: "comparison", form: url.Values{"note": {"印鑑不符"}}},
	"GET /seals/img/comparison/{id}/{which}": {kind: "comparison", params: map[string]string{"which": "cand"}},
	"GET /seals/certificates/{id}":           {kind: "certificate"},
	"GET /seals/certificates/{id}/pdf":       {kind: "certificate"},
	"POST /seals/certificates/{id}/revoke":   {kind: "certificate", form: url.Values{"reason": {"誤發"}}},
	// A backdated seal event (補登) is approved or rejected by a supervisor of the office that recorded it.
	"POST /seals/approvals/{id}/approve": {kind: "sealRequest", form: url.Values{"note": {"同意"}}},
	"POST /seals/approvals/{id}/reject":  {kind: "sealRequest", form: url.Values{"note": {"不同意"}}},
	// Archive copies are the issuing office's; a cross-district request is its two offices'.
	"GET /archive/copies/{id}":                    {kind: "copy"},
	"GET /archive/copies/{id}/pages/{n}":          {kind: "copy", params: map[string]string{"n": "1"}},
	"GET /archive/copies/{id}/pdf":                {kind: "copy"},
	"GET /archive/requests/{id}":                  {kind: "request"},
	"POST /archive/requests/{id}/act":             {kind: "request", form: url.Values{"action": {"accept"}}},
	"POST /api/v1/archive/requests/{id}/{action}": {kind: "request", params: map[string]string{"action": "accept"}, jsonBody: map[string]any{}},
	// Rating alerts are handled by the office's supervisor.
	"POST /rating/alerts/{id}/ack": {kind: "alert", form: url.Values{"note": {"已關心"}}},
	// Persons are read anywhere but edited by their household office.
	"GET /persons/{idno}/edit":   {kind: "person"},
	"POST /persons/{idno}":       {kind: "person", form: url.Values{"name": {"王大明"}, "phone": {"0900-000-000"}}},
	"PUT /api/v1/persons/{idno}": {kind: "person", jsonBody: map[string]any{"phone": "0900-000-000"}},
	// User and office administration (user.manage) is the office's own (本所).
	"GET /admin/users/{id}":             {kind: "user"},
	"POST /admin/users/{id}":            {kind: "user", form: url.Values{"display_name": {"改名"}, "role": {"cashier"}, "active": {"on"}}},
	"POST /admin/users/{id}/reset":      {kind: "user"},
	"GET /admin/offices/{id}":           {kind: "office"},
	"POST /admin/offices/{id}/counters": {kind: "office", form: url.Values{"name": {"第99櫃"}, "kind": {"counter"}, "number": {"99"}}},
	// Forms: the catalogue is city-wide, but an office's own form (office_only) is that office's.
	"GET /forms/{code}":                          {kind: "form"},
	"GET /forms/{code}/preview":                  {kind: "form"},
	"POST /forms/{code}/print":                   {kind: "form"},
	"GET /forms/{code}/versions/{no}/pdf":        {kind: "form", params: map[string]string{"no": "1"}},
	"GET /api/v1/forms/{code}":                   {kind: "form"},
	"POST /api/v1/forms/{code}/print":            {kind: "form", jsonBody: map[string]any{}},
	"GET /api/v1/forms/{code}/versions/{no}/pdf": {kind: "form", params: map[string]string{"no": "1"}},
}

// officeKinds: the table holding each kind (for the unchanged check), the
// column its id is in, and a route a 西屯 user with the permission opens (200).
var officeKinds = map[string]struct {
	table, col string
	show       string // GET path with %s for the id; "" when the kind has no page of its own
	viewer     string // a 西屯 user who may open it
}{
	"receipt":     {"fee_receipts", "id", "/fees/receipts/%s", "clerk"},
	"void":        {"fee_void_requests", "id", "", ""},
	"document":    {"documents", "id", "/documents/%s/edit", "clerk"},
	"draft":       {"fine_drafts", "id", "/fine-drafts/%s", "supervisor"},
	"visit":       {"visits", "id", "/visits/%s", "clerk"},
	"agency":      {"agency_applications", "id", "/agency/applications/%s", "clerk"},
	"agencyItem":  {"agency_items", "id", "", ""},
	"comparison":  {"seal_comparisons", "id", "/seals/comparisons/%s", "clerk"},
	"certificate": {"seal_certificates", "id", "/seals/certificates/%s", "clerk"},
	"sealRequest": {"seal_event_requests", "id", "", ""},
	"copy":        {"archive_copies", "id", "/archive/copies/%s", "clerk"},
	"request":     {"archive_requests", "id", "/archive/requests/%s", "clerk"},
	"alert":       {"rating_alerts", "id", "", ""},
	"person":      {"persons", "id_no", "/persons/%s/edit", "clerk"},
	"user":        {"users", "id", "/admin/users/%s", "supervisor"},
	"office":      {"offices", "id", "/admin/offices/%s", "supervisor"},
	"form":        {"forms", "code", "/forms/%s", "clerk"},
}

// countedTables: no refused request may add a row to any of them.
var countedTables = []string{"fee_receipts", "fee_void_requests", "documents", "document_versions", "fine_drafts", "document_services", "visits", "agency_applications",
	"agency_items", "seal_events", "seal_event_requests", "seal_comparisons", "seal_certificates", "archive_copies", "archive_requests", "counters", "users", "forms", "form_versions"}

func fineForm(extra url.Values) url.Values {
	f := url.Values{"kind": {"fine"}, "subtype": {"逾期申請"}, "item": {"死亡登記"}, "event_date": {"113.1.10"},
		"registration_date": {"113.2.20"}, "recipient_id_no": {"A123456789"}, "recipient_address_kind": {"household"}, "delivery": {"mail"}}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

func TestEveryRouteRefusesAnotherOffice(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	// Every parameterised route is classified, and the tables name only real routes.
	routes := e.App.Kit.Routes()
	registered := map[string]auth.Permission{}
	for _, r := range routes {
		registered[r.Pattern] = r.Perm
		if r.Public || !strings.Contains(strings.ReplaceAll(r.Pattern, "{$}", ""), "{") {
			continue // public routes are reviewed in publicRoutes
		}
		_, owned := officeRoutes[r.Pattern]
		reason, shared := cityWideRoutes[r.Pattern]
		switch {
		case owned && shared:
			t.Errorf("%s is both office-owned and city-wide", r.Pattern)
		case !owned && !shared:
			t.Errorf("%s has a path parameter but is in neither officeRoutes nor cityWideRoutes: decide whether another office may use it", r.Pattern)
		case shared && strings.TrimSpace(reason) == "":
			t.Errorf("%s is city-wide without a reason", r.Pattern)
		}
	}
	for p := range officeRoutes {
		if _, ok := registered[p]; !ok {
			t.Errorf("officeRoutes names %s, which is not a route", p)
		}
	}
	for p := range cityWideRoutes {
		if _, ok := registered[p]; !ok {
			t.Errorf("cityWideRoutes names %s, which is not a route", p)
		}
	}

	// 北屯 staff of every non-admin role (the admin is city-wide by design).
	beitun := e.officeID("beitun")
	a := auth.New(e.DB, auth.DefaultPolicy())
	sys := audit.Actor{Username: "test"}
	others := []struct {
		name string
		role auth.Role
	}{{"clerk2", auth.Clerk}, {"cashier2", auth.Cashier}, {"scanner2", auth.Scanner}, {"supervisor2", auth.Supervisor}}
	for _, o := range others[1:] {
		if _, _, err := a.CreateUser(ctx, sys, auth.NewUser{Username: o.name, DisplayName: o.name, OfficeID: beitun, Role: o.role,
			Password: "demo", MustChange: false}); err != nil {
			t.Fatal(err)
		}
	}

	ids := xitunRecords(t, e)
	for k := range officeKinds {
		if ids[k] == "" {
			t.Fatalf("no %s was made at 西屯", k)
		}
	}

	// The ids are right: 西屯 opens each record.
	for k, kind := range officeKinds {
		if rowState(t, e, kind.table, kind.col, ids[k]) == "" {
			t.Fatalf("%s %s is not in %s", k, ids[k], kind.table)
		}
		if kind.show == "" {
			continue
		}
		c := e.loggedIn(kind.viewer)
		if st, body := c.get(fmt.Sprintf(kind.show, ids[k])); st != http.StatusOK {
			t.Errorf("%s: %s opening %s: %d %.300s", k, kind.viewer, fmt.Sprintf(kind.show, ids[k]), st, body)
		}
	}

	clients := map[string]*client{}
	for _, o := range others {
		clients[o.name] = e.loggedIn(o.name)
	}
	patterns := make([]string, 0, len(officeRoutes))
	for p := range officeRoutes {
		patterns = append(patterns, p)
	}
	sort.Strings(patterns)
	for _, p := range patterns {
		or := officeRoutes[p]
		kind, ok := officeKinds[or.kind]
		if !ok {
			t.Errorf("%s: unknown kind %q", p, or.kind)
			continue
		}
		perm, ok := registered[p]
		if !ok {
			continue
		}
		method, path := officePath(t, p, ids[or.kind], or.params, ids)
		tried := 0
		for _, o := range others {
			if perm != "" && !o.role.Can(perm) {
				continue
			}
			tried++
			before := rowState(t, e, kind.table, kind.col, ids[or.kind])
			counts := tableCounts(t, e)
			denials := deniedEntries(t, e, o.name)
			st, body := officeRequest(t, clients[o.name], method, path, or)
			if st != http.StatusForbidden && st != http.StatusNotFound {
				t.Errorf("%s as %s of 北屯 (%s) on 西屯's %s: %d, want 403 or 404\n%.300s", p, o.name, o.role, or.kind, st, body)
			}
			if st == http.StatusForbidden && deniedEntries(t, e, o.name) == denials {
				t.Errorf("%s as %s of 北屯 on 西屯's %s: refused without an audit entry", p, o.name, or.kind)
			}
			if after := rowState(t, e, kind.table, kind.col, ids[or.kind]); after != before {
				t.Errorf("%s as %s of 北屯 changed 西屯's %s:\n before %s\n after  %s", p, o.name, or.kind, before, after)
			}
			if now := tableCounts(t, e); now != counts {
				t.Errorf("%s as %s of 北屯 added rows:\n before %s\n after  %s", p, o.name, counts, now)
			}
		}
		if tried == 0 {
			t.Errorf("%s: no 北屯 role other than the admin holds %s; it cannot be office-owned, classify it city-wide", p, perm)
		}
	}
}

var paramName = regexp.MustCompile(`\{([^}.]*)(\.\.\.)?\}`)

// officePath fills the pattern: its first parameter is the record, the others come from params.
func officePath(t *testing.T, pattern, id string, params map[string]string, ids map[string]string) (method, path string) {
	t.Helper()
	method, path, _ = strings.Cut(pattern, " ")
	first := true
	path = paramName.ReplaceAllStringFunc(path, func(m string) string {
		name := paramName.FindStringSubmatch(m)[1]
		if first {
			first = false
			return url.PathEscape(id)
		}
		v, ok := params[name]
		if !ok {
			t.Fatalf("%s: no value for {%s}", pattern, name)
		}
		if strings.HasPrefix(v, "$") {
			v = ids[v[1:]]
		}
		return url.PathEscape(v)
	})
	return method, path
}

// officeRequest sends the route's request as c: pages with a form and the CSRF
// token, the API with JSON.
func officeRequest(t *testing.T, c *client, method, path string, or officeRoute) (int, string) {
	t.Helper()
	if method == http.MethodGet {
		return c.get(path)
	}
	if c.csrf == "" {
		c.get("/login")
	}
	var req *http.Request
	if strings.HasPrefix(path, "/api/") {
		b, _ := json.Marshal(or.jsonBody)
		if or.jsonBody == nil {
			b = []byte("{}")
		}
		req, _ = http.NewRequest(method, c.e.Srv.URL+path, bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("office-test-%d", rand.Int64()))
	} else {
		f := url.Values{}
		for k, v := range or.form {
			f[k] = v
		}
		f.Set("csrf_token", c.csrf)
		req, _ = http.NewRequest(method, c.e.Srv.URL+path, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// rowState is the whole row, printed; "" when there is none.
func rowState(t *testing.T, e *env, table, col, id string) string {
	t.Helper()
	rows, err := e.DB.Query(context.Background(), `SELECT * FROM `+table+` WHERE `+col+` = ?`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				v = string(b)
			}
			out = append(out, fmt.Sprintf("%s=%v", cols[i], v))
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " ")
}

// deniedEntries counts the audit trail's refusals of a user.
func deniedEntries(t *testing.T, e *env, username string) int {
	t.Helper()
	var n int
	if err := e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE username = ? AND outcome = 'denied'`, username).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func tableCounts(t *testing.T, e *env) string {
	t.Helper()
	var out []string
	for _, tb := range countedTables {
		var n int
		if err := e.DB.QueryRow(context.Background(), `SELECT COUNT(*) FROM `+tb).Scan(&n); err != nil {
			t.Fatalf("%s: %v", tb, err)
		}
		out = append(out, fmt.Sprintf("%s=%d", tb, n))
	}
	return strings.Join(out, " ")
}

// apiJSON sends a JSON API call as c and decodes the answer.
func apiJSON(t *testing.T, c *client, method, path string, body any, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, c.e.Srv.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	req.Header.Set("Idempotency-Key", fmt.Sprintf("office-setup-%d", rand.Int64()))
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	if resp.StatusCode >= 300 {
		t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

// xitunRecords makes one record of every office-owned kind at 西屯, as 西屯's
// staff through HTTP or the subsystem's services, and returns their ids.
func xitunRecords(t *testing.T, e *env) map[string]string {
	t.Helper()
	ctx := context.Background()
	ids := map[string]string{}
	xitun := e.officeID("xitun")
	clerk := e.loggedIn("clerk")
	clerkUser, err := e.App.Auth.UserByName(ctx, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	actor := audit.Actor{UserID: clerkUser.ID, Username: clerkUser.Username, OfficeID: xitun}

	// A receipt, and a void request on a second one.
	var rc struct {
		ID int64 `json:"id"`
	}
	issue := map[string]any{"items": []map[string]any{{"item": "戶籍謄本", "qty": 1}}, "payment": "cash", "counter": 1}
	apiJSON(t, clerk, "POST", "/api/v1/receipts", issue, &rc)
	ids["receipt"] = fmtInt(rc.ID)
	var rc2, vr struct {
		ID int64 `json:"id"`
	}
	apiJSON(t, clerk, "POST", "/api/v1/receipts", issue, &rc2)
	apiJSON(t, clerk, "POST", fmt.Sprintf("/api/v1/receipts/%d/void-requests", rc2.ID), map[string]any{"reason": "金額打錯"}, &vr)
	ids["void"] = fmtInt(vr.ID)

	// A document (a 通知書: amendable by its issuer), and a fine decision drafted, awaiting approval.
	var nd struct {
		ID int64 `json:"id"`
	}
	apiJSON(t, clerk, "POST", "/api/v1/documents", map[string]any{"kind": "notice", "item": "死亡登記",
		"event_date": civil.Of(e.DB.Now()).AddDays(-3).ISO(), "recipient": map[string]any{"id_no": "A123456789"}}, &nd)
	ids["document"] = fmtInt(nd.ID)
	ids["draft"] = noticeDraftLink.FindStringSubmatch(noticeDraftFine(t, clerk))[1]

	// A visit, and an N加e application filed (not yet sent) with its items.
	v := startVisit(t, clerk, url.Values{"q": {"A123456789"}, "kind": {"move"}})
	ids["visit"] = strings.TrimPrefix(v, "/visits/")
	var agencies struct {
		Agencies []struct {
			ID   int64  `json:"id"`
			Code string `json:"code"`
		} `json:"agencies"`
	}
	apiJSON(t, clerk, "GET", "/api/v1/agency/agencies?kind=move", nil, &agencies)
	var tax int64
	for _, a := range agencies.Agencies {
		if a.Code == "tax_taichung" {
			tax = a.ID
		}
	}
	var app struct {
		ID int64 `json:"id"`
	}
	apiJSON(t, clerk, "POST", "/api/v1/agency/applications", map[string]any{"kind": "move", "person_id_no": "A123456789", "send": false,
		"fields":   map[string]string{"old_address": "臺中市西屯區福科路100號", "new_address": "臺中市南屯區公益路二段1號", "event_date": civil.Of(e.DB.Now()).ISO()},
		"agencies": []map[string]any{{"agency_id": tax}}}, &app)
	ids["agency"] = fmtInt(app.ID)
	var item int64
	if err := e.DB.QueryRow(ctx, `SELECT id FROM agency_items WHERE application_id = ?`, app.ID).Scan(&item); err != nil {
		t.Fatal(err)
	}
	ids["agencyItem"] = fmtInt(item)

	// A seal certificate (through the seal counter's store), and a second comparison not yet decided.
	cert := dueSealCertificate(t, e, "A123456789", 1)
	ids["certificate"] = fmtInt(cert.ID)
	st := &seal.Store{DB: e.DB}
	cur, err := st.Current(ctx, "A123456789")
	if err != nil {
		t.Fatal(err)
	}
	cmp := &seal.Comparison{PersonIDNo: "A123456789", EventID: cur.ID, OfficeID: xitun, UserID: clerkUser.ID, Purpose: "核發印鑑證明",
		CandRef: "c", OverlayRef: "o", RefLayerRef: "r", CandLayerRef: "l", Score: 0.97, Verdict: "match"}
	if err := st.AddComparison(ctx, actor, cmp); err != nil {
		t.Fatal(err)
	}
	ids["comparison"] = fmtInt(cmp.ID)

	// A backdated seal registration recorded at 西屯 by its scanning staff, awaiting approval.
	scannerUser, err := e.App.Auth.UserByName(ctx, "scanner")
	if err != nil {
		t.Fatal(err)
	}
	bd := &seal.Event{PersonIDNo: "B120000003", Kind: seal.Register, Date: st.Today().AddDate(0, 0, -3), OfficeID: xitun,
		ClerkID: scannerUser.ID, ClerkName: scannerUser.DisplayName, ImprintRef: "test-imprint", Reason: "漏登補登"}
	if err := st.AddEvent(ctx, scannerUser.Actor("test"), bd); err != nil || !bd.Pending() {
		t.Fatalf("backdated seal registration: %v", err)
	}
	ids["sealRequest"] = fmtInt(bd.RequestID)

	// An archive document scanned at 西屯 and a copy of it issued at 西屯.
	scanner := e.loggedIn("scanner")
	scanner.get("/archive/docs/new")
	tiff := archive.EncodeTIFF([]*image.Gray{scanPage(21), scanPage(22)})
	code, body, resp := scanner.upload("/archive/docs", map[string]string{"office": fmtInt(xitun), "item": "birth", "reg_date": "69.5.28",
		"persons": "A123456789 王大明 當事人"}, "b.tif", tiff)
	if code != http.StatusSeeOther {
		t.Fatalf("archive upload: %d %.300s", code, body)
	}
	docID := strings.TrimPrefix(resp.Header.Get("Location"), "/archive/docs/")
	docID, _, _ = strings.Cut(docID, "?")
	code, body, resp = clerk.post("/archive/docs/"+docID+"/copies", url.Values{"pages": {"1"}, "applicant_name": {"王大明"},
		"applicant_id_no": {"A123456789"}, "purpose": {"辦理繼承"}}, true)
	if code != http.StatusSeeOther {
		t.Fatalf("archive copy: %d %.300s", code, body)
	}
	ids["copy"] = strings.TrimPrefix(resp.Header.Get("Location"), "/archive/copies/")

	// A cross-district request 西屯 files with 南屯: 北屯 is neither office.
	clerk.get("/archive/requests/new")
	code, body, resp = clerk.post("/archive/requests", url.Values{"original_office": {fmtInt(e.officeID("nantun"))}, "person_name": {"王大明"},
		"person_id_no": {"A123456789"}, "item": {"marriage"}, "approx_date": {"民國97年"}, "applicant_name": {"王大明"}}, true)
	if code != http.StatusSeeOther {
		t.Fatalf("archive request: %d %.300s", code, body)
	}
	ids["request"] = reqLink.FindStringSubmatch(resp.Header.Get("Location"))[1]

	// A rating alert: a terminal paired with a 西屯 counter, a window, the worst press.
	counters, err := e.App.Offices.Counters(ctx, xitun)
	if err != nil || len(counters) == 0 {
		t.Fatalf("counters: %v", err)
	}
	sup, err := e.App.Auth.UserByName(ctx, "supervisor")
	if err != nil {
		t.Fatal(err)
	}
	pair, err := e.App.Rating.NewPairingCode(ctx, sup, counters[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	_, term, err := e.App.Rating.Pair(ctx, pair)
	if err != nil {
		t.Fatal(err)
	}
	w, err := e.App.Rating.Open(ctx, xitun, counters[0].ID, clerkUser.ID, rating.TriggerNotice, "office-test")
	if err != nil {
		t.Fatal(err)
	}
	if _, alarm, err := e.App.Rating.Rate(ctx, term, w.ID, 1); err != nil || !alarm {
		t.Fatalf("rate: alarm %v, %v", alarm, err)
	}
	if err := e.DB.QueryRow(ctx, `SELECT MAX(id) FROM rating_alerts WHERE office_id = ?`, xitun).Scan(&item); err != nil {
		t.Fatal(err)
	}
	ids["alert"] = fmtInt(item)

	// A person of 西屯, a user of 西屯, 西屯 itself.
	ids["person"] = "A123456789"
	cashier, err := e.App.Auth.UserByName(ctx, "cashier")
	if err != nil {
		t.Fatal(err)
	}
	ids["user"] = fmtInt(cashier.ID)
	ids["office"] = fmtInt(xitun)

	// 西屯's own form (office_only), a copy of a catalogue form; and a catalogue form for the visit panel.
	forms := &form.Store{DB: e.DB}
	var catCode string
	if err := e.DB.QueryRow(ctx, `SELECT code FROM forms WHERE office_id = 0 AND kind = ? ORDER BY id LIMIT 1`, form.KindTemplate).Scan(&catCode); err != nil {
		t.Fatal(err)
	}
	cat, err := forms.ByCode(ctx, catCode)
	if err != nil {
		t.Fatal(err)
	}
	inForce, err := forms.InForce(ctx, cat.ID, forms.Today())
	if err != nil {
		t.Fatal(err)
	}
	local := &form.Form{Code: "xitun-own-form", Name: "西屯自製表單", CategoryCode: cat.CategoryCode, Kind: form.KindTemplate, OfficeID: xitun}
	if _, err := forms.Create(ctx, actor, local, form.NewVersion{EffectiveFrom: inForce.EffectiveFrom, Spec: inForce.SpecJSON}); err != nil {
		t.Fatal(err)
	}
	ids["form"] = local.Code
	ids["catalogueForm"] = catCode
	return ids
}
