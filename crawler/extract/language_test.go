package extract

import "testing"

func TestDetectLanguage(t *testing.T) {
	tests := []struct{ want, text string }{
		{"en", "We are investigating increased error rates for requests to the API in the region."},
		{"fr", "Une panne a touché les serveurs de la société dans la nuit, et les services sont indisponibles pour les clients."},
		{"de", "Seit heute Morgen ist der Dienst für viele Nutzer nicht erreichbar, und die Ursache ist noch unklar."},
		{"es", "Varios servicios quedaron fuera de línea este lunes debido a una caída global de la nube."},
		{"it", "Gli utenti non hanno potuto utilizzare il servizio per diverse ore, e l'azienda ha confermato il problema."},
		{"ja", "Amazon DynamoDB のサービス停止についての要約です。"},
		{"zh", "使用中国东部和中国北部服务的用户在打开管理门户网站时可能会遇到问题。"},
		{"ko", "클라우드플레어 장애가 또다시 발생하게 된 겁니다."},
		{"ko", "태평양 표준시 기준 오전 3시 32분에서 오전 3시 54분사이에 일부 EC2 인스턴스의 인터넷 연결에 영향을 미치는 연결 문제가 발생했습니다. Between 3:32 AM and 3:54 AM PST we experienced issues."},
		{"", "12:00 — 13:00 !!!"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.want+"/"+tc.text, func(t *testing.T) {
			if got := DetectLanguage(tc.text); got != tc.want {
				t.Errorf("DetectLanguage(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func BenchmarkDetectLanguage(b *testing.B) {
	text := benchNotice()
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		DetectLanguage(text)
	}
}
