package seal

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"ebazhao/internal/demo"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/seal/sealgen"
)

// HistoryImages is how many distinct seal cards the generated registry shares:
// the registry rows are as many as a city's, the encrypted images on disk a
// few hundred (a comparison still decrypts and aligns a real card image).
const HistoryImages = 256

// GenerateHistory registers seals for demo.CitySealCards (scaled to h) of the
// generated people: a registration on a day of the last 30 years at one of the
// offices, a later change for about 1 in 7, a cancellation for about 1 in 20;
// source "generated", application number "GEN-<person>-<n>". It resumes after
// the last generated person, 20,000 people per transaction.
func GenerateHistory(ctx context.Context, d *db.DB, blobs blob.Store, dataDir string, h *demo.History) error {
	key, err := LoadKey(dataDir)
	if err != nil {
		return err
	}
	v, err := NewVault(blobs, key)
	if err != nil {
		return err
	}
	cards := demo.SealCards(h.People)
	var done int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM seal_events WHERE source = 'generated' AND kind = 'register'`).Scan(&done); err != nil {
		return err
	}
	if done >= cards {
		return nil
	}
	pool, err := historyImages(ctx, v)
	if err != nil {
		return err
	}
	start := clock.Start()
	const perTx = 20_000
	for lo := done; lo < cards; lo += perTx {
		hi := min(lo+perTx, cards)
		err := d.InTx(ctx, func(tx *db.Tx) error {
			var sb strings.Builder
			var args []any
			flush := func() error {
				if len(args) == 0 {
					return nil
				}
				_, err := tx.Exec(ctx, `INSERT INTO seal_events (person_id_no, kind, event_date, office_id, clerk_id, clerk_name, application_no, imprint_blob, source, created_at) VALUES `+sb.String(), args...)
				sb.Reset()
				args = args[:0]
				return err
			}
			add := func(idNo, kind string, day civil.Date, s demo.Staff, appNo, imprint string) error {
				if len(args) > 0 {
					sb.WriteByte(',')
				}
				sb.WriteString(`(?, ?, ?, ?, ?, ?, ?, ?, 'generated', ?)`)
				args = append(args, idNo, kind, day, s.OfficeID, s.UserID, s.Name, appNo, imprint, db.FormatTime(day.Midnight().Add(10*time.Hour)))
				if len(args) >= 9*500 {
					return flush()
				}
				return nil
			}
			for k := lo; k < hi; k++ {
				person := demo.SealHolder(k, h.People)
				rng := rand.New(rand.NewPCG(uint64(person), 910))
				idNo, _, _, _, _, _ := demo.ScalePerson(person, h.Offices)
				o := h.Offices[rng.IntN(len(h.Offices))]
				staff := h.Staff[o.ID]
				day := h.Today.AddDate(-30, 0, rng.IntN(30*365))
				if err := add(idNo, Register, day, staff[rng.IntN(len(staff))], fmt.Sprintf("GEN-%d-1", person), pool[rng.IntN(len(pool))]); err != nil {
					return err
				}
				if rng.IntN(7) == 0 {
					later := day.AddDate(0, 0, 1+rng.IntN(max(h.Today.DaysSince(day)-1, 1)))
					if err := add(idNo, Change, later, staff[rng.IntN(len(staff))], fmt.Sprintf("GEN-%d-2", person), pool[rng.IntN(len(pool))]); err != nil {
						return err
					}
				} else if rng.IntN(20) == 0 {
					later := day.AddDate(0, 0, 1+rng.IntN(max(h.Today.DaysSince(day)-1, 1)))
					if err := add(idNo, Cancel, later, staff[rng.IntN(len(staff))], fmt.Sprintf("GEN-%d-2", person), ""); err != nil {
						return err
					}
				}
			}
			return flush()
		})
		if err != nil {
			return fmt.Errorf("seal registrations %d–%d: %w", lo+1, hi, err)
		}
		h.Logf("seals: %d/%d registrations (%.0f/s)", hi, cards, float64(hi-done)/start.Elapsed().Seconds())
	}
	return nil
}

// historyImages renders the shared seal cards and stores them encrypted; the
// same seed gives the same designs (the ciphertext differs per run).
func historyImages(ctx context.Context, v *Vault) ([]string, error) {
	fonts, err := sealgen.OpenFonts("")
	if err != nil {
		return nil, err
	}
	defer fonts.Close()
	rng := rand.New(rand.NewPCG(910_000, 1))
	var out []string
	for i := 0; i < HistoryImages; i++ {
		p := sealgen.NewPerson(rng)
		m, err := fonts.Render(p.Design)
		if err != nil {
			return nil, err
		}
		card := sealgen.CardImpression(rng)
		card.DPI = 300
		b, _ := sealgen.Stamp(fonts, m, card, rng)
		ref, err := v.Put(ctx, b)
		if err != nil {
			return nil, err
		}
		out = append(out, ref)
	}
	return out, nil
}
