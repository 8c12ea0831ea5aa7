package fee

import (
	"testing"

	"ebazhao/internal/platform/dbtest"
)

func TestMain(m *testing.M) {
	if crashChild() {
		return
	}
	dbtest.Main(m)
}
