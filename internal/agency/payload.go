package agency

import (
	"encoding/json"

	"ebazhao/internal/platform/civil"
)

// PayloadFormat names the payload and file layout version.
const PayloadFormat = "nplus-e/1"

// Applicant is who signed for the person concerned (family of a deceased,
// parent of a newborn).
type Applicant struct {
	Name     string `json:"name"`
	IDNo     string `json:"id_no,omitempty"`
	Relation string `json:"relation"`
}

// Payload is what an agency receives for one item, frozen when the item is
// released: only the fields that agency asked for, ISO dates.
type Payload struct {
	Format        string            `json:"format"`
	ApplicationNo string            `json:"application_no"`
	Office        string            `json:"office"`
	AcceptedOn    string            `json:"accepted_on"`
	DueOn         string            `json:"due_on"`
	Kind          string            `json:"kind"`
	KindName      string            `json:"kind_name"`
	IDNo          string            `json:"id_no"`
	Name          string            `json:"name"`
	AccountNo     string            `json:"account_no,omitempty"`
	Applicant     *Applicant        `json:"applicant,omitempty"`
	Fields        map[string]string `json:"fields"`
}

func buildPayload(app *Application, a *Agency, account string, day, due civil.Date) (string, error) {
	k := app.KindInfo()
	p := Payload{Format: PayloadFormat, ApplicationNo: app.No(), Office: app.OfficeName, AcceptedOn: day.ISO(), DueOn: due.ISO(),
		Kind: k.Code, KindName: k.Name, IDNo: app.SubjectIDNo, Name: app.SubjectName, AccountNo: account, Fields: map[string]string{}}
	for _, key := range a.FieldsFor(k) {
		if key == SubjectBirthDate {
			if !app.SubjectBirthDate.IsZero() {
				p.Fields[key] = app.SubjectBirthDate.ISO()
			}
			continue
		}
		if v := app.Fields[key]; v != "" {
			p.Fields[key] = v
		}
	}
	if k.ApplicantRequired {
		p.Applicant = &Applicant{Name: app.ApplicantName, IDNo: app.ApplicantIDNo, Relation: app.ApplicantRelation}
	}
	b, err := json.Marshal(p)
	return string(b), err
}

// DecodePayload reads a stored payload.
func DecodePayload(s string) (*Payload, error) {
	var p Payload
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return nil, err
	}
	if p.Fields == nil {
		p.Fields = map[string]string{}
	}
	return &p, nil
}
