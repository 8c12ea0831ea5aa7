package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"ebazhao/internal/app"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/seal"
	"ebazhao/internal/seal/compare"
	"ebazhao/internal/seal/sealbench"
	"ebazhao/internal/seal/sealgen"
)

const sealUsage = `Usage:
  ebazhao seal compare REF CAND [--overlay OUT.png] [--threshold T] [--details]
      compare a candidate imprint with the registered one; prints one JSON object
      {"score","match","verdict","angle_deg","scale","ms"} (verdict: match, mismatch or
      poor = too faint or partial, stamp again); --details adds "reason" (Chinese)
      and "features" (the measurements behind the score)
  ebazhao seal compare --pairs FILE.csv [--threshold T] [--details]
      CSV with header ref,cand (paths relative to the CSV's folder, extra columns
      ignored); prints one JSON line per pair: ref, cand, score, match, verdict, ms
  ebazhao seal import --manifest FILE.csv [--data DIR] [--db URL] [--report OUT.csv]
                      [--workers N] [--allow-unknown-person]
      bulk import of scanned seal cards: CSV with header id_no,date,office,imprint
      (optional photo, signature, kind, card_no, note; image paths relative to the
      CSV's folder). Resumable: a re-run skips the cards already imported. Prints
      imported / skipped / failed with reasons; exit status 1 when a card failed
  ebazhao seal bench [--persons N] [--seed S] [--out DIR] [--threshold T] [-v]
      generate the synthetic benchmark (CNS11643 Kai/Sung seals, genuine
      re-impressions and three forgery levels) and report EER, FAR/FRR and ms per
      comparison on one core; --out also writes the images and pairs.csv
`

// sealCmd runs "ebazhao seal …" and returns the exit code.
func sealCmd(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, sealUsage)
		return 2
	}
	switch args[0] {
	case "compare":
		return sealCompare(args[1:], os.Stdout, os.Stderr)
	case "bench":
		return sealBench(args[1:], os.Stdout, os.Stderr)
	case "import":
		return sealImport(args[1:], os.Stdout, os.Stderr)
	case "help", "-h", "--help":
		fmt.Print(sealUsage)
		return 0
	}
	fmt.Fprintf(os.Stderr, "ebazhao seal: unknown command %q\n\n%s", args[0], sealUsage)
	return 2
}

// compareLine is the stable JSON output of "seal compare".
type compareLine struct {
	Ref      string            `json:"ref,omitempty"`
	Cand     string            `json:"cand,omitempty"`
	Score    float64           `json:"score"`
	Match    bool              `json:"match"`
	Verdict  compare.Verdict   `json:"verdict"`
	AngleDeg *float64          `json:"angle_deg,omitempty"`
	Scale    *float64          `json:"scale,omitempty"`
	MS       float64           `json:"ms"`
	Reason   string            `json:"reason,omitempty"`
	Features *compare.Features `json:"features,omitempty"`
}

type errorLine struct {
	Ref   string `json:"ref,omitempty"`
	Cand  string `json:"cand,omitempty"`
	Error string `json:"error"`
}

