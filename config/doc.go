// Package config loads gapwatch's single YAML configuration file, applies
// GAPWATCH_* environment overrides, fills defaults and validates every
// section, failing at start with the file, the key and what is wrong.
package config
