package synth

// The filler sentences pad each notice to its length, drawn at random,
// about ten a notice. They are many, as real notices word things many
// ways: with every notice repeating the same handful, each boilerplate
// word was in nearly every notice of its language (70 % of the corpus),
// where real notices have it in a few to a few tens of percent (share of
// notices containing the word in the Google Cloud incidents of 2022-07 and
// the labelled development notices: incident 45–78 %, errors 16–41 %,
// latency 13–31 %, configuration 9–19 %, connectivity 15–18 %, logs 7 %,
// delayed 6 %, security 2–6 %, authentication 3–4 %, telemetry 1–4 %).
// The corpus's own shares are in TestCommonWordsShare. They carry no
// dates, times or durations, so that the windows stated are exactly the
// generated ones, and name no product but the notice's own (%[1]s). Two
// name its vendor (%[2]s), as real notices do; the extractor reads a few
// vendor names (Twilio, AWS) as that vendor's catch-all product, about one
// notice in two hundred. %[3]s is a region.

// englishFiller is the English filler.
func englishFiller() []string {
	return []string{
		"We are investigating reports of degraded performance for %[1]s in %[3]s.",
		"Audit logs and sign-in logs for %[1]s were delayed and some events may not have been delivered to downstream destinations.",
		"Engineers identified a configuration change that caused requests to time out; the change has been rolled back.",
		"Customers using %[2]s services in %[3]s may have seen intermittent connectivity failures and increased latency.",
		"A fix has been deployed and we are monitoring the results.",
		"Ingestion has recovered and the backlog is being processed.",
		"The incident has been resolved. A post-incident review will be published with the root cause.",
		"Authentication requests failed for users relying on multi-factor prompts.",
		"API calls returned HTTP 503 errors to a subset of clients.",
		"Telemetry collected during the impact could not be recovered and may be incomplete.",
		"We apologize for the inconvenience and are taking steps to prevent a recurrence.",
		"Our engineering team is actively working to restore normal operation.",
		"Some users were unable to sign in or were prompted repeatedly for credentials.",
		"The issue was traced to a faulty deployment that has been reverted.",
		"Requests to the management plane succeeded only after several retries.",
		"Data written during the disruption is safe and no customer action is required.",
		"Customers who configured exports should verify that their downstream systems received every record.",
		"We have applied a mitigation and are seeing signs of recovery.",
		"Failure rates have returned to normal levels across all affected regions.",
		"A capacity shortage in %[3]s caused elevated response times for some tenants.",
		"Scheduled jobs were queued and will run automatically once processing catches up.",
		"Dashboards may have shown stale or missing data while the pipeline was paused.",
		"Alerts configured on affected resources may not have fired as expected.",
		"A certificate used by an internal dependency expired and was replaced.",
		"We rerouted traffic away from the unhealthy cluster to restore service.",
		"The root cause was a software defect in a monitoring agent that stopped uploading events.",
		"Our investigation found no evidence of unauthorized access to customer data.",
		"Administrators will receive tenant-specific details by email.",
		"Retrying failed operations should now succeed.",
		"Some webhook notifications were delivered late or out of order.",
		"New connections were rejected while existing sessions continued to work.",
		"The database backend experienced slow writes, which held back the whole service.",
		"We will share more information as it becomes available.",
		"Impacted customers were notified by email.",
		"Mobile and desktop clients reconnected automatically once the fix was in place.",
		"Network congestion between two data centres caused packet loss for a portion of traffic.",
		"A dependency on a third-party provider contributed to the disruption.",
		"We are reviewing our deployment safeguards to catch this class of problem earlier.",
		"Background processing was throttled to protect the platform during recovery.",
		"Search results and reports may have been incomplete for the affected period.",
		"Customers may need to refresh their browser to see the latest state.",
		"Permission changes made during the disruption may have taken longer to apply.",
		"Billing and usage data are not affected.",
		"Settings updates were blocked until the rollback completed.",
		"We identified elevated failure rates on a subset of backend nodes.",
		"Our on-call engineers were engaged as soon as automated monitoring detected the anomaly.",
		"The missing events cannot be backfilled from our side.",
		"Customers relying on these events for detection should review their coverage for the affected period.",
		"Notification emails were held back and have now been sent.",
		"The service is operating normally and we consider this matter closed.",
	}
}

