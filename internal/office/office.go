// Package office keeps the household registration offices (戶政事務所), their
// counters (櫃檯) and service points (便民工作站).
package office

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/db"
)

// Office is one district household registration office.
type Office struct {
	ID       int64
	Code     string
	Name     string
	City     string
	District string
	Address  string
	Phone    string
	Active   bool
}

// Counter is a counter (櫃檯) or an off-site service point (便民工作站).
type Counter struct {
	ID       int64
	OfficeID int64
	Kind     string // "counter" or "service_point"
	Number   int
	Name     string
	Active   bool
}

// KindLabel is the counter kind in Chinese.
func (c Counter) KindLabel() string {
	if c.Kind == "service_point" {
		return "便民工作站"
	}
	return "櫃檯"
}

// Store reads and writes offices.
type Store struct{ DB *db.DB }

const officeCols = `id, code, name, city, district, address, phone, active`

func scanOffice(r interface{ Scan(...any) error }) (*Office, error) {
	var o Office
	if err := r.Scan(&o.ID, &o.Code, &o.Name, &o.City, &o.District, &o.Address, &o.Phone, &o.Active); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, db.ErrNotFound
		}
		return nil, err
	}
	return &o, nil
}

// All lists offices by code.
func (s *Store) All(ctx context.Context) ([]*Office, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+officeCols+` FROM offices ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Office
	for rows.Next() {
		o, err := scanOffice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ByID loads one office.
func (s *Store) ByID(ctx context.Context, id int64) (*Office, error) {
	return scanOffice(s.DB.QueryRow(ctx, `SELECT `+officeCols+` FROM offices WHERE id = ?`, id))
}

// ByCode loads one office by its code.
func (s *Store) ByCode(ctx context.Context, code string) (*Office, error) {
	return scanOffice(s.DB.QueryRow(ctx, `SELECT `+officeCols+` FROM offices WHERE code = ?`, code))
}

func validate(o *Office) error {
	o.Code, o.Name = strings.TrimSpace(o.Code), strings.TrimSpace(o.Name)
	if o.Code == "" || o.Name == "" {
		return errors.New("戶所代碼與名稱不可空白")
	}
	if o.City == "" {
		o.City = "臺中市"
	}
	return nil
}

// Create adds an office.
func (s *Store) Create(ctx context.Context, actor audit.Actor, o *Office) error {
	if err := validate(o); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		now := db.FormatTime(tx.Now())
		err := tx.QueryRow(ctx, `INSERT INTO offices (code, name, city, district, address, phone, active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, o.Code, o.Name, o.City, o.District, o.Address, o.Phone, true, now, now).Scan(&o.ID)
		if db.IsUniqueViolation(err) {
			return fmt.Errorf("戶所代碼「%s」已存在", o.Code)
		}
		if err != nil {
			return err
		}
		e := audit.For(actor, "office.create", "office", fmt.Sprint(o.ID))
		e.Detail = o.Name
		return audit.Log(ctx, tx, e)
	})
}

