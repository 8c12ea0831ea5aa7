// Package sealbench measures the seal comparison engine on a generated,
// reproducible set of imprints: equal error rate, false accept and false
// reject rates at the default threshold per forgery level and overall, and
// time per comparison.
package sealbench

import (
	"encoding/csv"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"ebazhao/internal/platform/clock"
	"ebazhao/internal/seal/compare"
	"ebazhao/internal/seal/sealgen"
)

// Options of a run.
type Options struct {
	Persons   int
	Seed      uint64
	Genuine   int
	Recarved  int
	Threshold float64   // 0: compare.DefaultThreshold
	Dir       string    // when set, images and pairs.csv are written there
	Progress  io.Writer // one line per comparison when set
}

// Outcome is one comparison.
type Outcome struct {
	Person   int
	Level    sealgen.Level
	Ref      string
	Cand     string
	Score    float64
	Verdict  compare.Verdict
	Angle    float64
	TrueAng  float64
	Scale    float64
	Compare  time.Duration // both images from pixels to verdict
	Decode   time.Duration // decoding both files
	Features compare.Features
}

// LevelStats summarises the genuine candidates against one forgery level.
type LevelStats struct {
	Level    sealgen.Level
	N        int     // forgeries
	EER      float64 // equal error rate against the genuine candidates
	FAR      float64 // forgeries with verdict match at the default threshold
	Poor     float64 // forgeries with verdict poor
	Rejected float64 // forgeries with verdict mismatch
}

// Report of a run.
type Report struct {
	Options  Options
	Genuine  int     // genuine comparisons
	FRR      float64 // genuine not matched (mismatch or poor)
	FRRHard  float64 // genuine judged mismatch
	PoorRate float64 // genuine judged poor
	Levels   []LevelStats
	Overall  LevelStats
	MeanMS   float64
	P95MS    float64
	MeanDec  float64
	Outcomes []Outcome
	Total    time.Duration
}

// Run generates the set and compares every candidate with its person's
// registered imprint, one comparison at a time.
func Run(fs *sealgen.Fonts, opt Options) (*Report, error) {
	start := clock.Start()
	thr := opt.Threshold
	if thr <= 0 {
		thr = compare.DefaultThreshold
	}
	var refItem sealgen.Item
	var outs []Outcome
	var pairs *csv.Writer
	if opt.Dir != "" {
		if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
			return nil, err
		}
		f, err := os.Create(filepath.Join(opt.Dir, "pairs.csv"))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		pairs = csv.NewWriter(f)
		defer pairs.Flush()
		pairs.Write([]string{"ref", "cand", "level", "person"})
	}
	cfg := sealgen.Config{Persons: opt.Persons, Seed: opt.Seed, Genuine: opt.Genuine, Recarved: opt.Recarved}
	err := sealgen.Generate(fs, cfg, func(it sealgen.Item) error {
		if opt.Dir != "" {
			if err := os.WriteFile(filepath.Join(opt.Dir, it.Name), it.Data, 0o644); err != nil {
				return err
			}
		}
		if it.Level == "" {
			refItem = it
			return nil
		}
		if pairs != nil {
			pairs.Write([]string{refItem.Name, it.Name, string(it.Level), fmt.Sprint(it.Person)})
		}
		t0 := clock.Start()
		ri, err := compare.DecodeBytes(refItem.Data)
		if err != nil {
			return err
		}
		ci, err := compare.DecodeBytes(it.Data)
		if err != nil {
			return err
		}
		dec := t0.Elapsed()
		res, err := compareImages(ri, ci, thr)
		if err != nil {
			return fmt.Errorf("%s vs %s: %w", refItem.Name, it.Name, err)
		}
		o := Outcome{Person: it.Person, Level: it.Level, Ref: refItem.Name, Cand: it.Name, Score: res.Score,
			Verdict: res.Verdict, Angle: res.AngleDeg, TrueAng: it.Imp.AngleDeg - refItem.Imp.AngleDeg,
			Scale: res.Scale, Compare: res.Elapsed, Decode: dec, Features: res.Features}
		outs = append(outs, o)
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, "%-22s %-9s score %.3f %-8s angle %7.2f (true %7.2f) scale %.3f %4.0f ms  cov %.2f extra %.3f cell %.3f disp %.2f\n",
				it.Name, it.Level, o.Score, o.Verdict, o.Angle, normDeg(o.TrueAng), o.Scale, ms(o.Compare),
				o.Features.Coverage, o.Features.Extra, o.Features.WorstCell, o.Features.Displacement)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := summarise(outs, thr)
	r.Options = opt
	r.Total = start.Elapsed()
	return r, nil
}

