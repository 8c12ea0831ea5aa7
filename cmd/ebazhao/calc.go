package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"ebazhao/internal/fee"
	"ebazhao/internal/legal"
	"ebazhao/internal/platform/clock"
)

// calc runs one legal calculator: a JSON object on in, a JSON object on out.
// Exit 0 with the result, 1 with {"error": …} on invalid input.
func calc(args []string, in io.Reader, out io.Writer) int {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if len(args) != 1 {
		enc.Encode(map[string]any{"error": fmt.Sprintf("用法：ebazhao calc KIND < input.json；KIND 可為 %v", legal.Kinds())})
		return 2
	}
	body, err := io.ReadAll(io.LimitReader(in, 8<<20))
	if err != nil {
		enc.Encode(map[string]any{"error": "讀取輸入失敗：" + err.Error()})
		return 1
	}
	if args[0] == "fees" { // 戶政規費: the schedule is embedded, no database needed
		q, err := fee.Calc(body, clock.System().Now())
		if err != nil {
			msg := err.Error()
			if !fee.IsInputError(err) {
				msg = "計算失敗：" + msg
			}
			enc.Encode(map[string]any{"error": msg})
			return 1
		}
		enc.Encode(q)
		return 0
	}
	res, err := legal.Calc(args[0], body, legal.Options{})
	if err != nil {
		var ie *legal.InputError
		if !errors.As(err, &ie) {
			enc.Encode(map[string]any{"error": "計算失敗：" + err.Error()})
			return 1
		}
		enc.Encode(map[string]any{"error": err.Error()})
		return 1
	}
	if err := enc.Encode(res); err != nil {
		return 1
	}
	return 0
}
