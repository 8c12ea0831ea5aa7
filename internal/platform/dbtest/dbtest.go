// Package dbtest gives tests a fresh, migrated database on the engine CI asks for.
//
//	EBAZHAO_TEST_ENGINE=sqlite   (default) a new SQLite file per test
//	EBAZHAO_TEST_ENGINE=postgres a new database per test in a PostgreSQL cluster:
//	                             EBAZHAO_TEST_PG_URL if set, else a throwaway cluster
//	                             that Main starts (initdb + pg_ctl) and removes.
//
// A requested engine that cannot be reached fails the run; it never skips.
//
// Every test database's audit trail is keyed with one fixed test key
// (AuditKey): New puts it on the handle, and Main sets EBAZHAO_AUDIT_KEY to it
// for the whole test process and the children it starts, so a test that opens
// a database itself, or reopens one, hashes and verifies with the same key.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"ebazhao/internal/migrations"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
)

// Engine returns the engine tests run on.
func Engine() db.Engine {
	if strings.EqualFold(os.Getenv("EBAZHAO_TEST_ENGINE"), "postgres") {
		return db.Postgres
	}
	return db.SQLite
}

var cluster struct {
	sync.Mutex
	adminURL string
}

// AuditKey returns the audit key of test databases: fixed, never a real
// installation's (it is derived from a public label).
func AuditKey() []byte {
	k := sha256.Sum256([]byte("ebazhao/dbtest/audit-key"))
	return k[:]
}

// Main wraps testing.M.Run for packages with database tests: on PostgreSQL without
// EBAZHAO_TEST_PG_URL it starts a throwaway cluster for the package and removes it.
// It sets EBAZHAO_AUDIT_KEY to the test key (AuditKey) for the process.
func Main(m *testing.M) {
	os.Setenv(audit.KeyEnv, base64.StdEncoding.EncodeToString(AuditKey()))
	if Engine() != db.Postgres || os.Getenv("EBAZHAO_TEST_PG_URL") != "" {
		cluster.adminURL = os.Getenv("EBAZHAO_TEST_PG_URL")
		os.Exit(m.Run())
	}
	c, err := StartCluster()
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbtest: cannot start PostgreSQL:", err)
		os.Exit(2)
	}
	cluster.adminURL = c.URL
	code := m.Run()
	c.Stop()
	os.Exit(code)
}

// Cluster is a throwaway PostgreSQL server on a loopback port.
type Cluster struct {
	Dir  string
	Port int
	URL  string
	asPG bool
	opts string // server options, for a restart
}

