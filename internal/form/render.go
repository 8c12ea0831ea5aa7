package form

import (
	"strconv"
	"strings"

	"ebazhao/internal/person"
	"ebazhao/internal/platform/civil"
	"ebazhao/internal/platform/rocdate"
)

// Values fill a template form. The zero value renders a blank form.
type Values struct {
	People map[string]*person.Person // by role key: "a", "b"
	Office OfficeInfo                // the clerk's office
	Clerk  string                    // the clerk's display name
	Today  civil.Date                // the printing day (Taipei civil day)
	Case   map[string]string         // case inputs by key
}

// OfficeInfo is what a form prints about the office.
type OfficeInfo struct{ Name, Address, Phone string }

// Filled reports whether any value is present (a pre-filled print).
func (v *Values) Filled() bool {
	if v == nil {
		return false
	}
	for _, p := range v.People {
		if p != nil {
			return true
		}
	}
	for _, s := range v.Case {
		if strings.TrimSpace(s) != "" {
			return true
		}
	}
	return v.Office.Name != "" || !v.Today.IsZero()
}

// Doc is a rendered form: every binding resolved to a value or to an empty
// box, ready for the HTML or PDF writer. A Doc never holds a placeholder.
type Doc struct {
	Title    string
	Subtitle string
	Footer   string
	Filled   bool
	Blocks   []DocBlock
}

// DocBlock is one rendered block.
type DocBlock struct {
	Kind    string
	Title   string
	Rows    [][]DocCell
	Options []DocOption
	Columns int
	Runs    []Run   // text
	Items   [][]Run // notes
	Signs   []string
	Date    []Run // sign: the date line
}

// DocCell is a labelled value.
type DocCell struct {
	Label string
	Bind  string // the binding it came from ("" for fixed text)
	Value string // resolved value ("" = empty box)
	Runs  []Run  // fixed text with embedded values
	W     int
	Boxes []string // the value split into character boxes
	Lines int
}

// DocOption is a ☐/☑ option.
type DocOption struct {
	Label   string
	Checked bool
}

// Run is a piece of text: fixed, a filled value, or a blank to write on.
type Run struct {
	Text  string
	Bind  string // set for values and blanks
	Blank bool   // nothing to fill in: print a line to write on
}

// BlankMark is printed for an unfilled inline value: a line to write on.
const BlankMark = "＿＿＿＿＿＿"

// Render resolves spec with v. With v nil (or empty) the form is blank.
func Render(s *Spec, v *Values) *Doc {
	if v == nil {
		v = &Values{}
	}
	d := &Doc{Title: s.Title, Subtitle: s.Subtitle, Footer: s.Footer, Filled: v.Filled()}
	roleLabel := map[string]string{}
	for _, r := range s.Roles {
		roleLabel[r.Key] = r.Label
	}
	for _, b := range s.Blocks {
		db := DocBlock{Kind: b.Kind, Title: textOf(runs(b.Title, v)), Columns: b.Columns}
		switch b.Kind {
		case BlockGrid:
			for _, row := range b.Rows {
				var cells []DocCell
				for _, c := range row {
					cells = append(cells, cell(c, v))
				}
				db.Rows = append(db.Rows, cells)
			}
		case BlockPerson:
			db.Kind = BlockGrid
			if db.Title == "" {
				db.Title = roleLabel[b.Role]
			}
			db.Rows = personRows(b.Role, b.Fields, v)
		case BlockChecks:
			chosen := map[string]bool{}
			if b.Bind != "" {
				for _, x := range strings.Split(v.value(b.Bind), ",") {
					chosen[strings.TrimSpace(x)] = true
				}
			}
			for _, o := range b.Options {
				db.Options = append(db.Options, DocOption{Label: o, Checked: chosen[o]})
			}
			if db.Columns == 0 {
				db.Columns = 4
			}
		case BlockText:
			db.Runs = runs(b.Text, v)
		case BlockNotes:
			for _, it := range b.Items {
				db.Items = append(db.Items, runs(it, v))
			}
		case BlockSign:
			db.Signs = b.Items
			if b.Date {
				db.Date = runs("中華民國 {today.y} 年 {today.m} 月 {today.d} 日", v)
			}
		case BlockOffice:
			db.Kind = BlockGrid
			if db.Title == "" {
				db.Title = "以下由戶政事務所填寫"
			}
			db.Rows = [][]DocCell{
				{cell(Cell{Label: "受理戶所", Bind: "office.name", W: 3}, v), cell(Cell{Label: "收件日期", W: 2}, v), cell(Cell{Label: "收件字號", W: 2}, v)},
				{cell(Cell{Label: "承辦人", W: 2}, v), cell(Cell{Label: "審核", W: 2}, v), cell(Cell{Label: "登錄", W: 2}, v), cell(Cell{Label: "主任", W: 1}, v)},
			}
		}
		d.Blocks = append(d.Blocks, db)
	}
	return d
}