// splitFlags lets flags follow the positional arguments (REF CAND --overlay X).
func splitFlags(args []string, withValue map[string]bool) (flags, pos []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && len(a) > 1 {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if withValue[name] && !strings.Contains(a, "=") && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return flags, pos
}

func sealCompare(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("seal compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	overlay := fs.String("overlay", "", "write the overlay PNG here")
	pairs := fs.String("pairs", "", "CSV file of pairs (header ref,cand)")
	thr := fs.Float64("threshold", compare.DefaultThreshold, "score at or above which imprints match")
	details := fs.Bool("details", false, "add the measurements behind the score")
	fl, pos := splitFlags(args, map[string]bool{"overlay": true, "pairs": true, "threshold": true})
	if err := fs.Parse(fl); err != nil {
		return 2
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	opt := compare.Options{Threshold: *thr}
	if *pairs != "" {
		if len(pos) != 0 || *overlay != "" {
			fmt.Fprint(stderr, "seal compare: --pairs takes no REF CAND and no --overlay\n", sealUsage)
			return 2
		}
		return comparePairs(*pairs, opt, *details, enc, stderr)
	}
	if len(pos) != 2 {
		fmt.Fprint(stderr, sealUsage)
		return 2
	}
	opt.Overlay = *overlay != ""
	line, res, err := compareFiles(pos[0], pos[1], opt, *details)
	if err != nil {
		enc.Encode(errorLine{Error: err.Error()})
		fmt.Fprintln(stderr, "ebazhao seal compare:", err)
		return 1
	}
	if *overlay != "" && res.Overlay != nil {
		if err := writePNG(*overlay, res); err != nil {
			enc.Encode(errorLine{Error: err.Error()})
			fmt.Fprintln(stderr, "ebazhao seal compare:", err)
			return 1
		}
	}
	enc.Encode(line)
	return 0
}

func writePNG(path string, res *compare.Result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, res.Overlay); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func compareFiles(refPath, candPath string, opt compare.Options, details bool) (compareLine, *compare.Result, error) {
	start := clock.Start()
	ref, err := compare.Load(refPath)
	if err != nil {
		return compareLine{}, nil, err
	}
	cand, err := compare.Load(candPath)
	if err != nil {
		return compareLine{}, nil, err
	}
	res, err := compare.Compare(ref, cand, opt)
	if err != nil {
		return compareLine{}, nil, fmt.Errorf("%s: %w", refPath, err)
	}
	l := compareLine{Score: res.Score, Match: res.Match, Verdict: res.Verdict,
		MS: math.Round(float64(start.Elapsed().Microseconds())/100) / 10}
	if res.Verdict != compare.Poor || res.Features.RefInk > 0 {
		a, s := res.AngleDeg, res.Scale
		l.AngleDeg, l.Scale = &a, &s
	} else {
		// nothing was aligned: still print the keys, with neutral values
		a, s := 0.0, 1.0
		l.AngleDeg, l.Scale = &a, &s
	}
	if details {
		// beyond the stable keys only on request
		f := res.Features
		l.Features, l.Reason = &f, res.Reason
	}
	return l, res, nil
}

func comparePairs(path string, opt compare.Options, details bool, enc *json.Encoder, stderr io.Writer) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Fprintln(stderr, "ebazhao seal compare:", err)
		return 1
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	head, err := r.Read()
	if err != nil {
		fmt.Fprintln(stderr, "ebazhao seal compare: read header:", err)
		return 1
	}
	ri, ci := -1, -1
	for i, h := range head {
		switch strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) {
		case "ref":
			ri = i
		case "cand":
			ci = i
		}
	}
	if ri < 0 || ci < 0 {
		fmt.Fprintln(stderr, "ebazhao seal compare: the CSV header must name the columns ref and cand")
		return 1
	}
	dir := filepath.Dir(path)
	failed := 0
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fmt.Fprintf(stderr, "ebazhao seal compare: %s line %d: %v\n", path, line, err)
			return 1
		}
		if len(rec) <= max(ri, ci) {
			enc.Encode(errorLine{Error: "line " + strconv.Itoa(line) + ": missing ref or cand"})
			failed++
			continue
		}
		ref, cand := strings.TrimSpace(rec[ri]), strings.TrimSpace(rec[ci])
		rp, cp := ref, cand
		if !filepath.IsAbs(rp) {
			rp = filepath.Join(dir, rp)
		}
		if !filepath.IsAbs(cp) {
			cp = filepath.Join(dir, cp)
		}
		l, _, err := compareFiles(rp, cp, opt, details)
		if err != nil {
			enc.Encode(errorLine{Ref: ref, Cand: cand, Error: err.Error()})
			failed++
			continue
		}
		l.Ref, l.Cand = ref, cand
		l.AngleDeg, l.Scale = nil, nil
		enc.Encode(l)
	}
	if failed > 0 {
		fmt.Fprintf(stderr, "ebazhao seal compare: %d pair(s) failed\n", failed)
		return 1
	}
	return 0
}

func sealBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("seal bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	persons := fs.Int("persons", 100, "seal owners (each: 1 registered imprint, 2 genuine, 1 same-surname, 1 other-typeface and 2 re-carved candidates)")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "also write the images and pairs.csv to this folder")
	thr := fs.Float64("threshold", compare.DefaultThreshold, "decision threshold")
	verbose := fs.Bool("v", false, "print every comparison")
	fontDir := fs.String("fonts", sealgen.DefaultFontDir, "folder of the CNS11643 fonts")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	runtime.GOMAXPROCS(1) // figures are per core
	fonts, err := sealgen.OpenFonts(*fontDir)
	if err != nil {
		fmt.Fprintln(stderr, "ebazhao seal bench:", err)
		return 1
	}
	defer fonts.Close()
	opt := sealbench.Options{Persons: *persons, Seed: *seed, Threshold: *thr, Dir: *out}
	if *verbose {
		opt.Progress = stderr
	}
	rep, err := sealbench.Run(fonts, opt)
	if err != nil {
		fmt.Fprintln(stderr, "ebazhao seal bench:", err)
		return 1
	}
	fmt.Fprintf(stdout, "ebazhao seal bench --persons %d --seed %d (threshold %.2f, %s/%s, %s)\n\n", *persons, *seed, *thr, runtime.GOOS, runtime.GOARCH, rep.Total.Round(time.Second))
	fmt.Fprint(stdout, rep.Markdown())
	return 0
}

func sealImport(args []string, stdout, stderr io.Writer) int {
	var c app.Config
	fs := flag.NewFlagSet("seal import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	app.DataFlags(fs, &c)
	manifest := fs.String("manifest", "", "CSV manifest of the seal cards")
	report := fs.String("report", "", "also write one CSV line per card (line,id_no,key,status,reason,event_id) here")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "cards checked and stored in parallel")
	unknown := fs.Bool("allow-unknown-person", false, "import cards of people missing from the population register")
	quiet := fs.Bool("q", false, "no progress lines")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *manifest == "" {
		fmt.Fprint(stderr, "seal import: --manifest FILE.csv is required\n\n", sealUsage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	d, err := app.OpenDB(ctx, c)
	if err != nil {
		fmt.Fprintln(stderr, "ebazhao seal import:", err)
		return 1
	}
	defer d.Close()
	key, err := seal.LoadKey(c.DataDir)
	if err != nil {
		fmt.Fprintln(stderr, "ebazhao seal import: seal key:", err)
		return 1
	}
	v, err := seal.NewVault(blob.Default(c.DataDir), key)
	if err != nil {
		fmt.Fprintln(stderr, "ebazhao seal import:", err)
		return 1
	}
	opt := seal.ImportOptions{Actor: audit.Actor{Username: "cli:" + os.Getenv("USER"), Client: "seal import"},
		AllowUnknownPerson: *unknown, Workers: *workers}
	if !*quiet {
		opt.Progress = stderr
	}
	st := &seal.Store{DB: d}
	rep, err := st.Import(ctx, v, *manifest, opt)
	if err != nil {
		fmt.Fprintln(stderr, "ebazhao seal import:", err)
		return 1
	}
	fmt.Fprintf(stdout, "seal import %s: %d cards — imported %d, skipped %d (imported before), failed %d (%s)\n",
		*manifest, len(rep.Rows), rep.Imported, rep.Skipped, rep.Failed, rep.Elapsed.Round(time.Millisecond))
	for _, r := range rep.Rows {
		if r.Status == seal.ImportFailed {
			fmt.Fprintf(stdout, "  line %d\t%s\tfailed: %s\n", r.Line, r.IDNo, r.Reason)
		}
	}
	if *report != "" {
		if err := writeImportReport(*report, rep); err != nil {
			fmt.Fprintln(stderr, "ebazhao seal import: report:", err)
			return 1
		}
	}
	if rep.Failed > 0 {
		return 1
	}
	return 0
}

func writeImportReport(path string, rep *seal.ImportReport) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"line", "id_no", "key", "status", "reason", "event_id"})
	for _, r := range rep.Rows {
		w.Write([]string{strconv.Itoa(r.Line), r.IDNo, r.Key, r.Status, r.Reason, strconv.FormatInt(r.EventID, 10)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