func compareImages(ref, cand image.Image, thr float64) (*compare.Result, error) {
	return compare.Compare(ref, cand, compare.Options{Threshold: thr})
}

func normDeg(a float64) float64 {
	for a > 180 {
		a -= 360
	}
	for a <= -180 {
		a += 360
	}
	return a
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func summarise(outs []Outcome, thr float64) *Report {
	r := &Report{Outcomes: outs}
	var gen []float64
	var times []float64
	var dec float64
	for _, o := range outs {
		times = append(times, ms(o.Compare))
		dec += ms(o.Decode)
		if o.Level != sealgen.Genuine {
			continue
		}
		r.Genuine++
		gen = append(gen, o.Score)
		switch o.Verdict {
		case compare.Mismatch:
			r.FRR++
			r.FRRHard++
		case compare.Poor:
			r.FRR++
			r.PoorRate++
		}
	}
	if r.Genuine > 0 {
		r.FRR /= float64(r.Genuine)
		r.FRRHard /= float64(r.Genuine)
		r.PoorRate /= float64(r.Genuine)
	}
	var all []float64
	allStats := LevelStats{Level: "overall"}
	for _, lv := range sealgen.ForgeryLevels {
		st := LevelStats{Level: lv}
		var imp []float64
		for _, o := range outs {
			if o.Level != lv {
				continue
			}
			st.N++
			imp = append(imp, o.Score)
			switch o.Verdict {
			case compare.Match:
				st.FAR++
				allStats.FAR++
			case compare.Poor:
				st.Poor++
				allStats.Poor++
			default:
				st.Rejected++
				allStats.Rejected++
			}
		}
		if st.N > 0 {
			st.EER = EER(gen, imp)
			st.FAR /= float64(st.N)
			st.Poor /= float64(st.N)
			st.Rejected /= float64(st.N)
		}
		allStats.N += st.N
		all = append(all, imp...)
		r.Levels = append(r.Levels, st)
	}
	if allStats.N > 0 {
		allStats.EER = EER(gen, all)
		allStats.FAR /= float64(allStats.N)
		allStats.Poor /= float64(allStats.N)
		allStats.Rejected /= float64(allStats.N)
	}
	r.Overall = allStats
	if len(times) > 0 {
		var s float64
		for _, t := range times {
			s += t
		}
		r.MeanMS = s / float64(len(times))
		sort.Float64s(times)
		r.P95MS = times[int(0.95*float64(len(times)-1))]
		r.MeanDec = dec / float64(len(times))
	}
	return r
}

// EER is the equal error rate of genuine and impostor scores (higher means
// genuine): the smallest, over all thresholds, of the larger of the false
// accept and false reject rates.
func EER(genuine, impostor []float64) float64 {
	if len(genuine) == 0 || len(impostor) == 0 {
		return 0
	}
	ts := append(append([]float64{}, genuine...), impostor...)
	ts = append(ts, 2)
	best := 1.0
	for _, t := range ts {
		var fr, fa int
		for _, g := range genuine {
			if g < t {
				fr++
			}
		}
		for _, s := range impostor {
			if s >= t {
				fa++
			}
		}
		e := max(float64(fr)/float64(len(genuine)), float64(fa)/float64(len(impostor)))
		if e < best {
			best = e
		}
	}
	return best
}

// Markdown renders the summary table.
func (r *Report) Markdown() string {
	var b strings.Builder
	pct := func(v float64) string { return fmt.Sprintf("%.1f %%", v*100) }
	fmt.Fprintf(&b, "| set | comparisons | EER | FAR at default threshold | forgeries judged poor | FRR at default threshold (of which poor) |\n")
	fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| genuine | %d | | | | %s (%s) |\n", r.Genuine, pct(r.FRR), pct(r.PoorRate))
	for _, st := range append(append([]LevelStats{}, r.Levels...), r.Overall) {
		fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | |\n", st.Level, st.N, pct(st.EER), pct(st.FAR), pct(st.Poor))
	}
	fmt.Fprintf(&b, "\nTime per comparison (one core, both images from pixels to verdict): mean %.1f ms, 95th percentile %.1f ms; decoding the two files adds %.1f ms on average.\n", r.MeanMS, r.P95MS, r.MeanDec)
	return b.String()
}
