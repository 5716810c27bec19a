package extract

// cueKind says what a cue word signals.
type cueKind uint8

// The cue kinds. The first five vote for a category; cueImpact only says
// that a sentence reports impact; cueUnaffected says that what it names was
// not impacted; cueIncident marks a post-incident report, which is not a
// maintenance announcement even when it mentions maintenance; cueRootCause
// marks a sentence explaining the cause, whose components are often not
// what customers saw fail.
const (
	cueOutage cueKind = iota
	cueDegradation
	cueDataLoss
	cueSecurity
	cueMaintenance
	cueImpact
	cueUnaffected
	cueIncident
	cueRootCause
	numCueKinds
)

// cueGroup is a list of cue words of one kind and weight. A word ending in
// '*' matches as a prefix ("unavailab*"); one starting with '*' may end a
// compound ("*ausfall" in "Stromausfall"). Words are folded like the text,
// so accents and case do not matter.
type cueGroup struct {
	kind   cueKind
	weight float64
	words  []string
}

// cueGroups lists the cue words for every supported language (en, fr, de,
// es, it, ja, zh, ko). Phrases win over the words inside them ("not
// impacted" over "impacted"), because the longest match is kept.
var cueGroups = []cueGroup{
	{cueOutage, 2, []string{
		"outage*", "down", "went down", "is down", "are down", "unavailab*", "unreachable", "inaccessible", "offline",
		"unable to access", "unable to connect", "unable to log in", "unable to use", "could not access", "could not connect",
		"cannot access", "can not access", "no access", "not accessible", "not available", "loss of connectivity",
		"loss of network connectivity", "connectivity issues", "connectivity failures", "connection failures",
		"connectivity problems", "complete outage", "crash*", "blue screen",
		"bsod", "100% error rate", "not reachable", "stopped working", "total failure", "downtime",
		"timeout errors", "connection timeout*", "dns resolution issues", "dns resolution failures",
		"name resolution failures",
		"panne*", "en panne", "indisponib*", "hors service", "hors ligne", "coupure*", "impossible d acceder",
		"impossible de se connecter", "inaccessibles", "*ausfall", "*ausfalle", "ausgefallen", "*storung",
		"nicht erreichbar", "nicht verfugbar", "lahmgelegt", "caida*", "caido", "fuera de linea", "fuera de servicio",
		"sin servicio", "no disponible", "inaccesible", "apagon", "paraliza*", "interrupcion", "fuori uso",
		"disservizi*", "non disponibile", "irraggiungibile", "interruzione", "blackout", "non hanno potuto",
		"障害", "停止", "利用できな", "接続できな", "ダウン", "途絶", "不通", "中断", "宕机", "无法访问", "无法连接",
		"不可用", "故障", "服务异常", "异常", "장애", "먹통", "마비", "접속 불가", "사용할 수 없", "중단",
	}},
	{cueOutage, 1, []string{"service disruption", "disruption", "disrupted"}},
	{cueDegradation, 2, []string{
		"degraded*", "degradation", "elevated error*", "elevated latenc*", "elevated errors", "elevated rates",
		"increased error*", "increased latenc*", "higher than normal", "latency", "latencies", "slow*", "delay*",
		"intermittent*", "partial*", "lower throughput", "reduced throughput", "reduced performance",
		"performance issues", "some customers", "subset of customers", "a subset", "some users", "some requests",
		"incorrect", "minor", "long loading times", "degraded performance", "queued", "backlog", "slow down",
		"ralentissement*", "lenteur*", "dysfonctionnement*", "perturbe*", "perturbation*", "degrade*",
		"certains utilisateurs", "partiellement", "retard*", "verzogerung*", "verlangsamt", "eingeschrankt",
		"beeintrachtigt", "teilweise", "bestimmte funktionen", "einige nutzer", "lentitud", "degradado",
		"intermitente*", "parcial*", "retraso*", "algunos usuarios", "rallentament*", "lentezza", "degradat*",
		"parziale", "ritard*", "alcuni utenti", "遅延", "低下", "一部", "断続的", "延迟", "缓慢", "部分", "间歇",
		"性能下降", "지연", "느려", "일부", "간헐적", "저하",
	}},
	{cueDataLoss, 5, []string{
		"data loss", "lost data", "data was lost", "data were lost", "logs were lost", "we lost", "were lost",
		"was lost", "permanently lost", "not retrievable", "unrecoverable", "cannot be recovered", "not recoverable",
		"could not be recovered", "data gap*", "gaps in data", "missing data", "missing logs", "logs gap*", "log gap*",
		"gap in logs", "dropped logs", "logs were dropped", "were not ingested", "not be ingested", "data deletion",
		"lost logs", "lost security logs", "lost log data", "logs lost", "log loss", "incomplete logs",
		"perte de donnees", "donnees perdues", "irrecuperable*", "*datenverlust", "daten verloren",
		"perdu des journaux", "journaux perdus", "journaux de securite perdus", "perte de journaux", "logs perdus",
		"journaux manquants", "donnees manquantes", "protokolle verloren", "logs verloren", "fehlende protokolle",
		"registros perdidos", "perdida de registros", "log persi", "perdita di log",
		"fehlende daten", "*datenlucke*", "perdida de datos", "datos perdidos", "perdita di dati", "dati persi",
		"データ損失", "データの欠損", "ログの欠落", "データ消失", "数据丢失", "日志丢失", "데이터 손실",
		"데이터 유실", "로그 누락",
	}},
	{cueSecurity, 4, []string{
		"breach*", "unauthorized access", "unauthorised access", "compromise*", "attacker*", "threat actor*",
		"intrusion", "exfiltrat*", "malicious", "cyberattack*", "cyber attack*", "ransomware", "hacked", "hacker*",
		"stolen credential*", "stolen", "security incident", "data leak*", "exploited", "piratage", "fuite de donnees",
		"cyberattaque*", "attaque*", "pirate*", "*sicherheitsvorfall*", "hackerangriff*", "cyberangriff*", "angriff*",
		"datenleck*", "brecha*", "acceso no autorizado", "ciberataque*", "hackeo", "violazione", "attacco*",
		"accesso non autorizzato", "不正アクセス", "情報漏洩", "サイバー攻撃", "数据泄露", "未经授权", "网络攻击",
		"入侵", "해킹", "유출", "침해", "무단 접근",
	}},
	{cueSecurity, 3, []string{
		"attack*", "vulnerabilit*", "zero day", "0 day", "phishing", "malware", "leaked", "cve", "vulnerabilite*",
		"faille de securite", "*sicherheitslucke*", "schwachstelle*", "vulnerabilidad*", "vulnerabilita", "脆弱性",
		"漏洞", "취약점",
	}},
	{cueMaintenance, 2, []string{
		"maintenance*", "scheduled maintenance", "planned maintenance", "maintenance window", "emergency maintenance",
		"maintenance programmee", "maintenance planifiee", "*wartung*", "mantenimiento*", "manutenzione*",
		"will perform", "will be performing", "scheduled for", "is scheduled", "are scheduled", "planned for",
		"will take place", "aura lieu", "se realizara", "si terra", "実施予定", "予定しています", "예정입니다",
		"メンテナンス", "维护", "计划维护", "점검", "유지보수", "정기 점검",
	}},
	{cueImpact, 1, []string{
		"impact*", "affect*", "issue*", "problem*", "errors", "error", "error rates", "failure*", "fail*", "unable",
		"experienced", "experiencing", "disrupt*", "timeouts", "timed out", "incident", "stuck", "stall*", "stopped", "could not", "cannot", "can t", "couldn t", "not working",
		"impacte*", "touche*", "erreur*", "probleme*", "concerne*", "betroffen", "fehler*", "problem*", "storung*",
		"afectad*", "afecto", "fallo*", "error*", "problemas", "interessat*", "problem*", "errori", "malfunzionament*",
		"影響", "エラー", "失敗", "不具合", "影响", "错误", "问题", "失败", "영향", "오류", "에러", "문제", "실패",
	}},
	{cueUnaffected, 1, []string{
		"not impacted", "not affected", "unaffected", "not been impacted", "not been affected", "was not impacted",
		"were not impacted", "no impact", "remained functional", "remained available", "remained operational",
		"continued to operate normally", "continued to work", "without issue", "not be impacted", "not be affected",
		"no customer impact", "not experiencing", "is not concerned", "pas concerne*", "pas ete impacte*",
		"pas impacte*", "pas affecte*", "non impacte*", "pas touche*", "aucun impact", "nicht betroffen",
		"keine auswirkung*", "nicht beeintrachtigt", "no se vio afectad*", "no afectad*", "no fue afectad*",
		"sin impacto", "non e stato interessato", "non interessat*", "nessun impatto", "non coinvolt*",
		"影響はありません", "影響を受けていません", "影響はない", "未受影响", "不受影响", "没有影响",
		"영향을 받지 않", "영향 없음",
	}},
	{cueIncident, 1, []string{
		"incident report", "post incident review", "postmortem", "post mortem", "root cause analysis", "rca",
		"reason for outage", "incident summary", "rapport d incident", "incidentbericht",
	}},
	{cueRootCause, 0, []string{
		"root cause", "preliminary root cause", "underlying cause", "cause racine", "cause premiere", "ursache",
		"grundursache", "causa raiz", "causa principale", "causa radice", "根本原因", "原因", "근본 원인", "원인",
	}},
}

// negators are the words that, a few words before a cue in the same
// clause, cancel it ("no data was lost", "not the result of an attack").
var negators = map[string]bool{
	"not": true, "no": true, "never": true, "without": true, "nicht": true, "kein": true, "keine": true,
	"keinen": true, "keiner": true, "ohne": true, "pas": true, "aucun": true, "aucune": true, "sans": true,
	"non": true, "sin": true, "nessun": true, "nessuna": true, "senza": true, "nunca": true, "jamais": true,
	"zero": true, "isn": true, "wasn": true, "weren": true, "aren": true, "didn": true, "doesn": true,
}
