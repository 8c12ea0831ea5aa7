package form

import (
	"context"
	"errors"
	"fmt"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/db"
)

// SeedCategory is a category of the shipped catalogue.
type SeedCategory struct {
	Code, Name string
}

// SeedForm is a form of the shipped catalogue with its first version.
type SeedForm struct {
	Code        string
	Category    string
	Name        string
	Keywords    string
	Description string
	Kind        string
	Effective   civil.Date // first version's effective date
	Note        string
	Spec        *Spec // template forms
}

// Categories is the shipped list of 23 categories, by registration business
// (作業規範 叁.五: 各項為民服務表單，應按戶籍事項分類保存).
var Categories = []SeedCategory{
	{"birth", "出生"},
	{"death", "死亡、死亡宣告"},
	{"marriage", "結婚"},
	{"divorce", "離婚"},
	{"move", "遷徙（遷入、遷出、住址變更）"},
	{"name", "改名、改姓"},
	{"correction", "更正、撤銷、廢止"},
	{"acknowledgment", "認領"},
	{"adoption", "收養、終止收養"},
	{"guardianship", "監護、輔助"},
	{"household", "分（合）戶、戶長變更"},
	{"first-registration", "初設戶籍"},
	{"indigenous", "原住民身分"},
	{"nationality", "國籍"},
	{"idcard", "國民身分證、戶口名簿"},
	{"transcript", "戶籍謄本、戶籍資料"},
	{"seal", "印鑑"},
	{"moica", "自然人憑證"},
	{"passport", "護照人別確認"},
	{"cross-agency", "跨機關服務"},
	{"consent", "委託、同意、切結"},
	{"doorplate", "門牌"},
	{"general", "通用、其他"},
}

// SeedCatalogue creates every missing category and form of the shipped
// catalogue, and brings a template form that only the system ever versioned up
// to the shipped template (refreshShipped). A form a person has versioned or
// edited belongs to its maintainer and is never changed. It is safe to run at
// every start.
func (s *Store) SeedCatalogue(ctx context.Context) (created, updated int, err error) {
	sys := audit.Actor{Username: "system"}
	for i, c := range Categories {
		if _, err := s.DB.Exec(ctx, `INSERT INTO form_categories (code, name, sort_order) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING`,
			c.Code, c.Name, (i+1)*10); err != nil {
			return created, updated, fmt.Errorf("seed form category %s: %w", c.Code, err)
		}
	}
	for i, sf := range Catalogue() {
		if f, err := s.ByCode(ctx, sf.Code); err == nil {
			added, err := s.refreshShipped(ctx, f, sf)
			if err != nil {
				return created, updated, fmt.Errorf("update shipped form %s: %w", sf.Code, err)
			}
			if added {
				updated++
			}
			continue
		} else if !errors.Is(err, db.ErrNotFound) {
			return created, updated, err
		}
		f := &Form{Code: sf.Code, CategoryCode: sf.Category, Name: sf.Name, Keywords: sf.Keywords, Description: sf.Description,
			Kind: sf.Kind, Maintainer: "民政局戶政科", SortOrder: (i + 1) * 10}
		nv := NewVersion{EffectiveFrom: sf.Effective, Note: sf.Note}
		if sf.Spec != nil {
			nv.Spec = sf.Spec.JSON()
		}
		if sf.Kind == KindFile {
			if err := s.createPending(ctx, sys, f); err != nil {
				return created, updated, fmt.Errorf("seed form %s: %w", sf.Code, err)
			}
		} else if _, err := s.Create(ctx, sys, f, nv); err != nil {
			if db.IsUniqueViolation(err) {
				continue // another server seeded it at the same moment
			}
			return created, updated, fmt.Errorf("seed form %s: %w", sf.Code, err)
		}
		created++
	}
	return created, updated, nil
}

// ShippedNote is the note of a version the system adds when a release ships
// a corrected template.
const ShippedNote = "系統更新：隨新版程式修正之範本內容"

// refreshShipped adds the shipped template to form f as a new version in force
// from today when it differs from the latest version and every version so far
// is the system's: a correction in a release (an article number, say) reaches
// installations seeded before it, while what was in force on a past day stays
// as it was and a form someone maintains is never touched.
func (s *Store) refreshShipped(ctx context.Context, f *Form, sf SeedForm) (added bool, err error) {
	if sf.Spec == nil || f.Kind != KindTemplate || f.Retired() {
		return false, nil
	}
	nv := NewVersion{EffectiveFrom: s.Today(), Note: ShippedNote, Spec: sf.Spec.JSON()}
	want, err := checkVersion(f, &nv)
	if err != nil {
		return false, err
	}
	sys := audit.Actor{Username: "system"}
	// needed reads the form's versions: true when only the system wrote them
	// and the latest differs from the shipped template.
	needed := func(q db.Querier) (bool, error) {
		rows, err := q.Query(ctx, `SELECT spec, created_by FROM form_versions WHERE form_id = ? ORDER BY version_no`, f.ID)
		if err != nil {
			return false, err
		}
		defer rows.Close()
		latest, people := "", false
		for rows.Next() {
			var spec, by string
			if err := rows.Scan(&spec, &by); err != nil {
				return false, err
			}
			latest, people = spec, people || by != sys.Username
		}
		return !people && latest != "" && latest != want, rows.Err()
	}
	// Every start asks; only a form that needs the new version takes a write
	// transaction (one fsync each), so a start without a correction writes
	// nothing.
	if ok, err := needed(s.DB); err != nil || !ok {
		return false, err
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		// Servers starting together update a form one at a time (the row
		// lock on PostgreSQL, the write lock on SQLite); the second finds it
		// done.
		if _, err := tx.Exec(ctx, `UPDATE forms SET updated_at = updated_at WHERE id = ?`, f.ID); err != nil {
			return err
		}
		if ok, err := needed(tx); err != nil || !ok {
			return err
		}
		_, err = s.addVersion(ctx, tx, sys, f, nv, false)
		added = err == nil
		return err
	})
	return added, err
}

// createPending adds a file form without a version: it is listed, marked as
// waiting for its maintainer to upload the official file.
func (s *Store) createPending(ctx context.Context, actor audit.Actor, f *Form) error {
	if err := checkForm(f); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT id FROM form_categories WHERE code = ?`, f.CategoryCode).Scan(&f.CategoryID); err != nil {
			return fmt.Errorf("category %s: %w", f.CategoryCode, err)
		}
		now := db.FormatTime(s.now())
		if _, err := tx.Exec(ctx, `INSERT INTO forms (code, category_id, name, keywords, description, kind, office_id, maintainer, sort_order, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`,
			f.Code, f.CategoryID, f.Name, f.Keywords, f.Description, f.Kind, f.Maintainer, f.SortOrder, now, now); err != nil {
			return err
		}
		e := audit.For(actor, "form.create", "form", f.Code)
		e.Detail = f.Name + "（待上傳檔案）"
		return audit.Log(ctx, tx, e)
	})
}

// straightVertical is the day the new-generation registration system made every
// form portrait with horizontal text (直式橫書), seed 表2: 103.4.1.
var straightVertical = civil.New(2014, 4, 1)
