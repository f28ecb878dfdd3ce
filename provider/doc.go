// Package provider encodes the platform's rules for service providers
// (RULES.md PRV-1 … PRV-14, from the Service Provider Management System).
package provider
