package seqno_test

import (
	"context"
	"errors"
	"sort"
	"sync"
	"testing"

	"ebazhao/internal/platform/db"
	"ebazhao/internal/platform/dbtest"
	"ebazhao/internal/platform/seqno"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestConcurrentNumbersAreGapless(t *testing.T) {
	d := dbtest.New(t)
	ctx := context.Background()
	scope := seqno.Scope("test", 1, 115)
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				var n int64
				// Every third transaction fails after taking a number: it must not leave a hole.
				fail := (w+i)%3 == 0
				err := d.InTx(ctx, func(tx *db.Tx) error {
					var err error
					if n, err = seqno.Next(ctx, tx, scope); err != nil {
						return err
					}
					if fail {
						return errors.New("rolled back")
					}
					return nil
				})
				if fail {
					continue
				}
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				got = append(got, n)
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
	for i, n := range got {
		if n != int64(i+1) {
			t.Fatalf("number %d at position %d: gap or repeat (%v…)", n, i, got[:i+1])
		}
	}
	if last, _ := seqno.Peek(ctx, d, scope); last != int64(len(got)) {
		t.Fatalf("Peek = %d, want %d", last, len(got))
	}
	// Scopes are independent.
	var first int64
	d.InTx(ctx, func(tx *db.Tx) (err error) { first, err = seqno.Next(ctx, tx, seqno.Scope("test", 2, 115)); return })
	if first != 1 {
		t.Fatalf("new scope starts at %d", first)
	}
}
