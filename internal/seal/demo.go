package seal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/seal/sealgen"
)

// DemoPersons is how many demo people get a seal registration.
const DemoPersons = 4

// SeedDemo registers generated seals for the first demo people (A123456789
// first: a registration in 2010 and a change in 2019) and writes sample
// application imprints to <dataDir>/demo/seal/ for trying the comparison: a
// genuine impression, a re-carved forgery and the old (changed) seal. It does
// nothing for people who already have seal records.
func SeedDemo(ctx context.Context, d *db.DB, dataDir string) error {
	key, err := LoadKey(dataDir)
	if err != nil {
		return err
	}
	v, err := NewVault(blob.Default(dataDir), key)
	if err != nil {
		return err
	}
	fonts, err := sealgen.OpenFonts("")
	if err != nil {
		return err
	}
	defer fonts.Close()
	rows, err := d.Query(ctx, `SELECT id_no, name, office_id FROM persons ORDER BY CASE WHEN id_no = 'A123456789' THEN 0 ELSE 1 END, id LIMIT ?`, DemoPersons)
	if err != nil {
		return err
	}
	type pp struct {
		id, name string
		office   int64
	}
	var people []pp
	for rows.Next() {
		var p pp
		if err := rows.Scan(&p.id, &p.name, &p.office); err != nil {
			rows.Close()
			return err
		}
		people = append(people, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	st := &Store{DB: d}
	sampleDir := filepath.Join(dataDir, "demo", "seal")
	actor := audit.Actor{Username: "demo"}
	for i, p := range people {
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM seal_events WHERE person_id_no = ?`, p.id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		rng := rand.New(rand.NewPCG(2014, uint64(i)))
		name := []rune(p.name)
		stamp := func(des sealgen.Design, imp sealgen.Impression) ([]byte, error) {
			m, err := fonts.Render(des)
			if err != nil {
				return nil, err
			}
			b, _ := sealgen.Stamp(fonts, m, imp, rng)
			return b, nil
		}
		old := sealgen.DesignFor(rng, name)
		cur := sealgen.DesignFor(rng, name)
		events := []struct {
			kind   string
			date   time.Time
			design sealgen.Design
		}{{Register, time.Date(2010, 3, 15, 0, 0, 0, 0, time.UTC), old}, {Change, time.Date(2019, 8, 2, 0, 0, 0, 0, time.UTC), cur}}
		if i > 0 {
			events = events[1:]
			events[0].kind = Register
		}
		for j, e := range events {
			card := sealgen.CardImpression(rng)
			card.DPI = 300
			img, err := stamp(e.design, card)
			if err != nil {
				return err
			}
			ref, err := v.Put(ctx, img)
			if err != nil {
				return err
			}
			ev := &Event{PersonIDNo: p.id, Kind: e.kind, Date: e.date, OfficeID: p.office, ClerkName: "印鑑條建檔",
				ApplicationNo: fmt.Sprintf("DEMO-%s-%d", p.id, j+1), ImprintRef: ref, Source: "demo"}
			if err := st.AddHistorical(ctx, actor, ev); err != nil { // transcribed seal cards, in force as dated
				return err
			}
		}
		// sample application imprints for the demo
		if err := os.MkdirAll(sampleDir, 0o750); err != nil {
			return err
		}
		good := sealgen.ApplicationImpression(rng)
		good.Pressure, good.Faint = 0.25, 0.05
		samples := []struct {
			file   string
			design sealgen.Design
			imp    sealgen.Impression
		}{
			{p.id + "_genuine.png", cur, good},
			{p.id + "_recarved.png", sealgen.Forge(rng, sealgen.Person{Name: name, Design: cur}, sealgen.Recarve), good},
		}
		if i == 0 {
			samples = append(samples, struct {
				file   string
				design sealgen.Design
				imp    sealgen.Impression
			}{p.id + "_old_seal.png", old, good})
		}
		for _, s := range samples {
			s.imp.JPEG = 0
			b, err := stamp(s.design, s.imp)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(sampleDir, s.file), b, 0o640); err != nil {
				return err
			}
		}
	}
	return nil
}