func cell(c Cell, v *Values) DocCell {
	dc := DocCell{Label: c.Label, Bind: c.Bind, W: c.W, Lines: c.Lines}
	if dc.W == 0 {
		dc.W = 1
	}
	if dc.Lines == 0 {
		dc.Lines = 1
	}
	if c.Text != "" {
		dc.Runs = runs(c.Text, v)
		return dc
	}
	if c.Bind != "" {
		dc.Value = v.value(c.Bind)
	}
	if c.Boxes > 0 {
		r := []rune(dc.Value)
		dc.Boxes = make([]string, c.Boxes)
		for i := range dc.Boxes {
			if i < len(r) {
				dc.Boxes[i] = string(r[i])
			}
		}
	}
	return dc
}

func personRows(role string, fields []string, v *Values) [][]DocCell {
	if len(fields) == 0 {
		fields = PersonFields
	}
	var rows [][]DocCell
	var pending []DocCell
	flush := func() {
		if len(pending) > 0 {
			rows = append(rows, pending)
			pending = nil
		}
	}
	for _, f := range fields {
		c := Cell{Label: personFieldLabels[f], Bind: role + "." + f, W: 2}
		switch f {
		case "id_no":
			c.Boxes = 10
		case "sex":
			c.W = 1
		case "addr_household", "addr_current", "addr_service", "addr_business", "email":
			flush()
			c.W = 6
			rows = append(rows, []DocCell{cell(c, v)})
			continue
		}
		pending = append(pending, cell(c, v))
		if len(pending) == 2 {
			flush()
		}
	}
	flush()
	return rows
}

// runs splits text with {bindings} into fixed text, values and blanks.
func runs(text string, v *Values) []Run {
	if text == "" {
		return nil
	}
	var out []Run
	last := 0
	for _, m := range inlineBind.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > last {
			out = append(out, Run{Text: text[last:m[0]]})
		}
		b := text[m[2]:m[3]]
		if val := v.value(b); val != "" {
			out = append(out, Run{Text: val, Bind: b})
		} else {
			out = append(out, Run{Text: BlankMark, Bind: b, Blank: true})
		}
		last = m[1]
	}
	if last < len(text) {
		out = append(out, Run{Text: text[last:]})
	}
	return out
}

func textOf(rs []Run) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteString(r.Text)
	}
	return b.String()
}

// value resolves one binding; "" when there is nothing to fill.
func (v *Values) value(b string) string {
	switch b {
	case "office.name":
		return v.Office.Name
	case "office.address":
		return v.Office.Address
	case "office.phone":
		return v.Office.Phone
	case "clerk.name":
		return v.Clerk
	case "today":
		return v.Today.ROCLong()
	case "today.y", "today.m", "today.d":
		if v.Today.IsZero() {
			return ""
		}
		switch b {
		case "today.y":
			return strconv.Itoa(v.Today.ROCYear())
		case "today.m":
			return strconv.Itoa(int(v.Today.Month()))
		}
		return strconv.Itoa(v.Today.Day())
	}
	if k, ok := strings.CutPrefix(b, "case."); ok {
		return strings.TrimSpace(v.Case[k])
	}
	role, field, _ := strings.Cut(b, ".")
	p := v.People[role]
	if p == nil {
		return ""
	}
	switch field {
	case "name":
		return p.Name
	case "id_no":
		return p.IDNo
	case "birth":
		return rocdate.FormatLong(p.BirthDate)
	case "sex":
		return p.Sex
	case "addr_household":
		return p.AddrHousehold
	case "addr_current":
		return p.AddrCurrent
	case "addr_service":
		return p.AddrService
	case "addr_business":
		return p.AddrBusiness
	case "phone":
		return p.Phone
	case "email":
		return p.Email
	}
	return ""
}

// Text renders the doc as plain text, one line per row: what pdftotext reads
// back from the PDF, used for search snippets and golden tests.
func (d *Doc) Text() string {
	var b strings.Builder
	b.WriteString(d.Title + "\n")
	if d.Subtitle != "" {
		b.WriteString(d.Subtitle + "\n")
	}
	for _, bl := range d.Blocks {
		if bl.Title != "" {
			b.WriteString(bl.Title + "\n")
		}
		for _, row := range bl.Rows {
			var parts []string
			for _, c := range row {
				parts = append(parts, c.Label+"："+c.Display())
			}
			b.WriteString(strings.Join(parts, "　") + "\n")
		}
		if len(bl.Options) > 0 {
			var parts []string
			for _, o := range bl.Options {
				parts = append(parts, o.Mark()+o.Label)
			}
			b.WriteString(strings.Join(parts, "　") + "\n")
		}
		if len(bl.Runs) > 0 {
			b.WriteString(textOf(bl.Runs) + "\n")
		}
		for i, it := range bl.Items {
			b.WriteString(strconv.Itoa(i+1) + "、" + textOf(it) + "\n")
		}
		for _, s := range bl.Signs {
			b.WriteString(s + "：\n")
		}
		if len(bl.Date) > 0 {
			b.WriteString(textOf(bl.Date) + "\n")
		}
	}
	if d.Footer != "" {
		b.WriteString(d.Footer + "\n")
	}
	return b.String()
}

// Display is the cell's text: its value or its fixed text.
func (c DocCell) Display() string {
	if len(c.Runs) > 0 {
		return textOf(c.Runs)
	}
	return c.Value
}

// Mark is ☑ or ☐.
func (o DocOption) Mark() string {
	if o.Checked {
		return "☑"
	}
	return "☐"
}
