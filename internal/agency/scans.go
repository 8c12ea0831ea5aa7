package agency

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/imagebudget"
)

// ScanLimits bound an uploaded scan of a signed application: a PDF of at most
// 20 pages, or a JPEG or PNG of at most 36 megapixels (an A4 page at 600 dpi),
// 20 MB either way. imagebudget.Check applies them by content.
var ScanLimits = imagebudget.Limits{Formats: []string{imagebudget.PDF, imagebudget.JPEG, imagebudget.PNG},
	MaxBytes: 20 << 20, MaxPixels: 36_000_000, MaxPages: 20}

// Scan is one version of an application's signed scan. A replacement never
// overwrites: it adds the next version, with its reason.
type Scan struct {
	ID            int64
	ApplicationID int64
	Version       int
	Hash          string
	Format        string
	Size          int64
	UploadedBy    string
	UploadedAt    time.Time
	Reason        string
}

// ContentType is the scan's media type.
func (s *Scan) ContentType() string {
	switch s.Format {
	case imagebudget.PDF:
		return "application/pdf"
	case imagebudget.JPEG:
		return "image/jpeg"
	case imagebudget.PNG:
		return "image/png"
	}
	return ""
}

// ErrScanReason: replacing a scan needs a reason.
var ErrScanReason = &ValidationError{errors.New("此申請書已有掃描檔；更換須註明原因（舊檔仍保存）")}

// ErrSameScan: the file uploaded is the current scan.
var ErrSameScan = &ValidationError{errors.New("上傳的檔案與目前的掃描檔相同")}

// AttachScan records a scanned signed application (a blob already checked by
// imagebudget.Check and stored) as the next version. The first is attached
// freely; a later one replaces it as current only with a reason, and the
// earlier versions stay. Both are audited (agency.application.scan,
// agency.application.scan.replace, with the versions' hashes and the reason).
func (s *Service) AttachScan(ctx context.Context, user *auth.User, client string, appID int64, sc Scan) (*Scan, error) {
	sc.Reason = strings.TrimSpace(sc.Reason)
	if len([]rune(sc.Reason)) > 200 {
		return nil, invalid("更換原因請在200字以內")
	}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var officeID int64
		var subject, current string
		err := tx.QueryRow(ctx, `SELECT office_id, subject_id_no, scan_hash FROM agency_applications WHERE id = ?`, appID).Scan(&officeID, &subject, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return err
		}
		if !user.CanActOnOffice(officeID) {
			return ErrOtherOffice
		}
		if current == sc.Hash {
			return ErrSameScan
		}
		if current != "" && sc.Reason == "" {
			return ErrScanReason
		}
		var last int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM agency_application_scans WHERE application_id = ?`, appID).Scan(&last); err != nil {
			return err
		}
		if current != "" && last == 0 { // a scan from before the history: keep it as version 1
			if _, err := tx.Exec(ctx, `INSERT INTO agency_application_scans (application_id, version, blob_hash, uploaded_at) VALUES (?, 1, ?, ?)`,
				appID, current, db.FormatTime(tx.Now())); err != nil {
				return err
			}
			last = 1
		}
		sc.ApplicationID, sc.Version, sc.UploadedAt, sc.UploadedBy = appID, last+1, tx.Now(), user.DisplayName
		if err := tx.QueryRow(ctx, `INSERT INTO agency_application_scans (application_id, version, blob_hash, format, size, uploaded_by, uploaded_at, reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, appID, sc.Version, sc.Hash, sc.Format, sc.Size, user.ID, db.FormatTime(sc.UploadedAt), sc.Reason).Scan(&sc.ID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE agency_applications SET scan_hash = ? WHERE id = ?`, sc.Hash, appID); err != nil {
			return err
		}
		e := audit.For(user.Actor(client), "agency.application.scan", "agency_application", fmt.Sprint(appID))
		e.PersonIDNo, e.Detail = subject, fmt.Sprintf("version %d %s %s %d bytes", sc.Version, sc.Hash, sc.Format, sc.Size)
		if current != "" {
			e.Action = "agency.application.scan.replace"
			e.Detail = fmt.Sprintf("version %d replaces version %d (%s -> %s, %s %d bytes); reason=%s", sc.Version, last, current, sc.Hash, sc.Format, sc.Size, sc.Reason)
		}
		return audit.Log(ctx, tx, e)
	})
	if err != nil {
		return nil, err
	}
	return &sc, nil
}

// Scans lists an application's scan versions, newest first.
func (s *Service) Scans(ctx context.Context, appID int64) ([]*Scan, error) {
	rows, err := s.DB.Query(ctx, `SELECT sc.id, sc.application_id, sc.version, sc.blob_hash, sc.format, sc.size, COALESCE(u.display_name, ''), sc.uploaded_at, sc.reason
		FROM agency_application_scans sc LEFT JOIN users u ON u.id = sc.uploaded_by WHERE sc.application_id = ? ORDER BY sc.version DESC`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Scan
	for rows.Next() {
		var sc Scan
		var at string
		if err := rows.Scan(&sc.ID, &sc.ApplicationID, &sc.Version, &sc.Hash, &sc.Format, &sc.Size, &sc.UploadedBy, &at, &sc.Reason); err != nil {
			return nil, err
		}
		sc.UploadedAt = db.ParseTime(at)
		out = append(out, &sc)
	}
	return out, rows.Err()
}
