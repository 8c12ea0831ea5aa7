// Command ebzload drives a running ebazhao with the counter's main requests and
// reports throughput and latency percentiles per request kind.
//
//	ebzload -url http://127.0.0.1:8080 -people 2820000 -c 32 -d 60s            closed loop, 32 clerks
//	ebzload -url http://127.0.0.1:8080 -people 2820000 -rate 200 -d 60s        open loop, 200 requests/s
//
// It logs in as the demo clerks (password -password) and spreads requests over
// them. The mix is weighted: -mix person=40,search=20,home=10,calc=20,…
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"ebazhao/internal/archive"
	"ebazhao/internal/demo"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/seal/sealgen"
)

type kind struct {
	name   string
	weight int
	run    func(c *clerk, rng *rand.Rand) (int, error)
}

type clerk struct {
	base string
	http *http.Client
	csrf string
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func login(base, user, pw string) (*clerk, error) {
	jar, _ := cookiejar.New(nil)
	c := &clerk{base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	resp, err := c.http.Get(base + "/login")
	if err != nil {
		return nil, err
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("no CSRF token on the login page")
	}
	c.csrf = string(m[1])
	resp, err = c.http.PostForm(base+"/login", url.Values{"username": {user}, "password": {pw}, "csrf_token": {c.csrf}})
	if err != nil {
		return nil, err
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path == "/login" {
		return nil, fmt.Errorf("login as %s failed", user)
	}
	// The form token is bound to the session: read it off the first page.
	if m := csrfField.FindSubmatch(b); m != nil {
		c.csrf = string(m[1])
	}
	return c, nil
}

func (c *clerk) get(path string) (int, error) {
	resp, err := c.http.Get(c.base + path)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func (c *clerk) postJSON(path, body string) (int, error) {
	st, _, err := c.postJSONBody(path, body)
	return st, err
}

func (c *clerk) postJSONBody(path, body string) (int, []byte, error) {
	req, _ := http.NewRequest("POST", c.base+path, bytes.NewBufferString(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, b, err
}

// postMultipart posts a page form with one file, as the browser does.
func (c *clerk) postMultipart(path, field string, file []byte) (int, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf_token", c.csrf)
	fw, _ := mw.CreateFormFile(field, "imprint.png")
	fw.Write(file)
	mw.Close()
	req, _ := http.NewRequest("POST", c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// candidateImprints renders a few application imprints with the seal generator.
func candidateImprints() [][]byte {
	fonts, err := sealgen.OpenFonts("")
	if err != nil {
		fmt.Fprintln(os.Stderr, "ebzload: seal fonts:", err)
		os.Exit(1)
	}
	defer fonts.Close()
	rng := rand.New(rand.NewPCG(7, 7))
	var out [][]byte
	for i := 0; i < 8; i++ {
		p := sealgen.NewPerson(rng)
		m, err := fonts.Render(p.Design)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ebzload: seal render:", err)
			os.Exit(1)
		}
		imp := sealgen.ApplicationImpression(rng)
		imp.JPEG = 0
		b, _ := sealgen.Stamp(fonts, m, imp, rng)
		out = append(out, b)
	}
	return out
}

type sample struct {
	kind string
	dur  time.Duration
	ok   bool
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "ebazhao base URL")
	users := flag.String("users", "clerk,clerk2,supervisor", "demo accounts to log in as")
	pw := flag.String("password", "demo", "their password")
	people := flag.Int("people", 300, "generated people in the database (ebazhao demo --scale): IDs 1..N are looked up")
	conc := flag.Int("c", 16, "concurrent clerks (closed loop)")
	rate := flag.Float64("rate", 0, "target requests per second (open loop); 0: closed loop")
	dur := flag.Duration("d", 30*time.Second, "duration")
	mix := flag.String("mix", "person=40,search=20,home=10,calc=30", "weighted request mix: person, search, home, calc, visit, receipt, document, archive, seal")
	every := flag.Duration("every", 0, "soak: also report each window of this length (errors, p50, p99, server memory)")
	serverPID := flag.Int("pid", 0, "soak: the server's process id, to report its resident memory per window")
	archiveDocs := flag.Int("archive-docs", 0, "generated archive documents (archive: searched people are drawn from them)")
	flag.Parse()
	var sealImages [][]byte // candidate imprints for seal comparisons, made on first use
	var sealOnce sync.Once
	person := func(rng *rand.Rand) string {
		if *people > 300 {
			return demo.ScaleIDNo(1 + rng.IntN(*people))
		}
		return "A123456789"
	}

	kinds := map[string]func(c *clerk, rng *rand.Rand) (int, error){
		"person": func(c *clerk, rng *rand.Rand) (int, error) { return c.get("/persons/" + person(rng)) },
		"search": func(c *clerk, rng *rand.Rand) (int, error) {
			q := []string{"王", "林美", "陳志", "張", "黃雅"}[rng.IntN(5)]
			return c.get("/persons?q=" + url.QueryEscape(q))
		},
		"home": func(c *clerk, rng *rand.Rand) (int, error) { return c.get("/") },
		// visit: the counter opens a visit for a person and shows the visit screen.
		"visit": func(c *clerk, rng *rand.Rand) (int, error) {
			st, body, err := c.postJSONBody("/api/v1/visits", `{"id_no":"`+person(rng)+`"}`)
			if err != nil || st >= 400 {
				return st, err
			}
			var v struct {
				ID int64 `json:"id"`
			}
			if err := json.Unmarshal(body, &v); err != nil || v.ID == 0 {
				return 0, fmt.Errorf("visit: no id in %s", body)
			}
			if st, err := c.get(fmt.Sprintf("/visits/%d", v.ID)); err != nil || st >= 400 {
				return st, err
			}
			// 409: the same clerk, busy in another worker, started a new visit,
			// which ends this one (one open visit per clerk).
			st, err = c.postJSON(fmt.Sprintf("/api/v1/visits/%d/end", v.ID), `{}`)
			if st == http.StatusConflict {
				st = http.StatusOK
			}
			return st, err
		},
		"receipt": func(c *clerk, rng *rand.Rand) (int, error) {
			return c.postJSON("/api/v1/receipts", fmt.Sprintf(`{"items":[{"item":"戶籍謄本","qty":%d}],"payment":"cash","idempotency_key":"load-%d"}`, 1+rng.IntN(3), rng.Uint64()))
		},
		"document": func(c *clerk, rng *rand.Rand) (int, error) {
			return c.postJSON("/api/v1/documents", `{"kind":"onetime","item":"出生登記","items":["出生證明書正本"],"recipient":{"id_no":"`+person(rng)+`"}}`)
		},
		"archive": func(c *clerk, rng *rand.Rand) (int, error) {
			id := "A123456789"
			if *archiveDocs > 0 {
				id = archive.GenPerson(rng.IntN(max(10, *archiveDocs/2))).IDNo
			}
			return c.get("/api/v1/archive/docs?id_no=" + id)
		},
		// seal: a clerk uploads an application's imprint and compares it with the
		// person's registered seal (decrypted, aligned, scored, stored).
		"seal": func(c *clerk, rng *rand.Rand) (int, error) {
			sealOnce.Do(func() { sealImages = candidateImprints() })
			holder := "A123456789"
			if *people > 300 {
				holder = demo.ScaleIDNo(demo.SealHolder(rng.IntN(demo.SealCards(*people)), *people))
			}
			st, err := c.postMultipart("/seals/p/"+holder+"/compare", "imprint", sealImages[rng.IntN(len(sealImages))])
			if st == http.StatusConflict { // 此人目前沒有登記印鑑: the generated holder cancelled the seal — a counter answer, not a failure
				st = http.StatusOK
			}
			return st, err
		},
		"calc": func(c *clerk, rng *rand.Rand) (int, error) {
			day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(700)).Format("2006-01-02")
			return c.postJSON("/api/v1/calc/fine", `{"registration":"出生登記","event_date":"`+day+`","application_date":"2026-11-20"}`)
		},
	}
	var ks []kind
	total := 0
	for _, part := range strings.Split(*mix, ",") {
		name, w, _ := strings.Cut(part, "=")
		weight, _ := strconv.Atoi(w)
		run, ok := kinds[name]
		if !ok || weight <= 0 {
			fmt.Fprintf(os.Stderr, "ebzload: unknown or zero-weight mix entry %q\n", part)
			os.Exit(2)
		}
		ks = append(ks, kind{name, weight, run})
		total += weight
	}
	pick := func(rng *rand.Rand) kind {
		n := rng.IntN(total)
		for _, k := range ks {
			if n < k.weight {
				return k
			}
			n -= k.weight
		}
		return ks[0]
	}
	var clerks []*clerk
	for _, u := range strings.Split(*users, ",") {
		c, err := login(*base, u, *pw)
		if err != nil {
			fmt.Fprintln(os.Stderr, "ebzload:", err)
			os.Exit(1)
		}
		clerks = append(clerks, c)
	}
	samples := make(chan sample, 4096)
	var all []sample
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		for s := range samples {
			mu.Lock()
			all = append(all, s)
			mu.Unlock()
		}
		close(done)
	}()
	if *every > 0 {
		go func() {
			fmt.Printf("%-9s %8s %7s %9s %9s %9s %12s\n", "window", "count", "errors", "req/s", "p50 ms", "p99 ms", "server RSS")
			from, t0 := 0, clock.After(0)
			for w := 1; ; w++ {
				time.Sleep(clock.Until(t0.Add(time.Duration(w) * *every)))
				mu.Lock()
				win := append([]sample(nil), all[from:]...)
				from = len(all)
				mu.Unlock()
				windowReport(time.Duration(w)**every, win, *every, *serverPID)
			}
		}()
	}
	one := func(c *clerk, rng *rand.Rand) {
		k := pick(rng)
		start := clock.Start()
		st, err := k.run(c, rng)
		samples <- sample{k.name, start.Elapsed(), err == nil && st < 400}
	}
	start, run := clock.After(0), clock.Start()
	end := start.Add(*dur)
	var wg sync.WaitGroup
	if *rate > 0 {
		interval := time.Duration(float64(time.Second) / *rate)
		sem := make(chan struct{}, 512)
		rng := rand.New(rand.NewPCG(1, 2))
		for t := start; t.Before(end); t = t.Add(interval) {
			time.Sleep(clock.Until(t))
			sem <- struct{}{}
			wg.Add(1)
			c := clerks[rng.IntN(len(clerks))]
			seed := rng.Uint64()
			go func() {
				defer wg.Done()
				one(c, rand.New(rand.NewPCG(seed, 3)))
				<-sem
			}()
		}
	} else {
		for w := 0; w < *conc; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(w), 7))
				c := clerks[w%len(clerks)]
				for !clock.Passed(end) {
					one(c, rng)
				}
			}(w)
		}
	}
	wg.Wait()
	elapsed := run.Elapsed()
	close(samples)
	<-done
	report(all, elapsed)
}

