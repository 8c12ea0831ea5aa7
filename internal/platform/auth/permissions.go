package auth

// Role is a staff role from the seed (作業規範 肆.一).
type Role string

const (
	Clerk      Role = "clerk"      // 櫃檯人員
	Supervisor Role = "supervisor" // 主管人員
	Scanner    Role = "scanner"    // 建檔人員
	Cashier    Role = "cashier"    // 出納
	Admin      Role = "admin"      // 機房人員
)

// Roles in display order.
var Roles = []Role{Clerk, Supervisor, Scanner, Cashier, Admin}

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case Clerk:
		return "櫃檯人員"
	case Supervisor:
		return "主管人員"
	case Scanner:
		return "建檔人員"
	case Cashier:
		return "出納人員"
	case Admin:
		return "機房人員"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Permission names one thing a user may do. Handlers check exactly one.
type Permission string

const (
	PersonRead     Permission = "person.read"      // 查詢民眾資料
	PersonWrite    Permission = "person.write"     // 建立、修改民眾資料
	DocumentIssue  Permission = "document.issue"   // 開立通知書、催告書、一次告知單、通知單；擬罰鍰裁處書稿
	FineApprove    Permission = "fine.approve"     // 核准本所罰鍰裁處書（核准後始編號、列印）
	TemplateManage Permission = "template.manage"  // 維護文書範本
	CalcUse        Permission = "calc.use"         // 居留期間、受胎期間、生育津貼、法定期間計算
	AgencyFile     Permission = "agency.file"      // N加e 跨機關通報
	AgencyManage   Permission = "agency.manage"    // 本所通報逾期追蹤、登錄機關辦理結果
	AgencyRegister Permission = "agency.register"  // 維護合作機關名冊、介接權杖與金鑰（全市）
	FeeCollect     Permission = "fee.collect"      // 收取規費、開立收據
	FeeVoidApprove Permission = "fee.void.approve" // 核准作廢
	FeeManage      Permission = "fee.manage"       // 維護規費收費標準（全市）
	FeeSettle      Permission = "fee.settle"       // 出納日結
	RatingView     Permission = "rating.view"      // 滿意度統計（承辦及主管）
	FormRead       Permission = "form.read"        // 查詢列印表單
	FormManage     Permission = "form.manage"      // 維護表單（全市）
	TipRead        Permission = "tip.read"         // 查詢列印便民資訊
	TipManage      Permission = "tip.manage"       // 維護便民資訊（全市）
	ArchiveRead    Permission = "archive.read"     // 影像查詢列印
	ArchiveScan    Permission = "archive.scan"     // 影像掃描（拍攝）
	ArchiveManage  Permission = "archive.manage"   // 資料登打（修改）
	SealCompare    Permission = "seal.compare"     // 印鑑比對、核發印鑑證明
	SealScan       Permission = "seal.scan"        // 印鑑條建檔
	SealApprove    Permission = "seal.approve"     // 核准補登（生效日早於登錄日）的印鑑異動
	ReportView     Permission = "report.view"      // 報表查詢列印
	AuditView      Permission = "audit.view"       // 稽核紀錄
	UserManage     Permission = "user.manage"      // 使用者管理（本所）
	OfficeManage   Permission = "office.manage"    // 戶所、櫃檯管理
	CityWide       Permission = "city.wide"        // 跨所管理（機房）
	CalendarManage Permission = "calendar.manage"  // 行事曆停班登錄（全市）
	TokenManage    Permission = "token.manage"     // API 權杖
)

// clerkPerms is what every counter clerk may do (肆.一(二)1, (五), (六), (七)1).
var clerkPerms = []Permission{PersonRead, PersonWrite, DocumentIssue, CalcUse, AgencyFile, FeeCollect,
	FormRead, TipRead, ArchiveRead, SealCompare, ReportView}

// rolePermissions is the one table of role → permissions (作業規範 肆.一).
// The system admin (機房人員) "可執行本系統所有工作項目": every permission.
// Settings that hold for the whole city — the fee schedule, the calendar's
// closures, the partner-agency register and its credentials, the masters of
// forms and tips — are the city level's (機房), never one office's supervisor's:
// a 北屯 supervisor must not change 西屯's quotes or mint a token that reads
// 西屯's citizens. An office's own matters stay with its supervisor.
var rolePermissions = map[Role][]Permission{
	Clerk: clerkPerms,
	Supervisor: append(append([]Permission{}, clerkPerms...), TemplateManage, AgencyManage, FeeVoidApprove, FineApprove,
		RatingView, ArchiveScan, ArchiveManage, SealScan, SealApprove, AuditView, UserManage),
	Scanner: {PersonRead, ArchiveRead, ArchiveScan, SealScan, ReportView, FormRead, TipRead},
	Cashier: {PersonRead, FeeCollect, FeeSettle, ReportView, FormRead, TipRead},
	Admin: {PersonRead, PersonWrite, DocumentIssue, FineApprove, TemplateManage, CalcUse, AgencyFile, AgencyManage, AgencyRegister, FeeCollect,
		FeeVoidApprove, FeeManage, FeeSettle, RatingView, FormRead, FormManage, TipRead, TipManage, ArchiveRead,
		ArchiveScan, ArchiveManage, SealCompare, SealScan, SealApprove, ReportView, AuditView, UserManage, OfficeManage,
		CityWide, CalendarManage, TokenManage},
}

// Can reports whether role r holds permission p.
func (r Role) Can(p Permission) bool {
	for _, x := range rolePermissions[r] {
		if x == p {
			return true
		}
	}
	return false
}

// Permissions lists r's permissions.
func (r Role) Permissions() []Permission { return append([]Permission{}, rolePermissions[r]...) }
