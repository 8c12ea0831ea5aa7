package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/clock"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
)

// Scales are the data sizes the generator knows, in people.
var Scales = map[string]int{
	"demo":   300,
	"city":   2_820_000,  // Taichung (2.8 million residents)
	"nation": 23_400_000, // Taiwan
}

// ScaleStep generates one kind of data for n people; subsystems add their own
// (receipts, documents, seals, archives …) so the generator grows with them.
type ScaleStep struct {
	Name string
	Run  func(ctx context.Context, d *db.DB, people int, log io.Writer) error
}

// ScalePerson returns the i-th generated person (i ≥ 1): a valid, unique ID
// (i is mapped bijectively onto letter, sex and a scrambled serial), a name, a
// birth date and an address in one of the offices' districts. Deterministic.
func ScalePerson(i int, offices []*office.Office) (idNo, name, sex string, birth civil.Date, addr string, officeID int64) {
	idNo = ScaleIDNo(i)
	sexDigit := idNo[1]
	rng := rand.New(rand.NewPCG(uint64(i), 1946))
	sex = "男"
	given := givenM[rng.IntN(len(givenM))]
	if sexDigit == '2' {
		sex, given = "女", givenF[rng.IntN(len(givenF))]
	}
	name = surnames[rng.IntN(len(surnames))] + given
	birth = civil.New(1925+rng.IntN(100), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
	o := offices[rng.IntN(len(offices))]
	officeID = o.ID
	addr = fmt.Sprintf("%s%s%s%d號", o.City, o.District, roads[rng.IntN(len(roads))], 1+rng.IntN(600))
	return
}

// ScaleIDNo is the ID number of the i-th generated person: i is mapped
// bijectively onto letter, sex and a scrambled serial, so IDs are unique and
// valid without remembering which were used.
func ScaleIDNo(i int) string {
	const serials = 10_000_000
	letters := "BLACDEFGHIJKMNOPQRSTUVWXYZ" // Taichung's B and L first: 20 million IDs each
	slot := i % (2 * serials)
	letter := letters[(i/(2*serials))%len(letters)]
	sexDigit := byte('1' + slot%2)
	serial := (uint64(slot/2) * 7_654_321) % serials // 7654321 is coprime with 10^7: a permutation
	prefix := fmt.Sprintf("%c%c%07d", letter, sexDigit, serial)
	check, _ := idno.CheckDigit(prefix)
	return prefix + string(check)
}

// GeneratePeople inserts people 1..n (skipping those already there by count) in
// multi-row statements and large transactions: a city in minutes.
func GeneratePeople(ctx context.Context, d *db.DB, n int, log io.Writer) error {
	offices, err := (&office.Store{DB: d}).All(ctx)
	if err != nil {
		return err
	}
	var have int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM persons WHERE created_at = 'generated'`).Scan(&have); err != nil {
		return err
	}
	const perStmt, perTx = 500, 50_000
	start := clock.Start()
	for lo := have + 1; lo <= n; lo += perTx {
		hi := min(lo+perTx-1, n)
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for s := lo; s <= hi; s += perStmt {
				e := min(s+perStmt-1, hi)
				var sb strings.Builder
				args := make([]any, 0, (e-s+1)*7)
				sb.WriteString(`INSERT INTO persons (id_no, name, sex, birth_date, addr_household, addr_current, office_id, created_at, updated_at) VALUES `)
				for i := s; i <= e; i++ {
					id, name, sex, birth, addr, off := ScalePerson(i, offices)
					if i > s {
						sb.WriteByte(',')
					}
					sb.WriteString(`(?, ?, ?, ?, ?, ?, ?, 'generated', 'generated')`)
					args = append(args, id, name, sex, birth, addr, addr, off)
				}
				sb.WriteString(` ON CONFLICT (id_no) DO NOTHING`)
				if _, err := tx.Exec(ctx, sb.String(), args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("generate people %d–%d: %w", lo, hi, err)
		}
		if log != nil {
			el := start.Elapsed().Seconds()
			fmt.Fprintf(log, "people %d/%d (%.0f/s)\n", hi, n, float64(hi-have)/el)
		}
	}
	return nil
}