// windowReport prints one soak window: throughput, errors, latency, and the
// server's resident memory (from /proc) when its pid is known.
func windowReport(at time.Duration, win []sample, length time.Duration, pid int) {
	d := make([]time.Duration, len(win))
	errs := 0
	for i, s := range win {
		d[i] = s.dur
		if !s.ok {
			errs++
		}
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	p := func(q float64) float64 {
		if len(d) == 0 {
			return 0
		}
		return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000
	}
	rss := "-"
	if pid > 0 {
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
					rss = strings.TrimSpace(v)
				}
			}
		}
	}
	fmt.Printf("%-9s %8d %7d %9.1f %9.2f %9.2f %12s\n", at.Round(time.Second), len(win), errs, float64(len(win))/length.Seconds(), p(.5), p(.99), rss)
}

func report(all []sample, elapsed time.Duration) {
	by := map[string][]time.Duration{}
	errs := map[string]int{}
	for _, s := range all {
		by[s.kind] = append(by[s.kind], s.dur)
		by["ALL"] = append(by["ALL"], s.dur)
		if !s.ok {
			errs[s.kind]++
			errs["ALL"]++
		}
	}
	names := make([]string, 0, len(by))
	for k := range by {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Printf("%-8s %8s %7s %9s %9s %9s %9s %9s\n", "kind", "count", "errors", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms")
	for _, k := range names {
		d := by[k]
		sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
		p := func(q float64) float64 { return float64(d[int(q*float64(len(d)-1))].Microseconds()) / 1000 }
		fmt.Printf("%-8s %8d %7d %9.1f %9.2f %9.2f %9.2f %9.2f\n", k, len(d), errs[k], float64(len(d))/elapsed.Seconds(), p(.5), p(.9), p(.99), p(1))
	}
}
