// Package demo seeds demonstration data: accounts for every role and a few
// hundred people with realistic names, valid IDs and Taichung addresses. It is
// idempotent: running it again adds nothing that exists.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"ebazhao/internal/office"
	"ebazhao/internal/person"
	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/auth"
	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/idno"
	"ebazhao/internal/platform/rocdate"
)

// Accounts are the demo users: username, display name, role, office code.
var Accounts = []struct {
	Username, Name string
	Role           auth.Role
	Office         string
}{
	{"clerk", "王小明", auth.Clerk, "xitun"},
	{"supervisor", "林主任", auth.Supervisor, "xitun"},
	{"scanner", "陳建檔", auth.Scanner, "xitun"},
	{"cashier", "張出納", auth.Cashier, "xitun"},
	{"admin", "李機房", auth.Admin, "xitun"},
	{"clerk2", "黃櫃檯", auth.Clerk, "beitun"},
}

var surnames = []string{"陳", "林", "黃", "張", "李", "王", "吳", "劉", "蔡", "楊", "許", "鄭", "謝", "郭", "洪", "曾", "邱", "廖", "賴", "周", "徐", "蘇", "葉", "莊", "呂", "江", "何", "蕭", "羅", "高", "歐陽", "范姜", "𡍼"}
var givenM = []string{"志明", "家豪", "冠宇", "俊傑", "建宏", "宗翰", "承恩", "柏翰", "宇軒", "冠廷", "彥廷", "明輝", "文雄", "金龍", "國華", "育霖", "士銘", "哲瑋"}
var givenF = []string{"淑芬", "美玲", "雅婷", "怡君", "佳穎", "欣怡", "詩涵", "宜蓁", "心妤", "思妤", "秀英", "麗華", "玉珍", "品妍", "芷晴", "筱涵", "靜宜", "雅雯"}
var roads = []string{"臺灣大道三段", "文心路二段", "河南路三段", "福科路", "西屯路二段", "中清路二段", "崇德路三段", "五權西路一段", "公益路二段", "大墩路", "黎明路二段", "永福路", "青海路一段", "東興路三段"}

// Seed creates the demo accounts (password pw) and about n people.
func Seed(ctx context.Context, d *db.DB, pw string, n int) (created []string, err error) {
	offices := &office.Store{DB: d}
	a := auth.New(d, auth.DefaultPolicy())
	sys := audit.Actor{Username: "demo"}
	officeIDs := map[string]int64{}
	for _, acct := range Accounts {
		o, err := offices.ByCode(ctx, acct.Office)
		if err != nil {
			return nil, fmt.Errorf("demo: office %s: %w", acct.Office, err)
		}
		officeIDs[acct.Office] = o.ID
		if _, err := a.UserByName(ctx, acct.Username); err == nil {
			continue
		} else if !errors.Is(err, db.ErrNotFound) {
			return nil, err
		}
		if _, _, err := a.CreateUser(ctx, sys, auth.NewUser{Username: acct.Username, DisplayName: acct.Name, OfficeID: o.ID,
			Role: acct.Role, Password: pw, MustChange: false}); err != nil {
			return nil, fmt.Errorf("demo: user %s: %w", acct.Username, err)
		}
		created = append(created, acct.Username)
	}
	people := &person.Store{DB: d}
	if cnt, err := people.Count(ctx); err != nil || cnt >= int64(n) {
		return created, err
	}
	for _, p := range People(n, officeIDs["xitun"], officeIDs["beitun"]) {
		if err := people.Create(ctx, sys, p); err != nil && !errors.Is(err, person.ErrDuplicate) {
			return created, fmt.Errorf("demo: person %s: %w", p.IDNo, err)
		}
	}
	return created, nil
}

// People generates n deterministic demo people, split between two offices. The
// first one is always 王大明 A123456789, so a demo has a person to look up.
func People(n int, officeA, officeB int64) []*person.Person {
	rng := rand.New(rand.NewPCG(1946, 2026))
	letters := "BBBBLLLLLA" // mostly Taichung (B, L)
	out := []*person.Person{{IDNo: "A123456789", Name: "王大明", Sex: "男", BirthDate: rocdate.Date(1980, 5, 20),
		AddrHousehold: "臺中市西屯區福科路100號", AddrCurrent: "臺中市西屯區福科路100號", Phone: "0912-345-678", OfficeID: officeA}}
	seen := map[string]bool{"A123456789": true}
	for len(out) < n {
		male := rng.IntN(2) == 0
		sexDigit := "2"
		given := givenF[rng.IntN(len(givenF))]
		if male {
			sexDigit, given = "1", givenM[rng.IntN(len(givenM))]
		}
		prefix := string(letters[rng.IntN(len(letters))]) + sexDigit + fmt.Sprintf("%07d", rng.IntN(10_000_000))
		check, err := idno.CheckDigit(prefix)
		if err != nil || seen[prefix+string(check)] {
			continue
		}
		id := prefix + string(check)
		seen[id] = true
		sex := "女"
		if male {
			sex = "男"
		}
		district := "西屯區"
		off := officeA
		if rng.IntN(3) == 0 {
			district, off = "北屯區", officeB
		}
		addr := fmt.Sprintf("臺中市%s%s%d號", district, roads[rng.IntN(len(roads))], 1+rng.IntN(400))
		if rng.IntN(4) == 0 {
			addr += fmt.Sprintf("%d樓", 2+rng.IntN(20))
		}
		p := &person.Person{IDNo: id, Name: surnames[rng.IntN(len(surnames))] + given, Sex: sex,
			BirthDate:     rocdate.Date(1935+rng.IntN(88), time.Month(1+rng.IntN(12)), 1+rng.IntN(28)),
			AddrHousehold: addr, AddrCurrent: addr, Phone: fmt.Sprintf("09%02d-%03d-%03d", rng.IntN(100), rng.IntN(1000), rng.IntN(1000)), OfficeID: off}
		if rng.IntN(5) == 0 {
			p.AddrService = fmt.Sprintf("臺中市%s%s%d號", district, roads[rng.IntN(len(roads))], 1+rng.IntN(400))
		}
		out = append(out, p)
	}
	return out
}
