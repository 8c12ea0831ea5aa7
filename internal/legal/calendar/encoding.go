package calendar

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/traditionalchinese"
)

// toUTF8 returns the file as UTF-8 text: a UTF-8 BOM is dropped; a file that is not
// valid UTF-8 is read as Big5 (the DGPA publishes some years in Big5).
func toUTF8(raw []byte) (string, error) {
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if utf8.Valid(raw) {
		return string(raw), nil
	}
	out, err := traditionalchinese.Big5.NewDecoder().Bytes(raw)
	if err != nil {
		return "", fmt.Errorf("辦公日曆表編碼無法辨識（應為UTF-8或Big5）：%w", err)
	}
	return string(bytes.TrimPrefix(out, []byte("\xef\xbb\xbf"))), nil
}