// Update renames or edits an office.
func (s *Store) Update(ctx context.Context, actor audit.Actor, o *Office) error {
	if err := validate(o); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE offices SET name = ?, city = ?, district = ?, address = ?, phone = ?, active = ?, updated_at = ? WHERE id = ?`,
			o.Name, o.City, o.District, o.Address, o.Phone, o.Active, db.FormatTime(tx.Now()), o.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return db.ErrNotFound
		}
		e := audit.For(actor, "office.update", "office", fmt.Sprint(o.ID))
		e.Detail = o.Name
		return audit.Log(ctx, tx, e)
	})
}

// Counters lists an office's counters and service points.
func (s *Store) Counters(ctx context.Context, officeID int64) ([]Counter, error) {
	rows, err := s.DB.Query(ctx, `SELECT id, office_id, kind, number, name, active FROM counters WHERE office_id = ? ORDER BY kind, number`, officeID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Counter
	for rows.Next() {
		var c Counter
		if err := rows.Scan(&c.ID, &c.OfficeID, &c.Kind, &c.Number, &c.Name, &c.Active); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CounterByID loads one counter.
func (s *Store) CounterByID(ctx context.Context, id int64) (*Counter, error) {
	var c Counter
	err := s.DB.QueryRow(ctx, `SELECT id, office_id, kind, number, name, active FROM counters WHERE id = ?`, id).
		Scan(&c.ID, &c.OfficeID, &c.Kind, &c.Number, &c.Name, &c.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, db.ErrNotFound
	}
	return &c, err
}

// AddCounter adds the next-numbered counter or service point to an office.
func (s *Store) AddCounter(ctx context.Context, actor audit.Actor, officeID int64, kind, name string) (*Counter, error) {
	if kind != "counter" && kind != "service_point" {
		return nil, errors.New("種類須為櫃檯或便民工作站")
	}
	c := &Counter{OfficeID: officeID, Kind: kind, Name: strings.TrimSpace(name), Active: true}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM counters WHERE office_id = ? AND kind = ?`, officeID, kind).Scan(&c.Number); err != nil {
			return err
		}
		if c.Name == "" {
			c.Name = fmt.Sprintf("%d號%s", c.Number, c.KindLabel())
		}
		if err := tx.QueryRow(ctx, `INSERT INTO counters (office_id, kind, number, name, active) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			officeID, kind, c.Number, c.Name, true).Scan(&c.ID); err != nil {
			return err
		}
		e := audit.For(actor, "counter.create", "counter", fmt.Sprint(c.ID))
		e.Detail = c.Name
		return audit.Log(ctx, tx, e)
	})
	return c, err
}

// TaichungDistricts are the 29 districts of Taichung, each with one office.
var TaichungDistricts = []struct{ Code, District string }{
	{"central", "中區"}, {"east", "東區"}, {"south", "南區"}, {"west", "西區"}, {"north", "北區"},
	{"xitun", "西屯區"}, {"nantun", "南屯區"}, {"beitun", "北屯區"}, {"fengyuan", "豐原區"}, {"dongshi", "東勢區"},
	{"dajia", "大甲區"}, {"qingshui", "清水區"}, {"shalu", "沙鹿區"}, {"wuqi", "梧棲區"}, {"houli", "后里區"},
	{"shengang", "神岡區"}, {"tanzi", "潭子區"}, {"daya", "大雅區"}, {"xinshe", "新社區"}, {"shigang", "石岡區"},
	{"waipu", "外埔區"}, {"daan", "大安區"}, {"wuri", "烏日區"}, {"dadu", "大肚區"}, {"longjing", "龍井區"},
	{"wufeng", "霧峰區"}, {"taiping", "太平區"}, {"dali", "大里區"}, {"heping", "和平區"},
}

// SeedTaichung creates any missing Taichung office with counters numbered 1..n
// (more at the big districts) and, where the seed describes one, a service point.
// It is idempotent.
func (s *Store) SeedTaichung(ctx context.Context) error {
	big := map[string]int{"xitun": 16, "beitun": 16, "nantun": 12, "dali": 12, "taiping": 12, "fengyuan": 12, "north": 12, "west": 10, "south": 10, "east": 8}
	for _, d := range TaichungDistricts {
		if _, err := s.ByCode(ctx, d.Code); err == nil {
			continue
		} else if !errors.Is(err, db.ErrNotFound) {
			return err
		}
		o := &Office{Code: d.Code, Name: "臺中市" + d.District + "戶政事務所", City: "臺中市", District: d.District,
			Address: "臺中市" + d.District, Phone: "04-2228-9111"}
		sys := audit.Actor{Username: "system"}
		if err := s.Create(ctx, sys, o); err != nil {
			return err
		}
		n := big[d.Code]
		if n == 0 {
			n = 6
		}
		for i := 0; i < n; i++ {
			if _, err := s.AddCounter(ctx, sys, o.ID, "counter", ""); err != nil {
				return err
			}
		}
		if n >= 12 {
			if _, err := s.AddCounter(ctx, sys, o.ID, "service_point", d.District+"便民工作站"); err != nil {
				return err
			}
		}
	}
	return nil
}
