package fee

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/pdf"
)

// Service is the fee subsystem over a database.
type Service struct {
	DB    *db.DB
	Fonts *pdf.Fonts
	// Now is the clock (tests move it); nil means the database's clock.
	Now func() time.Time
	// OnIssue, if set, is called after a receipt is committed (the rating
	// terminal at the counter wakes on it). It must return quickly; an error is
	// logged, the receipt stands.
	OnIssue func(ctx context.Context, r *Receipt) error
	// Log receives what cannot be reported to the caller.
	Log *slog.Logger
	// Charges are the other subsystems' due fees the issue form can collect,
	// by kind (the part of a reference before the colon).
	Charges map[string]ChargeSource

	mu       sync.Mutex
	versions map[int64]*Version // versions are immutable once stored
}

// NewService returns a service on d printing with fonts.
func NewService(d *db.DB, fonts *pdf.Fonts) *Service {
	return &Service{DB: d, Fonts: fonts}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return s.DB.Now()
}

func (s *Service) today() civil.Date { return civil.Of(s.now()) }

// Errors with a message for the user.
var (
	ErrNotFound       = errors.New("查無此收據")
	ErrDayClosed      = errors.New("該日已由出納結帳，收據不得再開立或作廢；更正請於次日辦理")
	ErrAlreadyVoided  = errors.New("此收據已作廢（或已更正沖銷），不得重複作廢")
	ErrVoidPending    = errors.New("此收據已有待核准的作廢申請")
	ErrDecided        = errors.New("此作廢申請已處理，不得重複核准或駁回")
	ErrIdemMismatch   = errors.New("此冪等鍵（Idempotency-Key）已用於內容不同的收據，請重新整理後再送出")
	ErrOtherOffice    = errors.New("不得處理其他戶所的收據")
	ErrAlreadyClosed  = errors.New("該日已結帳")
	ErrSettleMismatch = errors.New("結帳資料已變動（期間另有收據開立或作廢），請重新核對後再確認")
)

