package app_test

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/platform/clock"
)

// TestSoakShort is the CI-sized soak: the counter's main requests at a steady
// rate (about ten times Taichung's peak-hour rate) for a while, then checks that
// nothing failed and the heap did not keep growing. EBAZHAO_SOAK=1h runs it for
// an hour (docs/benchmarks/README.md).
func TestSoakShort(t *testing.T) {
	dur := 12 * time.Second
	if s := os.Getenv("EBAZHAO_SOAK"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		dur = d
	}
	e := newEnv(t)
	e.App.Kit.ListedPerHour = -1 // three accounts searching at 80 requests/s are a load, not a clerk
	clerks := []*client{e.loggedIn("clerk"), e.loggedIn("clerk2"), e.loggedIn("supervisor")}
	paths := []string{"/persons/A123456789", "/persons?q=王", "/", "/calc/deadline", "/documents", "/fees", "/forms"}
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	const rate = 80 // requests per second
	var mu sync.Mutex
	var errs []string
	var count int
	run := func(d time.Duration) {
		tick := time.NewTicker(time.Second / rate)
		defer tick.Stop()
		end := clock.After(d)
		var wg sync.WaitGroup
		for i := 0; !clock.Passed(end); i++ {
			<-tick.C
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				c, p := clerks[i%len(clerks)], paths[i%len(paths)]
				st, _ := c.get(p)
				mu.Lock()
				count++
				if st != http.StatusOK {
					errs = append(errs, fmt.Sprintf("%s → %d", p, st))
				}
				mu.Unlock()
			}(i)
		}
		wg.Wait()
	}
	run(dur / 4) // warm up: caches, fonts, connection pools
	before := heap()
	run(dur)
	after := heap()
	if len(errs) > 0 {
		t.Fatalf("%d of %d requests failed, e.g. %s", len(errs), count, strings.Join(errs[:min(5, len(errs))], "; "))
	}
	t.Logf("%d requests; heap in use %d MB → %d MB", count, before>>20, after>>20)
	if after > before+64<<20 && after > before*2 {
		t.Errorf("heap grew from %d MB to %d MB during the soak", before>>20, after>>20)
	}
}
