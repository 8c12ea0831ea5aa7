package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"ebazhao/internal/app"
	"ebazhao/internal/seal/sealgen"
)

// sealSet writes a registered imprint, a genuine application imprint and a
// re-carved forgery of one generated seal into dir.
func sealSet(t *testing.T, dir string) (ref, genuine, recarved string) {
	t.Helper()
	fs, err := sealgen.OpenFonts("")
	if err != nil {
		t.Fatalf("CNS11643 fonts are required: %v", err)
	}
	defer fs.Close()
	rng := rand.New(rand.NewPCG(42, 1))
	p := sealgen.NewPerson(rng)
	write := func(name string, d sealgen.Design, imp sealgen.Impression) string {
		m, err := fs.Render(d)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := sealgen.Stamp(fs, m, imp, rng)
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	card := sealgen.CardImpression(rng)
	card.DPI = 300
	app := sealgen.ApplicationImpression(rng)
	app.Pressure, app.Faint, app.Dropout, app.JPEG = 0.2, 0.05, 0.2, 85 // an ordinary impression
	ref = write("ref.png", p.Design, card)
	genuine = write("genuine.jpg", p.Design, app)
	recarved = write("recarved.jpg", sealgen.Forge(rng, p, sealgen.Recarve), app)
	return ref, genuine, recarved
}

func runSeal(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	var code int
	switch args[0] {
	case "compare":
		code = sealCompare(args[1:], &out, &errb)
	case "import":
		code = sealImport(args[1:], &out, &errb)
	}
	return code, out.String(), errb.String()
}

func TestSealCompareCLIGenuineAndRecarved(t *testing.T) {
	dir := t.TempDir()
	ref, genuine, recarved := sealSet(t, dir)
	overlay := filepath.Join(dir, "overlay.png")
	cases := []struct {
		cand    string
		args    []string
		verdict string
		match   bool
	}{
		{genuine, []string{"--overlay", overlay}, "match", true},
		{recarved, nil, "mismatch", false},
	}
	for _, c := range cases {
		code, out, errs := runSeal(append([]string{"compare", ref, c.cand}, c.args...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.cand, code, errs)
		}
		// the stable output: exactly these keys, one JSON object on one line
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil || strings.Count(out, "\n") != 1 {
			t.Fatalf("%s: output %q is not one JSON line: %v", c.cand, out, err)
		}
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if want := []string{"angle_deg", "match", "ms", "scale", "score", "verdict"}; !reflect.DeepEqual(keys, want) {
			t.Errorf("%s: keys %v, want %v", c.cand, keys, want)
		}
		if m["verdict"] != c.verdict || m["match"] != c.match {
			t.Errorf("%s: verdict %v match %v, want %s %v (score %v)", filepath.Base(c.cand), m["verdict"], m["match"], c.verdict, c.match, m["score"])
		}
		if s, ok := m["score"].(float64); !ok || s < 0 || s > 1 {
			t.Errorf("%s: score %v outside [0,1]", c.cand, m["score"])
		}
		if ms, ok := m["ms"].(float64); !ok || ms <= 0 {
			t.Errorf("%s: ms %v", c.cand, m["ms"])
		}
	}
	f, err := os.Open(overlay)
	if err != nil {
		t.Fatalf("no overlay written: %v", err)
	}
	defer f.Close()
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() < 100 {
		t.Errorf("overlay: %v", err)
	}
}

func TestSealComparePairsReportsMissingFiles(t *testing.T) {
	dir := t.TempDir()
	ref, genuine, recarved := sealSet(t, dir)
	csv := "ref,cand,level\n" +
		filepath.Base(ref) + "," + filepath.Base(genuine) + ",genuine\n" +
		filepath.Base(ref) + ",missing.png,genuine\n" +
		filepath.Base(ref) + "," + filepath.Base(recarved) + ",recarve\n"
	pairs := filepath.Join(dir, "pairs.csv")
	if err := os.WriteFile(pairs, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runSeal("compare", "--pairs", pairs)
	if code == 0 {
		t.Errorf("exit 0 although a file is missing")
	}
	if !strings.Contains(errs, "1 pair(s) failed") {
		t.Errorf("stderr %q", errs)
	}
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 3 {
		t.Fatalf("%d lines, want one per pair: %s", len(lines), out)
	}
	if lines[0]["verdict"] != "match" || lines[0]["cand"] != filepath.Base(genuine) || lines[0]["ref"] != filepath.Base(ref) {
		t.Errorf("pair 1: %v", lines[0])
	}
	if e, _ := lines[1]["error"].(string); !strings.Contains(e, "missing.png") || lines[1]["cand"] != "missing.png" {
		t.Errorf("pair 2 should be an error line naming the file: %v", lines[1])
	}
	if _, has := lines[1]["score"]; has {
		t.Errorf("error line carries a score: %v", lines[1])
	}
	if lines[2]["match"] != false || lines[2]["verdict"] == "match" {
		t.Errorf("pair 3 (re-carved): %v", lines[2])
	}
	for i, l := range []map[string]any{lines[0], lines[2]} {
		for _, k := range []string{"ref", "cand", "score", "match", "verdict", "ms"} {
			if _, ok := l[k]; !ok {
				t.Errorf("result line %d lacks %q: %v", i, k, l)
			}
		}
	}
	// a CSV without the ref and cand columns is refused
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("a,b\nx,y\n"), 0o600)
	if code, _, _ := runSeal("compare", "--pairs", bad); code != 1 {
		t.Errorf("header without ref,cand: exit %d", code)
	}
	if code, _, _ := runSeal("compare", ref); code != 2 {
		t.Errorf("one image only: exit %d, want usage (2)", code)
	}
}

func TestSealImportCLI(t *testing.T) {
	data := t.TempDir()
	t.Setenv("EBAZHAO_DB", "")
	t.Setenv("EBAZHAO_SEAL_KEY", "")
	ctx := context.Background()
	d, err := app.OpenDB(ctx, app.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at) VALUES ('B08', '西屯所', '臺中市', '西屯區', 'x', 'x')`); err != nil {
		t.Fatal(err)
	}
	d.Close()
	cards := t.TempDir()
	ref, _, _ := sealSet(t, cards)
	os.WriteFile(filepath.Join(cards, "broken.png"), []byte("\x89PNG\r\n\x1a\n broken"), 0o600)
	manifest := filepath.Join(cards, "cards.csv")
	os.WriteFile(manifest, []byte("id_no,date,office,imprint\n"+
		"A123456789,2019-08-02,B08,"+filepath.Base(ref)+"\n"+
		"A123456780,2019-08-02,B08,"+filepath.Base(ref)+"\n"+
		"B120863158,2019-08-02,B08,broken.png\n"), 0o600)
	report := filepath.Join(cards, "report.csv")
	args := []string{"import", "--manifest", manifest, "--data", data, "--allow-unknown-person", "-q", "--report", report}
	code, out, errs := runSeal(args...)
	if code != 1 || !strings.Contains(out, "imported 1, skipped 0 (imported before), failed 2") {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "line 3\tA123456780\tfailed: 身分證統一編號有誤") || !strings.Contains(out, "line 4\tB120863158\tfailed: 印模影像損壞") {
		t.Errorf("failures not reported with line and reason:\n%s", out)
	}
	rep, err := os.ReadFile(report)
	if err != nil || !strings.Contains(string(rep), "2,A123456789,") || strings.Count(string(rep), "\n") != 4 {
		t.Errorf("report file: %v\n%s", err, rep)
	}
	code, out, _ = runSeal(args...)
	if code != 1 || !strings.Contains(out, "imported 0, skipped 1 (imported before), failed 2") {
		t.Errorf("re-run: exit %d\n%s", code, out)
	}
	if code, _, _ := runSeal("import", "--data", data); code != 2 {
		t.Errorf("no manifest: exit %d, want 2", code)
	}
}