// StartCluster runs initdb and pg_ctl start in a temporary folder. As root it
// runs them as the postgres system user, since PostgreSQL refuses to run as root.
func StartCluster() (*Cluster, error) {
	dir, err := os.MkdirTemp("", "ebazhao-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir}
	c.asPG = os.Geteuid() == 0
	if c.asPG {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root needs the postgres system user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	c.Port = port
	data := filepath.Join(dir, "data")
	if out, err := c.run(db.PGTool("initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		return nil, fmt.Errorf("initdb: %w: %s", err, out)
	}
	c.opts = fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300", port, dir)
	if err := c.Start(); err != nil {
		return nil, err
	}
	c.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)
	return c, nil
}

// Start starts the (stopped) server again on its port.
func (c *Cluster) Start() error {
	data := filepath.Join(c.Dir, "data")
	if out, err := c.run(db.PGTool("pg_ctl"), "-D", data, "-o", c.opts, "-l", filepath.Join(c.Dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(c.Dir, "log"))
		return fmt.Errorf("pg_ctl start: %w: %s\n%s", err, out, log)
	}
	return nil
}

// Stop shuts the server down and removes its folder.
func (c *Cluster) Stop() {
	c.run(db.PGTool("pg_ctl"), "-D", filepath.Join(c.Dir, "data"), "-m", "immediate", "-w", "stop")
	os.RemoveAll(c.Dir)
}

func (c *Cluster) run(prog string, args ...string) (string, error) {
	var cmd *exec.Cmd
	if c.asPG {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", prog}, args...)...)
	} else {
		cmd = exec.Command(prog, args...)
	}
	cmd.Dir = c.Dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// URL returns a connection URL for a new empty database (PostgreSQL) or "" with a
// new data folder (SQLite). Callers that need the server's own Open use this.
func URL(t testing.TB) (url, dataDir string) {
	t.Helper()
	dataDir = t.TempDir()
	if Engine() != db.Postgres {
		return "", dataDir
	}
	if cluster.adminURL == "" {
		t.Fatal("dbtest: EBAZHAO_TEST_ENGINE=postgres but no cluster: call dbtest.Main from TestMain or set EBAZHAO_TEST_PG_URL")
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := db.Open(ctx, cluster.adminURL, "")
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("dbtest: create database: %v", err)
	}
	url = strings.Replace(cluster.adminURL, "/postgres?", "/"+name+"?", 1)
	t.Cleanup(func() {
		a, err := db.Open(context.Background(), cluster.adminURL, "")
		if err == nil {
			a.Exec(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			a.Close()
		}
	})
	return url, dataDir
}

// New returns a fresh database with every migration applied.
func New(t testing.TB) *db.DB {
	t.Helper()
	url, dir := URL(t)
	ctx := context.Background()
	d, err := db.Open(ctx, url, dir)
	if err != nil {
		t.Fatalf("dbtest: open: %v", err)
	}
	d.AuditKey = AuditKey()
	ms, err := migrations.All()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Migrate(ctx, ms); err != nil {
		t.Fatalf("dbtest: migrate: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// StartStandby makes a streaming-replication standby of c on a new loopback
// port (pg_basebackup -R), started and ready for read-only queries. With sync
// true the primary waits for the standby on every commit (synchronous_commit on,
// synchronous_standby_names = '*'), so a promoted standby misses no committed row.
func (c *Cluster) StartStandby(sync bool) (*Cluster, error) {
	dir, err := os.MkdirTemp("", "ebazhao-pg-standby-")
	if err != nil {
		return nil, err
	}
	s := &Cluster{Dir: dir, asPG: c.asPG}
	if s.asPG {
		u, _ := user.Lookup("postgres")
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			return nil, err
		}
	}
	if s.Port, err = freePort(); err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if out, err := s.run(db.PGTool("pg_basebackup"), "-D", data, "-R", "-X", "stream", "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", "postgres", "--no-sync"); err != nil {
		return nil, fmt.Errorf("pg_basebackup: %w: %s", err, out)
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off -c max_connections=300", s.Port, dir)
	if out, err := s.run(db.PGTool("pg_ctl"), "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		return nil, fmt.Errorf("standby start: %w: %s\n%s", err, out, log)
	}
	s.URL = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.Port)
	if sync {
		ctx := context.Background()
		p, err := db.Open(ctx, c.URL, "")
		if err != nil {
			return nil, err
		}
		defer p.Close()
		for _, q := range []string{`ALTER SYSTEM SET synchronous_standby_names = '*'`, `SELECT pg_reload_conf()`} {
			if _, err := p.Exec(ctx, q); err != nil {
				return nil, err
			}
		}
	}
	return s, nil
}

// Promote turns a standby into a primary (failover) and waits until it accepts writes.
func (c *Cluster) Promote() error {
	if out, err := c.run(db.PGTool("pg_ctl"), "-D", filepath.Join(c.Dir, "data"), "-w", "-t", "60", "promote"); err != nil {
		return fmt.Errorf("promote: %w: %s", err, out)
	}
	return nil
}

// StopFast stops a server the way a crash of its machine would (immediate).
func (c *Cluster) StopFast() error {
	_, err := c.run(db.PGTool("pg_ctl"), "-D", filepath.Join(c.Dir, "data"), "-m", "immediate", "-w", "stop")
	return err
}
