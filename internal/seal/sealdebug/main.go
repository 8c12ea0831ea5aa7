// Command sealdebug is a scratch tool for tuning (removed before hand-off).
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"ebazhao/internal/seal/compare"
	"ebazhao/internal/seal/sealbench"
	"ebazhao/internal/seal/sealgen"
)

func main() {
	switch os.Args[1] {
	case "gen":
		gen(os.Args[2:])
	case "eval":
		eval(os.Args[2:])
	case "one":
		one(os.Args[2:])
	case "png":
		img, err := compare.Load(os.Args[2])
		if err != nil {
			panic(err)
		}
		writePNG(os.Args[3], img)
	}
}

func gen(args []string) {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	seed := fs.Uint64("seed", 1, "")
	persons := fs.Int("persons", 100, "")
	out := fs.String("out", "", "")
	fs.Parse(args)
	fonts, err := sealgen.OpenFonts("")
	if err != nil {
		panic(err)
	}
	os.MkdirAll(*out, 0o755)
	f, _ := os.Create(filepath.Join(*out, "pairs.csv"))
	w := csv.NewWriter(f)
	w.Write([]string{"ref", "cand", "level", "person", "true_angle", "true_scale"})
	var ref string
	var refImp sealgen.Impression
	err = sealgen.Generate(fonts, sealgen.Config{Persons: *persons, Seed: *seed}, func(it sealgen.Item) error {
		os.WriteFile(filepath.Join(*out, it.Name), it.Data, 0o644)
		if it.Level == "" {
			ref = it.Name
			refImp = it.Imp
			return nil
		}
		w.Write([]string{ref, it.Name, string(it.Level), strconv.Itoa(it.Person),
			fmt.Sprintf("%.3f", it.Imp.AngleDeg-refImp.AngleDeg), fmt.Sprintf("%.4f", it.Imp.Scale*it.Imp.DPI/refImp.DPI)})
		return nil
	})
	w.Flush()
	f.Close()
	if err != nil {
		panic(err)
	}
}

type row struct {
	Ref, Cand, Level string
	Person           int
	TrueAng, TrueSc  float64
	Res              *compare.Result
}

func eval(args []string) {
	fs := flag.NewFlagSet("eval", flag.ExitOnError)
	dir := fs.String("dir", "", "")
	from := fs.Int("from", 0, "")
	to := fs.Int("to", 1<<30, "")
	j := fs.Int("j", 2, "")
	js := fs.String("json", "", "write rows as JSON lines")
	show := fs.Int("show", 8, "worst cases to show per level")
	fs.Parse(args)
	f, err := os.Open(filepath.Join(*dir, "pairs.csv"))
	if err != nil {
		panic(err)
	}
	recs, _ := csv.NewReader(f).ReadAll()
	var rows []*row
	for _, r := range recs[1:] {
		p, _ := strconv.Atoi(r[3])
		if p < *from || p >= *to {
			continue
		}
		rw := &row{Ref: r[0], Cand: r[1], Level: r[2], Person: p}
		if len(r) > 5 {
			rw.TrueAng, _ = strconv.ParseFloat(r[4], 64)
			rw.TrueSc, _ = strconv.ParseFloat(r[5], 64)
		}
		rows = append(rows, rw)
	}
	var wg sync.WaitGroup
	ch := make(chan *row)
	for k := 0; k < *j; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range ch {
				a, err := compare.Load(filepath.Join(*dir, r.Ref))
				if err != nil {
					panic(err)
				}
				b, err := compare.Load(filepath.Join(*dir, r.Cand))
				if err != nil {
					panic(err)
				}
				res, err := compare.Compare(a, b, compare.Options{})
				if err != nil {
					panic(err)
				}
				r.Res = res
			}
		}()
	}
	for _, r := range rows {
		ch <- r
	}
	close(ch)
	wg.Wait()
	if *js != "" {
		jf, _ := os.Create(*js)
		enc := json.NewEncoder(jf)
		for _, r := range rows {
			enc.Encode(r)
		}
		jf.Close()
	}
	var gen []float64
	var frr, poorG, n int
	var ms float64
	for _, r := range rows {
		ms += float64(r.Res.Elapsed.Microseconds()) / 1000
		if r.Level == "genuine" {
			n++
			gen = append(gen, r.Res.Score)
			if r.Res.Verdict != compare.Match {
				frr++
			}
			if r.Res.Verdict == compare.Poor {
				poorG++
			}
		}
	}
	fmt.Printf("genuine %d FRR %.1f%% (poor %.1f%%)  mean %.0f ms\n", n, 100*float64(frr)/float64(n), 100*float64(poorG)/float64(n), ms/float64(len(rows)))
	var all []float64
	for _, lv := range []string{"surname", "typeface", "recarve"} {
		var imp []float64
		fa, poor := 0, 0
		for _, r := range rows {
			if r.Level == lv {
				imp = append(imp, r.Res.Score)
				if r.Res.Verdict == compare.Match {
					fa++
				}
				if r.Res.Verdict == compare.Poor {
					poor++
				}
			}
		}
		all = append(all, imp...)
		fmt.Printf("%-9s %3d EER %5.1f%% FAR %5.1f%% poor %4.1f%%\n", lv, len(imp), 100*sealbench.EER(gen, imp), 100*float64(fa)/float64(len(imp)), 100*float64(poor)/float64(len(imp)))
	}
	fmt.Printf("overall   EER %5.1f%%\n", 100*sealbench.EER(gen, all))
	featEER(rows)
	fmt.Println("misaligned genuine:")
	for _, r := range rows {
		if r.Level != "genuine" || r.TrueSc == 0 || r.Res.Features.RefInk == 0 {
			continue
		}
		da := math.Mod(r.Res.AngleDeg-r.TrueAng+540, 360) - 180
		ds := r.Res.Scale/r.TrueSc - 1
		if math.Abs(da) > 0.5 || math.Abs(ds) > 0.01 {
			fmt.Printf("  %-22s angle %.2f (true %.2f) scale %.4f (true %.4f) score %.3f cov %.2f\n", r.Cand, r.Res.AngleDeg, r.TrueAng, r.Res.Scale, r.TrueSc, r.Res.Score, r.Res.Features.Coverage)
		}
	}
	pr := func(r *row) {
		ft := r.Res.Features
		fmt.Printf("  %-22s %-8s %.3f %-8s cov %.2f extra %.3f cell %.3f disp %.2f strk %.3f cham %.2f ink %d/%d dark %.1f  %s\n", r.Cand, r.Level, r.Res.Score, r.Res.Verdict,
			ft.Coverage, ft.Extra, ft.WorstCell, ft.Displacement, ft.Stroke, ft.ChamferCost, ft.CandInk, ft.RefInk, ft.DarkPrintPct, r.Res.Reason)
	}
	sort.Slice(rows, func(a, b int) bool { return rows[a].Res.Score < rows[b].Res.Score })
	fmt.Println("lowest genuine:")
	k := 0
	for _, r := range rows {
		if r.Level == "genuine" && k < *show {
			pr(r)
			k++
		}
	}
	for _, lv := range []string{"surname", "typeface", "recarve"} {
		fmt.Println("highest", lv)
		k = 0
		for i := len(rows) - 1; i >= 0; i-- {
			if rows[i].Level == lv && k < *show {
				pr(rows[i])
				k++
			}
		}
	}
}

