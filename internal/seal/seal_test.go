package seal

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ebazhao/internal/platform/audit"
	"ebazhao/internal/platform/blob"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/rocdate"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestVaultRoundTripAndWrongKey(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(KeyEnv, "")
	k1, err := LoadKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := LoadKey(dir) // reads the same file
	if err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("key not stable: %v", err)
	}
	st, _ := os.Stat(filepath.Join(dir, KeyFile))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v", st.Mode().Perm())
	}
	store := blob.NewFS(filepath.Join(dir, "blobs"))
	v, _ := NewVault(store, k1)
	h, err := v.Put(context.Background(), []byte("seal image bytes"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := v.Get(context.Background(), h)
	if err != nil || string(got) != "seal image bytes" {
		t.Fatalf("round trip: %q %v", got, err)
	}
	other := make([]byte, 32)
	other[0] = 1
	t.Setenv(KeyEnv, base64.StdEncoding.EncodeToString(other))
	k3, err := LoadKey(dir)
	if err != nil || bytes.Equal(k3, k1) {
		t.Fatalf("env key not used: %v", err)
	}
	v2, _ := NewVault(store, k3)
	if _, err := v2.Get(context.Background(), h); !errors.Is(err, ErrDecrypt) {
		t.Errorf("wrong key: %v", err)
	}
	t.Setenv(KeyEnv, "c2hvcnQ=")
	if _, err := LoadKey(dir); err == nil {
		t.Error("a 5-byte key was accepted")
	}
}

func TestHistoryRulesAndCertificateNumbers(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	var office int64
	if err := d.QueryRow(ctx, `INSERT INTO offices (code, name, city, district, created_at, updated_at) VALUES ('t1', '測試所', '臺中市', '西屯區', 'x', 'x') RETURNING id`).Scan(&office); err != nil {
		t.Fatal(err)
	}
	// the clock is each step's day: every event is recorded on its own date
	var clock time.Time
	s := &Store{DB: d, Now: func() time.Time { return clock }}
	actor := audit.Actor{Username: "t"}
	id := "A123456789"
	day := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC) }
	on := func(t time.Time) { clock = time.Date(t.Year(), t.Month(), t.Day(), 10, 0, 0, 0, rocdate.Taipei) }
	steps := []struct {
		kind, ref string
		date      time.Time
		ok        bool
	}{
		{Change, "aa", day(2010, 1, 1), false},   // nothing to change yet
		{Register, "", day(2010, 1, 1), false},   // no imprint
		{Register, "r1", day(2010, 1, 1), true},  // 登記
		{Register, "r2", day(2012, 1, 1), false}, // already registered
		{Change, "r3", day(2019, 8, 2), true},    // 變更
		{Cancel, "", day(2021, 5, 5), true},      // 註銷
		{Cancel, "", day(2022, 5, 5), false},     // nothing to cancel
		{Register, "r4", day(2023, 1, 9), true},  // registers again
	}
	for i, st := range steps {
		on(st.date)
		err := s.AddEvent(ctx, actor, &Event{PersonIDNo: id, Kind: st.kind, Date: st.date, OfficeID: office, ImprintRef: st.ref})
		if (err == nil) != st.ok {
			t.Fatalf("step %d (%s): err %v, want ok=%v", i, st.kind, err, st.ok)
		}
		var ue *UserError
		if err != nil && !errors.As(err, &ue) {
			t.Fatalf("step %d: not a user error: %v", i, err)
		}
	}
	h, err := s.History(ctx, id)
	if err != nil || len(h) != 4 || h[0].ImprintRef != "r4" || h[3].Kind != Register {
		t.Fatalf("history: %v %+v", err, h)
	}
	cur, err := s.Current(ctx, id)
	if err != nil || cur.ImprintRef != "r4" {
		t.Fatalf("current: %v", err)
	}
	// two certificates: gapless numbers; a poor comparison cannot be issued
	var numbers []string
	for i, verdict := range []string{"match", "match", "poor", "mismatch"} {
		c := &Comparison{PersonIDNo: id, EventID: cur.ID, OfficeID: office, CandRef: "c", Score: 0.9, Verdict: verdict}
		if err := s.AddComparison(ctx, actor, c); err != nil {
			t.Fatal(err)
		}
		cert, err := s.Issue(ctx, actor, IssueRequest{ComparisonID: c.ID, Purpose: "銀行貸款", Applicant: "self", Copies: 3, OfficeID: office, OfficeCode: "t1"})
		switch verdict {
		case "match":
			if err != nil {
				t.Fatalf("issue %d: %v", i, err)
			}
			if cert.FeeAmount != 60 || cert.FeeStatus != "due" {
				t.Errorf("fee %d %s", cert.FeeAmount, cert.FeeStatus)
			}
			numbers = append(numbers, cert.Number)
		default:
			if err == nil {
				t.Errorf("%s comparison issued a certificate", verdict)
			}
		}
	}
	if len(numbers) != 2 || numbers[0][len(numbers[0])-6:] != "000001" || numbers[1][len(numbers[1])-6:] != "000002" {
		t.Errorf("numbers %v", numbers)
	}
	due, err := s.DueFees(ctx, office)
	if err != nil || len(due) != 2 {
		t.Fatalf("due fees %d %v", len(due), err)
	}
	if err := s.Revoke(ctx, actor, due[0].ID, ""); err == nil {
		t.Error("revoked without a reason")
	}
	if err := s.Revoke(ctx, actor, due[0].ID, "遺失"); err != nil {
		t.Fatal(err)
	}
	if err := s.Revoke(ctx, actor, due[0].ID, "again"); err == nil {
		t.Error("revoked twice")
	}
	// a registration changed after the comparison blocks issuing on it
	c := &Comparison{PersonIDNo: id, EventID: cur.ID, OfficeID: office, CandRef: "c", Score: 0.9, Verdict: "match"}
	s.AddComparison(ctx, actor, c)
	on(day(2024, 1, 1))
	if err := s.AddEvent(ctx, actor, &Event{PersonIDNo: id, Kind: Change, Date: day(2024, 1, 1), OfficeID: office, ImprintRef: "r5"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Issue(ctx, actor, IssueRequest{ComparisonID: c.ID, Purpose: "x", Applicant: "self", Copies: 1, OfficeID: office, OfficeCode: "t1"}); err == nil {
		t.Error("issued on a superseded registration")
	}
}
