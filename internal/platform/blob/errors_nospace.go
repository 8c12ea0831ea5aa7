package blob

import (
	"errors"
	"fmt"
	"syscall"
)

// ErrNoSpace: the store is full (the disk or a quota), so the content was not
// stored. Check with errors.Is; the wrapped cause (syscall.ENOSPC, EDQUOT)
// stays reachable for the log.
var ErrNoSpace = errors.New("blob: no space left in the store")

// NoSpaceMessage is what a user is told when an upload failed on a full store.
const NoSpaceMessage = "儲存空間不足，檔案未儲存，請通知系統管理員"

// noSpace marks an error caused by a full disk or an exceeded quota as
// ErrNoSpace, keeping the original error in the chain.
func noSpace(err error) error {
	if err == nil || errors.Is(err, ErrNoSpace) {
		return err
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("%w: %w", ErrNoSpace, err)
	}
	return err
}
