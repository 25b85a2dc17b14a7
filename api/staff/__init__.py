"""The staff side of the guide: accounts, sessions, rate limits, CSRF, the audit log."""
