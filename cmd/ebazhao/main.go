// Command ebazhao is the household registration office back-office system
// (戶政 e把罩應用服務系統): one binary for the server and its maintenance tasks.
package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"ebazhao/internal/app"
	"ebazhao/internal/demo"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/rocdate"
)

const usage = `ebazhao — 戶政 e把罩應用服務系統

Usage:
  ebazhao serve   [--addr HOST:PORT] [--data DIR] [--db URL] [--demo]   run the web server
  ebazhao migrate [--data DIR] [--db URL]                                apply schema migrations
  ebazhao demo    [--data DIR] [--db URL] [--demo-password PW] [--scale demo|city|nation]  seed demo data
  ebazhao backup  --to FILE [--data DIR] [--db URL]                      consistent online backup
  ebazhao restore --from FILE [--data DIR] [--db URL]                    restore a backup (server stopped)
  ebazhao audit verify [--data DIR] [--db URL] [--checkpoint FILE]      check the audit hash chain (and that it still holds a checkpoint)
  ebazhao audit checkpoint [--data DIR] [--db URL] [--backup-dir DIR]   write a signed audit checkpoint to the backup folder
  ebazhao token create --user NAME [--name LABEL] [--data DIR] [--db URL] print a new API token
  ebazhao calc KIND < input.json                                         legal calculators (JSON in, JSON out)
  ebazhao seal compare REF CAND [--overlay OUT.png] | --pairs FILE.csv  seal imprint comparison (JSON out); seal bench
  ebazhao archive import --dir DIR --manifest FILE | generate --docs N | verify   archived applications
  ebazhao blob scrub [--data DIR] [--blobs SPEC]                         verify every stored file against its SHA-256
  ebazhao blob copy --to SPEC|DIR [--data DIR] [--blobs SPEC]            copy every stored file to another store
  ebazhao version

Environment: EBAZHAO_ADDR, EBAZHAO_DATA, EBAZHAO_DB, EBAZHAO_BLOBS, EBAZHAO_AUDIT_KEY (and see 'ebazhao serve -h').
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd, args := os.Args[1], os.Args[2:]
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, args)
	case "migrate":
		err = migrate(ctx, args)
	case "demo":
		err = seedDemo(ctx, args)
	case "backup":
		err = backup(ctx, args)
	case "restore":
		err = restore(ctx, args)
	case "audit":
		err = auditCmd(ctx, args, os.Stdout, os.Stderr)
	case "token":
		err = tokenCmd(ctx, args)
	case "calc":
		os.Exit(calc(args, os.Stdin, os.Stdout))
	case "seal":
		os.Exit(sealCmd(args))
	case "archive":
		err = archiveCmd(ctx, args)
	case "blob":
		os.Exit(blobCmd(ctx, args, os.Stdout, os.Stderr))
	case "version", "--version", "-v":
		fmt.Println("ebazhao", app.Version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "ebazhao: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		var ex exitError
		if errors.As(err, &ex) {
			fmt.Fprintln(os.Stderr, "ebazhao:", ex.msg)
			os.Exit(ex.code)
		}
		fmt.Fprintln(os.Stderr, "ebazhao "+cmd+":", err)
		os.Exit(1)
	}
}

type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func newLogger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func dataFlagSet(name string, c *app.Config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	app.DataFlags(fs, c)
	return fs
}

func serve(ctx context.Context, args []string) error {
	var c app.Config
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	app.ServeFlags(fs, &c)
	fs.Parse(args)
	log := newLogger(c.LogFormat)
	if at, ok := clock.Shifted(); ok {
		log.Warn("the clock is shifted for testing: business dates are not today's", "env", clock.EnvTestNow, "started_at", at)
	}
	d, err := app.OpenDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := app.New(ctx, c, d, log)
	if err != nil {
		return err
	}
	if c.Demo {
		if err := a.SeedDemo(ctx, c.DemoPassword, 300, os.Stderr); err != nil {
			return err
		}
	}
	srv := &http.Server{Addr: c.Addr, Handler: a.Handler(), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(os.Stderr, "  ebazhao %s listening on %s://%s (database: %s, data: %s)\n\n", app.Version, scheme, ln.Addr(), d.Engine, c.DataDir)
	bctx, cancelBackups := context.WithCancel(ctx)
	defer cancelBackups()
	go a.RunBackups(bctx)
	go a.RunAuditCheckpoints(bctx) // signed audit checkpoints beside the backups
	errc := make(chan error, 4)
	go func() { // N加e daily files: catches up at once, then every day at --agency-files-at
		if err := a.Agency.RunDailyFiles(bctx, c.AgencyFilesAt, c.AgencyFilesKeep); err != nil {
			errc <- err
		}
	}()
	if c.MetricsAddr != "" { // metrics for a scraper, on a private address
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Kit.MetricsHandler())
		msrv := &http.Server{Addr: c.MetricsAddr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { errc <- msrv.ListenAndServe() }()
		defer msrv.Close()
	}
	if c.SFTPAddr != "" { // N加e: the partner agencies' SFTP endpoint
		go func() {
			if err := a.Agency.ServeSFTP(bctx, c.SFTPAddr); err != nil {
				errc <- err
			}
		}()
	}
	go func() {
		if c.TLSCert != "" {
			errc <- srv.ServeTLS(ln, c.TLSCert, c.TLSKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

func openDB(ctx context.Context, c app.Config) (*db.DB, error) { return app.OpenDB(ctx, c) }

func migrate(ctx context.Context, args []string) error {
	var c app.Config
	dataFlagSet("migrate", &c).Parse(args)
	d, err := db.Open(ctx, c.DBURL, c.DataDir)
	if err != nil {
		return err
	}
	defer d.Close()
	ms, err := app.Migrations()
	if err != nil {
		return err
	}
	applied, err := d.Migrate(ctx, ms)
	if err != nil {
		return err
	}
	fmt.Printf("migrations applied: %d (schema at version %d)\n", len(applied), ms[len(ms)-1].Version)
	return nil
}

// scaleArchiveDocs is the default size of the generated archive index.
var scaleArchiveDocs = map[string]int{"city": 1_000_000, "nation": 8_000_000}

func seedDemo(ctx context.Context, args []string) error {
	var c app.Config
	fs := dataFlagSet("demo", &c)
	pw := fs.String("demo-password", "demo", "password of the demo accounts")
	n := fs.Int("people", 300, "number of demo people")
	scale := fs.String("scale", "demo", "data size: demo, city (2.8 million people) or nation (23.4 million)")
	years := fs.Int("years", 5, "years of history at city or nation scale: receipts, documents, ratings")
	archiveDocs := fs.Int("archive-docs", -1, "archived applications to generate (default: 1,000,000 city, 8,000,000 nation)")
	only := fs.String("only", "", "comma-separated generator steps to run (default all: "+strings.Join(app.ScaleSteps, ",")+")")
	fs.Parse(args)
	if _, ok := demo.Scales[*scale]; !ok {
		return exitError{2, "demo: --scale must be demo, city or nation"}
	}
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	c.Demo = true                                   // the demo's admin gets the demo password, not a one-time one
	a, err := app.New(ctx, c, d, newLogger("text")) // seeds offices and reference data
	if err != nil {
		return err
	}
	if err := a.SeedDemo(ctx, *pw, *n, os.Stdout); err != nil {
		return err
	}
	if *scale != "demo" {
		opts := app.ScaleOptions{People: demo.Scales[*scale], Years: *years, ArchiveDocs: *archiveDocs, Today: clock.System().Today(), Log: os.Stderr}
		if opts.ArchiveDocs < 0 {
			opts.ArchiveDocs = scaleArchiveDocs[*scale]
		}
		if *only != "" {
			opts.Only = strings.Split(*only, ",")
			for _, st := range opts.Only {
				if !slices.Contains(app.ScaleSteps, st) {
					return exitError{2, fmt.Sprintf("demo: --only: unknown step %q (steps: %s)", st, strings.Join(app.ScaleSteps, ","))}
				}
			}
		}
		start := clock.Start()
		if err := a.GenerateScale(ctx, opts); err != nil {
			return err
		}
		fmt.Printf("%s-scale data generated in %s\n", *scale, start.Elapsed().Round(time.Second))
	}
	fmt.Println("demo data ready")
	return nil
}

func backup(ctx context.Context, args []string) error {
	var c app.Config
	fs := dataFlagSet("backup", &c)
	to := fs.String("to", "", "backup file to write")
	fs.Parse(args)
	if *to == "" {
		return exitError{2, "backup: --to FILE is required"}
	}
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Backup(ctx, *to); err != nil {
		return err
	}
	st, _ := os.Stat(*to)
	fmt.Printf("backup written: %s (%d bytes, %s)\n", *to, st.Size(), d.Engine)
	return nil
}

func restore(ctx context.Context, args []string) error {
	var c app.Config
	fs := dataFlagSet("restore", &c)
	from := fs.String("from", "", "backup file to restore")
	fs.Parse(args)
	if *from == "" && fs.NArg() == 1 {
		*from = fs.Arg(0)
	}
	if *from == "" {
		return exitError{2, "restore: --from FILE is required"}
	}
	if err := db.Restore(ctx, c.DBURL, c.DataDir, *from); err != nil {
		return err
	}
	d, err := openDB(ctx, c) // applies any migration newer than the backup
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Printf("restored %s into %s\n", *from, firstNonEmpty(c.DBURL, filepath.Join(c.DataDir, db.SQLiteFile)))
	return nil
}

const auditUsage = "usage: ebazhao audit verify [--data DIR] [--db URL] [--checkpoint FILE [--public-key FILE]]\n" +
	"       ebazhao audit checkpoint [--data DIR] [--db URL] [--backup-dir DIR]"

func auditCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return exitError{2, auditUsage}
	}
	switch args[0] {
	case "verify":
		return auditVerify(ctx, args[1:], stdout, stderr)
	case "checkpoint":
		return auditCheckpoint(ctx, args[1:], stdout, stderr)
	}
	return exitError{2, auditUsage}
}

// auditVerify checks the audit trail's chain; with --checkpoint, also that the
// chain still contains the checkpoint (signature checked with this
// installation's key, or with --public-key).
func auditVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c app.Config
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	app.DataFlags(fs, &c)
	cpFile := fs.String("checkpoint", "", "a signed checkpoint (audit-checkpoint-*.json) the chain must still contain")
	pubFile := fs.String("public-key", "", "check the checkpoint's signature with this Ed25519 public key (base64 or PEM) instead of the one derived from the audit key")
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	if *pubFile != "" && *cpFile == "" {
		return exitError{2, "audit verify: --public-key needs --checkpoint FILE"}
	}
	var cp audit.Checkpoint
	var pub ed25519.PublicKey
	if *cpFile != "" {
		var err error
		if cp, err = audit.ReadCheckpoint(*cpFile); errors.Is(err, audit.ErrBadCheckpoint) {
			return checkpointRefused(*cpFile, err)
		} else if err != nil {
			return err
		}
		if *pubFile != "" {
			b, err := os.ReadFile(*pubFile)
			if err != nil {
				return err
			}
			if pub, err = audit.ParsePublicKey(b); err != nil {
				return exitError{2, fmt.Sprintf("audit verify: --public-key %s: %v", *pubFile, err)}
			}
		}
	}
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	var n int64
	var problem *audit.Problem
	if *cpFile == "" {
		n, problem, err = audit.Verify(ctx, d)
	} else {
		n, problem, err = audit.VerifyCheckpoint(ctx, d, cp, pub)
		if errors.Is(err, audit.ErrBadCheckpoint) {
			return checkpointRefused(*cpFile, err)
		}
	}
	if err != nil {
		return err
	}
	if problem != nil {
		return exitError{1, fmt.Sprintf("audit chain BROKEN at entry %d: %s (%d entries intact before it)", problem.Seq, problem.Reason, min(n, problem.Seq-1))}
	}
	fmt.Fprintf(stdout, "audit chain intact: %d entries\n", n)
	if *cpFile != "" {
		fmt.Fprintf(stdout, "checkpoint %s (taken %s): still contained — %d entries, head %s\n", *cpFile, cp.At, cp.Entries, cp.HeadHash)
	}
	return nil
}

// flagError is the outcome of a flag set that did not parse: -h has printed
// the flags (exit 0), anything else is a usage error.
func flagError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return exitError{2, auditUsage}
}

func checkpointRefused(file string, err error) error {
	why := strings.TrimPrefix(err.Error(), audit.ErrBadCheckpoint.Error()+": ")
	return exitError{1, fmt.Sprintf("audit checkpoint REFUSED: %s: %s", file, why)}
}

// auditCheckpoint writes a signed checkpoint on demand, as the server does daily.
func auditCheckpoint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c app.Config
	fs := flag.NewFlagSet("audit checkpoint", flag.ContinueOnError)
	fs.SetOutput(stderr)
	app.DataFlags(fs, &c)
	fs.StringVar(&c.BackupDir, "backup-dir", os.Getenv("EBAZHAO_BACKUP_DIR"), "backup folder the checkpoint goes to (default DATA/backups) [EBAZHAO_BACKUP_DIR]")
	if err := fs.Parse(args); err != nil {
		return flagError(err)
	}
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	file, cp, err := app.WriteAuditCheckpoint(ctx, d, c.Backups(), slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit checkpoint written: %s (%d entries, head %s, signed by %s)\n", file, cp.Entries, cp.HeadHash, cp.PublicKey)
	return nil
}

func tokenCmd(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return exitError{2, "usage: ebazhao token create --user NAME [--name LABEL]"}
	}
	var c app.Config
	fs := dataFlagSet("token create", &c)
	user := fs.String("user", "", "user the token acts as")
	name := fs.String("name", "cli", "what the token is for")
	maxAge := fs.Duration("max-age", auth.DefaultTokenMaxAge, "how long the token works (renewed on the admin's token page) [EBAZHAO_TOKEN_MAX_AGE]")
	if v, err := time.ParseDuration(os.Getenv("EBAZHAO_TOKEN_MAX_AGE")); err == nil {
		*maxAge = v
	}
	fs.Parse(args[1:])
	if *user == "" {
		return exitError{2, "token create: --user NAME is required"}
	}
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	p := auth.DefaultPolicy()
	p.TokenMaxAge = *maxAge
	svc := auth.New(d, p)
	u, err := svc.UserByName(ctx, *user)
	if err != nil {
		return exitError{1, fmt.Sprintf("token create: no user %q", *user)}
	}
	tok, err := svc.CreateToken(ctx, audit.Actor{Username: "cli:" + os.Getenv("USER")}, u.ID, *name)
	if err != nil {
		return err
	}
	fmt.Println(tok)
	fmt.Fprintf(os.Stderr, "token for %s expires %s\n", u.Username, rocdate.FormatDateTime(svc.Now().Add(p.TokenLife())))
	return nil
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
