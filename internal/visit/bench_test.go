package visit_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/app"
	"ebazhao/internal/demo"
	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/web"
)

// The visit screen benchmark runs the whole application (routing, session,
// permissions, the subsystems' queries, templates, the audit write of each
// person view) over a register of EBAZHAO_VISIT_BENCH_PEOPLE generated people
// (default 300,000; Taichung is 2,820,000) plus the full demo data, so the
// citizen served has documents, a seal registration, N加e history and an
// archive. With EBAZHAO_VISIT_BENCH_DATA set to a folder the SQLite database
// there is kept between runs. Figures: docs/benchmarks/visit.md.
var bench struct {
	once     sync.Once
	err      error
	h        http.Handler
	clerk    string // session cookie values
	sup      string
	csrf     string
	visit    string
	people   int
	otherIDs []string
}

func benchPeople() int {
	if n, err := strconv.Atoi(os.Getenv("EBAZHAO_VISIT_BENCH_PEOPLE")); err == nil && n > 0 {
		return n
	}
	return 300_000
}

func setup(b *testing.B) {
	bench.once.Do(func() {
		ctx := context.Background()
		var d *db.DB
		dir := os.Getenv("EBAZHAO_VISIT_BENCH_DATA")
		if dir != "" {
			var err error
			if d, err = db.Open(ctx, "", dir); err == nil {
				var ms []db.Migration
				if ms, err = migrations.All(); err == nil {
					_, err = d.Migrate(ctx, ms)
				}
			}
			if err != nil {
				bench.err = err
				return
			}
		} else {
			d = dbtest.New(b)
			dir = b.TempDir()
		}
		cfg := app.Config{Demo: true, Policy: auth.DefaultPolicy(), DataDir: dir}
		a, err := app.New(ctx, cfg, d, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			bench.err = err
			return
		}
		if err := a.SeedDemo(ctx, "demo", 300, io.Discard); err != nil {
			bench.err = err
			return
		}
		bench.people = benchPeople()
		start := clock.Start()
		if err := demo.GeneratePeople(ctx, d, bench.people, io.Discard); err != nil {
			bench.err = err
			return
		}
		b.Logf("register: %d generated people ready in %s", bench.people, start.Elapsed().Round(time.Second))
		for i := 1; i <= 50; i++ {
			bench.otherIDs = append(bench.otherIDs, demo.ScaleIDNo(i*(bench.people/50)))
		}
		session := func(name string) (string, error) {
			u, err := a.Auth.UserByName(ctx, name)
			if err != nil {
				return "", err
			}
			return a.Auth.CreateSession(ctx, u, "bench")
		}
		if bench.clerk, err = session("clerk"); err != nil {
			bench.err = err
			return
		}
		if bench.sup, err = session("supervisor"); err != nil {
			bench.err = err
			return
		}
		bench.h = a.Handler()
		// Only the clerk posts: the form token is its session's.
		if bench.csrf, err = a.Kit.SessionCSRF(ctx, bench.clerk); err != nil {
			bench.err = err
			return
		}
		clerk, _ := a.Auth.UserByName(ctx, "clerk")
		cs, _ := a.Offices.Counters(ctx, clerk.OfficeID)
		form := url.Values{"q": {"A123456789"}, "kind": {"move"}, "csrf_token": {bench.csrf}}
		if len(cs) > 0 {
			form.Set("counter_id", fmt.Sprint(cs[0].ID))
		}
		// A fresh visit (serving someone else first ends any visit a previous
		// run left open), as at the counter: its activity is its own.
		do(bench.clerk, "POST", "/visits", url.Values{"q": {bench.otherIDs[0]}, "csrf_token": {bench.csrf}})
		rec := do(bench.clerk, "POST", "/visits", form)
		if rec.Code != http.StatusSeeOther {
			bench.err = fmt.Errorf("start visit: %d %s", rec.Code, rec.Body.String())
			return
		}
		bench.visit = rec.Header().Get("Location")
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
}

func do(session, method, path string, form url.Values) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: session})
	req.AddCookie(&http.Cookie{Name: "ebz_csrf", Value: bench.csrf})
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method == "GET" {
		req.Header.Set("HX-Request", "true") // as the screen loads its fragments
	}
	rec := httptest.NewRecorder()
	bench.h.ServeHTTP(rec, req)
	return rec
}

var visitRE = regexp.MustCompile(`^/visits/\d+$`)

// BenchmarkVisitScreens measures every screen and fragment of a visit,
// server side, and fails when one takes 50 ms or more on average.
func BenchmarkVisitScreens(b *testing.B) {
	setup(b)
	if !visitRE.MatchString(bench.visit) {
		b.Fatalf("visit path %q", bench.visit)
	}
	v := bench.visit
	pages := []struct {
		name, session, path, want string
	}{
		{"screen", bench.clerk, v, "建議辦理"},
		{"side", bench.clerk, v + "/side", "本次已辦"},
		{"agency-panel", bench.clerk, v + "/agency?kind=move", "agency-pick"},
		{"tips-panel", bench.clerk, v + "/tips?cat=move", "tips-print"},
		{"fees-panel", bench.clerk, v + "/fees", "fee-form"},
		{"documents-fragment", bench.clerk, "/persons/A123456789/documents", "歷次行政文書"},
		{"agency-status-fragment", bench.clerk, "/agency/persons/A123456789/status", "agency-status"},
		{"office-live", bench.sup, "/visits/office/live", "t-receipts"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			rec := do(p.session, "GET", p.path, nil)
			if rec.Code != 200 || !strings.Contains(rec.Body.String(), p.want) {
				b.Fatalf("%s: %d %.300s", p.path, rec.Code, rec.Body.String())
			}
			b.ResetTimer()
			start := clock.Start()
			for i := 0; i < b.N; i++ {
				if rec := do(p.session, "GET", p.path, nil); rec.Code != 200 {
					b.Fatalf("%s: %d", p.path, rec.Code)
				}
			}
			per := start.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(per.Microseconds())/1000, "ms/op")
			if per >= 50*time.Millisecond {
				b.Errorf("%s took %s on average: over the 50 ms budget", p.name, per)
			}
		})
	}
	// Starting a visit (scan the ID): alternating citizens, so each start also
	// closes the previous visit — two audited writes and an insert.
	b.Run("start-by-id", func(b *testing.B) {
		start := clock.Start()
		for i := 0; i < b.N; i++ {
			id := "A123456789"
			if i%2 == 0 {
				id = bench.otherIDs[i%len(bench.otherIDs)]
			}
			rec := do(bench.clerk, "POST", "/visits", url.Values{"q": {id}, "kind": {"move"}, "csrf_token": {bench.csrf}})
			if rec.Code != http.StatusSeeOther {
				b.Fatalf("start %s: %d %.300s", id, rec.Code, rec.Body.String())
			}
		}
		per := start.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(per.Microseconds())/1000, "ms/op")
		if per >= 50*time.Millisecond {
			b.Errorf("starting a visit took %s on average", per)
		}
	})
}