// frenchFiller is the French filler.
func frenchFiller() []string {
	return []string{
		"Nous enquêtons sur une dégradation des performances de %[1]s dans la région %[3]s.",
		"Les journaux de sécurité et les journaux de connexion de %[1]s ont été retardés ; certains événements n'ont pas été livrés.",
		"Les équipes ont identifié un changement de configuration à l'origine des délais d'attente ; il a été annulé.",
		"Les clients des services %[2]s dans la région %[3]s ont pu subir des coupures intermittentes et une latence accrue.",
		"Un correctif a été déployé et nous surveillons la situation.",
		"L'ingestion est rétablie et le retard est en cours de résorption.",
		"L'incident est résolu. Une analyse post-incident précisera la cause.",
		"Les demandes d'authentification ont échoué pour les utilisateurs de l'authentification multifacteur.",
		"La télémétrie collectée pendant l'incident n'a pas pu être récupérée et peut être incomplète.",
		"Nous vous prions de nous excuser pour la gêne occasionnée.",
		"Nos équipes techniques travaillent au rétablissement complet du service.",
		"Certains utilisateurs n'ont pas pu s'identifier ou ont dû saisir plusieurs fois leurs identifiants.",
		"Le problème provenait d'un déploiement défectueux, qui a été retiré.",
		"Les appels à l'interface de programmation ont renvoyé des erreurs à une partie des clients.",
		"Les données écrites pendant la perturbation sont intactes et aucune action n'est requise.",
		"Les clients qui exportent leurs événements doivent vérifier que leurs systèmes en aval ont tout reçu.",
		"Une mesure d'atténuation a été appliquée et le service se rétablit progressivement.",
		"Les taux d'échec sont revenus à leur niveau habituel dans toutes les régions concernées.",
		"Un manque de capacité dans la région %[3]s a allongé les temps de réponse pour certains clients.",
		"Les tâches planifiées ont été mises en file d'attente et s'exécuteront automatiquement.",
		"Les tableaux de bord ont pu afficher des données obsolètes ou manquantes.",
		"Les alertes configurées sur les ressources concernées ont pu ne pas se déclencher.",
		"Un certificat utilisé par un composant interne avait expiré et a été remplacé.",
		"Le trafic a été redirigé vers un autre groupe de serveurs pour rétablir le service.",
		"La cause première est un défaut logiciel dans un agent de surveillance qui n'envoyait plus les événements.",
		"Notre enquête n'a révélé aucun accès non autorisé aux données des clients.",
		"Les administrateurs recevront les détails propres à leur organisation par courriel.",
		"Les opérations en échec peuvent désormais être relancées avec succès.",
		"Certaines notifications ont été livrées en retard ou dans le désordre.",
		"Les nouvelles sessions ont été refusées alors que les sessions ouvertes continuaient de fonctionner.",
		"Nous publierons de nouvelles informations dès qu'elles seront disponibles.",
		"Les clients concernés ont été prévenus par courriel.",
		"Les applications mobiles et de bureau se sont reconnectées automatiquement après le correctif.",
		"Une congestion du réseau entre deux centres de données a provoqué des pertes de paquets.",
		"Une dépendance envers un fournisseur tiers a contribué à la perturbation.",
		"Nous revoyons nos garde-fous de déploiement pour détecter plus tôt ce type de problème.",
		"Les traitements en arrière-plan ont été ralentis pour protéger la plateforme.",
		"Les résultats de recherche et les rapports ont pu être incomplets pendant la période concernée.",
		"Les modifications d'autorisations effectuées pendant la perturbation ont pu être appliquées avec retard.",
		"Les données de facturation et d'utilisation ne sont pas touchées.",
		"Les mises à jour des paramètres ont été bloquées jusqu'à la fin du retour arrière.",
		"Nos équipes d'astreinte ont été mobilisées dès la détection de l'anomalie.",
		"Les événements manquants ne peuvent pas être réinjectés de notre côté.",
		"Les clients qui s'appuient sur ces événements pour la détection doivent vérifier leur couverture.",
		"Le service fonctionne normalement et nous considérons le sujet comme clos.",
	}
}