// UserError reports whether err carries a message meant for the user.
func UserError(err error) bool {
	if IsInputError(err) {
		return true
	}
	for _, e := range []error{ErrNotFound, ErrDayClosed, ErrAlreadyVoided, ErrVoidPending, ErrDecided, ErrIdemMismatch,
		ErrOtherOffice, ErrAlreadyClosed, ErrSettleMismatch, ErrNoApproval, ErrTodayClosed, ErrPendingVoids, ErrNoSettle} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

const versionCols = `v.id, v.effective_from, v.basis, v.note, v.source, COALESCE(u.display_name, ''), v.created_at, v.withdrawn_at`

func scanVersion(r interface{ Scan(...any) error }) (*Version, error) {
	var v Version
	var eff, created, withdrawn string
	if err := r.Scan(&v.ID, &eff, &v.Basis, &v.Note, &v.Source, &v.CreatedBy, &created, &withdrawn); err != nil {
		return nil, err
	}
	v.Effective, _ = civil.ParseISO(eff)
	v.CreatedAt = db.ParseTime(created)
	if withdrawn != "" {
		v.WithdrawnAt = db.ParseTime(withdrawn)
	}
	return &v, nil
}

func loadItems(ctx context.Context, q db.Querier, v *Version) error {
	rows, err := q.Query(ctx, `SELECT id, code, name, measure, amount, further_from, further_amount, article, note, aliases, exemptions
		FROM fee_items WHERE version_id = ? ORDER BY position`, v.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	v.Items = nil
	for rows.Next() {
		var it Item
		var aliases, exemptions string
		if err := rows.Scan(&it.ID, &it.Code, &it.Name, &it.Measure, &it.Amount, &it.FurtherFrom, &it.FurtherAmount,
			&it.Article, &it.Note, &aliases, &exemptions); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(aliases), &it.Aliases); err != nil {
			return fmt.Errorf("fee item %d aliases: %w", it.ID, err)
		}
		if err := json.Unmarshal([]byte(exemptions), &it.Exemptions); err != nil {
			return fmt.Errorf("fee item %d exemptions: %w", it.ID, err)
		}
		v.Items = append(v.Items, it)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	v.buildIndex()
	return nil
}

// Version loads one version with its items (cached: versions never change
// except for being withdrawn, which is read fresh).
func (s *Service) Version(ctx context.Context, id int64) (*Version, error) {
	v, err := scanVersion(s.DB.QueryRow(ctx, `SELECT `+versionCols+` FROM fee_versions v LEFT JOIN users u ON u.id = v.created_by WHERE v.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	cached := s.versions[id]
	s.mu.Unlock()
	if cached != nil {
		v.Items, v.index = cached.Items, cached.index
		return v, nil
	}
	if err := loadItems(ctx, s.DB, v); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.versions == nil {
		s.versions = map[int64]*Version{}
	}
	s.versions[id] = &Version{Items: v.Items, index: v.index}
	s.mu.Unlock()
	return v, nil
}

// VersionOn returns the version in force on day.
func (s *Service) VersionOn(ctx context.Context, day civil.Date) (*Version, error) {
	var id int64
	err := s.DB.QueryRow(ctx, `SELECT id FROM fee_versions WHERE effective_from <= ? AND withdrawn_at = ''
		ORDER BY effective_from DESC LIMIT 1`, day.ISO()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, &InputError{Field: "date", Message: day.ROC() + "無適用之規費收費標準"}
	}
	if err != nil {
		return nil, err
	}
	return s.Version(ctx, id)
}

// Schedule loads every version (withdrawn ones included), oldest first.
func (s *Service) Schedule(ctx context.Context) (*Schedule, error) {
	rows, err := s.DB.Query(ctx, `SELECT v.id FROM fee_versions v ORDER BY v.effective_from, v.id`)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sch := &Schedule{}
	for _, id := range ids {
		v, err := s.Version(ctx, id)
		if err != nil {
			return nil, err
		}
		sch.Versions = append(sch.Versions, v)
	}
	return sch, nil
}

// Quote prices an application with the version in force on its date.
func (s *Service) Quote(ctx context.Context, req QuoteRequest) (*Quote, error) {
	day, err := ParseDay(req.Date, s.now())
	if err != nil {
		return nil, err
	}
	v, err := s.VersionOn(ctx, day)
	if err != nil {
		return nil, err
	}
	one := &Schedule{Versions: []*Version{v}}
	q, err := one.quoteWith(v, day, req.Items)
	var ie *InputError
	if errors.As(err, &ie) && strings.HasPrefix(ie.Field, "items[") && strings.HasSuffix(ie.Field, "].item") {
		// Say whether the item exists on another date.
		if all, lerr := s.Schedule(ctx); lerr == nil {
			for i := range req.Items {
				if _, ok := v.Find(req.Items[i].Item); !ok && strings.TrimSpace(req.Items[i].Item) != "" {
					ie.Message = all.explainMissing(req.Items[i].Item, day)
					break
				}
			}
		}
	}
	return q, err
}

// AddVersion stores a new schedule version; it takes effect on v.Effective,
// which may not be before today (receipts already issued keep their version).
func (s *Service) AddVersion(ctx context.Context, actor audit.Actor, v *Version) error {
	if err := v.validate(); err != nil {
		return err
	}
	if v.Effective.Before(s.today()) {
		return &InputError{Field: "effective", Message: "施行日期不得早於今日：已開立之收據依當日適用之版本，不得追溯變更"}
	}
	now := db.FormatTime(s.now())
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO fee_versions (effective_from, basis, note, source, created_by, created_at)
			VALUES (?, ?, ?, 'manual', ?, ?) RETURNING id`, v.Effective.ISO(), strings.TrimSpace(v.Basis), strings.TrimSpace(v.Note),
			nullID(actor.UserID), now).Scan(&v.ID)
		if db.IsUniqueViolation(err) {
			return &InputError{Field: "effective", Message: v.Effective.ROC() + "已有施行之收費標準版本；如需更改請先撤回該版本"}
		}
		if err != nil {
			return err
		}
		if err := insertItems(ctx, tx, v); err != nil {
			return err
		}
		e := audit.For(actor, "fee.version.add", "fee_version", fmt.Sprint(v.ID))
		e.Detail = fmt.Sprintf("施行 %s，%d 項：%s", v.Effective.ISO(), len(v.Items), v.Basis)
		return audit.Log(ctx, tx, e)
	})
	if err == nil {
		v.Source = "manual"
	}
	return err
}

func insertItems(ctx context.Context, tx *db.Tx, v *Version) error {
	for i := range v.Items {
		it := &v.Items[i]
		aliases, _ := json.Marshal(nonNil(it.Aliases))
		exemptions, _ := json.Marshal(nonNilEx(it.Exemptions))
		if err := tx.QueryRow(ctx, `INSERT INTO fee_items (version_id, position, code, name, measure, amount, further_from, further_amount,
			article, note, aliases, exemptions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			v.ID, i+1, it.Code, it.Name, it.Measure, it.Amount, it.FurtherFrom, it.FurtherAmount, it.Article, it.Note,
			string(aliases), string(exemptions)).Scan(&it.ID); err != nil {
			return fmt.Errorf("fee item %s: %w", it.Name, err)
		}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilEx(s []Exemption) []Exemption {
	if s == nil {
		return []Exemption{}
	}
	return s
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// WithdrawVersion withdraws a version that has not taken effect yet.
func (s *Service) WithdrawVersion(ctx context.Context, actor audit.Actor, id int64) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		var eff, withdrawn string
		err := tx.QueryRow(ctx, `SELECT effective_from, withdrawn_at FROM fee_versions WHERE id = ?`, id).Scan(&eff, &withdrawn)
		if errors.Is(err, sql.ErrNoRows) {
			return db.ErrNotFound
		}
		if err != nil {
			return err
		}
		if withdrawn != "" {
			return &InputError{Field: "id", Message: "此版本已撤回"}
		}
		if eff <= s.today().ISO() {
			return &InputError{Field: "id", Message: "已施行之版本不得撤回；法規再修正時請新增版本"}
		}
		if _, err := tx.Exec(ctx, `UPDATE fee_versions SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at = ''`,
			db.FormatTime(s.now()), nullID(actor.UserID), id); err != nil {
			return err
		}
		e := audit.For(actor, "fee.version.withdraw", "fee_version", fmt.Sprint(id))
		e.Detail = "施行日 " + eff
		return audit.Log(ctx, tx, e)
	})
}

// canAct reports whether u may act on records of office id.
func canAct(u *auth.User, officeID int64) bool { return u != nil && u.CanActOnOffice(officeID) }
