// Package app wires ebazhao together: configuration, database, subsystems,
// routes, background jobs and the HTTP server.
package app

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/web"
)

// Config is everything the binary can be told, by flag or environment.
type Config struct {
	Addr         string
	MetricsAddr  string // a private listener for /metrics ("" for none)
	DataDir      string
	DBURL        string
	DBReplica    string
	Demo         bool
	DemoPassword string
	TLSCert      string
	TLSKey       string
	BackupKeep   int
	BackupEvery  time.Duration
	BackupDir    string
	LogFormat    string
	Policy       auth.Policy
	// AuthRate is how many logins, password changes and failed API tokens one
	// client address may make a minute (0: web.DefaultAuthAttemptsPerMinute).
	AuthRate int
	// AuditCheckpointEvery is how often a signed audit checkpoint is written to
	// the backup folder (0: never).
	AuditCheckpointEvery time.Duration
	// N加e partner agencies: SFTP endpoint ("" disables it) and the daily files.
	SFTPAddr        string
	AgencyFilesAt   string
	AgencyFilesKeep int
	// ListedPerHour bounds the people one account is shown by searches in an
	// hour (0: web.DefaultListedPerHour; -1: unbounded, for load tests only).
	ListedPerHour int
	// Clock is the one clock of the application (nil: the system clock, which
	// EBAZHAO_TEST_NOW shifts). Every service reads it through the database.
	Clock *clock.Clock
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// DefaultDataDir is ./data unless EBAZHAO_DATA says otherwise.
func DefaultDataDir() string { return env("EBAZHAO_DATA", "data") }

// DataFlags registers --data and --db (with EBAZHAO_DATA, EBAZHAO_DB) on fs.
func DataFlags(fs *flag.FlagSet, c *Config) {
	fs.StringVar(&c.DataDir, "data", DefaultDataDir(), "data folder (SQLite database, files, backups) [EBAZHAO_DATA]")
	fs.StringVar(&c.DBURL, "db", env("EBAZHAO_DB", ""), "database URL, e.g. postgres://user@host/db; empty: SQLite in the data folder [EBAZHAO_DB]")
	fs.Var(blobsFlag{}, "blobs", "where stored files (scans, seal images, forms) go: empty for DATA/blobs, or an object store `SPEC` s3://BUCKET/PREFIX?endpoint=HOST:PORT&region=REGION&insecure=1 with keys in EBAZHAO_S3_ACCESS_KEY, EBAZHAO_S3_SECRET_KEY [EBAZHAO_BLOBS]")
}

// blobsFlag is --blobs. The store is opened by each subsystem with
// blob.Default, which reads EBAZHAO_BLOBS, so the flag sets that variable; a
// spec that does not parse fails here, when the flags are read.
type blobsFlag struct{}

func (blobsFlag) String() string { return os.Getenv(blob.EnvSpec) }

func (blobsFlag) Set(spec string) error {
	if _, err := blob.Open(spec, ""); err != nil {
		return err
	}
	return os.Setenv(blob.EnvSpec, spec)
}

// CheckBlobs opens the configured blob store and, for an object store,
// confirms its bucket answers, so a wrong setting fails at start-up rather
// than at the first upload.
func (c *Config) CheckBlobs(ctx context.Context) error {
	return blob.CheckDefault(ctx, c.DataDir)
}

// ServeFlags registers the serve command's flags.
func ServeFlags(fs *flag.FlagSet, c *Config) {
	DataFlags(fs, c)
	c.Policy = auth.DefaultPolicy()
	p := &c.Policy
	fs.StringVar(&c.DBReplica, "db-replica", env("EBAZHAO_DB_REPLICA", ""), "PostgreSQL standby URL that searches and reports read from [EBAZHAO_DB_REPLICA]")
	fs.StringVar(&c.MetricsAddr, "metrics-addr", env("EBAZHAO_METRICS_ADDR", ""), "private listen address for Prometheus metrics without an account, e.g. 127.0.0.1:9090 (on --addr, /metrics needs a session or token with audit.view) [EBAZHAO_METRICS_ADDR]")
	fs.StringVar(&c.Addr, "addr", env("EBAZHAO_ADDR", "127.0.0.1:8080"), "listen address HOST:PORT [EBAZHAO_ADDR]")
	fs.BoolVar(&c.Demo, "demo", env("EBAZHAO_DEMO", "") == "1", "seed demo offices, accounts and people [EBAZHAO_DEMO=1]")
	fs.StringVar(&c.DemoPassword, "demo-password", env("EBAZHAO_DEMO_PASSWORD", "demo"), "password of the demo accounts")
	fs.StringVar(&c.TLSCert, "tls-cert", env("EBAZHAO_TLS_CERT", ""), "TLS certificate file (enables HTTPS) [EBAZHAO_TLS_CERT]")
	fs.StringVar(&c.TLSKey, "tls-key", env("EBAZHAO_TLS_KEY", ""), "TLS key file [EBAZHAO_TLS_KEY]")
	fs.IntVar(&c.BackupKeep, "backup-keep", envInt("EBAZHAO_BACKUP_KEEP", 14), "daily backups to keep [EBAZHAO_BACKUP_KEEP]")
	fs.DurationVar(&c.BackupEvery, "backup-every", 24*time.Hour, "interval of automatic backups (0 disables)")
	fs.StringVar(&c.BackupDir, "backup-dir", env("EBAZHAO_BACKUP_DIR", ""), "backup folder (default DATA/backups) [EBAZHAO_BACKUP_DIR]")
	fs.DurationVar(&c.AuditCheckpointEvery, "audit-checkpoint-every", 24*time.Hour, "interval of the signed audit checkpoints written to the backup folder (0 disables)")
	fs.StringVar(&c.LogFormat, "log-format", env("EBAZHAO_LOG_FORMAT", "text"), "log format: text or json [EBAZHAO_LOG_FORMAT]")
	fs.StringVar(&c.SFTPAddr, "sftp-addr", env("EBAZHAO_SFTP_ADDR", ""), "SFTP endpoint for partner agencies' daily files, e.g. 127.0.0.1:2222; empty disables it (host key in DATA/keys) [EBAZHAO_SFTP_ADDR]")
	fs.StringVar(&c.AgencyFilesAt, "agency-files-at", env("EBAZHAO_AGENCY_FILES_AT", "01:00"), "time of day (HH:MM, Taipei) the previous day's agency files are made [EBAZHAO_AGENCY_FILES_AT]")
	fs.IntVar(&c.AgencyFilesKeep, "agency-files-keep", envInt("EBAZHAO_AGENCY_FILES_KEEP", 180), "days agency files stay in the SFTP folders (0: forever)")
	fs.IntVar(&c.ListedPerHour, "listed-per-hour", envInt("EBAZHAO_LISTED_PER_HOUR", 0), "people one account may be shown by searches and listings in an hour; beyond it searches are refused and audited (0: 600; -1: no bound, load tests only) [EBAZHAO_LISTED_PER_HOUR]")
	fs.IntVar(&p.MinPasswordLen, "password-min-length", envInt("EBAZHAO_PASSWORD_MIN_LENGTH", p.MinPasswordLen), "minimum password length")
	fs.DurationVar(&p.PasswordMaxAge, "password-max-age", p.PasswordMaxAge, "password age before a change is required (0: never)")
	fs.IntVar(&p.MaxFailures, "lockout-failures", envInt("EBAZHAO_LOCKOUT_FAILURES", p.MaxFailures), "failed logins before lockout")
	fs.DurationVar(&p.LockDuration, "lockout-duration", p.LockDuration, "lockout duration")
	fs.DurationVar(&p.IdleTimeout, "session-idle", p.IdleTimeout, "session idle timeout")
	fs.DurationVar(&p.TokenMaxAge, "token-max-age", envDuration("EBAZHAO_TOKEN_MAX_AGE", auth.DefaultTokenMaxAge),
		"life of an API token from when it is minted or renewed; an expired token gets 401 until an admin renews it (default 90 days) [EBAZHAO_TOKEN_MAX_AGE]")
	fs.IntVar(&p.HashMemoryMiB, "hash-memory", envInt("EBAZHAO_HASH_MEMORY", auth.DefaultHashMemoryMiB),
		"memory budget in MiB for password hashing at once (argon2id, 64 MiB each): max(2, min(CPUs, budget/64)) logins are checked at a time, the rest wait [EBAZHAO_HASH_MEMORY]")
	fs.IntVar(&c.AuthRate, "auth-rate", envInt("EBAZHAO_AUTH_RATE", web.DefaultAuthAttemptsPerMinute),
		"logins, password changes and failed API tokens allowed per client address a minute; more are answered 429 [EBAZHAO_AUTH_RATE]")
}

// Backups returns the backup folder.
func (c *Config) Backups() string {
	if c.BackupDir != "" {
		return c.BackupDir
	}
	return filepath.Join(c.DataDir, "backups")
}
