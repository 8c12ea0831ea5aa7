package archive

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
)

// ManifestColumns are the columns of a bulk-import manifest (CSV, UTF-8, with
// this header row). persons: "A123456789 王大明 當事人; B220000000 李美玲 母";
// office: code (xitun), district (西屯區) or full name; reg_date: ROC or ISO.
var ManifestColumns = []string{"file", "office", "item", "reg_date", "persons", "volume", "page", "note"}

// ImportReport tells what a bulk import did.
type ImportReport struct {
	Rows     int
	Imported int
	Skipped  int // archived already (by an earlier, interrupted run)
	Rejected int
	Pages    int
	Rejects  []ImportReject
	Took     time.Duration
}

// ImportReject is a manifest row that was not imported, with the reason.
type ImportReject struct {
	Line   int
	File   string
	Reason string
}

// Import archives every row of a manifest, one document per row, files taken
// relative to dir. It is resumable: a file archived by an earlier run is found
// by its hash and skipped. progress is called after each row.
func (s *Service) Import(ctx context.Context, actor audit.Actor, dir, manifest string, progress func(done, total, pages int)) (*ImportReport, error) {
	start := clock.Start()
	f, err := os.Open(manifest)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	records, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", manifest, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("manifest %s is empty", manifest)
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range []string{"file", "office", "item", "reg_date", "persons"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("manifest %s: missing column %q (columns: %s)", manifest, c, strings.Join(ManifestColumns, ","))
		}
	}
	offices, err := s.officeIndex(ctx)
	if err != nil {
		return nil, err
	}
	rep := &ImportReport{Rows: len(records) - 1}
	for i, rec := range records[1:] {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if err := s.importRow(ctx, actor, dir, offices, rep, i+2, col, rec); err != nil {
			return rep, err
		}
		if progress != nil {
			progress(i+1, rep.Rows, rep.Pages)
		}
	}
	rep.Took = start.Elapsed()
	return rep, nil
}

// importRow archives one manifest row; only a failure of the store or the
// database (not of the row) is returned.
func (s *Service) importRow(ctx context.Context, actor audit.Actor, dir string, offices map[string]int64, rep *ImportReport, line int, col map[string]int, rec []string) error {
	get := func(c string) string {
		if j, ok := col[c]; ok && j < len(rec) {
			return strings.TrimSpace(rec[j])
		}
		return ""
	}
	rejectRow := func(reason string) {
		rep.Rejected++
		rep.Rejects = append(rep.Rejects, ImportReject{Line: line, File: get("file"), Reason: reason})
	}
	name := get("file")
	if name == "" || filepath.IsAbs(name) || strings.Contains(filepath.ToSlash(filepath.Clean(name)), "../") {
		rejectRow("檔名空白或不在匯入資料夾內")
		return nil
	}
	officeID, ok := offices[get("office")]
	if !ok {
		rejectRow(fmt.Sprintf("戶所「%s」不存在", get("office")))
		return nil
	}
	regDate, err := civil.Parse(get("reg_date"))
	if err != nil {
		rejectRow("登記日期：" + err.Error())
		return nil
	}
	b, err := os.ReadFile(filepath.Join(dir, filepath.Clean(name)))
	if err != nil {
		rejectRow("讀不到檔案：" + err.Error())
		return nil
	}
	a := actor
	if a.OfficeID == 0 {
		a.OfficeID = officeID
	}
	in := DocInput{OfficeID: officeID, Item: get("item"), RegDate: regDate, Volume: get("volume"), PageRef: get("page"),
		Note: get("note"), Persons: ParsePersons(get("persons")), SourceName: name, CityWide: true}
	d, err := s.Ingest(ctx, a, in, b)
	var de *DuplicateError
	var ie *InputError
	var re *RejectError
	switch {
	case err == nil:
		rep.Imported++
		rep.Pages += d.PageCount
	case errors.As(err, &de):
		rep.Skipped++
	case errors.As(err, &ie), errors.As(err, &re):
		rejectRow(err.Error())
	default:
		return fmt.Errorf("line %d (%s): %w", line, name, err)
	}
	return nil
}