func one(args []string) {
	fs := flag.NewFlagSet("one", flag.ExitOnError)
	ov := fs.String("overlay", "", "")
	fs.Parse(args)
	a, err := compare.Load(fs.Arg(0))
	if err != nil {
		panic(err)
	}
	b, err := compare.Load(fs.Arg(1))
	if err != nil {
		panic(err)
	}
	res, err := compare.Compare(a, b, compare.Options{Overlay: *ov != ""})
	if err != nil {
		panic(err)
	}
	e := json.NewEncoder(os.Stdout)
	e.SetIndent("", " ")
	e.Encode(res)
	if *ov != "" {
		writePNG(*ov, res.Overlay)
	}
}

func writePNG(path string, img interface{}) {
	f, _ := os.Create(path)
	defer f.Close()
	if m, ok := img.(interface{ Bounds() image.Rectangle }); ok {
		_ = m
	}
	png.Encode(f, img.(image.Image))
}

// featEER prints, for every numeric feature, the EER of genuine vs each
// forgery level using the feature alone (lower value = genuine).
func featEER(rows []*row) {
	get := func(r *row) map[string]float64 {
		b, _ := json.Marshal(r.Res.Features)
		m := map[string]float64{}
		json.Unmarshal(b, &m)
		m["score"] = -r.Res.Score
		return m
	}
	var names []string
	for k := range get(rows[0]) {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Printf("%-16s %8s %8s %8s   genuine p50/p90/p99/max   recarve p10/p50\n", "feature", "surname", "typeface", "recarve")
	for _, nm := range names {
		vals := map[string][]float64{}
		for _, r := range rows {
			if r.Res.Verdict == compare.Poor && r.Res.Features.RefInk == 0 {
				continue
			}
			vals[r.Level] = append(vals[r.Level], -get(r)[nm])
		}
		fmt.Printf("%-16s", nm)
		for _, lv := range []string{"surname", "typeface", "recarve"} {
			e1 := sealbench.EER(vals["genuine"], vals[lv])
			fmt.Printf(" %7.1f%%", 100*e1)
		}
		g := append([]float64{}, vals["genuine"]...)
		rc := append([]float64{}, vals["recarve"]...)
		for i := range g {
			g[i] = -g[i]
		}
		for i := range rc {
			rc[i] = -rc[i]
		}
		sort.Float64s(g)
		sort.Float64s(rc)
		q := func(v []float64, p float64) float64 {
			if len(v) == 0 {
				return 0
			}
			return v[int(p*float64(len(v)-1))]
		}
		fmt.Printf("   %.3f/%.3f/%.3f/%.3f   %.3f/%.3f\n", q(g, .5), q(g, .9), q(g, .99), q(g, 1), q(rc, .1), q(rc, .5))
	}
}
