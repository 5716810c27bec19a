package extract

// zoneNames maps normalized zone names (lower case, single spaces) to ids.
// IANA names are included for the hints callers pass.
var zoneNames = map[string]int{
	"utc": zUTC, "gmt": zGMT, "z": zUTC, "zulu": zUTC, "coordinated universal time": zUTC,
	"universal time": zUTC, "greenwich mean time": zGMT, "etc/utc": zUTC, "etc/gmt": zUTC, "utc time": zUTC,
	"pst": zPST, "pdt": zPDT, "pt": zPT, "pacific": zPT, "pacific time": zPT, "us pacific time": zPT,
	"pacific standard time": zPST, "pacific daylight time": zPDT, "us/pacific": zPT,
	"america/los_angeles": zPT, "america/tijuana": zPT, "america/vancouver": zPT,
	"us pacific": zPT, "heure du pacifique": zPT, "hora del pacífico": zPT,
	"mst": zMST, "mdt": zMDT, "mt": zMT, "mountain time": zMT, "us/mountain": zMT, "america/denver": zMT,
	"cst": zAmbigCST, "cdt": zCDT, "ct": zCT, "central time": zCT, "us central time": zCT, "us/central": zCT,
	"america/chicago": zCT, "central standard time": zCSTUS, "central daylight time": zCDT,
	"america/mexico_city": zMexico,
	"est":                 zEST, "edt": zEDT, "et": zET, "eastern": zET, "eastern time": zET, "us eastern time": zET,
	"eastern standard time": zEST, "eastern daylight time": zEDT, "us/eastern": zET,
	"america/new_york": zET, "america/toronto": zET, "us eastern": zET, "heure de new york": zET,
	"akst": zAKST, "akdt": zAKDT, "hst": zHST, "ast": zAST, "america/anchorage": zAKST, "pacific/honolulu": zHST,
	"cet": zCET, "cest": zCEST, "met": zCET, "mest": zCEST, "mez": zCET, "mesz": zCEST,
	"central european time": zParis, "central european summer time": zCEST, "central european standard time": zCET,
	"europe/paris": zParis, "europe/berlin": zParis, "europe/madrid": zParis, "europe/rome": zParis,
	"europe/amsterdam": zParis, "europe/brussels": zParis, "europe/zurich": zParis, "europe/vienna": zParis,
	"europe/stockholm": zParis, "europe/oslo": zParis, "europe/copenhagen": zParis, "europe/warsaw": zParis,
	"europe/prague": zParis, "europe/luxembourg": zParis,
	"heure de paris": zParis, "heure française": zParis, "heure francaise": zParis, "heure de france": zParis,
	"heure de bruxelles": zParis,
	"hora peninsular":    zParis, "hora peninsular española": zParis, "hora peninsular espanola": zParis,
	"hora de españa": zParis, "hora española": zParis, "hora local de españa": zParis, "hora de madrid": zParis,
	"hora local española": zParis,
	"ora italiana":        zParis, "ora di roma": zParis, "ora locale italiana": zParis,
	"deutscher zeit": zParis, "deutsche zeit": zParis, "mitteleuropäischer zeit": zParis,
	"mitteleuropäische zeit": zParis, "mitteleuropäischer sommerzeit": zCEST,
	"europe/london": zLondon, "uk time": zLondon, "british time": zLondon, "bst": zBST, "british summer time": zBST,
	"europe/dublin": zIreland, "irish time": zIreland, "irish standard time": zIreland,
	"wet": zWET, "west": zWEST, "europe/lisbon": zLisbon,
	"eet": zEET, "eest": zEEST, "europe/helsinki": zHelsinki, "europe/athens": zHelsinki, "europe/kiev": zHelsinki,
	"europe/kyiv": zHelsinki, "europe/bucharest": zHelsinki,
	"ist": zAmbigIST, "indian standard time": zIndia, "india standard time": zIndia, "asia/kolkata": zIndia,
	"asia/calcutta": zIndia,
	"jst":           zJST, "japan standard time": zJST, "japan time": zJST, "asia/tokyo": zJST,
	"kst": zKST, "korea standard time": zKST, "korean time": zKST, "asia/seoul": zKST,
	"china standard time": zChina, "beijing time": zChina, "asia/shanghai": zChina, "asia/hong_kong": zHKT, "hkt": zHKT,
	"asia/taipei": zTaipei, "taipei time": zTaipei, "taipei timezone": zTaipei, "taiwan time": zTaipei,
	"sgt": zSGT, "singapore time": zSGT, "asia/singapore": zSGT,
	"aest": zAEST, "aedt": zAEDT, "aet": zAET, "acst": zACST, "acdt": zACDT, "awst": zAWST,
	"australia/sydney": zAET, "australia/melbourne": zAET, "australia/perth": zAWST, "sydney time": zAET,
	"nzst": zNZST, "nzdt": zNZDT, "nzt": zNZT, "pacific/auckland": zNZT,
	"msk": zMSK, "moscow time": zMSK, "europe/moscow": zMSK, "brt": zBRT, "america/sao_paulo": zBRT,
	"ict": zICT, "asia/bangkok": zICT, "gst": zGST, "asia/dubai": zGST, "wib": zWIB, "asia/jakarta": zWIB, "pht": zPHT,
	"sast": zSAST, "africa/johannesburg": zSAST, "art": zART, "america/argentina/buenos_aires": zART,
	"cot": zCOT, "america/bogota": zCOT, "clt": zCLT, "trt": zTRT, "europe/istanbul": zTRT, "pkt": zPKT,
	"wat": zWAT, "eat": zEAT, "cat": zCAT, "africa/lagos": zWAT, "africa/nairobi": zEAT,
}

// zoneCJK lists zone names written without spaces in Chinese, Japanese
// and Korean; they are matched on the raw text.
var zoneCJK = []struct {
	text string
	id   int
}{
	{"米太平洋夏時間", zPDT}, {"太平洋夏時間", zPDT}, {"太平洋標準時間", zPST}, {"太平洋標準時", zPST},
	{"米太平洋時間", zPT}, {"太平洋時間", zPT}, {"米東部時間", zET}, {"東部時間", zET},
	{"日本時間", zJST}, {"日本標準時", zJST}, {"協定世界時", zUTC}, {"世界標準時", zUTC},
	{"北京时间", zChina}, {"北京時間", zChina}, {"中国标准时间", zChina}, {"台北時間", zTaipei},
	{"香港时间", zHKT}, {"香港時間", zHKT}, {"太平洋时间", zPT}, {"美国太平洋时间", zPT},
	{"协调世界时", zUTC}, {"世界协调时间", zUTC},
	{"태평양 표준시", zPST}, {"태평양 일광 절약 시간", zPDT}, {"태평양 시간", zPT}, {"미국 동부 시간", zET},
	{"한국 시간", zKST}, {"한국시간", zKST}, {"한국 표준시", zKST},
}
