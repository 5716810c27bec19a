package main

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/gapwatch/gapwatch/api"
	"github.com/gapwatch/gapwatch/web"
)

// sessionKeyEnv names the variable holding the web UI's session signing
// key. Without it the key is random per process: sign-ins then end when
// the server restarts, which is acceptable for a single instance.
const sessionKeyEnv = "GAPWATCH_SESSION_KEY"

// handler is what serve answers with: the HTTP API and the web UI on one
// engine.
func (a *app) handler(deps api.Deps, env []string) (*gin.Engine, error) {
	r := api.New(deps)
	if err := registerUI(r, deps, env, a.log); err != nil {
		return nil, err
	}
	return r, nil
}

// registerUI adds the web UI's pages to the API's engine.
func registerUI(r *gin.Engine, deps api.Deps, env []string, log *slog.Logger) error {
	var key []byte
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == sessionKeyEnv {
			if len(v) < 32 {
				return fmt.Errorf("%s must be at least 32 characters", sessionKeyEnv)
			}
			key = []byte(v)
		}
	}
	if err := web.Register(r, deps, web.Options{SessionKey: key, Logger: log}); err != nil {
		return fmt.Errorf("web UI: %w", err)
	}
	return nil
}
