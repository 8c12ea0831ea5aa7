// Package agency is the N加e cross-agency notification (N加e 跨機關便民服務):
// after a registration the clerk ticks the agencies the citizen wants informed
// (監理、地方稅務、地政、國稅、健保、勞保、社福、電力、自來水、天然氣、電信 …),
// prints one consolidated application for signature, and each agency receives
// its items — pulled over an HTTPS API with its own credential, or as a daily
// signed file in its folder on ebazhao's own SFTP endpoint (package sftpd) —
// and acknowledges them, so the counter can tell the citizen where each update
// stands.
//
// Reliability rules: an item is committed before the clerk is told it was sent;
// a retried submission (same idempotency key) returns the first application;
// each agency's items carry a gapless sequence handed out under a row lock, so
// an agency paging by cursor never skips one and one offline for a week gets
// everything in order; a daily file is a pure function of stored rows, so
// writing it again yields the same bytes.
package agency

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/pdf"
)

// Service is the N加e subsystem: register, applications, delivery, files.
type Service struct {
	DB *db.DB
	// DataDir holds keys/ (signing and SFTP host keys) and agency/ (the SFTP
	// folders). Empty disables files and SFTP.
	DataDir string
	Log     *slog.Logger
	Fonts   *pdf.Fonts
	Blobs   blob.Store
	// Now is the clock (tests set it).
	Now func() time.Time

	keyMu   sync.Mutex
	signKey *signingKey

	// failpoint, when set by a test, is called at named points inside
	// transactions; an error it returns aborts the transaction there.
	failpoint func(point string) error
}

// New returns the service; dataDir may be empty (no files, no SFTP).
func New(d *db.DB, dataDir string, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{DB: d, DataDir: dataDir, Log: log, Fonts: pdf.Shared(""), Now: d.Now}
	if dataDir != "" {
		s.Blobs = blob.Default(dataDir)
	}
	return s
}

// Init loads the agency register's seed (idempotent); call it at start.
func (s *Service) Init(ctx context.Context) error { return SeedRegister(ctx, s.DB, s.now()) }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return s.DB.Now()
}

func (s *Service) today() civil.Date { return civil.Of(s.now()) }

func (s *Service) fail(point string) error {
	if s.failpoint != nil {
		return s.failpoint(point)
	}
	return nil
}

// ErrNoDataDir is returned by file and key operations without a data folder.
var ErrNoDataDir = errors.New("agency: no data folder configured")

// keysDir is <data>/keys.
func (s *Service) keysDir() (string, error) {
	if s.DataDir == "" {
		return "", ErrNoDataDir
	}
	return filepath.Join(s.DataDir, "keys"), nil
}

// FilesRoot is <data>/agency/sftp: one folder per agency code.
func (s *Service) FilesRoot() (string, error) {
	if s.DataDir == "" {
		return "", ErrNoDataDir
	}
	return filepath.Join(s.DataDir, "agency", "sftp"), nil
}