// officeIndex maps office codes, districts and names to ids.
func (s *Service) officeIndex(ctx context.Context) (map[string]int64, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, code, name, district FROM offices`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := map[string]int64{}
	for rows.Next() {
		var id int64
		var code, name, district string
		if err := rows.Scan(&id, &code, &name, &district); err != nil {
			return nil, err
		}
		m[code], m[name], m[district] = id, id, id
	}
	return m, rows.Err()
}

// WriteRejects writes the rejected rows as CSV (line, file, reason).
func WriteRejects(w io.Writer, rs []ImportReject) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"line", "file", "reason"})
	for _, r := range rs {
		cw.Write([]string{fmt.Sprint(r.Line), r.File, r.Reason})
	}
	cw.Flush()
	return cw.Error()
}

// Command runs `ebazhao archive SUBCOMMAND` on an open, migrated database:
//
//	import --dir DIR --manifest FILE [--user NAME]   bulk import (resumable)
//	generate --docs N [--seed S]                     synthetic index for benchmarks
//	verify                                           re-hash every stored file
func Command(ctx context.Context, d *db.DB, dataDir string, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: ebazhao archive import|generate|verify [flags]")
	}
	svc := NewService(d, blob.Default(dataDir))
	fs := flag.NewFlagSet("archive "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch args[0] {
	case "import":
		dir := fs.String("dir", ".", "folder holding the scanned files")
		manifest := fs.String("manifest", "", "CSV manifest: "+strings.Join(ManifestColumns, ","))
		user := fs.String("user", "", "account the import is recorded under (default: system)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *manifest == "" {
			return errors.New("archive import: --manifest is required")
		}
		actor := audit.Actor{Username: "system", Client: "cli"}
		if *user != "" {
			if err := d.QueryRow(ctx, `SELECT id, office_id FROM users WHERE username = ?`, *user).Scan(&actor.UserID, &actor.OfficeID); err != nil {
				return fmt.Errorf("archive import: user %s: %w", *user, err)
			}
			actor.Username = *user
		}
		start := clock.Start()
		rep, err := svc.Import(ctx, actor, *dir, *manifest, func(done, total, pages int) {
			const width = 30
			fill := width * done / max(1, total)
			rate := float64(pages) / max(start.Elapsed().Seconds(), 0.001)
			fmt.Fprintf(stderr, "\r[%s%s] %d/%d 件  %d 頁  %.1f 頁/秒 ", strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total, pages, rate)
		})
		fmt.Fprintln(stderr)
		if rep != nil {
			fmt.Fprintf(stdout, "rows %d, imported %d (%d pages), already archived %d, rejected %d\n", rep.Rows, rep.Imported, rep.Pages, rep.Skipped, rep.Rejected)
			if rep.Rejected > 0 {
				out := *manifest + ".rejected.csv"
				f, ferr := os.Create(out)
				if ferr == nil {
					WriteRejects(f, rep.Rejects)
					f.Close()
					fmt.Fprintf(stdout, "rejected rows and reasons: %s\n", out)
				}
			}
		}
		return err
	case "generate":
		docs := fs.Int("docs", 1_000_000, "documents to generate")
		seed := fs.Uint64("seed", rand.Uint64(), "random seed")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		g := &Generator{DB: d, Blobs: svc.Blobs, Docs: *docs, Seed: *seed, Progress: func(done int) {
			if done%50_000 == 0 || done == *docs {
				fmt.Fprintf(stderr, "\r%d/%d documents", done, *docs)
			}
		}}
		took, err := g.Run(ctx)
		fmt.Fprintln(stderr)
		if err == nil {
			fmt.Fprintf(stdout, "generated %d documents in %s\n", *docs, took.Round(time.Second))
		}
		return err
	case "verify":
		store, ok := svc.Blobs.(blob.Verifier)
		if !ok {
			return errors.New("archive verify: the store cannot list its files")
		}
		bad := 0
		n, err := store.Verify(ctx, func(h string, err error) {
			bad++
			fmt.Fprintf(stdout, "DAMAGED %s: %v\n", h, err)
		})
		fmt.Fprintf(stdout, "checked %d files, %d damaged\n", n, bad)
		if err == nil && bad > 0 {
			err = fmt.Errorf("%d damaged files", bad)
		}
		return err
	}
	return fmt.Errorf("archive: unknown subcommand %q", args[0])
}
