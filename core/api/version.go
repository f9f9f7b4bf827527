package api

// Version is the her2het release. It is recorded in every session and report.
const Version = "0.1.0-dev"
